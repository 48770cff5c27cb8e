"""The visit deadlines worked out from :func:`prefetch_for_dues` (only the visits they depend on:
the latest seen alone, the latest seen at home, those that saw the bedroom) are exactly the ones
worked out from every visit of the episode (issue 17: a manager's My work read 98,733 visits)."""

from __future__ import annotations

import datetime

import pytest
import time_machine

from diogelu.conferences.models import RegisterEpisode
from diogelu.conferences.tests.test_journey import at, held
from diogelu.plans.due import prefetch_for_dues, visits_due
from diogelu.plans.models import Visit

pytestmark = pytest.mark.django_db


@pytest.fixture
def clock():
    with time_machine.travel(at(2026, 1, 5, 8), tick=False) as traveller:
        yield traveller


def _visit(world, episode, moment, **seen):
    Visit.objects.create(
        person_id=episode.person_id,
        episode=episode,
        visited_at=moment,
        visitor=world.social_worker,
        child_seen=seen.pop("child_seen", True),
        recorded_by=world.social_worker,
        **seen,
    )


def _dues(episode_id: int, now: datetime.datetime, *, prefetched: bool):
    episode = RegisterEpisode.objects.select_related("conference").get(pk=episode_id)
    if prefetched:
        prefetch_for_dues([episode])
    return visits_due(episode, now)


def test_prefetched_facts_give_the_same_deadlines_as_every_visit(world, clock):
    held(world, clock)
    episode = RegisterEpisode.objects.get()
    now = at(2026, 3, 20, 12)
    assert _dues(episode.pk, now, prefetched=True) == _dues(episode.pk, now, prefetched=False)
    # A history in every combination: alone, at home, both, the bedroom (twice), a visit that did
    # not see the child (which counts for nothing), out of order.
    for day, seen in [
        (at(2026, 2, 3, 10), {"seen_alone": True}),
        (at(2026, 1, 14, 10), {"seen_alone": True, "seen_at_home": True}),
        (at(2026, 2, 10, 15), {"seen_at_home": True, "bedroom_seen": True}),
        (at(2026, 1, 20, 9), {"bedroom_seen": True}),
        (at(2026, 3, 2, 11), {"seen_alone": True, "seen_at_home": True, "child_seen": False}),
        (at(2026, 2, 24, 16), {"seen_alone": True}),
    ]:
        _visit(world, episode, day, **seen)
        for moment in (now, at(2026, 2, 26, 12), at(2026, 6, 1, 12)):
            full = _dues(episode.pk, moment, prefetched=False)
            assert _dues(episode.pk, moment, prefetched=True) == full, (day, moment)
    assert any(d.last is not None for d in full)
