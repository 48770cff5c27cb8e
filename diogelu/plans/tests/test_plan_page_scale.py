"""The plan page and the child's chronology make as many queries for a long registration as for
a short one (issue 17, ADR 0760): visits, core groups and their attendance are read in bulk."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.urls import reverse

from diogelu.chronology.models import Audience, ChronologyEvent, EventKind
from diogelu.conferences.tests.test_journey import at, held
from diogelu.plans.models import CoreGroupAttendance, CoreGroupMeeting, Plan, Visit


@pytest.fixture
def clock():
    with time_machine.travel(at(2026, 1, 5, 8), tick=False) as traveller:
        yield traveller


def more_history(world, plan: Plan, n: int, start: int) -> None:
    """``n`` visits and ``n`` core groups (with attendance) and their chronology events."""
    episode = plan.episode
    members = list(episode.core_group.all())
    for i in range(start, start + n):
        moment = at(2026, 1, 6, 9) + datetime.timedelta(hours=i)
        Visit.objects.create(
            person_id=episode.person_id,
            episode=episode,
            visited_at=moment,
            visitor=world.social_worker,
            child_seen=True,
            seen_alone=True,
            observations=f"Visit {i}",
            recorded_by=world.social_worker,
        )
        meeting = CoreGroupMeeting.objects.create(
            episode=episode,
            held_at=moment,
            due_at=moment,
            due_rule="core_group.interval",
            due_rule_version="test",
            recorded_by=world.social_worker,
        )
        CoreGroupAttendance.objects.bulk_create(
            CoreGroupAttendance(meeting=meeting, member=m, attended=True) for m in members
        )
        ChronologyEvent.objects.create(
            person_id=episode.person_id,
            occurred_at=moment,
            kind=EventKind.VISIT,
            title=f"Statutory visit {i}",
            source_agency=world.authority,
            recorded_by=world.social_worker,
            audience=Audience.LOCAL_AUTHORITY,
        )


def test_plan_page_and_chronology_queries_do_not_grow_with_history(
    world, clock, django_assert_max_num_queries
):
    held(world, clock)
    clock.move_to(at(2026, 1, 20, 12))
    plan = Plan.objects.get()
    client = world.client_for(world.social_worker)
    urls = [
        reverse("show_plan", args=[plan.pk]),
        reverse("person_chronology", args=[plan.person_id]),
    ]
    more_history(world, plan, 2, 0)
    few = {}
    for url in urls:
        client.get(url)  # warm the session and caches
        with django_assert_max_num_queries(80) as counted:
            assert client.get(url).status_code == 200
        few[url] = len(counted.captured_queries)
    more_history(world, plan, 4, 2)  # N → 3N visits, core groups and events
    for url in urls:
        with django_assert_max_num_queries(few[url]) as counted:
            response = client.get(url)
        assert response.status_code == 200
        assert len(counted.captured_queries) == few[url], url
    assert Visit.objects.filter(episode=plan.episode).count() == 6


def test_visits_and_core_groups_on_the_plan_page_come_newest_first_a_page_at_a_time(
    world, clock, monkeypatch
):
    """Issue 17: the busiest generated plan (169 visits, 43 core groups) was one page of 122 KB.
    Each list shows the newest first and pages the rest, with its own page number."""
    from diogelu.plans import views

    monkeypatch.setattr(views, "VISITS_PER_PAGE", 2)
    monkeypatch.setattr(views, "MEETINGS_PER_PAGE", 2)
    held(world, clock)
    clock.move_to(at(2026, 1, 20, 12))
    plan = Plan.objects.get()
    more_history(world, plan, 3, 0)  # visits and core groups at 09:00, 10:00, 11:00 on 6 Jan
    client = world.client_for(world.social_worker)
    url = reverse("show_plan", args=[plan.pk])
    first = client.get(url).content.decode()
    assert first.count("6 January 2026 at 11:00") == 2  # the newest visit and meeting
    assert first.count("6 January 2026 at 10:00") == 2
    assert "6 January 2026 at 09:00" not in first
    assert "Showing 1 to 2 of 3." in first
    assert 'href="?visits_page=2#visits"' in first
    assert 'href="?meetings_page=2#core-groups"' in first
    # two navigation landmarks on one page, each with its own name
    assert 'aria-label="Pages of core group meetings"' in first
    assert 'aria-label="Pages of statutory visits"' in first
    later = client.get(url, {"visits_page": "2", "meetings_page": "2"}).content.decode()
    assert later.count("6 January 2026 at 09:00") == 2
    assert "6 January 2026 at 11:00" not in later
    # The core group members (a police officer here) see the meetings paged too, not the visits.
    police = world.client_for(world.police_officer).get(url).content.decode()
    assert 'href="?meetings_page=2#core-groups"' in police
    assert "visits_page" not in police


def test_the_staffs_plans_are_read_without_joining_every_person(world, clock):
    """ADR 0848: a list of plans said "of this authority" by joining each plan's person, and
    PostgreSQL then read every person of the authority to count a county's 4,828 plans (62-83 ms
    of 300,000 people, and growing with them). The person's authority is now read by key for
    each plan: the plans' query joins no person, and sees what it saw."""
    from diogelu.accounts.models import Role
    from diogelu.plans.access import plans_visible_to
    from tests import factories as f

    held(world, clock)
    plan = Plan.objects.get()
    colleague = f.user(world.authority, Role.SOCIAL_WORKER)
    assert '"people_person" ON' not in str(plans_visible_to(colleague).query)
    assert list(plans_visible_to(colleague)) == [plan]
    assert list(plans_visible_to(world.other_la_worker)) == []
    # A restricted record's plan: hidden from a colleague not named on it, as before.
    plan.person.is_restricted = True
    plan.person.save(update_fields=["is_restricted"])
    assert list(plans_visible_to(colleague)) == []
    assert list(plans_visible_to(world.other_la_worker)) == []
