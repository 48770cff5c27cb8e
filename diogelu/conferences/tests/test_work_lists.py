"""Open section 47 enquiries and conferences to be held, as work lists: within what the user may
see, filtered, paged, and in a fixed number of queries however many rows there are."""

from __future__ import annotations

import pytest
import time_machine
from django.urls import reverse

from diogelu.access.models import AccessLog
from diogelu.accounts.models import Role
from diogelu.conferences.models import Conference, ConferenceChild
from diogelu.conferences.tests.test_journey import at, convened
from diogelu.enquiries.models import Section47Enquiry, StrategyChildDecision
from tests import factories as f


@pytest.fixture
def clock():
    with time_machine.travel(at(2026, 1, 5, 8), tick=False) as traveller:
        yield traveller


@pytest.fixture
def conference(world, clock):
    conference, _ = convened(world, clock)
    clock.move_to(at(2026, 1, 8, 12))
    return conference


def more_enquiries(world, n, open_=True):
    base = Section47Enquiry.objects.get(person=world.child)
    if open_:
        Section47Enquiry.objects.filter(pk=base.pk).update(determination="")
    for i in range(n):
        person = f.person(world.authority, given_name=f"Ymholiad{i}", family_name="Zeta")
        d = StrategyChildDecision.objects.create(
            strategy=base.decision.strategy,
            child=base.decision.child,
            person=person,
            s47=base.decision.s47,
            reasons="Test",
        )
        Section47Enquiry.objects.create(
            decision=d,
            person=person,
            report=base.report,
            kind=base.kind,
            lead_social_worker=world.manager,
            due_at=base.due_at,
            due_rule_version=base.due_rule_version,
        )


def more_conferences(world, conference, n):
    for i in range(n):
        person = f.person(world.authority, given_name=f"Cynhadledd{i}", family_name="Zeta")
        c = Conference.objects.create(
            authority=world.authority,
            kind=conference.kind,
            status=conference.status,
            due_at=conference.due_at,
            due_rule=conference.due_rule,
            due_rule_version=conference.due_rule_version,
            convened_by=world.manager,
        )
        ConferenceChild.objects.create(conference=c, person=person)


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
@pytest.mark.parametrize("page", ["enquiry_list", "conference_list"])
def test_lists_by_persona(world, conference, persona, status, page):
    more_enquiries(world, 0)
    user = getattr(world, persona)
    response = world.client_for(user).get(reverse(page))
    assert response.status_code == status
    logged = AccessLog.objects.filter(user=user, person=world.child, route=page)
    if persona in ("social_worker", "manager"):
        assert world.child.full_name in response.content.decode()
        assert logged.count() == 1
    else:
        assert world.child.full_name not in response.content.decode()
        assert logged.count() == 0


def test_enquiry_filters(world, conference):
    more_enquiries(world, 2)
    client = world.client_for(world.social_worker)
    mine = client.get(reverse("enquiry_list"), {"mine": "on"}).content.decode()
    assert world.child.full_name in mine and "Ymholiad0" not in mine
    every = client.get(reverse("enquiry_list")).content.decode()
    assert "Ymholiad0" in every and "Ymholiad1" in every


def test_a_chair_sees_the_conferences_they_chair(world, conference):
    more_conferences(world, conference, 2)
    chair = f.user(world.authority, Role.CONFERENCE_CHAIR, username="chair")
    Conference.objects.filter(pk=conference.pk).update(chair=chair)
    body = world.client_for(chair).get(reverse("conference_list")).content.decode()
    assert world.child.full_name in body and "Cynhadledd0" not in body
    everyone = world.client_for(world.manager).get(reverse("conference_list")).content.decode()
    assert "Cynhadledd0" in everyone and world.child.full_name in everyone


@pytest.mark.parametrize("page", ["enquiry_list", "conference_list"])
def test_query_count_does_not_grow_with_rows(
    world, conference, page, django_assert_max_num_queries
):
    more_enquiries(world, 0)
    client = world.client_for(world.manager)
    client.get(reverse(page))
    with django_assert_max_num_queries(40) as few:
        client.get(reverse(page))
    more_enquiries(world, 20, open_=False)
    more_conferences(world, conference, 20)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(reverse(page))
    assert response.content.decode().count("Zeta") >= 20


def test_paged(world, conference):
    more_conferences(world, conference, 30)
    client = world.client_for(world.manager)
    first = client.get(reverse("conference_list")).content.decode()
    second = client.get(reverse("conference_list"), {"page": "2"}).content.decode()
    assert first.count("Cynhadledd") + second.count("Cynhadledd") == 30


def test_convening_names_a_chair_and_a_venue_and_the_chair_sees_it(world, clock):
    from diogelu.conferences.tests.test_journey import determination_3

    enquiry = determination_3(world, clock)
    chair = f.user(world.authority, Role.CONFERENCE_CHAIR, username="chair2")
    client = world.client_for(world.social_worker)
    url = reverse("convene_conference", args=[enquiry.pk])
    assert f'value="{chair.pk}"' in client.get(url).content.decode()
    # A partner officer cannot be named chair: refused, nothing made.
    bad = client.post(url, {"kind": "INITIAL", "chair": str(world.police_officer.pk)})
    assert bad.status_code == 400
    assert not Conference.objects.exists()
    ok = client.post(
        url, {"kind": "INITIAL", "chair": str(chair.pk), "venue": "Canolfan Ddinesig, Ystafell 2"}
    )
    assert ok.status_code == 302
    conference = Conference.objects.get()
    assert conference.chair == chair and conference.venue == "Canolfan Ddinesig, Ystafell 2"
    listed = world.client_for(chair).get(reverse("conference_list")).content.decode()
    assert world.child.full_name in listed and "Canolfan Ddinesig" in listed
