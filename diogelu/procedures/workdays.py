"""The Welsh working-day calendar and date arithmetic in Europe/London.

A working day is Monday to Friday, except bank holidays in England and Wales (which are the
same set; the ``holidays`` package's United Kingdom calendar, subdivision ``WLS``). That set
includes substitute days when Christmas, Boxing Day or New Year fall at a weekend, and one-off
moves and additions (VE Day 2020, the 2022 jubilee and state funeral, the 2023 coronation).

Deadlines end at the end of the local day: 23:59:59.999999 Europe/London on the due date
(:func:`end_of_day`). See docs/adr/0200-procedure-due-dates.md.

Plain Python (``zoneinfo``), no Django.
"""

from __future__ import annotations

import calendar as _stdlib_calendar
from collections.abc import Iterable
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays

__all__ = [
    "END_OF_DAY",
    "LONDON",
    "WorkingCalendar",
    "add_calendar_days",
    "add_months",
    "add_weeks",
    "end_of_day",
    "local_date",
    "to_local",
]

#: The time zone every procedural date is reckoned in.
LONDON = ZoneInfo("Europe/London")
#: The moment a day's deadline ends, local time (the last microsecond of the day).
END_OF_DAY = time.max


def to_local(moment: datetime) -> datetime:
    """``moment`` in Europe/London. Raises ``ValueError`` for a naive datetime."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError("procedures need timezone-aware datetimes, got a naive one")
    return moment.astimezone(LONDON)


def local_date(moment: datetime | date) -> date:
    """The Europe/London calendar date of ``moment`` (a ``date`` is returned as it is)."""
    if isinstance(moment, datetime):
        return to_local(moment).date()
    return moment


def end_of_day(day: date) -> datetime:
    """23:59:59.999999 Europe/London on ``day``, with the UTC offset in force that day.

    UK clocks change at 01:00 UTC, so the end of a day is never ambiguous or missing.
    """
    return datetime.combine(day, END_OF_DAY, tzinfo=LONDON)


def add_calendar_days(day: date, n: int) -> date:
    """``day`` plus ``n`` calendar days (weekends and bank holidays count)."""
    return day + timedelta(days=n)


def add_weeks(day: date, n: int) -> date:
    """``day`` plus ``n`` weeks: the same weekday ``n`` weeks later."""
    return day + timedelta(weeks=n)


def add_months(day: date, n: int) -> date:
    """``day`` plus ``n`` calendar months, clamped to the end of a shorter month.

    31 August + 6 months is 28 February (29th in a leap year); 30 November + 3 months is
    28/29 February. ``n`` may be negative.
    """
    month_index = day.year * 12 + (day.month - 1) + n
    year, month = divmod(month_index, 12)
    month += 1
    last = _stdlib_calendar.monthrange(year, month)[1]
    return date(year, month, min(day.day, last))


#: Sums remembered by one calendar (``add_working_days``) before it starts again: a day and a
#: period, so a few years of days for each rule's period is well under it.
_MEMO_LIMIT = 50_000


@lru_cache(maxsize=512)
def _bank_holidays(subdiv: str, year: int) -> dict[date, str]:
    calendar = holidays.country_holidays("GB", subdiv=subdiv, years=year)
    return {d: str(name) for d, name in calendar.items()}


class WorkingCalendar:
    """Working days: Monday–Friday except England and Wales bank holidays.

    ``extra_non_working_days`` adds closures (e.g. a one-off bank holiday announced after the
    installed ``holidays`` release); ``extra_working_days`` removes listed holidays. Both come
    from the ``[calendar]`` table of the rules file.

    Counting convention used throughout: the day a clock starts is day 0, whatever its time or
    whether it is a working day; "N working days" ends on the N-th working day *after* it.
    """

    def __init__(
        self,
        *,
        subdiv: str = "WLS",
        extra_non_working_days: Iterable[date] = (),
        extra_working_days: Iterable[date] = (),
    ) -> None:
        self.subdiv = subdiv
        self.extra_non_working_days = frozenset(extra_non_working_days)
        self.extra_working_days = frozenset(extra_working_days)
        # Fail at start-up, not at the first deadline, if the subdivision is wrong.
        _bank_holidays(subdiv, 2020)

    def __repr__(self) -> str:
        return (
            f"WorkingCalendar(subdiv={self.subdiv!r}, "
            f"extra_non_working_days={sorted(self.extra_non_working_days)!r}, "
            f"extra_working_days={sorted(self.extra_working_days)!r})"
        )

    # --- single days ------------------------------------------------------------------

    def holiday_name(self, day: date) -> str | None:
        """The bank holiday's name on ``day`` (from ``holidays``), ``"Local closure"`` for an
        extra non-working day, or ``None``."""
        if day in self.extra_working_days:
            return None
        if day in self.extra_non_working_days:
            return "Local closure"
        return _bank_holidays(self.subdiv, day.year).get(day)

    def is_bank_holiday(self, day: date) -> bool:
        """True if ``day`` is a bank holiday (or extra closure), weekend or not."""
        return self.holiday_name(day) is not None

    def is_working_day(self, day: date) -> bool:
        """True for Monday–Friday that is not a bank holiday or extra closure."""
        return day.weekday() < 5 and not self.is_bank_holiday(day)

    def bank_holidays(self, year: int) -> dict[date, str]:
        """The bank holidays (and extra closures) of ``year``, by date, in date order."""
        days = {
            d: n
            for d, n in _bank_holidays(self.subdiv, year).items()
            if d not in self.extra_working_days
        }
        days.update({d: "Local closure" for d in self.extra_non_working_days if d.year == year})
        return dict(sorted(days.items()))

    def _weekday_closures(self, year: int) -> tuple[date, ...]:
        """The closures of ``year`` that fall Monday to Friday, worked out once per year (a
        manager's overdue visits count working days thousands of times a page)."""
        cache: dict[int, tuple[date, ...]] = self.__dict__.setdefault("_closures", {})
        found = cache.get(year)
        if found is None:
            found = tuple(d for d in self.bank_holidays(year) if d.weekday() < 5)
            cache[year] = found
        return found

    # --- stepping -----------------------------------------------------------------------

    def next_working_day(self, day: date) -> date:
        """The first working day strictly after ``day``."""
        day += timedelta(days=1)
        while not self.is_working_day(day):
            day += timedelta(days=1)
        return day

    def previous_working_day(self, day: date) -> date:
        """The last working day strictly before ``day``."""
        day -= timedelta(days=1)
        while not self.is_working_day(day):
            day -= timedelta(days=1)
        return day

    def working_day_on_or_after(self, day: date) -> date:
        """``day`` if it is a working day, else the next one."""
        return day if self.is_working_day(day) else self.next_working_day(day)

    def working_day_on_or_before(self, day: date) -> date:
        """``day`` if it is a working day, else the previous one."""
        return day if self.is_working_day(day) else self.previous_working_day(day)

    def add_working_days(self, day: date, n: int) -> date:
        """The ``n``-th working day after ``day`` (before it, for negative ``n``).

        ``day`` itself is day 0 and need not be a working day: a report on Friday or on
        Saturday plus 1 working day is the next Monday (Tuesday if Monday is a bank holiday).
        ``n == 0`` returns ``day`` unchanged.
        """
        memo: dict[tuple[date, int], date] = self.__dict__.setdefault("_added", {})
        found = memo.get((day, n))
        if found is not None:
            return found
        step = self.next_working_day if n >= 0 else self.previous_working_day
        start = day
        for _ in range(abs(n)):
            day = step(day)
        if len(memo) >= _MEMO_LIMIT:  # a long-lived worker: keep it bounded
            memo.clear()
        memo[(start, n)] = day
        return day

    def working_days_between(self, start: date, end: date) -> int:
        """How many working days ``end`` is after ``start``.

        The working days in (``start``, ``end``] — after ``start``, up to and including ``end``
        — counted negative if ``end`` is before ``start`` (then the working days in
        (``end``, ``start``]). So ``working_days_between(d, add_working_days(d, n)) == n`` for
        any ``n >= 0``, and for negative ``n`` when ``d`` is a working day; and
        ``between(a, b) == -between(b, a)``.
        """
        if end < start:
            return -self.working_days_between(end, start)
        # Monday to Friday in (start, end] by arithmetic, less the bank holidays and closures
        # that fall on them: constant in the length of the span (an outcome unacknowledged for
        # years was counted day by day, 183,000 look-ups for one page of the MASH dashboard).
        weeks, rest = divmod((end - start).days, 7)
        count = 5 * weeks
        day = start + timedelta(days=7 * weeks)
        for _ in range(rest):
            day += timedelta(days=1)
            if day.weekday() < 5:
                count += 1
        closed = sum(
            1
            for year in range(start.year, end.year + 1)
            for holiday in self._weekday_closures(year)
            if start < holiday <= end
        )
        return count - closed
