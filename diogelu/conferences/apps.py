from django.apps import AppConfig


class ConferencesConfig(AppConfig):
    name = "diogelu.conferences"
    label = "conferences"
    verbose_name = "Child protection conferences and the register"
