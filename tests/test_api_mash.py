"""The MASH workflow through the API alone, each person with their own token: a school reports two
siblings → the MASH links identities and asks police, health and the school → each answers →
a strategy discussion is proposed and authorised → recorded → the child seen and determined →
every recipient acknowledges its outcome → the report is closed. Then access and bad input."""

from __future__ import annotations

import datetime
import json

import pytest
from django.test import Client
from django.utils import timezone

from diogelu.access.models import AccessLog, Channel, Part
from diogelu.accounts.models import Role
from diogelu.enquiries.models import Section47Enquiry, StrategyDiscussion
from diogelu.people.models import Person
from diogelu.referrals.models import Decision, Report, ReportStatus
from diogelu.sharing.models import (
    InformationAnswer,
    InformationRequest,
    OutcomeNotification,
    RequestStatus,
)
from tests import factories as f

PROBLEM = "application/problem+json"
POLICE_SECRET = "Two domestic incidents at the address this year; intelligence on step-father."

REPORT = {
    "children": [
        {
            "given_name": "Sian",
            "family_name": "Prydderch",
            "date_of_birth": "2015-03-27",
            "nhs_number": "999 000 0018",
            "postcode": "cf31 4ab",
            "school": "Ysgol y Dderwen",
        },
        {"given_name": "Elin", "family_name": "Prydderch", "date_of_birth": "2019-06-01"},
    ],
    "what_happened": "Bruises on both arms; Siân said her step-dad grabbed her.",
    "child_words": "He grabs me when he is angry.",
    "categories": ["PHYSICAL"],
    "flags": ["DOMESTIC_ABUSE"],
    "immediate_danger": "NO",
    "family_aware": "NO",
    "lawful_basis": "SAFEGUARDING",
}


class Api:
    """A client acting with one user's API token."""

    def __init__(self, user):
        self.user = user
        self.client = Client(HTTP_AUTHORIZATION=f"Bearer {f.token(user)}")

    def get(self, url, expect=200):
        response = self.client.get(url)
        assert response.status_code == expect, (url, response.content)
        return response.json()

    def post(self, url, body=None, expect=200, key=None):
        headers = {"HTTP_IDEMPOTENCY_KEY": key} if key else {}
        response = self.client.post(
            url, json.dumps(body or {}), content_type="application/json", **headers
        )
        assert response.status_code == expect, (url, response.content)
        if expect >= 400:
            assert response["Content-Type"] == PROBLEM
        return response.json()


@pytest.fixture
def apis(world):
    return {
        name: Api(getattr(world, name))
        for name in (
            "school_lead",
            "mash",
            "manager",
            "social_worker",
            "police_officer",
            "health_practitioner",
        )
    }


def submit(api, body=REPORT, key=None, expect=201):
    return api.post("/api/v1/reports/", body, expect=expect, key=key)


def link_both(world, mash, report):
    first, second = report["children"]
    mash.post(
        f"/api/v1/reports/{report['id']}/children/{first['id']}/link/",
        {"person_id": world.child.pk},
    )
    made = mash.post(
        f"/api/v1/reports/{report['id']}/children/{second['id']}/link/",
        {"create_new": True},
        expect=201,
    )
    return first, second, made


def ask(mash, report, child, agency, question="What do you hold about this child?"):
    return mash.post(
        f"/api/v1/reports/{report['id']}/requests/",
        {
            "child_id": child["id"],
            "agency_id": agency.pk,
            "priority": "STANDARD",
            "question": question,
        },
        expect=201,
    )


def test_the_whole_journey_through_the_api_alone(world, apis):
    school, mash, manager = apis["school_lead"], apis["mash"], apis["manager"]
    sw, police, health = apis["social_worker"], apis["police_officer"], apis["health_practitioner"]

    # 1. The school's system reports two siblings in one call; a retry makes one report.
    report = submit(school, key="school-report-1")
    again = school.client.post(
        "/api/v1/reports/",
        json.dumps(REPORT),
        content_type="application/json",
        HTTP_IDEMPOTENCY_KEY="school-report-1",
    )
    assert again.status_code == 201
    assert again["Idempotent-Replayed"] == "true"
    assert again.json()["id"] == report["id"]
    assert Report.objects.count() == 1
    assert report["reference"].startswith("R")
    assert report["status"] == ReportStatus.SUBMITTED
    assert report["received_at"] and report["decision_due_at"] > report["received_at"]
    assert report["channel"] == "API"
    assert [c["display_name"] for c in report["children"]] == ["Sian Prydderch", "Elin Prydderch"]
    assert report["children"][0]["nhs_number"] == "9990000018"
    assert report["children"][0]["postcode"] == "CF31 4AB"
    assert report["decision"] is None and report["requests"] == []
    rid = report["id"]
    assert [r["id"] for r in school.get("/api/v1/reports/")["results"]] == [rid]

    # 2. Intake: the MASH sees the candidates with reasons, links one and creates the other.
    assert rid in [r["id"] for r in mash.get("/api/v1/reports/?status=SUBMITTED")["results"]]
    candidates = mash.get(f"/api/v1/reports/{rid}/candidates/")
    assert candidates["count"] == 2  # a page of the report's children, like every list
    assert len(mash.get(f"/api/v1/reports/{rid}/candidates/?limit=1")["results"]) == 1
    mash.get(f"/api/v1/reports/{rid}/candidates/?reference=x", expect=400)
    first_candidates = candidates["results"][0]["candidates"]
    assert first_candidates[0]["person_id"] == world.child.pk
    assert "Same NHS number" in first_candidates[0]["reasons"]
    school.get(f"/api/v1/reports/{rid}/candidates/", expect=404)
    first, second, made = link_both(world, mash, report)
    assert made["created"] is True
    new_person = Person.objects.get(pk=made["person_id"])
    assert (new_person.given_name, new_person.date_of_birth) == ("Elin", datetime.date(2019, 6, 1))
    detail = mash.get(f"/api/v1/reports/{rid}/")
    assert detail["status"] == ReportStatus.IN_MASH
    assert [c["person_id"] for c in detail["children"]] == [world.child.pk, new_person.pk]
    assert AccessLog.objects.filter(
        user=world.mash, channel=Channel.API, part=Part.REPORT, person=world.child
    ).exists()

    # 3. MASH checks: police, health and the school are asked about Siân.
    asked = {
        name: ask(mash, report, first, agency)
        for name, agency in (
            ("police", world.police),
            ("health", world.health),
            ("school", world.school),
        )
    }
    assert all(r["status"] == RequestStatus.OPEN and r["due_at"] for r in asked.values())

    # 4. Each agency answers in its own queue, seeing the child's identity and the question only.
    for name, api, body in (
        ("police", police, {"holds_information": True, "summary": POLICE_SECRET}),
        ("health", health, {"holds_information": False}),
        (
            "school",
            school,
            {
                "holds_information": True,
                "summary": "Attendance 78%; often arrives hungry.",
                "known_to_agency": "YES",
                "last_contact_on": timezone.localdate().isoformat(),
                "current_concerns": "Bruising seen twice this term.",
                "risk_indicators": ["INJURIES", "NON_ATTENDANCE"],
            },
        ),
    ):
        queue = api.get("/api/v1/requests/?status=OPEN")["results"]
        assert [r["id"] for r in queue] == [asked[name]["id"]]
        item = queue[0]
        assert item["child"]["display_name"] == "Sian Prydderch"
        assert item["question"] == "What do you hold about this child?"
        assert item["report_id"] is None and item["child_id"] is None
        assert "what_happened" not in json.dumps(item)
        answered = api.post(
            f"/api/v1/requests/{item['id']}/answer/", body, expect=201, key=f"answer-{name}"
        )
        assert answered["status"] in (RequestStatus.ANSWERED, RequestStatus.NOTHING_HELD)
        assert answered["answer"]["holds_information"] is body["holds_information"]
    assert InformationAnswer.objects.count() == 3
    # A retry with the same key replays; without one, a second answer is refused.
    replay = police.client.post(
        f"/api/v1/requests/{asked['police']['id']}/answer/",
        json.dumps({"holds_information": True, "summary": POLICE_SECRET}),
        content_type="application/json",
        HTTP_IDEMPOTENCY_KEY="answer-police",
    )
    assert replay.status_code == 201 and replay["Idempotent-Replayed"] == "true"
    twice = police.post(
        f"/api/v1/requests/{asked['police']['id']}/answer/",
        {"holds_information": True, "summary": "Something new"},
        expect=400,
    )
    assert "already been answered" in twice["detail"]
    assert InformationAnswer.objects.count() == 3
    la_view = mash.get(f"/api/v1/requests/{asked['police']['id']}/")
    assert la_view["answer"]["summary"] == POLICE_SECRET
    assert la_view["report_id"] == rid

    # 5. The MASH proposes a strategy discussion; it waits for the manager, who authorises it.
    proposed = mash.post(
        f"/api/v1/reports/{rid}/decision/",
        {
            "outcome": "STRATEGY",
            "rationale": "Injury and disclosure: reasonable cause to suspect significant harm.",
        },
        expect=201,
    )
    assert proposed["needs_authorisation"] is True and proposed["is_final"] is False
    mash.post(f"/api/v1/reports/{rid}/decision/authorise/", {"note": "Mine"}, expect=403)
    authorised = manager.post(
        f"/api/v1/reports/{rid}/decision/authorise/", {"note": "Agreed"}, key="auth-1"
    )
    assert authorised["is_final"] is True and authorised["authorised_by"]
    assert mash.get(f"/api/v1/reports/{rid}/")["status"] == ReportStatus.DECIDED

    # 6. The strategy meeting is recorded: a decision per child, actions, enquiries started.
    strategy = mash.post(
        f"/api/v1/reports/{rid}/strategy-discussions/",
        {
            "kind": "MEETING",
            "medium": "VIDEO",
            "held_at": timezone.now().isoformat(),
            "chair_id": world.manager.pk,
            "information_shared": "Police: two incidents. School: attendance, hunger. Health: none.",
            "participants": [
                {"agency_id": world.authority.pk, "name": "Team manager", "role": "Chair"},
                {"agency_id": world.police.pk, "name": "DC Harries", "role": "PPU"},
                {"agency_id": world.school.pk, "name": "Mrs Jones", "role": "DSP"},
                {"agency_id": world.health.pk, "name": "Nurse Evans"},
            ],
            "child_decisions": [
                {"child_id": first["id"], "s47": "JOINT", "reasons": "Disclosure of harm"},
                {"child_id": second["id"], "s47": "SINGLE", "reasons": "Same household"},
            ],
            "actions": [
                {
                    "description": "Police check on step-father",
                    "owner_agency_id": world.police.pk,
                    "due_on": (timezone.localdate() + datetime.timedelta(days=2)).isoformat(),
                }
            ],
            "lead_social_worker_id": world.social_worker.pk,
        },
        expect=201,
        key="strategy-1",
    )
    assert StrategyDiscussion.objects.count() == 1
    enquiry_ids = [d["enquiry_id"] for d in strategy["child_decisions"]]
    assert all(enquiry_ids) and len(strategy["actions"]) == 1

    # 7. The social worker sees each child and records the determinations.
    siân, elin = enquiry_ids
    enquiry = sw.get(f"/api/v1/enquiries/{siân}/")
    assert enquiry["kind"] == "JOINT" and enquiry["due_at"]
    sw.post(
        f"/api/v1/enquiries/{siân}/determination/",
        {"determination": "3", "rationale": "Refused: the child has not been seen yet."},
        expect=400,
    )
    sw.post(
        f"/api/v1/enquiries/{siân}/child-seen/",
        {
            "seen_at": timezone.now().isoformat(),
            "seen_alone": True,
            "child_views": "I don't want to go home when he is there.",
        },
    )
    determined = sw.post(
        f"/api/v1/enquiries/{siân}/determination/",
        {"determination": "3", "rationale": "Substantiated, continuing risk of physical harm."},
    )
    assert determined["determination"] == "3" and determined["conference_due_at"]
    sw.post(
        f"/api/v1/enquiries/{elin}/child-seen/",
        {
            "seen_at": timezone.now().isoformat(),
            "seen_alone": False,
            "not_alone_reason": "Too young to be seen alone",
            "child_views": "Played happily; pre-verbal.",
        },
    )
    sw.post(
        f"/api/v1/enquiries/{elin}/determination/",
        {"determination": "1", "rationale": "No evidence of harm to the younger sibling."},
    )
    sw.post(f"/api/v1/enquiries/{elin}/ratify/", expect=403)
    assert manager.post(f"/api/v1/enquiries/{elin}/ratify/")["ratified"] is True
    # The police took part: they read the discussion and its enquiries back, in the partner view
    # (ADR 0640) — never the information shared or the child's words; each read access-logged.
    read = police.get(f"/api/v1/enquiries/{siân}/")
    assert read["child_views"] is None and "child_views" in read["withheld"]
    assert read["determination"] == "3" and read["determination_rationale"]  # shared with them
    young = police.get(f"/api/v1/enquiries/{elin}/")
    assert young["child_not_seen_alone_reason"] is None and young["determination"] == "1"
    assert sw.get(f"/api/v1/enquiries/{siân}/")["withheld"] == []
    told = police.get(f"/api/v1/strategy-discussions/{strategy['id']}/")
    assert told["information_shared"] is None and told["withheld"] == ["information_shared"]
    assert len(told["child_decisions"]) == 2 and told["actions"]
    whole = sw.get(f"/api/v1/strategy-discussions/{strategy['id']}/")
    assert whole["information_shared"].startswith("Police: two incidents")
    assert [s["id"] for s in police.get("/api/v1/strategy-discussions/")["results"]] == [
        strategy["id"]
    ]
    assert {e["id"] for e in police.get("/api/v1/enquiries/")["results"]} == {siân, elin}
    police.post(f"/api/v1/enquiries/{siân}/ratify/", expect=403)
    police.post(f"/api/v1/enquiries/{siân}/child-seen/", {}, expect=403)
    assert (
        AccessLog.objects.filter(
            user=world.police_officer, channel=Channel.API, route="api:strategy_detail"
        ).count()
        == 2
    )  # one row per child

    # Not closable while outcomes wait for acknowledgement.
    version = mash.get(f"/api/v1/reports/{rid}/")["version"]
    mash.post(f"/api/v1/reports/{rid}/close/", {"version": version}, expect=400)

    # 8. Police, health, school and the reporter each list and acknowledge their outcomes.
    for api in (police, health, school):
        waiting = api.get("/api/v1/outcomes/?acknowledged=false")["results"]
        assert waiting, api.user
        assert {o["source"] for o in waiting} == {"DECISION", "STRATEGY", "DETERMINATION"}
        for outcome in waiting:
            assert api.get(f"/api/v1/outcomes/{outcome['id']}/")["title"] == outcome["title"]
            done = api.post(f"/api/v1/outcomes/{outcome['id']}/acknowledge/")
            assert done["acknowledged_at"] and done["acknowledged_by"]
        assert api.get("/api/v1/outcomes/?acknowledged=false")["results"] == []
    reporter = [o for o in school.get("/api/v1/outcomes/")["results"] if o["is_reporter"]]
    assert reporter and all(o["acknowledged_at"] for o in reporter)
    assert not OutcomeNotification.objects.filter(acknowledged_at__isnull=True).exists()

    # The school sees its report and the outcomes meant for it, never the police answer.
    seen_by_school = json.dumps(
        [
            school.get(f"/api/v1/reports/{rid}/"),
            school.get("/api/v1/outcomes/"),
            school.get("/api/v1/requests/"),
        ]
    )
    assert POLICE_SECRET not in seen_by_school
    school.get(f"/api/v1/requests/{asked['police']['id']}/", expect=404)
    mine = school.get(f"/api/v1/reports/{rid}/")
    assert mine["decision"] is None and mine["requests"] == [] and mine["enquiries"] == []
    assert mine["outcomes"] and all(
        o["recipient_label"] == world.school.name or o["is_reporter"] for o in mine["outcomes"]
    )
    assert all(c["person_id"] is None for c in mine["children"])

    # 9. Closing: a stale version is 409 and changes nothing; the current one closes.
    detail = mash.get(f"/api/v1/reports/{rid}/")
    mash.post(f"/api/v1/reports/{rid}/close/", {"version": detail["version"] - 1}, expect=409)
    assert Report.objects.get(pk=rid).status == ReportStatus.DECIDED
    closed = mash.post(
        f"/api/v1/reports/{rid}/close/", {"version": detail["version"], "note": "Loops closed"}
    )
    assert closed["status"] == ReportStatus.CLOSED and closed["closed_at"]

    # A decision on a closed report is refused and changes nothing.
    refused = mash.post(
        f"/api/v1/reports/{rid}/decision/",
        {"outcome": "NFA", "rationale": "Trying again after closing the report."},
        expect=400,
    )
    assert refused["detail"] == "This report is closed."
    assert Decision.objects.count() == 1
    assert Report.objects.get(pk=rid).status == ReportStatus.CLOSED
    assert Section47Enquiry.objects.count() == 2


def test_a_health_user_never_asked_sees_nothing(world, apis):
    school, mash, health = apis["school_lead"], apis["mash"], apis["health_practitioner"]
    report = submit(school)
    first, _, _ = link_both(world, mash, report)
    police_request = ask(mash, report, first, world.police)
    before = AccessLog.objects.filter(user=world.health_practitioner).count()
    missing_report = health.get("/api/v1/reports/999999/", expect=404)
    for url in (
        f"/api/v1/reports/{report['id']}/",
        f"/api/v1/reports/{report['id']}/candidates/",
        f"/api/v1/requests/{police_request['id']}/",
    ):
        body = health.get(url, expect=404)
        assert body["detail"] == missing_report["detail"]
    assert health.get("/api/v1/reports/")["results"] == []
    assert health.get("/api/v1/requests/")["results"] == []
    assert health.get("/api/v1/outcomes/")["results"] == []
    health.post(
        f"/api/v1/requests/{police_request['id']}/answer/",
        {"holds_information": True, "summary": "Not ours to answer"},
        expect=404,
    )
    health.post(
        f"/api/v1/reports/{report['id']}/requests/",
        {
            "child_id": first["id"],
            "agency_id": world.health.pk,
            "priority": "URGENT",
            "question": "Hmm?",
        },
        expect=404,
    )
    assert AccessLog.objects.filter(user=world.health_practitioner).count() == before
    assert InformationRequest.objects.get(pk=police_request["id"]).status == RequestStatus.OPEN
    assert not InformationAnswer.objects.exists()


def test_an_answer_for_another_agency_is_404_and_changes_nothing(world, apis):
    report = submit(apis["school_lead"])
    first, _, _ = link_both(world, apis["mash"], report)
    police_request = ask(apis["mash"], report, first, world.police)
    response = apis["school_lead"].post(
        f"/api/v1/requests/{police_request['id']}/answer/",
        {"holds_information": True, "summary": "School answering for police"},
        expect=404,
    )
    assert response["status"] == 404
    assert InformationRequest.objects.get(pk=police_request["id"]).status == RequestStatus.OPEN
    assert not InformationAnswer.objects.exists()
    # The MASH itself cannot answer for the agency either (it may see the request: 403).
    apis["mash"].post(
        f"/api/v1/requests/{police_request['id']}/answer/",
        {"holds_information": False},
        expect=403,
    )
    assert not InformationAnswer.objects.exists()


def test_missing_required_answers_are_named_and_nothing_is_kept(world, apis):
    body = {"children": [{"given_name": "Siân", "family_name": "Prydderch"}]}
    problem = submit(apis["school_lead"], body, expect=400)
    assert problem["title"] == "Bad request"
    assert {
        "what_happened",
        "categories",
        "immediate_danger",
        "family_aware",
        "lawful_basis",
    } <= set(problem["errors"])
    nobody = submit(apis["school_lead"], {**REPORT, "children": []}, expect=400)
    assert "children" in nobody["errors"]
    assert Report.objects.count() == 0


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"categories": ["PHYSICAL", "NOT_A_CATEGORY"]}, "categories"),
        ({"immediate_danger": "MAYBE"}, "immediate_danger"),
        ({"lawful_basis": "BECAUSE"}, "lawful_basis"),
        ({"what_happened": "x" * 20_001}, "what_happened"),
        ({"immediate_danger": "YES"}, "police_called"),
        ({"authority_id": 999999}, "authority_id"),
        ({"channel": "SMOKE_SIGNAL"}, "channel"),
    ],
)
def test_bad_report_fields_are_clear_problems(world, apis, change, field):
    problem = submit(apis["school_lead"], {**REPORT, **change}, expect=400)
    assert field in problem["errors"], problem
    assert Report.objects.count() == 0


@pytest.mark.parametrize(
    ("child", "field"),
    [
        ({"given_name": "Siân", "nhs_number": "9990000019"}, "nhs_number"),
        ({"given_name": "Siân", "upn": "A12345"}, "upn"),
        ({"given_name": "Siân", "postcode": "NOT A POSTCODE"}, "postcode"),
        ({"given_name": "Siân", "date_of_birth": "2099-01-01"}, "date_of_birth"),
        ({"given_name": "Siân", "date_of_birth": "2015-02-30"}, "date_of_birth"),
        ({"family_name": "Prydderch", "is_unborn": True}, "expected_date_of_birth"),
        ({"school": "Ysgol"}, "given_name"),
        ({"given_name": "Siân", "sex": "OTHER"}, "sex"),
    ],
)
def test_bad_child_fields_name_the_child_and_the_field(world, apis, child, field):
    problem = submit(apis["school_lead"], {**REPORT, "children": [child]}, expect=400)
    assert field in problem["errors"]["children"]["0"], problem
    assert Report.objects.count() == 0


def test_a_phone_report_is_for_the_local_authority_to_record(world, apis):
    problem = submit(apis["school_lead"], {**REPORT, "channel": "PHONE"}, expect=403)
    assert problem["status"] == 403
    assert Report.objects.count() == 0
    received = (timezone.now() - datetime.timedelta(hours=2)).isoformat()
    recorded = submit(
        apis["mash"],
        {
            **REPORT,
            "channel": "PHONE",
            "reporter_kind": "PRACTITIONER",
            "reporter_name": "Dr Lewis, GP",
            "received_at": received,
        },
    )
    assert recorded["confirmation_due_at"]
    assert recorded["received_at"][:16] == received[:16]


def test_a_draft_is_kept_then_sent_once(world, apis):
    school = apis["school_lead"]
    draft = submit(school, {"children": REPORT["children"], "draft": True})
    assert draft["status"] == ReportStatus.DRAFT and draft["reference"] is None
    apis["mash"].get(f"/api/v1/reports/{draft['id']}/", expect=404)
    problem = school.post(f"/api/v1/reports/{draft['id']}/submit/", expect=400)
    assert "what_happened" in problem["errors"]
    assert Report.objects.get().status == ReportStatus.DRAFT
    answers = {k: v for k, v in REPORT.items() if k != "children"}
    url = f"/api/v1/reports/{draft['id']}/"
    stale = school.client.patch(
        url,
        json.dumps({**answers, "version": draft["version"] - 1}),
        content_type="application/json",
    )
    assert stale.status_code == 409
    assert Report.objects.get().what_happened == ""
    changed = school.client.patch(
        url,
        json.dumps({**answers, "version": draft["version"], "children": REPORT["children"][:1]}),
        content_type="application/json",
    )
    assert changed.status_code == 200, changed.content
    assert [c["given_name"] for c in changed.json()["children"]] == ["Sian"]
    sent = school.post(f"/api/v1/reports/{draft['id']}/submit/")
    assert sent["status"] == ReportStatus.SUBMITTED and sent["reference"]
    again = school.post(f"/api/v1/reports/{draft['id']}/submit/")
    assert again["reference"] == sent["reference"]
    assert Report.objects.count() == 1
    late = school.client.patch(
        url,
        json.dumps({"version": sent["version"], "what_happened": "x"}),
        content_type="application/json",
    )
    assert late.status_code == 400


def test_mash_actions_are_refused_to_the_reporter_and_other_authorities(world, apis):
    report = submit(apis["school_lead"])
    child = report["children"][0]
    url = f"/api/v1/reports/{report['id']}/children/{child['id']}/link/"
    apis["school_lead"].post(url, {"person_id": world.child.pk}, expect=403)
    other = Api(world.other_la_worker)
    other.post(url, {"person_id": world.child.pk}, expect=404)
    other.get(f"/api/v1/reports/{report['id']}/", expect=404)
    apis["mash"].post(url, {"person_id": world.other_child.pk}, expect=400)
    apis["mash"].post(url, {}, expect=400)
    apis["mash"].post(url, {"person_id": world.child.pk, "create_new": True}, expect=400)
    assert not Report.objects.get().children.filter(person__isnull=False).exists()


def test_strategy_input_is_checked_before_anything_is_written(world, apis):
    report = submit(apis["school_lead"])
    first, second, _ = link_both(world, apis["mash"], report)
    apis["manager"].post(
        f"/api/v1/reports/{report['id']}/decision/",
        {"outcome": "STRATEGY", "rationale": "Reasonable cause to suspect significant harm."},
        expect=201,
    )
    body = {
        "kind": "DISCUSSION",
        "medium": "PHONE",
        "held_at": timezone.now().isoformat(),
        "chair_id": world.manager.pk,
        "information_shared": "Police and social services shared what they hold.",
        "participants": [
            {"agency_id": world.authority.pk, "name": "Manager"},
            {"agency_id": world.school.pk, "name": "DSP"},
        ],
        "child_decisions": [
            {"child_id": first["id"], "s47": "JOINT", "reasons": "Disclosure"},
            {"child_id": second["id"], "s47": "NONE", "reasons": "No concern"},
        ],
    }
    url = f"/api/v1/reports/{report['id']}/strategy-discussions/"
    no_police = apis["mash"].post(url, body, expect=400)
    assert "participants" in no_police["errors"]
    unknown = apis["mash"].post(
        url,
        {**body, "child_decisions": [{"child_id": 999999, "s47": "NONE", "reasons": "x" * 6}]},
        expect=400,
    )
    assert "child_decisions" in unknown["errors"]
    future = apis["mash"].post(
        url,
        {
            **body,
            "held_at": (timezone.now() + datetime.timedelta(days=1)).isoformat(),
            "participants": [*body["participants"], {"agency_id": world.police.pk, "name": "DC"}],
        },
        expect=400,
    )
    assert "held_at" in future["errors"]
    assert StrategyDiscussion.objects.count() == 0
    assert Section47Enquiry.objects.count() == 0


def test_other_agencies_cannot_see_or_acknowledge_an_outcome_for_someone_else(world, apis):
    report = submit(apis["school_lead"])
    link_both(world, apis["mash"], report)
    apis["mash"].post(
        f"/api/v1/reports/{report['id']}/decision/",
        {"outcome": "IAA", "rationale": "Advice to the family on support available."},
        expect=201,
    )
    police_outcome = OutcomeNotification.objects.get(recipient_agency=world.police)
    apis["health_practitioner"].get(f"/api/v1/outcomes/{police_outcome.pk}/", expect=404)
    apis["health_practitioner"].post(
        f"/api/v1/outcomes/{police_outcome.pk}/acknowledge/", expect=404
    )
    police_outcome.refresh_from_db()
    assert police_outcome.acknowledged_at is None
    other_officer = f.user(world.police, Role.POLICE_OFFICER)
    assert Api(other_officer).post(f"/api/v1/outcomes/{police_outcome.pk}/acknowledge/")[
        "acknowledged_at"
    ]


def test_schema_documents_the_mash_endpoints(world):
    response = Client().get("/api/v1/schema/", HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    text = response.content.decode()
    for path in (
        "/api/v1/reports/",
        "/api/v1/reports/{report_id}/children/{child_id}/link/",
        "/api/v1/reports/{report_id}/decision/authorise/",
        "/api/v1/reports/{report_id}/strategy-discussions/",
        "/api/v1/requests/{request_id}/answer/",
        "/api/v1/enquiries/{enquiry_id}/determination/",
        "/api/v1/outcomes/{outcome_id}/acknowledge/",
    ):
        assert path in text, path
    assert "Idempotency-Key" in text
