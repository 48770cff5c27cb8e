"""The workflow apps tell oversight (through ``core.extensions``, never importing it) about the
decisions that need a manager and about work starting: approvals with history for a MASH
decision, a determination 1, a plan below the quality threshold and a removal from the register;
a case opened when work starts, and the daily check that opens those of existing records.
Fixed clock: the MASH journey of Monday 5 January 2026."""

from __future__ import annotations

from typing import Any

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone, translation

from diogelu.accounts.models import Team
from diogelu.conferences import services as conferences
from diogelu.conferences.models import EndReason, RegisterEpisode
from diogelu.conferences.tests.test_journey import at, held
from diogelu.core.exceptions import DomainError, NotPermittedError
from diogelu.enquiries import services as enquiries
from diogelu.enquiries.models import S47Kind
from diogelu.oversight import hooks, services, sweeps
from diogelu.oversight.models import (
    Allocation,
    Approval,
    ApprovalKind,
    ApprovalStatus,
    Case,
    CaseStage,
)
from diogelu.oversight.queues import my_work_section
from diogelu.oversight.tests.conftest import make_org
from diogelu.plans import services as plans
from diogelu.plans.models import Plan
from diogelu.referrals import services as referrals
from diogelu.referrals.models import Decision, Outcome, Report
from diogelu.sharing.tests.journey import answered, decided_for_strategy

RATIONALE = "Injuries and disclosure: reasonable cause to suspect significant harm."


@pytest.fixture
def clock() -> Any:
    with time_machine.travel(at(2026, 1, 5, 8), tick=False) as traveller:
        yield traveller


def _rows(kind: str) -> list[Approval]:
    return list(Approval.objects.filter(kind=kind).order_by("person_id", "id"))


def test_a_mash_decision_waiting_for_a_manager_is_an_approval_and_opens_cases_when_authorised(
    world: Any, clock: Any
) -> None:
    org = make_org(world)
    j = answered(world)
    clock.move_to(at(2026, 1, 5, 9))
    decision = referrals.record_decision(
        actor=world.mash, report=j.report, outcome=Outcome.STRATEGY_DISCUSSION, rationale=RATIONALE
    )
    rows = _rows(ApprovalKind.MASH_DECISION)
    assert [(r.person_id, r.status) for r in rows] == sorted(
        [(world.child.pk, ApprovalStatus.PENDING), (world.sibling.pk, ApprovalStatus.PENDING)]
    )
    assert {(r.proposed_by_id, r.link, r.case_id, r.reason) for r in rows} == {
        (world.mash.pk, f"/mash/reports/{j.report.pk}/", None, RATIONALE)
    }
    # Nothing is open to the authority until the decision is final.
    assert not Case.objects.exists()
    # The MASH's own queue shows the decision to authorise: oversight's My work does not repeat it.
    section = my_work_section(world.manager, timezone.now())
    assert section is not None and section["approvals"] == []

    clock.move_to(at(2026, 1, 5, 10))
    referrals.authorise_decision(actor=world.manager, decision=decision, note="Agreed")
    rows = _rows(ApprovalKind.MASH_DECISION)
    assert {(r.status, r.decided_by_id, r.decision_note) for r in rows} == {
        (ApprovalStatus.APPROVED, world.manager.pk, "Agreed")
    }
    assert all(r.decided_at == at(2026, 1, 5, 10) for r in rows)
    # Work has started: each child is open to the authorising manager's team, unallocated.
    cases = list(Case.objects.order_by("person_id"))
    assert [(c.person_id, c.stage, c.team_id) for c in cases] == sorted(
        [
            (world.child.pk, CaseStage.CHILD_PROTECTION, org.team.pk),
            (world.sibling.pk, CaseStage.CHILD_PROTECTION, org.team.pk),
        ]
    )
    assert all(c.opened_at == at(2026, 1, 5, 10) for c in cases)
    current = Allocation.objects.filter(ended_at__isnull=True)
    assert current.count() == 2 and not current.filter(worker__isnull=False).exists()
    # The child shows as unallocated on the team manager's figures from the first day.
    assert world.child.pk in set(_unallocated(world, org))
    # The approval rows now point at the case; the same event again changes nothing.
    assert Approval.objects.filter(case__isnull=True).count() == 0
    assert sweeps.open_cases_for_started_work(timezone.now()) == 0
    assert Case.objects.count() == 2


def _unallocated(world: Any, org: Any) -> list[Any]:
    from diogelu.oversight.dashboard import team_figures

    figures = team_figures(world.manager, [org.team], timezone.now())
    return list(figures[org.team.pk].unallocated)


def test_a_returned_decision_is_returned_with_its_reason_and_opens_nothing(
    world: Any, clock: Any
) -> None:
    make_org(world)
    j = answered(world)
    decision = referrals.record_decision(
        actor=world.mash, report=j.report, outcome=Outcome.STRATEGY_DISCUSSION, rationale=RATIONALE
    )
    with pytest.raises(NotPermittedError):
        referrals.authorise_decision(actor=world.mash, decision=decision)
    assert Approval.objects.filter(status=ApprovalStatus.PENDING).count() == 2
    referrals.return_decision(
        actor=world.manager, decision=decision, reason="Check the school's answer first, please."
    )
    rows = _rows(ApprovalKind.MASH_DECISION)
    assert {(r.status, r.decided_by_id, r.decision_note) for r in rows} == {
        (ApprovalStatus.RETURNED, world.manager.pk, "Check the school's answer first, please.")
    }
    assert not Case.objects.exists()
    # A new proposal after the return is a new approval; the returned one stays in the history.
    referrals.record_decision(
        actor=world.mash,
        report=Report.objects.get(pk=j.report.pk),
        outcome=Outcome.ASSESSMENT,
        rationale=RATIONALE,
    )
    assert Approval.objects.filter(person=world.child).count() == 1  # assessment: no manager
    # The MASH practitioner has no team of their own: the authority's MASH holds the child.
    assert not Case.objects.exists()  # (this authority has no MASH team yet)
    Report.objects.filter(pk=j.report.pk).update(status="IN_MASH")
    Decision.objects.filter(report=j.report).delete()
    mash = Team.objects.create(agency=world.authority, name="MASH Glanrafon", is_mash=True)
    referrals.record_decision(
        actor=world.mash,
        report=Report.objects.get(pk=j.report.pk),
        outcome=Outcome.ASSESSMENT,
        rationale=RATIONALE,
    )
    case = Case.objects.get(person=world.child)
    assert (case.stage, case.team_id) == (CaseStage.ASSESSMENT, mash.pk)


def _strategy(world: Any, clock: Any) -> Any:
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
    return j.report.enquiries.get(person=world.child)


def test_determination_1_waits_for_a_manager_other_than_the_one_who_determined_it(
    world: Any, clock: Any
) -> None:
    make_org(world)
    enquiry = _strategy(world, clock)
    enquiries.record_child_seen(
        actor=world.social_worker,
        enquiry=enquiry,
        seen_at=at(2026, 1, 5, 9, 30),
        seen_alone=True,
        child_views="I am fine at home.",
    )
    enquiries.record_determination(
        actor=world.social_worker,
        enquiry=enquiry,
        determination="1",
        rationale="The concern was not substantiated by the enquiry.",
    )
    (row,) = _rows(ApprovalKind.DETERMINATION_1)
    assert (row.person_id, row.status, row.proposed_by_id, row.link) == (
        world.child.pk,
        ApprovalStatus.PENDING,
        world.social_worker.pk,
        f"/enquiries/{enquiry.pk}/",
    )
    # Decided on the enquiry's page, never on oversight's: oversight's decide refuses it.
    with translation.override("en"), pytest.raises(DomainError, match="decided where it was"):
        services.decide_approval(actor=world.manager, approval=row, approve=True)
    with pytest.raises(NotPermittedError):
        enquiries.ratify_determination(actor=world.social_worker, enquiry=enquiry)
    enquiries.ratify_determination(actor=world.manager, enquiry=enquiry)
    row.refresh_from_db()
    assert (row.status, row.decided_by_id) == (ApprovalStatus.APPROVED, world.manager.pk)


def test_a_strategy_discussion_opens_the_case_with_its_lead_where_none_is_open(
    world: Any, clock: Any
) -> None:
    make_org(world)
    _strategy(world, clock)
    # The authorised decision opened both cases (unallocated); the discussion changed nothing.
    assert Case.objects.count() == 2
    # A child with no open case: the lead who holds cases is allocated at once.
    case = hooks.open_case_for(
        person_id=world.mother.pk,
        authority_id=world.authority.pk,
        stage=CaseStage.CHILD_PROTECTION,
        actor=world.mash,
        at=at(2026, 1, 5, 9),
        lead=world.social_worker,
    )
    assert case is not None
    allocation = Allocation.objects.get(case=case)
    assert allocation.worker == world.social_worker and allocation.team_id == case.team_id
    # ... and again: nothing more.
    assert (
        hooks.open_case_for(
            person_id=world.mother.pk,
            authority_id=world.authority.pk,
            stage=CaseStage.CHILD_PROTECTION,
            actor=world.mash,
            at=at(2026, 1, 5, 9),
        )
        is None
    )
    # Another authority's child is never opened here.
    assert (
        hooks.open_case_for(
            person_id=world.other_child.pk,
            authority_id=world.authority.pk,
            stage=CaseStage.CHILD_PROTECTION,
            actor=world.mash,
            at=at(2026, 1, 5, 9),
        )
        is None
    )


def test_plan_sign_off_and_deregistration_are_in_the_childs_approval_history(
    world: Any, clock: Any, settings: Any
) -> None:
    make_org(world)
    held(world, clock)
    clock.move_to(at(2026, 1, 20, 12))
    plan = Plan.objects.get()
    settings.PLAN_QUALITY_THRESHOLD = 100
    draft = plans.draft_plan(actor=world.social_worker, plan=plan)
    plans.edit_plan(
        actor=world.social_worker,
        version=draft,
        expected_version=draft.version,
        child_words="",
        contingency="",
        outcomes=[
            {
                "what_must_change": "Siân is safe from being hit at home",
                "measure": "",
                "actions": [],
            }
        ],
    )
    draft.refresh_from_db()
    plans.ask_for_sign_off(actor=world.social_worker, version=draft)
    plans.ask_for_sign_off(actor=world.social_worker, version=draft)  # asked twice: one row
    (row,) = _rows(ApprovalKind.PLAN_SIGN_OFF)
    assert (row.status, row.proposed_by_id) == (ApprovalStatus.PENDING, world.social_worker.pk)
    assert row.link == f"/plans/{plan.pk}/publish/" and row.case is not None
    # the plan's own page asks the manager (the publish page); oversight's My work lists it too
    section = my_work_section(world.manager, timezone.now())
    assert section is not None and [a.pk for a in section["approvals"]] == [row.pk]
    plans.publish_plan(
        actor=world.manager,
        version=draft,
        expected_version=draft.version,
        sign_off_reason="Agreed at the conference; gaps filled at the core group.",
    )
    row.refresh_from_db()
    assert (row.status, row.decided_by_id, row.decision_note) == (
        ApprovalStatus.APPROVED,
        world.manager.pk,
        "Agreed at the conference; gaps filled at the core group.",
    )
    episode = RegisterEpisode.objects.get(person=world.child)
    conferences.end_registration(
        actor=world.social_worker,
        episode=episode,
        reason=EndReason.LEFT_UK,
        ended_at=at(2026, 1, 20, 11),
        note="Moved to Spain with her mother",
    )
    (removal,) = _rows(ApprovalKind.DEREGISTRATION)
    assert removal.status == ApprovalStatus.APPROVED
    assert removal.reason.startswith(str(EndReason.LEFT_UK.label))
    assert "Moved to Spain" in removal.decision_note
    # The child's oversight page lists the whole history, each linked.
    page = world.client_for(world.manager).get(reverse("child_oversight", args=[world.child.pk]))
    body = page.content.decode()
    for a in Approval.objects.filter(person=world.child):
        assert reverse("show_approval", args=[a.pk]) in body


def test_the_daily_check_opens_cases_for_existing_work_once(world: Any, clock: Any) -> None:
    org = make_org(world)
    _strategy(world, clock)
    # Records from before oversight was told: no case for either child.
    Approval.objects.update(case=None)
    Allocation.objects.all().delete()
    Case.objects.all().delete()
    clock.move_to(at(2026, 1, 6, 2))
    assert {w[0] for w in sweeps._started_work()} == {world.child.pk, world.sibling.pk}
    assert sweeps.open_cases_for_started_work(timezone.now()) == 2
    # Work whose child has a case is not even read again (issue 17: the sweep read every live
    # decision, enquiry and registration of a county, 15.7 s every 15 minutes, to open none).
    assert sweeps._started_work() == []
    cases = {c.person_id: c for c in Case.objects.all()}
    assert set(cases) == {world.child.pk, world.sibling.pk}
    # Opened when the work started (the decision's authorisation), in the authoriser's team.
    assert cases[world.sibling.pk].opened_at == at(2026, 1, 5, 8)
    assert cases[world.child.pk].team_id == org.team.pk
    assert sweeps.open_cases_for_started_work(timezone.now()) == 0
    # A case a manager closed after the work started is not reopened by it.
    case = cases[world.sibling.pk]
    closure = services.propose_case_closure(
        actor=world.social_worker, case=case, reason="No role for children's services"
    )
    services.decide_approval(actor=world.manager, approval=closure, approve=True)
    assert sweeps.open_cases_for_started_work(timezone.now()) == 0
    assert sweeps._started_work() == []  # closed after the work started: not read either
    assert not Case.objects.filter(person=world.sibling, closed_at__isnull=True).exists()


def test_the_approval_page_of_a_workflow_decision_links_to_where_it_is_decided(
    world: Any, clock: Any
) -> None:
    make_org(world)
    j = answered(world)
    referrals.record_decision(
        actor=world.mash, report=j.report, outcome=Outcome.STRATEGY_DISCUSSION, rationale=RATIONALE
    )
    row = Approval.objects.get(person=world.child)
    url = reverse("show_approval", args=[row.pk])
    page = world.client_for(world.manager).get(url)
    body = page.content.decode()
    assert page.status_code == 200
    assert f'href="/mash/reports/{j.report.pk}/"' in body
    assert 'name="decision"' not in body
    assert world.client_for(world.manager).post(url, {"decision": "approve"}).status_code == 404
    for persona in ("police_officer", "other_la_worker", "school_lead"):
        assert world.client_for(getattr(world, persona)).get(url).status_code == 404, persona
