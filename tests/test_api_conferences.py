"""Conferences, the register and plans through the API alone, each person with their own token,
the clock set by time_machine: determination 3 → convene → invite → reports and attendance →
hold, registering under two categories → circulate → acknowledge → plan draft → quality preview
flags what is missing → fixed → publish → core group → visit. Then bad input, access, the review
that ends partners' access, and the CP-IS style register check."""

from __future__ import annotations

import json

import pytest
import time_machine
from django.core.management import call_command
from django.test import Client

from diogelu.access.models import AccessLog, Basis, Channel
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
from diogelu.conferences.tests.test_journey import at, convened, determination_3, held
from diogelu.notifications.models import OutboxMessage
from diogelu.plans.models import CoreGroupMeeting, Plan, PlanVersion, Visit
from tests import factories as f

PROBLEM = "application/problem+json"


class Api:
    """A client acting with one user's API token (valid for a year: the clock moves)."""

    def __init__(self, user):
        self.user = user
        self.client = Client(HTTP_AUTHORIZATION=f"Bearer {f.token(user, days=365)}")

    def _check(self, url, response, expect):
        assert response.status_code == expect, (url, response.content)
        if expect >= 400:
            assert response["Content-Type"] == PROBLEM
        return response.json()

    def get(self, url, expect=200):
        return self._check(url, self.client.get(url), expect)

    def post(self, url, body=None, expect=200, key=None):
        headers = {"HTTP_IDEMPOTENCY_KEY": key} if key else {}
        response = self.client.post(
            url, json.dumps(body or {}), content_type="application/json", **headers
        )
        return self._check(url, response, expect)

    def put(self, url, body, expect=200, key=None):
        headers = {"HTTP_IDEMPOTENCY_KEY": key} if key else {}
        response = self.client.put(
            url, json.dumps(body), content_type="application/json", **headers
        )
        return self._check(url, response, expect)


@pytest.fixture
def clock():
    with time_machine.travel(at(2026, 1, 5, 8), tick=False) as traveller:
        yield traveller


@pytest.fixture
def apis(world):
    return {
        name: Api(getattr(world, name))
        for name in (
            "social_worker",
            "manager",
            "mash",
            "police_officer",
            "school_lead",
            "health_practitioner",
            "other_la_worker",
        )
    }


def iso(moment):
    return moment.isoformat()


def decision_body(world, invites, **overrides):
    body = {
        "person_id": world.child.pk,
        "child_views": "Siân said she is frightened when her step-father shouts.",
        "views_method": "ADVOCATE",
        "parents_views": "Mother accepts help; step-father disputes the concerns.",
        "register": True,
        "categories": ["PHYSICAL", "EMOTIONAL"],
        "reasons": "Likely to suffer physical and emotional harm without a plan.",
        "lead_practitioner_id": world.social_worker.pk,
        "core_group": [
            {"invitation_id": invites[k]} for k in ("police", "school", "health", "mother")
        ],
        "first_core_group_on": "2026-01-30",
        "review_on": "2026-04-14",
        "contingency_plan": "If any new injury: strategy discussion the same day.",
    }
    body.update(overrides)
    return body


def hold_body(world, chair, invites, **overrides):
    return {
        "held_at": iso(at(2026, 1, 19, 10)),
        "chair_id": chair.pk,
        "summary": "Registered under physical and emotional abuse; outline plan agreed.",
        "decisions": [decision_body(world, invites, **overrides)],
    }


GAPPY_PLAN = {
    "child_words": "",
    "contingency": "",
    "outcomes": [
        {
            "what_must_change": "Siân is not hurt at home",
            "measure": "",
            "actions": [{"description": "Parenting course"}],
        }
    ],
}


def full_plan(world):
    return {
        "child_words": "I want Mam to be happy and nobody to shout.",
        "contingency": "If any new injury: strategy discussion the same day.",
        "outcomes": [
            {
                "what_must_change": "Siân is not hurt at home",
                "measure": "No injuries seen at visits or school; Siân says she feels safe",
                "actions": [
                    {
                        "description": "Mother attends the Freedom programme",
                        "responsible_user_id": world.social_worker.pk,
                        "target_date": "2026-03-01",
                    },
                    {
                        "description": "Share any call-out to the address within a day",
                        "responsible_user_id": world.police_officer.pk,
                        "target_date": "2026-04-14",
                    },
                    {
                        "description": "Daily check-in with the school nurse",
                        "responsible_name": "Mrs Jones, DSP",
                        "responsible_agency_id": world.school.pk,
                        "target_date": "2026-02-01",
                    },
                    {
                        "description": "Health visitor home visits fortnightly",
                        "responsible_user_id": world.health_practitioner.pk,
                        "target_date": "2026-04-14",
                    },
                ],
            }
        ],
    }


def test_the_whole_journey_through_the_api(world, clock, apis):
    sw, police, school = apis["social_worker"], apis["police_officer"], apis["school_lead"]
    health = apis["health_practitioner"]
    enquiry = determination_3(world, clock)

    # 1. Convene the initial conference from the determination-3 enquiry; a retry convenes once.
    body = {"kind": "INITIAL", "scheduled_for": iso(at(2026, 1, 19, 10))}
    url = f"/api/v1/enquiries/{enquiry.pk}/conference/"
    conference = sw.post(url, body, expect=201, key="convene-1")
    replay = sw.client.post(
        url, json.dumps(body), content_type="application/json", HTTP_IDEMPOTENCY_KEY="convene-1"
    )
    assert replay.status_code == 201 and replay["Idempotent-Replayed"] == "true"
    assert Conference.objects.count() == 1
    cid = conference["id"]
    assert conference["view"] == "STAFF" and conference["status"] == "CONVENED"
    # icpc.convene: 15 working days from the strategy meeting on Mon 5 Jan → Mon 26 Jan.
    assert conference["due_at"][:10] == "2026-01-26"
    assert conference["due_rule"] == "icpc.convene"
    assert [c["person_id"] for c in conference["children"]] == [world.child.pk]
    assert conference["enquiry_ids"] == [enquiry.pk]
    again = sw.post(url, body, expect=400)
    assert "already been convened" in again["detail"]
    listed = sw.get(f"/api/v1/people/{world.child.pk}/conferences/")["results"]
    assert [c["id"] for c in listed] == [cid]

    # 2. Invitations: the health practitioner, never involved before, then sees the summary.
    health.get(f"/api/v1/people/{world.child.pk}/", expect=404)
    refused = sw.post(
        f"/api/v1/conferences/{cid}/invitations/", {"invitee_kind": "AGENCY"}, expect=400
    )
    assert "agency" in refused["errors"]
    invites = {}
    for name, invite in (
        (
            "la",
            {
                "invitee_kind": "AGENCY",
                "agency_id": world.authority.pk,
                "user_id": world.social_worker.pk,
                "professional_group": "Social work",
            },
        ),
        (
            "police",
            {
                "invitee_kind": "AGENCY",
                "agency_id": world.police.pk,
                "user_id": world.police_officer.pk,
            },
        ),
        ("school", {"invitee_kind": "AGENCY", "agency_id": world.school.pk}),
        (
            "health",
            {
                "invitee_kind": "AGENCY",
                "agency_id": world.health.pk,
                "user_id": world.health_practitioner.pk,
                "professional_group": "Health visitor",
            },
        ),
        ("mother", {"invitee_kind": "FAMILY", "person_id": world.mother.pk}),
        (
            "child",
            {
                "invitee_kind": "CHILD",
                "person_id": world.child.pk,
                "advocacy_offered": True,
                "advocacy_accepted": True,
            },
        ),
    ):
        made = sw.post(
            f"/api/v1/conferences/{cid}/invitations/", invite, expect=201, key=f"invite-{name}"
        )
        invites[name] = made["id"]
    assert Invitation.objects.count() == 6
    assert Invitation.objects.get(pk=invites["child"]).advocacy_offered_at is not None
    assert health.get(f"/api/v1/people/{world.child.pk}/")["id"] == world.child.pk

    # 3. Agency reports, each by the invited agency's own user.
    police_text = "Two domestic incidents at the address; step-father arrested once."
    school_text = "Attendance 78%; arrives hungry; bruising seen in PE in December."
    report_url = "/api/v1/conferences/invitations/{}/report/"
    sent = police.post(report_url.format(invites["police"]), {"text": police_text}, key="r-1")
    assert sent["report_text"] == police_text and sent["report_submitted_at"]
    school.post(report_url.format(invites["police"]), {"text": "x" * 30}, expect=404)
    short = school.post(report_url.format(invites["school"]), {"text": "Too short"}, expect=400)
    assert "text" in short["errors"]
    school.post(report_url.format(invites["school"]), {"text": school_text})
    mine = police.get(f"/api/v1/conferences/{cid}/")
    assert mine["view"] == "INVITEE"
    assert [i["id"] for i in mine["invitations"]] == [invites["police"]]
    assert "children" not in mine and school_text not in json.dumps(mine)
    whole = sw.get(f"/api/v1/conferences/{cid}/")
    submitted = {i["id"]: i["report_submitted"] for i in whole["invitations"]}
    assert submitted[invites["police"]] and submitted[invites["school"]]
    assert not submitted[invites["health"]]

    # 4. Attendance; the conference cannot be held until every invitee's is recorded.
    attendance_url = "/api/v1/conferences/invitations/{}/attendance/"
    police.post(attendance_url.format(invites["police"]), {"attendance": "ATTENDED"}, expect=404)
    for name in ("la", "police", "health"):
        sw.post(attendance_url.format(invites[name]), {"attendance": "ATTENDED"})
    clock.move_to(at(2026, 1, 19, 12))
    chair = f.user(world.authority, Role.CONFERENCE_CHAIR, username="chair")
    hold_url = f"/api/v1/conferences/{cid}/held/"
    early = sw.post(hold_url, hold_body(world, chair, invites), expect=400)
    assert "attendance" in early["errors"]
    for name in ("school", "mother", "child"):
        sw.post(attendance_url.format(invites[name]), {"attendance": "APOLOGIES"})
    quorum = sw.get(f"/api/v1/conferences/{cid}/")["quorum"]
    assert quorum["groups"] == 3 and quorum["is_quorate"] and not quorum["needs_chair_reason"]

    # 5. Hold: registering without a category is refused and records nothing.
    no_category = sw.post(hold_url, hold_body(world, chair, invites, categories=[]), expect=400)
    assert list(no_category["errors"]["decisions"]["0"]) == ["categories"]
    assert "at least one category" in no_category["errors"]["decisions"]["0"]["categories"][0]
    assert Conference.objects.get(pk=cid).status == ConferenceStatus.CONVENED
    assert not RegisterEpisode.objects.exists()
    done = sw.post(hold_url, hold_body(world, chair, invites), key="hold-1")
    assert done["status"] == "HELD" and done["held_on_time"] is True
    assert done["chair"]["id"] == chair.pk
    assert done["quorum"]["groups"] == 3 and done["quorum"]["is_quorate"]
    # icpc.circulate_record: 5 working days from Mon 19 Jan → Mon 26 Jan.
    assert done["record_due_at"][:10] == "2026-01-26"
    decided = done["children"][0]["decision"]
    assert decided["register"] and decided["categories"] == ["EMOTIONAL", "PHYSICAL"]
    assert decided["lead_practitioner"]["id"] == world.social_worker.pk
    plan_id = done["children"][0]["plan_id"]
    assert plan_id == Plan.objects.get(person=world.child).pk
    twice = sw.post(hold_url, hold_body(world, chair, invites), expect=400)
    assert "already been held" in twice["detail"]

    # 6. The register: episodes with the category history, for staff and core group members.
    register = sw.get(f"/api/v1/people/{world.child.pk}/register/")
    assert register["on_register"] is True
    (episode,) = register["episodes"]
    assert episode["current_categories"] == ["EMOTIONAL", "PHYSICAL"]
    assert [(c["category"], c["to_at"]) for c in episode["categories"]] == [
        ("EMOTIONAL", None),
        ("PHYSICAL", None),
    ]
    assert episode["plan_id"] == plan_id and episode["conference_id"] == cid
    members = {m["name"]: m for m in episode["core_group"]}
    assert {
        world.police_officer.get_full_name(),
        "Ysgol y Dderwen",
        world.mother.full_name,
    } <= set(members)
    assert (
        health.get(f"/api/v1/people/{world.child.pk}/register/")["episodes"][0]["id"]
        == (episode["id"])
    )
    apis["other_la_worker"].get(f"/api/v1/people/{world.child.pk}/register/", expect=404)
    # A police colleague can see the child (the police are involved) but is not in the core
    # group: no register episodes for them.
    colleague = Api(f.user(world.police, Role.POLICE_OFFICER))
    colleague.get(f"/api/v1/people/{world.child.pk}/")
    colleague.get(f"/api/v1/people/{world.child.pk}/register/", expect=404)

    # 7. Circulate the record; again sends nothing new. Each recipient acknowledges.
    clock.move_to(at(2026, 1, 21, 9))
    circulated = sw.post(f"/api/v1/conferences/{cid}/circulate/", key="circulate-1")
    labels = {c["recipient_label"] for c in circulated["sent"]}
    assert {
        "Ysgol y Dderwen",
        world.mother.full_name,
        world.police_officer.get_full_name(),
    } <= labels
    assert circulated["conference"]["record_circulated_at"]
    assert sw.post(f"/api/v1/conferences/{cid}/circulate/")["sent"] == []
    (copy,) = police.get(f"/api/v1/conferences/{cid}/")["circulations"]
    record = police.get(copy["url"])
    assert record["children"][0]["decision"]["categories"] == ["EMOTIONAL", "PHYSICAL"]
    school.get(copy["url"], expect=404)
    school.post(copy["url"] + "acknowledge/", expect=404)
    by_agency = {
        world.police.pk: police,
        world.school.pk: school,
        world.health.pk: health,
        world.authority.pk: sw,
    }
    for c in Circulation.objects.filter(conference_id=cid):
        if c.recipient_user_id is not None:
            api = by_agency[c.recipient_user.agency_id]
        elif c.recipient_agency_id is not None:
            api = by_agency[c.recipient_agency_id]
        else:
            api = sw  # social services acknowledge for a family member
        acknowledged = api.post(f"/api/v1/conferences/records/{c.pk}/acknowledge/")
        assert acknowledged["acknowledged_by"]["id"] == api.user.pk
    staff_view = sw.get(f"/api/v1/conferences/{cid}/")
    assert all(c["acknowledged_at"] for c in staff_view["circulations"])
    assert not staff_view["record_overdue"]

    # 8. The plan: a draft with gaps; the quality preview flags them.
    plan_url = f"/api/v1/plans/{plan_id}/"
    draft = sw.post(plan_url + "versions/", expect=201, key="draft-1")
    assert (draft["number"], draft["status"]) == (1, "DRAFT")
    assert sw.post(plan_url + "versions/")["id"] == draft["id"]  # the open draft
    version_url = f"{plan_url}versions/{draft['id']}/"
    draft = sw.put(version_url, {**GAPPY_PLAN, "expected_version": draft["version"]})
    quality = sw.get(version_url + "quality/")
    assert {i["code"] for i in quality["issues"]} == {
        "OUTCOME_WITHOUT_MEASURE",
        "ACTION_WITHOUT_OWNER",
        "ACTION_WITHOUT_DATE",
        "NO_CHILD_VOICE",
        "NO_CONTINGENCY",
        "AGENCY_WITHOUT_ACTION",
    }
    assert quality["score"] < 50 and quality["is_complete"] is False
    police.get(version_url + "quality/", expect=404)
    police.put(version_url, {**full_plan(world), "expected_version": draft["version"]}, expect=404)

    # Fixed: a stale expected version is 409 and changes nothing; the current one saves.
    stale = sw.put(
        version_url, {**full_plan(world), "expected_version": draft["version"] - 1}, expect=409
    )
    assert stale["status"] == 409
    assert PlanVersion.objects.get(pk=draft["id"]).child_words == ""
    draft = sw.put(version_url, {**full_plan(world), "expected_version": draft["version"]})
    assert len(draft["outcomes"][0]["actions"]) == 4
    quality = sw.get(version_url + "quality/")
    assert quality["is_complete"] is True and quality["score"] == 100 and quality["issues"] == []

    # Publish: stale is 409; then published with its score, and the core group is told.
    publish_url = version_url + "publish/"
    sw.post(publish_url, {"expected_version": draft["version"] - 1}, expect=409)
    published = sw.post(publish_url, {"expected_version": draft["version"]}, key="publish-1")
    assert published["status"] == "PUBLISHED" and published["quality_score"] == 100
    assert published["quality_issues"] == []
    assert OutboxMessage.objects.filter(
        dedupe_key__startswith=f"plan-published:{published['id']}"
    ).exists()
    sw.get(version_url + "quality/", expect=400)  # a published version keeps its own
    seen_by_police = police.get(plan_url)
    assert seen_by_police["current"]["id"] == published["id"]
    assert seen_by_police["draft"] is None and seen_by_police["may_edit"] is False

    # Editing the published version makes a new draft; the published one is unchanged; while
    # that draft is open the published version cannot be edited again.
    edited = {**full_plan(world), "child_words": "I want Mam to be happy."}
    v2 = sw.put(version_url, {**edited, "expected_version": published["version"]}, expect=201)
    assert (v2["number"], v2["status"], v2["based_on_id"]) == (2, "DRAFT", published["id"])
    assert sw.get(version_url)["child_words"] == "I want Mam to be happy and nobody to shout."
    refused = sw.put(version_url, {**edited, "expected_version": published["version"]}, expect=400)
    assert "already being drafted" in refused["detail"]
    police.get(f"{plan_url}versions/{v2['id']}/", expect=404)  # drafts are the authority's
    assert sw.get(plan_url)["draft"]["id"] == v2["id"]

    # 9. The first core group, within core_group.first; progress and actions are recorded.
    clock.move_to(at(2026, 1, 30, 15))
    current = sw.get(plan_url)["current"]
    outcome = current["outcomes"][0]
    first_action = outcome["actions"][0]
    assert first_action["status"] == "NOT_STARTED"
    attended = [m["id"] for m in episode["core_group"] if m["user"] is not None]
    meeting = sw.post(
        plan_url + "core-groups/",
        {
            "held_at": iso(at(2026, 1, 30, 14)),
            "attended": attended,
            "child_attended": True,
            "child_views": "Siân said things are calmer.",
            "risks": "Step-father still visits at weekends.",
            "progress": [{"outcome_id": outcome["id"], "rating": "SOME"}],
            "action_updates": [{"action_id": first_action["id"], "status": "IN_PROGRESS"}],
        },
        expect=201,
        key="core-group-1",
    )
    assert meeting["on_time"] is True and meeting["due_at"][:10] == "2026-02-02"
    assert meeting["attended"] == len(attended)
    assert CoreGroupMeeting.objects.count() == 1
    after = police.get(plan_url)
    assert after["current"]["outcomes"][0]["actions"][0]["status"] == "IN_PROGRESS"
    (seen,) = after["core_group_meetings"]
    assert seen["progress"][0]["rating"] == "SOME" and seen["risks"] is None
    assert sw.get(plan_url)["core_group_meetings"][0]["risks"].startswith("Step-father")

    # 10. A visit: seen alone at home, bedroom seen. A visit in the future is refused.
    visit = sw.post(
        plan_url + "visits/",
        {
            "visited_at": iso(at(2026, 1, 23, 16)),
            "child_seen": True,
            "seen_alone": True,
            "seen_at_home": True,
            "bedroom_seen": True,
            "child_words": "My room is my safe place.",
            "observations": "Home tidy, food in the fridge, step-father not present.",
        },
        expect=201,
        key="visit-1",
    )
    assert visit["visitor"]["id"] == world.social_worker.pk
    future = sw.post(
        plan_url + "visits/",
        {
            "visited_at": iso(at(2026, 2, 1, 10)),
            "child_seen": True,
            "seen_alone": True,
            "child_words": "Not yet said",
            "observations": "Not yet happened",
        },
        expect=400,
    )
    assert "visited_at" in future["errors"]
    assert Visit.objects.count() == 1
    assert [v["id"] for v in sw.get(plan_url + "visits/")["results"]] == [visit["id"]]
    due = {d["rule"]: d for d in sw.get(plan_url + "visits/due/")["results"]}  # a page
    assert set(due) == {"visit.seen_alone", "visit.seen_at_home", "visit.bedroom"}
    # 10 working days after Fri 23 Jan → Fri 6 Feb.
    assert due["visit.seen_alone"]["due_on"] == "2026-02-06"
    assert due["visit.bedroom"]["status"] == "met"
    police.get(plan_url + "visits/due/", expect=404)
    police.get(plan_url + "visits/", expect=404)

    # Every read above was logged on the API channel.
    assert AccessLog.objects.filter(user=world.health_practitioner, channel=Channel.API).exists()
    assert not AccessLog.objects.filter(channel=Channel.PAGE).exists()


def test_a_partner_not_invited_gets_404(world, clock, apis):
    enquiry = determination_3(world, clock)
    conference = apis["social_worker"].post(
        f"/api/v1/enquiries/{enquiry.pk}/conference/", {"kind": "INITIAL"}, expect=201
    )
    cid = conference["id"]
    police, health = apis["police_officer"], apis["health_practitioner"]
    missing = police.get("/api/v1/conferences/999999/", expect=404)
    # The police are involved with the child (they see the person) but were not invited.
    police.get(f"/api/v1/people/{world.child.pk}/")
    for api in (police, health, apis["school_lead"], apis["mash"], apis["other_la_worker"]):
        assert api.get(f"/api/v1/conferences/{cid}/", expect=404)["detail"] == missing["detail"]
    police.get(f"/api/v1/people/{world.child.pk}/conferences/", expect=404)
    police.post(
        f"/api/v1/conferences/{cid}/invitations/",
        {"invitee_kind": "AGENCY", "agency_id": world.police.pk},
        expect=404,
    )
    # The police took part in the strategy meeting, so they read the enquiry back (ADR 0640):
    # convening from it is an action they may not take, 403; health, never part of it, 404.
    police.post(f"/api/v1/enquiries/{enquiry.pk}/conference/", {"kind": "INITIAL"}, expect=403)
    health.post(f"/api/v1/enquiries/{enquiry.pk}/conference/", {"kind": "INITIAL"}, expect=404)
    health.get(f"/api/v1/people/{world.child.pk}/", expect=404)
    assert Conference.objects.count() == 1
    assert not Invitation.objects.exists()


def test_an_invitee_sees_its_own_part_and_nothing_after_its_involvement_ends(world, clock, apis):
    conference, invites = convened(world, clock)
    health, police = apis["health_practitioner"], apis["police_officer"]
    url = f"/api/v1/conferences/{conference.pk}/"

    # Invited by name: their own invitation, nothing of the other invitees or the children.
    mine = health.get(url)
    assert mine["view"] == "INVITEE"
    assert [i["id"] for i in mine["invitations"]] == [invites["health"].pk]
    assert {"children", "quorum", "summary"}.isdisjoint(mine)
    assert world.child.given_name not in json.dumps(mine)
    # While invited, the child's summary and chronology; never the staff's actions.
    health.get(f"/api/v1/people/{world.child.pk}/")
    health.get(f"/api/v1/people/{world.child.pk}/chronology/")
    health.get(f"/api/v1/people/{world.child.pk}/conferences/", expect=404)
    health.post(
        f"/api/v1/conferences/invitations/{invites['health'].pk}/attendance/",
        {"attendance": "ATTENDED"},
        expect=404,
    )
    health.post(
        f"/api/v1/conferences/invitations/{invites['school'].pk}/report/",
        {"text": "Not our invitation to answer for."},
        expect=404,
    )
    health.post(f"{url}held/", {}, expect=404)
    assert Invitation.objects.get(pk=invites["school"].pk).report_submitted_at is None

    # Held, the child not registered: invitees keep sight of the child only until the record
    # is due to have been circulated (Mon 26 Jan).
    clock.move_to(at(2026, 1, 19, 12))
    for invitation in invites.values():
        conferences.record_attendance(
            actor=world.social_worker, invitation=invitation, attendance=Attendance.ATTENDED
        )
    chair = f.user(world.authority, Role.CONFERENCE_CHAIR)
    held_conference = apis["social_worker"].post(
        f"{url}held/",
        {
            "held_at": iso(at(2026, 1, 19, 10)),
            "chair_id": chair.pk,
            "summary": "Not registered; a care and support plan under Part 4 instead.",
            "decisions": [
                {
                    "person_id": world.child.pk,
                    "child_views": "Siân said things are better since the police came.",
                    "views_method": "SOCIAL_WORKER",
                    "register": False,
                    "reasons": "Risk reduced: step-father has left; family engaging with help.",
                }
            ],
        },
    )
    assert held_conference["children"][0]["decision"]["register"] is False
    assert not RegisterEpisode.objects.exists()
    health.get(f"/api/v1/people/{world.child.pk}/")  # still within the circulation time

    clock.move_to(at(2026, 1, 27, 9))
    for path in ("", "chronology/", "register/", "conferences/"):
        health.get(f"/api/v1/people/{world.child.pk}/{path}", expect=404)
    # The police's own involvement (from the MASH) is untouched.
    police.get(f"/api/v1/people/{world.child.pk}/")
    police.get(f"/api/v1/people/{world.child.pk}/register/", expect=404)


def test_a_review_removes_the_child_and_ends_the_core_groups_access(world, clock, apis):
    held(world, clock)
    sw, health, police = apis["social_worker"], apis["health_practitioner"], apis["police_officer"]
    plan = Plan.objects.get(person=world.child)
    plan_url = f"/api/v1/plans/{plan.pk}/"
    assert health.get(plan_url)["child"] == world.child.full_name
    police.post(f"{plan_url}review/", expect=403)  # sees the plan, may not convene a review

    clock.move_to(at(2026, 4, 14, 15))
    review = sw.post(
        f"{plan_url}review/", {"scheduled_for": iso(at(2026, 4, 14, 10))}, expect=201, key="rv"
    )
    assert review["kind"] == "REVIEW" and review["due_rule"] == "review.first"
    assert review["due_at"][:10] == "2026-04-19"
    assert sw.get(plan_url)["next_review"]["rule"] == "review.first"
    rid = review["id"]
    for agency, user in (
        (world.authority, world.social_worker),
        (world.police, world.police_officer),
        (world.health, world.health_practitioner),
    ):
        invitation = sw.post(
            f"/api/v1/conferences/{rid}/invitations/",
            {"invitee_kind": "AGENCY", "agency_id": agency.pk, "user_id": user.pk},
            expect=201,
        )
        sw.post(
            f"/api/v1/conferences/invitations/{invitation['id']}/attendance/",
            {"attendance": "ATTENDED"},
        )
    chair = f.user(world.authority, Role.CONFERENCE_CHAIR)
    decision = {
        "person_id": world.child.pk,
        "child_views": "Siân said she feels safe now.",
        "views_method": "ATTENDED",
        "register": False,
        "reasons": "",
    }
    body = {"held_at": iso(at(2026, 4, 14, 10)), "chair_id": chair.pk, "decisions": [decision]}
    refused = sw.post(f"/api/v1/conferences/{rid}/held/", body, expect=400)
    assert "evidence of change" in refused["errors"]["decisions"]["0"]["reasons"][0]
    assert RegisterEpisode.objects.get().is_open
    decision["reasons"] = "No incidents since January; step-father left; Siân says she feels safe."
    decision["progress"] = "All actions done; outcome achieved."
    body["summary"] = "Siân is no longer on the register; care and support plan continues."
    done = sw.post(f"/api/v1/conferences/{rid}/held/", body)
    assert done["children"][0]["decision"]["register"] is False

    register = sw.get(f"/api/v1/people/{world.child.pk}/register/")
    assert register["on_register"] is False
    (episode,) = register["episodes"]
    assert episode["end_reason"] == "REVIEW_DECISION" and episode["ending_conference_id"] == rid
    assert episode["current_categories"] == []
    assert all(c["to_at"] for c in episode["categories"])
    assert all(m["ended_at"] for m in episode["core_group"])
    assert sw.get(f"{plan_url}visits/due/")["results"] == []
    # The core group's access ended with the registration, at once.
    for api in (health, police):
        api.get(plan_url, expect=404)
        api.get(f"/api/v1/people/{world.child.pk}/register/", expect=404)
    health.get(f"/api/v1/people/{world.child.pk}/", expect=404)


@pytest.mark.parametrize(
    ("change", "where"),
    [
        ({"chair_id": 999999}, ["chair_id"]),
        ({"held_at": "not a date"}, ["held_at"]),
        ({"decision": {"person_id": 999999}}, ["decisions", "0", "person_id"]),
        ({"decision": {"categories": ["PHYSICAL", "CURIOSITY"]}}, ["decisions", "0", "categories"]),
        ({"decision": {"views_method": "GUESSWORK"}}, ["decisions", "0", "views_method"]),
        (
            {"decision": {"lead_practitioner_id": 999999}},
            ["decisions", "0", "lead_practitioner_id"],
        ),
        (
            {"decision": {"core_group": [{"invitation_id": 999999}]}},
            ["decisions", "0", "core_group", "0", "invitation_id"],
        ),
        ({"decision": {"core_group": [{}]}}, ["decisions", "0", "core_group", "0"]),
        ({"decision": {"review_on": "2026-04-20"}}, ["decisions", "0", "review_on"]),
        ({"decision": {"contingency_plan": ""}}, ["decisions", "0", "contingency_plan"]),
        ({"decision": {"lead_practitioner_id": None}}, ["decisions", "0", "lead_practitioner"]),
        ({"decisions": []}, ["decisions"]),
    ],
)
def test_bad_hold_input_names_the_field_and_records_nothing(world, clock, apis, change, where):
    conference, invites = convened(world, clock)
    clock.move_to(at(2026, 1, 19, 12))
    for invitation in invites.values():
        conferences.record_attendance(
            actor=world.social_worker, invitation=invitation, attendance=Attendance.ATTENDED
        )
    chair = f.user(world.authority, Role.CONFERENCE_CHAIR)
    ids = {name: i.pk for name, i in invites.items()}
    body = hold_body(world, chair, ids, **change.pop("decision", {}))
    body.update(change)
    problem = apis["social_worker"].post(
        f"/api/v1/conferences/{conference.pk}/held/", body, expect=400
    )
    found = problem["errors"]
    for key in where:
        assert key in found, (where, problem)
        found = found[key]
    conference.refresh_from_db()
    assert conference.status == ConferenceStatus.CONVENED
    assert not RegisterEpisode.objects.exists()


def test_register_check_answers_only_the_question(world, clock):
    held(world, clock)
    checker = f.user(world.health, Role.HEALTH_PRACTITIONER, phone="")
    api = Api(checker)
    url = "/api/v1/register/check/"
    body = {"reason": "Attending the emergency department", "nhs_number": "999 000 0018"}
    answer = api.post(url, body, key="check-1")
    assert answer == {
        "on_register": True,
        "since": "2026-01-19",
        "contact_name": world.social_worker.get_full_name(),
        "contact_phone": world.social_worker.phone,
        "contact_agency": world.authority.name,
    }
    row = AccessLog.objects.get(user=checker)
    assert (row.person, row.basis, row.channel, row.route) == (
        world.child,
        Basis.REGISTER_CHECK,
        Channel.API,
        "conferences:register-check",
    )
    assert RegisterCheck.objects.get().on_register
    assert (
        OutboxMessage.objects.filter(
            dedupe_key__startswith="register-check:", recipient_user=world.social_worker
        ).count()
        == 1
    )
    # A retry with the same key is answered once: no second check, log row or notification.
    replay = api.client.post(
        url, json.dumps(body), content_type="application/json", HTTP_IDEMPOTENCY_KEY="check-1"
    )
    assert replay.status_code == 200 and replay["Idempotent-Replayed"] == "true"
    assert RegisterCheck.objects.count() == 1
    assert AccessLog.objects.filter(user=checker).count() == 1
    # The check gives no access to the record.
    api.get(f"/api/v1/people/{world.child.pk}/", expect=404)
    api.get(f"/api/v1/people/{world.child.pk}/register/", expect=404)

    # Not on the register and not found answer alike; only a match is access-logged.
    not_registered = api.post(
        url,
        {
            "reason": "Minor injury unit",
            "given_name": "Dafydd",
            "family_name": "Prydderch",
            "date_of_birth": world.sibling.date_of_birth.isoformat(),
        },
    )
    unknown = api.post(url, {"reason": "Minor injury unit", "nhs_number": "9990000999"})
    assert (
        not_registered
        == unknown
        == {
            "on_register": False,
            "since": None,
            "contact_name": "",
            "contact_phone": "",
            "contact_agency": "",
        }
    )
    assert AccessLog.objects.filter(user=checker).count() == 2
    assert RegisterCheck.objects.count() == 3

    # Without identifiers: the field is named and nothing is kept.
    problem = api.post(url, {"reason": "Attending A&E with a bruise"}, expect=400)
    assert "nhs_number" in problem["errors"]
    assert RegisterCheck.objects.count() == 3
    # Schools, social workers and other authorities cannot check: 404.
    for persona in ("school_lead", "social_worker", "other_la_worker"):
        Api(getattr(world, persona)).post(url, body, expect=404)
    assert RegisterCheck.objects.count() == 3


def test_plan_input_names_the_field(world, clock, apis):
    held(world, clock)
    plan = Plan.objects.get(person=world.child)
    sw = apis["social_worker"]
    draft = sw.post(f"/api/v1/plans/{plan.pk}/versions/", expect=201)
    url = f"/api/v1/plans/{plan.pk}/versions/{draft['id']}/"
    bad = full_plan(world)
    bad["outcomes"][0]["actions"][1]["responsible_user_id"] = 999999
    problem = sw.put(url, {**bad, "expected_version": draft["version"]}, expect=400)
    assert "responsible_user_id" in problem["errors"]["outcomes"]["0"]["actions"]["1"]
    empty = sw.post(f"{url}publish/", {"expected_version": draft["version"]}, expect=400)
    assert "outcomes" in empty["errors"]
    assert PlanVersion.objects.get(pk=draft["id"]).status == "DRAFT"
    sw.get(f"/api/v1/plans/{plan.pk}/versions/999999/", expect=404)
    meeting = sw.post(
        f"/api/v1/plans/{plan.pk}/core-groups/",
        {"held_at": iso(at(2026, 1, 5, 9)), "child_views": "Siân said hello."},
        expect=400,
    )
    assert "held_at" in meeting["errors"]  # before the registration
    assert not CoreGroupMeeting.objects.exists()


def test_schema_is_warning_free_and_documents_the_endpoints(tmp_path):
    out = tmp_path / "schema.yml"
    call_command("spectacular", "--api-version", "v1", "--fail-on-warn", "--file", str(out))
    text = out.read_text()
    for path in (
        "/api/v1/enquiries/{enquiry_id}/conference/",
        "/api/v1/conferences/{conference_id}/held/",
        "/api/v1/conferences/records/{circulation_id}/acknowledge/",
        "/api/v1/register/check/",
        "/api/v1/people/{person_id}/register/",
        "/api/v1/plans/{plan_id}/versions/{version_id}/quality/",
        "/api/v1/plans/{plan_id}/visits/due/",
    ):
        assert path in text, path


def test_register_check_refuses_an_invalid_nhs_number(world, clock):
    """Regression: a number failing the modulus 11 check answered ``on_register: false``."""
    held(world, clock)
    checker = f.user(world.health, Role.HEALTH_PRACTITIONER)
    body = {"reason": "Attending the emergency department", "nhs_number": "9990000017"}
    problem = Api(checker).post("/api/v1/register/check/", body, expect=400, key="typo-1")
    assert "not a valid NHS number" in json.dumps(problem)
    assert "on_register" not in problem
    assert not RegisterCheck.objects.exists()


def test_a_plan_below_the_quality_threshold_needs_a_managers_sign_off(world, clock, apis):
    held(world, clock)
    plan = Plan.objects.get(person=world.child)
    sw, manager = apis["social_worker"], apis["manager"]
    draft = sw.post(f"/api/v1/plans/{plan.pk}/versions/", expect=201)
    url = f"/api/v1/plans/{plan.pk}/versions/{draft['id']}/"
    draft = sw.put(url, {**GAPPY_PLAN, "expected_version": draft["version"]})
    sw.post(f"{url}publish/", {"expected_version": draft["version"]}, expect=403)
    manager.post(f"{url}publish/", {"expected_version": draft["version"]}, expect=400)
    published = manager.post(
        f"{url}publish/",
        {"expected_version": draft["version"], "sign_off_reason": "Agreed at conference."},
        key="sign-off-1",
    )
    assert published["status"] == "PUBLISHED" and published["quality_score"] < 75
    assert published["signed_off_by"]["id"] == world.manager.pk
    assert published["sign_off_reason"] == "Agreed at conference."
    assert published["quality_threshold"] == 75
