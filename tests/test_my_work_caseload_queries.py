"""My work makes as many queries for a caseload of six registered children as for two (issue
17): a social worker's registered children (next core group and review) and overdue visits, and a
team manager's overdue visits across the authority, read each child's conference places and
visits in bulk, not child by child."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.urls import reverse

from diogelu.conferences.models import RegisterCategory, RegisterEpisode
from diogelu.conferences.tests.test_journey import at, held
from diogelu.plans.documents import make_plan
from diogelu.plans.models import Visit
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def clock():
    with time_machine.travel(at(2026, 1, 5, 8), tick=False) as traveller:
        yield traveller


def add_caseload(world, conference, start: int, n: int) -> None:
    """``n`` more registered children led by the social worker, each with a plan and a visit."""
    for i in range(start, start + n):
        child = f.person(world.authority, given_name=f"Plentyn{i}", family_name="Zeta")
        episode = RegisterEpisode.objects.create(
            person=child,
            authority=world.authority,
            started_at=conference.held_at,
            conference=conference,
            lead_practitioner=world.social_worker,
        )
        RegisterCategory.objects.create(
            episode=episode, category="NEGLECT", from_at=conference.held_at, conference=conference
        )
        make_plan(episode)
        Visit.objects.create(
            person=child,
            episode=episode,
            visited_at=conference.held_at + datetime.timedelta(days=1),
            visitor=world.social_worker,
            child_seen=True,
            seen_alone=True,
            observations="Seen at home",
            recorded_by=world.social_worker,
        )


@pytest.mark.parametrize("persona", ["social_worker", "manager"])
def test_my_work_queries_do_not_grow_with_the_caseload(
    world, clock, persona, django_assert_max_num_queries, monkeypatch
):
    from diogelu.plans import due

    # Both requests work out the visit deadlines (the second would otherwise read them because
    # the new caseload's visits changed them, and the first would not).
    monkeypatch.setattr(due, "VISIT_DEADLINES_CACHE_SECONDS", 0)
    conference, _ = held(world, clock)
    add_caseload(world, conference, 0, 2)
    clock.move_to(at(2026, 3, 20, 12))  # visits overdue by now
    client = world.client_for(getattr(world, persona))
    url = reverse("my_work")
    client.get(url)  # warm the session
    with django_assert_max_num_queries(200) as few:
        page = client.get(url)
    assert page.status_code == 200
    assert "Plentyn1" in page.content.decode()
    add_caseload(world, conference, 2, 4)  # 3 children → 7
    with django_assert_max_num_queries(200) as many:
        page = client.get(url)
    assert "Plentyn5" in page.content.decode()
    assert len(many.captured_queries) == len(few.captured_queries), (
        persona,
        len(few.captured_queries),
        len(many.captured_queries),
    )


def _more_invitations(conference, n: int) -> None:
    """``n`` more conferences like ``conference`` (same child, same invitations), not yet held."""
    from diogelu.conferences.models import ConferenceChild, Invitation

    places = list(ConferenceChild.objects.filter(conference=conference))
    invitations = list(Invitation.objects.filter(conference=conference))
    for _ in range(n):
        conference.pk = None
        conference.save()
        for place in places:
            place.pk = None
            place.conference = conference
            place.save()
        for invitation in invitations:
            invitation.pk = None
            invitation.conference = conference
            invitation.save()


def test_a_partners_my_work_queries_do_not_grow_with_its_invitations(
    world, clock, django_assert_max_num_queries
):
    """Issue 17: each conference invitation on a police officer's My work asked, child by child,
    whether the officer may still see them (three queries a child)."""
    from diogelu.conferences.tests.test_journey import convened

    conference, _ = convened(world, clock)
    client = world.client_for(world.police_officer)
    url = reverse("my_work")
    client.get(url)  # warm the session
    with django_assert_max_num_queries(200) as few:
        page = client.get(url)
    assert page.content.decode().count(f"/conferences/{conference.pk}/") >= 1
    original = conference.pk
    _more_invitations(conference, 4)
    with django_assert_max_num_queries(200) as many:
        page = client.get(url)
    assert page.content.decode().count("/conferences/") >= 5, "every invitation is listed"
    assert original != conference.pk
    assert len(many.captured_queries) == len(few.captured_queries), (
        len(few.captured_queries),
        len(many.captured_queries),
    )
