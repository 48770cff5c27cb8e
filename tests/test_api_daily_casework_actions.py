"""Issue 10's daily-casework actions through the API, on the existing services: amending an
agency's answer (earlier versions kept), acknowledging several outcomes at once, a manager
returning a proposed decision with a reason, and the conference invitees page's data (invite
several agencies, record everyone's attendance)."""

from __future__ import annotations

import json
from typing import Any

import pytest
import time_machine
from django.test import Client

from diogelu.access.models import AccessLog, Channel
from diogelu.accounts.models import AgencyKind
from diogelu.conferences import services as conferences
from diogelu.conferences.models import Invitation
from diogelu.conferences.tests.test_journey import at, determination_3
from diogelu.referrals import services as referrals
from diogelu.referrals.models import Decision, Outcome, ReturnedDecision
from diogelu.sharing.models import AnswerVersion, OutcomeNotification
from diogelu.sharing.tests.journey import answered, decided_for_strategy
from tests import factories as f

PROBLEM = "application/problem+json"


class Api:
    def __init__(self, user: Any) -> None:
        self.user = user
        self.client = Client(HTTP_AUTHORIZATION=f"Bearer {f.token(user)}")

    def get(self, url: str, expect: int = 200) -> Any:
        response = self.client.get(url)
        assert response.status_code == expect, (url, response.content)
        return response.json()

    def post(self, url: str, body: Any = None, expect: int = 200) -> Any:
        response = self.client.post(url, json.dumps(body or {}), content_type="application/json")
        assert response.status_code == expect, (url, response.content)
        if expect >= 400:
            assert response["Content-Type"] == PROBLEM
        return response.json()


def _amend(**overrides: Any) -> dict[str, Any]:
    body = {
        "holds_information": True,
        "summary": "Three domestic incidents at the address this year (one missed before).",
        "reason": "A third incident was found on a second system.",
    }
    body.update(overrides)
    return body


def test_an_agency_amends_its_answer_and_the_first_version_is_kept(world):
    j = answered(world)
    request_id = j.requests["police"].pk
    police = Api(world.police_officer)
    url = f"/api/v1/requests/{request_id}/answer/amend/"
    police.post(url, _amend(reason="no"), expect=400)  # a reason is needed
    done = police.post(url, _amend())
    answer = done["answer"]
    assert answer["summary"].startswith("Three domestic incidents")
    assert answer["amendment_reason"] == "A third incident was found on a second system."
    assert answer["amended_by"] and answer["amended_at"]
    [first] = answer["earlier_versions"]
    assert (
        first["number"] == 1
        and first["summary"] == "Two domestic incidents at the address this year."
    )
    # The MASH reads the same history.
    mash = Api(world.mash).get(f"/api/v1/requests/{request_id}/")
    assert mash["answer"]["earlier_versions"][0]["summary"].startswith("Two domestic")
    # Another agency: 404 and nothing written; an unanswered request: 400.
    Api(world.school_lead).post(url, _amend(), expect=404)
    assert AnswerVersion.objects.count() == 1


def test_an_answer_cannot_be_amended_after_the_decision(world):
    j = decided_for_strategy(world)
    url = f"/api/v1/requests/{j.requests['police'].pk}/answer/amend/"
    Api(world.police_officer).post(url, _amend(), expect=400)
    assert not AnswerVersion.objects.exists()


def test_an_agency_acknowledges_several_outcomes_at_once(world):
    decided_for_strategy(world)
    police = Api(world.police_officer)
    waiting = police.get("/api/v1/outcomes/?acknowledged=false")["results"]
    assert waiting
    ids = [o["id"] for o in waiting]
    others = OutcomeNotification.objects.exclude(recipient_agency=world.police).first()
    assert others is not None
    # Someone else's outcome (or a missing id) among them: 400 naming it, nothing acknowledged.
    problem = police.post(
        "/api/v1/outcomes/acknowledge/", {"outcome_ids": [*ids, others.pk]}, expect=400
    )
    assert str(others.pk) in json.dumps(problem)
    assert not OutcomeNotification.objects.filter(acknowledged_at__isnull=False).exists()
    police.post("/api/v1/outcomes/acknowledge/", {"outcome_ids": []}, expect=400)
    done = police.post("/api/v1/outcomes/acknowledge/", {"outcome_ids": ids})
    assert sorted(o["id"] for o in done["acknowledged"]) == sorted(ids)
    assert all(o["acknowledged_at"] for o in done["acknowledged"])
    assert not police.get("/api/v1/outcomes/?acknowledged=false")["results"]
    assert AccessLog.objects.filter(
        user=world.police_officer, channel=Channel.API, route="api:outcome_acknowledge_many"
    ).exists()
    # Again: nothing changes.
    again = police.post("/api/v1/outcomes/acknowledge/", {"outcome_ids": ids})
    assert [o["acknowledged_at"] for o in again["acknowledged"]] == [
        o["acknowledged_at"] for o in done["acknowledged"]
    ]


def test_a_manager_returns_a_proposed_decision_with_a_reason(world):
    j = answered(world)
    decision = referrals.record_decision(
        actor=world.mash,
        report=j.report,
        outcome=Outcome.STRATEGY_DISCUSSION,
        rationale="Injuries and disclosure: reasonable cause to suspect significant harm.",
    )
    assert decision.needs_authorisation
    url = f"/api/v1/reports/{j.report.pk}/decision/return/"
    manager = Api(world.manager)
    manager.post(url, {"reason": "short"}, expect=400)
    Api(world.mash).post(url, {"reason": "I would rather decide this myself."}, expect=403)
    Api(world.police_officer).post(url, {"reason": "Not yours to return at all."}, expect=404)
    assert Decision.objects.filter(pk=decision.pk).exists()
    returned = manager.post(url, {"reason": "Speak to the school first: the picture is thin."})
    assert returned["reason"].startswith("Speak to the school")
    assert returned["outcome"] == Outcome.STRATEGY_DISCUSSION
    assert returned["decided_by"]["id"] == world.mash.pk
    assert returned["returned_by"]["id"] == world.manager.pk
    assert not Decision.objects.filter(pk=decision.pk).exists()
    assert ReturnedDecision.objects.count() == 1
    # Nothing left to return.
    manager.post(url, {"reason": "Speak to the school first: the picture is thin."}, expect=400)


@pytest.fixture
def convened_conference(world):
    """A conference convened from a determination 3, nobody invited yet (fixed clock)."""
    with time_machine.travel(at(2026, 1, 5, 8), tick=False) as clock:
        enquiry = determination_3(world, clock)
        yield conferences.convene_conference(
            actor=world.social_worker, enquiries=[enquiry], scheduled_for=at(2026, 1, 19)
        )


def test_the_invitees_page_data_through_the_api(world, convened_conference):
    conference = convened_conference
    sw = Api(world.social_worker)
    url = f"/api/v1/conferences/{conference.pk}/invitations/"
    before = sw.get(url)
    assert before["results"] == [] or all("attendance" in i for i in before["results"])
    made = sw.post(
        f"/api/v1/conferences/{conference.pk}/invitations/agencies/",
        {"agency_ids": [world.police.pk, world.health.pk]},
        expect=201,
    )
    assert {i["agency"]["id"] for i in made["invitations"]} == {world.police.pk, world.health.pk}
    # An agency from another authority: 400 and nobody invited.
    outside = f.agency(AgencyKind.POLICE, "Outside force")
    count = Invitation.objects.count()
    sw.post(
        f"/api/v1/conferences/{conference.pk}/invitations/agencies/",
        {"agency_ids": [world.school.pk, outside.pk]},
        expect=400,
    )
    assert Invitation.objects.count() == count
    listed = sw.get(url)["results"]
    ids = [i["id"] for i in listed]
    assert len(ids) == count
    recorded = sw.post(
        f"/api/v1/conferences/{conference.pk}/attendance/",
        {"attendance": [{"invitation_id": i, "attendance": "ATTENDED"} for i in ids]},
    )
    assert {i["attendance"] for i in recorded["invitations"]} == {"ATTENDED"}
    # An invitation of no such conference: 400, nothing recorded.
    sw.post(
        f"/api/v1/conferences/{conference.pk}/attendance/",
        {"attendance": [{"invitation_id": 999999, "attendance": "APOLOGIES"}]},
        expect=400,
    )
    # Not the conference's staff: 404 alike.
    Api(world.other_la_worker).get(url, expect=404)
    Api(world.other_la_worker).post(
        f"/api/v1/conferences/{conference.pk}/attendance/",
        {"attendance": [{"invitation_id": ids[0], "attendance": "APOLOGIES"}]},
        expect=404,
    )
