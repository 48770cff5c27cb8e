"""Timeliness: not_due, due_soon, due_today, overdue, met, met_late."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from diogelu import procedures
from diogelu.procedures import LONDON, Status


def london(
    year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0, us: int = 0
) -> datetime:
    """A Europe/London wall-clock datetime."""
    return datetime(year, month, day, hour, minute, second, us, tzinfo=LONDON)


@pytest.fixture
def decision(rules):
    # Received Fri 22 Aug 2025 16:59 -> due end of Tue 26 Aug (Mon 25th is a bank holiday).
    return procedures.due("report.decision", london(2025, 8, 22, 16, 59), rules=rules)


@pytest.mark.parametrize(
    ("now", "status", "ahead", "behind"),
    [
        # Friday 17:00: working days after today up to Tue = just Tue (Mon is a holiday) = 1.
        ((2025, 8, 22, 17, 0), Status.DUE_SOON, 1, 0),
        ((2025, 8, 25, 10, 0), Status.DUE_SOON, 1, 0),  # the bank holiday
        ((2025, 8, 26, 9, 0), Status.DUE_TODAY, 0, 0),
        ((2025, 8, 26, 23, 59), Status.DUE_TODAY, 0, 0),
        ((2025, 8, 27, 0, 0), Status.OVERDUE, 0, 1),  # one working day late (Wed)
        ((2025, 9, 1, 12, 0), Status.OVERDUE, 0, 4),  # Wed, Thu, Fri, Mon
    ],
)
def test_report_decision_status_through_a_bank_holiday_weekend(
    rules, decision, now, status, ahead, behind
):
    result = procedures.timeliness(decision, london(*now), rules=rules)
    assert result.status is status
    assert result.working_days_remaining == ahead
    assert result.working_days_overdue == behind
    assert result.is_overdue is (status is Status.OVERDUE)


def test_due_soon_threshold_is_configurable(rules):
    # s47 from Mon 1 Dec 2025 is due Mon 2 Feb 2026.
    due = procedures.due("s47.assessment", date(2025, 12, 1), rules=rules)
    assert procedures.timeliness(due, london(2025, 12, 1, 9), rules=rules).status is Status.NOT_DUE
    assert (
        procedures.timeliness(due, london(2025, 12, 1, 9), rules=rules).working_days_remaining == 42
    )
    # Thu 29 Jan: Fri 30 Jan and Mon 2 Feb remain = 2 -> due soon with the default threshold 2.
    assert procedures.timeliness(due, london(2026, 1, 29, 9), rules=rules).status is Status.DUE_SOON
    # Wed 28 Jan: 3 remain -> not due, unless the threshold is 5.
    wed = london(2026, 1, 28, 9)
    assert procedures.timeliness(due, wed, rules=rules).status is Status.NOT_DUE
    assert (
        procedures.timeliness(due, wed, due_soon_working_days=5, rules=rules).status
        is Status.DUE_SOON
    )


def test_completion_gives_met_or_met_late(rules, decision):
    on_time = procedures.timeliness(
        decision, london(2025, 9, 5, 9), completed_at=london(2025, 8, 26, 23, 0), rules=rules
    )
    assert on_time.status is Status.MET
    assert not on_time.is_overdue
    by_date = procedures.timeliness(
        decision, london(2025, 9, 5, 9), completed_at=date(2025, 8, 26), rules=rules
    )
    assert by_date.status is Status.MET
    late = procedures.timeliness(
        decision, london(2025, 9, 5, 9), completed_at=london(2025, 8, 27, 0, 5), rules=rules
    )
    assert late.status is Status.MET_LATE
    assert late.working_days_overdue == 1
    assert late.is_overdue


def test_calendar_deadline_at_a_weekend_is_overdue_the_next_day(rules):
    # Review due Sat 29 Nov 2025; on Mon 1 Dec it is 1 working day overdue.
    due = procedures.next_review(date(2025, 8, 29), rules=rules)
    result = procedures.timeliness(due, london(2025, 12, 1, 9), rules=rules)
    assert result.status is Status.OVERDUE
    assert result.working_days_overdue == 1


def test_hour_rules_use_hours_for_due_soon(rules):
    start = london(2025, 6, 2, 10, 0)
    due = procedures.due("mash.request.urgent", start, rules=rules)  # due 14:00
    status = [
        procedures.timeliness(due, start + timedelta(minutes=m), rules=rules).status
        for m in (0, 179, 180, 239, 240, 241)
    ]
    assert status == [
        Status.NOT_DUE,
        Status.NOT_DUE,
        Status.DUE_SOON,
        Status.DUE_SOON,
        Status.DUE_SOON,  # exactly at the deadline: not yet late
        Status.OVERDUE,
    ]


def test_time_remaining_is_real_elapsed_time_across_clock_change(rules):
    # Due end of Mon 31 Mar 2025 (BST). From Fri 28 Mar 23:59:59.999999 GMT that is 3 days
    # minus the lost hour.
    due = procedures.due("report.decision", london(2025, 3, 28, 10), rules=rules)
    now = london(2025, 3, 28, 23, 59, 59, 999999)
    remaining = procedures.timeliness(due, now, rules=rules).time_remaining
    assert remaining == timedelta(days=3) - timedelta(hours=1)
    assert now.astimezone(UTC) + remaining == due.due_at.astimezone(UTC)
