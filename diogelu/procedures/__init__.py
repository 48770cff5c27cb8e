"""The Wales Safeguarding Procedures as data: rules, the Welsh working-day calendar, due dates.

Every timescale Diogelu shows, reminds about or measures is computed here from a rule in
``rules.toml`` that cites its source; a timescale lives nowhere else (ARCHITECTURE.md rule 4).
Pure Python: no Django, no database.

Quick use::

    from diogelu import procedures

    d = procedures.due("report.decision", received_at)      # -> Due
    d.due_at, d.description   # end of next working day; "within 1 working day of receipt ..."
    procedures.timeliness(d, now).status                    # -> Status.DUE_TODAY etc.
    procedures.get_rule("icpc.convene").period              # Period(15, working_days)
    procedures.add_working_days(date(2025, 12, 24), 1)      # 2025-12-29

The rules are loaded once, lazily, from the packaged file plus the override file named by the
``DIOGELU_PROCEDURES_RULES`` environment variable. :func:`configure` reloads them (e.g. from a
Django ``AppConfig.ready`` with a path from settings); every function also takes ``rules=`` to
use a :class:`RuleSet` of your own. See docs/procedures.md.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterable
from datetime import date, datetime

from diogelu.procedures.deadlines import (
    Due,
    Moment,
    Status,
    Timeliness,
    compute_due,
)
from diogelu.procedures.deadlines import bedroom_visit_due as _bedroom_visit_due
from diogelu.procedures.deadlines import due_after_latest as _due_after_latest
from diogelu.procedures.deadlines import next_core_group as _next_core_group
from diogelu.procedures.deadlines import next_review as _next_review
from diogelu.procedures.deadlines import projected_reviews as _projected_reviews
from diogelu.procedures.deadlines import rescreen_due as _rescreen_due
from diogelu.procedures.deadlines import timeliness as _timeliness
from diogelu.procedures.rules import (
    ENV_VAR,
    Confidence,
    Period,
    PeriodUnit,
    Rule,
    RuleError,
    RuleKind,
    RuleSet,
    Source,
    load_rules,
)
from diogelu.procedures.workdays import (
    LONDON,
    WorkingCalendar,
    add_calendar_days,
    add_months,
    add_weeks,
    end_of_day,
    local_date,
)

__all__ = [
    "ENV_VAR",
    "LONDON",
    "Confidence",
    "Due",
    "Moment",
    "Period",
    "PeriodUnit",
    "Rule",
    "RuleError",
    "RuleKind",
    "RuleSet",
    "Source",
    "Status",
    "Timeliness",
    "WorkingCalendar",
    "add_calendar_days",
    "add_months",
    "add_weeks",
    "add_working_days",
    "all_rules",
    "bedroom_visit_due",
    "configure",
    "default_calendar",
    "default_rules",
    "due",
    "due_after_latest",
    "end_of_day",
    "get_rule",
    "is_working_day",
    "load_rules",
    "local_date",
    "next_core_group",
    "next_review",
    "next_working_day",
    "projected_reviews",
    "rescreen_due",
    "timeliness",
    "working_days_between",
]

_lock = threading.Lock()
_default: RuleSet | None = None


def default_rules() -> RuleSet:
    """The process-wide rules, loaded on first use: the packaged file plus the override named
    by ``$DIOGELU_PROCEDURES_RULES``."""
    global _default  # one cached, replaceable rule set per process
    current = _default
    if current is None:
        with _lock:
            if _default is None:
                _default = load_rules()
            current = _default
    return current


def configure(
    path: str | os.PathLike[str] | None = None, *, rules: RuleSet | None = None
) -> RuleSet:
    """Replace the process-wide rules: with ``rules`` if given, else :func:`load_rules(path)
    <load_rules>` (``path=None`` re-reads the environment variable). Returns the new set.

    Call once at start-up (a Django ``AppConfig.ready``); tests may call it and restore.
    """
    global _default
    new = rules if rules is not None else load_rules(path)
    with _lock:
        _default = new
    return new


def _rules(rules: RuleSet | None) -> RuleSet:
    return rules if rules is not None else default_rules()


# --- rules --------------------------------------------------------------------------------


def get_rule(key: str, *, rules: RuleSet | None = None) -> Rule:
    """The rule called ``key`` (e.g. ``"icpc.convene"``); :class:`RuleError` if unknown."""
    return _rules(rules)[key]


def all_rules(*, in_force_only: bool = False, rules: RuleSet | None = None) -> tuple[Rule, ...]:
    """Every rule in file order (only those in force if ``in_force_only``)."""
    return _rules(rules).all(in_force_only=in_force_only)


# --- calendar -----------------------------------------------------------------------------


def default_calendar() -> WorkingCalendar:
    """The working-day calendar of the process-wide rules."""
    return default_rules().calendar


def is_working_day(day: date, *, rules: RuleSet | None = None) -> bool:
    """True if ``day`` is Monday–Friday and not an England & Wales bank holiday."""
    return _rules(rules).calendar.is_working_day(day)


def next_working_day(day: date, *, rules: RuleSet | None = None) -> date:
    """The first working day strictly after ``day``."""
    return _rules(rules).calendar.next_working_day(day)


def add_working_days(day: date, n: int, *, rules: RuleSet | None = None) -> date:
    """The ``n``-th working day after ``day`` (day 0, need not be a working day)."""
    return _rules(rules).calendar.add_working_days(day, n)


def working_days_between(start: date, end: date, *, rules: RuleSet | None = None) -> int:
    """Working days in (``start``, ``end``]; negative if ``end`` is before ``start``."""
    return _rules(rules).calendar.working_days_between(start, end)


# --- due dates ----------------------------------------------------------------------------


def due(
    key: str | Rule,
    start: Moment,
    *,
    first_cycle: bool | None = None,
    rules: RuleSet | None = None,
) -> Due:
    """The deadline for rule ``key`` whose clock started at ``start`` (aware datetime, or a date).

    >>> from datetime import datetime
    >>> d = due("report.decision", datetime(2025, 8, 22, 16, 59, tzinfo=LONDON))
    >>> d.due_at.isoformat()  # Friday before the August bank holiday -> end of Tuesday
    '2025-08-26T23:59:59.999999+01:00'
    """
    return compute_due(key, start, _rules(rules), first_cycle=first_cycle)


def due_after_latest(
    key: str | Rule,
    occurrences: Iterable[Moment],
    *,
    anchor: Moment | None = None,
    rules: RuleSet | None = None,
) -> Due:
    """The next deadline of a recurring rule from the latest occurrence (or ``anchor``)."""
    return _due_after_latest(key, occurrences, _rules(rules), anchor=anchor)


def next_review(
    icpc: Moment, reviews_held: Iterable[Moment] = (), *, rules: RuleSet | None = None
) -> Due:
    """The next review conference: 3 months after the ICPC, then 6 months after the last."""
    return _next_review(icpc, reviews_held, _rules(rules))


def projected_reviews(icpc: Moment, count: int, *, rules: RuleSet | None = None) -> list[Due]:
    """The next ``count`` review deadlines if each review is held on its due date."""
    return _projected_reviews(icpc, count, _rules(rules))


def next_core_group(
    icpc: Moment, core_groups_held: Iterable[Moment] = (), *, rules: RuleSet | None = None
) -> Due:
    """The next core group: 10 working days after the ICPC, then 6 weeks after the last."""
    return _next_core_group(icpc, core_groups_held, _rules(rules))


def bedroom_visit_due(
    cycle_start: Moment, *, first_cycle: bool, rules: RuleSet | None = None
) -> Due:
    """By when the child's bedroom must be seen in the review cycle starting ``cycle_start``."""
    return _bedroom_visit_due(cycle_start, first_cycle=first_cycle, rules=_rules(rules))


def rescreen_due(
    screenings: Iterable[Moment], *, risk_open: bool, rules: RuleSet | None = None
) -> Due | None:
    """The next exploitation screening: 3 months after the latest while a risk is open."""
    return _rescreen_due(screenings, _rules(rules), risk_open=risk_open)


def timeliness(
    due: Due,
    now: datetime,
    *,
    completed_at: Moment | None = None,
    due_soon_working_days: int | None = None,
    due_soon_hours: int | None = None,
    rules: RuleSet | None = None,
) -> Timeliness:
    """The status of ``due`` at ``now``: not_due, due_soon, due_today, overdue, met, met_late."""
    return _timeliness(
        due,
        now,
        _rules(rules),
        completed_at=completed_at,
        due_soon_working_days=due_soon_working_days,
        due_soon_hours=due_soon_hours,
    )
