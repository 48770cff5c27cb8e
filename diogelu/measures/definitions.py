"""Every measure, defined once: a versioned definition and the SQL that finds its rows.

A measure's rows are a queryset of one workflow model annotated with the same fields whatever the
measure (``ROW_FIELDS``):

* ``m_event`` — the event counted (a conference, a report, a visit …): the **per-event** unit;
* ``m_person`` — the child (``None`` where a report's child is not yet linked): each row is one
  child at one event, the **per-child** unit (an initial conference for three siblings is one
  event and three rows);
* ``m_at`` — the moment that places the row in a period;
* ``m_due`` / ``m_done`` — the deadline (from the stored, rule-computed due date, or from the
  working-day calendar table built from the same rule) and when it was met;
* ``m_met`` — 1 if the row meets the standard, else 0;
* ``m_excluded`` — "" for a counted row, else the code of the reason it is left out
  (``EXCLUSION_REASONS``);
* ``m_team`` — the team of the practitioner responsible, where there is one;
* ``m_value`` — for averages, the number averaged (days on the register).

Nothing is counted in Python: :mod:`diogelu.measures.compute` aggregates these querysets.
Each definition names the procedures rule it reads (its period comes from that rule, so a change
of the rule changes the measure) and its source in DOMAIN.md §6.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import Any

from django.db import connection
from django.db.models import (
    Case,
    Count,
    DateField,
    DateTimeField,
    Exists,
    ExpressionWrapper,
    F,
    Func,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Cast, Coalesce, Least, TruncDate
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from diogelu import procedures
from diogelu.conferences.models import (
    REGISTERING_KINDS,
    ConferenceChild,
    ConferenceKind,
    ConferenceStatus,
    Invitation,
    InviteeKind,
    RegisterEpisode,
    ViewsMethod,
)
from diogelu.enquiries.models import Section47Enquiry, StrategyChildDecision, StrategyParticipant
from diogelu.exploitation.models import (
    Context,
    ContextLink,
    NRMReferral,
    RiskLevel,
    Screening,
)
from diogelu.exploitation.services import PATTERN_CHILDREN
from diogelu.measures.models import CalendarDay
from diogelu.measures.periods import Period
from diogelu.oversight.models import Contract, ContractKind, Post, PostHolding, Worker
from diogelu.oversight.workforce_measures import LAPSING_WITHIN_DAYS
from diogelu.people.models import MissingEpisode
from diogelu.plans.models import CoreGroupMeeting, Visit
from diogelu.procedures import LONDON, PeriodUnit
from diogelu.referrals.models import Channel, Outcome, ReportChild, ReporterKind, ReportStatus
from diogelu.sharing.models import OutcomeNotification, OutcomeSource

__all__ = [
    "EXCLUSION_REASONS",
    "MEASURES",
    "ROW_FIELDS",
    "Group",
    "Kind",
    "Measure",
    "Scope",
    "Unit",
    "get_measure",
]

ROW_FIELDS = (
    "m_event",
    "m_person",
    "m_at",
    "m_due",
    "m_done",
    "m_met",
    "m_excluded",
    "m_team",
    "m_value",
)


class Unit(StrEnum):
    CHILD = "child"
    EVENT = "event"


class Kind(StrEnum):
    #: met ÷ counted, as a percentage
    RATE = "rate"
    #: how many
    COUNT = "count"
    #: the mean of ``m_value``
    AVERAGE = "average"


class Group(StrEnum):
    OPERATIONAL = "operational"
    REGISTER = "register"
    FUNNEL = "funnel"
    #: adopted from ``diogelu.oversight.workforce_measures`` (rows are staff, not children)
    WORKFORCE = "workforce"
    #: adopted from ``diogelu.exploitation.measures`` (issue 15)
    EXPLOITATION = "exploitation"


#: Why a row is not counted. Shown beside every figure.
EXCLUSION_REASONS: dict[str, Any] = {
    "not_yet_due": _("Not yet due at the time of counting, and not yet done"),
    "cancelled": _("Conference cancelled"),
    "no_due_date": _("No due date was recorded"),
    "no_partner": _("No partner agency took part"),
    "quorum_not_recorded": _("Quorum not recorded"),
    "not_held": _("Conference not yet held"),
    "ended_before_due": _("Registration ended before the first core group was due"),
}


@dataclass(frozen=True)
class Scope:
    """Whose rows and when counted: one authority (one of its teams, if ``team_id``), at
    ``now``. A row's team is that of the practitioner responsible (``m_team``)."""

    authority_id: int
    now: datetime
    team_id: int | None = None

    @property
    def today(self) -> date:
        return procedures.local_date(self.now)


@dataclass(frozen=True)
class Measure:
    """One measure's definition. ``rows(scope)`` builds its annotated queryset."""

    key: str
    version: str
    group: Group
    kind: Kind
    name_en: str
    name_cy: str
    counts_en: str
    counts_cy: str
    numerator_en: str
    numerator_cy: str
    denominator_en: str
    denominator_cy: str
    source: str
    #: the rows, over all time: counted for a period by their ``m_at``
    rows: Callable[[Scope], QuerySet[Any]] | None = None
    #: or the rows of one period, already bounded (snapshots, averages over a period)
    period_rows: Callable[[Scope, Period], QuerySet[Any]] | None = None
    rule: str | None = None
    units: tuple[Unit, ...] = (Unit.CHILD, Unit.EVENT)
    event_noun_en: str = "events"
    event_noun_cy: str = "digwyddiadau"
    higher_is_better: bool = True
    #: counted at the end of the period (on the register "at 31 March"), not over it
    snapshot: bool = False
    #: breakdowns the register figures report (category, age, sex)
    breakdowns: tuple[str, ...] = field(default_factory=tuple)
    #: where a row meets the standard exactly when its ``m_value`` is at most a limit (a gap in
    #: working days against the rule), the limit: the counting groups rows by ``m_value`` and
    #: derives ``m_met`` from it, so the costly value is evaluated once per row, not three times
    met_at_most: Callable[[], int] | None = None
    #: rows for what fell due and never happened (no record to count): each is missed at the
    #: moment the rule made it due, and counted beside ``rows`` (same fields)
    missed_rows: Callable[[Scope], QuerySet[Any]] | None = None

    @property
    def welsh(self) -> bool:
        return (get_language() or "en").startswith("cy")

    @property
    def name(self) -> str:
        return self.name_cy if self.welsh else self.name_en

    @property
    def counts(self) -> str:
        return self.counts_cy if self.welsh else self.counts_en

    @property
    def numerator(self) -> str:
        return self.numerator_cy if self.welsh else self.numerator_en

    @property
    def denominator(self) -> str:
        return self.denominator_cy if self.welsh else self.denominator_en

    @property
    def event_noun(self) -> str:
        return self.event_noun_cy if self.welsh else self.event_noun_en

    @property
    def rule_text(self) -> str:
        if self.rule is None:
            return ""
        rule = procedures.get_rule(self.rule)
        return f"{self.rule} ({rule.version})"


# --- building blocks ------------------------------------------------------------------------


def _met(condition: Q) -> Case:
    return Case(When(condition, then=Value(1)), default=Value(0), output_field=IntegerField())


def _excluded(*cases: tuple[Q, str]) -> Case:
    return Case(
        *(When(q, then=Value(code)) for q, code in cases),
        default=Value(""),
    )


def _local_day(field_name: str) -> TruncDate:
    return TruncDate(field_name, tzinfo=LONDON)


def _wd_index(day_field: str) -> Subquery:
    """The working-day index of the day in annotation ``day_field`` (a date)."""
    return Subquery(CalendarDay.objects.filter(day=OuterRef(day_field)).values("wd_index")[:1])


def _days_after(day_field: str, days: int) -> Cast:
    """The date ``days`` calendar days after the date annotation ``day_field``: arithmetic, no
    calendar look-up (calendar days need none)."""
    return Cast(
        ExpressionWrapper(F(day_field) + timedelta(days=days), output_field=DateField()),
        output_field=DateField(),
    )


def _days_between(later: str, earlier: str) -> Func | Any:
    """Calendar days from the date annotation ``earlier`` to ``later``. On PostgreSQL the
    difference of two dates (an integer); elsewhere the difference of their ``day_number`` in
    the calendar table (two look-ups a row)."""
    if connection.vendor == "postgresql":
        return Func(
            F(later),
            F(earlier),
            template="(%(expressions)s)",
            arg_joiner=" - ",
            output_field=IntegerField(),
        )
    return Subquery(
        CalendarDay.objects.filter(day=OuterRef(later)).values("day_number")[:1]
    ) - Subquery(CalendarDay.objects.filter(day=OuterRef(earlier)).values("day_number")[:1])


def _working_day(index_field: str, after: int) -> Subquery:
    """The working day ``after`` working days after the one whose ``wd_index`` is in annotation
    ``index_field``. Ordered by ``wd_index`` so PostgreSQL probes that index once (ordered by
    ``day``, as the model's default ordering, it walked the primary key through ~1,000 rows)."""
    return Subquery(
        CalendarDay.objects.filter(is_working=True, wd_index=OuterRef(index_field) + after)
        .order_by("wd_index")
        .values("day")[:1]
    )


def _none() -> Cast:
    return Cast(Value(None), output_field=DateTimeField())


def _rule_amount(key: str, unit: PeriodUnit) -> int:
    period = procedures.get_rule(key).period
    if period.unit != unit:
        raise ValueError(f"measure expects rule {key} in {unit}, it is in {period.unit}")
    return int(period.amount)


def _annotate(
    qs: QuerySet[Any],
    *,
    event: Any,
    person: Any,
    at: Any,
    met: Q | None,
    due: Any = None,
    done: Any = None,
    excluded: Case | None = None,
    team: Any = None,
    value: Any = None,
) -> QuerySet[Any]:
    annotated: QuerySet[Any] = qs.annotate(
        m_event=event,
        m_person=person,
        m_at=at,
        m_due=due if due is not None else _none(),
        m_done=done if done is not None else _none(),
    ).annotate(
        m_met=_met(met) if met is not None else Value(1, output_field=IntegerField()),
        m_excluded=excluded if excluded is not None else Value(""),
        m_team=team if team is not None else Cast(Value(None), output_field=IntegerField()),
        m_value=value if value is not None else Cast(Value(None), output_field=IntegerField()),
    )
    return annotated


# --- reports and decisions (DOMAIN.md §3 steps 2–3) ----------------------------------------


def _report_children(scope: Scope) -> QuerySet[ReportChild]:
    return ReportChild.objects.filter(
        report__authority_id=scope.authority_id, report__received_at__isnull=False
    ).exclude(report__status=ReportStatus.DRAFT)


def _decision_rows(scope: Scope) -> QuerySet[Any]:
    qs = _report_children(scope).annotate(
        m_final=Case(
            When(
                report__decision__needs_authorisation=True,
                then=F("report__decision__authorised_at"),
            ),
            default=F("report__decision__decided_at"),
        )
    )
    return _annotate(
        qs,
        event=F("report_id"),
        person=F("person_id"),
        at=F("report__received_at"),
        due=F("report__decision_due_at"),
        done=F("m_final"),
        met=Q(m_final__isnull=False, m_final__lte=F("report__decision_due_at")),
        excluded=_excluded(
            (Q(report__decision_due_at__isnull=True), "no_due_date"),
            (Q(m_final__isnull=True, report__decision_due_at__gte=scope.now), "not_yet_due"),
        ),
        team=F("report__decision__decided_by__team_id"),
    )


def _confirmation_rows(scope: Scope) -> QuerySet[Any]:
    qs = _report_children(scope).filter(
        report__channel=Channel.PHONE, report__reporter_kind=ReporterKind.PRACTITIONER
    )
    return _annotate(
        qs,
        event=F("report_id"),
        person=F("person_id"),
        at=F("report__received_at"),
        due=F("report__confirmation_due_at"),
        done=F("report__confirmation_received_at"),
        met=Q(
            report__confirmation_received_at__isnull=False,
            report__confirmation_received_at__lte=F("report__confirmation_due_at"),
        ),
        excluded=_excluded(
            (Q(report__confirmation_due_at__isnull=True), "no_due_date"),
            (
                Q(
                    report__confirmation_received_at__isnull=True,
                    report__confirmation_due_at__gte=scope.now,
                ),
                "not_yet_due",
            ),
        ),
    )


# --- strategy discussions and s47 (steps 4–6) ---------------------------------------------


def _strategy_rows(scope: Scope) -> QuerySet[Any]:
    """Each child of a strategy discussion with a partner agency taking part: met when every
    partner agency taking part was sent the outcome by the end of the day the ``outcome.notify``
    rule gives (1 working day after the discussion: its working-day index plus the rule's amount
    in the calendar table). Not yet due while that day has not ended and a partner is untold."""
    amount = _rule_amount("outcome.notify", PeriodUnit.WORKING_DAYS)
    partners = StrategyParticipant.objects.filter(strategy_id=OuterRef("strategy_id")).exclude(
        agency_id=scope.authority_id
    )
    told = (
        OutcomeNotification.objects.filter(
            source=OutcomeSource.STRATEGY, source_id=OuterRef(OuterRef("strategy_id"))
        )
        .annotate(m_shared_day=_local_day("shared_at"))
        .filter(m_shared_day__lte=OuterRef(OuterRef("m_due_day")))
        .values("recipient_agency_id")
    )
    qs = (
        StrategyChildDecision.objects.filter(strategy__report__authority_id=scope.authority_id)
        .annotate(m_held_day=_local_day("strategy__held_at"))
        .annotate(m_held_index=_wd_index("m_held_day"))
        .annotate(m_due_day=_working_day("m_held_index", amount))
        .annotate(
            m_has_partner=Exists(partners),
            m_untold=Exists(partners.exclude(agency_id__in=told)),
        )
    )
    return _annotate(
        qs,
        event=F("strategy_id"),
        person=F("person_id"),
        at=F("strategy__held_at"),
        due=F("m_due_day"),
        met=Q(m_untold=False),
        excluded=_excluded(
            (Q(m_has_partner=False), "no_partner"),
            (Q(m_untold=True, m_due_day__gte=scope.today), "not_yet_due"),
        ),
        team=F("strategy__chair__team_id"),
    )


def _s47_rows(scope: Scope) -> QuerySet[Any]:
    qs = Section47Enquiry.objects.filter(report__authority_id=scope.authority_id)
    return _annotate(
        qs,
        event=F("pk"),
        person=F("person_id"),
        at=Coalesce("determined_at", "due_at"),
        due=F("due_at"),
        done=F("determined_at"),
        met=Q(determined_at__isnull=False, determined_at__lte=F("due_at")),
        excluded=_excluded((Q(determined_at__isnull=True, due_at__gte=scope.now), "not_yet_due")),
        team=F("lead_social_worker__team_id"),
    )


# --- conferences (steps 7, 12) --------------------------------------------------------------


def _conference_children(scope: Scope, *kinds: str) -> QuerySet[ConferenceChild]:
    return ConferenceChild.objects.filter(
        conference__authority_id=scope.authority_id, conference__kind__in=kinds
    )


def _conference_timeliness(scope: Scope, *kinds: str) -> QuerySet[Any]:
    held = Q(conference__status=ConferenceStatus.HELD)
    return _annotate(
        _conference_children(scope, *kinds),
        event=F("conference_id"),
        person=F("person_id"),
        at=Coalesce("conference__held_at", "conference__due_at"),
        due=F("conference__due_at"),
        done=F("conference__held_at"),
        met=held & Q(conference__held_at__lte=F("conference__due_at")),
        excluded=_excluded(
            (Q(conference__status=ConferenceStatus.CANCELLED), "cancelled"),
            (~held & Q(conference__due_at__gte=scope.now), "not_yet_due"),
        ),
        team=F("conference__convened_by__team_id"),
    )


def _months_after(day_field: str, months: int) -> Func | Subquery:
    """The day ``months`` calendar months after the date annotation ``day_field``, clamped to
    the month's end (``procedures.add_months``).

    On PostgreSQL, date arithmetic: ``date + interval 'n months'`` clamps to the month's end as
    ``add_months`` does, and names ``day_field`` once (the calendar look-up named it twice, and
    where it is itself a look-up, such as the last review held, each name ran it again). Other
    databases look the day up in the calendar table."""
    if connection.vendor == "postgresql":
        return Func(
            F(day_field),
            template=f"((%(expressions)s) + interval '{int(months)} months')::date",
            output_field=DateField(),
        )
    start = CalendarDay.objects.filter(day=OuterRef(OuterRef(day_field)))
    return Subquery(
        CalendarDay.objects.filter(
            month_index=Subquery(start.values("month_index")[:1]) + months,
            day_of_month__lte=Subquery(start.values("day_of_month")[:1]),
        )
        .order_by("-day_of_month")
        .values("day")[:1]
    )


def _review_never_held_rows(scope: Scope) -> QuerySet[Any]:
    """Children registered whose next review conference fell due on a day that has ended — the
    first (``review.first``) after registration, later ones (``review.interval``) after the last
    review held — with no review conference for them since (held or scheduled) and still
    registered then: one missed row each, at the due day. A review scheduled or held later
    replaces it (counted as a review, on time or not)."""
    first = _rule_amount("review.first", PeriodUnit.MONTHS)
    interval = _rule_amount("review.interval", PeriodUnit.MONTHS)
    reviews = ConferenceChild.objects.filter(
        person_id=OuterRef("person_id"),
        conference__kind=ConferenceKind.REVIEW,
        conference__authority_id=scope.authority_id,
    )
    last_held = (
        reviews.filter(
            conference__status=ConferenceStatus.HELD,
            conference__held_at__gte=OuterRef("started_at"),
        )
        .order_by("-conference__held_at")
        .values("conference__held_at")[:1]
    )
    scheduled = reviews.exclude(
        conference__status__in=[ConferenceStatus.HELD, ConferenceStatus.CANCELLED]
    ).filter(conference__due_at__gte=OuterRef("started_at"))
    qs = (
        _episodes(scope)
        .annotate(m_last=Subquery(last_held), m_scheduled=Exists(scheduled))
        .filter(m_scheduled=False)
        .annotate(
            m_first_clock=_local_day("started_at"),
            m_last_clock=TruncDate("m_last", tzinfo=LONDON),
        )
        .annotate(
            # the interval after the last review held, or (none held: the look-up finds no
            # day) the first review after registration. Not a CASE on ``m_last``: that looked
            # the last review up once more per use of the due day (ADR 0780)
            m_due_day=Coalesce(
                _months_after("m_last_clock", interval), _months_after("m_first_clock", first)
            ),
            m_ended_day=_local_day("ended_at"),
        )
        .filter(m_due_day__lt=scope.today)
        .filter(Q(ended_at__isnull=True) | Q(m_ended_day__gt=F("m_due_day")))
    )
    return _annotate(
        qs,
        event=F("pk"),
        person=F("person_id"),
        at=Cast("m_due_day", output_field=DateTimeField()),
        due=Cast("m_due_day", output_field=DateTimeField()),
        met=Q(pk__isnull=True),  # never: each row is a review not held
        team=F("lead_practitioner__team_id"),
    )


def _icpc_rows(scope: Scope) -> QuerySet[Any]:
    return _conference_timeliness(scope, ConferenceKind.INITIAL)


def _review_rows(scope: Scope) -> QuerySet[Any]:
    return _conference_timeliness(scope, ConferenceKind.REVIEW)


def _held_icpc_children(scope: Scope) -> QuerySet[ConferenceChild]:
    return _conference_children(scope, ConferenceKind.INITIAL).filter(
        conference__status=ConferenceStatus.HELD
    )


def _quorate_rows(scope: Scope) -> QuerySet[Any]:
    return _annotate(
        _held_icpc_children(scope),
        event=F("conference_id"),
        person=F("person_id"),
        at=F("conference__held_at"),
        done=F("conference__held_at"),
        met=Q(conference__is_quorate=True),
        excluded=_excluded((Q(conference__is_quorate__isnull=True), "quorum_not_recorded")),
        team=F("conference__convened_by__team_id"),
    )


def _advocacy_rows(scope: Scope) -> QuerySet[Any]:
    offered = Invitation.objects.filter(
        conference_id=OuterRef("conference_id"),
        invitee_kind=InviteeKind.CHILD,
        person_id=OuterRef("person_id"),
        advocacy_offered_at__isnull=False,
    )
    qs = _held_icpc_children(scope).annotate(m_offered=Exists(offered))
    return _annotate(
        qs,
        event=F("conference_id"),
        person=F("person_id"),
        at=F("conference__held_at"),
        done=F("conference__held_at"),
        met=Q(m_offered=True),
        team=F("conference__convened_by__team_id"),
    )


def _views_rows(scope: Scope) -> QuerySet[Any]:
    qs = ConferenceChild.objects.filter(
        conference__authority_id=scope.authority_id, conference__status=ConferenceStatus.HELD
    )
    recorded = ~Q(child_views="") & ~Q(views_method=ViewsMethod.NOT_OBTAINED)
    return _annotate(
        qs,
        event=F("conference_id"),
        person=F("person_id"),
        at=F("conference__held_at"),
        done=F("conference__held_at"),
        met=recorded,
        team=F("conference__convened_by__team_id"),
    )


# --- the register and the plan (steps 8–11) -------------------------------------------------


def _episodes(scope: Scope) -> QuerySet[RegisterEpisode]:
    return RegisterEpisode.objects.filter(authority_id=scope.authority_id)


def _outline_plan_rows(scope: Scope) -> QuerySet[Any]:
    qs = _episodes(scope).filter(conference__kind__in=REGISTERING_KINDS)
    due = F("conference__record_due_at")
    done = F("conference__record_circulated_at")
    return _annotate(
        qs,
        event=F("conference_id"),
        person=F("person_id"),
        at=F("started_at"),
        due=due,
        done=done,
        met=Q(conference__record_circulated_at__isnull=False)
        & Q(conference__record_circulated_at__lte=due),
        excluded=_excluded(
            (Q(conference__record_due_at__isnull=True), "no_due_date"),
            (
                Q(
                    conference__record_circulated_at__isnull=True,
                    conference__record_due_at__gte=scope.now,
                ),
                "not_yet_due",
            ),
        ),
        team=F("lead_practitioner__team_id"),
    )


def _first_core_group_rows(scope: Scope) -> QuerySet[Any]:
    amount = _rule_amount("core_group.first", PeriodUnit.WORKING_DAYS)
    first = CoreGroupMeeting.objects.filter(
        episode_id=OuterRef("pk"), due_rule="core_group.first"
    ).order_by("held_at")
    qs = (
        _episodes(scope)
        .filter(conference__kind__in=REGISTERING_KINDS)
        .annotate(
            m_start_day=_local_day("started_at"),
            m_end_day=_local_day("ended_at"),
            m_held=Subquery(first.values("held_at")[:1]),
            m_stored_due=Subquery(first.values("due_at")[:1]),
        )
        .annotate(m_start_index=_wd_index("m_start_day"))
        .annotate(m_due_day=_working_day("m_start_index", amount))
    )
    return _annotate(
        qs,
        event=F("conference_id"),
        person=F("person_id"),
        at=F("started_at"),
        due=F("m_due_day"),
        done=F("m_held"),
        met=Q(m_held__isnull=False, m_held__lte=F("m_stored_due")),
        excluded=_excluded(
            (Q(m_held__isnull=True, m_due_day__gte=scope.today), "not_yet_due"),
            (Q(m_held__isnull=True, m_end_day__lt=F("m_due_day")), "ended_before_due"),
        ),
        team=F("lead_practitioner__team_id"),
    )


def _core_group_interval_rows(scope: Scope) -> QuerySet[Any]:
    qs = CoreGroupMeeting.objects.filter(
        episode__authority_id=scope.authority_id, due_rule="core_group.interval"
    )
    return _annotate(
        qs,
        event=F("pk"),
        person=F("episode__person_id"),
        at=F("held_at"),
        due=F("due_at"),
        done=F("held_at"),
        met=Q(held_at__lte=F("due_at")),
        team=F("episode__lead_practitioner__team_id"),
    )


def _core_group_never_held_rows(scope: Scope) -> QuerySet[Any]:
    """Registrations whose next core group fell due (``core_group.interval`` after the last one
    held) on a day that has ended, still registered then, with none held since: one missed row
    each, at the due day. A meeting held late later replaces it (as a late meeting)."""
    period = procedures.get_rule("core_group.interval").period
    days = (
        int(period.amount)
        * {PeriodUnit.WEEKS: 7, PeriodUnit.CALENDAR_DAYS: 1}[PeriodUnit(period.unit)]
    )
    last = (
        CoreGroupMeeting.objects.filter(episode_id=OuterRef("pk"), held_at__isnull=False)
        .order_by("-held_at")
        .values("held_at")[:1]
    )
    qs = (
        _episodes(scope)
        .annotate(m_last=Subquery(last))
        .filter(m_last__isnull=False)
        .annotate(m_last_day=TruncDate("m_last", tzinfo=LONDON))
        .annotate(m_due_day=_days_after("m_last_day", days))
        .annotate(m_ended_day=_local_day("ended_at"))
        .filter(m_due_day__lt=scope.today)
        .filter(Q(ended_at__isnull=True) | Q(m_ended_day__gt=F("m_due_day")))
    )
    return _annotate(
        qs,
        event=F("pk"),
        person=F("person_id"),
        at=Cast("m_due_day", output_field=DateTimeField()),
        due=Cast("m_due_day", output_field=DateTimeField()),
        met=Q(pk__isnull=True),  # never: each row is a meeting not held
        team=F("lead_practitioner__team_id"),
    )


def _gap_rule(rule: str) -> tuple[str, int]:
    """The calendar column a visit gap is counted in and the most it may be, from the rule."""
    period = procedures.get_rule(rule).period
    if period.unit == PeriodUnit.WORKING_DAYS:
        return "wd_index", int(period.amount)
    days = {PeriodUnit.WEEKS: 7, PeriodUnit.CALENDAR_DAYS: 1}[PeriodUnit(period.unit)]
    return "day_number", int(period.amount) * days


def _gap_limit(rule: str) -> Callable[[], int]:
    return lambda: _gap_rule(rule)[1]


def _visit_gap_rows(scope: Scope, *, flag: str, rule: str) -> QuerySet[Any]:
    """Each qualifying visit against the previous one (or the registration): within the rule?

    The previous qualifying visit is one index probe (``plans_visit`` is indexed by episode and
    time); the gap is the difference of the two days' working-day (or day) numbers in the
    calendar table. No loop.
    """
    qualifying = {"child_seen": True, flag: True}
    previous = Visit.objects.filter(
        episode_id=OuterRef("episode_id"), visited_at__lt=OuterRef("visited_at"), **qualifying
    ).order_by("-visited_at")
    since = Coalesce(Subquery(previous.values("visited_at")[:1]), F("episode__started_at"))
    qs = Visit.objects.filter(episode__authority_id=scope.authority_id, **qualifying).annotate(
        m_day=_local_day("visited_at"), m_since_day=TruncDate(since, tzinfo=LONDON)
    )
    column, limit = _gap_rule(rule)
    qs = qs.annotate(
        m_gap=_days_between("m_day", "m_since_day")
        if column == "day_number"
        else Subquery(CalendarDay.objects.filter(day=OuterRef("m_day")).values(column)[:1])
        - Subquery(CalendarDay.objects.filter(day=OuterRef("m_since_day")).values(column)[:1])
    )
    return _annotate(
        qs,
        event=F("pk"),
        person=F("person_id"),
        at=F("visited_at"),
        met=Q(m_gap__lte=limit),
        team=F("episode__lead_practitioner__team_id"),
        value=F("m_gap"),
    )


def _visit_never_rows(scope: Scope, *, flag: str, rule: str) -> QuerySet[Any]:
    """Registered children not seen (``flag``) by the day the rule gives after the last such
    visit (or the registration), that day ended and still registered then: one missed row each,
    at the due day. A visit made late later replaces it (counted as a late visit)."""
    column, limit = _gap_rule(rule)
    last = (
        Visit.objects.filter(
            episode_id=OuterRef("pk"), visited_at__gte=OuterRef("started_at"), child_seen=True
        )
        .filter(**{flag: True})
        .order_by("-visited_at")
        .values("visited_at")[:1]
    )
    since = Coalesce(Subquery(last), F("started_at"))
    qs = _episodes(scope).annotate(m_since_day=TruncDate(since, tzinfo=LONDON))
    if column == "wd_index":
        qs = qs.annotate(
            m_since_n=Subquery(
                CalendarDay.objects.filter(day=OuterRef("m_since_day")).values(column)[:1]
            )
        ).annotate(m_due_day=_working_day("m_since_n", limit))
    else:
        qs = qs.annotate(m_due_day=_days_after("m_since_day", limit))
    qs = (
        qs.annotate(m_ended_day=_local_day("ended_at"))
        .filter(m_due_day__lt=scope.today)
        .filter(Q(ended_at__isnull=True) | Q(m_ended_day__gt=F("m_due_day")))
    )
    return _annotate(
        qs,
        event=F("pk"),
        person=F("person_id"),
        at=Cast("m_due_day", output_field=DateTimeField()),
        due=Cast("m_due_day", output_field=DateTimeField()),
        met=Q(pk__isnull=True),  # never: each row is a visit not made
        team=F("lead_practitioner__team_id"),
    )


def _seen_alone_never(scope: Scope) -> QuerySet[Any]:
    return _visit_never_rows(scope, flag="seen_alone", rule="visit.seen_alone")


def _seen_at_home_never(scope: Scope) -> QuerySet[Any]:
    return _visit_never_rows(scope, flag="seen_at_home", rule="visit.seen_at_home")


def _seen_alone_rows(scope: Scope) -> QuerySet[Any]:
    return _visit_gap_rows(scope, flag="seen_alone", rule="visit.seen_alone")


def _seen_at_home_rows(scope: Scope) -> QuerySet[Any]:
    return _visit_gap_rows(scope, flag="seen_at_home", rule="visit.seen_at_home")


# --- register figures (DOMAIN.md §6.2 PM27/PM28, §6.4) -------------------------------------


def _registration_rows(scope: Scope) -> QuerySet[Any]:
    return _annotate(
        _episodes(scope),
        event=F("conference_id"),
        person=F("person_id"),
        at=F("started_at"),
        met=None,
        team=F("lead_practitioner__team_id"),
    )


def _deregistration_rows(scope: Scope) -> QuerySet[Any]:
    return _annotate(
        _episodes(scope).filter(ended_at__isnull=False),
        event=F("pk"),
        person=F("person_id"),
        at=F("ended_at"),
        done=F("ended_at"),
        met=None,
        team=F("lead_practitioner__team_id"),
    )


def _earlier_episodes() -> QuerySet[RegisterEpisode]:
    return RegisterEpisode.objects.filter(
        person_id=OuterRef("person_id"),
        ended_at__isnull=False,
        ended_at__lte=OuterRef("started_at"),
    ).exclude(pk=OuterRef("pk"))


def _rereg_12_rows(scope: Scope) -> QuerySet[Any]:
    qs = (
        _episodes(scope)
        .annotate(
            m_prev_end=Subquery(_earlier_episodes().order_by("-ended_at").values("ended_at")[:1]),
            m_start_day=_local_day("started_at"),
        )
        .annotate(m_prev_day=_local_day("m_prev_end"))
        .annotate(
            m_limit=Subquery(
                CalendarDay.objects.filter(day=OuterRef("m_prev_day")).values("plus_12_months")[:1]
            )
        )
    )
    return _annotate(
        qs,
        event=F("pk"),
        person=F("person_id"),
        at=F("started_at"),
        due=F("m_prev_end"),
        done=F("started_at"),
        met=Q(m_prev_end__isnull=False, m_limit__gte=F("m_start_day")),
        team=F("lead_practitioner__team_id"),
    )


def _rereg_ever_rows(scope: Scope) -> QuerySet[Any]:
    qs = _episodes(scope).annotate(m_earlier=Exists(_earlier_episodes()))
    return _annotate(
        qs,
        event=F("pk"),
        person=F("person_id"),
        at=F("started_at"),
        done=F("started_at"),
        met=Q(m_earlier=True),
        team=F("lead_practitioner__team_id"),
    )


def on_register_rows(scope: Scope, period: Period, *, months: int = 0) -> QuerySet[Any]:
    """Children on the register at the end of the period's last day (e.g. at 31 March); with
    ``months``, ``m_met`` marks those registered more than that many months before."""
    end = period.end_at
    qs = (
        _episodes(scope)
        .filter(Q(started_at__lt=end) & (Q(ended_at__isnull=True) | Q(ended_at__gte=end)))
        .annotate(m_start_day=_local_day("started_at"))
    )
    cutoff = procedures.add_months(period.end, -months)
    return _annotate(
        qs,
        event=F("pk"),
        person=F("person_id"),
        at=F("started_at"),
        met=Q(m_start_day__lt=cutoff) if months else None,
        team=F("lead_practitioner__team_id"),
    )


def _longer_than(months: int) -> Callable[[Scope, Period], QuerySet[Any]]:
    def rows(scope: Scope, period: Period) -> QuerySet[Any]:
        return on_register_rows(scope, period, months=months)

    return rows


def days_on_register_rows(scope: Scope, period: Period) -> QuerySet[Any]:
    """Registrations open at any time in the period, each with its days on the register up to
    de-registration or the end of the period, whichever is first (PM28)."""
    start_at, end_at = period.start_at, period.end_at
    qs = (
        _episodes(scope)
        .filter(Q(started_at__lt=end_at) & (Q(ended_at__isnull=True) | Q(ended_at__gte=start_at)))
        .annotate(
            m_start_day=_local_day("started_at"),
            m_stop_day=TruncDate(
                Least(Coalesce("ended_at", Value(end_at)), Value(end_at)), tzinfo=LONDON
            ),
        )
        .annotate(m_days=_days_between("m_stop_day", "m_start_day"))
    )
    return _annotate(
        qs,
        event=F("pk"),
        person=F("person_id"),
        at=F("started_at"),
        met=None,
        team=F("lead_practitioner__team_id"),
        value=F("m_days"),
    )


# --- the funnel Scrutiny asks for ----------------------------------------------------------


def _funnel_reports(scope: Scope) -> QuerySet[Any]:
    return _annotate(
        _report_children(scope),
        event=F("report_id"),
        person=F("person_id"),
        at=F("report__received_at"),
        met=None,
    )


def _funnel_decisions(scope: Scope) -> QuerySet[Any]:
    return _annotate(
        _report_children(scope).filter(report__decision__isnull=False),
        event=F("report_id"),
        person=F("person_id"),
        at=F("report__decision__decided_at"),
        met=None,
        team=F("report__decision__decided_by__team_id"),
    )


def _funnel_to_strategy(scope: Scope) -> QuerySet[Any]:
    return _annotate(
        _report_children(scope).filter(report__decision__outcome=Outcome.STRATEGY_DISCUSSION),
        event=F("report_id"),
        person=F("person_id"),
        at=F("report__decision__decided_at"),
        met=None,
        team=F("report__decision__decided_by__team_id"),
    )


def _funnel_strategies(scope: Scope) -> QuerySet[Any]:
    return _annotate(
        StrategyChildDecision.objects.filter(strategy__report__authority_id=scope.authority_id),
        event=F("strategy_id"),
        person=F("person_id"),
        at=F("strategy__held_at"),
        met=None,
        team=F("strategy__chair__team_id"),
    )


def _funnel_s47(scope: Scope) -> QuerySet[Any]:
    return _annotate(
        Section47Enquiry.objects.filter(report__authority_id=scope.authority_id),
        event=F("pk"),
        person=F("person_id"),
        at=F("decision__strategy__held_at"),
        met=None,
        team=F("lead_social_worker__team_id"),
    )


def _funnel_icpc(scope: Scope) -> QuerySet[Any]:
    return _annotate(
        _held_icpc_children(scope),
        event=F("conference_id"),
        person=F("person_id"),
        at=F("conference__held_at"),
        met=None,
        team=F("conference__convened_by__team_id"),
    )


def _funnel_registrations(scope: Scope) -> QuerySet[Any]:
    return _registration_rows(scope).filter(conference__kind__in=REGISTERING_KINDS)


# --- the workforce (adopted from diogelu.oversight.workforce_measures, docs/oversight.md) -----
#
# The row-countable workforce measures, with oversight's definitions: one row per worker (or post),
# no child (``m_person`` empty), the worker's current team. The figures equal
# ``workforce_measures`` for the same dates (diogelu/measures/tests/test_workforce.py compares
# both). FTE ratios, turnover and absence per FTE are not counts of rows and stay in oversight.


def _no_person() -> Cast:
    return Cast(Value(None), output_field=IntegerField())


def _as_moment(field_name: str) -> Cast:
    return Cast(F(field_name), output_field=DateTimeField())


def _covering(day: date) -> Q:
    return Q(starts_on__lte=day) & (Q(ends_on__isnull=True) | Q(ends_on__gte=day))


def _in_post_on(scope: Scope, day: date) -> QuerySet[Worker]:
    """Workers in post on ``day`` with a contract covering it (oversight's "in post")."""
    contract = Contract.objects.filter(Q(worker_id=OuterRef("pk")) & _covering(day))
    return (
        Worker.objects.filter(authority_id=scope.authority_id, started_on__lte=day)
        .filter(Q(left_on__isnull=True) | Q(left_on__gte=day))
        .filter(Exists(contract))
    )


def _agency_rows(scope: Scope, period: Period) -> QuerySet[Any]:
    day = period.end
    agency = Contract.objects.filter(
        Q(worker_id=OuterRef("pk"), kind=ContractKind.AGENCY) & _covering(day)
    )
    return _annotate(
        _in_post_on(scope, day).annotate(m_agency=Exists(agency)),
        event=F("pk"),
        person=_no_person(),
        at=_as_moment("started_on"),
        met=Q(m_agency=True),
        team=F("team_id"),
    )


def _vacant_post_rows(scope: Scope, period: Period) -> QuerySet[Any]:
    day = period.end
    held = PostHolding.objects.filter(Q(post_id=OuterRef("pk")) & _covering(day))
    qs = (
        Post.objects.filter(team__agency_id=scope.authority_id, established_on__lte=day)
        .filter(Q(disestablished_on__isnull=True) | Q(disestablished_on__gt=day))
        .exclude(Exists(held))
    )
    return _annotate(
        qs,
        event=F("pk"),
        person=_no_person(),
        at=_as_moment("established_on"),
        met=None,
        team=F("team_id"),
    )


def _worker_dated_rows(field_name: str) -> Callable[[Scope, Period], QuerySet[Any]]:
    def rows(scope: Scope, period: Period) -> QuerySet[Any]:
        qs = Worker.objects.filter(
            authority_id=scope.authority_id,
            **{f"{field_name}__gte": period.start, f"{field_name}__lte": period.end},
        )
        return _annotate(
            qs,
            event=F("pk"),
            person=_no_person(),
            at=_as_moment(field_name),
            met=None,
            team=F("team_id"),
        )

    return rows


def _lapsing_rows(scope: Scope, period: Period) -> QuerySet[Any]:
    day = period.end
    horizon = day + timedelta(days=LAPSING_WITHIN_DAYS)
    qs = Worker.objects.filter(
        authority_id=scope.authority_id, scw_renewal_on__lte=horizon, started_on__lte=day
    ).filter(Q(left_on__isnull=True) | Q(left_on__gte=day))
    return _annotate(
        qs,
        event=F("pk"),
        person=_no_person(),
        at=_as_moment("scw_renewal_on"),
        met=None,
        team=F("team_id"),
    )


def _workforce(
    key: str, kind: Kind, rows: Callable[[Scope, Period], QuerySet[Any]], **kw: Any
) -> Measure:
    return Measure(
        key=key,
        version=_V,
        group=Group.WORKFORCE,
        kind=kind,
        source="docs/oversight.md (workforce measures); DOMAIN.md §6.5",
        period_rows=rows,
        units=(Unit.EVENT,),
        snapshot=kind == Kind.RATE or key in ("workforce_vacant_posts", "workforce_lapsing"),
        **kw,
    )


# --- exploitation (adopted from diogelu.exploitation.measures, issue 15) --------------------


def _screening_rows(scope: Scope) -> QuerySet[Any]:
    return Screening.objects.filter(person__authority_id=scope.authority_id)


def _screened_rows(level: str | None) -> Callable[[Scope], QuerySet[Any]]:
    """Each screening, placed by when it was made; met when it gave ``level`` (any, if None)."""

    def rows(scope: Scope) -> QuerySet[Any]:
        return _annotate(
            _screening_rows(scope),
            event=F("pk"),
            person=F("person_id"),
            at=F("screened_at"),
            met=Q(level=level) if level else None,
            team=F("screened_by__team_id"),
        )

    return rows


def _rescreen_rows(scope: Scope) -> QuerySet[Any]:
    """Each screening that set a date for the next one (procedures ``exploitation.rescreen``),
    placed by that date: met when the child's next screening was on or before it (local day);
    not yet due while the date has not passed and no screening followed."""
    following = (
        Screening.objects.filter(
            person_id=OuterRef("person_id"), screened_at__gt=OuterRef("screened_at")
        )
        .order_by("screened_at", "pk")
        .values("screened_at")[:1]
    )
    qs = (
        _screening_rows(scope)
        .filter(rescreen_due_on__isnull=False)
        .annotate(m_next=Subquery(following))
        .annotate(m_next_day=_local_day("m_next"))
    )
    return _annotate(
        qs,
        event=F("pk"),
        person=F("person_id"),
        at=_as_moment("rescreen_due_on"),
        due=_as_moment("rescreen_due_on"),
        done=F("m_next"),
        met=Q(m_next__isnull=False, m_next_day__lte=F("rescreen_due_on")),
        excluded=_excluded(
            (Q(m_next__isnull=True, rescreen_due_on__gte=scope.today), "not_yet_due")
        ),
        team=F("screened_by__team_id"),
    )


def _return_interview_rows(field_name: str) -> Callable[[Scope], QuerySet[Any]]:
    """Each missing episode that ended, placed by when it ended; met when a return interview was
    offered (``debrief_offered_on``) or held (``debrief_held_on``)."""

    def rows(scope: Scope) -> QuerySet[Any]:
        qs = MissingEpisode.objects.filter(
            person__authority_id=scope.authority_id, ended_at__isnull=False
        )
        return _annotate(
            qs,
            event=F("pk"),
            person=F("person_id"),
            at=F("ended_at"),
            met=Q(**{f"{field_name}__isnull": False}),
        )

    return rows


def _nrm_rows(scope: Scope) -> QuerySet[Any]:
    return _annotate(
        NRMReferral.objects.filter(person__authority_id=scope.authority_id),
        event=F("pk"),
        person=F("person_id"),
        at=_as_moment("referred_on"),
        met=None,
    )


def _nrm_reasonable_rows(scope: Scope) -> QuerySet[Any]:
    """Each NRM referral, placed by its reasonable-grounds decision (or its due date while there
    is none): met when decided by the due date (procedures ``nrm.reasonable_grounds``)."""
    qs = NRMReferral.objects.filter(person__authority_id=scope.authority_id)
    return _annotate(
        qs,
        event=F("pk"),
        person=F("person_id"),
        at=_as_moment_of(Coalesce("reasonable_grounds_on", "reasonable_grounds_due_on")),
        due=_as_moment("reasonable_grounds_due_on"),
        done=_as_moment("reasonable_grounds_on"),
        met=Q(
            reasonable_grounds_on__isnull=False,
            reasonable_grounds_on__lte=F("reasonable_grounds_due_on"),
        ),
        excluded=_excluded(
            (
                Q(reasonable_grounds_on__isnull=True, reasonable_grounds_due_on__gte=scope.today),
                "not_yet_due",
            )
        ),
    )


def _as_moment_of(expression: Any) -> Cast:
    return Cast(expression, output_field=DateTimeField())


def _contexts_several_rows(scope: Scope, period: Period) -> QuerySet[Any]:
    """The authority's contexts with links made in the period to ``PATTERN_CHILDREN`` (3) or more
    distinct children (no child: the drill-through opens the context's page)."""
    several = (
        ContextLink.objects.filter(
            context__authority_id=scope.authority_id,
            linked_at__gte=period.start_at,
            linked_at__lt=period.end_at,
        )
        .values("context_id")
        .annotate(m_children=Count("person_id", distinct=True))
        .filter(m_children__gte=PATTERN_CHILDREN)
        .values("context_id")
        .order_by()
    )
    return _annotate(
        # No ordering: the bounded measures of every period are counted in one UNION ALL.
        Context.objects.filter(pk__in=Subquery(several)).order_by(),
        event=F("pk"),
        person=_no_person(),
        at=F("created_at"),
        met=None,
    )


def _exploitation(key: str, kind: Kind, **kw: Any) -> Measure:
    kw.setdefault("source", "DOMAIN.md §4; OVERSIGHT.md §6; docs/exploitation.md")
    return Measure(key=key, version="2026.1", group=Group.EXPLOITATION, kind=kind, **kw)


_LEVEL_NAMES = {
    RiskLevel.HIGH: ("high risk", "risg uchel"),
    RiskLevel.MEDIUM: ("medium risk", "risg ganolig"),
    RiskLevel.LOW: ("low risk", "risg isel"),
    RiskLevel.NONE: ("no apparent risk", "dim risg amlwg"),
}


def _level_measure(level: str) -> Measure:
    en, cy = _LEVEL_NAMES[RiskLevel(level)]
    return _exploitation(
        f"exploitation_level_{level.lower()}",
        Kind.RATE,
        name_en=f"Exploitation screenings at {en}",
        name_cy=f"Sgriniadau camfanteisio ar {cy}",
        counts_en=f"Screenings made in the period that gave the child {en} (the level given, "
        "after the floor rule)",
        counts_cy=f"Sgriniadau a wnaed yn y cyfnod a roddodd {cy} i'r plentyn (y lefel a "
        "roddwyd, ar ôl y rheol isafswm)",
        numerator_en=f"Screenings at {en}",
        numerator_cy=f"Sgriniadau ar {cy}",
        denominator_en="Screenings made in the period",
        denominator_cy="Sgriniadau a wnaed yn y cyfnod",
        rows=_screened_rows(level),
        event_noun_en="screenings",
        event_noun_cy="sgriniadau",
        higher_is_better=level in (RiskLevel.NONE, RiskLevel.LOW),
    )


EXPLOITATION_MEASURES: tuple[Measure, ...] = (
    _exploitation(
        "exploitation_screenings",
        Kind.COUNT,
        name_en="Exploitation screenings",
        name_cy="Sgriniadau camfanteisio",
        counts_en="Screenings made in the period, and the children screened",
        counts_cy="Sgriniadau a wnaed yn y cyfnod, a'r plant a sgriniwyd",
        numerator_en="Screenings",
        numerator_cy="Sgriniadau",
        denominator_en="—",
        denominator_cy="—",
        rows=_screened_rows(None),
        event_noun_en="screenings",
        event_noun_cy="sgriniadau",
    ),
    *(_level_measure(level) for level in RiskLevel.values[::-1]),
    _exploitation(
        "exploitation_rescreen_in_time",
        Kind.RATE,
        name_en="Exploitation rescreening in time",
        name_cy="Ail-sgrinio am gamfanteisio mewn pryd",
        counts_en="Screenings whose next screening fell due in the period, followed by one on or "
        "before the due date",
        counts_cy="Sgriniadau y daeth eu sgrinio nesaf yn ddyledus yn y cyfnod, a ddilynwyd gan "
        "un ar y dyddiad dyledus neu cyn hynny",
        numerator_en="Rescreened by the due date",
        numerator_cy="Wedi'u hail-sgrinio erbyn y dyddiad dyledus",
        denominator_en="Rescreenings due in the period, except those not yet due",
        denominator_cy="Ail-sgriniadau a oedd yn ddyledus yn y cyfnod, ac eithrio rhai nad ydynt "
        "yn ddyledus eto",
        rule="exploitation.rescreen",
        rows=_rescreen_rows,
        event_noun_en="screenings",
        event_noun_cy="sgriniadau",
    ),
    _exploitation(
        "exploitation_return_interview_offered",
        Kind.RATE,
        name_en="Missing episodes with a return interview offered",
        name_cy="Cyfnodau ar goll y cynigiwyd cyfweliad dychwelyd ar eu hôl",
        counts_en="Missing episodes that ended in the period with a return interview offered",
        counts_cy="Cyfnodau ar goll a ddaeth i ben yn y cyfnod y cynigiwyd cyfweliad dychwelyd",
        numerator_en="Episodes with a return interview offered",
        numerator_cy="Cyfnodau y cynigiwyd cyfweliad dychwelyd",
        denominator_en="Missing episodes that ended in the period",
        denominator_cy="Cyfnodau ar goll a ddaeth i ben yn y cyfnod",
        rows=_return_interview_rows("debrief_offered_on"),
        event_noun_en="missing episodes",
        event_noun_cy="cyfnodau ar goll",
    ),
    _exploitation(
        "exploitation_return_interview_held",
        Kind.RATE,
        name_en="Missing episodes with a return interview held",
        name_cy="Cyfnodau ar goll y cynhaliwyd cyfweliad dychwelyd ar eu hôl",
        counts_en="Missing episodes that ended in the period with a return interview held",
        counts_cy="Cyfnodau ar goll a ddaeth i ben yn y cyfnod y cynhaliwyd cyfweliad dychwelyd",
        numerator_en="Episodes with a return interview held",
        numerator_cy="Cyfnodau y cynhaliwyd cyfweliad dychwelyd",
        denominator_en="Missing episodes that ended in the period",
        denominator_cy="Cyfnodau ar goll a ddaeth i ben yn y cyfnod",
        rows=_return_interview_rows("debrief_held_on"),
        event_noun_en="missing episodes",
        event_noun_cy="cyfnodau ar goll",
    ),
    _exploitation(
        "exploitation_nrm_referrals",
        Kind.COUNT,
        name_en="National Referral Mechanism referrals",
        name_cy="Atgyfeiriadau i'r Mecanwaith Atgyfeirio Cenedlaethol",
        counts_en="NRM referrals made in the period",
        counts_cy="Atgyfeiriadau NRM a wnaed yn y cyfnod",
        numerator_en="Referrals",
        numerator_cy="Atgyfeiriadau",
        denominator_en="—",
        denominator_cy="—",
        rows=_nrm_rows,
        event_noun_en="referrals",
        event_noun_cy="atgyfeiriadau",
    ),
    _exploitation(
        "exploitation_nrm_reasonable_in_time",
        Kind.RATE,
        name_en="NRM reasonable-grounds decisions within 5 working days",
        name_cy="Penderfyniadau sail resymol NRM o fewn 5 diwrnod gwaith",
        counts_en="NRM referrals whose reasonable-grounds decision was made by its due date",
        counts_cy="Atgyfeiriadau NRM y gwnaed eu penderfyniad sail resymol erbyn y dyddiad dyledus",
        numerator_en="Decided by the due date",
        numerator_cy="Penderfynwyd erbyn y dyddiad dyledus",
        denominator_en="Referrals decided in the period, and those overdue and not decided",
        denominator_cy="Atgyfeiriadau y penderfynwyd arnynt yn y cyfnod, a'r rhai sy'n hwyr heb "
        "benderfyniad",
        rule="nrm.reasonable_grounds",
        rows=_nrm_reasonable_rows,
        event_noun_en="referrals",
        event_noun_cy="atgyfeiriadau",
    ),
    _exploitation(
        "exploitation_contexts_several",
        Kind.COUNT,
        name_en="Contexts linked to several children",
        name_cy="Cyd-destunau sy'n gysylltiedig â sawl plentyn",
        counts_en="Places, groups and other contexts with links made in the period to 3 or more "
        "children",
        counts_cy="Lleoedd, grwpiau a chyd-destunau eraill y gwnaed cysylltiadau â 3 neu fwy o "
        "blant iddynt yn y cyfnod",
        numerator_en="Contexts",
        numerator_cy="Cyd-destunau",
        denominator_en="—",
        denominator_cy="—",
        period_rows=_contexts_several_rows,
        units=(Unit.EVENT,),
        event_noun_en="contexts",
        event_noun_cy="cyd-destunau",
        higher_is_better=False,
    ),
)


# --- the registry ---------------------------------------------------------------------------

_V = "2026.1"

MEASURES: tuple[Measure, ...] = (
    Measure(
        key="report_decision",
        version=_V,
        group=Group.OPERATIONAL,
        kind=Kind.RATE,
        name_en="Reports decided within 1 working day",
        name_cy="Adroddiadau y penderfynwyd arnynt o fewn 1 diwrnod gwaith",
        counts_en="Children named in reports received, and the reports, decided by the due time",
        counts_cy="Plant a enwyd mewn adroddiadau a ddaeth i law, a'r adroddiadau, y "
        "penderfynwyd arnynt erbyn yr amser dyledus",
        numerator_en="Reports whose final decision (authorised where it needs authorising) was "
        "made by the decision due time",
        numerator_cy="Adroddiadau y gwnaed eu penderfyniad terfynol (wedi'i awdurdodi pan fo "
        "angen) erbyn yr amser dyledus",
        denominator_en="Reports received in the period, except those not yet due",
        denominator_cy="Adroddiadau a ddaeth i law yn y cyfnod, ac eithrio rhai nad ydynt yn "
        "ddyledus eto",
        source="DOMAIN.md §6.6 row 1 [S8]",
        rule="report.decision",
        rows=_decision_rows,
        event_noun_en="reports",
        event_noun_cy="adroddiadau",
    ),
    Measure(
        key="written_confirmation",
        version=_V,
        group=Group.OPERATIONAL,
        kind=Kind.RATE,
        name_en="Telephone reports confirmed in writing within 1 working day",
        name_cy="Adroddiadau ffôn a gadarnhawyd yn ysgrifenedig o fewn 1 diwrnod gwaith",
        counts_en="Practitioners' telephone reports whose written confirmation arrived in time",
        counts_cy="Adroddiadau ffôn gan ymarferwyr y daeth eu cadarnhad ysgrifenedig mewn pryd",
        numerator_en="Telephone reports confirmed in writing by the due time",
        numerator_cy="Adroddiadau ffôn a gadarnhawyd yn ysgrifenedig erbyn yr amser dyledus",
        denominator_en="Telephone reports from practitioners received in the period",
        denominator_cy="Adroddiadau ffôn gan ymarferwyr a ddaeth i law yn y cyfnod",
        source="DOMAIN.md §6.6 row 2 [S6]",
        rule="report.written_confirmation",
        rows=_confirmation_rows,
        event_noun_en="reports",
        event_noun_cy="adroddiadau",
    ),
    Measure(
        key="strategy_outcome_shared",
        #: 2026.2: timed against ``outcome.notify`` (before, shared at any time counted)
        version="2026.2",
        group=Group.OPERATIONAL,
        kind=Kind.RATE,
        name_en="Strategy discussion outcome shared with every partner agency that took part, "
        "within 1 working day",
        name_cy="Canlyniad y drafodaeth strategaeth wedi'i rannu â phob asiantaeth bartner a "
        "gymerodd ran, o fewn 1 diwrnod gwaith",
        counts_en="Strategy discussions whose outcome reached every partner agency taking part "
        "within 1 working day",
        counts_cy="Trafodaethau strategaeth y cyrhaeddodd eu canlyniad bob asiantaeth bartner a "
        "gymerodd ran o fewn 1 diwrnod gwaith",
        numerator_en="Strategy discussions with an outcome shared with each participating partner",
        numerator_cy="Trafodaethau strategaeth a rannodd ganlyniad â phob partner a gymerodd ran",
        denominator_en="Strategy discussions held in the period with a partner agency taking part",
        denominator_cy="Trafodaethau strategaeth a gynhaliwyd yn y cyfnod gydag asiantaeth "
        "bartner yn cymryd rhan",
        source="DOMAIN.md §6.6 row 5 (finding [S39]); §8",
        rule="outcome.notify",
        rows=_strategy_rows,
        event_noun_en="strategy discussions",
        event_noun_cy="trafodaethau strategaeth",
    ),
    Measure(
        key="s47_42wd",
        version=_V,
        group=Group.OPERATIONAL,
        kind=Kind.RATE,
        name_en="Section 47 enquiries completed within 42 working days",
        name_cy="Ymholiadau adran 47 a gwblhawyd o fewn 42 diwrnod gwaith",
        counts_en="Section 47 enquiries determined by their due date (one child each)",
        counts_cy="Ymholiadau adran 47 y penderfynwyd arnynt erbyn eu dyddiad dyledus (un plentyn "
        "yr un)",
        numerator_en="Enquiries determined by the due date",
        numerator_cy="Ymholiadau y penderfynwyd arnynt erbyn y dyddiad dyledus",
        denominator_en="Enquiries determined in the period, and those overdue and not determined",
        denominator_cy="Ymholiadau y penderfynwyd arnynt yn y cyfnod, a'r rhai sy'n hwyr heb "
        "benderfyniad",
        source="DOMAIN.md §6.6 row 6 [S16]; §6.2 PM24",
        rule="s47.assessment",
        rows=_s47_rows,
        event_noun_en="enquiries",
        event_noun_cy="ymholiadau",
    ),
    Measure(
        key="icpc_15wd",
        version=_V,
        group=Group.OPERATIONAL,
        kind=Kind.RATE,
        name_en="Initial conferences held within 15 working days",
        name_cy="Cynadleddau cychwynnol a gynhaliwyd o fewn 15 diwrnod gwaith",
        counts_en="Initial child protection conferences held by their due date, per child and "
        "per conference",
        counts_cy="Cynadleddau amddiffyn plant cychwynnol a gynhaliwyd erbyn eu dyddiad dyledus, "
        "fesul plentyn a fesul cynhadledd",
        numerator_en="Conferences (children) held within 15 working days of the last strategy "
        "discussion",
        numerator_cy="Cynadleddau (plant) a gynhaliwyd o fewn 15 diwrnod gwaith i'r drafodaeth "
        "strategaeth olaf",
        denominator_en="Initial conferences held in the period, and those overdue and not held",
        denominator_cy="Cynadleddau cychwynnol a gynhaliwyd yn y cyfnod, a'r rhai sy'n hwyr heb "
        "eu cynnal",
        source="DOMAIN.md §6.6 row 7 [S13][S30l]; §6.3 (Conwy: per child vs per conference)",
        rule="icpc.convene",
        rows=_icpc_rows,
        event_noun_en="conferences",
        event_noun_cy="cynadleddau",
    ),
    Measure(
        key="icpc_quorate",
        version=_V,
        group=Group.OPERATIONAL,
        kind=Kind.RATE,
        name_en="Initial conferences that were quorate",
        name_cy="Cynadleddau cychwynnol a oedd â chworwm",
        counts_en="Initial conferences held with the quorum the procedures ask for",
        counts_cy="Cynadleddau cychwynnol a gynhaliwyd gyda'r cworwm y mae'r gweithdrefnau'n "
        "gofyn amdano",
        numerator_en="Initial conferences recorded as quorate",
        numerator_cy="Cynadleddau cychwynnol a gofnodwyd fel rhai â chworwm",
        denominator_en="Initial conferences held in the period",
        denominator_cy="Cynadleddau cychwynnol a gynhaliwyd yn y cyfnod",
        source="DOMAIN.md §6.6 row 8 [S20]",
        rows=_quorate_rows,
        event_noun_en="conferences",
        event_noun_cy="cynadleddau",
    ),
    Measure(
        key="outline_plan_5wd",
        version=_V,
        group=Group.OPERATIONAL,
        kind=Kind.RATE,
        name_en="Outline plan circulated within 5 working days of the conference",
        name_cy="Cynllun amlinellol wedi'i ddosbarthu o fewn 5 diwrnod gwaith i'r gynhadledd",
        counts_en="Registrations whose conference record and outline plan went out in time",
        counts_cy="Cofrestriadau yr anfonwyd cofnod y gynhadledd a'r cynllun amlinellol mewn pryd",
        numerator_en="Registrations whose record was circulated by the due time",
        numerator_cy="Cofrestriadau y dosbarthwyd eu cofnod erbyn yr amser dyledus",
        denominator_en="Registrations in the period",
        denominator_cy="Cofrestriadau yn y cyfnod",
        source="DOMAIN.md §6.6 row 9 [S15]",
        rule="icpc.circulate_record",
        rows=_outline_plan_rows,
        event_noun_en="conferences",
        event_noun_cy="cynadleddau",
    ),
    Measure(
        key="first_core_group_10wd",
        version=_V,
        group=Group.OPERATIONAL,
        kind=Kind.RATE,
        name_en="First core group within 10 working days of registration",
        name_cy="Grŵp craidd cyntaf o fewn 10 diwrnod gwaith i gofrestru",
        counts_en="Registrations whose first core group met by its due date",
        counts_cy="Cofrestriadau y cyfarfu eu grŵp craidd cyntaf erbyn ei ddyddiad dyledus",
        numerator_en="Registrations with a first core group held by the due time",
        numerator_cy="Cofrestriadau gyda grŵp craidd cyntaf wedi'i gynnal erbyn yr amser dyledus",
        denominator_en="Registrations in the period, except those not yet due",
        denominator_cy="Cofrestriadau yn y cyfnod, ac eithrio rhai nad ydynt yn ddyledus eto",
        source="DOMAIN.md §6.6 row 10 [S17]",
        rule="core_group.first",
        rows=_first_core_group_rows,
        event_noun_en="conferences",
        event_noun_cy="cynadleddau",
    ),
    Measure(
        key="core_group_interval",
        #: 2026.2: a next meeting never held once due counts as missed
        version="2026.2",
        group=Group.OPERATIONAL,
        kind=Kind.RATE,
        name_en="Core groups held within 6 weeks of the last",
        name_cy="Grwpiau craidd a gynhaliwyd o fewn 6 wythnos i'r un diwethaf",
        counts_en="Core group meetings after the first, held by their due date; a next meeting "
        "never held once due counts as missed",
        counts_cy="Cyfarfodydd grŵp craidd ar ôl y cyntaf, a gynhaliwyd erbyn eu dyddiad "
        "dyledus; mae cyfarfod nesaf na chynhaliwyd erioed ar ôl iddo ddod yn ddyledus yn cyfrif "
        "fel un a fethwyd",
        numerator_en="Core group meetings held within 6 weeks of the previous one",
        numerator_cy="Cyfarfodydd grŵp craidd a gynhaliwyd o fewn 6 wythnos i'r un blaenorol",
        denominator_en="Core group meetings (after the first) held in the period",
        denominator_cy="Cyfarfodydd grŵp craidd (ar ôl y cyntaf) a gynhaliwyd yn y cyfnod",
        source="DOMAIN.md §6.6 row 11 [S18]",
        rule="core_group.interval",
        rows=_core_group_interval_rows,
        missed_rows=_core_group_never_held_rows,
        event_noun_en="meetings",
        event_noun_cy="cyfarfodydd",
    ),
    Measure(
        key="seen_alone_10wd",
        #: 2026.2: a visit never made once due counts as missed
        version="2026.2",
        group=Group.OPERATIONAL,
        kind=Kind.RATE,
        name_en="Child seen alone within 10 working days of the last time",
        name_cy="Plentyn wedi'i weld ar ei ben ei hun o fewn 10 diwrnod gwaith i'r tro diwethaf",
        counts_en="Visits where a registered child was seen alone, each within 10 working days "
        "of the last (or of registration)",
        counts_cy="Ymweliadau lle gwelwyd plentyn cofrestredig ar ei ben ei hun, pob un o fewn "
        "10 diwrnod gwaith i'r tro diwethaf (neu i gofrestru)",
        numerator_en="Seen-alone visits within 10 working days of the previous one",
        numerator_cy="Ymweliadau gweld ar ei ben ei hun o fewn 10 diwrnod gwaith i'r un blaenorol",
        denominator_en="Visits in the period where the child was seen alone",
        denominator_cy="Ymweliadau yn y cyfnod lle gwelwyd y plentyn ar ei ben ei hun",
        source="DOMAIN.md §6.6 row 12 [S19][S53]",
        rule="visit.seen_alone",
        met_at_most=_gap_limit("visit.seen_alone"),
        rows=_seen_alone_rows,
        missed_rows=_seen_alone_never,
        units=(Unit.CHILD,),
        event_noun_en="visits",
        event_noun_cy="ymweliadau",
    ),
    Measure(
        key="seen_at_home_4wk",
        #: 2026.2: a visit never made once due counts as missed
        version="2026.2",
        group=Group.OPERATIONAL,
        kind=Kind.RATE,
        name_en="Child seen at home within 4 weeks of the last time",
        name_cy="Plentyn wedi'i weld gartref o fewn 4 wythnos i'r tro diwethaf",
        counts_en="Visits where a registered child was seen at home, each within 4 weeks of the "
        "last (or of registration)",
        counts_cy="Ymweliadau lle gwelwyd plentyn cofrestredig gartref, pob un o fewn 4 wythnos "
        "i'r tro diwethaf (neu i gofrestru)",
        numerator_en="Seen-at-home visits within 4 weeks of the previous one",
        numerator_cy="Ymweliadau gweld gartref o fewn 4 wythnos i'r un blaenorol",
        denominator_en="Visits in the period where the child was seen at home",
        denominator_cy="Ymweliadau yn y cyfnod lle gwelwyd y plentyn gartref",
        source="DOMAIN.md §6.6 row 13 [S19]",
        rule="visit.seen_at_home",
        met_at_most=_gap_limit("visit.seen_at_home"),
        rows=_seen_at_home_rows,
        missed_rows=_seen_at_home_never,
        units=(Unit.CHILD,),
        event_noun_en="visits",
        event_noun_cy="ymweliadau",
    ),
    Measure(
        key="review_in_time",
        #: 2026.2: a review never scheduled once due counts as missed
        version="2026.2",
        group=Group.OPERATIONAL,
        kind=Kind.RATE,
        name_en="Review conferences held in time",
        name_cy="Cynadleddau adolygu a gynhaliwyd mewn pryd",
        counts_en="Review conferences held by their due date (3 months after the initial "
        "conference, then 6-monthly)",
        counts_cy="Cynadleddau adolygu a gynhaliwyd erbyn eu dyddiad dyledus (3 mis ar ôl y "
        "gynhadledd gychwynnol, yna bob 6 mis)",
        numerator_en="Review conferences held by the due date",
        numerator_cy="Cynadleddau adolygu a gynhaliwyd erbyn y dyddiad dyledus",
        denominator_en="Review conferences held in the period, and those overdue and not held",
        denominator_cy="Cynadleddau adolygu a gynhaliwyd yn y cyfnod, a'r rhai sy'n hwyr heb eu "
        "cynnal",
        source="DOMAIN.md §6.6 row 15 [S20]",
        rule="review.interval",
        rows=_review_rows,
        missed_rows=_review_never_held_rows,
        event_noun_en="conferences",
        event_noun_cy="cynadleddau",
    ),
    Measure(
        key="advocacy_offered",
        version=_V,
        group=Group.OPERATIONAL,
        kind=Kind.RATE,
        name_en="Advocacy offered to the child at the initial conference",
        name_cy="Eiriolaeth wedi'i chynnig i'r plentyn yn y gynhadledd gychwynnol",
        counts_en="Children at initial conferences who were offered an independent advocate",
        counts_cy="Plant mewn cynadleddau cychwynnol a gafodd gynnig eiriolwr annibynnol",
        numerator_en="Children with an advocacy offer recorded on their invitation",
        numerator_cy="Plant â chynnig eiriolaeth wedi'i gofnodi ar eu gwahoddiad",
        denominator_en="Children at initial conferences held in the period",
        denominator_cy="Plant mewn cynadleddau cychwynnol a gynhaliwyd yn y cyfnod",
        source="DOMAIN.md §6.6 row 16 [S34]",
        rows=_advocacy_rows,
        event_noun_en="conferences",
        event_noun_cy="cynadleddau",
    ),
    Measure(
        key="child_views_recorded",
        version=_V,
        group=Group.OPERATIONAL,
        kind=Kind.RATE,
        name_en="Child's views recorded at conference",
        name_cy="Barn y plentyn wedi'i chofnodi yn y gynhadledd",
        counts_en="Children at conferences held whose views (or how they were sought) were "
        "recorded",
        counts_cy="Plant mewn cynadleddau a gynhaliwyd y cofnodwyd eu barn (neu sut y'i ceisiwyd)",
        numerator_en="Children with their views recorded, not marked 'not obtained'",
        numerator_cy="Plant y cofnodwyd eu barn, heb eu marcio 'heb ei chael'",
        denominator_en="Children at conferences held in the period",
        denominator_cy="Plant mewn cynadleddau a gynhaliwyd yn y cyfnod",
        source="DOMAIN.md §6.6 row 17 [S36]",
        rows=_views_rows,
        event_noun_en="conferences",
        event_noun_cy="cynadleddau",
    ),
    # --- register figures ---
    Measure(
        key="on_register",
        version=_V,
        group=Group.REGISTER,
        kind=Kind.COUNT,
        name_en="Children on the register at the end of the period",
        name_cy="Plant ar y gofrestr ar ddiwedd y cyfnod",
        counts_en="Children on the child protection register at the end of the last day, by "
        "category, age and sex, and the rate per 10,000 children",
        counts_cy="Plant ar y gofrestr amddiffyn plant ar ddiwedd y diwrnod olaf, yn ôl "
        "categori, oed a rhyw, a'r gyfradd fesul 10,000 o blant",
        numerator_en="Open registrations at the end of the period",
        numerator_cy="Cofrestriadau agored ar ddiwedd y cyfnod",
        denominator_en="(Rate: the authority's child population, set in its measure settings)",
        denominator_cy="(Cyfradd: poblogaeth plant yr awdurdod, a osodir yn ei osodiadau mesurau)",
        source="DOMAIN.md §6.4 [S58]",
        period_rows=on_register_rows,
        units=(Unit.CHILD,),
        snapshot=True,
        breakdowns=("category", "age", "sex"),
        higher_is_better=False,
    ),
    Measure(
        key="registrations",
        version=_V,
        group=Group.REGISTER,
        kind=Kind.COUNT,
        name_en="Registrations",
        name_cy="Cofrestriadau",
        counts_en="Children placed on the register in the period, and the conferences that "
        "placed them",
        counts_cy="Plant a roddwyd ar y gofrestr yn y cyfnod, a'r cynadleddau a'u rhoddodd",
        numerator_en="Registrations starting in the period",
        numerator_cy="Cofrestriadau sy'n dechrau yn y cyfnod",
        denominator_en="—",
        denominator_cy="—",
        source="DOMAIN.md §6.4 [S58]; §6.1",
        rows=_registration_rows,
        event_noun_en="conferences",
        event_noun_cy="cynadleddau",
        higher_is_better=False,
    ),
    Measure(
        key="deregistrations",
        version=_V,
        group=Group.REGISTER,
        kind=Kind.COUNT,
        name_en="De-registrations",
        name_cy="Dadgofrestriadau",
        counts_en="Registrations ended in the period, for any reason",
        counts_cy="Cofrestriadau a ddaeth i ben yn y cyfnod, am unrhyw reswm",
        numerator_en="Registrations ending in the period",
        numerator_cy="Cofrestriadau sy'n dod i ben yn y cyfnod",
        denominator_en="—",
        denominator_cy="—",
        source="DOMAIN.md §6.4 [S58]",
        rows=_deregistration_rows,
        units=(Unit.CHILD,),
    ),
    Measure(
        key="rereg_12m",
        version=_V,
        group=Group.REGISTER,
        kind=Kind.RATE,
        name_en="Re-registrations within 12 months",
        name_cy="Ail-gofrestriadau o fewn 12 mis",
        counts_en="Registrations in the period of a child whose last registration ended 12 "
        "months or less before",
        counts_cy="Cofrestriadau yn y cyfnod o blentyn y daeth ei gofrestriad diwethaf i ben 12 "
        "mis neu lai cyn hynny",
        numerator_en="Registrations starting on or before the day 12 calendar months after the "
        "child's previous registration ended",
        numerator_cy="Cofrestriadau sy'n dechrau ar y diwrnod 12 mis calendr ar ôl i gofrestriad "
        "blaenorol y plentyn ddod i ben, neu cyn hynny",
        denominator_en="Registrations starting in the period",
        denominator_cy="Cofrestriadau sy'n dechrau yn y cyfnod",
        source="DOMAIN.md §6.2 PM27 (12-month window: general knowledge, see docs/measures.md)",
        rows=_rereg_12_rows,
        units=(Unit.CHILD,),
        higher_is_better=False,
    ),
    Measure(
        key="rereg_ever",
        version=_V,
        group=Group.REGISTER,
        kind=Kind.RATE,
        name_en="Re-registrations (ever registered before)",
        name_cy="Ail-gofrestriadau (wedi'u cofrestru erioed o'r blaen)",
        counts_en="Registrations in the period of a child who had been on the register before",
        counts_cy="Cofrestriadau yn y cyfnod o blentyn a fu ar y gofrestr o'r blaen",
        numerator_en="Registrations of a child with an earlier, ended registration",
        numerator_cy="Cofrestriadau o blentyn â chofrestriad cynharach sydd wedi dod i ben",
        denominator_en="Registrations starting in the period",
        denominator_cy="Cofrestriadau sy'n dechrau yn y cyfnod",
        source="DOMAIN.md §6.6 (re-registrations ever)",
        rows=_rereg_ever_rows,
        units=(Unit.CHILD,),
        higher_is_better=False,
    ),
    Measure(
        key="average_days",
        #: 2026.2: a registration that began before the calendar table's first year counts
        #: (its days were looked up there, found nothing and left it out of the average)
        version="2026.2",
        group=Group.REGISTER,
        kind=Kind.AVERAGE,
        name_en="Average days on the register",
        name_cy="Cyfartaledd y dyddiau ar y gofrestr",
        counts_en="For children on the register at any time in the period, the days from "
        "registration to de-registration or the end of the period",
        counts_cy="I blant ar y gofrestr ar unrhyw adeg yn y cyfnod, y dyddiau o gofrestru hyd "
        "at ddadgofrestru neu ddiwedd y cyfnod",
        numerator_en="Total days on the register",
        numerator_cy="Cyfanswm y dyddiau ar y gofrestr",
        denominator_en="Registrations open at any time in the period",
        denominator_cy="Cofrestriadau a oedd ar agor ar unrhyw adeg yn y cyfnod",
        source="DOMAIN.md §6.2 PM28",
        period_rows=days_on_register_rows,
        units=(Unit.CHILD,),
        higher_is_better=False,
    ),
    Measure(
        key="over_12m",
        version=_V,
        group=Group.REGISTER,
        kind=Kind.RATE,
        name_en="On the register for more than 12 months",
        name_cy="Ar y gofrestr am fwy na 12 mis",
        counts_en="Children on the register at the end of the period who were registered more "
        "than 12 months before",
        counts_cy="Plant ar y gofrestr ar ddiwedd y cyfnod a gofrestrwyd fwy na 12 mis cyn hynny",
        numerator_en="Open registrations that started more than 12 months before the end",
        numerator_cy="Cofrestriadau agored a ddechreuodd fwy na 12 mis cyn y diwedd",
        denominator_en="Children on the register at the end of the period",
        denominator_cy="Plant ar y gofrestr ar ddiwedd y cyfnod",
        source="DOMAIN.md §6.4 [S58]",
        period_rows=_longer_than(12),
        units=(Unit.CHILD,),
        snapshot=True,
        higher_is_better=False,
    ),
    Measure(
        key="over_24m",
        version=_V,
        group=Group.REGISTER,
        kind=Kind.RATE,
        name_en="On the register for more than 2 years",
        name_cy="Ar y gofrestr am fwy na 2 flynedd",
        counts_en="Children on the register at the end of the period who were registered more "
        "than 2 years before",
        counts_cy="Plant ar y gofrestr ar ddiwedd y cyfnod a gofrestrwyd fwy na 2 flynedd cyn "
        "hynny",
        numerator_en="Open registrations that started more than 2 years before the end",
        numerator_cy="Cofrestriadau agored a ddechreuodd fwy na 2 flynedd cyn y diwedd",
        denominator_en="Children on the register at the end of the period",
        denominator_cy="Plant ar y gofrestr ar ddiwedd y cyfnod",
        source="DOMAIN.md §6.6 (registrations over 2 years)",
        period_rows=_longer_than(24),
        units=(Unit.CHILD,),
        snapshot=True,
        higher_is_better=False,
    ),
    # --- the funnel ---
    Measure(
        key="funnel_reports",
        version=_V,
        group=Group.FUNNEL,
        kind=Kind.COUNT,
        name_en="Reports received",
        name_cy="Adroddiadau a ddaeth i law",
        counts_en="Reports of a child at risk received, and the children named in them",
        counts_cy="Adroddiadau am blentyn mewn perygl a ddaeth i law, a'r plant a enwyd ynddynt",
        numerator_en="Reports received in the period",
        numerator_cy="Adroddiadau a ddaeth i law yn y cyfnod",
        denominator_en="—",
        denominator_cy="—",
        source="DOMAIN.md §6.1; OVERSIGHT.md §4 (Ceredigion funnel)",
        rows=_funnel_reports,
        event_noun_en="reports",
        event_noun_cy="adroddiadau",
    ),
    Measure(
        key="funnel_decisions",
        version=_V,
        group=Group.FUNNEL,
        kind=Kind.COUNT,
        name_en="Decisions made",
        name_cy="Penderfyniadau a wnaed",
        counts_en="Reports decided in the period",
        counts_cy="Adroddiadau y penderfynwyd arnynt yn y cyfnod",
        numerator_en="Decisions recorded in the period",
        numerator_cy="Penderfyniadau a gofnodwyd yn y cyfnod",
        denominator_en="—",
        denominator_cy="—",
        source="OVERSIGHT.md §4",
        rows=_funnel_decisions,
        event_noun_en="reports",
        event_noun_cy="adroddiadau",
    ),
    Measure(
        key="funnel_to_strategy",
        version=_V,
        group=Group.FUNNEL,
        kind=Kind.COUNT,
        name_en="Decided: strategy discussion",
        name_cy="Penderfyniad: trafodaeth strategaeth",
        counts_en="Reports decided in the period whose outcome was a strategy discussion",
        counts_cy="Adroddiadau y penderfynwyd arnynt yn y cyfnod a'u canlyniad oedd trafodaeth "
        "strategaeth",
        numerator_en="Decisions for a strategy discussion",
        numerator_cy="Penderfyniadau am drafodaeth strategaeth",
        denominator_en="—",
        denominator_cy="—",
        source="OVERSIGHT.md §4",
        rows=_funnel_to_strategy,
        event_noun_en="reports",
        event_noun_cy="adroddiadau",
    ),
    Measure(
        key="funnel_strategies",
        version=_V,
        group=Group.FUNNEL,
        kind=Kind.COUNT,
        name_en="Strategy discussions held",
        name_cy="Trafodaethau strategaeth a gynhaliwyd",
        counts_en="Strategy discussions held in the period and the children discussed",
        counts_cy="Trafodaethau strategaeth a gynhaliwyd yn y cyfnod a'r plant a drafodwyd",
        numerator_en="Strategy discussions held",
        numerator_cy="Trafodaethau strategaeth a gynhaliwyd",
        denominator_en="—",
        denominator_cy="—",
        source="OVERSIGHT.md §4",
        rows=_funnel_strategies,
        event_noun_en="strategy discussions",
        event_noun_cy="trafodaethau strategaeth",
    ),
    Measure(
        key="funnel_s47",
        version=_V,
        group=Group.FUNNEL,
        kind=Kind.COUNT,
        name_en="Section 47 enquiries started",
        name_cy="Ymholiadau adran 47 a ddechreuwyd",
        counts_en="Section 47 enquiries started in the period (one child each), dated by the "
        "strategy discussion that started them",
        counts_cy="Ymholiadau adran 47 a ddechreuwyd yn y cyfnod (un plentyn yr un), wedi'u "
        "dyddio yn ôl y drafodaeth strategaeth a'u dechreuodd",
        numerator_en="Enquiries started",
        numerator_cy="Ymholiadau a ddechreuwyd",
        denominator_en="—",
        denominator_cy="—",
        source="OVERSIGHT.md §4",
        rows=_funnel_s47,
        units=(Unit.CHILD,),
    ),
    Measure(
        key="funnel_icpc",
        version=_V,
        group=Group.FUNNEL,
        kind=Kind.COUNT,
        name_en="Initial conferences held",
        name_cy="Cynadleddau cychwynnol a gynhaliwyd",
        counts_en="Initial conferences held in the period and the children they were about",
        counts_cy="Cynadleddau cychwynnol a gynhaliwyd yn y cyfnod a'r plant yr oeddent yn eu "
        "cylch",
        numerator_en="Initial conferences held",
        numerator_cy="Cynadleddau cychwynnol a gynhaliwyd",
        denominator_en="—",
        denominator_cy="—",
        source="OVERSIGHT.md §4",
        rows=_funnel_icpc,
        event_noun_en="conferences",
        event_noun_cy="cynadleddau",
    ),
    Measure(
        key="funnel_registrations",
        version=_V,
        group=Group.FUNNEL,
        kind=Kind.COUNT,
        name_en="Children registered",
        name_cy="Plant a gofrestrwyd",
        counts_en="Registrations at initial, pre-birth and transfer-in conferences in the period",
        counts_cy="Cofrestriadau mewn cynadleddau cychwynnol, cyn-geni a throsglwyddo i mewn yn y "
        "cyfnod",
        numerator_en="Registrations",
        numerator_cy="Cofrestriadau",
        denominator_en="—",
        denominator_cy="—",
        source="OVERSIGHT.md §4",
        rows=_funnel_registrations,
        event_noun_en="conferences",
        event_noun_cy="cynadleddau",
    ),
    _workforce(
        "workforce_agency",
        Kind.RATE,
        _agency_rows,
        name_en="Agency workers (headcount)",
        name_cy="Gweithwyr asiantaeth (pennau)",
        counts_en="Workers in post at the end of the period with an agency contract",
        counts_cy="Gweithwyr yn y swydd ar ddiwedd y cyfnod â chontract asiantaeth",
        numerator_en="Workers in post on an agency contract",
        numerator_cy="Gweithwyr yn y swydd ar gontract asiantaeth",
        denominator_en="Workers in post with a contract covering the day",
        denominator_cy="Gweithwyr yn y swydd â chontract sy'n cynnwys y diwrnod",
        event_noun_en="workers",
        event_noun_cy="gweithwyr",
        higher_is_better=False,
    ),
    _workforce(
        "workforce_vacant_posts",
        Kind.COUNT,
        _vacant_post_rows,
        name_en="Vacant posts",
        name_cy="Swyddi gwag",
        counts_en="Established posts with no holder at the end of the period",
        counts_cy="Swyddi sefydledig heb ddeiliad ar ddiwedd y cyfnod",
        numerator_en="Vacant posts",
        numerator_cy="Swyddi gwag",
        denominator_en="—",
        denominator_cy="—",
        event_noun_en="posts",
        event_noun_cy="swyddi",
        higher_is_better=False,
    ),
    _workforce(
        "workforce_starters",
        Kind.COUNT,
        _worker_dated_rows("started_on"),
        name_en="Starters",
        name_cy="Dechreuwyr",
        counts_en="Workers whose start date falls in the period",
        counts_cy="Gweithwyr y mae eu dyddiad dechrau yn y cyfnod",
        numerator_en="Starters",
        numerator_cy="Dechreuwyr",
        denominator_en="—",
        denominator_cy="—",
        event_noun_en="workers",
        event_noun_cy="gweithwyr",
    ),
    _workforce(
        "workforce_leavers",
        Kind.COUNT,
        _worker_dated_rows("left_on"),
        name_en="Leavers",
        name_cy="Ymadawyr",
        counts_en="Workers whose last day falls in the period",
        counts_cy="Gweithwyr y mae eu diwrnod olaf yn y cyfnod",
        numerator_en="Leavers",
        numerator_cy="Ymadawyr",
        denominator_en="—",
        denominator_cy="—",
        event_noun_en="workers",
        event_noun_cy="gweithwyr",
        higher_is_better=False,
    ),
    _workforce(
        "workforce_lapsing",
        Kind.COUNT,
        _lapsing_rows,
        name_en="Social Care Wales registrations lapsing",
        name_cy="Cofrestriadau Gofal Cymdeithasol Cymru yn dod i ben",
        counts_en="Workers in post at the end of the period whose registration renewal is due "
        "within 60 days of it, or has passed",
        counts_cy="Gweithwyr yn y swydd ar ddiwedd y cyfnod y mae adnewyddu eu cofrestriad yn "
        "ddyledus o fewn 60 diwrnod iddo, neu wedi mynd heibio",
        numerator_en="Registrations lapsing",
        numerator_cy="Cofrestriadau yn dod i ben",
        denominator_en="—",
        denominator_cy="—",
        event_noun_en="workers",
        event_noun_cy="gweithwyr",
        higher_is_better=False,
    ),
    *EXPLOITATION_MEASURES,
)

_BY_KEY = {m.key: m for m in MEASURES}


def get_measure(key: str) -> Measure | None:
    return _BY_KEY.get(key)


#: The Scrutiny funnel, in order.
FUNNEL = (
    "funnel_reports",
    "funnel_decisions",
    "funnel_to_strategy",
    "funnel_strategies",
    "funnel_s47",
    "funnel_icpc",
    "funnel_registrations",
)
