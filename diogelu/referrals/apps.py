from django.apps import AppConfig


class ReferralsConfig(AppConfig):
    name = "diogelu.referrals"
    label = "referrals"
    verbose_name = "Reports of children at risk"
