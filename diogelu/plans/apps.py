from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "diogelu.plans"
    label = "plans"
    verbose_name = "Care and support protection plans, core groups and visits"
