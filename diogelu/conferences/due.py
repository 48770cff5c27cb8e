"""When a registered child's next core group and review conference are due (the register's
deadlines, from ``procedures`` rules), for pages, queues and reminders. Reads, never writes.

* ``core_group.first`` from the registering conference, then ``core_group.interval`` from the last
  core group held (the meetings are the plan's: read through ``episode.core_groups``).
* ``review.first`` from the registering conference, then ``review.interval`` from the last review
  conference held.
"""

from __future__ import annotations

from diogelu import procedures
from diogelu.conferences.models import (
    ConferenceChild,
    ConferenceKind,
    ConferenceStatus,
    RegisterEpisode,
)


def episode_conference_places(episode: RegisterEpisode) -> list[ConferenceChild]:
    """The conferences an episode's child was placed in, apart from the registering one."""
    return list(
        ConferenceChild.objects.filter(episode=episode)
        .exclude(conference_id=episode.conference_id)
        .select_related("conference")
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
