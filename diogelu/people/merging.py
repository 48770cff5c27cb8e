"""Merging a duplicate person record into another, and undoing it.

A wrong link merges two children's files: so only managers merge, with a written reason, both
records must be visible to them in the same authority, and every merge can be undone exactly.
"""

from __future__ import annotations

from django.apps import apps
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from diogelu.accounts.models import Role, User
from diogelu.chronology.models import Audience, EventKind
from diogelu.chronology.services import add_case_event
from diogelu.core.exceptions import DomainError, NotPermittedError
from diogelu.core.texts import msg
from diogelu.people.models import NameKind, Person, PersonMerge, PersonName, Relationship

MERGE_ROLES = (Role.TEAM_MANAGER, Role.HEAD_OF_SERVICE)

#: (model label, field) pairs re-pointed from the duplicate to the survivor.
MOVABLE: tuple[tuple[str, str], ...] = (
    ("people.PersonName", "person"),
    ("people.Address", "person"),
    ("access.Involvement", "person"),
    ("access.RestrictedAccessGrant", "person"),
    ("chronology.ChronologyEvent", "person"),
    ("referrals.ReportChild", "person"),
    ("enquiries.StrategyChildDecision", "person"),
    ("enquiries.Section47Enquiry", "person"),
)


def _check(actor: User, *people: Person) -> None:
    if not actor.is_local_authority_staff or not actor.has_role(*MERGE_ROLES):
        raise NotPermittedError(_("Only a manager can merge or unmerge records."))
    visible = set(
        Person.objects.visible_to(actor)
        .filter(pk__in=[p.pk for p in people])
        .values_list("pk", flat=True)
    )
    if visible != {p.pk for p in people}:
        raise NotPermittedError(_("You can only merge records you can see."))


@transaction.atomic
def merge_people(*, actor: User, survivor: Person, duplicate: Person, reason: str) -> PersonMerge:
    """Merge ``duplicate`` into ``survivor``: its names, addresses, relationships, involvements,
    chronology, reports and enquiries move; its main name becomes an alias; it disappears from
    search and lists. Recorded on the survivor's chronology."""
    if survivor.pk == duplicate.pk:
        raise DomainError(_("Choose two different records."), field="duplicate")
    _check(actor, survivor, duplicate)
    if survivor.authority_id != duplicate.authority_id:
        raise DomainError(_("Both records must belong to the same authority."), field="duplicate")
    if len(reason.strip()) < 10:
        raise DomainError(_("Explain why these are the same person"), field="reason")
    moved: dict[str, list[int]] = {}
    for label, field in MOVABLE:
        model = apps.get_model(label)
        ids = list(model._default_manager.filter(**{field: duplicate}).values_list("pk", flat=True))
        if ids:
            model._default_manager.filter(pk__in=ids).update(**{field: survivor})
            moved[label] = ids
    # Relationships: re-point both ends, except one between the two records themselves.
    between = Q(person=survivor, relative=duplicate) | Q(person=duplicate, relative=survivor)
    for field in ("person", "relative"):
        rels = Relationship.objects.filter(**{field: duplicate}).exclude(between)
        ids = []
        for rel in rels:
            other = rel.relative_id if field == "person" else rel.person_id
            clash = Relationship.objects.filter(
                **{field: survivor, ("relative" if field == "person" else "person") + "_id": other},
                kind=rel.kind,
            ).exists()
            if not clash:
                ids.append(rel.pk)
        Relationship.objects.filter(pk__in=ids).update(**{field: survivor})
        if ids:
            moved[f"people.Relationship.{field}"] = ids
    alias = PersonName.objects.create(
        person=survivor,
        kind=NameKind.ALIAS,
        given_name=duplicate.given_name,
        family_name=duplicate.family_name,
    )
    merge = PersonMerge.objects.create(
        survivor=survivor,
        duplicate=duplicate,
        reason=reason.strip()[:5000],
        merged_by=actor,
        moved=moved,
        created={"people.PersonName": [alias.pk]},
        survivor_was_restricted=survivor.is_restricted,
    )
    Person.objects.filter(pk=duplicate.pk).update(merged_into=survivor)
    if duplicate.is_restricted and not survivor.is_restricted:
        Person.objects.filter(pk=survivor.pk).update(is_restricted=True)
    add_case_event(
        actor=actor,
        person_id=survivor.pk,
        kind=EventKind.RECORD,
        title=msg(
            gettext_noop("Record %(ref)s merged into this record"), ref=duplicate.la_reference
        ),
        occurred_at=timezone.now(),
        detail=merge.reason,
        audience=Audience.LOCAL_AUTHORITY,
    )
    return merge


@transaction.atomic
def unmerge(*, actor: User, merge: PersonMerge) -> PersonMerge:
    """Undo a merge: both records and every link are restored as they were."""
    locked = PersonMerge.objects.select_for_update().get(pk=merge.pk)
    if locked.unmerged_at is not None:
        raise DomainError(_("This merge has already been undone."))
    if not actor.is_local_authority_staff or not actor.has_role(*MERGE_ROLES):
        raise NotPermittedError(_("Only a manager can merge or unmerge records."))
    if not Person.objects.visible_to(actor).filter(pk=locked.survivor_id).exists():
        raise NotPermittedError(_("You can only unmerge records you can see."))
    for label, ids in locked.moved.items():
        if label.startswith("people.Relationship."):
            field = label.rsplit(".", 1)[1]
            Relationship.objects.filter(pk__in=ids).update(**{f"{field}_id": locked.duplicate_id})
            continue
        field = dict(MOVABLE)[label]
        apps.get_model(label)._default_manager.filter(pk__in=ids).update(
            **{f"{field}_id": locked.duplicate_id}
        )
    for label, ids in locked.created.items():
        apps.get_model(label)._default_manager.filter(pk__in=ids).delete()
    Person.objects.filter(pk=locked.duplicate_id).update(merged_into=None)
    Person.objects.filter(pk=locked.survivor_id).update(
        is_restricted=locked.survivor_was_restricted
    )
    locked.unmerged_by = actor
    locked.unmerged_at = timezone.now()
    locked.save(update_fields=["unmerged_by", "unmerged_at"])
    for person_id, ref in (
        (locked.survivor_id, locked.duplicate.la_reference),
        (locked.duplicate_id, locked.survivor.la_reference),
    ):
        add_case_event(
            actor=actor,
            person_id=person_id,
            kind=EventKind.RECORD,
            title=msg(gettext_noop("Merge with %(ref)s undone"), ref=ref),
            occurred_at=timezone.now(),
            audience=Audience.LOCAL_AUTHORITY,
        )
    return locked


def find_duplicate(actor: User, la_reference: str) -> Person | None:
    """A record visible to the manager with this reference (for the merge form)."""
    return (
        Person.objects.visible_to(actor).filter(la_reference=la_reference.strip().upper()).first()
    )


def merge_preview(actor: User, survivor: Person, duplicate: Person) -> dict[str, object]:
    """Both records side by side, with the matching engine's field-by-field explanation."""
    from diogelu.people.presenters import PersonPresenter

    explanation: list[dict[str, object]] = []
    try:
        from diogelu.people.matching_index import explain_people

        explanation = explain_people(survivor, duplicate)
    except ImportError:  # the engine's adapter is optional on this seam
        explanation = []
    from diogelu.access.visibility import decide

    decision = decide(actor, duplicate)
    assert decision is not None
    from diogelu.access.services import PersonAccess

    return {
        "person": duplicate,
        "rows": PersonPresenter(PersonAccess(person=duplicate, decision=decision)).summary_rows(),
        "explanation": explanation,
    }


def merges_of(actor: User, person: Person) -> list[PersonMerge]:
    """Merges into this record, newest first."""
    if not actor.has_role(*MERGE_ROLES):
        return []
    return list(
        PersonMerge.objects.filter(survivor=person).select_related("duplicate", "merged_by")
    )


def access_merge(actor: User, merge_id: int) -> PersonMerge:
    """One merge whose survivor the manager can see, or 404."""
    from django.http import Http404

    merge = PersonMerge.objects.filter(pk=merge_id).select_related("survivor", "duplicate").first()
    if (
        merge is None
        or not actor.has_role(*MERGE_ROLES)
        or not Person.objects.visible_to(actor).filter(pk=merge.survivor_id).exists()
    ):
        raise Http404
    return merge
