"""Less typing for a conference: invite several agencies in one go, and record everyone's
attendance on one page. Each is one transaction over the single-invitee services (all or none)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from django.db import transaction
from django.utils.translation import gettext as _

from diogelu.accounts.models import Agency, User
from diogelu.conferences import services
from diogelu.conferences.models import Conference, Invitation, InviteeKind
from diogelu.core.exceptions import DomainError


@transaction.atomic
def invite_agencies(
    *, actor: User, conference: Conference, agencies: Sequence[Agency]
) -> list[Invitation]:
    """Invite each agency (no named practitioner yet); none is invited if one cannot be."""
    if not agencies:
        raise DomainError(_("Choose the agencies to invite"), field="agencies")
    return [
        services.invite(
            actor=actor,
            conference=conference,
            invitee_kind=InviteeKind.AGENCY,
            agency=agency,
        )
        for agency in agencies
    ]


@transaction.atomic
def record_attendance_all(
    *, actor: User, conference: Conference, answers: Mapping[int, str]
) -> list[Invitation]:
    """Record the attendance of the conference's invitees: invitation id -> attendance. Only
    the answers given are recorded; an id that is not this conference's invitation is refused."""
    if not answers:
        raise DomainError(_("Record the attendance of at least one invitee"), field="attendance")
    invitations = {i.pk: i for i in conference.invitations.filter(pk__in=list(answers))}
    if set(invitations) != set(answers):
        raise DomainError(_("Choose from the invitees listed"), field="attendance")
    return [
        services.record_attendance(actor=actor, invitation=invitations[pk], attendance=answers[pk])
        for pk in sorted(answers)
    ]
