from django.apps import AppConfig


class MeasuresConfig(AppConfig):
    name = "diogelu.measures"
    label = "measures"
    verbose_name = "Performance measures, the improvement plan and the report to Cabinet"
