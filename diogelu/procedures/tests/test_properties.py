"""Property tests of the calendar and due dates (Hypothesis)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from diogelu.procedures import (
    LONDON,
    PeriodUnit,
    Status,
    add_months,
    load_rules,
    timeliness,
)
from diogelu.procedures import due as compute
from diogelu.procedures.workdays import WorkingCalendar

RULES = load_rules(environ={})
CAL = RULES.calendar

dates = st.dates(min_value=date(2000, 1, 1), max_value=date(2040, 12, 31))
counts = st.integers(min_value=0, max_value=120)
day_rules = [r.key for r in RULES.all() if r.period.unit is not PeriodUnit.HOURS]


@given(dates, st.integers(min_value=1, max_value=120))
def test_add_working_days_lands_on_a_working_day(day, n):
    assert CAL.is_working_day(CAL.add_working_days(day, n))
    assert CAL.is_working_day(CAL.add_working_days(day, -n))


@given(dates, counts)
def test_working_days_between_inverts_add_working_days(day, n):
    assert CAL.working_days_between(day, CAL.add_working_days(day, n)) == n


@given(dates, counts)
def test_negative_steps_invert_from_a_working_day(day, n):
    start = CAL.working_day_on_or_after(day)
    assert CAL.working_days_between(start, CAL.add_working_days(start, -n)) == -n


def _one_by_one(cal, start: date, end: date) -> int:
    """The working days in (start, end], counted a day at a time (the definition)."""
    if end < start:
        return -_one_by_one(cal, end, start)
    return sum(
        cal.is_working_day(start + timedelta(days=i)) for i in range(1, (end - start).days + 1)
    )


CLOSURES = WorkingCalendar(
    extra_non_working_days=[date(2026, 12, 24), date(2027, 6, 5), date(2028, 1, 3)],
    extra_working_days=[date(2026, 12, 28), date(2027, 8, 30)],
)
near = st.dates(min_value=date(2024, 1, 1), max_value=date(2030, 12, 31))


@given(near, near)
@settings(max_examples=300)
def test_working_days_between_counts_what_a_day_by_day_count_counts(a, b):
    """Counted by weeks and the holidays in the span (constant in its length), the same as one
    day at a time, with bank holidays, local closures and a holiday worked."""
    assert CAL.working_days_between(a, b) == _one_by_one(CAL, a, b)
    assert CLOSURES.working_days_between(a, b) == _one_by_one(CLOSURES, a, b)


@given(dates, dates)
def test_working_days_between_is_antisymmetric(a, b):
    assert CAL.working_days_between(a, b) == -CAL.working_days_between(b, a)


@given(dates, counts, counts)
def test_adding_working_days_composes(day, m, n):
    assert CAL.add_working_days(CAL.add_working_days(day, m), n) == CAL.add_working_days(day, m + n)


@given(dates, dates, counts)
def test_add_working_days_is_monotonic(a, b, n):
    lo, hi = sorted((a, b))
    assert CAL.add_working_days(lo, n) <= CAL.add_working_days(hi, n)


@given(dates, st.integers(min_value=-36, max_value=36))
def test_add_months_keeps_the_day_or_clamps_to_month_end(day, n):
    result = add_months(day, n)
    assert (result.year * 12 + result.month) - (day.year * 12 + day.month) == n
    assert result.day == day.day or (
        result.day < day.day and (result + timedelta(days=1)).month != result.month
    )


@settings(max_examples=200)
@given(st.sampled_from(day_rules), dates, st.times())
def test_day_rules_end_at_local_midnight_with_the_right_offset(key, day, at):
    start = datetime.combine(day, at, tzinfo=LONDON)
    d = compute(key, start, rules=RULES, first_cycle=True)
    assert d.due_at.tzinfo is LONDON
    assert d.due_at.time() == time.max
    assert d.due_at.date() == d.due_on
    assert d.due_on > day
    assert d.schedule_by <= d.due_on
    assert CAL.is_working_day(d.schedule_by)
    # The offset is whatever London uses on that date: GMT in winter, BST in summer.
    noon = datetime.combine(d.due_on, time(12), tzinfo=LONDON)
    assert d.due_at.utcoffset() == noon.utcoffset()
    # One microsecond later is the next local day.
    after = (d.due_at.astimezone(UTC) + timedelta(microseconds=1)).astimezone(LONDON)
    assert after.date() == d.due_on + timedelta(days=1)
    assert after.time() == time(0)


@given(
    st.datetimes(
        min_value=datetime(2000, 1, 1), max_value=datetime(2040, 1, 1), timezones=st.just(LONDON)
    ),
    st.integers(min_value=-2000, max_value=200_000),
)
def test_overdue_exactly_after_due_at(start, minutes):
    d = compute("report.decision", start, rules=RULES)
    now = (d.due_at.astimezone(UTC) + timedelta(minutes=minutes)).astimezone(LONDON)
    status = timeliness(d, now, rules=RULES).status
    assert (status is Status.OVERDUE) == (minutes > 0)


@given(
    st.datetimes(
        min_value=datetime(2000, 1, 1), max_value=datetime(2040, 1, 1), timezones=st.just(LONDON)
    )
)
def test_hour_rules_are_exact_elapsed_time(start):
    d = compute("mash.request.urgent", start, rules=RULES)
    assert d.due_at.astimezone(UTC) - start.astimezone(UTC) == timedelta(hours=4)
