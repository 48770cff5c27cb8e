"""The facts beside the questions match what was counted by hand on one child's file."""

from __future__ import annotations

import datetime
from datetime import date

import pytest
import time_machine

from diogelu import procedures
from diogelu.access.models import Part
from diogelu.accounts.models import AgencyKind, Role
from diogelu.audit.facts import facts_of
from diogelu.audit.sampling import period_bounds
from diogelu.measures.tests.builders import Case as Builder
from diogelu.measures.tests.builders import at
from diogelu.oversight.models import (
    Allocation,
    AllocationReason,
    Case,
    CaseStage,
    PracticeStep,
    Supervision,
    SupervisionAction,
    SupervisionChild,
    SupervisionKind,
)
from diogelu.plans.models import Plan, PlanVersion, VersionStatus
from diogelu.referrals.models import Decision, Outcome
from diogelu.sharing.models import OutcomeNotification, OutcomeSource
from tests import factories as f

pytestmark = pytest.mark.django_db


@time_machine.travel(at(date(2026, 3, 1), 9), tick=False)
def test_facts_match_the_hand_count() -> None:
    b = Builder()
    police = f.agency(AgencyKind.POLICE, "Heddlu Dyfed")
    school = f.agency(AgencyKind.SCHOOL, "Ysgol Glan")
    manager = f.user(b.authority, Role.TEAM_MANAGER, username="tm")
    second = f.user(b.authority, Role.SOCIAL_WORKER, username="sw2", team=b.team)
    child = b.child()
    f.involve(child, police, [Part.SUMMARY])
    f.involve(child, school, [Part.SUMMARY])

    # MASH decision: received Mon 2 March 09:00, due in 1 working day, decided Thu 5th: late.
    report = b.report(at(date(2026, 3, 2), 9), [child])
    report.child_words = "Dw i ddim eisiau mynd adref"
    report.save()
    Decision.objects.create(
        report=report,
        outcome=Outcome.ASSESSMENT,
        rationale="x",
        decided_by=b.worker,
        decided_at=at(date(2026, 3, 5), 11),
    )
    # Section 47 started 3 March: 42 working days, still open on 31 March and not yet due.
    strategy = b.strategy(report, at(date(2026, 3, 3), 10))
    (enquiry,) = b.enquiry(strategy, date(2026, 3, 3), None)
    enquiry.child_seen_at = at(date(2026, 3, 4), 15)
    enquiry.child_seen_alone = True
    enquiry.child_views = "Mae Mam yn gweiddi"
    enquiry.save()
    # ICPC due 15 working days from 3 March (24 March), held 20 March: on time. Its record,
    # due 5 working days later (27 March), never circulated: open past due.
    conference = b.conference(
        [child], clock_start=at(date(2026, 3, 3), 10), held=at(date(2026, 3, 20), 10)
    )
    assert conference.record_due_at is not None and conference.record_due_at < at(
        date(2026, 4, 1), 0
    )
    episode = b.register(conference, child)
    # Visits: three, the child seen alone twice, at home twice, words recorded once.
    v1 = b.visit(episode, at(date(2026, 3, 21), 10), alone=True, home=True)
    v1.child_words = "Rwy'n hoffi fy ystafell"
    v1.save()
    b.visit(episode, at(date(2026, 3, 25), 10), alone=False, home=True)
    b.visit(episode, at(date(2026, 3, 28), 10), alone=True, home=False)
    b.visit(episode, at(date(2026, 4, 3), 10), alone=True, home=True)  # after the period
    # Plan: version 1 published scoring 55, version 2 a draft scoring 80.
    plan = Plan.objects.create(person=child, episode=episode)
    PlanVersion.objects.create(
        plan=plan,
        number=1,
        status=VersionStatus.PUBLISHED,
        created_by=b.worker,
        created_at=at(date(2026, 3, 20), 12),
        published_at=at(date(2026, 3, 20), 16),
        quality_score=55,
        quality_threshold=70,
        quality_issues=[{"code": "a"}, {"code": "b"}],
    )
    PlanVersion.objects.create(
        plan=plan,
        number=2,
        status=VersionStatus.DRAFT,
        created_by=b.worker,
        quality_score=80,
        created_at=at(date(2026, 3, 30), 12),
        quality_threshold=70,
    )
    # Supervision on 10 March with four actions: on time, late, overdue, not yet due.
    supervision = Supervision.objects.create(
        authority=b.authority,
        kind=SupervisionKind.CASE,
        held_on=date(2026, 3, 10),
        supervisor=manager,
        worker=b.worker,
        recorded_by=manager,
    )
    SupervisionChild.objects.create(supervision=supervision, person=child, decisions="Visit weekly")
    for due, done in [
        (date(2026, 3, 15), at(date(2026, 3, 14), 12)),
        (date(2026, 3, 20), at(date(2026, 3, 22), 12)),
        (date(2026, 3, 25), None),
        (date(2026, 4, 10), None),
    ]:
        SupervisionAction.objects.create(
            supervision=supervision,
            person=child,
            step=PracticeStep.OTHER,
            description="x",
            owner=b.worker,
            due_on=due,
            done_at=done,
        )
    # Allocations: the first worker, then a change of worker on 10 March.
    case = Case.objects.create(
        person=child,
        authority=b.authority,
        team=b.team,
        stage=CaseStage.CHILD_PROTECTION,
        opened_at=at(date(2026, 3, 5), 12),
        opened_by=manager,
    )
    Allocation.objects.create(
        case=case,
        worker=b.worker,
        team=b.team,
        started_at=at(date(2026, 3, 5), 12),
        ended_at=at(date(2026, 3, 10), 12),
        reason=AllocationReason.NEW_CASE,
        made_by=manager,
    )
    Allocation.objects.create(
        case=case,
        worker=second,
        previous_worker=b.worker,
        team=b.team,
        started_at=at(date(2026, 3, 10), 12),
        reason=AllocationReason.CASELOAD,
        made_by=manager,
    )
    # Outcomes: the police acknowledged within time, the school never did.
    for agency, acknowledged in [(police, at(date(2026, 3, 6), 9)), (school, None)]:
        OutcomeNotification.objects.create(
            report=report,
            source=OutcomeSource.DECISION,
            source_id=1,
            recipient_agency=agency,
            recipient_label=agency.name,
            title="Outcome",
            content="x",
            shared_at=at(date(2026, 3, 5), 12),
            acknowledge_by=procedures.due("outcome.acknowledge", at(date(2026, 3, 5), 12)).due_at,
            due_rule_version="1",
            acknowledged_at=acknowledged,
        )

    _, until = period_bounds(date(2026, 3, 31), date(2026, 3, 31))
    facts = facts_of(child.pk, until)

    labels = [str(s.label) for s in facts.steps]
    assert labels == [
        "MASH decision",
        "Section 47 enquiry",
        "Initial child protection conference",
        "Conference record circulated",
    ]
    assert [s.on_time for s in facts.steps] == [False, None, True, None]
    assert facts.steps_on_time == 1
    assert facts.open_steps_overdue == 1
    assert facts.steps_late == 2
    assert (facts.visits, facts.visits_seen, facts.visits_seen_alone) == (3, 3, 2)
    assert facts.visits_at_home == 2
    assert facts.seen_alone_percent == 67
    assert facts.last_visit_at == at(date(2026, 3, 28), 10)
    assert facts.s47_seen_alone is True
    assert [(p.number, p.score, p.issues) for p in facts.plan_versions] == [(1, 55, 2), (2, 80, 0)]
    assert [(s.held_on, s.decisions) for s in facts.supervisions] == [
        (date(2026, 3, 10), "Visit weekly")
    ]
    assert (
        facts.actions_total,
        facts.actions_done,
        facts.actions_done_late,
        facts.actions_overdue,
    ) == (4, 2, 1, 1)
    assert len(facts.worker_changes) == 1
    assert facts.worker_changes[0].at == at(date(2026, 3, 10), 12)
    assert [str(w.where) for w in facts.words] == [
        "Report of a child at risk",
        "Section 47 enquiry",
        "Statutory visit",
    ]
    assert facts.agencies == ["Heddlu Dyfed", "Ysgol Glan"]
    assert [(o.agency, o.acknowledged_on_time) for o in facts.outcomes] == [
        ("Heddlu Dyfed", True),
        ("Ysgol Glan", False),
    ]
    assert facts.outcomes_acknowledged == 1
    assert facts.as_at == until
    assert until == datetime.datetime(2026, 4, 1, tzinfo=until.tzinfo)
