from django.apps import AppConfig


class AccessConfig(AppConfig):
    name = "diogelu.access"
    label = "access"
    verbose_name = "Access: involvement, restricted records and the access log"
