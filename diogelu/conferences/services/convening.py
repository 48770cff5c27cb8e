"""Convening a conference: initial (or pre-birth) from a section 47 enquiry, review from the
plan, transfer-in from another authority's register (WSP §3 step 7, §4).
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from diogelu import procedures
from diogelu.accounts.models import User
from diogelu.conferences.models import (
    Conference,
    ConferenceChild,
    ConferenceKind,
    ConferenceStatus,
    RegisterEpisode,
)
from diogelu.conferences.services._common import CHAIR_ROLES, _check_staff, _event, _past
from diogelu.core.exceptions import DomainError, NotPermittedError
from diogelu.core.texts import choice, msg, on_date
from diogelu.enquiries.models import Determination, Section47Enquiry
from diogelu.people.models import Person

# --- convening ----------------------------------------------------------------------------


@transaction.atomic
def convene_conference(
    *,
    actor: User,
    enquiries: Sequence[Section47Enquiry],
    kind: str = ConferenceKind.INITIAL,
    scheduled_for: datetime.datetime | None = None,
    chair: User | None = None,
    venue: str = "",
) -> Conference:
    """Convene the initial (or pre-birth) conference for the children whose section 47 enquiries
    ended in determination 3. Due within ``icpc.convene`` of the last strategy discussion.
    ``chair`` (a conference chair of the authority) and ``venue`` may be named now."""
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
    if chair is not None and not (
        chair.is_active
        and chair.is_local_authority_staff
        and chair.agency_id == authority_id
        and chair.has_role(*CHAIR_ROLES)
    ):
        raise DomainError(
            _("The chair must be a conference chair of the authority."), field="chair"
        )
    if len(venue.strip()) > 200:
        raise DomainError(_("The venue must be 200 characters or fewer"), field="venue")
    conference = Conference.objects.create(
        authority_id=authority_id,
        kind=kind,
        due_at=due.due_at,
        due_rule=due.rule.key,
        due_rule_version=due.rule.version,
        scheduled_for=scheduled_for,
        chair=chair,
        venue=venue.strip(),
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
            msg(
                gettext_noop("%(kind)s convened"),
                kind=choice(ConferenceKind(conference.kind).label),
            ),
            detail=msg(
                gettext_noop("Due by %(due)s"), due=on_date(procedures.local_date(due.due_at))
            ),
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
    from diogelu.conferences.due import review_due

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
        _event(
            actor,
            episode.person_id,
            msg(gettext_noop("Review child protection conference convened")),
        )
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
            msg(gettext_noop("Transfer-in child protection conference convened")),
            detail=(
                msg(
                    gettext_noop("On the register of %(authority)s"),
                    authority=from_authority.strip()[:200],
                )
                if from_authority.strip()
                else ""
            ),
        )
    return conference
