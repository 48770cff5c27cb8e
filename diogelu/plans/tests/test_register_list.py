"""The register work list: within what the user may see, filtered, sorted, paged, and in a
fixed number of queries however many children are on it."""

from __future__ import annotations

import pytest
import time_machine
from django.urls import reverse

from diogelu.access.models import AccessLog
from diogelu.conferences.models import RegisterCategory, RegisterEpisode
from diogelu.conferences.tests.test_journey import at, held
from tests import factories as f


@pytest.fixture
def clock():
    with time_machine.travel(at(2026, 1, 5, 8), tick=False) as traveller:
        yield traveller


@pytest.fixture
def registered(world, clock):
    conference, _ = held(world, clock)
    clock.move_to(at(2026, 1, 20, 12))
    return conference


def more_children(world, conference, n):
    for i in range(n):
        child = f.person(world.authority, given_name=f"Plentyn{i}", family_name="Zeta")
        e = RegisterEpisode.objects.create(
            person=child,
            authority=world.authority,
            started_at=conference.held_at,
            conference=conference,
            lead_practitioner=world.manager,
        )
        RegisterCategory.objects.create(
            episode=e, category="NEGLECT", from_at=conference.held_at, conference=conference
        )


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("social_worker", 200),
        ("manager", 200),
        ("police_officer", 404),
        ("school_lead", 404),
        ("health_practitioner", 404),
        ("other_la_worker", 200),
    ],
)
def test_register_list_by_persona(world, registered, persona, status):
    user = getattr(world, persona)
    response = world.client_for(user).get(reverse("register_list"))
    assert response.status_code == status
    logged = AccessLog.objects.filter(user=user, person=world.child, route="register_list")
    if persona in ("social_worker", "manager"):
        body = response.content.decode()
        assert world.child.full_name in body and "Physical abuse" in body
        assert "19 January 2026" in body
        assert logged.count() == 1
    else:
        assert world.child.full_name not in response.content.decode()
        assert logged.count() == 0


def test_filters_and_sort(world, registered):
    more_children(world, registered, 2)
    client = world.client_for(world.social_worker)
    neglect = client.get(reverse("register_list"), {"category": "NEGLECT"}).content.decode()
    assert "Plentyn0" in neglect and world.child.full_name not in neglect
    mine = client.get(reverse("register_list"), {"mine": "on"}).content.decode()
    assert world.child.full_name in mine and "Plentyn0" not in mine
    by_name = client.get(reverse("register_list"), {"sort": "name"}).content.decode()
    assert by_name.index("Prydderch") < by_name.index("Zeta")


def test_query_count_does_not_grow_with_rows(world, registered, django_assert_max_num_queries):
    client = world.client_for(world.manager)
    client.get(reverse("register_list"))  # warm the session and caches
    with django_assert_max_num_queries(30) as few:
        client.get(reverse("register_list"))
    more_children(world, registered, 20)
    with django_assert_max_num_queries(len(few.captured_queries)) as many:
        response = client.get(reverse("register_list"))
    assert response.content.decode().count("Plentyn") == 20
    assert len(many.captured_queries) == len(few.captured_queries)


def test_paged(world, registered):
    more_children(world, registered, 30)
    client = world.client_for(world.manager)
    first = client.get(reverse("register_list"), {"sort": "name"}).content.decode()
    assert "Next" in first
    second = client.get(reverse("register_list"), {"sort": "name", "page": "2"}).content.decode()
    assert first.count("Plentyn") + second.count("Plentyn") == 30
