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
        _forget_visit_deadlines_on_change()


def _forget_visit_deadlines_on_change() -> None:
    """A saved or deleted visit, register episode, conference or conference child changes the
    facts behind its authority's visit deadlines (``plans.due.authority_visit_deadlines``): they
    are forgotten at once, and again when the transaction commits (so that a request counting
    them between the two cannot keep the old facts under the new generation)."""
    from typing import Any

    from django.db import transaction
    from django.db.models.signals import post_delete, post_save

    from diogelu.conferences.models import Conference, ConferenceChild, RegisterEpisode
    from diogelu.plans.due import visit_deadlines_changed
    from diogelu.plans.models import Visit

    def authority_of(instance: Any) -> int | None:
        if isinstance(instance, (Conference, RegisterEpisode)):
            return instance.authority_id
        # The related record if already loaded; else one look-up.
        cached = instance._state.fields_cache
        if isinstance(instance, ConferenceChild) and "conference" in cached:
            return cached["conference"].authority_id  # type: ignore[no-any-return]
        if isinstance(instance, Visit) and "episode" in cached:
            return cached["episode"].authority_id  # type: ignore[no-any-return]
        if isinstance(instance, ConferenceChild):
            return (
                Conference.objects.filter(pk=instance.conference_id)
                .values_list("authority_id", flat=True)
                .first()
            )
        return (
            RegisterEpisode.objects.filter(pk=instance.episode_id)
            .values_list("authority_id", flat=True)
            .first()
        )

    def changed(sender: Any, instance: Any, **kwargs: Any) -> None:
        if kwargs.get("raw"):
            return
        authority_id = authority_of(instance)
        visit_deadlines_changed(authority_id)
        transaction.on_commit(lambda: visit_deadlines_changed(authority_id))

    for model in (Visit, RegisterEpisode, Conference, ConferenceChild):
        uid = f"plans.visit_deadlines.{model.__name__}"
        post_save.connect(changed, sender=model, weak=False, dispatch_uid=uid + ".save")
        post_delete.connect(changed, sender=model, weak=False, dispatch_uid=uid + ".delete")
