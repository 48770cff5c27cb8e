"""Child protection conferences and the register: the practice actions (WSP §3 steps 7–8, §4).

Every service: keyword-only arguments with ``actor`` first, one transaction, validate → write →
chronology event → outbox notification. Timescales come from ``procedures`` rules only.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from diogelu import procedures
from diogelu.access.models import Basis, Channel, Involvement, InvolvementReason, Part
from diogelu.access.services import log_reads
from diogelu.accounts.models import PARTNER_WORK_ROLES, Agency, AgencyKind, Role, User
from diogelu.chronology.models import Audience, EventKind
from diogelu.chronology.services import add_case_event
from diogelu.conferences.models import (
    AUTOMATIC_END_REASONS,
    REGISTERING_KINDS,
    Attendance,
    Category,
    Circulation,
    Conference,
    ConferenceChild,
    ConferenceDecision,
    ConferenceKind,
    ConferenceStatus,
    CoreGroupMember,
    EndReason,
    Invitation,
    InviteeKind,
    RecipientKind,
    RegisterCategory,
    RegisterCheck,
    RegisterEpisode,
    ViewsMethod,
)
from diogelu.conferences.quorum import Attendee, check_quorum
from diogelu.core.exceptions import DomainError, NotPermittedError
from diogelu.enquiries.models import Determination, Section47Enquiry
from diogelu.notifications.models import Kind
from diogelu.notifications.services import enqueue
from diogelu.people.models import Person
from diogelu.people.validators import nhs_number_is_valid

MAX_TEXT = 20_000
MIN_REASONS = 10
SOCIAL_WORK_ROLES = frozenset(
    {Role.SOCIAL_WORKER, Role.TEAM_MANAGER, Role.HEAD_OF_SERVICE, Role.CONFERENCE_CHAIR}
)
CHAIR_ROLES = frozenset({Role.CONFERENCE_CHAIR, Role.TEAM_MANAGER, Role.HEAD_OF_SERVICE})
LEAD_ROLES = frozenset({Role.SOCIAL_WORKER, Role.TEAM_MANAGER})
#: Parts of the record a conference invitee or core group member agency sees.
PARTNER_PARTS = [Part.SUMMARY, Part.CHRONOLOGY]
#: Partner roles that may check the register (health and police, in the spirit of CP-IS).
REGISTER_CHECK_KINDS = frozenset({AgencyKind.HEALTH, AgencyKind.POLICE})
REGISTER_CHECK_ROLES = frozenset(
    {Role.HEALTH_PRACTITIONER, Role.POLICE_OFFICER, Role.AGENCY_SAFEGUARDING_LEAD}
)


# --- checks -------------------------------------------------------------------------------


def _check_staff(actor: User, authority_id: int, roles: frozenset[str] = SOCIAL_WORK_ROLES) -> None:
    if not (
        actor.is_local_authority_staff
        and actor.agency_id == authority_id
        and actor.has_role(*roles)
    ):
        raise NotPermittedError(_("Only the local authority's social services can do this."))


def _past(moment: datetime.datetime | None, field: str, message: str) -> datetime.datetime:
    if moment is None or timezone.is_naive(moment) or moment > timezone.now():
        raise DomainError(message, field=field)
    return moment


def _text(value: Any, minimum: int, message: str, field: str) -> str:
    text = str(value or "").strip()
    if len(text) < minimum:
        raise DomainError(message, field=field)
    return text[:MAX_TEXT]


def _event(
    actor: User,
    person_id: int,
    title: str,
    *,
    kind: str = EventKind.CONFERENCE,
    occurred_at: datetime.datetime | None = None,
    detail: str = "",
    audience: str = Audience.LOCAL_AUTHORITY,
    significant: bool = False,
) -> None:
    add_case_event(
        actor=actor,
        person_id=person_id,
        kind=kind,
        title=title,
        occurred_at=occurred_at or timezone.now(),
        detail=detail[:2000],
        audience=audience,
        is_significant=significant,
    )


def _note(conference: Conference) -> str:
    return f"conference:{conference.pk}"


# --- convening ----------------------------------------------------------------------------


@transaction.atomic
def convene_conference(
    *,
    actor: User,
    enquiries: Sequence[Section47Enquiry],
    kind: str = ConferenceKind.INITIAL,
    scheduled_for: datetime.datetime | None = None,
) -> Conference:
    """Convene the initial (or pre-birth) conference for the children whose section 47 enquiries
    ended in determination 3. Due within ``icpc.convene`` of the last strategy discussion."""
    if kind not in (ConferenceKind.INITIAL, ConferenceKind.PRE_BIRTH):
        raise DomainError(_("Choose an initial or pre-birth conference"), field="kind")
    if not enquiries:
        raise DomainError(_("Choose the children the conference is about"), field="enquiries")
    authorities = {e.report.authority_id for e in enquiries}
    if len(authorities) != 1:
        raise DomainError(_("A conference is held by one local authority."), field="enquiries")
    authority_id = authorities.pop()
    _check_staff(actor, authority_id)
    if len({e.person_id for e in enquiries}) != len(enquiries):
        raise DomainError(_("Each child appears once."), field="enquiries")
    dues: list[procedures.Due] = []
    for enquiry in enquiries:
        if enquiry.determination != Determination.CONTINUING_RISK:
            raise DomainError(
                _("A conference follows a determination 3 (continuing risk of significant harm)."),
                field="enquiries",
            )
        if (
            ConferenceChild.objects.filter(enquiry=enquiry)
            .exclude(conference__status=ConferenceStatus.CANCELLED)
            .exists()
        ):
            raise DomainError(
                _("A conference has already been convened for this enquiry."), field="enquiries"
            )
        if kind == ConferenceKind.PRE_BIRTH and not enquiry.person.is_unborn:
            raise DomainError(_("A pre-birth conference is about an unborn child."), field="kind")
        last = enquiry.report.strategy_discussions.order_by("-held_at").first()
        if last is None:
            raise DomainError(_("There is no strategy discussion for this enquiry."))
        dues.append(procedures.due("icpc.convene", last.held_at))
    due = min(dues, key=lambda d: d.due_at)
    if scheduled_for is not None and timezone.is_naive(scheduled_for):
        raise DomainError(_("Enter the date and time of the conference"), field="scheduled_for")
    conference = Conference.objects.create(
        authority_id=authority_id,
        kind=kind,
        due_at=due.due_at,
        due_rule=due.rule.key,
        due_rule_version=due.rule.version,
        scheduled_for=scheduled_for,
        convened_by=actor,
    )
    conference.enquiries.set(enquiries)
    for enquiry in enquiries:
        ConferenceChild.objects.create(
            conference=conference, person_id=enquiry.person_id, enquiry=enquiry
        )
        _event(
            actor,
            enquiry.person_id,
            _("%(kind)s convened") % {"kind": conference.get_kind_display()},
            detail=_("Due by %(due)s") % {"due": procedures.local_date(due.due_at).isoformat()},
        )
    return conference


@transaction.atomic
def convene_review_conference(
    *,
    actor: User,
    episodes: Sequence[RegisterEpisode],
    scheduled_for: datetime.datetime | None = None,
) -> Conference:
    """Convene a review conference for registered children: due ``review.first`` after the
    registering conference, then ``review.interval`` after the last review."""
    from diogelu.plans.due import review_due

    if not episodes:
        raise DomainError(_("Choose the children the conference is about"), field="episodes")
    if len({e.authority_id for e in episodes}) != 1:
        raise DomainError(_("A conference is held by one local authority."), field="episodes")
    _check_staff(actor, episodes[0].authority_id)
    for episode in episodes:
        if not episode.is_open:
            raise DomainError(_("This child is not on the register."), field="episodes")
        if (
            ConferenceChild.objects.filter(
                episode=episode, conference__status=ConferenceStatus.CONVENED
            )
            .exclude(conference_id=episode.conference_id)
            .exists()
        ):
            raise DomainError(_("A review is already convened for this child."), field="episodes")
    dues = [review_due(e) for e in episodes]
    due = min(dues, key=lambda d: d.due_at)
    previous = (
        Conference.objects.filter(children__episode__in=episodes, status=ConferenceStatus.HELD)
        .order_by("-held_at")
        .first()
    )
    conference = Conference.objects.create(
        authority_id=episodes[0].authority_id,
        kind=ConferenceKind.REVIEW,
        previous=previous,
        due_at=due.due_at,
        due_rule=due.rule.key,
        due_rule_version=due.rule.version,
        scheduled_for=scheduled_for,
        convened_by=actor,
    )
    for episode in episodes:
        ConferenceChild.objects.create(
            conference=conference, person_id=episode.person_id, episode=episode
        )
        _event(actor, episode.person_id, _("Review child protection conference convened"))
    return conference


@transaction.atomic
def convene_transfer_in_conference(
    *,
    actor: User,
    people: Sequence[Person],
    notified_at: datetime.datetime,
    scheduled_for: datetime.datetime | None = None,
    from_authority: str = "",
) -> Conference:
    """Convene the receiving authority's conference for children on another authority's
    register who moved here permanently: due ``transfer_in.conference`` after notification."""
    if not people:
        raise DomainError(_("Choose the children the conference is about"), field="people")
    assert actor.agency_id is not None
    _check_staff(actor, actor.agency_id)
    _past(notified_at, "notified_at", _("The date of notification must be in the past"))
    for person in people:
        if person.authority_id != actor.agency_id:
            raise NotPermittedError(_("Only the child's local authority can do this."))
        if RegisterEpisode.objects.filter(person=person, ended_at__isnull=True).exists():
            raise DomainError(_("This child is already on the register here."), field="people")
    due = procedures.due("transfer_in.conference", notified_at)
    conference = Conference.objects.create(
        authority_id=actor.agency_id,
        kind=ConferenceKind.TRANSFER_IN,
        notified_at=notified_at,
        due_at=due.due_at,
        due_rule=due.rule.key,
        due_rule_version=due.rule.version,
        scheduled_for=scheduled_for,
        convened_by=actor,
    )
    for person in people:
        ConferenceChild.objects.create(conference=conference, person=person)
        _event(
            actor,
            person.pk,
            _("Transfer-in child protection conference convened"),
            detail=(
                _("On the register of %(authority)s") % {"authority": from_authority.strip()[:200]}
                if from_authority.strip()
                else ""
            ),
        )
    return conference


# --- invitations, reports, attendance -----------------------------------------------------


def _check_convened(conference: Conference) -> None:
    if conference.status != ConferenceStatus.CONVENED:
        raise DomainError(_("This conference has already been held or was cancelled."))


def _invitation_subject(conference: Conference, children: Sequence[Any]) -> str:
    """The invitation's subject: the children's references (never their names, which the app
    shows to those who may see them), the date and time."""
    from diogelu.core.presenters import format_datetime

    refs = ", ".join(sorted(c.person.la_reference for c in children if c.person_id))
    when = conference.scheduled_for or conference.due_at
    return _("Invitation: child protection conference for %(refs)s on %(when)s") % {
        "refs": refs or _("a child"),
        "when": format_datetime(when),
    }


def _invitation_body(conference: Conference) -> str:
    venue = str(getattr(conference, "venue", "") or "").strip()
    where = (
        _("Venue: %(venue)s.") % {"venue": venue}
        if venue
        else _("The venue will be confirmed by the conference administrator.")
    )
    return where + " " + _("Please send your report before the conference and say who will attend.")


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
        if user is not None and user.agency_id != agency.pk:
            raise DomainError(_("The practitioner must belong to the agency."), field="user")
        is_partner = agency.partner_of.filter(pk=conference.authority_id).exists()
        if agency.pk != conference.authority_id and not is_partner:
            raise DomainError(
                _("The agency is not a partner of this local authority."), field="agency"
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
        elif person is not None and person.authority_id != conference.authority_id:
            raise DomainError(_("Choose a family member"), field="person")
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
            subject=_invitation_subject(conference, children),
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
            _("Advocacy offered for the conference"),
            detail=(
                ""
                if advocacy_accepted is None
                else (_("Accepted") if advocacy_accepted else _("Declined"))
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
            _("Conference report from %(agency)s") % {"agency": invitation.name},
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


# --- holding the conference ---------------------------------------------------------------


@dataclass
class _Checked:
    child: ConferenceChild
    data: dict[str, Any]
    categories: list[str]
    core_group: list[dict[str, Any]]


def _check_member(member: dict[str, Any], authority_id: int) -> dict[str, Any]:
    user = member.get("user")
    agency = member.get("agency") or (user.agency if user is not None else None)
    person = member.get("person")
    name = str(member.get("name", "")).strip() or str(user or person or agency or "")
    if not name:
        raise DomainError(_("Name each core group member"), field="core_group")
    if user is not None and agency is not None and user.agency_id != agency.pk:
        raise DomainError(_("A member must belong to their agency."), field="core_group")
    if (
        agency is not None
        and agency.pk != authority_id
        and not agency.partner_of.filter(pk=authority_id).exists()
    ):
        raise DomainError(
            _("A core group agency must be a partner of this local authority."),
            field="core_group",
        )
    return {"user": user, "agency": agency, "person": person, "name": name[:200]} | {
        "role": str(member.get("role", ""))[:200]
    }


def _check_decision(
    conference: Conference, child: ConferenceChild, data: dict[str, Any]
) -> _Checked:
    held_at: datetime.datetime = data["_held_at"]
    held_on = procedures.local_date(held_at)
    method = data.get("views_method", "")
    if method not in ViewsMethod.values:
        raise DomainError(_("Say how the child's views were obtained"), field="views_method")
    data["child_views"] = _text(
        data.get("child_views"),
        2,
        _("Record the child's views, or why they could not be obtained"),
        "child_views",
    )
    data["parents_views"] = str(data.get("parents_views", "")).strip()[:MAX_TEXT]
    register = data.get("register")
    if not isinstance(register, bool):
        raise DomainError(_("Choose whether the child is registered"), field="register")
    is_review = conference.kind == ConferenceKind.REVIEW
    if is_review and not register:
        data["reasons"] = _text(
            data.get("reasons"),
            MIN_REASONS,
            _(
                "Give the reasons for removing the child from the register, with the evidence "
                "of change in their lived experience"
            ),
            "reasons",
        )
    else:
        data["reasons"] = _text(
            data.get("reasons"), MIN_REASONS, _("Give the reasons for the decision"), "reasons"
        )
    categories = sorted(set(data.get("categories") or []))
    if not register:
        if categories:
            raise DomainError(
                _("Categories are chosen only when the child is registered"), field="categories"
            )
        return _Checked(child, data, [], [])
    if not categories:
        raise DomainError(
            _("Choose at least one category of abuse or neglect to register the child"),
            field="categories",
        )
    if any(c not in Category.values for c in categories):
        raise DomainError(_("Choose categories from the list"), field="categories")
    lead = data.get("lead_practitioner")
    if (
        not isinstance(lead, User)
        or lead.agency_id != conference.authority_id
        or not lead.has_role(*LEAD_ROLES)
    ):
        raise DomainError(
            _("Name the lead practitioner, a social worker of the authority"),
            field="lead_practitioner",
        )
    data["contingency_plan"] = _text(
        data.get("contingency_plan"), MIN_REASONS, _("Set a contingency plan"), "contingency_plan"
    )
    if is_review:
        review_rule = "review.interval"
    else:
        review_rule = "review.first"
        first_cg = data.get("first_core_group_on")
        latest_cg = procedures.due("core_group.first", held_at).due_on
        if not isinstance(first_cg, datetime.date) or not held_on <= first_cg <= latest_cg:
            raise DomainError(
                _("Set the first core group no later than %(date)s (%(rule)s)")
                % {
                    "date": latest_cg.isoformat(),
                    "rule": procedures.get_rule("core_group.first").describe(),
                },
                field="first_core_group_on",
            )
    review_on = data.get("review_on")
    latest_review = procedures.due(review_rule, held_at).due_on
    if not isinstance(review_on, datetime.date) or not held_on < review_on <= latest_review:
        raise DomainError(
            _("Set the review conference no later than %(date)s (%(rule)s)")
            % {
                "date": latest_review.isoformat(),
                "rule": procedures.get_rule(review_rule).describe(),
            },
            field="review_on",
        )
    if is_review:
        if child.episode is None or not child.episode.is_open:
            raise DomainError(_("This child is not on the register."))
    elif RegisterEpisode.objects.filter(person_id=child.person_id, ended_at__isnull=True).exists():
        raise DomainError(_("This child is already on the register."), field="register")
    members = [_check_member(m, conference.authority_id) for m in data.get("core_group") or []]
    if not is_review and not members:
        raise DomainError(_("Name the core group members"), field="core_group")
    return _Checked(child, data, categories, members)


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
    from diogelu.plans.models import Plan

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
    Plan.objects.create(person_id=child.person_id, episode=episode)
    child.episode = episode
    child.save(update_fields=["episode"])
    labels = ", ".join(str(Category(c).label) for c in checked.categories)
    title = _("Placed on the child protection register: %(categories)s") % {"categories": labels}
    if previous is not None:
        title = _("Re-registered on the child protection register: %(categories)s") % {
            "categories": labels
        }
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
    return episode


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
        _("Removed from the child protection register: %(reason)s")
        % {"reason": EndReason(reason).label},
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
            _("Register categories changed"),
            kind=EventKind.REGISTER,
            occurred_at=at,
            detail=", ".join(str(Category(c).label) for c in sorted(wanted)),
            audience=Audience.ALL_INVOLVED,
            significant=True,
        )


@transaction.atomic
def hold_conference(
    *,
    actor: User,
    conference: Conference,
    held_at: datetime.datetime,
    chair: User,
    decisions: Sequence[dict[str, Any]],
    quorum_reason: str = "",
    summary: str = "",
) -> Conference:
    """Record a conference held: the chair, the quorum, each child's views and the decision for
    each child, registering (or, at a review, keeping on or removing from) the register.

    ``decisions``: one dict per child with ``child`` (ConferenceChild), ``child_views``,
    ``views_method`` (ViewsMethod), ``parents_views``, ``register`` (bool), ``categories``,
    ``reasons``, ``lead_practitioner`` (User), ``core_group`` (dicts with ``user``/``agency``/
    ``person``, ``name``, ``role``), ``first_core_group_on``, ``review_on`` (dates),
    ``contingency_plan``, ``dissent``, ``progress`` (review), ``decided_by_chair``.
    """
    _check_staff(actor, conference.authority_id)
    _check_convened(conference)
    _past(held_at, "held_at", _("The date the conference was held must be in the past"))
    if not (
        chair.is_local_authority_staff
        and chair.agency_id == conference.authority_id
        and chair.has_role(*CHAIR_ROLES)
    ):
        raise DomainError(
            _("The chair must be a conference chair of the authority."), field="chair"
        )
    enquiries = list(conference.enquiries.all())
    if any(e.determined_at and held_at < e.determined_at for e in enquiries):
        raise DomainError(_("A conference follows the determination."), field="held_at")
    if conference.kind == ConferenceKind.REVIEW:
        for child in conference.children.select_related("episode__conference"):
            episode = child.episode
            registered_at = episode.conference.held_at if episode is not None else None
            if registered_at is not None and held_at <= registered_at:
                raise DomainError(
                    _("A review follows the conference that registered the child."),
                    field="held_at",
                )
    if conference.invitations.filter(attendance="").exists():
        raise DomainError(_("Record attendance for every invitee first."), field="attendance")
    quorum = quorum_for(conference, chair_reason=quorum_reason)
    if not quorum.is_quorate:
        raise DomainError(quorum.message, field="quorum_reason")
    children = {c.pk: c for c in conference.children.select_related("episode")}
    given = {d["child"].pk for d in decisions}
    if given != set(children) or len(decisions) != len(children):
        raise DomainError(_("Record a decision for each child."), field="decisions")
    checked = []
    for d in decisions:
        child = children[d["child"].pk]
        try:
            checked.append(_check_decision(conference, child, {**d, "_held_at": held_at}))
        except DomainError as exc:
            exc.item = child
            raise
    conference.status = ConferenceStatus.HELD
    conference.held_at = held_at
    conference.chair = chair
    conference.quorum_groups = quorum.groups
    conference.is_quorate = True
    conference.quorum_reason = quorum_reason.strip()[:MAX_TEXT] if quorum.needs_chair_reason else ""
    conference.summary = summary.strip()[:MAX_TEXT]
    record_due = procedures.due("icpc.circulate_record", held_at)
    conference.record_due_at = record_due.due_at
    conference.record_due_rule_version = record_due.rule.version
    conference.save()
    for c in checked:
        child, data = c.child, c.data
        child.child_views = data["child_views"]
        child.views_method = data["views_method"]
        child.parents_views = data["parents_views"]
        child.save(update_fields=["child_views", "views_method", "parents_views"])
        ConferenceDecision.objects.create(
            child=child,
            register=data["register"],
            categories=c.categories,
            reasons=data["reasons"],
            progress=str(data.get("progress", "")).strip()[:MAX_TEXT],
            lead_practitioner=data.get("lead_practitioner") if data["register"] else None,
            first_core_group_on=data.get("first_core_group_on") if data["register"] else None,
            review_on=data.get("review_on") if data["register"] else None,
            contingency_plan=data.get("contingency_plan", "") if data["register"] else "",
            dissent=str(data.get("dissent", "")).strip()[:MAX_TEXT],
            decided_by_chair=bool(data.get("decided_by_chair")),
        )
        _event(
            actor,
            child.person_id,
            _("%(kind)s held") % {"kind": conference.get_kind_display()},
            occurred_at=held_at,
            detail=data["reasons"],
            audience=Audience.ALL_INVOLVED,
            significant=True,
        )
        if conference.kind in REGISTERING_KINDS:
            if data["register"]:
                episode = _register(actor, conference, c, held_at)
                enqueue(
                    kind=Kind.REMINDER,
                    dedupe_key=f"registered:{episode.pk}",
                    subject=_("You are the lead practitioner for a registered child"),
                    body=_("First core group by %(date)s.")
                    % {"date": data["first_core_group_on"].isoformat()},
                    user=data["lead_practitioner"],
                )
            else:
                # Not registered: invitees keep sight of the child only until the record is
                # due to have been circulated.
                _end_conference_involvements_for(conference, child.person_id, record_due.due_at)
        elif data["register"]:
            _continue(actor, conference, c, held_at)
        else:
            assert child.episode is not None
            _end_episode(
                actor,
                child.episode,
                reason=EndReason.REVIEW_DECISION,
                at=held_at,
                note=data["reasons"],
                conference=conference,
            )
    return conference


def _end_conference_involvements_for(
    conference: Conference, person_id: int, at: datetime.datetime
) -> None:
    Involvement.objects.filter(
        person_id=person_id,
        reason=InvolvementReason.CONFERENCE_INVITEE,
        note=_note(conference),
        ended_at__isnull=True,
    ).update(ended_at=at)


@transaction.atomic
def record_review_conference(
    *,
    actor: User,
    conference: Conference,
    held_at: datetime.datetime,
    chair: User,
    decisions: Sequence[dict[str, Any]],
    quorum_reason: str = "",
    summary: str = "",
) -> Conference:
    """Record a review conference: progress against the plan and the same decision set; a child
    comes off the register only with reasons."""
    if conference.kind != ConferenceKind.REVIEW:
        raise DomainError(_("This is not a review conference."))
    return hold_conference(
        actor=actor,
        conference=conference,
        held_at=held_at,
        chair=chair,
        decisions=decisions,
        quorum_reason=quorum_reason,
        summary=summary,
    )


@transaction.atomic
def record_transfer_in_conference(
    *,
    actor: User,
    conference: Conference,
    held_at: datetime.datetime,
    chair: User,
    decisions: Sequence[dict[str, Any]],
    quorum_reason: str = "",
    summary: str = "",
) -> Conference:
    """Record the receiving authority's transfer-in conference (same decision set as an ICPC)."""
    if conference.kind != ConferenceKind.TRANSFER_IN:
        raise DomainError(_("This is not a transfer-in conference."))
    return hold_conference(
        actor=actor,
        conference=conference,
        held_at=held_at,
        chair=chair,
        decisions=decisions,
        quorum_reason=quorum_reason,
        summary=summary,
    )


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
                subject=_("Child protection conference record to acknowledge"),
                body=_("Please read the record and outline plan and acknowledge them."),
                user=user,
                agency=agency if user is None else None,
                roles=() if user else PARTNER_WORK_ROLES,
            )
            if to_agency_id != conference.authority_id:
                for person_id in people:
                    Disclosure.objects.create(
                        kind=DisclosureKind.OUTCOME,
                        by_user=actor,
                        from_agency_id=conference.authority_id,
                        to_agency_id=to_agency_id,
                        to_user=user,
                        report=report,
                        person_id=person_id,
                        description=_("Child protection conference record and outline plan"),
                        lawful_basis=LawfulBasis.SAFEGUARDING,
                        object_id=conference.pk,
                    )
    if made and conference.record_circulated_at is None:
        conference.record_circulated_at = now
        conference.save(update_fields=["record_circulated_at"])
        for person_id in people:
            _event(actor, person_id, _("Conference record circulated"))
    return made


def may_acknowledge(user: User, circulation: Circulation) -> bool:
    """The recipient, a colleague at the recipient agency, or (for family members) the local
    authority's social services acting for them."""
    if circulation.recipient_user_id is not None:
        return circulation.recipient_user_id == user.pk
    if circulation.recipient_agency_id is not None:
        if circulation.recipient_agency_id != user.agency_id:
            return False
        if user.is_local_authority_staff:
            return user.has_role(*SOCIAL_WORK_ROLES)
        return user.has_role(*PARTNER_WORK_ROLES)
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
