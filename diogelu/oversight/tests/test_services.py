"""Allocation, caseloads, supervision, oversight ratings and approvals, with fixed clocks."""

from __future__ import annotations

import datetime

import pytest

from diogelu.chronology.models import Audience, ChronologyEvent
from diogelu.conferences.tests.test_journey import at
from diogelu.core.exceptions import DomainError, NotPermittedError, StaleEditError
from diogelu.notifications.models import OutboxMessage
from diogelu.oversight import caseloads, services, sweeps
from diogelu.oversight.access import supervisions_visible_to
from diogelu.oversight.models import (
    Allocation,
    AllocationReason,
    Case,
    CaseStage,
    Contract,
    ContractKind,
    PracticeStep,
    Rating,
    Supervision,
    SupervisionAction,
)
from diogelu.oversight.queues import my_work_section
from diogelu.oversight.services import ActionSpec, ChildDiscussion
from diogelu.oversight.verification import overdue_actions, supervision_dues
from tests import factories as f


def case_of(person):
    case = services.open_case_of(person)
    assert case is not None
    return case


def allocate(org, person, worker, **kw):
    kw.setdefault("reason", AllocationReason.NEW_CASE)
    case = services.open_case_of(person)
    return services.allocate_child(
        actor=org.world.manager,
        person=person,
        worker=worker,
        team=org.team,
        stage=kw.pop("stage", CaseStage.ASSESSMENT if case is None else None),
        expected_version=case.version if case else None,
        **kw,
    )


# --- workforce bad input ----------------------------------------------------------------------


def test_fte_over_one_is_refused_and_nothing_written(org):
    before = Contract.objects.count()
    with pytest.raises(DomainError, match="no more than 1"):
        services.add_contract(
            actor=org.head,
            worker=org.workers["sw"],
            kind=ContractKind.PERMANENT,
            fte="1.2",
            starts_on=datetime.date(2027, 1, 1),
        )
    assert Contract.objects.count() == before


def test_overlapping_contracts_are_refused(org):
    sw = org.workers["sw"]
    with pytest.raises(DomainError, match="overlaps"):
        services.add_contract(
            actor=org.head,
            worker=sw,
            kind=ContractKind.AGENCY,
            fte=1,
            starts_on=datetime.date(2025, 1, 1),
            ends_on=datetime.date(2025, 3, 1),
        )
    assert sw.contracts.count() == 1
    # After the open contract is ended, a following one is fine.
    Contract.objects.filter(worker=sw).update(ends_on=datetime.date(2026, 3, 31))
    services.add_contract(
        actor=org.head,
        worker=sw,
        kind=ContractKind.FIXED_TERM,
        fte="0.6",
        starts_on=datetime.date(2026, 4, 1),
    )
    assert sw.contracts.count() == 2


def test_a_stale_edit_of_a_worker_record_is_refused(org):
    sw = org.workers["sw"]
    services.update_worker(actor=org.head, worker=sw, expected_version=1, extra_duty_points=10)
    with pytest.raises(StaleEditError):
        services.update_worker(actor=org.head, worker=sw, expected_version=1, scw_number="X")
    sw.refresh_from_db()
    assert sw.scw_number == "SCW101" and sw.extra_duty_points == 10


def test_only_workforce_keepers_change_worker_records(org):
    with pytest.raises(NotPermittedError):
        services.update_worker(
            actor=org.world.manager,
            worker=org.workers["sw"],
            expected_version=1,
            extra_duty_points=5,
        )


# --- allocation --------------------------------------------------------------------------------


def test_allocation_opens_the_case_records_history_and_the_chronology(org):
    w = org.world
    a = allocate(org, w.child, w.social_worker, note="New referral")
    assert a.case.team == org.team and a.previous_worker is None
    event = ChronologyEvent.objects.filter(person=w.child).order_by("-id")[0]
    assert event.audience == Audience.LOCAL_AUTHORITY and "Allocated to" in event.title
    b = allocate(org, w.child, org.newly, reason=AllocationReason.CASELOAD)
    a.refresh_from_db()
    assert a.ended_at is not None and b.previous_worker == w.social_worker and b.is_change_of_worker


def test_allocation_to_a_leaver_is_refused_and_nothing_written(org, clock):
    w = org.world
    services.record_leaving(
        actor=org.head,
        worker=org.workers["agency"],
        expected_version=1,
        left_on=datetime.date(2026, 2, 27),
        reason="END_OF_CONTRACT",
    )
    with pytest.raises(DomainError, match="still in post"):
        allocate(org, w.child, org.agency)
    assert not Case.objects.exists() and not Allocation.objects.exists()


def test_a_stale_allocation_is_refused(org):
    w = org.world
    allocate(org, w.child, w.social_worker)
    case = case_of(w.child)
    services.allocate_child(
        actor=w.manager,
        person=w.child,
        worker=org.newly,
        team=org.team,
        reason=AllocationReason.CASELOAD,
        expected_version=case.version,
    )
    with pytest.raises(StaleEditError):
        services.allocate_child(
            actor=w.manager,
            person=w.child,
            worker=org.agency,
            team=org.team,
            reason=AllocationReason.CASELOAD,
            expected_version=case.version,
        )
    assert Allocation.objects.filter(worker=org.agency).count() == 0


def test_allocation_of_a_child_the_manager_may_not_see_is_refused(org):
    w = org.world
    with pytest.raises(DomainError, match="may not see"):
        services.allocate_child(
            actor=w.manager,
            person=w.other_child,
            worker=w.social_worker,
            team=org.team,
            reason=AllocationReason.NEW_CASE,
            stage=CaseStage.ASSESSMENT,
        )
    assert not Case.objects.exists()


def test_unallocated_past_the_limit_is_flagged_to_the_team_manager_once(org, clock):
    w = org.world
    allocate(org, w.child, None)  # Monday 2 March 2026, 09:00
    clock.move_to(at(2026, 3, 9, 23))  # 5 working days end on Monday 9 March
    assert sweeps.flag_unallocated(at(2026, 3, 9, 23)) == 0
    clock.move_to(at(2026, 3, 10, 9))
    assert sweeps.flag_unallocated(at(2026, 3, 10, 9)) == 1
    assert sweeps.flag_unallocated(at(2026, 3, 10, 10)) == 0
    message = OutboxMessage.objects.get(kind="oversight.unallocated")
    assert message.recipient_user == w.manager


# --- caseloads -----------------------------------------------------------------------------------


def test_loads_use_the_weighting_table_in_force_and_protect_the_newly_qualified(org, clock):
    w = org.world
    allocate(org, w.child, w.social_worker)
    allocate(org, w.sibling, w.social_worker, stage=CaseStage.LOOKED_AFTER)
    allocate(org, w.mother, org.newly, stage=CaseStage.EARLY_HELP)
    loads = {x.worker.user_id: x for x in caseloads.worker_loads(w.authority.pk)}
    assert (loads[w.social_worker.pk].points, loads[w.social_worker.pk].ceiling) == (6 + 8, 100)
    # Newly qualified at 0.5 FTE: 90 x 0.5.
    assert (loads[org.newly.pk].points, loads[org.newly.pk].ceiling) == (4, 45)
    clock.move_to(at(2026, 3, 3, 9))
    services.set_weighting(
        actor=org.head, points={"looked_after": 20}, ceiling=80, first_year_ceiling=60
    )
    services.set_weighting(
        actor=org.head, points={"looked_after": 25}, ceiling=80, first_year_ceiling=60
    )
    loads = {x.worker.user_id: x for x in caseloads.worker_loads(w.authority.pk)}
    assert (loads[w.social_worker.pk].points, loads[w.social_worker.pk].ceiling) == (6 + 25, 80)
    assert caseloads.table_in_force(w.authority.pk, at(2026, 3, 2, 12)).version == 0
    assert caseloads.table_in_force(w.authority.pk).version == 2


# --- supervision -------------------------------------------------------------------------------


def three_children_supervision(org, held_on=datetime.date(2026, 3, 2)):
    w = org.world
    for child in (w.child, w.sibling, w.mother):
        allocate(org, child, w.social_worker)
    return services.record_case_supervision(
        actor=w.manager,
        worker=w.social_worker,
        held_on=held_on,
        children=[
            ChildDiscussion(person=w.child, decisions="Visit alone this week", risk="Bruising"),
            ChildDiscussion(person=w.sibling, decisions="Update the plan"),
            ChildDiscussion(person=w.mother, decisions="Nothing further"),
        ],
        actions=[
            ActionSpec(
                step=PracticeStep.VISIT,
                description="See Siân alone at school",
                owner=w.social_worker,
                due_on=datetime.date(2026, 3, 6),
                person=w.child,
            ),
            ActionSpec(
                step=PracticeStep.UPDATE_PLAN,
                description="Publish the updated plan",
                owner=w.social_worker,
                due_on=datetime.date(2026, 3, 20),
                person=w.sibling,
            ),
            ActionSpec(
                step=PracticeStep.OTHER,
                description="Book a learning session",
                owner=w.social_worker,
                due_on=datetime.date(2026, 3, 6),
            ),
        ],
    )


def test_case_supervision_is_written_once_and_shown_in_each_childs_chronology(org):
    w = org.world
    s = three_children_supervision(org)
    events = ChronologyEvent.objects.filter(title__startswith="Management oversight")
    assert {e.person_id for e in events} == {w.child.pk, w.sibling.pk, w.mother.pk}
    assert all(e.audience == Audience.LOCAL_AUTHORITY for e in events)
    assert "See Siân alone" in events.get(person=w.child).detail
    assert supervisions_visible_to(w.social_worker).filter(pk=s.pk).exists()
    assert not supervisions_visible_to(w.police_officer).exists()


def test_supervision_of_a_child_the_supervisor_may_not_see_is_refused(org):
    w = org.world
    with pytest.raises(DomainError, match="may not see"):
        services.record_case_supervision(
            actor=w.manager,
            worker=w.social_worker,
            held_on=datetime.date(2026, 3, 2),
            children=[ChildDiscussion(person=w.other_child, decisions="x")],
        )
    assert (
        not Supervision.objects.exists()
        and not ChronologyEvent.objects.filter(title__startswith="Management oversight").exists()
    )


def test_reflective_supervision_is_seen_only_by_the_worker_and_their_line(org):
    w = org.world
    s = services.record_reflective_supervision(
        actor=w.manager,
        worker=w.social_worker,
        held_on=datetime.date(2026, 3, 2),
        wellbeing="Tired after a difficult week",
    )
    for viewer in (w.social_worker, w.manager, org.head):  # worker, supervisor, line above
        assert supervisions_visible_to(viewer).filter(pk=s.pk).exists(), viewer
    for viewer in (org.other_manager, org.newly, w.police_officer, w.other_la_worker):
        assert not supervisions_visible_to(viewer).filter(pk=s.pk).exists(), viewer
    assert not ChronologyEvent.objects.filter(title__contains="supervision").exists()


def test_an_action_not_done_a_week_later_is_overdue_and_flagged_once(org, clock):
    w = org.world
    s = three_children_supervision(org)
    clock.move_to(at(2026, 3, 9, 9))
    overdue = overdue_actions(SupervisionAction.objects.all(), datetime.date(2026, 3, 9))
    assert {a.description for a in overdue} == {
        "See Siân alone at school",
        "Book a learning session",
    }
    section = my_work_section(w.manager, at(2026, 3, 9, 9))
    assert section is not None
    assert len(section["actions_overdue"]) == 2
    result = sweeps.check_supervision_actions(at(2026, 3, 9, 9))
    assert result == {"done": 0, "flagged": 2}
    assert sweeps.check_supervision_actions(at(2026, 3, 9, 10)) == {"done": 0, "flagged": 0}
    assert (
        OutboxMessage.objects.filter(
            kind="oversight.action_overdue", recipient_user=w.manager
        ).count()
        == 2
    )
    assert s.actions.filter(flagged_at__isnull=False).count() == 2


def test_a_visit_recorded_after_supervision_verifies_the_action(world, clock):
    from diogelu.conferences.models import RegisterEpisode
    from diogelu.conferences.tests.test_journey import held
    from diogelu.oversight.tests.conftest import make_org
    from diogelu.plans import services as plans

    clock.move_to(at(2026, 1, 5, 8))
    held(world, clock)
    clock.move_to(at(2026, 1, 20, 9))
    org = make_org(world)
    s = services.record_case_supervision(
        actor=world.manager,
        worker=world.social_worker,
        held_on=datetime.date(2026, 1, 20),
        children=[ChildDiscussion(person=world.child, decisions="See her alone")],
        actions=[
            ActionSpec(
                step=PracticeStep.VISIT,
                description="Visit",
                owner=world.social_worker,
                due_on=datetime.date(2026, 1, 23),
                person=world.child,
            )
        ],
    )
    clock.move_to(at(2026, 1, 22, 15))
    episode = RegisterEpisode.objects.get(person=world.child)
    plans.record_visit(
        actor=world.social_worker,
        episode=episode,
        visited_at=at(2026, 1, 22, 14),
        child_seen=True,
        seen_alone=True,
        observations="Seen at school",
        child_words="OK",
    )
    clock.move_to(at(2026, 1, 27, 9))
    assert not overdue_actions(s.actions.all(), datetime.date(2026, 1, 27)).exists()
    assert sweeps.check_supervision_actions(at(2026, 1, 27, 9)) == {"done": 1, "flagged": 0}
    action = s.actions.get()
    assert action.done_at == at(2026, 1, 22, 14)
    assert org.team is not None


def test_supervision_due_follows_the_authoritys_interval_and_the_first_year(org, clock):
    w = org.world
    services.record_reflective_supervision(
        actor=w.manager, worker=w.social_worker, held_on=datetime.date(2026, 3, 2), workload="ok"
    )
    services.record_reflective_supervision(
        actor=w.manager, worker=org.newly, held_on=datetime.date(2026, 3, 2), workload="ok"
    )
    from diogelu.oversight.models import Worker

    dues = {
        d.worker.user_id: d
        for d in supervision_dues(Worker.objects.all(), datetime.date(2026, 3, 2))
    }
    assert dues[w.social_worker.pk].due_on == datetime.date(2026, 3, 30)  # 4 weeks
    assert dues[org.newly.pk].due_on == datetime.date(2026, 3, 16)  # fortnightly in the first year
    later = datetime.date(2026, 3, 17)
    assert dues[org.newly.pk].is_overdue(later) and not dues[w.social_worker.pk].is_overdue(later)


# --- management oversight and approvals --------------------------------------------------------


def test_oversight_rating_sets_the_review_interval(org, clock):
    w = org.world
    red = services.set_oversight_rating(
        actor=w.manager, person=w.child, rating=Rating.RED, reason="New injuries"
    )
    assert red.review_due_at.date() == datetime.date(2026, 3, 9)
    green = services.set_oversight_rating(
        actor=w.manager, person=w.sibling, rating=Rating.GREEN, reason="Stable"
    )
    assert green.review_due_at.date() == datetime.date(2026, 6, 2)
    with pytest.raises(NotPermittedError):
        services.set_oversight_rating(
            actor=w.social_worker, person=w.child, rating=Rating.RED, reason="x"
        )


def test_case_closure_needs_another_manager_and_keeps_its_history(org):
    w = org.world
    allocate(org, w.child, w.social_worker)
    case = case_of(w.child)
    proposal = services.propose_case_closure(actor=w.manager, case=case, reason="Needs met")
    with pytest.raises(NotPermittedError):
        services.decide_approval(actor=w.manager, approval=proposal, approve=True)
    with pytest.raises(DomainError, match="why"):
        services.decide_approval(actor=org.head, approval=proposal, approve=False)
    services.decide_approval(actor=org.head, approval=proposal, approve=False, note="Visit first")
    again = services.propose_case_closure(
        actor=w.social_worker, case=case, reason="Visited; needs met"
    )
    services.decide_approval(actor=w.manager, approval=again, approve=True)
    case.refresh_from_db()
    assert (
        case.closed_at is not None and case.allocations.filter(ended_at__isnull=True).count() == 0
    )
    assert [a.status for a in case.approvals.order_by("id")] == ["RETURNED", "APPROVED"]
    # The proposer is told; every message kind fits the outbox's column (PostgreSQL enforces it).
    width = OutboxMessage._meta.get_field("kind").max_length
    assert width is not None
    kinds = set(OutboxMessage.objects.values_list("kind", flat=True))
    assert "oversight.decided" in kinds and all(len(k) <= width for k in kinds), kinds


def test_ending_an_allocation_needs_another_manager(org):
    """Issue 12: a worker proposes ending their allocation; a manager other than the proposer
    approves (the child stays open to the team, unallocated) or returns it with a reason."""
    w = org.world
    allocate(org, w.child, w.social_worker)
    case = case_of(w.child)
    proposal = services.propose_end_allocation(
        actor=w.social_worker, case=case, reason="Moving to the hospital team"
    )
    assert proposal.kind == "END_ALLOCATION" and proposal.status == "PENDING"
    with pytest.raises(DomainError, match="already waiting"):
        services.propose_end_allocation(actor=w.social_worker, case=case, reason="Again")
    with pytest.raises(NotPermittedError):
        services.decide_approval(actor=w.social_worker, approval=proposal, approve=True)
    with pytest.raises(DomainError, match="why"):
        services.decide_approval(actor=w.manager, approval=proposal, approve=False)
    services.decide_approval(
        actor=w.manager, approval=proposal, approve=False, note="Hand over at the review"
    )
    case.refresh_from_db()
    assert case.allocations.get(ended_at__isnull=True).worker == w.social_worker
    # a manager's own proposal is decided by another manager
    own = services.propose_end_allocation(actor=w.manager, case=case, reason="Caseload")
    with pytest.raises(NotPermittedError):
        services.decide_approval(actor=w.manager, approval=own, approve=True)
    services.decide_approval(actor=org.head, approval=own, approve=True)
    case.refresh_from_db()
    assert case.closed_at is None
    current = case.allocations.get(ended_at__isnull=True)
    assert current.worker is None and current.team == case.team
    assert [a.status for a in case.approvals.order_by("id")] == ["RETURNED", "APPROVED"]
    with pytest.raises(DomainError, match="not allocated"):
        services.propose_end_allocation(actor=w.manager, case=case, reason="Again")


def test_partners_cannot_record_anything(org):
    w = org.world
    with pytest.raises(NotPermittedError):
        services.record_reflective_supervision(
            actor=w.police_officer,
            worker=w.social_worker,
            held_on=datetime.date(2026, 3, 2),
            wellbeing="x",
        )
    with pytest.raises(NotPermittedError):
        services.allocate_child(
            actor=w.police_officer,
            person=w.child,
            worker=w.social_worker,
            team=org.team,
            reason=AllocationReason.NEW_CASE,
            stage=CaseStage.ASSESSMENT,
        )
    assert f is not None


def test_the_sweeps_are_registered_with_the_tick() -> None:
    from diogelu.core.sweeps import registered_sweeps

    names = dict(registered_sweeps())
    assert names["oversight_unallocated_flagged"] is sweeps.flag_unallocated
    assert names["oversight_supervision_actions"] is sweeps.check_supervision_actions


def test_a_case_supervisions_children_are_read_by_key_not_by_joining_every_person(org):
    """ADR 0848, as for plans: "a child discussed that the reader may not see" joined each
    child's person, and PostgreSQL read all 300,000 people of a county to count an auditor's
    1,722 supervisions (110 ms of the API's list). Each child's authority is now read by key:
    the query joins no person, and still hides a supervision of a restricted child."""
    w = org.world
    s = three_children_supervision(org)
    assert 'JOIN "people_person"' not in str(supervisions_visible_to(org.head).query)
    assert supervisions_visible_to(org.head).filter(pk=s.pk).exists()
    assert not supervisions_visible_to(w.other_la_worker).filter(pk=s.pk).exists()
    w.sibling.is_restricted = True
    w.sibling.save(update_fields=["is_restricted"])
    assert not supervisions_visible_to(org.head).filter(pk=s.pk).exists()
