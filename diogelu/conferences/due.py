"""When a registered child's next core group and review conference are due (the register's
deadlines, from ``procedures`` rules), for pages, queues and reminders. Reads, never writes.

* ``core_group.first`` from the registering conference, then ``core_group.interval`` from the last
  core group held (the meetings are the plan's: read through ``episode.core_groups``).
* ``review.first`` from the registering conference, then ``review.interval`` from the last review
  conference held.
"""

from __future__ import annotations

from collections.abc import Iterable

from diogelu import procedures
from diogelu.conferences.models import (
    ConferenceChild,
    ConferenceKind,
    ConferenceStatus,
    RegisterEpisode,
)

#: What :func:`prefetch_conference_places` reads of each place and its conference: all that the
#: dues here and in ``plans.due`` use (reading another field of a prefetched place would cost a
#: query each).
PLACE_FIELDS = (
    "episode_id",
    "conference_id",
    "person_id",
    "conference__kind",
    "conference__status",
    "conference__held_at",
    "conference__scheduled_for",
)
#: Where :func:`prefetch_conference_places` keeps an episode's places for the calls that follow.
_PLACES = "_prefetched_conference_places"


def episode_conference_places(episode: RegisterEpisode) -> list[ConferenceChild]:
    """The conferences an episode's child was placed in, apart from the registering one (read
    once for many episodes by :func:`prefetch_conference_places`)."""
    cached: list[ConferenceChild] | None = getattr(episode, _PLACES, None)
    if cached is not None:
        return list(cached)
    return list(
        ConferenceChild.objects.filter(episode=episode)
        .exclude(conference_id=episode.conference_id)
        .select_related("conference")
    )


def prefetch_conference_places(episodes: Iterable[RegisterEpisode]) -> None:
    """Read the conference places of many episodes (a caseload, a team's register) in one query
    and keep each episode's on it, so :func:`episode_conference_places`, :func:`review_due` and
    the visits' review cycle ask nothing more per child (issue 17)."""
    episodes = list(episodes)
    by_episode: dict[int, list[ConferenceChild]] = {e.pk: [] for e in episodes}
    if episodes:
        # Only what the dues read of each conference (its kind, status and dates): whole rows
        # were half the time of a manager's overdue visits at a county (3,109 places).
        for place in (
            ConferenceChild.objects.filter(episode_id__in=list(by_episode))
            .select_related("conference")
            .only(*PLACE_FIELDS)
            .order_by("pk")
        ):
            by_episode[place.episode_id].append(place)  # type: ignore[index]
    for episode in episodes:
        setattr(
            episode,
            _PLACES,
            [p for p in by_episode[episode.pk] if p.conference_id != episode.conference_id],
        )


def core_group_due(episode: RegisterEpisode) -> procedures.Due:
    """The next core group: ``core_group.first`` from the registering conference, then
    ``core_group.interval`` from the last meeting held."""
    assert episode.conference.held_at is not None
    return procedures.next_core_group(
        episode.conference.held_at, [m.held_at for m in episode.core_groups.all()]
    )


def review_due(episode: RegisterEpisode) -> procedures.Due:
    """The next review conference: ``review.first`` from the registering conference, then
    ``review.interval`` from the last review held."""
    assert episode.conference.held_at is not None
    held = [
        c.conference.held_at
        for c in episode_conference_places(episode)
        if c.conference.kind == ConferenceKind.REVIEW
        and c.conference.status == ConferenceStatus.HELD
        and c.conference.held_at is not None
    ]
    return procedures.next_review(episode.conference.held_at, held)
