"""The conference page's query count does not grow with its invitations (issue 17, ADR 0740)."""

from __future__ import annotations

import pytest
import time_machine
from django.urls import reverse

from diogelu.conferences import services as conferences
from diogelu.conferences.models import InviteeKind
from diogelu.conferences.tests.test_journey import at, convened
from tests import factories as f


@pytest.fixture
def clock():
    with time_machine.travel(at(2026, 1, 5, 8), tick=False) as traveller:
        yield traveller


def more_invitations(world, conference, n):
    for i in range(n):
        conferences.invite(
            actor=world.social_worker,
            conference=conference,
            invitee_kind=InviteeKind.FAMILY,
            person=f.person(world.authority, given_name=f"Teulu{i}", family_name="Zeta"),
        )


def test_conference_page_queries_do_not_grow_with_invitations(
    world, clock, django_assert_max_num_queries
):
    conference, _ = convened(world, clock)
    client = world.client_for(world.social_worker)
    url = reverse("show_conference", args=[conference.pk])
    client.get(url)  # warm the session and caches
    with django_assert_max_num_queries(60) as few:
        client.get(url)
    more_invitations(world, conference, 12)  # N → 3N invitations
    with django_assert_max_num_queries(len(few.captured_queries)) as many:
        response = client.get(url)
    assert response.status_code == 200
    assert response.content.decode().count("Teulu") >= 12
    assert len(many.captured_queries) == len(few.captured_queries)
