from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "diogelu.core"
    label = "core"
    verbose_name = "Core"
