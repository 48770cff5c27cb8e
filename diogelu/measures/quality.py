"""Data-quality checks, in the manner of the CIN census validators (OVERSIGHT.md §4).

Errors are records that cannot be right (a registration that starts on a different day from its
conference; a review conference on or before the registration it reviews; a conference held on a
weekend or bank holiday; overlapping registrations). Queries are records to explain (an s47
enquiry started more than 15 working days ago with no conference and no determination; an
enquiry open past its due date; a conference past its due date and not held). Each check is one
query; the list is per team, each row linking to the record.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date
from typing import Any

from django.db.models import Exists, F, OuterRef, Q, QuerySet
from django.db.models.functions import TruncDate
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from diogelu import procedures
from diogelu.conferences.models import (
    Conference,
    ConferenceChild,
    ConferenceKind,
    ConferenceStatus,
    RegisterEpisode,
)
from diogelu.enquiries.models import Section47Enquiry
from diogelu.measures.calendar import ensure_calendar
from diogelu.measures.definitions import Scope
from diogelu.measures.models import CalendarDay
from diogelu.procedures import LONDON

__all__ = ["CHECKS", "Check", "Finding", "run_checks"]


@dataclass(frozen=True)
class Check:
    code: str
    severity: str  # "error" or "query"
    title: Any
    explain: Any
    #: rows with ``dq_id`` (the record), ``dq_person``, ``dq_team``, ``dq_route``
    rows: Callable[[Scope], QuerySet[Any]]
    route: str


def _day(name: str) -> TruncDate:
    return TruncDate(name, tzinfo=LONDON)


def _registration_not_on_conference_day(scope: Scope) -> QuerySet[Any]:
    return (
        RegisterEpisode.objects.filter(
            authority_id=scope.authority_id, conference__held_at__isnull=False
        )
        .annotate(a=_day("started_at"), b=_day("conference__held_at"))
        .exclude(a=F("b"))
        .annotate(
            dq_id=F("conference_id"),
            dq_person=F("person_id"),
            dq_team=F("lead_practitioner__team_id"),
        )
    )


def _review_before_registration(scope: Scope) -> QuerySet[Any]:
    return ConferenceChild.objects.filter(
        conference__authority_id=scope.authority_id,
        conference__kind=ConferenceKind.REVIEW,
        conference__held_at__isnull=False,
        episode__isnull=False,
        conference__held_at__lte=F("episode__started_at"),
    ).annotate(
        dq_id=F("conference_id"),
        dq_person=F("person_id"),
        dq_team=F("conference__convened_by__team_id"),
    )


def _conference_on_closed_day(scope: Scope) -> QuerySet[Any]:
    closed = CalendarDay.objects.filter(day=OuterRef("held_day"), is_working=False)
    return (
        Conference.objects.filter(authority_id=scope.authority_id, status=ConferenceStatus.HELD)
        .annotate(held_day=_day("held_at"))
        .filter(Exists(closed))
        .annotate(
            dq_id=F("pk"),
            dq_person=F("children__person_id"),
            dq_team=F("convened_by__team_id"),
        )
    )


def _overlapping_registrations(scope: Scope) -> QuerySet[Any]:
    other = (
        RegisterEpisode.objects.filter(
            person_id=OuterRef("person_id"), started_at__lt=OuterRef("m_end")
        )
        .exclude(pk=OuterRef("pk"))
        .filter(Q(ended_at__isnull=True) | Q(ended_at__gt=OuterRef("started_at")))
    )
    from datetime import datetime

    from django.db.models import DateTimeField, Value
    from django.db.models.functions import Coalesce

    far = Value(datetime(9999, 1, 1, tzinfo=UTC), output_field=DateTimeField())
    return (
        RegisterEpisode.objects.filter(authority_id=scope.authority_id)
        .annotate(m_end=Coalesce("ended_at", far))
        .filter(Exists(other))
        .annotate(
            dq_id=F("conference_id"),
            dq_person=F("person_id"),
            dq_team=F("lead_practitioner__team_id"),
        )
    )


def _cutoff(scope: Scope, working_days: int) -> date:
    return procedures.default_calendar().add_working_days(scope.today, -working_days)


def _s47_no_conference(scope: Scope) -> QuerySet[Any]:
    amount = int(procedures.get_rule("icpc.convene").period.amount)
    return (
        Section47Enquiry.objects.filter(
            report__authority_id=scope.authority_id,
            started_on__lt=_cutoff(scope, amount),
            determination="",
        )
        .filter(conferences__isnull=True)
        .annotate(dq_id=F("pk"), dq_person=F("person_id"), dq_team=F("lead_social_worker__team_id"))
    )


def _s47_open_past_due(scope: Scope) -> QuerySet[Any]:
    return Section47Enquiry.objects.filter(
        report__authority_id=scope.authority_id, determination="", due_at__lt=scope.now
    ).annotate(dq_id=F("pk"), dq_person=F("person_id"), dq_team=F("lead_social_worker__team_id"))


def _conference_not_held(scope: Scope) -> QuerySet[Any]:
    return Conference.objects.filter(
        authority_id=scope.authority_id, status=ConferenceStatus.CONVENED, due_at__lt=scope.now
    ).annotate(
        dq_id=F("pk"),
        dq_person=F("children__person_id"),
        dq_team=F("convened_by__team_id"),
    )


CHECKS: tuple[Check, ...] = (
    Check(
        "E01",
        "error",
        _("Registration does not start on the day of its conference"),
        _("A registration (and its plan) starts on the day the conference registers the child."),
        _registration_not_on_conference_day,
        "show_conference",
    ),
    Check(
        "E02",
        "error",
        _("Review conference on or before the registration it reviews"),
        _("A review conference must be after the registration it reviews."),
        _review_before_registration,
        "show_conference",
    ),
    Check(
        "E03",
        "error",
        _("Conference held on a weekend or bank holiday"),
        _("Conferences are held on working days; check the date recorded."),
        _conference_on_closed_day,
        "show_conference",
    ),
    Check(
        "E04",
        "error",
        _("Registrations that overlap"),
        _("A child has one registration at a time; two that overlap cannot both be right."),
        _overlapping_registrations,
        "show_conference",
    ),
    Check(
        "Q01",
        "query",
        _(
            "Section 47 enquiry started more than 15 working days ago, with no conference and no "
            "determination"
        ),
        _("Explain the delay, or record the determination."),
        _s47_no_conference,
        "show_enquiry",
    ),
    Check(
        "Q02",
        "query",
        _("Section 47 enquiry open past its due date"),
        _("The enquiry's 42 working days have passed with no determination recorded."),
        _s47_open_past_due,
        "show_enquiry",
    ),
    Check(
        "Q03",
        "query",
        _("Conference past its due date and not held"),
        _("Record that it was held, or cancel it with the reason."),
        _conference_not_held,
        "show_conference",
    ),
)


@dataclass
class Finding:
    check: Check
    record_id: int
    person_id: int | None
    team_id: int | None

    @property
    def href(self) -> str:
        return reverse(self.check.route, args=[self.record_id])


def run_checks(scope: Scope) -> list[Finding]:
    """Every finding of every check, one query per check."""
    ensure_calendar(date(scope.today.year - 6, 1, 1), scope.today)
    found: list[Finding] = []
    for check in CHECKS:
        rows = (
            check.rows(scope).values("dq_id", "dq_person", "dq_team").distinct().order_by("dq_id")
        )
        found.extend(Finding(check, r["dq_id"], r["dq_person"], r["dq_team"]) for r in rows[:500])
    return found
