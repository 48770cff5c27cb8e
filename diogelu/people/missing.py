"""Missing episodes: recording a child missing or absent, their return and the return interview.

The exploitation app reads these through ``MissingEpisode.objects.visible_to(user)`` and
:func:`episodes_in_period`.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from diogelu.access.models import Part
from diogelu.chronology.models import Audience, EventKind
from diogelu.chronology.services import add_case_event
from diogelu.core.concurrency import save_versioned
from diogelu.core.exceptions import DomainError, NotPermittedError
from diogelu.core.texts import msg
from diogelu.people.models import EpisodeKind, MissingEpisode

if TYPE_CHECKING:
    from diogelu.access.services import PersonAccess
    from diogelu.accounts.models import User
    from diogelu.people.models import Person


@dataclass(frozen=True)
class EpisodeDetails:
    kind: str
    started_at: datetime.datetime
    ended_at: datetime.datetime | None = None
    reported_to_police: bool = False
    police_reference: str = ""
    where_found: str = ""
    debrief_offered_on: datetime.date | None = None
    debrief_accepted: bool | None = None
    debrief_held_on: datetime.date | None = None
    debrief_by: str = ""
    childs_account: str = ""


FIELDS = [
    "kind",
    "started_at",
    "ended_at",
    "reported_to_police",
    "police_reference",
    "where_found",
    "debrief_offered_on",
    "debrief_accepted",
    "debrief_held_on",
    "debrief_by",
    "childs_account",
]


def may_record(user: User, access: PersonAccess) -> bool:
    """Local authority staff and involved partners who see the chronology record episodes."""
    return access.may_see(Part.CHRONOLOGY) and user.agency_id is not None


def _validate(d: EpisodeDetails) -> None:
    now = timezone.now()
    if d.kind not in EpisodeKind.values:
        raise DomainError(_("Choose whether the child was missing or absent"), field="kind")
    if d.started_at > now:
        raise DomainError(_("The time they went missing must be in the past"), field="started_at")
    if d.ended_at is not None:
        if d.ended_at < d.started_at:
            raise DomainError(
                _("The time they returned must be after the time they went missing"),
                field="ended_at",
            )
        if d.ended_at > now:
            raise DomainError(_("The time they returned must be in the past"), field="ended_at")
    start_day = timezone.localdate(d.started_at)
    for name, day in (
        ("debrief_offered_on", d.debrief_offered_on),
        ("debrief_held_on", d.debrief_held_on),
    ):
        if day is not None and day < start_day:
            raise DomainError(
                _("The return interview dates must be after the child went missing"), field=name
            )
    if d.debrief_held_on is not None and d.debrief_accepted is False:
        raise DomainError(
            _("A return interview that was declined cannot have been held"), field="debrief_held_on"
        )
    if d.debrief_held_on is not None and d.ended_at is None:
        raise DomainError(
            _("Enter when the child returned before recording the return interview"),
            field="ended_at",
        )
    if d.debrief_held_on is not None and not d.debrief_by.strip():
        raise DomainError(_("Enter who held the return interview"), field="debrief_by")


def _summary(episode: MissingEpisode) -> str:
    from diogelu.core.presenters import format_datetime

    lines = [str(episode.get_kind_display()) + " " + format_datetime(episode.started_at)]
    if episode.ended_at:
        lines.append(_("Returned %(when)s") % {"when": format_datetime(episode.ended_at)})
    if episode.where_found:
        lines.append(_("Found: %(where)s") % {"where": episode.where_found})
    if episode.reported_to_police:
        lines.append(_("Reported to the police"))
    if episode.debrief_held_on:
        lines.append(_("Return interview held by %(by)s") % {"by": episode.debrief_by})
    return "\n".join(lines)


#: Listeners other apps register (``register_episode_listener``) without people knowing them:
#: each is called as ``listener(actor, episode)`` after an episode is recorded or changed, in
#: the same transaction (the exploitation app prompts a screening and finds named contexts).
EpisodeListener = Callable[["User", MissingEpisode], None]
_LISTENERS: list[EpisodeListener] = []


def register_episode_listener(listener: EpisodeListener) -> None:
    if listener not in _LISTENERS:
        _LISTENERS.append(listener)


def _tell_listeners(actor: User, episode: MissingEpisode) -> None:
    for listener in _LISTENERS:
        listener(actor, episode)


@transaction.atomic
def record_missing_episode(
    *, actor: User, access: PersonAccess, details: EpisodeDetails
) -> MissingEpisode:
    if not may_record(actor, access):
        raise NotPermittedError(_("You cannot record a missing episode for this child."))
    _validate(details)
    assert actor.agency_id is not None
    episode = MissingEpisode(person=access.person, agency_id=actor.agency_id, recorded_by=actor)
    for name in FIELDS:
        setattr(episode, name, getattr(details, name))
    episode.police_reference = episode.police_reference.strip()
    episode.save()
    count = MissingEpisode.objects.filter(person=access.person).count()
    episode.event = add_case_event(
        actor=actor,
        person_id=access.person.pk,
        kind=EventKind.MISSING,
        title=msg(gettext_noop("Missing episode (number %(n)s)"), n=count),
        occurred_at=details.started_at,
        detail=_summary(episode),
        audience=Audience.ALL_INVOLVED,
    )
    episode.save(update_fields=["event"])
    _tell_listeners(actor, episode)
    return episode


@transaction.atomic
def update_missing_episode(
    *,
    actor: User,
    access: PersonAccess,
    episode: MissingEpisode,
    expected_version: int,
    details: EpisodeDetails,
) -> MissingEpisode:
    """Record the return, the interview and what the child said (a stale edit changes nothing)."""
    if not may_record(actor, access) or episode.person_id != access.person.pk:
        raise NotPermittedError(_("You cannot change this missing episode."))
    _validate(details)
    for name in FIELDS:
        setattr(episode, name, getattr(details, name))
    save_versioned(episode, expected_version=expected_version, fields=[*FIELDS, "updated_at"])
    if episode.event_id is not None:
        from diogelu.chronology.models import ChronologyEvent

        ChronologyEvent.objects.filter(pk=episode.event_id).update(
            detail=_summary(episode), occurred_at=details.started_at
        )
    _tell_listeners(actor, episode)
    return episode


def episodes_of(viewer: User, access: PersonAccess) -> list[MissingEpisode]:
    if not access.may_see(Part.CHRONOLOGY):
        return []
    return list(
        MissingEpisode.objects.visible_to(viewer)
        .filter(person=access.person)
        .select_related("agency", "recorded_by")
    )


def episode_of(viewer: User, access: PersonAccess, episode_id: object) -> MissingEpisode:
    """One of the person's episodes the viewer may see, or a domain error."""
    try:
        pk = int(str(episode_id))
    except (TypeError, ValueError):
        raise DomainError(_("Choose a missing episode")) from None
    found = [e for e in episodes_of(viewer, access) if e.pk == pk]
    if not found:
        raise DomainError(_("Choose a missing episode"))
    return found[0]


def episodes_in_period(
    viewer: User, person: Person, start: datetime.datetime, end: datetime.datetime
) -> int:
    """How many episodes of ``person`` visible to ``viewer`` began in ``[start, end)``."""
    return (
        MissingEpisode.objects.visible_to(viewer)
        .filter(person=person)
        .in_period(start, end)
        .count()
    )
