"""Circulating the conference record and its acknowledgement by every recipient."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from diogelu.accounts.models import PARTNER_WORK_ROLES, User
from diogelu.conferences.models import (
    Circulation,
    Conference,
    ConferenceStatus,
    CoreGroupMember,
    InviteeKind,
    RecipientKind,
)
from diogelu.conferences.services._common import (
    MIN_REASONS,
    SOCIAL_WORK_ROLES,
    _check_staff,
    _event,
)
from diogelu.core.exceptions import DomainError, NotPermittedError
from diogelu.core.texts import msg, written
from diogelu.notifications.models import Kind
from diogelu.notifications.services import enqueue

# --- circulating the record ---------------------------------------------------------------


@transaction.atomic
def circulate_record(*, actor: User, conference: Conference) -> list[Circulation]:
    """Send the conference record and outline plan to every invitee and core group member, each
    to acknowledge; due within ``icpc.circulate_record`` of the conference. Circulating again
    sends only to recipients added since. Each sharing is written to the disclosure log."""
    from diogelu.referrals.models import LawfulBasis
    from diogelu.sharing.models import Disclosure, DisclosureKind

    _check_staff(actor, conference.authority_id)
    if conference.status != ConferenceStatus.HELD or conference.record_due_at is None:
        raise DomainError(_("The record is circulated after the conference is held."))
    if len(conference.summary.strip()) < MIN_REASONS:
        raise DomainError(_("Write the summary of decisions first."), field="summary")
    recipients: dict[tuple[int | None, int | None, int | None], dict[str, Any]] = {}

    def add(kind: str, agency: Any, user: Any, person: Any, label: str) -> None:
        key = (
            agency.pk if agency and not user else None,
            user.pk if user else None,
            person.pk if person else None,
        )
        if key == (None, None, None):
            key = (None, None, -len(recipients) - 1)  # a family member known only by name
        recipients.setdefault(
            key,
            {
                "kind": kind,
                "agency": agency if not user else None,
                "user": user,
                "person": person,
                "label": label,
            },
        )

    for i in conference.invitations.select_related("agency", "user", "person"):
        if i.invitee_kind == InviteeKind.AGENCY:
            add(
                RecipientKind.USER if i.user else RecipientKind.AGENCY,
                i.agency,
                i.user,
                None,
                i.name,
            )
        else:
            add(RecipientKind.FAMILY, None, None, i.person, i.name)
    for member in CoreGroupMember.objects.filter(
        episode__in=[c.episode for c in conference.children.all() if c.episode is not None],
        ended_at__isnull=True,
    ).select_related("agency", "user", "person"):
        if member.user is not None:
            add(RecipientKind.USER, None, member.user, None, member.name)
        elif member.agency is not None:
            add(RecipientKind.AGENCY, member.agency, None, None, member.name)
        elif member.person is not None:
            add(RecipientKind.FAMILY, None, None, member.person, member.name)
    now = timezone.now()
    made: list[Circulation] = []
    existing = list(conference.circulations.all())
    people = [c.person_id for c in conference.children.all()]
    report = next(iter(e.report for e in conference.enquiries.all()), None)
    for r in recipients.values():
        agency, user, person = r["agency"], r["user"], r["person"]
        if any(
            c.recipient_agency_id == (agency.pk if agency else None)
            and c.recipient_user_id == (user.pk if user else None)
            and c.recipient_person_id == (person.pk if person else None)
            and (agency or user or person or c.recipient_label == r["label"])
            for c in existing
        ):
            continue
        circulation = Circulation.objects.create(
            conference=conference,
            recipient_kind=r["kind"],
            recipient_agency=agency,
            recipient_user=user,
            recipient_person=person,
            recipient_label=r["label"][:200],
            sent_at=now,
            due_at=conference.record_due_at,
        )
        made.append(circulation)
        to_agency_id = agency.pk if agency else (user.agency_id if user else None)
        if to_agency_id is not None:
            enqueue(
                kind=Kind.OUTCOME,
                dedupe_key=f"conference-record:{circulation.pk}",
                subject="",
                subject_key=gettext_noop("Child protection conference record to acknowledge"),
                body=msg(
                    gettext_noop("Please read the record and outline plan and acknowledge them.")
                ),
                user=user,
                agency=agency if user is None else None,
                roles=() if user else PARTNER_WORK_ROLES,
            )
            if to_agency_id != conference.authority_id:
                shared = msg(gettext_noop("Child protection conference record and outline plan"))
                for person_id in people:
                    Disclosure.objects.create(
                        kind=DisclosureKind.OUTCOME,
                        by_user=actor,
                        from_agency_id=conference.authority_id,
                        to_agency_id=to_agency_id,
                        to_user=user,
                        report=report,
                        person_id=person_id,
                        description=written(shared),
                        text=shared,
                        lawful_basis=LawfulBasis.SAFEGUARDING,
                        object_id=conference.pk,
                    )
    if made and conference.record_circulated_at is None:
        conference.record_circulated_at = now
        conference.save(update_fields=["record_circulated_at"])
        for person_id in people:
            _event(actor, person_id, msg(gettext_noop("Conference record circulated")))
    return made


def agency_may_acknowledge(user: User) -> bool:
    """Whether ``user`` acknowledges the copies sent to their agency with no one named."""
    if user.is_local_authority_staff:
        return user.has_role(*SOCIAL_WORK_ROLES)
    return user.has_role(*PARTNER_WORK_ROLES)


def may_acknowledge(user: User, circulation: Circulation) -> bool:
    """The recipient, a colleague at the recipient agency, or (for family members) the local
    authority's social services acting for them."""
    if circulation.recipient_user_id is not None:
        return circulation.recipient_user_id == user.pk
    if circulation.recipient_agency_id is not None:
        if circulation.recipient_agency_id != user.agency_id:
            return False
        return agency_may_acknowledge(user)
    return (
        user.is_local_authority_staff
        and user.agency_id == circulation.conference.authority_id
        and user.has_role(*SOCIAL_WORK_ROLES)
    )


@transaction.atomic
def acknowledge_record(*, actor: User, circulation: Circulation) -> Circulation:
    """The recipient acknowledges the conference record (again changes nothing)."""
    locked = (
        Circulation.objects.select_for_update().select_related("conference").get(pk=circulation.pk)
    )
    if not may_acknowledge(actor, locked):
        raise NotPermittedError(_("This record was sent to someone else."))
    if locked.acknowledged_at is None:
        locked.acknowledged_at = timezone.now()
        locked.acknowledged_by = actor
        locked.save(update_fields=["acknowledged_at", "acknowledged_by"])
    return locked
