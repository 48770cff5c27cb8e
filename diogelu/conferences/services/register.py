"""The child protection register: registering and continuing an episode, its core group,
de-registration, and the register check partner agencies may make.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from diogelu import procedures
from diogelu.access.models import Basis, Channel, Involvement, InvolvementReason, Part
from diogelu.access.services import log_reads
from diogelu.accounts.models import Agency, User
from diogelu.chronology.models import Audience, EventKind
from diogelu.conferences import hooks
from diogelu.conferences.models import (
    AUTOMATIC_END_REASONS,
    Category,
    Conference,
    CoreGroupMember,
    EndReason,
    RegisterCategory,
    RegisterCheck,
    RegisterEpisode,
)
from diogelu.conferences.services._common import (
    MAX_TEXT,
    PARTNER_PARTS,
    REGISTER_CHECK_KINDS,
    REGISTER_CHECK_ROLES,
    _check_staff,
    _Checked,
    _event,
    _past,
    _text,
)
from diogelu.core import extensions
from diogelu.core.exceptions import DomainError, NotPermittedError
from diogelu.core.texts import choice, lines, msg, written
from diogelu.notifications.models import Kind
from diogelu.notifications.services import enqueue
from diogelu.people.models import Person
from diogelu.people.validators import nhs_number_is_valid


def _add_members(
    actor: User,
    episode: RegisterEpisode,
    conference: Conference,
    members: Iterable[dict[str, Any]],
    at: datetime.datetime,
) -> None:
    for m in members:
        agency: Agency | None = m["agency"]
        involvement = None
        if agency is not None and agency.pk != conference.authority_id:
            involvement = Involvement.objects.create(
                person_id=episode.person_id,
                agency=agency,
                user=m["user"],
                reason=InvolvementReason.CORE_GROUP_MEMBER,
                parts=PARTNER_PARTS,
                recorded_by=actor,
                note=f"register:{episode.pk}",
            )
        CoreGroupMember.objects.create(
            episode=episode,
            named_by=conference,
            agency=agency,
            user=m["user"],
            person=m["person"],
            name=m["name"],
            role=m["role"],
            started_at=at,
            involvement=involvement,
        )


def _end_members(episode: RegisterEpisode, at: datetime.datetime) -> None:
    """End the core group's membership (and each member's involvement, now)."""
    now = timezone.now()
    for member in episode.core_group.filter(ended_at__isnull=True).select_related("involvement"):
        member.ended_at = at
        member.save(update_fields=["ended_at"])
        involvement = member.involvement
        if involvement is not None and (involvement.ended_at is None or involvement.ended_at > now):
            involvement.ended_at = now
            involvement.save(update_fields=["ended_at"])


def _end_conference_involvements(person_id: int) -> None:
    """End, now, every conference-invitee and core-group involvement with the child (access
    cannot end in the past, so the end is when it is recorded)."""
    now = timezone.now()
    Involvement.objects.filter(
        person_id=person_id,
        reason__in=[InvolvementReason.CONFERENCE_INVITEE, InvolvementReason.CORE_GROUP_MEMBER],
    ).filter(Q(ended_at__isnull=True) | Q(ended_at__gt=now)).update(ended_at=now)


def _register(
    actor: User, conference: Conference, checked: _Checked, at: datetime.datetime
) -> RegisterEpisode:
    child = checked.child
    previous = (
        RegisterEpisode.objects.filter(person_id=child.person_id, ended_at__isnull=False)
        .order_by("-ended_at")
        .first()
    )
    lead: User = checked.data["lead_practitioner"]
    episode = RegisterEpisode.objects.create(
        person_id=child.person_id,
        authority_id=conference.authority_id,
        started_at=at,
        conference=conference,
        lead_practitioner=lead,
        previous_episode=previous,
    )
    for category in checked.categories:
        RegisterCategory.objects.create(
            episode=episode, category=category, from_at=at, conference=conference
        )
    members = list(checked.core_group)
    if not any(m["user"] is not None and m["user"].pk == lead.pk for m in members):
        members.insert(
            0,
            {
                "user": lead,
                "agency": lead.agency,
                "person": None,
                "name": str(lead),
                "role": _("Lead practitioner"),
            },
        )
    _add_members(actor, episode, conference, members, at)
    hooks.registered(episode)  # plans makes the child's plan (ADR 0405)
    child.episode = episode
    child.save(update_fields=["episode"])
    labels = lines(*(choice(Category(c).label) for c in checked.categories), sep=", ")
    title = msg(
        gettext_noop("Re-registered on the child protection register: %(categories)s")
        if previous is not None
        else gettext_noop("Placed on the child protection register: %(categories)s"),
        categories=labels,
    )
    _event(
        actor,
        child.person_id,
        title,
        kind=EventKind.REGISTER,
        occurred_at=at,
        detail=checked.data["reasons"],
        audience=Audience.ALL_INVOLVED,
        significant=True,
    )
    _tell_oversight(extensions.WORK_STARTED, actor, episode, at, written(title), worker=lead)
    return episode


def _tell_oversight(
    name: str,
    actor: User,
    episode: RegisterEpisode,
    at: datetime.datetime,
    reason: str,
    *,
    worker: User | None = None,
    proposed_by: User | None = None,
) -> None:
    """Tell the oversight apps (without importing them): a registration starts child protection
    work (the child's case opens if none is open); a removal from the register is a decision
    kept in the child's approval history."""
    extensions.workflow_event(
        extensions.WorkflowEvent(
            name=name,
            kind="CHILD_PROTECTION" if name == extensions.WORK_STARTED else "DEREGISTRATION",
            source=f"conferences.episode:{episode.pk}",
            person_ids=(episode.person_id,),
            authority_id=episode.authority_id,
            actor=actor,
            at=at,
            worker=worker,
            proposed_by=proposed_by,
            reason=reason,
            link=f"/people/{episode.person_id}/",
        )
    )


def _end_episode(
    actor: User,
    episode: RegisterEpisode,
    *,
    reason: str,
    at: datetime.datetime,
    note: str,
    conference: Conference | None = None,
) -> RegisterEpisode:
    episode.ended_at = at
    episode.end_reason = reason
    episode.end_note = note[:MAX_TEXT]
    episode.ending_conference = conference
    episode.ended_by = actor
    episode.save(
        update_fields=["ended_at", "end_reason", "end_note", "ending_conference", "ended_by"]
    )
    episode.categories.filter(to_at__isnull=True).update(to_at=at)
    members = list(episode.core_group.filter(ended_at__isnull=True, user__isnull=False))
    _end_members(episode, at)
    _end_conference_involvements(episode.person_id)
    _event(
        actor,
        episode.person_id,
        msg(
            gettext_noop("Removed from the child protection register: %(reason)s"),
            reason=choice(EndReason(reason).label),
        ),
        kind=EventKind.REGISTER,
        occurred_at=at,
        detail=note,
        audience=Audience.ALL_INVOLVED,
        significant=True,
    )
    for member in members:
        if member.user is not None and member.user.pk != actor.pk:
            enqueue(
                kind=Kind.REMINDER,
                dedupe_key=f"deregistered:{episode.pk}:{member.user.pk}",
                subject=_("A child has been removed from the child protection register"),
                user=member.user,
            )
    _tell_oversight(
        extensions.APPROVAL_APPROVED,
        actor,
        episode,
        at,
        f"{EndReason(reason).label}. {note}".strip(),
        proposed_by=(conference.chair if conference is not None else None) or actor,
    )
    return episode


def _continue(
    actor: User, conference: Conference, checked: _Checked, at: datetime.datetime
) -> None:
    """A review keeps the child registered: update categories, lead and core group."""
    episode = checked.child.episode
    assert episode is not None
    current = set(episode.current_categories())
    wanted = set(checked.categories)
    episode.categories.filter(to_at__isnull=True, category__in=current - wanted).update(to_at=at)
    for category in sorted(wanted - current):
        RegisterCategory.objects.create(
            episode=episode, category=category, from_at=at, conference=conference
        )
    lead: User = checked.data["lead_practitioner"]
    if lead.pk != episode.lead_practitioner_id:
        episode.lead_practitioner = lead
        episode.save(update_fields=["lead_practitioner"])
    if checked.core_group:
        _end_members(episode, at)
        members = list(checked.core_group)
        if not any(m["user"] is not None and m["user"].pk == lead.pk for m in members):
            members.insert(
                0,
                {
                    "user": lead,
                    "agency": lead.agency,
                    "person": None,
                    "name": str(lead),
                    "role": _("Lead practitioner"),
                },
            )
        _add_members(actor, episode, conference, members, at)
    if wanted != current:
        _event(
            actor,
            episode.person_id,
            msg(gettext_noop("Register categories changed")),
            kind=EventKind.REGISTER,
            occurred_at=at,
            detail=lines(*(choice(Category(c).label) for c in sorted(wanted)), sep=", "),
            audience=Audience.ALL_INVOLVED,
            significant=True,
        )


@transaction.atomic
# --- the register -------------------------------------------------------------------------


@transaction.atomic
def end_registration(
    *,
    actor: User,
    episode: RegisterEpisode,
    reason: str,
    ended_at: datetime.datetime,
    note: str = "",
) -> RegisterEpisode:
    """Remove a child from the register for a reason that needs no review conference: they
    reached 18, died, left the UK permanently, or transferred to another authority after its
    transfer-in conference. Any other removal is a review conference decision."""
    _check_staff(actor, episode.authority_id)
    if not episode.is_open:
        raise DomainError(_("This child is no longer on the register."))
    if reason == EndReason.REVIEW_DECISION:
        raise DomainError(
            _("Only a review conference can decide to remove a child from the register."),
            field="reason",
        )
    if reason not in AUTOMATIC_END_REASONS:
        raise DomainError(_("Choose why the registration ends"), field="reason")
    _past(ended_at, "ended_at", _("The date must be in the past"))
    if ended_at < episode.started_at:
        raise DomainError(_("The date must be after the registration."), field="ended_at")
    person = episode.person
    text = note.strip()
    if reason == EndReason.AGE_18:
        dob = person.date_of_birth
        if dob is None:
            raise DomainError(_("The child's date of birth is not recorded."), field="reason")
        try:
            birthday = dob.replace(year=dob.year + 18)
        except ValueError:  # 29 February
            birthday = datetime.date(dob.year + 18, 3, 1)
        if procedures.local_date(ended_at) < birthday:
            raise DomainError(_("The child is not yet 18."), field="reason")
    elif reason == EndReason.DIED:
        if person.date_of_death is None and len(text) < 5:
            raise DomainError(_("Record the date of death or a note"), field="note")
    elif len(text) < 5:
        raise DomainError(_("Record what happened"), field="note")
    return _end_episode(actor, episode, reason=reason, at=ended_at, note=text)


@dataclass(frozen=True)
class RegisterAnswer:
    """All a register check reveals: on the register or not, since when, and whom to contact."""

    on_register: bool
    since: datetime.date | None = None
    contact_name: str = ""
    contact_phone: str = ""
    contact_agency: str = ""


@transaction.atomic
def check_register(
    *,
    actor: User,
    reason: str,
    nhs_number: str = "",
    given_name: str = "",
    family_name: str = "",
    date_of_birth: datetime.date | None = None,
    channel: str = Channel.PAGE,
) -> RegisterAnswer:
    """A health or police user checks whether a child is on the register (CP-IS style), by NHS
    number or by name and date of birth, in the authorities their agency works with.

    The answer says only whether the child is on the register, since when and whom to contact.
    A matched child's check is written to the access log (basis ``REGISTER_CHECK``) and the lead
    practitioner is told. No match and "not on the register" give the same answer.
    """
    agency = actor.agency
    if (
        agency is None
        or agency.kind not in REGISTER_CHECK_KINDS
        or not actor.has_role(*REGISTER_CHECK_ROLES)
    ):
        raise NotPermittedError(_("Only health and police practitioners can check the register."))
    why = _text(reason, 5, _("Say why you are checking"), "reason")[:300]
    authorities = list(agency.partner_of.values_list("pk", flat=True))
    people = Person.objects.filter(authority_id__in=authorities, merged_into__isnull=True)
    digits = "".join(ch for ch in nhs_number if ch.isdigit())
    if digits:
        if len(digits) != 10:
            raise DomainError(_("An NHS number has 10 digits"), field="nhs_number")
        if not nhs_number_is_valid(digits):
            # A mistyped number must never answer "not on the register".
            raise DomainError(
                _(
                    "This is not a valid NHS number: its check digit does not match. "
                    "Check the number and try again, or use the name and date of birth"
                ),
                field="nhs_number",
            )
        matches = list(people.filter(nhs_number=digits)[:2])
    elif given_name.strip() and family_name.strip() and date_of_birth is not None:
        matches = list(
            people.filter(
                given_name__iexact=given_name.strip(),
                family_name__iexact=family_name.strip(),
                date_of_birth=date_of_birth,
            )[:2]
        )
    else:
        raise DomainError(
            _("Enter the NHS number, or the name and date of birth"), field="nhs_number"
        )
    person = matches[0] if len(matches) == 1 else None
    episode = (
        RegisterEpisode.objects.filter(person=person, ended_at__isnull=True)
        .select_related("lead_practitioner__agency")
        .first()
        if person is not None
        else None
    )
    check = RegisterCheck.objects.create(
        user=actor, agency=agency, reason=why, person=person, on_register=episode is not None
    )
    if person is not None:
        log_reads(
            actor,
            [person],
            part=Part.SUMMARY,
            route="conferences:register-check",
            channel=channel,
            fallback_basis=Basis.REGISTER_CHECK,
        )
    if episode is None:
        return RegisterAnswer(on_register=False)
    lead = episode.lead_practitioner
    enqueue(
        kind=Kind.REMINDER,
        dedupe_key=f"register-check:{check.pk}",
        subject=_("%(agency)s checked the register for a child you lead on")
        % {"agency": agency.name},
        body=why,
        user=lead,
    )
    return RegisterAnswer(
        on_register=True,
        since=procedures.local_date(episode.started_at),
        contact_name=str(lead),
        contact_phone=lead.phone,
        contact_agency=lead.agency.name if lead.agency else "",
    )


def open_episode(person: Person) -> RegisterEpisode | None:
    """The child's current register episode, if on the register."""
    return RegisterEpisode.objects.filter(person=person, ended_at__isnull=True).first()
