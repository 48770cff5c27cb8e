from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "diogelu.plans"
    label = "plans"
    verbose_name = "Care and support protection plans, core groups and visits"

    def ready(self) -> None:
        from diogelu.conferences import hooks
        from diogelu.core.sweeps import register_sweep
        from diogelu.people.sections import register_person_section
        from diogelu.plans import child_protection, documents, reminders

        # Statutory visits, after the conferences' sweep (INSTALLED_APPS order).
        register_sweep("visits", lambda now: reminders.remind_visits_due(now))
        # The child protection section of a person's page (register, plan, conferences).
        register_person_section(
            "child_protection",
            lambda user, person: child_protection.child_protection_for(user, person),
        )
        # Registering a child makes its plan; a conference record shows the outline plan
        # (plans registers with conferences, which imports nothing of plans: ADR 0405).
        hooks.register_on_registered(documents.make_plan)
        hooks.register_outline_plan(documents.outline_plan_for)
