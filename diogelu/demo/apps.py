from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "diogelu.demo"
    label = "demo"
    verbose_name = "Demo authority"
