"""Invitations and agency reports: inviting agencies, family and the child, their reports,
attendance and the quorum.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from diogelu.access import naming
from diogelu.access.models import Involvement, InvolvementReason
from diogelu.accounts.models import PARTNER_WORK_ROLES, Agency, User
from diogelu.chronology.models import EventKind
from diogelu.conferences.models import (
    Attendance,
    Conference,
    ConferenceStatus,
    Invitation,
    InviteeKind,
)
from diogelu.conferences.quorum import Attendee, check_quorum
from diogelu.conferences.services._common import (
    PARTNER_PARTS,
    SOCIAL_WORK_ROLES,
    _check_staff,
    _event,
    _note,
    _text,
)
from diogelu.core.exceptions import DomainError, NotPermittedError
from diogelu.core.texts import at_time, lines, msg
from diogelu.notifications.models import Kind
from diogelu.notifications.services import enqueue
from diogelu.people.models import Person

# --- invitations, reports, attendance -----------------------------------------------------


def _check_convened(conference: Conference) -> None:
    if conference.status != ConferenceStatus.CONVENED:
        raise DomainError(_("This conference has already been held or was cancelled."))


def _invitation_subject(conference: Conference, children: Sequence[Any]) -> dict[str, Any]:
    """The invitation's subject: the children's references (never their names, which the app
    shows to those who may see them), the date and time, as a message key and parameters."""
    refs = ", ".join(sorted(c.person.la_reference for c in children if c.person_id))
    when = conference.scheduled_for or conference.due_at
    return {
        "subject_key": gettext_noop(
            "Invitation: child protection conference for %(refs)s on %(when)s"
        ),
        "subject_params": {
            "refs": refs or msg(gettext_noop("a child")),
            "when": at_time(when),
        },
    }


def _invitation_body(conference: Conference) -> dict[str, Any]:
    venue = str(getattr(conference, "venue", "") or "").strip()
    where = (
        msg(gettext_noop("Venue: %(venue)s."), venue=venue)
        if venue
        else msg(gettext_noop("The venue will be confirmed by the conference administrator."))
    )
    return lines(
        where,
        msg(gettext_noop("Please send your report before the conference and say who will attend.")),
        sep=" ",
    )


@transaction.atomic
def invite(
    *,
    actor: User,
    conference: Conference,
    invitee_kind: str,
    agency: Agency | None = None,
    user: User | None = None,
    person: Person | None = None,
    name: str = "",
    professional_group: str = "",
    advocacy_offered: bool = False,
    advocacy_accepted: bool | None = None,
) -> Invitation:
    """Invite an agency (optionally a named practitioner), a family member or the child.

    A partner agency invited gets a conference-invitee involvement with each child (summary and
    chronology) and a notification. Inviting the child records the active offer of an advocate.
    """
    _check_staff(actor, conference.authority_id)
    _check_convened(conference)
    if invitee_kind not in InviteeKind.values:
        raise DomainError(_("Choose who is invited"), field="invitee_kind")
    children = list(conference.children.all())
    child_ids = {c.person_id for c in children}
    label = name.strip()
    if invitee_kind == InviteeKind.AGENCY:
        if agency is None:
            raise DomainError(_("Choose the agency"), field="agency")
        naming.check_agency(authority_id=conference.authority_id, agency=agency, field="agency")
        if user is not None:
            naming.check_user(
                authority_id=conference.authority_id, user=user, agency=agency, field="user"
            )
        duplicate = conference.invitations.filter(agency=agency, user=user).exists()
        label = label or (str(user) if user else agency.name)
        person = None
    else:
        agency = user = None
        if invitee_kind == InviteeKind.CHILD:
            if person is None or person.pk not in child_ids:
                raise DomainError(_("Choose a child the conference is about"), field="person")
            label = label or person.full_name
        elif person is not None:
            naming.check_person(
                actor=actor, authority_id=conference.authority_id, person=person, field="person"
            )
        if not label and person is not None:
            label = person.full_name
        if not label:
            raise DomainError(_("Enter the name of the person invited"), field="name")
        duplicate = person is not None and conference.invitations.filter(person=person).exists()
    if duplicate:
        raise DomainError(_("They have already been invited."), field="invitee_kind")
    if advocacy_accepted is not None and not advocacy_offered:
        raise DomainError(
            _("Record that advocacy was offered before recording the answer"),
            field="advocacy_accepted",
        )
    if invitee_kind != InviteeKind.CHILD and advocacy_offered:
        raise DomainError(_("Advocacy is offered to the child"), field="advocacy_offered")
    now = timezone.now()
    invitation = Invitation.objects.create(
        conference=conference,
        invitee_kind=invitee_kind,
        agency=agency,
        user=user,
        person=person,
        name=label[:200],
        professional_group=professional_group.strip()[:100],
        invited_by=actor,
        advocacy_offered_at=now if advocacy_offered else None,
        advocacy_accepted=advocacy_accepted,
    )
    if agency is not None and agency.pk != conference.authority_id:
        for child in children:
            Involvement.objects.create(
                person_id=child.person_id,
                agency=agency,
                user=user,
                reason=InvolvementReason.CONFERENCE_INVITEE,
                parts=PARTNER_PARTS,
                recorded_by=actor,
                note=_note(conference),
            )
    if agency is not None:
        enqueue(
            kind=Kind.REMINDER,
            dedupe_key=f"conference-invite:{invitation.pk}",
            subject="",
            **_invitation_subject(conference, children),
            body=_invitation_body(conference),
            link=f"/conferences/{conference.pk}/",
            user=user,
            agency=None if user else agency,
            roles=() if user else PARTNER_WORK_ROLES,
            task=f"conference-invite:{invitation.pk}",
            people=[c.person_id for c in children],
        )
    if invitee_kind == InviteeKind.CHILD and advocacy_offered:
        assert person is not None
        _event(
            actor,
            person.pk,
            msg(gettext_noop("Advocacy offered for the conference")),
            detail=(
                ""
                if advocacy_accepted is None
                else msg(
                    gettext_noop("Accepted") if advocacy_accepted else gettext_noop("Declined")
                )
            ),
        )
    return invitation


def _may_act_for_invitation(user: User, invitation: Invitation) -> bool:
    if invitation.user_id is not None:
        return invitation.user_id == user.pk
    if invitation.agency_id is None or invitation.agency_id != user.agency_id:
        return False
    if user.is_local_authority_staff:
        return user.has_role(*SOCIAL_WORK_ROLES)
    return user.has_role(*PARTNER_WORK_ROLES)


@transaction.atomic
def submit_agency_report(*, actor: User, invitation: Invitation, text: str) -> Invitation:
    """An invited agency submits its report before the conference (again replaces it)."""
    if invitation.invitee_kind != InviteeKind.AGENCY:
        raise DomainError(_("Only invited agencies submit reports."))
    if not _may_act_for_invitation(actor, invitation):
        raise NotPermittedError(_("This invitation is for someone else."))
    _check_convened(invitation.conference)
    invitation.report_text = _text(
        text, 20, _("Write your agency's report (at least 20 characters)"), "text"
    )
    invitation.report_submitted_at = timezone.now()
    invitation.report_submitted_by = actor
    invitation.save(update_fields=["report_text", "report_submitted_at", "report_submitted_by"])
    for child in invitation.conference.children.all():
        _event(
            actor,
            child.person_id,
            msg(gettext_noop("Conference report from %(agency)s"), agency=invitation.name),
            kind=EventKind.CONFERENCE,
        )
    return invitation


@transaction.atomic
def record_attendance(*, actor: User, invitation: Invitation, attendance: str) -> Invitation:
    """Record whether an invitee attended, sent apologies or did not attend."""
    _check_staff(actor, invitation.conference.authority_id)
    _check_convened(invitation.conference)
    if attendance not in Attendance.values:
        raise DomainError(_("Choose whether they attended"), field="attendance")
    invitation.attendance = attendance
    invitation.save(update_fields=["attendance"])
    return invitation


def quorum_for(conference: Conference, *, chair_reason: str = "") -> Any:
    """The quorum check of a conference from its recorded attendance (reads only)."""
    attendees = [
        Attendee(agency_id=i.agency_id, professional_group=i.professional_group)
        for i in conference.invitations.filter(
            invitee_kind=InviteeKind.AGENCY, attendance=Attendance.ATTENDED
        )
        if i.agency_id is not None
    ]
    return check_quorum(attendees, chair_reason=chair_reason)
