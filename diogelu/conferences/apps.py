from django.apps import AppConfig


class ConferencesConfig(AppConfig):
    name = "diogelu.conferences"
    label = "conferences"
    verbose_name = "Child protection conferences and the register"

    def ready(self) -> None:
        from diogelu.conferences import reminders
        from diogelu.core.sweeps import register_sweep

        # Conferences, the register and plans, and the 18th-birthday sweep (a dict of counts).
        register_sweep("conferences", lambda now: reminders.run_conference_reminders(now))
