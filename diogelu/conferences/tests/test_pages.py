"""Conference and register check pages, for each persona, with their validation."""

from __future__ import annotations

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from diogelu.accounts.models import Role
from diogelu.conferences import services as conferences
from diogelu.conferences.models import (
    Attendance,
    Circulation,
    Conference,
    ConferenceStatus,
    Invitation,
    RegisterCheck,
    RegisterEpisode,
)
from diogelu.conferences.tests.test_journey import (
    at,
    convened,
    determination_3,
    held,
)
from tests import factories as f

STAFF_ONLY = {
    "social_worker": 200,
    "manager": 200,
    "mash": 404,
    "police_officer": 404,
    "school_lead": 404,
    "health_practitioner": 404,
    "other_la_worker": 404,
}


@pytest.fixture
def clock():
    with time_machine.travel(at(2026, 1, 5, 8), tick=False) as traveller:
        yield traveller


def client(world, persona):
    return world.client_for(getattr(world, persona))


def test_anonymous_is_sent_to_sign_in(db):
    for name in (
        "show_conference",
        "convene_conference",
        "conference_invite",
        "conference_attendance",
        "conference_report",
        "hold_conference",
        "acknowledge_record",
    ):
        response = Client().get(reverse(name, args=[1]))
        assert response.status_code == 302, name
        assert response["Location"].startswith(reverse("sign_in"))
    response = Client().get(reverse("register_check"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("sign_in"))


# --- convening from the enquiry ---------------------------------------------------------------


def test_enquiry_page_offers_to_convene(world, clock):
    enquiry = determination_3(world, clock)
    body = client(world, "social_worker").get(reverse("show_enquiry", args=[enquiry.pk]))
    assert reverse("convene_conference", args=[enquiry.pk]) in body.content.decode()


@pytest.mark.parametrize(("persona", "expected"), list(STAFF_ONLY.items()))
def test_convene_page_by_persona(world, clock, persona, expected):
    enquiry = determination_3(world, clock)
    response = client(world, persona).get(reverse("convene_conference", args=[enquiry.pk]))
    assert response.status_code == expected


def test_convene_through_the_page(world, clock):
    enquiry = determination_3(world, clock)
    response = client(world, "social_worker").post(
        reverse("convene_conference", args=[enquiry.pk]), {"kind": "INITIAL"}
    )
    conference = Conference.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("show_conference", args=[conference.pk])
    page = client(world, "social_worker").get(response["Location"]).content.decode()
    assert "Initial child protection conference" in page
    assert "Siân Prydderch" in page
    assert "working days left" in page or "working day left" in page
    enquiry_page = client(world, "social_worker").get(reverse("show_enquiry", args=[enquiry.pk]))
    assert reverse("show_conference", args=[conference.pk]) in enquiry_page.content.decode()


def test_convene_twice_shows_the_error_and_makes_nothing(world, clock):
    enquiry = determination_3(world, clock)
    url = reverse("convene_conference", args=[enquiry.pk])
    assert client(world, "social_worker").post(url, {"kind": "INITIAL"}).status_code == 302
    response = client(world, "social_worker").post(url, {"kind": "INITIAL"})
    assert response.status_code == 400
    body = response.content.decode()
    assert "govuk-error-summary" in body
    assert "already been convened" in body
    assert Conference.objects.count() == 1


# --- the conference page ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "expected", "whole"),
    [
        ("social_worker", 200, True),
        ("manager", 200, True),
        ("mash", 404, False),
        ("police_officer", 200, False),  # invited by name
        ("school_lead", 200, False),  # the school was invited
        ("other_la_worker", 404, False),
    ],
)
def test_show_conference_by_persona(world, clock, persona, expected, whole):
    conference, _ = convened(world, clock)
    response = client(world, persona).get(reverse("show_conference", args=[conference.pk]))
    assert response.status_code == expected
    if expected == 200:
        body = response.content.decode()
        assert ("Invitations, attendance and reports" in body) == whole
        assert ("Record attendance" in body) == whole
        if not whole:
            assert "Submit your agency" in body


def test_partner_not_invited_gets_404(world, clock):
    enquiry = determination_3(world, clock)
    conference = conferences.convene_conference(actor=world.social_worker, enquiries=[enquiry])
    response = client(world, "police_officer").get(reverse("show_conference", args=[conference.pk]))
    assert response.status_code == 404


def test_invite_through_the_page(world, clock):
    enquiry = determination_3(world, clock)
    conference = conferences.convene_conference(actor=world.social_worker, enquiries=[enquiry])
    url = reverse("conference_invite", args=[conference.pk])
    assert client(world, "police_officer").get(url).status_code == 404
    assert client(world, "social_worker").get(url).status_code == 200
    response = client(world, "social_worker").post(
        url, {"invitee_kind": "AGENCY", "agency": str(world.police.pk)}
    )
    assert response.status_code == 302
    assert Invitation.objects.get().agency == world.police
    bad = client(world, "social_worker").post(url, {"invitee_kind": "AGENCY"})
    assert bad.status_code == 400
    assert "Choose the agency" in bad.content.decode()
    assert Invitation.objects.count() == 1


def test_attendance_and_report_through_the_pages(world, clock):
    conference, invites = convened(world, clock)
    police = invites["police"]
    url = reverse("conference_attendance", args=[police.pk])
    assert client(world, "police_officer").get(url).status_code == 404
    bad = client(world, "social_worker").post(url, {})
    assert bad.status_code == 400
    assert "govuk-error-summary" in bad.content.decode()
    ok = client(world, "social_worker").post(url, {"attendance": Attendance.ATTENDED})
    assert ok.status_code == 302
    police.refresh_from_db()
    assert police.attendance == Attendance.ATTENDED

    report_url = reverse("conference_report", args=[police.pk])
    assert client(world, "school_lead").get(report_url).status_code == 404
    assert client(world, "police_officer").get(report_url).status_code == 200
    short = client(world, "police_officer").post(report_url, {"text": "Too short"})
    assert short.status_code == 400
    police.refresh_from_db()
    assert police.report_submitted_at is None
    text = "Two domestic abuse incidents at the address in the last six months."
    done = client(world, "police_officer").post(report_url, {"text": text})
    assert done.status_code == 302
    police.refresh_from_db()
    assert police.report_text == text
    page = client(world, "social_worker").get(reverse("show_conference", args=[conference.pk]))
    assert text in page.content.decode()


def hold_data(world, conference, invites, chair, **overrides):
    child = conference.children.get()
    p = f"c{child.pk}_"
    data = {
        "held_on_0": "19",
        "held_on_1": "1",
        "held_on_2": "2026",
        "held_time": "10:00",
        "chair": str(chair.pk),
        "summary": "Registered under physical and emotional abuse; outline plan agreed.",
        p + "child_views": "Siân said she is frightened when her step-father shouts.",
        p + "views_method": "ADVOCATE",
        p + "parents_views": "Mother accepts help.",
        p + "register": "yes",
        p + "categories": ["PHYSICAL", "EMOTIONAL"],
        p + "reasons": "Likely to suffer physical and emotional harm without a plan.",
        p + "lead": str(world.social_worker.pk),
        p + "core_group": [str(invites[k].pk) for k in ("police", "school", "health", "mother")],
        p + "first_cg_0": "30",
        p + "first_cg_1": "1",
        p + "first_cg_2": "2026",
        p + "review_0": "14",
        p + "review_1": "4",
        p + "review_2": "2026",
        p + "contingency": "If any new injury: strategy discussion the same day.",
    }
    for key, value in overrides.items():
        data[p + key if (p + key) in data or key in ("categories",) else key] = value
    return {k: v for k, v in data.items() if v is not None}


@pytest.fixture
def ready(world, clock):
    """A convened conference with attendance recorded, on the day it is held."""
    conference, invites = convened(world, clock)
    clock.move_to(at(2026, 1, 19, 12))
    for name, attendance in (
        ("la", Attendance.ATTENDED),
        ("police", Attendance.ATTENDED),
        ("health", Attendance.ATTENDED),
        ("school", Attendance.APOLOGIES),
        ("mother", Attendance.APOLOGIES),
        ("child", Attendance.APOLOGIES),
    ):
        conferences.record_attendance(
            actor=world.social_worker, invitation=invites[name], attendance=attendance
        )
    chair = f.user(world.authority, Role.CONFERENCE_CHAIR, username="chair")
    return conference, invites, chair


def test_hold_page_by_persona(world, ready):
    conference, _, chair = ready
    url = reverse("hold_conference", args=[conference.pk])
    for persona, expected in STAFF_ONLY.items():
        assert client(world, persona).get(url).status_code == expected, persona
    response = world.client_for(chair).get(url)
    assert response.status_code == 200
    assert "Categories of abuse or neglect" in response.content.decode()


def test_register_without_a_category_is_refused_and_changes_nothing(world, ready):
    conference, invites, chair = ready
    response = client(world, "social_worker").post(
        reverse("hold_conference", args=[conference.pk]),
        hold_data(world, conference, invites, chair, categories=None),
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "govuk-error-summary" in body
    assert "Choose at least one category of abuse or neglect" in body
    conference.refresh_from_db()
    assert conference.status == ConferenceStatus.CONVENED
    assert not RegisterEpisode.objects.exists()


def test_hold_and_circulate_and_acknowledge_through_the_pages(world, ready):
    conference, invites, chair = ready
    response = world.client_for(chair).post(
        reverse("hold_conference", args=[conference.pk]),
        hold_data(world, conference, invites, chair),
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    conference.refresh_from_db()
    assert conference.status == ConferenceStatus.HELD
    episode = RegisterEpisode.objects.get()
    assert episode.current_categories() == ["EMOTIONAL", "PHYSICAL"]
    page = client(world, "social_worker").get(reverse("show_conference", args=[conference.pk]))
    body = page.content.decode()
    assert "Physical abuse" in body and "On the register" in body

    circulate = client(world, "social_worker").post(
        reverse("circulate_record", args=[conference.pk])
    )
    assert circulate.status_code == 302
    mine = Circulation.objects.get(recipient_user=world.police_officer)
    url = reverse("acknowledge_record", args=[mine.pk])
    assert client(world, "school_lead").get(url).status_code == 404
    assert client(world, "other_la_worker").get(url).status_code == 404
    record = client(world, "police_officer").get(url)
    assert record.status_code == 200
    assert "Physical abuse" in record.content.decode()
    assert client(world, "police_officer").post(url).status_code == 302
    mine.refresh_from_db()
    assert mine.acknowledged_by == world.police_officer


def test_circulating_before_held_shows_the_error(world, clock):
    conference, _ = convened(world, clock)
    response = client(world, "social_worker").post(
        reverse("circulate_record", args=[conference.pk])
    )
    assert response.status_code == 400
    assert "govuk-error-summary" in response.content.decode()
    assert not Circulation.objects.exists()


# --- the register check -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("health_practitioner", 200),
        ("police_officer", 200),
        ("school_lead", 404),
        ("social_worker", 404),
        ("mash", 404),
    ],
)
def test_register_check_page_by_persona(world, persona, expected):
    response = client(world, persona).get(reverse("register_check"))
    assert response.status_code == expected


def test_register_check_answers_only_yes_no_since_and_contact(world, clock):
    held(world, clock)
    response = client(world, "health_practitioner").post(
        reverse("register_check"),
        {"reason": "Attending A&E with a bruise", "nhs_number": "999 000 0018"},
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "On the child protection register" in body
    assert "19 January 2026" in body or "19 Jan 2026" in body
    assert "Physical abuse" not in body
    assert RegisterCheck.objects.get().on_register


def test_register_check_for_a_child_not_on_the_register(world):
    response = client(world, "police_officer").post(
        reverse("register_check"),
        {"reason": "Officer attending the address", "nhs_number": "9990000018"},
    )
    assert response.status_code == 200
    assert "Not on the child protection register" in response.content.decode()


def test_register_check_without_identifiers_shows_the_error(world):
    response = client(world, "health_practitioner").post(
        reverse("register_check"), {"reason": "Attending A&E with a bruise"}
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "govuk-error-summary" in body
    assert "Enter the NHS number, or the name and date of birth" in body
    assert not RegisterCheck.objects.exists()


def test_register_check_refuses_a_mistyped_nhs_number_instead_of_answering_no(world, clock):
    """Regression: a one-digit typo of a registered child's number answered "Not on the child
    protection register". Every single-digit error fails the modulus 11 check, so it is refused."""
    held(world, clock)
    registered = "9990000018"
    for position in range(10):
        for digit in "0123456789":
            if registered[position] == digit:
                continue
            typo = registered[:position] + digit + registered[position + 1 :]
            response = client(world, "health_practitioner").post(
                reverse("register_check"),
                {"reason": "Attending A&E with a bruise", "nhs_number": typo},
            )
            body = response.content.decode()
            assert response.status_code == 400, typo
            assert "Not on the child protection register" not in body, typo
            assert "not a valid NHS number" in body, typo
            assert "govuk-error-summary" in body
    assert not RegisterCheck.objects.exists()
