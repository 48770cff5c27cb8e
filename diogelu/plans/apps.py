from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "diogelu.plans"
    label = "plans"
    verbose_name = "Care and support protection plans, core groups and visits"

    def ready(self) -> None:
        from diogelu.core.sweeps import register_sweep
        from diogelu.plans import reminders

        # Statutory visits, after the conferences' sweep (INSTALLED_APPS order).
        register_sweep("visits", lambda now: reminders.remind_visits_due(now))
