"""Due dates from procedure rules, chains of recurring deadlines, and timeliness.

Semantics (docs/adr/0200-procedure-due-dates.md):

* Every clock is read in Europe/London. The clock-start date is the local date of the start.
* Working days: the start date is day 0, whatever the time of day and whether or not it is a
  working day; the deadline is the end of the N-th working day after it.
* Calendar days, weeks and months: the deadline is the end of the date that many days, weeks or
  months after the start date (months clamp to the end of a shorter month). It is *not* moved
  off a weekend or bank holiday; ``Due.schedule_by`` gives the last working day on or before it.
* Hours: elapsed time from the exact start instant (24/7; clock changes do not add or remove
  hours).
* A deadline ends at 23:59:59.999999 local time on the due date; it is overdue after that.

Plain Python, no Django.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from enum import StrEnum

from diogelu.procedures.rules import PeriodUnit, Rule, RuleError, RuleSet
from diogelu.procedures.workdays import (
    WorkingCalendar,
    add_calendar_days,
    add_months,
    add_weeks,
    end_of_day,
    local_date,
    to_local,
)

__all__ = [
    "Due",
    "Status",
    "Timeliness",
    "bedroom_visit_due",
    "compute_due",
    "due_after_latest",
    "next_core_group",
    "next_review",
    "projected_reviews",
    "rescreen_due",
    "timeliness",
]

Moment = datetime | date


@dataclass(frozen=True)
class Due:
    """A computed deadline.

    ``due_on`` is the local due date; ``due_at`` the aware instant the deadline ends (Europe/
    London). ``schedule_by`` is the last working day on or before ``due_on`` (the same day for
    working-day rules), for booking meetings. ``start`` is the clock start as given.
    """

    rule: Rule
    start: Moment
    due_on: date
    due_at: datetime
    schedule_by: date
    description: str

    @property
    def key(self) -> str:
        """The rule's key."""
        return self.rule.key


def _resolve(rule: Rule | str, rules: RuleSet) -> Rule:
    return rule if isinstance(rule, Rule) else rules[rule]


def compute_due(
    rule: Rule | str,
    start: Moment,
    rules: RuleSet,
    *,
    first_cycle: bool | None = None,
) -> Due:
    """The deadline for ``rule`` (or its key) when the clock started at ``start``.

    ``start`` is an aware datetime, or a ``date`` for events recorded by day (not allowed for
    hour rules). ``first_cycle`` is needed only for the ``review_cycle`` unit (the bedroom
    visit): true if the cycle began at the ICPC, false if at a review conference.
    Raises :class:`RuleError` for an unknown key and ``ValueError`` for a naive datetime.
    """
    rule = _resolve(rule, rules)
    calendar = rules.calendar
    unit, amount = rule.period.unit, rule.period.amount
    if unit is PeriodUnit.HOURS:
        if not isinstance(start, datetime):
            raise ValueError(f"{rule.key} counts hours, so its start must be a datetime")
        # Elapsed time: add in UTC (aware arithmetic in one zone is wall-clock arithmetic and
        # would gain or lose an hour across a clock change), then show in London time.
        due_at = to_local(to_local(start).astimezone(UTC) + timedelta(hours=amount))
        due_on = due_at.date()
        return Due(
            rule=rule,
            start=start,
            due_on=due_on,
            due_at=due_at,
            schedule_by=due_on,
            description=rule.describe(),
        )
    day0 = local_date(start)
    if unit is PeriodUnit.WORKING_DAYS:
        due_on = calendar.add_working_days(day0, amount)
    elif unit is PeriodUnit.CALENDAR_DAYS:
        due_on = add_calendar_days(day0, amount)
    elif unit is PeriodUnit.WEEKS:
        due_on = add_weeks(day0, amount)
    elif unit is PeriodUnit.MONTHS:
        due_on = add_months(day0, amount)
    else:  # REVIEW_CYCLE
        if first_cycle is None:
            raise RuleError(f"{rule.key} needs first_cycle=True (after an ICPC) or False")
        review = rules["review.first" if first_cycle else "review.interval"]
        return _as(compute_due(review, start, rules), rule)
    return Due(
        rule=rule,
        start=start,
        due_on=due_on,
        due_at=end_of_day(due_on),
        schedule_by=calendar.working_day_on_or_before(due_on),
        description=rule.describe(),
    )


def _as(other: Due, rule: Rule) -> Due:
    return Due(
        rule=rule,
        start=other.start,
        due_on=other.due_on,
        due_at=other.due_at,
        schedule_by=other.schedule_by,
        description=rule.describe(),
    )


def due_after_latest(
    rule: Rule | str,
    occurrences: Iterable[Moment],
    rules: RuleSet,
    *,
    anchor: Moment | None = None,
) -> Due:
    """The next deadline of a recurring rule: counted from the latest of ``occurrences``, or
    from ``anchor`` if there are none (or if ``anchor`` is later).

    Examples: ``visit.seen_alone`` from the visits where the child was seen alone, anchored at
    registration; ``icpc.convene`` from all strategy discussions (Wales counts from the last).
    """
    moments = [*occurrences, *([anchor] if anchor is not None else [])]
    if not moments:
        raise ValueError("need at least one occurrence or an anchor")
    latest = max(moments, key=_sort_key)
    return compute_due(rule, latest, rules)


def rescreen_due(screenings: Iterable[Moment], rules: RuleSet, *, risk_open: bool) -> Due | None:
    """When the child must be screened for exploitation again (``exploitation.rescreen``):
    3 months from the latest screening while a risk is open; ``None`` when no risk is open or
    the child has not been screened.
    """
    held = list(screenings)
    if not risk_open or not held:
        return None
    return due_after_latest("exploitation.rescreen", held, rules)


def _utc(moment: datetime) -> datetime:
    # Compare and subtract in UTC: Python compares and subtracts two datetimes that share a
    # tzinfo by wall-clock time, which is wrong across a clock change.
    return to_local(moment).astimezone(UTC)


def _sort_key(moment: Moment) -> datetime:
    if isinstance(moment, datetime):
        return _utc(moment)
    return _utc(end_of_day(moment))  # a bare date counts as late as possible within its day


def next_review(icpc: Moment, reviews_held: Iterable[Moment], rules: RuleSet) -> Due:
    """The next review conference: ``review.first`` from the ICPC if none has been held,
    otherwise ``review.interval`` from the latest review held (its actual date)."""
    held = list(reviews_held)
    if not held:
        return compute_due("review.first", icpc, rules)
    return compute_due("review.interval", max(held, key=_sort_key), rules)


def projected_reviews(icpc: Moment, count: int, rules: RuleSet) -> list[Due]:
    """The first ``count`` review deadlines if every review is held on its due date.

    Month-end clamping carries forward, because each review counts from the previous one:
    ICPC 30 Nov → 28 Feb (or 29) → 28 Aug → 28 Feb.
    """
    dues: list[Due] = []
    start: Moment = icpc
    for index in range(count):
        key = "review.first" if index == 0 else "review.interval"
        dues.append(compute_due(key, start, rules))
        start = dues[-1].due_on
    return dues


def next_core_group(icpc: Moment, core_groups_held: Iterable[Moment], rules: RuleSet) -> Due:
    """The next core group: ``core_group.first`` from the registering conference if none has
    been held, otherwise ``core_group.interval`` from the latest one held."""
    held = list(core_groups_held)
    if not held:
        return compute_due("core_group.first", icpc, rules)
    return compute_due("core_group.interval", max(held, key=_sort_key), rules)


def bedroom_visit_due(cycle_start: Moment, *, first_cycle: bool, rules: RuleSet) -> Due:
    """When the child's bedroom must have been seen: by the latest date of the next review
    conference (3 months after the ICPC, or 6 months after the previous review)."""
    return compute_due("visit.bedroom", cycle_start, rules, first_cycle=first_cycle)


# --- timeliness ---------------------------------------------------------------------------


class Status(StrEnum):
    """Where a deadline stands."""

    NOT_DUE = "not_due"
    DUE_SOON = "due_soon"
    DUE_TODAY = "due_today"
    OVERDUE = "overdue"
    MET = "met"
    MET_LATE = "met_late"


@dataclass(frozen=True)
class Timeliness:
    """A deadline's status at a moment.

    ``working_days_remaining`` counts working days after today up to the due date (0 when due
    today or overdue); ``working_days_overdue`` counts working days after the due date up to
    today (or up to completion, for ``met_late``). ``time_remaining`` is negative when late.
    """

    status: Status
    due: Due
    working_days_remaining: int
    working_days_overdue: int
    time_remaining: timedelta

    @property
    def is_overdue(self) -> bool:
        """True for ``overdue`` and ``met_late``."""
        return self.status in (Status.OVERDUE, Status.MET_LATE)


def timeliness(
    due: Due,
    now: datetime,
    rules: RuleSet,
    *,
    completed_at: Moment | None = None,
    due_soon_working_days: int | None = None,
    due_soon_hours: int | None = None,
) -> Timeliness:
    """The status of ``due`` at ``now`` (aware).

    With ``completed_at``: ``met`` if completed by ``due_at`` (a bare date counts as that day),
    else ``met_late``. Otherwise: ``overdue`` after ``due_at``; ``due_today`` on the due date;
    ``due_soon`` when no more than ``due_soon_working_days`` working days remain (default from
    the rules file, 2); else ``not_due``. Hour rules skip ``due_today`` and use
    ``due_soon_hours`` (default 1) instead.
    """
    calendar: WorkingCalendar = rules.calendar
    soon_days = (
        rules.due_soon_working_days if due_soon_working_days is None else due_soon_working_days
    )
    soon_hours = rules.due_soon_hours if due_soon_hours is None else due_soon_hours
    today = local_date(now)
    remaining = _utc(due.due_at) - _utc(now)
    if completed_at is not None:
        done_on = local_date(completed_at)
        late = (
            _utc(completed_at) > _utc(due.due_at)
            if isinstance(completed_at, datetime)
            else done_on > due.due_on
        )
        return Timeliness(
            status=Status.MET_LATE if late else Status.MET,
            due=due,
            working_days_remaining=0,
            working_days_overdue=max(0, calendar.working_days_between(due.due_on, done_on)),
            time_remaining=remaining,
        )
    ahead = max(0, calendar.working_days_between(today, due.due_on))
    behind = max(0, calendar.working_days_between(due.due_on, today))
    if remaining < timedelta(0):
        status = Status.OVERDUE
        ahead = 0
    elif due.rule.period.unit is PeriodUnit.HOURS:
        status = Status.DUE_SOON if remaining <= timedelta(hours=soon_hours) else Status.NOT_DUE
    elif today == due.due_on:
        status = Status.DUE_TODAY
    elif ahead <= soon_days:
        status = Status.DUE_SOON
    else:
        status = Status.NOT_DUE
    return Timeliness(
        status=status,
        due=due,
        working_days_remaining=ahead,
        working_days_overdue=behind if status is Status.OVERDUE else 0,
        time_remaining=remaining,
    )
