"""The date dimension: the procedures' working-day calendar as a table, so measures can count
working days in SQL (``CalendarDay.wd_index``) instead of looping over rows in Python."""

from __future__ import annotations

from datetime import date, timedelta

from diogelu import procedures
from diogelu.measures.models import CalendarDay

#: Day 0 of ``wd_index``. Every row is counted from here, so partial builds agree.
ORIGIN = date(2000, 1, 1)


def ensure_calendar(first: date, last: date) -> None:
    """Make sure every day of the years of ``first``..``last`` (and one either side) has a row.

    Idempotent and cheap when the rows exist (two lookups). The index of the first missing year is
    computed from the origin with the procedures calendar, so a partial build agrees with a full
    one.
    """
    start = date(max(first.year - 1, ORIGIN.year), 1, 1)
    end = date(last.year + 1, 12, 31)
    if (
        CalendarDay.objects.filter(day=start).exists()
        and CalendarDay.objects.filter(day=end).exists()
        and CalendarDay.objects.filter(day__gte=start, day__lte=end).count()
        == (end - start).days + 1
    ):
        return
    calendar = procedures.default_calendar()
    existing = set(
        CalendarDay.objects.filter(day__gte=start, day__lte=end).values_list("day", flat=True)
    )
    index = calendar.working_days_between(ORIGIN, start - timedelta(days=1))
    rows: list[CalendarDay] = []
    day = start
    while day <= end:
        working = calendar.is_working_day(day)
        if working:
            index += 1
        if day not in existing:
            rows.append(
                CalendarDay(
                    day=day,
                    is_working=working,
                    wd_index=index,
                    day_number=(day - ORIGIN).days,
                    plus_12_months=procedures.add_months(day, 12),
                    month_index=day.year * 12 + day.month - 1,
                    day_of_month=day.day,
                )
            )
        day += timedelta(days=1)
    CalendarDay.objects.bulk_create(rows, batch_size=1000, ignore_conflicts=True)
