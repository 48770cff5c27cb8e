"""Issue 11, defect 1: a write may name only the agencies, users and people its authority works
with (``diogelu/access/naming.py``). Before the fix the MASH could send an information request to
another council's police force (201) and a strategy discussion accepted participants and action
owners from outside the authority's partners; that agency then read the child's record.

Each case: the foreign name is refused with 400 problem+json naming the field, and nothing is
written (no request, no discussion, no involvement, no outcome)."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.utils import timezone

from diogelu.access import naming
from diogelu.access.models import Involvement
from diogelu.accounts.models import AgencyKind, Role
from diogelu.core.exceptions import DomainError
from diogelu.enquiries.models import StrategyDiscussion
from diogelu.sharing.models import InformationRequest, OutcomeNotification
from tests import factories as f
from tests.test_api_mash import Api, link_both, submit


@pytest.fixture
def outsiders(world):
    """Another council's police force (a partner of the other authority only), one of its
    officers, an inactive officer of our own police, and a child of the other authority."""
    foreign_police = f.agency(AgencyKind.POLICE, "Heddlu Aberdewi")
    foreign_police.partner_of.add(world.other_authority)
    foreign_officer = f.user(foreign_police, Role.PARTNER_PRACTITIONER, username="dc.aberdewi")
    leaver = f.user(world.police, Role.PARTNER_PRACTITIONER, username="dc.leaver", is_active=False)
    return {"police": foreign_police, "officer": foreign_officer, "leaver": leaver}


@pytest.fixture
def linked(world):
    apis = {name: Api(getattr(world, name)) for name in ("school_lead", "mash", "manager")}
    report = submit(apis["school_lead"])
    first, second, _ = link_both(world, apis["mash"], report)
    return apis, report, first, second


def _writes():
    return (
        InformationRequest.objects.count(),
        StrategyDiscussion.objects.count(),
        Involvement.objects.count(),
        OutcomeNotification.objects.count(),
    )


def test_an_information_request_to_another_councils_police_is_refused(world, outsiders, linked):
    apis, report, first, _ = linked
    before = _writes()
    problem = apis["mash"].post(
        f"/api/v1/reports/{report['id']}/requests/",
        {
            "child_id": first["id"],
            "agency_id": outsiders["police"].pk,
            "priority": "STANDARD",
            "question": "What do you hold about this child?",
        },
        expect=400,
    )
    assert "agency" in str(problem["errors"])
    assert _writes() == before
    assert not Involvement.objects.filter(agency=outsiders["police"]).exists()


def _strategy_body(world, first, second, **change):
    body = {
        "kind": "DISCUSSION",
        "medium": "PHONE",
        "held_at": timezone.now().isoformat(),
        "chair_id": world.manager.pk,
        "information_shared": "Police and social services shared what they hold.",
        "participants": [
            {"agency_id": world.authority.pk, "name": "Manager"},
            {"agency_id": world.police.pk, "name": "DC Jones"},
        ],
        "child_decisions": [
            {"child_id": first["id"], "s47": "NONE", "reasons": "No further concern"},
            {"child_id": second["id"], "s47": "NONE", "reasons": "No further concern"},
        ],
    }
    body.update(change)
    return body


@pytest.mark.parametrize("where", ["participant_agency", "participant_user", "action_owner"])
def test_a_strategy_discussion_naming_an_outsider_is_refused(world, outsiders, linked, where):
    apis, report, first, second = linked
    apis["manager"].post(
        f"/api/v1/reports/{report['id']}/decision/",
        {"outcome": "STRATEGY", "rationale": "Reasonable cause to suspect significant harm."},
        expect=201,
    )
    body = _strategy_body(world, first, second)
    if where == "participant_agency":
        body["participants"].append({"agency_id": outsiders["police"].pk, "name": "DC Outsider"})
    elif where == "participant_user":
        body["participants"].append(
            {
                "agency_id": outsiders["police"].pk,
                "user_id": outsiders["officer"].pk,
                "name": "DC Outsider",
            }
        )
    else:
        body["actions"] = [
            {
                "description": "Check the address",
                "owner_agency_id": outsiders["police"].pk,
                "due_on": (timezone.localdate() + datetime.timedelta(days=3)).isoformat(),
            }
        ]
    before = _writes()
    apis["mash"].post(f"/api/v1/reports/{report['id']}/strategy-discussions/", body, expect=400)
    assert _writes() == before
    assert not Involvement.objects.filter(agency=outsiders["police"]).exists()
    # The same body naming only the authority's own partners is accepted.
    apis["mash"].post(
        f"/api/v1/reports/{report['id']}/strategy-discussions/",
        _strategy_body(world, first, second),
        expect=201,
    )


def test_the_one_place_that_decides(world, outsiders):
    authority = world.authority.pk
    assert naming.check_agency(authority_id=authority, agency=world.police, field="a")
    assert naming.check_agency(authority_id=authority, agency=world.authority, field="a")
    with pytest.raises(DomainError):
        naming.check_agency(
            authority_id=authority, agency=world.authority, field="a", partners_only=True
        )
    with pytest.raises(DomainError):
        naming.check_agency(authority_id=authority, agency=outsiders["police"], field="a")
    with pytest.raises(DomainError):
        naming.check_agency(authority_id=authority, agency=world.other_authority, field="a")
    assert naming.check_user(authority_id=authority, user=world.police_officer, field="u")
    with pytest.raises(DomainError):
        naming.check_user(authority_id=authority, user=outsiders["officer"], field="u")
    with pytest.raises(DomainError):
        naming.check_user(authority_id=authority, user=outsiders["leaver"], field="u")
    with pytest.raises(DomainError):
        naming.check_user(authority_id=authority, user=world.other_la_worker, field="u")
    with pytest.raises(DomainError):  # a practitioner named with an agency not their own
        naming.check_user(
            authority_id=authority, user=world.police_officer, agency=world.school, field="u"
        )
    assert naming.check_person(
        actor=world.mash, authority_id=authority, person=world.child, field="p"
    )
    with pytest.raises(DomainError):
        naming.check_person(
            actor=world.mash, authority_id=authority, person=world.other_child, field="p"
        )
    world.sibling.is_restricted = True
    world.sibling.save(update_fields=["is_restricted"])
    with pytest.raises(DomainError):  # a restricted record the actor is not named on
        naming.check_person(
            actor=world.mash, authority_id=authority, person=world.sibling, field="p"
        )


# --- the conference, core group and plan services -----------------------------------------------


def _digest():
    from tests.test_idor_matrix import snapshot

    return snapshot()


@pytest.mark.parametrize("who", ["foreign_agency", "foreign_officer", "leaver", "foreign_child"])
def test_a_conference_invitation_naming_an_outsider_is_refused(world, outsiders, who):
    from diogelu.conferences import services as conference_services
    from diogelu.conferences.models import InviteeKind
    from diogelu.conferences.tests.test_journey import at, convened

    with time_machine.travel(at(2026, 1, 5, 8), tick=False) as clock:
        conference, _ = convened(world, clock)
        kwargs = {
            "foreign_agency": {"invitee_kind": InviteeKind.AGENCY, "agency": outsiders["police"]},
            "foreign_officer": {
                "invitee_kind": InviteeKind.AGENCY,
                "agency": outsiders["police"],
                "user": outsiders["officer"],
            },
            "leaver": {
                "invitee_kind": InviteeKind.AGENCY,
                "agency": world.police,
                "user": outsiders["leaver"],
            },
            "foreign_child": {"invitee_kind": InviteeKind.FAMILY, "person": world.other_child},
        }[who]
        before = _digest()
        with pytest.raises(DomainError):
            conference_services.invite(actor=world.social_worker, conference=conference, **kwargs)
        assert _digest() == before


@pytest.mark.parametrize("who", ["core_group_agency", "core_group_user", "plan_action_owner"])
def test_core_group_and_plan_owners_from_outside_are_refused(world, outsiders, who):
    from diogelu.conferences import services as conference_services
    from diogelu.conferences.models import Attendance
    from diogelu.conferences.tests.test_journey import at, convened, decision
    from diogelu.plans import services as plan_services
    from diogelu.plans.models import Plan

    with time_machine.travel(at(2026, 1, 5, 8), tick=False) as clock:
        conference, invites = convened(world, clock)
        clock.move_to(at(2026, 1, 19, 12))
        for name in ("la", "police", "health"):
            conference_services.record_attendance(
                actor=world.social_worker,
                invitation=invites[name],
                attendance=Attendance.ATTENDED,
            )
        for name in ("school", "mother", "child"):
            conference_services.record_attendance(
                actor=world.social_worker,
                invitation=invites[name],
                attendance=Attendance.APOLOGIES,
            )
        child = conference.children.get()
        chair = f.user(world.authority, Role.CONFERENCE_CHAIR)
        if who != "plan_action_owner":
            member = (
                {"agency": outsiders["police"], "name": "DC Outsider"}
                if who == "core_group_agency"
                else {"user": outsiders["officer"], "name": "DC Outsider"}
            )
            data = decision(child, world)
            data["core_group"] = [*data["core_group"], member]
            before = _digest()
            with pytest.raises(DomainError):
                conference_services.hold_conference(
                    actor=world.social_worker,
                    conference=conference,
                    held_at=at(2026, 1, 19, 10),
                    chair=chair,
                    decisions=[data],
                )
            assert _digest() == before
            return
        conference_services.hold_conference(
            actor=world.social_worker,
            conference=conference,
            held_at=at(2026, 1, 19, 10),
            chair=chair,
            decisions=[decision(child, world)],
        )
        plan = Plan.objects.get(person=world.child)
        version = plan.draft() or plan_services.draft_plan(actor=world.social_worker, plan=plan)
        before = _digest()
        with pytest.raises(DomainError):
            plan_services.edit_plan(
                actor=world.social_worker,
                version=version,
                expected_version=version.version,
                child_words="I want it to stop.",
                contingency="If the plan fails, a review conference is called within days.",
                outcomes=[
                    {
                        "what_must_change": "Siân is safe at home every day",
                        "actions": [
                            {
                                "description": "Share police call-outs weekly",
                                "responsible_user": outsiders["officer"],
                            }
                        ],
                    }
                ],
            )
        assert _digest() == before


def test_the_lists_and_the_write_checks_come_from_one_place(world, outsiders):
    """``/api/v1/agencies/`` and ``/users/`` are built on the rules the writes are checked with
    (``access.naming``): every listed agency and user is accepted by the checks, and what the
    checks refuse is not listed (another council's police, a leaver, an automatic account)."""
    from diogelu.accounts.dormant import AUTOMATIC_PREFIX

    # An automatic-actions account (even if someone switched it on) is never named.
    automatic = f.user(world.police, Role.PARTNER_PRACTITIONER, username=f"{AUTOMATIC_PREFIX}x")
    mash = Api(world.mash)
    agencies = mash.get("/api/v1/agencies/?limit=100")["results"]
    users = mash.get("/api/v1/users/?limit=100")["results"]
    listed_agencies = {a["id"] for a in agencies}
    listed_users = {u["id"] for u in users}
    assert listed_agencies == naming.nameable_agencies(world.authority.pk)
    from diogelu.accounts.models import Agency, User

    for agency in Agency.objects.filter(pk__in=listed_agencies):
        naming.check_agency(authority_id=world.authority.pk, agency=agency, field="agency_id")
    for user in User.objects.filter(pk__in=listed_users):
        naming.check_user(authority_id=world.authority.pk, user=user, field="user_id")
    assert outsiders["police"].pk not in listed_agencies
    for refused in (outsiders["officer"], outsiders["leaver"], automatic):
        assert refused.pk not in listed_users
        with pytest.raises(DomainError):
            naming.check_user(authority_id=world.authority.pk, user=refused, field="user_id")
