"""Reporting periods: the financial year (1 April – 31 March), a quarter of it, a month, or any
range of days. A period is a closed range of dates, reckoned in Europe/London."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.utils.translation import gettext as _

from diogelu.core.presenters import format_date
from diogelu.procedures import LONDON, add_months

__all__ = ["Period", "PeriodError", "financial_year_of", "parse_period"]


class PeriodError(ValueError):
    """A period could not be read."""


def financial_year_of(day: date) -> int:
    """The financial year ``day`` falls in, named by the year it starts (2025 = 2025-26)."""
    return day.year if day.month >= 4 else day.year - 1


@dataclass(frozen=True)
class Period:
    """``start`` to ``end`` inclusive. ``kind`` is fy, q, m or range."""

    kind: str
    start: date
    end: date

    # --- constructors -----------------------------------------------------------------------

    @classmethod
    def financial_year(cls, year: int) -> Period:
        return cls("fy", date(year, 4, 1), date(year + 1, 3, 31))

    @classmethod
    def quarter(cls, year: int, number: int) -> Period:
        """Quarter 1–4 of financial year ``year`` (Q1 = April–June)."""
        if number not in (1, 2, 3, 4):
            raise PeriodError("quarter")
        start = add_months(date(year, 4, 1), 3 * (number - 1))
        return cls("q", start, add_months(start, 3) - timedelta(days=1))

    @classmethod
    def month(cls, year: int, month: int) -> Period:
        start = date(year, month, 1)
        return cls("m", start, add_months(start, 1) - timedelta(days=1))

    @classmethod
    def between(cls, start: date, end: date) -> Period:
        if end < start:
            raise PeriodError("range")
        return cls("range", start, end)

    @classmethod
    def containing(cls, kind: str, day: date) -> Period:
        fy = financial_year_of(day)
        if kind == "fy":
            return cls.financial_year(fy)
        if kind == "q":
            return cls.quarter(fy, ((day.month - 4) % 12) // 3 + 1)
        return cls.month(day.year, day.month)

    # --- derived ----------------------------------------------------------------------------

    @property
    def token(self) -> str:
        """The period as written in a URL (``parse_period`` reads it back)."""
        if self.kind == "fy":
            return f"fy-{self.start.year}"
        if self.kind == "q":
            fy = financial_year_of(self.start)
            return f"q-{fy}-{((self.start.month - 4) % 12) // 3 + 1}"
        if self.kind == "m":
            return f"m-{self.start.year}-{self.start.month:02d}"
        return f"r-{self.start.isoformat()}-{self.end.isoformat()}"

    @property
    def label(self) -> str:
        if self.kind == "fy":
            return _("Financial year %(a)s to %(b)s") % {
                "a": self.start.year,
                "b": self.end.year,
            }
        if self.kind == "q":
            fy = financial_year_of(self.start)
            number = ((self.start.month - 4) % 12) // 3 + 1
            return _("Quarter %(n)s of %(a)s to %(b)s") % {"n": number, "a": fy, "b": fy + 1}
        if self.kind == "m":
            from django.utils import formats

            return str(formats.date_format(self.start, "F Y"))
        return _("%(start)s to %(end)s") % {
            "start": format_date(self.start),
            "end": format_date(self.end),
        }

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    @property
    def start_at(self) -> datetime:
        """The first moment of the period (local midnight)."""
        return datetime.combine(self.start, time.min, tzinfo=LONDON)

    @property
    def end_at(self) -> datetime:
        """The first moment after the period (local midnight after ``end``): filter ``< end_at``."""
        return datetime.combine(self.end + timedelta(days=1), time.min, tzinfo=LONDON)

    def previous(self) -> Period:
        """The period of the same kind just before this one."""
        if self.kind == "fy":
            return Period.financial_year(self.start.year - 1)
        if self.kind in ("q", "m"):
            months = 3 if self.kind == "q" else 1
            start = add_months(self.start, -months)
            return Period(self.kind, start, self.start - timedelta(days=1))
        return Period.between(self.start - timedelta(days=self.days), self.start - timedelta(1))

    def trend_months(self, count: int = 12) -> list[Period]:
        """The ``count`` calendar months ending with the month of ``end``, oldest first."""
        last = date(self.end.year, self.end.month, 1)
        return [
            Period.month(m.year, m.month)
            for m in (add_months(last, -i) for i in range(count - 1, -1, -1))
        ]


_TOKEN = re.compile(
    r"^(?:fy-(?P<fy>\d{4})|q-(?P<qy>\d{4})-(?P<q>[1-4])|m-(?P<my>\d{4})-(?P<m>\d{2})"
    r"|r-(?P<a>\d{4}-\d{2}-\d{2})-(?P<b>\d{4}-\d{2}-\d{2}))$"
)


def parse_period(token: str | None, *, today: date) -> Period:
    """Read a period token; none (or an unreadable one) means the current quarter."""
    match = _TOKEN.match(token or "")
    if match is None:
        if token:
            raise PeriodError(token)
        return Period.containing("q", today)
    try:
        if match["fy"]:
            return Period.financial_year(int(match["fy"]))
        if match["qy"]:
            return Period.quarter(int(match["qy"]), int(match["q"]))
        if match["my"]:
            return Period.month(int(match["my"]), int(match["m"]))
        return Period.between(date.fromisoformat(match["a"]), date.fromisoformat(match["b"]))
    except ValueError as exc:
        raise PeriodError(token) from exc
