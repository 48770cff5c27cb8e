"""Work queues and the MASH measures, against hand-computed cases.

Rule ``report.decision``: decide within 1 working day of receipt (WSP §3 pt1 [S8]); the
receipt date is day 0 and the deadline is the end of the next working day. A report received at
16:59 on Friday 22 May 2026, before the Spring bank holiday on Monday 25 May 2026, is due by the
end of Tuesday 26 May 2026 (Saturday, Sunday and the bank holiday are not working days).
"""

from __future__ import annotations

import datetime

import pytest
import time_machine

from diogelu import procedures
from diogelu.access.models import Involvement
from diogelu.referrals import services as referrals
from diogelu.referrals.models import Outcome
from diogelu.sharing import queues
from diogelu.sharing import services as sharing
from diogelu.sharing.models import Priority
from tests.test_mash_workflow_services import make_report

LONDON = procedures.LONDON


def at(
    year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0, us: int = 0
) -> datetime.datetime:
    return datetime.datetime(year, month, day, hour, minute, second, us, tzinfo=LONDON)


FRIDAY_1659 = at(2026, 5, 22, 16, 59)
END_OF_TUESDAY = at(2026, 5, 26, 23, 59, 59, 999999)


def received_friday(world):
    # The personas' involvements were recorded "now"; date them before these cases.
    Involvement.objects.update(started_at=at(2026, 1, 5, 9, 0))
    with time_machine.travel(FRIDAY_1659, tick=False):
        report = make_report(world)
    for child, person in zip(report.children.all(), (world.child, world.sibling), strict=True):
        with time_machine.travel(at(2026, 5, 22, 17, 10), tick=False):
            referrals.link_child(actor=world.mash, child=child, person=person)
    report.refresh_from_db()
    return report


def decide(world, report, when, *, outcome=Outcome.INFORMATION_ADVICE, actor=None):
    with time_machine.travel(when, tick=False):
        return referrals.record_decision(
            actor=actor or world.manager,
            report=report,
            outcome=outcome,
            rationale="Hand-computed case for the measure.",
        )


def timeliness_at(world, now):
    t = queues.reports_awaiting_decision(world.mash, now)[0].timeliness
    assert t is not None
    return t


def test_report_before_the_bank_holiday_is_due_end_of_tuesday(world):
    report = received_friday(world)
    assert report.received_at == FRIDAY_1659
    assert report.decision_due_at == END_OF_TUESDAY
    # Saturday morning: 1 working day left (Tuesday), due soon
    rows = queues.reports_awaiting_decision(world.mash, at(2026, 5, 23, 9, 0))
    assert [r.report.pk for r in rows] == [report.pk]
    assert rows[0].stage == queues.Stage.DECISION
    saturday = timeliness_at(world, at(2026, 5, 23, 9, 0))
    assert saturday.status == procedures.Status.DUE_SOON
    assert saturday.working_days_remaining == 1
    # The bank holiday Monday still has 1 working day left; Tuesday is due today
    assert timeliness_at(world, at(2026, 5, 25, 12, 0)).working_days_remaining == 1
    assert timeliness_at(world, at(2026, 5, 26, 23, 0)).status == procedures.Status.DUE_TODAY
    wednesday = timeliness_at(world, at(2026, 5, 27, 0, 0, 1))
    assert wednesday.status == procedures.Status.OVERDUE
    assert queues.undecided_overdue(world.mash, at(2026, 5, 27, 9, 0)) == 1
    # Partners see none of it
    assert queues.reports_awaiting_decision(world.police_officer, at(2026, 5, 23, 9, 0)) == []


def test_share_of_decisions_within_one_working_day(world):
    now = at(2026, 6, 1, 12, 0)
    on_time = received_friday(world)
    late = received_friday(world)
    authorised_late = received_friday(world)
    # 1. a manager decides at 17:00 on Tuesday 26 May: in time (due end of Tuesday)
    decide(world, on_time, at(2026, 5, 26, 17, 0))
    # 2. a manager decides at 09:00 on Wednesday 27 May: late
    decide(world, late, at(2026, 5, 27, 9, 0))
    # 3. the MASH proposes a strategy discussion on Tuesday (in time), but the manager only
    #    authorises it on Wednesday: the decision counts as made when final, so late
    proposed = decide(
        world,
        authorised_late,
        at(2026, 5, 26, 15, 0),
        outcome=Outcome.STRATEGY_DISCUSSION,
        actor=world.mash,
    )
    assert queues.decisions_within_timescale(world.mash, now).denominator == 2  # not yet final
    with time_machine.travel(at(2026, 5, 27, 10, 0), tick=False):
        referrals.authorise_decision(actor=world.manager, decision=proposed)
    measure = queues.decisions_within_timescale(world.mash, now)
    assert (measure.numerator, measure.denominator) == (1, 3)
    assert measure.percent == "33%"
    # Another authority sees none of these
    other = queues.decisions_within_timescale(world.other_la_worker, now)
    assert (other.numerator, other.denominator) == (0, 0)
    assert other.share is None and other.percent == "–"


def test_share_of_outcomes_shared_with_every_agency(world):
    now = at(2026, 6, 1, 12, 0)
    first = received_friday(world)
    second = received_friday(world)
    undecided = received_friday(world)
    decide(world, first, at(2026, 5, 26, 10, 0))
    decide(world, second, at(2026, 5, 26, 11, 0))
    measure = queues.outcomes_shared_with_all(world.mash, now)
    # decided reports: 2 (the undecided one is not counted); every outcome shared at decision
    assert (measure.numerator, measure.denominator) == (2, 2)
    # After the decision the MASH asks health about the second report: health is now involved
    # but has not been told the decision, so that report's loop is open.
    with time_machine.travel(at(2026, 5, 27, 9, 0), tick=False):
        sharing.request_information(
            actor=world.mash,
            report=second,
            child=second.children.first(),
            agency=world.health,
            priority=Priority.STANDARD,
            question="Anything known since the decision?",
        )
    assert sharing.unshared_outcomes(second) == ["Glanrafon Health Board"]
    measure = queues.outcomes_shared_with_all(world.mash, now)
    assert (measure.numerator, measure.denominator) == (1, 2)
    assert measure.percent == "50%"
    # Sharing with the newly involved closes it again
    with time_machine.travel(at(2026, 5, 27, 9, 30), tick=False):
        sharing.share_with_newly_involved(actor=world.mash, report=second)
    measure = queues.outcomes_shared_with_all(world.mash, now)
    assert (measure.numerator, measure.denominator) == (2, 2)
    assert undecided.status != "DECIDED"


def test_requests_by_agency_and_overdue(world):
    report = received_friday(world)
    child = report.children.first()
    with time_machine.travel(at(2026, 5, 26, 10, 0), tick=False):
        urgent = sharing.request_information(
            actor=world.mash,
            report=report,
            child=child,
            agency=world.police,
            priority=Priority.URGENT,
            question="Urgent: anything known?",
        )
        sharing.request_information(
            actor=world.mash,
            report=report,
            child=child,
            agency=world.health,
            priority=Priority.STANDARD,
            question="Anything known?",
        )
    # Urgent: 4 hours (rule mash.request.urgent) → 14:00; standard: 1 working day → end of Wed
    assert urgent.due_at == at(2026, 5, 26, 14, 0)
    now = at(2026, 5, 26, 15, 0)
    rows = {r.agency.name: (r.open, r.overdue) for r in queues.requests_by_agency(world.mash, now)}
    assert rows == {"Dyffryn Police": (1, 1), "Glanrafon Health Board": (1, 0)}
    assert [r.request.pk for r in queues.overdue_requests(world.manager, now)] == [urgent.pk]
    overdue = queues.my_work_requests(world.manager, now, overdue=True)[1]
    assert [r.request.pk for r in overdue] == [urgent.pk]
    assert queues.my_work_requests(world.mash, now, overdue=False)[0][0].request.pk == urgent.pk
    assert [r.request.pk for r in queues.agency_requests_to_answer(world.police_officer, now)] == [
        urgent.pk
    ]
    assert queues.agency_requests_to_answer(world.school_lead, now) == []
    assert queues.requests_by_agency(world.police_officer, now) == []


@pytest.mark.parametrize("persona", ["mash", "manager"])
def test_outcomes_awaiting_acknowledgement(world, persona):
    report = received_friday(world)
    decide(world, report, at(2026, 5, 26, 10, 0))
    # outcome.acknowledge: 2 working days from Tuesday 26 May → end of Thursday 28 May
    rows = queues.outcomes_awaiting_acknowledgement(getattr(world, persona), at(2026, 5, 29, 9, 0))
    assert rows and all(
        r.outcome.acknowledge_by == at(2026, 5, 28, 23, 59, 59, 999999) for r in rows
    )
    assert all(r.timeliness.status == procedures.Status.OVERDUE for r in rows)
    school_rows = queues.outcomes_to_acknowledge(world.school_lead, at(2026, 5, 27, 9, 0))
    # Once: the school reported and was asked, and hears as the reporting agency (issue 11).
    assert len(school_rows) == 1 and school_rows[0].outcome.is_reporter
