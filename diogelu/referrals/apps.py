from django.apps import AppConfig


class ReferralsConfig(AppConfig):
    name = "diogelu.referrals"
    label = "referrals"
    verbose_name = "Reports of children at risk"

    def ready(self) -> None:
        from diogelu.core.sweeps import register_sweep
        from diogelu.referrals import reminders

        register_sweep("decisions_reminded", lambda now: reminders.remind_decisions_due(now))
