"""Due dates: hand-computed cases, clock changes, chains. Reasoning in the comments."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from diogelu import procedures
from diogelu.procedures import LONDON, RuleError


def london(
    year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0, us: int = 0
) -> datetime:
    """A Europe/London wall-clock datetime."""
    return datetime(year, month, day, hour, minute, second, us, tzinfo=LONDON)


def d(text: str) -> date:
    return date.fromisoformat(text)


END = (23, 59, 59, 999999)


# --- report decision (1 working day) --------------------------------------------------------


def test_friday_1659_before_bank_holiday_monday_is_due_end_of_tuesday(rules):
    # Fri 22 Aug 2025 16:59; Mon 25 Aug is the late summer bank holiday.
    # Day 0 = Friday; first working day after it = Tuesday 26th; due at its end (BST, +01:00).
    due = procedures.due("report.decision", london(2025, 8, 22, 16, 59), rules=rules)
    assert due.due_on == d("2025-08-26")
    assert due.due_at == london(2025, 8, 26, *END)
    assert due.due_at.utcoffset() == timedelta(hours=1)
    assert due.schedule_by == due.due_on
    assert due.description == "within 1 working day of receipt of the report (WSP §3 pt1, [S8])"
    assert due.key == "report.decision"


@pytest.mark.parametrize(
    "received",
    [
        (2025, 8, 22, 8, 0),  # Friday before office hours
        (2025, 8, 22, 23, 30),  # Friday night (EDT)
        (2025, 8, 23, 11, 0),  # Saturday
        (2025, 8, 25, 11, 0),  # the bank holiday itself
    ],
)
def test_time_of_day_and_non_working_days_do_not_move_the_clock(rules, received):
    # Day 0 is the local date, whatever the hour; Sat/Sun/Mon(BH) + 1 WD is still Tuesday.
    due = procedures.due("report.decision", london(*received), rules=rules)
    assert due.due_on == d("2025-08-26")


def test_clock_start_is_read_in_london_time(rules):
    # 23:30 UTC on Mon 30 June 2025 is 00:30 BST on Tue 1 July: day 0 is Tuesday -> Wednesday.
    due = procedures.due("report.decision", datetime(2025, 6, 30, 23, 30, tzinfo=UTC), rules=rules)
    assert due.due_on == d("2025-07-02")


def test_naive_datetime_is_refused(rules):
    with pytest.raises(ValueError, match="timezone-aware"):
        procedures.due("report.decision", datetime(2025, 6, 30, 12, 0), rules=rules)


def test_unknown_rule_key(rules):
    with pytest.raises(RuleError, match="no procedure rule"):
        procedures.due("report.nonsense", london(2025, 6, 30, 12), rules=rules)


# --- clocks changing ------------------------------------------------------------------------


def test_due_across_spring_clock_change_ends_in_bst(rules):
    # Clocks go forward Sun 30 Mar 2025. Received Fri 28 Mar 10:00 GMT -> due end of Mon 31 Mar,
    # which is in BST: 23:59:59.999999+01:00 = 22:59:59.999999 UTC.
    due = procedures.due("report.decision", london(2025, 3, 28, 10, 0), rules=rules)
    assert due.due_at == london(2025, 3, 31, *END)
    assert due.due_at.utcoffset() == timedelta(hours=1)
    assert due.due_at.astimezone(UTC) == datetime(2025, 3, 31, 22, 59, 59, 999999, tzinfo=UTC)


def test_due_across_autumn_clock_change_ends_in_gmt(rules):
    # Clocks go back Sun 26 Oct 2025. Received Fri 24 Oct (BST) -> due end of Mon 27 Oct (GMT).
    due = procedures.due("report.decision", london(2025, 10, 24, 15, 0), rules=rules)
    assert due.due_at == london(2025, 10, 27, *END)
    assert due.due_at.utcoffset() == timedelta(0)
    assert due.due_at.astimezone(UTC) == datetime(2025, 10, 27, 23, 59, 59, 999999, tzinfo=UTC)


def test_hours_are_elapsed_time_across_spring_change(rules):
    # Sat 29 Mar 2025 23:00 GMT + 4 hours = 03:00 UTC = 04:00 BST (the hour 01:00-02:00 local
    # does not exist). Wall-clock arithmetic would wrongly say 03:00 BST (3 real hours).
    start = london(2025, 3, 29, 23, 0)
    due = procedures.due("mash.request.urgent", start, rules=rules)
    assert due.due_at == london(2025, 3, 30, 4, 0)
    # (Subtract in UTC: Python subtracts same-tzinfo datetimes by wall clock.)
    assert due.due_at.astimezone(UTC) - start.astimezone(UTC) == timedelta(hours=4)
    assert due.due_on == d("2025-03-30")


def test_hours_are_elapsed_time_across_autumn_change(rules):
    # Sun 26 Oct 2025 00:30 BST (23:30 UTC on the 25th) + 4 hours = 03:30 UTC = 03:30 GMT.
    start = london(2025, 10, 26, 0, 30)
    due = procedures.due("mash.request.urgent", start, rules=rules)
    assert due.due_at.astimezone(UTC) == datetime(2025, 10, 26, 3, 30, tzinfo=UTC)
    assert due.due_at.replace(tzinfo=None) == datetime(2025, 10, 26, 3, 30)
    assert due.due_at.utcoffset() == timedelta(0)


def test_24_hour_designated_officer_rule_runs_through_weekend(rules):
    # 24 elapsed hours, weekends included: Sat 29 Mar 12:00 GMT -> Sun 30 Mar 13:00 BST.
    start = datetime(2025, 3, 29, 12, 0, tzinfo=timezone.utc)  # noqa: UP017 - any tz accepted
    due = procedures.due("allegation.designated_officer", start, rules=rules)
    assert due.due_at == london(2025, 3, 30, 13, 0)


def test_hour_rule_needs_a_datetime(rules):
    with pytest.raises(ValueError, match="counts hours"):
        procedures.due("mash.request.urgent", d("2025-03-29"), rules=rules)


# --- working-day rules further down the process ----------------------------------------------


def test_s47_assessment_42_working_days_over_christmas(rules):
    # s47 starts Mon 1 Dec 2025. Working days after it: Dec 2-5 (4), 8-12 (9), 15-19 (14),
    # 22-24 (17), [25, 26 holidays], 29-31 (20), [1 Jan holiday], Fri 2 Jan (21), 5-9 (26),
    # 12-16 (31), 19-23 (36), 26-30 (41), Mon 2 Feb 2026 (42).
    due = procedures.due("s47.assessment", d("2025-12-01"), rules=rules)
    assert due.due_on == d("2026-02-02")


def test_icpc_within_15_working_days_of_the_last_strategy_discussion_over_easter(rules):
    # Strategy discussions on Fri 20 Mar and Wed 25 Mar 2026; Wales counts from the LAST.
    # From Wed 25 Mar: 26, 27, 30, 31 Mar, 1, 2 Apr (6), [Good Friday 3, Easter Monday 6],
    # 7-10 Apr (10), 13-17 Apr (15) -> Fri 17 Apr 2026.
    due = procedures.due_after_latest(
        "icpc.convene", [london(2026, 3, 20, 10), london(2026, 3, 25, 14)], rules=rules
    )
    assert due.due_on == d("2026-04-17")


def test_transfer_in_conference_over_may_bank_holidays(rules):
    # Notified Fri 2 May 2025: [Mon 5 May holiday], 6-9 (4), 12-16 (9), 19-23 (14),
    # [Mon 26 May holiday], Tue 27 May (15).
    due = procedures.due("transfer_in.conference", d("2025-05-02"), rules=rules)
    assert due.due_on == d("2025-05-27")


def test_outline_plan_circulation_five_working_days(rules):
    # ICPC Tue 22 Dec 2026: 23, 24 (2), [25 Fri; 28 Mon Boxing Day substitute], 29, 30, 31 (5).
    due = procedures.due("icpc.circulate_record", d("2026-12-22"), rules=rules)
    assert due.due_on == d("2026-12-31")


# --- core groups and visits (recurring) --------------------------------------------------------


def test_first_core_group_then_six_weekly(rules):
    # ICPC Mon 15 Dec 2025 + 10 WD: 16-19 (4), 22-24 (7), [25, 26], 29-31 (10) -> Wed 31 Dec.
    first = procedures.next_core_group(d("2025-12-15"), rules=rules)
    assert (first.key, first.due_on) == ("core_group.first", d("2025-12-31"))
    # Held on Tue 30 Dec; next within 6 weeks of it: Tue 10 Feb 2026.
    after = procedures.next_core_group(d("2025-12-15"), [d("2025-12-30")], rules=rules)
    assert (after.key, after.due_on) == ("core_group.interval", d("2026-02-10"))


def test_seen_alone_every_ten_working_days(rules):
    # Last seen alone Fri 19 Dec 2025: 22-24 (3), 29-31 (6), [1 Jan], 2 Jan (7), 5-7 Jan (10).
    due = procedures.due_after_latest(
        "visit.seen_alone", [d("2025-12-05"), d("2025-12-19")], anchor=d("2025-11-20"), rules=rules
    )
    assert due.due_on == d("2026-01-07")


def test_recurring_rule_with_no_occurrence_counts_from_the_anchor(rules):
    due = procedures.due_after_latest("visit.seen_at_home", [], anchor=d("2026-01-29"), rules=rules)
    assert due.due_on == d("2026-02-26")  # 4 weeks = 28 days
    with pytest.raises(ValueError, match="occurrence or an anchor"):
        procedures.due_after_latest("visit.seen_at_home", [], rules=rules)


def test_bedroom_visit_is_due_by_the_next_review(rules):
    first = procedures.bedroom_visit_due(d("2025-08-29"), first_cycle=True, rules=rules)
    assert (first.key, first.due_on) == ("visit.bedroom", d("2025-11-29"))
    later = procedures.bedroom_visit_due(d("2025-11-27"), first_cycle=False, rules=rules)
    assert later.due_on == d("2026-05-27")
    with pytest.raises(RuleError, match="first_cycle"):
        procedures.due("visit.bedroom", d("2025-08-29"), rules=rules)


# --- review conference chain --------------------------------------------------------------------


def test_review_chain_with_month_end_clamping(rules):
    # ICPC Thu 30 Nov 2023. First review within 3 months: "30 Feb 2024" -> clamp 29 Feb (leap).
    # Each next one 6 months after the previous (held on its due date): 29 Aug 2024;
    # "29 Feb 2025" -> 28 Feb 2025; 28 Aug 2025. The clamp carries forward.
    dues = procedures.projected_reviews(d("2023-11-30"), 4, rules=rules)
    assert [x.due_on for x in dues] == [
        d("2024-02-29"),
        d("2024-08-29"),
        d("2025-02-28"),
        d("2025-08-28"),
    ]
    assert [x.key for x in dues] == ["review.first"] + ["review.interval"] * 3


def test_review_due_on_a_sunday_is_not_moved_but_schedule_by_is_the_friday(rules):
    # ICPC Fri 29 Aug 2025 + 3 months = Sat 29 Nov 2025: the deadline stays (never later than
    # WSP allows); schedule_by is the last working day on or before it, Fri 28 Nov.
    due = procedures.next_review(d("2025-08-29"), rules=rules)
    assert due.due_on == d("2025-11-29")
    assert due.schedule_by == d("2025-11-28")


def test_next_review_counts_from_the_review_actually_held(rules):
    # First review held early, on 27 Nov 2025: the next is due 6 months after that, 27 May 2026.
    due = procedures.next_review(d("2025-08-29"), [d("2025-11-27")], rules=rules)
    assert (due.key, due.due_on) == ("review.interval", d("2026-05-27"))


def test_review_from_31_august_clamps_to_february(rules):
    due = procedures.due("review.interval", d("2025-08-31"), rules=rules)
    assert due.due_on == d("2026-02-28")
    assert due.due_at == london(2026, 2, 28, *END)
    assert due.due_at.utcoffset() == timedelta(0)
