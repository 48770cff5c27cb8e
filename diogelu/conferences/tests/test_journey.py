"""The conference → register → plan → core group → visits → review journey through the services,
with the clock set by time_machine, plus bad input, access and the register check."""

from __future__ import annotations

import datetime

import pytest
import time_machine

from diogelu.access.models import AccessLog, Basis
from diogelu.access.visibility import decide
from diogelu.accounts.models import Role
from diogelu.conferences import services as conferences
from diogelu.conferences.models import (
    Attendance,
    Category,
    Circulation,
    Conference,
    ConferenceStatus,
    EndReason,
    InviteeKind,
    RegisterEpisode,
    ViewsMethod,
)
from diogelu.core.exceptions import DomainError, NotPermittedError
from diogelu.enquiries import services as enquiries
from diogelu.enquiries.models import S47Kind
from diogelu.notifications.models import OutboxMessage
from diogelu.plans import services as plans
from diogelu.plans.access import plans_visible_to
from diogelu.plans.due import overdue_visits, overdue_visits_for_worker, visits_due
from diogelu.plans.models import PlanVersion, Visit
from diogelu.plans.quality import plan_quality
from diogelu.procedures import LONDON
from diogelu.sharing.tests.journey import decided_for_strategy
from tests import factories as f

D = datetime.date


def at(y, m, d, hh=10, mm=0):
    return datetime.datetime(y, m, d, hh, mm, tzinfo=LONDON)


def determination_3(world, clock):
    """Report at 08:00 on Mon 5 Jan 2026; strategy meeting at 09:00; the child seen alone;
    determination 3 at 10:00."""
    j = decided_for_strategy(world)
    clock.move_to(at(2026, 1, 5, 10))
    enquiries.record_strategy_discussion(
        actor=world.mash,
        report=j.report,
        kind="MEETING",
        medium="VIDEO",
        held_at=at(2026, 1, 5, 9),
        chair=world.manager,
        information_shared="Police: two DA incidents. School: attendance and hunger.",
        participants=[
            {"agency": world.authority, "name": "Manager"},
            {"agency": world.police, "name": "DC Harries"},
            {"agency": world.school, "name": "DSP"},
        ],
        child_decisions=[
            {"child": j.child, "s47": S47Kind.JOINT, "reasons": "Disclosure of physical harm"},
            {"child": j.sibling, "s47": S47Kind.NONE, "reasons": "No concerns for sibling"},
        ],
        lead_social_worker=world.social_worker,
    )
    enquiry = j.report.enquiries.get(person=world.child)
    enquiries.record_child_seen(
        actor=world.social_worker,
        enquiry=enquiry,
        seen_at=at(2026, 1, 5, 9, 30),
        seen_alone=True,
        child_views="I don't want to go home when he is there.",
    )
    enquiries.record_determination(
        actor=world.social_worker,
        enquiry=enquiry,
        determination="3",
        rationale="Substantiated with continuing risk of physical harm.",
    )
    enquiry.refresh_from_db()
    return enquiry


def decision(child, world, **overrides):
    base = {
        "child": child,
        "child_views": "Siân said she is frightened when her step-father shouts.",
        "views_method": ViewsMethod.ADVOCATE,
        "parents_views": "Mother accepts help; step-father disputes the concerns.",
        "register": True,
        "categories": [Category.PHYSICAL, Category.EMOTIONAL],
        "reasons": "Likely to suffer physical and emotional harm without a plan.",
        "lead_practitioner": world.social_worker,
        "core_group": [
            {"user": world.police_officer, "role": "Police"},
            {"agency": world.school, "role": "School"},
            {"user": world.health_practitioner, "role": "Health visitor"},
            {"person": world.mother, "role": "Mother"},
        ],
        "first_core_group_on": D(2026, 1, 30),
        "review_on": D(2026, 4, 14),
        "contingency_plan": "If any new injury: strategy discussion the same day.",
    }
    base.update(overrides)
    return base


@pytest.fixture
def clock():
    with time_machine.travel(at(2026, 1, 5, 8), tick=False) as traveller:
        yield traveller


def convened(world, clock):
    enquiry = determination_3(world, clock)
    conference = conferences.convene_conference(
        actor=world.social_worker, enquiries=[enquiry], scheduled_for=at(2026, 1, 19)
    )
    invites = {
        "la": conferences.invite(
            actor=world.social_worker,
            conference=conference,
            invitee_kind=InviteeKind.AGENCY,
            agency=world.authority,
            user=world.social_worker,
            professional_group="Social work",
        ),
        "police": conferences.invite(
            actor=world.social_worker,
            conference=conference,
            invitee_kind=InviteeKind.AGENCY,
            agency=world.police,
            user=world.police_officer,
        ),
        "school": conferences.invite(
            actor=world.social_worker,
            conference=conference,
            invitee_kind=InviteeKind.AGENCY,
            agency=world.school,
        ),
        "health": conferences.invite(
            actor=world.social_worker,
            conference=conference,
            invitee_kind=InviteeKind.AGENCY,
            agency=world.health,
            user=world.health_practitioner,
            professional_group="Health visitor",
        ),
        "mother": conferences.invite(
            actor=world.social_worker,
            conference=conference,
            invitee_kind=InviteeKind.FAMILY,
            person=world.mother,
        ),
        "child": conferences.invite(
            actor=world.social_worker,
            conference=conference,
            invitee_kind=InviteeKind.CHILD,
            person=world.child,
            advocacy_offered=True,
            advocacy_accepted=True,
        ),
    }
    return conference, invites


def held(world, clock):
    conference, invites = convened(world, clock)
    clock.move_to(at(2026, 1, 19, 12))
    for name in ("la", "police", "health"):
        conferences.record_attendance(
            actor=world.social_worker, invitation=invites[name], attendance=Attendance.ATTENDED
        )
    for name in ("school", "mother", "child"):
        conferences.record_attendance(
            actor=world.social_worker, invitation=invites[name], attendance=Attendance.APOLOGIES
        )
    child = conference.children.get()
    conferences.hold_conference(
        actor=world.social_worker,
        conference=conference,
        held_at=at(2026, 1, 19, 10),
        chair=f.user(world.authority, Role.CONFERENCE_CHAIR),
        decisions=[decision(child, world)],
        summary="Registered under physical and emotional abuse; outline plan agreed.",
    )
    conference.refresh_from_db()
    return conference, invites


def three_agencies_attend(world, conference):
    """The authority, the police and health invited by name, each recorded as attending (a
    quorum); returns the invitations."""
    invitations = []
    for agency, user in (
        (world.authority, world.social_worker),
        (world.police, world.police_officer),
        (world.health, world.health_practitioner),
    ):
        invitation = conferences.invite(
            actor=world.social_worker,
            conference=conference,
            invitee_kind=InviteeKind.AGENCY,
            agency=agency,
            user=user,
        )
        conferences.record_attendance(
            actor=world.social_worker, invitation=invitation, attendance=Attendance.ATTENDED
        )
        invitations.append(invitation)
    return invitations


def test_whole_journey(world, clock):
    conference, invites = convened(world, clock)
    # icpc.convene: 15 working days from the strategy meeting on Mon 5 Jan → Mon 26 Jan.
    assert conference.due_at.date() == D(2026, 1, 26)
    assert (conference.due_rule, conference.due_rule_version) == ("icpc.convene", "WSP 2021-02")
    assert invites["child"].advocacy_offered_at is not None
    # The health practitioner, never involved before, now sees the child's summary.
    assert decide(world.health_practitioner, world.child) is not None
    assert OutboxMessage.objects.filter(dedupe_key__startswith="conference-invite:").count() == 4

    # Reports before the conference.
    conferences.submit_agency_report(
        actor=world.police_officer,
        invitation=invites["police"],
        text="Two domestic incidents at the address; step-father arrested once.",
    )
    conferences.submit_agency_report(
        actor=world.school_lead,
        invitation=invites["school"],
        text="Attendance 78%; arrives hungry; bruising seen in PE in December.",
    )
    with pytest.raises(NotPermittedError):
        conferences.submit_agency_report(
            actor=world.school_lead, invitation=invites["police"], text="x" * 30
        )

    clock.move_to(at(2026, 1, 19, 12))
    chair = f.user(world.authority, Role.CONFERENCE_CHAIR)
    child = conference.children.get()
    with pytest.raises(DomainError, match="attendance"):
        conferences.hold_conference(
            actor=world.social_worker,
            conference=conference,
            held_at=at(2026, 1, 19, 10),
            chair=chair,
            decisions=[decision(child, world)],
        )
    for name in ("la", "police"):
        conferences.record_attendance(
            actor=world.social_worker, invitation=invites[name], attendance=Attendance.ATTENDED
        )
    for name in ("school", "mother", "child", "health"):
        conferences.record_attendance(
            actor=world.social_worker, invitation=invites[name], attendance=Attendance.APOLOGIES
        )
    # Quorum of 2 without the chair's reason: refused, nothing written.
    with pytest.raises(DomainError, match="chair must record") as refused:
        conferences.hold_conference(
            actor=world.social_worker,
            conference=conference,
            held_at=at(2026, 1, 19, 10),
            chair=chair,
            decisions=[decision(child, world)],
        )
    assert refused.value.field == "quorum_reason"
    conferences.record_attendance(
        actor=world.social_worker, invitation=invites["health"], attendance=Attendance.ATTENDED
    )
    # Registering without a category: refused, nothing written.
    with pytest.raises(DomainError, match="at least one category") as refused:
        conferences.hold_conference(
            actor=world.social_worker,
            conference=conference,
            held_at=at(2026, 1, 19, 10),
            chair=chair,
            decisions=[decision(child, world, categories=[])],
        )
    assert refused.value.field == "categories"
    conference.refresh_from_db()
    assert conference.status == ConferenceStatus.CONVENED
    assert not RegisterEpisode.objects.exists()
    # First core group later than core_group.first (Mon 2 Feb) is refused.
    with pytest.raises(DomainError, match="2026-02-02"):
        conferences.hold_conference(
            actor=world.social_worker,
            conference=conference,
            held_at=at(2026, 1, 19, 10),
            chair=chair,
            decisions=[decision(child, world, first_core_group_on=D(2026, 2, 3))],
        )
    # A review later than review.first (19 Apr) is refused.
    with pytest.raises(DomainError, match="2026-04-19"):
        conferences.hold_conference(
            actor=world.social_worker,
            conference=conference,
            held_at=at(2026, 1, 19, 10),
            chair=chair,
            decisions=[decision(child, world, review_on=D(2026, 4, 20))],
        )
    conferences.hold_conference(
        actor=world.social_worker,
        conference=conference,
        held_at=at(2026, 1, 19, 10),
        chair=chair,
        decisions=[decision(child, world)],
        summary="Registered under physical and emotional abuse; outline plan agreed.",
    )
    conference.refresh_from_db()
    assert conference.is_quorate
    assert conference.quorum_groups == 3
    assert conference.held_on_time
    # icpc.circulate_record: 5 working days from Mon 19 Jan → Mon 26 Jan.
    assert conference.record_due_at.date() == D(2026, 1, 26)
    episode = RegisterEpisode.objects.get(person=world.child)
    assert episode.current_categories() == [Category.EMOTIONAL, Category.PHYSICAL]
    assert not episode.is_reregistration
    assert episode.lead_practitioner == world.social_worker
    members = list(episode.core_group.all())
    assert {m.name for m in members} >= {str(world.social_worker), str(world.mother)}
    assert OutboxMessage.objects.filter(dedupe_key=f"registered:{episode.pk}").exists()
    assert world.child.chronology.filter(kind="REGISTER").exists()

    # The plan: drafted with gaps, the quality check flags them, fixed, published.
    plan = episode.plan
    draft = plans.draft_plan(actor=world.social_worker, plan=plan)
    assert draft.number == 1
    draft = plans.edit_plan(
        actor=world.social_worker,
        version=draft,
        expected_version=draft.version,
        child_words="",
        contingency="",
        outcomes=[
            {
                "what_must_change": "Siân is not hurt at home",
                "measure": "",
                "actions": [{"description": "Parenting course"}],
            }
        ],
    )
    report = plan_quality(draft)
    assert {
        "OUTCOME_WITHOUT_MEASURE",
        "ACTION_WITHOUT_OWNER",
        "ACTION_WITHOUT_DATE",
        "NO_CHILD_VOICE",
        "NO_CONTINGENCY",
        "AGENCY_WITHOUT_ACTION",
    } == report.codes()
    assert report.score < 50
    outcomes = [
        {
            "what_must_change": "Siân is not hurt at home",
            "measure": "No injuries seen at visits or school; Siân says she feels safe",
            "actions": [
                {
                    "description": "Mother attends the Freedom programme",
                    "responsible_user": world.social_worker,
                    "target_date": D(2026, 3, 1),
                },
                {
                    "description": "Share any call-out to the address within a day",
                    "responsible_user": world.police_officer,
                    "target_date": D(2026, 4, 14),
                },
                {
                    "description": "Daily check-in with the school nurse",
                    "responsible_name": "Mrs Jones, DSP",
                    "responsible_agency": world.school,
                    "target_date": D(2026, 2, 1),
                },
                {
                    "description": "Health visitor home visits fortnightly",
                    "responsible_user": world.health_practitioner,
                    "target_date": D(2026, 4, 14),
                },
            ],
        }
    ]
    with pytest.raises(DomainError):  # stale: someone else's edit got there first
        plans.edit_plan(
            actor=world.social_worker,
            version=draft,
            expected_version=draft.version - 1,
            child_words="x",
            contingency="y",
            outcomes=outcomes,
        )
    draft = plans.edit_plan(
        actor=world.social_worker,
        version=draft,
        expected_version=draft.version,
        child_words="I want Mam to be happy and nobody to shout.",
        contingency="If any new injury: strategy discussion the same day.",
        outcomes=outcomes,
    )
    assert plan_quality(draft).is_complete
    published = plans.publish_plan(
        actor=world.social_worker, version=draft, expected_version=draft.version
    )
    assert published.quality_score == 100
    assert published.quality_issues == []
    notified = OutboxMessage.objects.filter(dedupe_key__startswith=f"plan-published:{published.pk}")
    assert {m.recipient_user_id for m in notified if m.recipient_user_id} == {
        world.police_officer.pk,
        world.health_practitioner.pk,
    }  # every member but the publisher
    assert any(m.recipient_agency_id == world.school.pk for m in notified)
    # Editing a published version makes a new draft; the published one is unchanged.
    v2 = plans.edit_plan(
        actor=world.social_worker,
        version=published,
        expected_version=published.version,
        child_words="I want Mam to be happy.",
        contingency=published.contingency,
        outcomes=outcomes[:1],
    )
    assert (v2.number, v2.status, v2.based_on_id) == (2, "DRAFT", published.pk)
    published.refresh_from_db()
    assert published.child_words == "I want Mam to be happy and nobody to shout."
    assert plan.current_version() == published
    # Plans are readable by core group members, not by others.
    assert plan in plans_visible_to(world.police_officer)
    assert plan not in plans_visible_to(f.user(world.police, Role.POLICE_OFFICER))
    assert plan not in plans_visible_to(world.other_la_worker)

    # The record, circulated and acknowledged.
    clock.move_to(at(2026, 1, 21, 9))
    circulations = conferences.circulate_record(actor=world.social_worker, conference=conference)
    labels = {c.recipient_label for c in circulations}
    assert {
        "Ysgol y Dderwen",
        world.mother.full_name,
        world.police_officer.get_full_name(),
    } <= labels
    assert all(c.on_time for c in circulations)
    assert conferences.circulate_record(actor=world.social_worker, conference=conference) == []
    by_agency = {
        world.police.pk: world.police_officer,
        world.school.pk: world.school_lead,
        world.health.pk: world.health_practitioner,
    }
    for c in circulations:
        if c.recipient_user is not None:
            actor = c.recipient_user
        elif c.recipient_agency_id is not None:
            actor = by_agency[c.recipient_agency_id]
        else:
            actor = world.social_worker  # acknowledging for a family member
        with pytest.raises(NotPermittedError):
            conferences.acknowledge_record(actor=world.other_la_worker, circulation=c)
        conferences.acknowledge_record(actor=actor, circulation=c)
    assert not Circulation.objects.filter(acknowledged_at__isnull=True).exists()

    # First core group, within 10 working days.
    clock.move_to(at(2026, 1, 30, 15))
    outcome = published.outcomes.get()
    first_action = outcome.actions.all()[0]
    meeting = plans.record_core_group(
        actor=world.social_worker,
        episode=episode,
        held_at=at(2026, 1, 30, 14),
        attended=[m for m in members if m.user_id],
        child_attended=True,
        child_views="Siân said things are calmer.",
        progress=[{"outcome": outcome, "rating": "SOME"}],
        action_updates=[{"action": first_action, "status": "IN_PROGRESS"}],
    )
    assert meeting.on_time
    assert meeting.due_at.date() == D(2026, 2, 2)
    assert plans.latest_action_status(first_action) == "IN_PROGRESS"

    # Visits: one on Fri 23 Jan seen alone at home, bedroom seen.
    plans.record_visit(
        actor=world.social_worker,
        episode=episode,
        visited_at=at(2026, 1, 23, 16),
        child_seen=True,
        seen_alone=True,
        seen_at_home=True,
        bedroom_seen=True,
        child_words="My room is my safe place.",
        observations="Home tidy, food in the fridge, step-father not present.",
    )
    with pytest.raises(DomainError, match="future"):
        plans.record_visit(
            actor=world.social_worker,
            episode=episode,
            visited_at=at(2026, 2, 1, 10),
            child_seen=True,
            seen_alone=True,
            child_words="x" * 5,
            observations="Not yet happened",
        )
    assert Visit.objects.count() == 1
    # On Mon 9 Feb the seen-alone visit (due Fri 6 Feb) is overdue; at home is not.
    later = at(2026, 2, 9, 9)
    overdue = overdue_visits(world.child, later)
    assert [d.rule for d in overdue] == ["visit.seen_alone"]
    assert overdue[0].due.due_on == D(2026, 2, 6)
    assert [d.rule for d in overdue_visits_for_worker(world.manager, later, team=True)] == [
        "visit.seen_alone"
    ]
    assert overdue_visits_for_worker(world.social_worker, later)
    assert overdue_visits_for_worker(world.school_lead, later, team=True) == []
    bedroom = next(d for d in visits_due(episode, later) if d.rule == "visit.bedroom")
    assert bedroom.timeliness.status == "met"

    # The review conference: a de-registration without reasons is refused, then made.
    clock.move_to(at(2026, 4, 14, 15))
    review = conferences.convene_review_conference(
        actor=world.social_worker, episodes=[episode], scheduled_for=at(2026, 4, 14, 10)
    )
    assert review.due_at.date() == D(2026, 4, 19)
    assert review.previous == conference
    three_agencies_attend(world, review)
    review_child = review.children.get()
    with pytest.raises(DomainError, match="removing the child") as refused:
        conferences.record_review_conference(
            actor=world.social_worker,
            conference=review,
            held_at=at(2026, 4, 14, 10),
            chair=chair,
            decisions=[decision(review_child, world, register=False, categories=[], reasons="")],
        )
    assert refused.value.field == "reasons"
    episode.refresh_from_db()
    assert episode.is_open
    conferences.record_review_conference(
        actor=world.social_worker,
        conference=review,
        held_at=at(2026, 4, 14, 10),
        chair=chair,
        decisions=[
            decision(
                review_child,
                world,
                register=False,
                categories=[],
                reasons="No incidents since January; step-father left; Siân says she feels safe.",
                progress="All actions done; outcome achieved.",
            )
        ],
        summary="Siân is no longer on the register; care and support plan continues.",
    )
    episode.refresh_from_db()
    assert episode.end_reason == EndReason.REVIEW_DECISION
    assert episode.ending_conference == review
    assert episode.current_categories() == []
    assert not episode.core_group.filter(ended_at__isnull=True).exists()
    # Partners see nothing once their involvement ends.
    assert decide(world.health_practitioner, world.child) is None
    assert plan not in plans_visible_to(world.police_officer)
    assert overdue_visits(world.child, at(2026, 5, 1)) == []


def test_reregistration_by_transfer_in_conference(world, clock):
    held(world, clock)
    episode = RegisterEpisode.objects.get(person=world.child)
    clock.move_to(at(2026, 4, 14, 12))
    conferences.end_registration(
        actor=world.social_worker,
        episode=episode,
        reason=EndReason.TRANSFERRED_OUT,
        ended_at=at(2026, 4, 14, 9),
        note="Moved to Aberdewi; their transfer-in conference was held.",
    )
    transfer = conferences.convene_transfer_in_conference(
        actor=world.social_worker, people=[world.child], notified_at=at(2026, 4, 14, 11)
    )
    # transfer_in.conference: 15 working days from Tue 14 Apr, skipping 4 May → Wed 6 May.
    assert transfer.due_at.date() == D(2026, 5, 6)
    clock.move_to(at(2026, 4, 28, 12))
    for agency, user in (
        (world.authority, world.social_worker),
        (world.police, world.police_officer),
    ):
        invitation = conferences.invite(
            actor=world.social_worker,
            conference=transfer,
            invitee_kind=InviteeKind.AGENCY,
            agency=agency,
            user=user,
        )
        conferences.record_attendance(
            actor=world.social_worker, invitation=invitation, attendance=Attendance.ATTENDED
        )
    conferences.record_transfer_in_conference(
        actor=world.social_worker,
        conference=transfer,
        held_at=at(2026, 4, 28, 10),
        chair=world.manager,
        quorum_reason="Health visitor off sick; written report received and considered.",
        decisions=[
            decision(
                transfer.children.get(),
                world,
                categories=[Category.NEGLECT],
                first_core_group_on=D(2026, 5, 8),
                review_on=D(2026, 7, 28),
            )
        ],
    )
    transfer.refresh_from_db()
    assert transfer.quorum_groups == 2
    assert transfer.quorum_reason.startswith("Health visitor")
    again = RegisterEpisode.objects.get(person=world.child, ended_at__isnull=True)
    assert again.is_reregistration
    assert again.previous_episode == episode
    assert world.child.chronology.filter(title__startswith="Re-registered").exists()


def test_deregistration_needs_a_review_or_an_automatic_reason(world, clock):
    held(world, clock)
    episode = RegisterEpisode.objects.get(person=world.child)
    with pytest.raises(DomainError, match="review conference"):
        conferences.end_registration(
            actor=world.social_worker,
            episode=episode,
            reason=EndReason.REVIEW_DECISION,
            ended_at=at(2026, 1, 19, 11),
        )
    with pytest.raises(DomainError, match="not yet 18"):
        conferences.end_registration(
            actor=world.social_worker,
            episode=episode,
            reason=EndReason.AGE_18,
            ended_at=at(2026, 1, 19, 11),
        )
    with pytest.raises(NotPermittedError):
        conferences.end_registration(
            actor=world.police_officer,
            episode=episode,
            reason=EndReason.LEFT_UK,
            ended_at=at(2026, 1, 19, 11),
            note="Moved to Spain",
        )
    episode.refresh_from_db()
    assert episode.is_open


def test_register_check_answers_only_the_question(world, clock):
    held(world, clock)
    checker = f.user(world.health, Role.HEALTH_PRACTITIONER, phone="")
    assert decide(checker, world.child) is None
    answer = conferences.check_register(
        actor=checker, reason="Attended the emergency department", nhs_number="999 000 0018"
    )
    assert answer == conferences.RegisterAnswer(
        on_register=True,
        since=D(2026, 1, 19),
        contact_name=str(world.social_worker),
        contact_phone=world.social_worker.phone,
        contact_agency=world.authority.name,
    )
    row = AccessLog.objects.get(user=checker)
    assert (row.person, row.basis, row.route) == (
        world.child,
        Basis.REGISTER_CHECK,
        "conferences:register-check",
    )
    # The check gives no access to the record itself.
    assert decide(checker, world.child) is None
    assert OutboxMessage.objects.filter(
        dedupe_key__startswith="register-check:", recipient_user=world.social_worker
    ).exists()
    # Not on the register and unknown give the same answer; unknown writes no access-log row.
    assert conferences.check_register(
        actor=checker,
        reason="Minor injury unit",
        given_name="Dafydd",
        family_name="Prydderch",
        date_of_birth=world.sibling.date_of_birth,
    ) == conferences.RegisterAnswer(on_register=False)
    assert conferences.check_register(
        actor=checker, reason="Minor injury unit", nhs_number="9990000999"
    ) == conferences.RegisterAnswer(on_register=False)
    assert AccessLog.objects.filter(user=checker).count() == 2
    # Schools and other local authorities cannot check.
    for who in (world.school_lead, world.other_la_worker):
        with pytest.raises(NotPermittedError):
            conferences.check_register(actor=who, reason="Curious", nhs_number="9990000018")


def test_conference_needs_a_determination_3_and_is_convened_once(world, clock):
    enquiry = determination_3(world, clock)
    conferences.convene_conference(actor=world.social_worker, enquiries=[enquiry])
    with pytest.raises(DomainError, match="already been convened"):
        conferences.convene_conference(actor=world.social_worker, enquiries=[enquiry])
    with pytest.raises(NotPermittedError):
        conferences.convene_conference(actor=world.police_officer, enquiries=[enquiry])
    assert Conference.objects.count() == 1


def test_publish_refuses_an_empty_plan_and_a_second_publish(world, clock):
    held(world, clock)
    plan = RegisterEpisode.objects.get(person=world.child).plan
    draft = plans.draft_plan(actor=world.social_worker, plan=plan)
    assert plans.draft_plan(actor=world.social_worker, plan=plan) == draft
    with pytest.raises(DomainError, match="at least one outcome"):
        plans.publish_plan(actor=world.social_worker, version=draft, expected_version=draft.version)
    assert PlanVersion.objects.get(pk=draft.pk).status == "DRAFT"
