"""The request queue, answering, outcomes and acknowledgement, the MASH dashboard and the
disclosure log, for each persona: anonymous → sign in; not entitled → 404; entitled → 200."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.urls import reverse

from diogelu.access.models import AccessLog, Basis, Part
from diogelu.sharing.models import (
    InformationAnswer,
    InformationRequest,
    OutcomeNotification,
    RequestStatus,
)
from diogelu.sharing.tests.journey import answered, decided_for_strategy, with_requests

PERSONAS = [
    "social_worker",
    "manager",
    "mash",
    "police_officer",
    "school_lead",
    "health_practitioner",
    "other_la_worker",
]


def get(world, persona, url):
    return world.client_for(getattr(world, persona)).get(url)


@pytest.mark.parametrize(
    ("name", "args"),
    [
        ("request_queue", []),
        ("show_request", [1]),
        ("outcome_list", []),
        ("show_outcome", [1]),
        ("mash_dashboard", []),
        ("disclosure_log", []),
        ("inbox", []),
    ],
)
def test_anonymous_is_sent_to_sign_in(db, name, args):
    response = Client().get(reverse(name, args=args))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("sign_in"))


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("social_worker", 404),
        ("manager", 200),
        ("mash", 200),
        ("police_officer", 200),
        ("school_lead", 200),
        ("health_practitioner", 200),
        ("other_la_worker", 404),
    ],
)
def test_request_queue_by_persona(world, persona, expected):
    j = with_requests(world)
    response = get(world, persona, reverse("request_queue"))
    assert response.status_code == expected
    if expected == 200 and persona in ("police_officer", "school_lead", "health_practitioner"):
        body = response.content.decode()
        # its own request only
        own = {"police_officer": "police", "school_lead": "school", "health_practitioner": "health"}
        for name, r in j.requests.items():
            link = reverse("show_request", args=[r.pk])
            assert (link in body) == (name == own[persona])


@pytest.mark.parametrize(
    ("persona", "which", "expected"),
    [
        ("school_lead", "school", 200),
        ("school_lead", "police", 404),
        ("police_officer", "police", 200),
        ("police_officer", "school", 404),
        ("health_practitioner", "health", 200),
        ("mash", "police", 200),
        ("manager", "health", 200),
        ("social_worker", "school", 404),
        ("other_la_worker", "school", 404),
    ],
)
def test_show_request_by_persona(world, persona, which, expected):
    j = with_requests(world)
    response = get(world, persona, reverse("show_request", args=[j.requests[which].pk]))
    assert response.status_code == expected


def test_missing_request_is_404_like_a_forbidden_one(world):
    assert get(world, "school_lead", reverse("show_request", args=[999999])).status_code == 404


def test_request_page_shows_identity_and_question_and_logs_the_read(world):
    j = with_requests(world)
    before = AccessLog.objects.count()
    response = get(
        world, "health_practitioner", reverse("show_request", args=[j.requests["health"].pk])
    )
    body = response.content.decode()
    assert "Siân Prydderch" in body
    assert "27 March 2015" in body
    assert "What do you hold about this child" in body
    # not the child's file: nothing from the chronology
    assert "Attendance concern" not in body and "LA only note" not in body
    rows = AccessLog.objects.filter(user=world.health_practitioner, person=world.child)
    assert AccessLog.objects.count() == before + 1
    row = rows.get()
    assert row.part == Part.REPORT
    assert row.route == "show_request"
    # health was never involved: the request is the basis, with no involvement row
    assert row.basis == Basis.MASH_REQUEST
    assert row.involvement is None


def answer_data(**overrides):
    data = {
        "holds_information": "yes",
        "summary": "Attendance 78%, arrives hungry most days.",
        "known_to_agency": "YES",
        "last_contact_on_0": "1",
        "last_contact_on_1": "5",
        "last_contact_on_2": "2026",
        "current_concerns": "Hunger and tiredness",
        "risk_indicators": ["NON_ATTENDANCE", "DOMESTIC_ABUSE"],
    }
    data.update(overrides)
    return data


def test_school_answers_its_request(world):
    j = with_requests(world)
    url = reverse("show_request", args=[j.requests["school"].pk])
    client = world.client_for(world.school_lead)
    response = client.post(url, answer_data())
    assert response.status_code == 302
    answer = InformationAnswer.objects.get(request=j.requests["school"])
    assert answer.holds_information
    assert answer.risk_indicators == ["DOMESTIC_ABUSE", "NON_ATTENDANCE"]
    assert answer.last_contact_on == datetime.date(2026, 5, 1)
    page = client.get(url).content.decode()
    assert "Attendance 78%" in page and "Send answer to the MASH" not in page


def test_answer_needs_what_is_held(world):
    j = with_requests(world)
    url = reverse("show_request", args=[j.requests["school"].pk])
    response = world.client_for(world.school_lead).post(url, answer_data(summary=""))
    assert response.status_code == 400
    body = response.content.decode()
    assert "govuk-error-summary" in body and "Enter what your agency holds" in body
    assert not InformationAnswer.objects.exists()


def test_answering_another_agencys_request_is_404_and_changes_nothing(world):
    j = with_requests(world)
    url = reverse("show_request", args=[j.requests["police"].pk])
    response = world.client_for(world.school_lead).post(url, answer_data())
    assert response.status_code == 404
    assert not InformationAnswer.objects.exists()
    assert InformationRequest.objects.get(pk=j.requests["police"].pk).status == RequestStatus.OPEN


def test_mash_cannot_answer_for_an_agency(world):
    j = with_requests(world)
    url = reverse("show_request", args=[j.requests["police"].pk])
    assert world.client_for(world.mash).post(url, answer_data()).status_code == 404
    assert not InformationAnswer.objects.exists()


def test_answering_twice_is_a_clear_error_and_changes_nothing(world):
    j = with_requests(world)
    url = reverse("show_request", args=[j.requests["school"].pk])
    client = world.client_for(world.school_lead)
    assert client.post(url, answer_data()).status_code == 302
    response = client.post(url, answer_data(holds_information="no", summary=""))
    assert response.status_code == 400
    assert "already been answered" in response.content.decode()
    answer = InformationAnswer.objects.get()
    assert answer.holds_information and answer.summary.startswith("Attendance")


# --- outcomes --------------------------------------------------------------------------------


def outcome_for(world, agency=None, user=None, source="DECISION"):
    return OutcomeNotification.objects.get(
        source=source, recipient_agency=agency, recipient_user=user
    )


def test_school_sees_its_outcomes_not_the_police_one_nor_the_police_answer(world):
    j = decided_for_strategy(world)
    school = outcome_for(world, agency=world.school)
    assert school.is_reporter  # the school reported and was asked: one outcome, as the reporter
    police = outcome_for(world, agency=world.police)
    client = world.client_for(world.school_lead)
    listing = client.get(reverse("outcome_list")).content.decode()
    assert reverse("show_outcome", args=[school.pk]) in listing
    assert reverse("show_outcome", args=[police.pk]) not in listing
    assert client.get(reverse("show_outcome", args=[school.pk])).status_code == 200
    assert client.get(reverse("show_outcome", args=[police.pk])).status_code == 404
    # the police answer is not visible to the school anywhere
    assert client.get(reverse("show_request", args=[j.requests["police"].pk])).status_code == 404
    for url in (
        reverse("show_outcome", args=[school.pk]),
        reverse("request_queue"),
        reverse("my_work"),
    ):
        assert "Two domestic incidents" not in client.get(url).content.decode()


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("police_officer", 200),
        ("school_lead", 404),
        ("health_practitioner", 404),
        ("mash", 404),
        ("social_worker", 404),
        ("other_la_worker", 404),
    ],
)
def test_police_outcome_by_persona(world, persona, expected):
    decided_for_strategy(world)
    police = outcome_for(world, agency=world.police)
    assert get(world, persona, reverse("show_outcome", args=[police.pk])).status_code == expected


@pytest.mark.parametrize("persona", PERSONAS)
def test_outcome_list_opens_for_everyone(world, persona):
    decided_for_strategy(world)
    assert get(world, persona, reverse("outcome_list")).status_code == 200


def test_reading_an_outcome_logs_each_child(world):
    decided_for_strategy(world)
    school = outcome_for(world, agency=world.school)
    world.client_for(world.school_lead).get(reverse("show_outcome", args=[school.pk]))
    people = set(
        AccessLog.objects.filter(user=world.school_lead, route="show_outcome").values_list(
            "person_id", flat=True
        )
    )
    assert people == {world.child.pk, world.sibling.pk}


def test_acknowledging_twice_is_harmless(world):
    decided_for_strategy(world)
    school = outcome_for(world, agency=world.school)
    client = world.client_for(world.school_lead)
    url = reverse("acknowledge_outcome", args=[school.pk])
    assert client.post(url).status_code == 302
    school.refresh_from_db()
    first = school.acknowledged_at
    assert first is not None and school.acknowledged_by == world.school_lead
    assert client.post(url).status_code == 302
    school.refresh_from_db()
    assert school.acknowledged_at == first
    page = client.get(reverse("show_outcome", args=[school.pk])).content.decode()
    assert "I have read this" not in page and "Acknowledged by" in page


def test_acknowledging_someone_elses_outcome_is_404(world):
    decided_for_strategy(world)
    school = outcome_for(world, agency=world.school)
    url = reverse("acknowledge_outcome", args=[school.pk])
    assert world.client_for(world.health_practitioner).post(url).status_code == 404
    school.refresh_from_db()
    assert school.acknowledged_at is None


def test_acknowledge_needs_post(world):
    decided_for_strategy(world)
    school = outcome_for(world, agency=world.school)
    url = reverse("acknowledge_outcome", args=[school.pk])
    assert world.client_for(world.school_lead).get(url).status_code == 405


# --- dashboard, disclosure log, my work, navigation ------------------------------------------


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("social_worker", 404),
        ("manager", 200),
        ("mash", 200),
        ("police_officer", 404),
        ("school_lead", 404),
        ("health_practitioner", 404),
        ("other_la_worker", 404),
    ],
)
def test_mash_dashboard_by_persona(world, persona, expected):
    decided_for_strategy(world)
    response = get(world, persona, reverse("mash_dashboard"))
    assert response.status_code == expected
    if expected == 200:
        body = response.content.decode()
        assert "Decisions made within 1 working day" in body
        assert "Outcomes awaiting acknowledgement" in body


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("social_worker", 404),
        ("manager", 200),
        ("mash", 404),
        ("police_officer", 404),
        ("school_lead", 404),
        ("health_practitioner", 404),
        ("other_la_worker", 404),
    ],
)
def test_disclosure_log_by_persona(world, persona, expected):
    answered(world)
    response = get(world, persona, reverse("disclosure_log"))
    assert response.status_code == expected
    if expected == 200:
        body = response.content.decode()
        assert "Information shared in answer" in body
        assert "Dyffryn Police" in body
        assert "Safeguarding a child at risk" in body


def test_disclosure_log_is_only_the_authoritys(world):
    from tests import factories as f

    answered(world)
    auditor = f.user(world.other_authority, "AUDITOR")
    response = world.client_for(auditor).get(reverse("disclosure_log"))
    assert response.status_code == 200
    assert "Nothing has been shared yet" in response.content.decode()


@pytest.mark.parametrize("persona", PERSONAS)
def test_my_work_for_every_persona(world, persona):
    decided_for_strategy(world)
    response = get(world, persona, reverse("my_work"))
    assert response.status_code == 200
    body = response.content.decode()
    if persona == "school_lead":
        assert "Outcomes to acknowledge (1)" in body  # once, as the reporting agency
        assert "Your reports" in body
    if persona == "police_officer":
        assert "Requests to answer (0)" in body
        assert "Outcomes to acknowledge (1)" in body
    if persona == "social_worker":
        assert "You lead no open section 47 enquiries" in body


def test_navigation_by_role(world):
    decided_for_strategy(world)
    mash = world.client_for(world.mash).get(reverse("my_work")).content.decode()
    assert f'href="{reverse("mash_dashboard")}"' in mash
    assert f'href="{reverse("request_queue")}"' not in mash
    police = world.client_for(world.police_officer).get(reverse("my_work")).content.decode()
    assert f'href="{reverse("request_queue")}"' in police
    assert f'href="{reverse("outcome_list")}"' in police
    assert f'href="{reverse("mash_dashboard")}"' not in police


def test_outcomes_to_acknowledge_in_my_work_come_a_page_at_a_time(
    world, monkeypatch, django_assert_max_num_queries
):
    """A police force's outcomes to acknowledge ran to 5,403 on one page of My work at a county
    (1.6 MB, every child named and access-logged): a page at a time, with the count of all,
    naming only the children on the page (issue 17)."""
    import re

    from diogelu import my_work
    from diogelu.sharing import queues

    for _ in range(3):
        decided_for_strategy(world)
    waiting = queues.waiting_outcomes(world.police_officer).count()
    assert waiting >= 3
    monkeypatch.setattr(my_work, "OUTCOMES_PER_PAGE", 1)
    c = world.client_for(world.police_officer)
    before = AccessLog.objects.filter(user=world.police_officer, route="my_work").count()
    first = c.get(reverse("my_work")).content.decode()
    assert f"Outcomes to acknowledge ({waiting})" in first
    assert f"Showing 1 to 1 of {waiting}" in first
    assert "outcomes_page=2#outcomes-to-acknowledge" in first
    named = AccessLog.objects.filter(user=world.police_officer, route="my_work").count() - before
    assert named == 1  # the one child on the page, not every child in the list

    def items(body: str) -> list[str]:
        section = body.split('id="outcomes-to-acknowledge"')[1].split("</ul>")[0]
        return re.findall(r"<li>", section)

    last = c.get(reverse("my_work"), {"outcomes_page": waiting}).content.decode()
    assert f"Showing {waiting} to {waiting} of {waiting}" in last
    assert len(items(first)) == len(items(last)) == 1
    # The page's cost does not grow with the list: the same queries for 3 outcomes as for 1.
    monkeypatch.setattr(my_work, "OUTCOMES_PER_PAGE", 25)
    with django_assert_max_num_queries(80) as few:
        c.get(reverse("my_work"))
    for _ in range(3):
        decided_for_strategy(world)
    with django_assert_max_num_queries(len(few.captured_queries)):
        c.get(reverse("my_work"))


def test_the_outcomes_list_pages_what_is_waiting(world, monkeypatch):
    """The outcomes list (tick several, acknowledge together) a page at a time: a police force's
    was every unacknowledged outcome of five years (issue 17). Acknowledging from page 2 works."""
    from diogelu.sharing import queues, views

    for _ in range(3):
        decided_for_strategy(world)
    waiting = list(queues.waiting_outcomes(world.police_officer))
    assert len(waiting) >= 3
    monkeypatch.setattr(views, "OUTCOMES_PER_PAGE", 2)
    c = world.client_for(world.police_officer)
    first = c.get(reverse("outcome_list")).content.decode()
    assert f"To acknowledge ({len(waiting)})" in first
    assert f"Showing 1 to 2 of {len(waiting)}" in first
    assert "page=2#to-acknowledge" in first
    assert first.count('name="outcomes" type="checkbox"') == 2
    second = c.get(reverse("outcome_list"), {"page": 2}).content.decode()
    on_second = waiting[2]
    assert f'value="{on_second.pk}"' in second and f'value="{on_second.pk}"' not in first
    response = c.post(reverse("outcome_list"), {"outcomes": [on_second.pk]})
    assert response.status_code == 302
    assert queues.waiting_outcomes(world.police_officer).count() == len(waiting) - 1
