from django.apps import AppConfig


class ChronologyConfig(AppConfig):
    name = "diogelu.chronology"
    label = "chronology"
    verbose_name = "Chronology"
