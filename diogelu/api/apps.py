from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "diogelu.api"
    label = "api"
    verbose_name = "API"
