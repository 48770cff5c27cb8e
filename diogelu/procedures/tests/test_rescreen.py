"""Exploitation rescreening: every 3 months from the latest screening while a risk is open."""

from __future__ import annotations

from datetime import date, datetime

from diogelu import procedures
from diogelu.procedures import LONDON, load_rules

RULES = load_rules(environ={})


def test_three_calendar_months_after_the_latest_screening():
    due = procedures.rescreen_due(
        [date(2026, 1, 10), date(2026, 3, 2)], risk_open=True, rules=RULES
    )
    assert due is not None
    assert due.key == "exploitation.rescreen"
    assert due.due_on == date(2026, 6, 2)


def test_clamped_to_the_end_of_a_shorter_month():
    due = procedures.rescreen_due(
        [datetime(2025, 11, 30, 15, 0, tzinfo=LONDON)], risk_open=True, rules=RULES
    )
    assert due is not None
    assert due.due_on == date(2026, 2, 28)


def test_nothing_due_once_the_risk_is_closed_or_before_a_first_screening():
    assert procedures.rescreen_due([date(2026, 1, 10)], risk_open=False, rules=RULES) is None
    assert procedures.rescreen_due([], risk_open=True, rules=RULES) is None


def test_nrm_reasonable_grounds_in_working_days():
    # Referral on Friday 19 December 2025: 5 working days skip Christmas and Boxing Day.
    due = procedures.due("nrm.reasonable_grounds", date(2025, 12, 19), rules=RULES)
    assert due.due_on == date(2025, 12, 30)
