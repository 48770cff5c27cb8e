"""An agency's answer: a short answer gets a clear message; the agency amends its answer until the
decision, and the first version is kept and shown."""

from __future__ import annotations

import pytest
from django.urls import reverse

from diogelu.access.models import AccessLog
from diogelu.chronology.models import ChronologyEvent
from diogelu.notifications.models import OutboxMessage
from diogelu.sharing.models import (
    AnswerVersion,
    Disclosure,
    InformationAnswer,
    RequestStatus,
)
from diogelu.sharing.tests.journey import answered, decided_for_strategy, with_requests
from diogelu.sharing.tests.test_pages import answer_data


def test_a_short_answer_is_refused_with_a_clear_message(world):
    """Regression: "None" (4 characters) got "Enter what your agency holds", as if it were blank."""
    j = with_requests(world)
    url = reverse("show_request", args=[j.requests["school"].pk])
    response = world.client_for(world.school_lead).post(url, answer_data(summary="None"))
    assert response.status_code == 400
    body = response.content.decode()
    assert "must be 5 characters or more" in body
    assert "No, we hold nothing" in body
    assert not InformationAnswer.objects.exists()


def amend_data(**overrides):
    data = {
        "reason": "We found a second record after answering.",
        "summary": "Attendance 78%, arrives hungry; a second record: bruising seen 2 May.",
    }
    return answer_data(**(data | overrides))


def test_the_agency_amends_its_answer_and_the_first_version_is_kept(world):
    j = answered(world)
    request = j.requests["school"]
    client = world.client_for(world.school_lead)
    page = client.get(reverse("show_request", args=[request.pk])).content.decode()
    assert reverse("amend_answer", args=[request.pk]) in page
    form = client.get(reverse("amend_answer", args=[request.pk]))
    assert form.status_code == 200
    assert "Attendance 78%, arrives hungry." in form.content.decode()  # filled in
    disclosures = Disclosure.objects.count()
    response = client.post(reverse("amend_answer", args=[request.pk]), amend_data())
    assert response.status_code == 302
    answer = InformationAnswer.objects.get(request=request)
    assert "bruising seen 2 May" in answer.summary
    assert answer.amended_by == world.school_lead
    first = AnswerVersion.objects.get(answer=answer)
    assert (first.number, first.summary) == (1, "Attendance 78%, arrives hungry.")
    assert Disclosure.objects.count() == disclosures + 1
    assert ChronologyEvent.objects.filter(title__contains="amended its answer").exists()
    assert OutboxMessage.objects.filter(
        dedupe_key__startswith="answer-amended:", recipient_user=world.mash
    ).exists()
    # a second amendment keeps both earlier versions
    client.post(
        reverse("amend_answer", args=[request.pk]),
        amend_data(holds_information="no", summary=""),
    )
    assert list(answer.versions.values_list("number", flat=True)) == [1, 2]
    request.refresh_from_db()
    assert request.status == RequestStatus.NOTHING_HELD
    # the MASH sees the current answer, the reason and the first answer
    mash_page = world.client_for(world.mash).get(reverse("show_request", args=[request.pk]))
    body = mash_page.content.decode()
    assert "We found a second record after answering." in body
    assert "First answer" in body and "Attendance 78%, arrives hungry." in body
    assert "Amend your answer" not in body


def test_an_amendment_needs_a_reason_and_a_valid_answer(world):
    j = answered(world)
    url = reverse("amend_answer", args=[j.requests["school"].pk])
    client = world.client_for(world.school_lead)
    assert client.post(url, amend_data(reason="")).status_code == 400
    assert client.post(url, amend_data(summary="No")).status_code == 400
    assert not AnswerVersion.objects.exists()


def test_no_amendment_after_the_decision(world):
    j = decided_for_strategy(world)
    request = j.requests["school"]
    client = world.client_for(world.school_lead)
    page = client.get(reverse("show_request", args=[request.pk])).content.decode()
    assert "Amend your answer" not in page
    response = client.post(reverse("amend_answer", args=[request.pk]), amend_data())
    assert response.status_code == 400
    assert "can no longer be amended" in response.content.decode()
    assert not AnswerVersion.objects.exists()


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("school_lead", 200),
        ("police_officer", 404),
        ("health_practitioner", 404),
        ("mash", 404),
        ("social_worker", 404),
        ("manager", 404),
        ("other_la_worker", 404),
    ],
)
def test_amend_page_by_persona(world, persona, expected):
    j = answered(world)
    user = getattr(world, persona)
    before = AccessLog.objects.filter(user=user).count()
    response = world.client_for(user).get(reverse("amend_answer", args=[j.requests["school"].pk]))
    assert response.status_code == expected
    if expected == 200:
        assert AccessLog.objects.filter(user=user).count() == before + 1


def test_an_unanswered_request_has_nothing_to_amend(world):
    j = with_requests(world)
    url = reverse("amend_answer", args=[j.requests["school"].pk])
    assert world.client_for(world.school_lead).get(url).status_code == 404
