"""Invitations and attendance on one page: several agencies invited in one go, everyone's
attendance recorded in one go."""

from __future__ import annotations

import pytest
import time_machine
from django.urls import reverse

from diogelu.access.models import AccessLog
from diogelu.conferences import services as conferences
from diogelu.conferences.models import Attendance, Conference, Invitation
from diogelu.conferences.tests.test_journey import at, determination_3


@pytest.fixture
def clock():
    with time_machine.travel(at(2026, 1, 5, 8), tick=False) as traveller:
        yield traveller


@pytest.fixture
def conference(world, clock):
    enquiry = determination_3(world, clock)
    return conferences.convene_conference(
        actor=world.social_worker, enquiries=[enquiry], scheduled_for=at(2026, 1, 19)
    )


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("social_worker", 200),
        ("manager", 200),
        ("mash", 404),
        ("police_officer", 404),
        ("school_lead", 404),
        ("health_practitioner", 404),
        ("other_la_worker", 404),
    ],
)
def test_page_by_persona(world, conference, persona, expected):
    user = getattr(world, persona)
    before = AccessLog.objects.filter(user=user).count()
    url = reverse("conference_invitees", args=[conference.pk])
    response = world.client_for(user).get(url)
    assert response.status_code == expected
    assert (AccessLog.objects.filter(user=user).count() > before) == (expected == 200)


def test_invite_several_agencies_then_record_everyones_attendance(world, conference):
    client = world.client_for(world.social_worker)
    url = reverse("conference_invitees", args=[conference.pk])
    page = client.get(url).content.decode()
    assert "Which agencies do you want to invite?" in page
    response = client.post(
        url,
        {"action": "invite", "agencies": [world.police.pk, world.school.pk, world.authority.pk]},
    )
    assert response.status_code == 302
    invited = Invitation.objects.filter(conference=conference)
    assert set(invited.values_list("agency_id", flat=True)) == {
        world.police.pk,
        world.school.pk,
        world.authority.pk,
    }
    page = client.get(url).content.decode()
    assert "3 agencies invited" in page
    answers = {
        f"att_{i.pk}": Attendance.ATTENDED
        if i.agency_id != world.school.pk
        else Attendance.APOLOGIES
        for i in invited
    }
    response = client.post(url, {"action": "attendance", **answers})
    assert response.status_code == 302
    assert sorted(invited.values_list("attendance", flat=True)) == sorted(
        [Attendance.ATTENDED, Attendance.ATTENDED, Attendance.APOLOGIES]
    )


def test_errors_change_nothing(world, conference):
    client = world.client_for(world.social_worker)
    url = reverse("conference_invitees", args=[conference.pk])
    nothing = client.post(url, {"action": "invite"})
    assert (
        nothing.status_code == 400 and "Choose the agencies to invite" in nothing.content.decode()
    )
    other = client.post(url, {"action": "invite", "agencies": [world.other_authority.pk]})
    assert other.status_code == 400
    assert not Invitation.objects.filter(conference=conference).exists()
    client.post(url, {"action": "invite", "agencies": [world.police.pk]})
    blank = client.post(url, {"action": "attendance"})
    assert blank.status_code == 400
    assert "Record the attendance of at least one invitee" in blank.content.decode()
    assert Conference.objects.get().invitations.get().attendance == ""
