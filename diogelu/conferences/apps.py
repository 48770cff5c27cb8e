from django.apps import AppConfig


class ConferencesConfig(AppConfig):
    name = "diogelu.conferences"
    label = "conferences"
    verbose_name = "Child protection conferences and the register"

    def ready(self) -> None:
        from diogelu.conferences import access, reminders
        from diogelu.core.sweeps import register_sweep
        from diogelu.people.sections import register_person_section

        # Conferences, the register and plans, and the 18th-birthday sweep (a dict of counts).
        register_sweep("conferences", lambda now: reminders.run_conference_reminders(now))
        # The child protection section of a person's page (register, plan, conferences).
        register_person_section(
            "child_protection", lambda user, person: access.child_protection_for(user, person)
        )
