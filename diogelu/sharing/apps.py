from django.apps import AppConfig


class SharingConfig(AppConfig):
    name = "diogelu.sharing"
    label = "sharing"
    verbose_name = "MASH checks, outcomes and the disclosure log"
