"""Every person page, for every persona: anonymous → sign-in; not entitled → 404; entitled → 200
and exactly one access-log row for the read."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from diogelu.access.models import AccessLog, Basis, Channel, Part

PAGES = {
    "show_person": Part.SUMMARY,
    "person_family": Part.FAMILY,
    "person_chronology": Part.CHRONOLOGY,
    "person_access_log": Part.ACCESS_LOG,
}

# persona -> the pages it may open for the child
ENTITLED = {
    "social_worker": {"show_person", "person_family", "person_chronology"},
    "manager": {"show_person", "person_family", "person_chronology", "person_access_log"},
    "police_officer": {"show_person", "person_family", "person_chronology"},
    "school_lead": {"show_person", "person_chronology"},
    "health_practitioner": set(),
    "other_la_worker": set(),
}


@pytest.mark.parametrize("page", PAGES)
def test_anonymous_is_sent_to_sign_in(world, page):
    response = Client().get(reverse(page, args=[world.child.pk]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("sign_in"))
    assert AccessLog.objects.count() == 0


@pytest.mark.parametrize("persona", ENTITLED)
@pytest.mark.parametrize("page", PAGES)
def test_person_page_for_each_persona(world, persona, page):
    user = getattr(world, persona)
    response = world.client_for(user).get(reverse(page, args=[world.child.pk]))
    rows = AccessLog.objects.filter(person=world.child, user=user)
    if page in ENTITLED[persona]:
        assert response.status_code == 200
        assert rows.count() == 1
        row = rows.get()
        assert row.part == PAGES[page]
        assert row.channel == Channel.PAGE
        assert row.route == page
        assert row.agency_id == user.agency_id
        if user.is_local_authority_staff:
            assert row.basis == Basis.AUTHORITY_STAFF
            assert row.involvement is None
        else:
            assert row.basis == Basis.INVOLVEMENT
            assert row.involvement.agency_id == user.agency_id
        assert world.child.full_name in response.content.decode()
    else:
        assert response.status_code == 404
        assert rows.count() == 0
        assert world.child.family_name not in response.content.decode()


def test_missing_person_and_forbidden_person_look_the_same(world):
    client = world.client_for(world.police_officer)
    missing = client.get(reverse("show_person", args=[999_999]))
    forbidden = client.get(reverse("show_person", args=[world.sibling.pk]))
    assert missing.status_code == forbidden.status_code == 404

    def strip(response):
        body = re.sub(r'value="[A-Za-z0-9]{64}"', "", response.content.decode())
        return body.replace(str(999_999), "").replace(str(world.sibling.pk), "")

    assert strip(missing) == strip(forbidden)


def test_other_authority_child_is_404_for_local_authority_staff(world):
    response = world.client_for(world.social_worker).get(
        reverse("show_person", args=[world.other_child.pk])
    )
    assert response.status_code == 404


def test_partner_sees_only_events_shared_with_it(world):
    police = world.client_for(world.police_officer).get(
        reverse("person_chronology", args=[world.child.pk])
    )
    body = police.content.decode()
    assert "Police intelligence" in body
    assert "Attendance concern" in body
    assert "LA only note" not in body
    school = world.client_for(world.school_lead).get(
        reverse("person_chronology", args=[world.child.pk])
    )
    body = school.content.decode()
    assert "Attendance concern" in body
    assert "Police intelligence" not in body
    assert "LA only note" not in body
    sw = world.client_for(world.social_worker).get(
        reverse("person_chronology", args=[world.child.pk])
    )
    for title in ("LA only note", "Police intelligence", "Attendance concern"):
        assert title in sw.content.decode()


def test_ended_involvement_takes_effect_on_next_request(world):
    from django.utils import timezone

    client = world.client_for(world.school_lead)
    assert client.get(reverse("show_person", args=[world.child.pk])).status_code == 200
    world.child.involvements.filter(agency=world.school).update(ended_at=timezone.now())
    assert client.get(reverse("show_person", args=[world.child.pk])).status_code == 404


def test_access_log_page_lists_the_reads(world):
    world.client_for(world.police_officer).get(reverse("show_person", args=[world.child.pk]))
    response = world.client_for(world.manager).get(
        reverse("person_access_log", args=[world.child.pk])
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "Dyffryn Police" in body
    assert "Agency involvement" in body


def test_family_view_shows_both_directions(world):
    response = world.client_for(world.social_worker).get(
        reverse("person_family", args=[world.sibling.pk])
    )
    body = response.content.decode()
    assert "Siân Prydderch" in body
    assert "Sibling" in body


def test_restricted_relative_is_not_named_on_family_view(world):
    world.mother.is_restricted = True
    world.mother.save()
    response = world.client_for(world.social_worker).get(
        reverse("person_family", args=[world.child.pk])
    )
    body = response.content.decode()
    assert "Rhian" not in body
    assert "Restricted record" in body
