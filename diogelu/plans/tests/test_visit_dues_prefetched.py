"""The visit deadlines worked out from :func:`prefetch_for_dues` (only the visits they depend on:
the latest seen alone, the latest seen at home, those that saw the bedroom) are exactly the ones
worked out from every visit of the episode (issue 17: a manager's My work read 98,733 visits)."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
import time_machine

from diogelu.accounts.models import Role
from diogelu.conferences import services as conferences
from diogelu.conferences.models import RegisterEpisode
from diogelu.conferences.tests.test_journey import at, decision, held, three_agencies_attend
from diogelu.plans.due import overdue_visits_for_worker, prefetch_for_dues, visits_due
from diogelu.plans.models import Visit
from tests import factories as f

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


def _queue_matches_each_childs_deadlines(world, episode_id, moments):
    """A work queue's overdue visits, read as columns for many episodes at once, are exactly the
    overdue ones of the episode's own deadlines (read from its rows)."""
    for moment in moments:
        episode = RegisterEpisode.objects.select_related("conference").get(pk=episode_id)
        own = sorted(
            (d for d in visits_due(episode, moment) if d.is_overdue), key=lambda d: d.due.due_at
        )
        assert overdue_visits_for_worker(world.manager, moment, team=True) == own, moment
        assert overdue_visits_for_worker(world.social_worker, moment) == own, moment


def test_a_managers_queue_read_as_columns_matches_each_childs_deadlines(world, clock):
    """Issue 17: a manager's queue read 7,600 model rows for 875 registered children; it now
    reads one row of facts per child. Checked against the per-child path through a history of
    visits, a booked review and a held one (which starts a new cycle)."""
    held(world, clock)
    episode = RegisterEpisode.objects.get()
    moments = [
        at(2026, 1, 6, 12),
        at(2026, 1, 21, 12),  # just registered: nothing can be overdue, the child is skipped
        at(2026, 2, 2, 23, 59),  # the seen-alone deadline's last minute
        at(2026, 2, 3, 0, 1),  # and just after it
        at(2026, 2, 26, 12),
        at(2026, 3, 20, 12),
        at(2026, 6, 1, 12),
    ]
    _queue_matches_each_childs_deadlines(world, episode.pk, moments)
    for day, seen in [
        (at(2026, 2, 3, 10), {"seen_alone": True}),
        (at(2026, 1, 14, 10), {"seen_alone": True, "seen_at_home": True}),
        (at(2026, 2, 10, 15), {"seen_at_home": True, "bedroom_seen": True}),
        (at(2026, 3, 2, 11), {"seen_alone": True, "seen_at_home": True, "child_seen": False}),
    ]:
        _visit(world, episode, day, **seen)
        _queue_matches_each_childs_deadlines(world, episode.pk, moments)
    assert overdue_visits_for_worker(world.manager, at(2026, 6, 1, 12), team=True)

    clock.move_to(at(2026, 4, 1, 9))
    review = conferences.convene_review_conference(
        actor=world.social_worker, episodes=[episode], scheduled_for=at(2026, 4, 10, 10)
    )
    _queue_matches_each_childs_deadlines(world, episode.pk, [*moments, at(2026, 4, 13, 12)])
    three_agencies_attend(world, review)
    clock.move_to(at(2026, 4, 10, 15))
    conferences.record_review_conference(
        actor=world.social_worker,
        conference=review,
        held_at=at(2026, 4, 10, 10),
        chair=f.user(world.authority, Role.CONFERENCE_CHAIR),
        decisions=[decision(review.children.get(), world, review_on=datetime.date(2026, 10, 9))],
        summary="Stays on the register.",
    )
    later = [at(2026, 4, 13, 12), at(2026, 6, 1, 12), at(2026, 11, 2, 12)]
    _queue_matches_each_childs_deadlines(world, episode.pk, later)
    _visit(world, episode, at(2026, 4, 20, 10), bedroom_seen=True)
    _visit(world, episode, at(2026, 3, 30, 10), bedroom_seen=True)  # the cycle before
    _queue_matches_each_childs_deadlines(world, episode.pk, later)
    assert overdue_visits_for_worker(world.school_lead, at(2026, 6, 1, 12), team=True) == []


def test_a_managers_queue_keeps_the_authoritys_deadlines_until_a_fact_changes(world, clock):
    """Issue 17: the deadlines do not depend on the time, so an authority's are worked out once
    and kept until a visit, an episode, a conference or a conference's children changes; where
    they stand is still worked out at each request."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from diogelu.plans import due

    held(world, clock)
    episode = RegisterEpisode.objects.get()
    moment = at(2026, 3, 20, 12)

    def queue(when: datetime.datetime = moment) -> tuple[list[Any], int]:
        with CaptureQueriesContext(connection) as ctx:
            found = overdue_visits_for_worker(world.manager, when, team=True)
        return found, sum('"plans_visit"' in q["sql"] for q in ctx.captured_queries)

    first, read = queue()
    assert read == 1 and {d.rule for d in first} >= {"visit.seen_alone", "visit.seen_at_home"}
    again, read = queue()
    assert read == 0 and again == first
    # Time passing while they are kept needs no new reading: the same deadlines, standing later.
    later, read = queue(moment + datetime.timedelta(seconds=due.VISIT_DEADLINES_CACHE_SECONDS))
    assert read == 0 and len(later) >= len(first)
    # Only the deadlines that can fall due while they are kept are kept (not the whole
    # register's): a moment past that is worked out afresh, and right.
    much_later, read = queue(at(2026, 6, 1, 12))
    assert read == 1 and len(much_later) > len(first)
    own = overdue_visits_for_worker(world.social_worker, at(2026, 6, 1, 12))
    assert [(d.rule, d.episode_id, d.due.due_at) for d in much_later] == [
        (d.rule, d.episode_id, d.due.due_at) for d in own
    ]
    # A visit recorded: read again at once, and the deadline it met is gone.
    _visit(world, episode, at(2026, 3, 19, 10), seen_alone=True, seen_at_home=True)
    after, read = queue()
    assert read == 1
    assert {d.rule for d in after} == {d.rule for d in first} - {
        "visit.seen_alone",
        "visit.seen_at_home",
    }
    # A registration ended: read again, and the child is no longer in the queue.
    ended = RegisterEpisode.objects.get(pk=episode.pk)
    ended.ended_at = at(2026, 3, 19, 12)
    ended.save()
    assert queue() == ([], 1)


def test_without_keeping_the_queue_reads_the_facts_every_time(world, clock, monkeypatch):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from diogelu.plans import due

    monkeypatch.setattr(due, "VISIT_DEADLINES_CACHE_SECONDS", 0)
    held(world, clock)
    for _ in range(2):
        with CaptureQueriesContext(connection) as ctx:
            assert overdue_visits_for_worker(world.manager, at(2026, 3, 20, 12), team=True)
        assert sum('"plans_visit"' in q["sql"] for q in ctx.captured_queries) == 1


def test_a_managers_queue_keeps_only_what_can_fall_due_while_kept(world, clock, monkeypatch):
    """Issue 17: the whole register's deadlines were kept and read back on every request (408 KB
    at a county); now only those due before the kept list's horizon."""
    from django.core.cache import cache

    from diogelu.plans import due

    held(world, clock)
    kept: list[Any] = []
    setter = cache.set

    def spy(key, value, *args, **kwargs):
        if key.startswith("plans:visit-deadlines:"):
            kept.append(value)
        return setter(key, value, *args, **kwargs)

    monkeypatch.setattr(cache, "set", spy)
    moment = at(2026, 3, 20, 12)
    overdue = overdue_visits_for_worker(world.manager, moment, team=True)
    (horizon, deadlines) = kept[0]
    assert horizon == moment + datetime.timedelta(seconds=due.VISIT_DEADLINES_CACHE_SECONDS + 60)
    assert overdue and all(d.due.due_at < horizon for d in deadlines)
    episode = RegisterEpisode.objects.get()
    every = [d for d in visits_due(episode, moment) if d.due.due_at >= horizon]
    assert every, "the child has deadlines after the horizon, which are not kept"
