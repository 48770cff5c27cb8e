"""Work queues and MASH measures: what is waiting for whom, and when it is due.

Pure functions of a user and a moment (``now``): they read through the access rules (a user sees
only their authority's or agency's work) and compute every status from the procedures rules that
produced the stored due times, so pages, reminders and measures agree.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from django.core.paginator import Page, Paginator
from django.db.models import Case, Count, DateTimeField, F, Q, When

from diogelu import procedures
from diogelu.accounts.models import MANAGER_ROLES
from diogelu.accounts.roles import is_manager as is_manager
from diogelu.core.deadlines import stored_due as stored_due
from diogelu.core.memo import memoised
from diogelu.procedures import Due, Timeliness
from diogelu.referrals.models import Decision, Report, ReportStatus
from diogelu.sharing.access import (
    is_mash_viewer,
    is_partner_worker,
    visible_outcomes,
    visible_requests,
)
from diogelu.sharing.models import InformationRequest, OutcomeNotification, RequestStatus

if TYPE_CHECKING:
    from collections.abc import Iterable

    from django.db.models import QuerySet

    from diogelu.accounts.models import Agency, User


def report_decision_due(report: Report) -> Due | None:
    if report.decision_due_at is None or report.received_at is None:
        return None
    return stored_due("report.decision", report.received_at, report.decision_due_at)


def request_due(info_request: InformationRequest) -> Due:
    return stored_due(info_request.due_rule, info_request.requested_at, info_request.due_at)


def outcome_due(outcome: OutcomeNotification) -> Due:
    return stored_due("outcome.acknowledge", outcome.shared_at, outcome.acknowledge_by)


def decision_final_at(decision: Decision) -> datetime.datetime | None:
    """When the decision counted as made: on recording, or on authorisation when it needed it."""
    if decision.needs_authorisation:
        return decision.authorised_at
    return decision.decided_at


# --- rows ----------------------------------------------------------------------------------------


class Stage:
    INTAKE = "intake"
    DECISION = "decision"
    AUTHORISATION = "authorisation"


@dataclass(frozen=True)
class ReportRow:
    report: Report
    stage: str
    timeliness: Timeliness | None


@dataclass(frozen=True)
class RequestRow:
    request: InformationRequest
    timeliness: Timeliness


@dataclass(frozen=True)
class OutcomeRow:
    outcome: OutcomeNotification
    timeliness: Timeliness


@dataclass(frozen=True)
class AgencyRequests:
    agency: Agency
    open: int
    overdue: int


#: Rows per page of the MASH dashboard's lists (its cost must not grow with the backlog).
PAGE_SIZE = 50

#: The dashboard's measures count the reports received in this window before ``now`` (a rolling
#: reporting year, ADR 0630): five years of history must not make the page five times slower.
MEASURE_WINDOW = datetime.timedelta(days=365)


T = TypeVar("T")


@dataclass(frozen=True)
class RowPage(Generic[T]):
    """One page of a list, its rows with their timeliness, and the overdue count of the whole
    list (counted in SQL, not from the rows)."""

    rows: list[T]
    page: Page[Any]
    overdue: int

    @property
    def total(self) -> int:
        return int(self.page.paginator.count)


def _page_of(queryset: Any, number: int | str | None) -> Page[Any]:
    return Paginator(queryset, PAGE_SIZE).get_page(number)


def _authority_reports(user: User) -> Any:
    if not is_mash_viewer(user):
        return Report.objects.none()
    return Report.objects.filter(authority_id=user.agency_id)


def _order_key(t: Timeliness | None) -> tuple[int, datetime.datetime]:
    if t is None:
        return (1, datetime.datetime.max.replace(tzinfo=datetime.UTC))
    return (0, t.due.due_at)


# --- MASH ----------------------------------------------------------------------------------------


def _awaiting_decision(user: User) -> Any:
    """Reports received and not yet finally decided, soonest due first (those without a due
    time last)."""
    # Written so that PostgreSQL never reads the authority's decided reports (84,000 at a county
    # of five years) to find the few waiting: the reports still in the MASH by their status, and
    # any marked decided whose decision still waits for a manager, found first through a partial
    # index (a handful of ids, then one bitmap OR with the status index). A decision is final
    # only when the report's status becomes DECIDED in the same transaction
    # (``referrals.services``), so every report in the MASH is waiting for a final decision.
    # Asked by My work's reports and its decisions to authorise alike: once a page.
    waiting_for_manager = memoised(
        ("reports_waiting_for_manager", user.agency_id or 0),
        lambda: tuple(
            Decision.objects.filter(
                needs_authorisation=True,
                authorised_at__isnull=True,
                report__authority_id=user.agency_id or 0,
            ).values_list("report_id", flat=True)
        ),
    )
    return (
        _authority_reports(user)
        .filter(
            Q(status__in=[ReportStatus.SUBMITTED, ReportStatus.IN_MASH])
            | Q(status=ReportStatus.DECIDED, pk__in=waiting_for_manager)
        )
        .select_related("decision")
        .prefetch_related("children")
        .order_by(F("decision_due_at").asc(nulls_last=True), "pk")
    )


def _report_row(report: Report, now: datetime.datetime) -> ReportRow:
    decision = getattr(report, "decision", None)
    if decision is not None:
        stage = Stage.AUTHORISATION
    elif report.status == ReportStatus.SUBMITTED:
        stage = Stage.INTAKE
    else:
        stage = Stage.DECISION
    due = report_decision_due(report)
    return ReportRow(
        report=report,
        stage=stage,
        timeliness=procedures.timeliness(due, now) if due else None,
    )


def reports_awaiting_decision(user: User, now: datetime.datetime) -> list[ReportRow]:
    """Reports received and not yet finally decided, soonest due first: waiting for intake
    (children to link), for a decision, or for a manager to authorise the proposed decision."""
    rows = [_report_row(report, now) for report in _awaiting_decision(user)]
    rows.sort(key=lambda r: _order_key(r.timeliness))
    return rows


def reports_awaiting_decision_page(
    user: User, now: datetime.datetime, number: int | str | None = 1
) -> RowPage[ReportRow]:
    """One page of :func:`reports_awaiting_decision` (in the same order), with the number of
    them past their decision time."""
    page = _page_of(_awaiting_decision(user), number)
    rows = [_report_row(report, now) for report in page.object_list]
    return RowPage(rows=rows, page=page, overdue=undecided_overdue(user, now))


def decisions_to_authorise(user: User, now: datetime.datetime) -> list[ReportRow]:
    """Proposed decisions waiting for this manager's authorisation (not their own), soonest due
    first: of the reports awaiting decision, those with a decision (the authorisation stage),
    found in SQL rather than among every report awaiting (My work lists a page of those)."""
    if not user.has_role(*MANAGER_ROLES):
        return []
    waiting = (
        _awaiting_decision(user)
        .filter(decision__isnull=False)
        .exclude(decision__decided_by_id=user.pk)
    )
    rows = [_report_row(report, now) for report in waiting]
    rows.sort(key=lambda r: _order_key(r.timeliness))
    return rows


def awaiting_decision_query(user: User) -> Any:
    """The reports of :func:`reports_awaiting_decision`, as a query in the same order (for a page
    of them: :func:`report_rows`)."""
    return _awaiting_decision(user)


def report_rows(reports: Iterable[Report], now: datetime.datetime) -> list[ReportRow]:
    """Rows of :func:`reports_awaiting_decision` for some of its reports (a page)."""
    return [_report_row(report, now) for report in reports]


def _request_rows(requests: Any, now: datetime.datetime) -> list[RequestRow]:
    return [
        RequestRow(request=r, timeliness=procedures.timeliness(request_due(r), now))
        for r in requests
    ]


def _open_query(user: User) -> Any:
    return visible_requests(user).filter(status=RequestStatus.OPEN).order_by("due_at", "pk")


def open_requests(user: User, now: datetime.datetime) -> list[RequestRow]:
    """Open requests the user may see (a partner: its agency's; the MASH: the authority's)."""
    return _request_rows(_open_query(user), now)


def open_requests_page(
    user: User, now: datetime.datetime, number: int | str | None = 1
) -> RowPage[RequestRow]:
    """One page of :func:`open_requests` (soonest due first), with the number of them past their
    due time counted in SQL: the queue's cost does not grow with the authority's open requests."""
    query = _open_query(user)
    page = _page_of(query, number)
    return RowPage(
        rows=_request_rows(page.object_list, now),
        page=page,
        overdue=query.filter(due_at__lt=now).count(),
    )


def answered_requests(user: User, limit: int = 50) -> list[InformationRequest]:
    return list(
        visible_requests(user)
        .exclude(status=RequestStatus.OPEN)
        .select_related("answer")
        .order_by("-requested_at", "-pk")[:limit]
    )


def overdue_requests(user: User, now: datetime.datetime) -> list[RequestRow]:
    """Open requests of the authority past their due time (the MASH dashboard's list)."""
    if not is_mash_viewer(user):
        return []
    return _request_rows(
        visible_requests(user)
        .filter(status=RequestStatus.OPEN, due_at__lt=now)
        .order_by("due_at", "pk"),
        now,
    )


def my_work_requests(
    user: User, now: datetime.datetime, *, overdue: bool
) -> tuple[list[RequestRow], list[RequestRow]]:
    """The open requests this MASH practitioner sent and, with ``overdue``, those of
    :func:`overdue_requests`, soonest due first: one read of the open requests for both (My work
    shows both to a MASH manager: two reads before)."""
    if not is_mash_viewer(user):
        return [], []
    wanted = Q(requested_by_id=user.pk)
    if overdue:
        wanted |= Q(due_at__lt=now)
    rows = _request_rows(
        visible_requests(user).filter(wanted, status=RequestStatus.OPEN).order_by("due_at", "pk"),
        now,
    )
    mine = [r for r in rows if r.request.requested_by_id == user.pk]
    late = [r for r in rows if r.request.due_at < now] if overdue else []
    return mine, late


def requests_by_agency(user: User, now: datetime.datetime) -> list[AgencyRequests]:
    """Open and overdue requests of the authority, agency by agency (counted in SQL)."""
    if not is_mash_viewer(user):
        return []
    from diogelu.accounts.models import Agency

    counted = (
        visible_requests(user)
        .filter(status=RequestStatus.OPEN)
        .order_by()
        .values("agency_id")
        .annotate(open=Count("pk"), overdue=Count("pk", filter=Q(due_at__lt=now)))
    )
    counts = {c["agency_id"]: (c["open"], c["overdue"]) for c in counted}
    agencies = Agency.objects.in_bulk(list(counts))
    rows = [AgencyRequests(agency=agencies[a], open=o, overdue=d) for a, (o, d) in counts.items()]
    rows.sort(key=lambda r: (-r.overdue, -r.open, r.agency.name))
    return rows


def _awaiting_acknowledgement(user: User) -> Any:
    return (
        OutcomeNotification.objects.filter(
            authority_id=user.agency_id, acknowledged_at__isnull=True
        )
        .select_related("report", "recipient_agency", "recipient_user")
        .order_by("acknowledge_by", "pk")
    )


def outcomes_awaiting_acknowledgement(user: User, now: datetime.datetime) -> list[OutcomeRow]:
    """Outcomes of the authority's reports that a recipient has not yet acknowledged."""
    if not is_mash_viewer(user):
        return []
    return [
        OutcomeRow(outcome=o, timeliness=procedures.timeliness(outcome_due(o), now))
        for o in _awaiting_acknowledgement(user)
    ]


def outcomes_awaiting_acknowledgement_page(
    user: User, now: datetime.datetime, number: int | str | None = 1
) -> RowPage[OutcomeRow]:
    """One page of :func:`outcomes_awaiting_acknowledgement`, with the whole list's count and
    overdue count from SQL: the timeliness (working days counted in Python) only for the page.
    Overdue is ``procedures.timeliness``'s test: past the acknowledge-by instant."""
    outcomes = _awaiting_acknowledgement(user) if is_mash_viewer(user) else _none_outcomes()
    # Both counts in one statement (each was a join of the unacknowledged outcomes to the
    # authority's reports: 45 ms apiece at a county with 23,000 waiting).
    counts = outcomes.order_by().aggregate(
        total=Count("pk"), overdue=Count("pk", filter=Q(acknowledge_by__lt=now))
    )
    paginator = Paginator(outcomes, PAGE_SIZE)
    paginator.count = counts["total"]  # the cached property, known already
    page = paginator.get_page(number)
    rows = [
        OutcomeRow(outcome=o, timeliness=procedures.timeliness(outcome_due(o), now))
        for o in page.object_list
    ]
    return RowPage(rows=rows, page=page, overdue=counts["overdue"] if rows else 0)


def _none_outcomes() -> Any:
    return OutcomeNotification.objects.none().order_by("pk")


def escalated_outcomes_query(user: User) -> Any:
    """Unacknowledged outcomes already escalated past their acknowledge-by time, soonest due
    first, as a query for My work to page (filtered in SQL: a manager's My work once worked out
    the timeliness of every unacknowledged outcome of five years to keep the escalated few; and
    after a county's first tick there were 23,562 escalated, which listed whole took 23 s)."""
    if not is_mash_viewer(user):
        return _none_outcomes()
    return _awaiting_acknowledgement(user).filter(escalated_at__isnull=False)


# --- everyone ------------------------------------------------------------------------------------


def waiting_outcomes(user: User) -> QuerySet[OutcomeNotification]:
    """Outcomes meant for the user or their agency, not yet acknowledged, soonest first (a
    query: a police force's can run to thousands at a county, so lists page it)."""
    return (
        visible_outcomes(user).filter(acknowledged_at__isnull=True).order_by("acknowledge_by", "pk")
    )


def outcome_rows(
    outcomes: Iterable[OutcomeNotification], now: datetime.datetime
) -> list[OutcomeRow]:
    return [
        OutcomeRow(outcome=o, timeliness=procedures.timeliness(outcome_due(o), now))
        for o in outcomes
    ]


def outcomes_to_acknowledge(user: User, now: datetime.datetime) -> list[OutcomeRow]:
    """Outcomes meant for the user or their agency, not yet acknowledged, soonest first."""
    return outcome_rows(waiting_outcomes(user), now)


def agency_requests_to_answer(user: User, now: datetime.datetime) -> list[RequestRow]:
    """A partner agency's open requests."""
    if not is_partner_worker(user):
        return []
    return open_requests(user, now)


def my_reports(user: User, limit: int = 10) -> list[Report]:
    """Reports the user made (sent, not drafts), newest first."""
    return list(
        Report.objects.filter(Q(reporter_user_id=user.pk) | Q(created_by_id=user.pk))
        .exclude(status=ReportStatus.DRAFT)
        .order_by("-received_at", "-pk")[:limit]
    )


# --- measures ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Measure:
    """A share: ``numerator`` of ``denominator``, with the rule it is measured against."""

    key: str
    numerator: int
    denominator: int
    rule: str = ""

    @property
    def share(self) -> float | None:
        return self.numerator / self.denominator if self.denominator else None

    @property
    def percent(self) -> str:
        return "–" if self.share is None else f"{round(self.share * 100)}%"


def _window_reports(user: User, now: datetime.datetime) -> Any:
    """The authority's reports received in the measures' window (:data:`MEASURE_WINDOW`)."""
    return _authority_reports(user).filter(received_at__gte=now - MEASURE_WINDOW)


def decisions_within_timescale(user: User, now: datetime.datetime) -> Measure:
    """Of the authority's reports received in the last year (:data:`MEASURE_WINDOW`) with a final
    decision, how many were decided by the ``report.decision`` deadline (decision final time vs
    the report's decision due time).

    Counted in one query: the final time is the authorisation when the decision needed it,
    otherwise the recording (:func:`decision_final_at`); met when it is no later than the stored
    due instant (``procedures.timeliness`` with a completion time: ``met`` iff not after
    ``due_at``)."""
    return _decisions_in_time(_window_reports(user, now))


def _decisions_in_time(reports: Any) -> Measure:
    final = Case(
        When(needs_authorisation=True, then=F("authorised_at")),
        default=F("decided_at"),
        output_field=DateTimeField(),
    )
    counted = (
        Decision.objects.filter(report__in=reports)
        .filter(report__received_at__isnull=False, report__decision_due_at__isnull=False)
        .annotate(final=final)
        .filter(final__isnull=False)
        .aggregate(
            total=Count("pk"),
            met=Count("pk", filter=Q(final__lte=F("report__decision_due_at"))),
        )
    )
    return Measure(
        key="decisions_in_time",
        numerator=counted["met"],
        denominator=counted["total"],
        rule="report.decision",
    )


def undecided_overdue(user: User, now: datetime.datetime) -> int:
    """Reports still waiting for a final decision past their due time (not yet in the measure),
    counted in SQL: ``procedures.timeliness`` is overdue past the due instant."""
    return int(
        _awaiting_decision(user)
        .filter(received_at__isnull=False, decision_due_at__lt=now)
        .order_by()
        .count()
    )


#: The dashboard's two closed-loop measures are counted at most this often for an authority, and
#: shared through the cache by everyone who opens the dashboard meanwhile: a 12-month share moves
#: by a few reports a day, and counting it was 0.45 s of every dashboard at a county of 300,000
#: people (issue 17). The page says when they were counted.
MEASURES_CACHE_SECONDS = 300
#: Figures older than :data:`MEASURES_CACHE_SECONDS` but younger than this are shown, with the
#: time they were counted, while a Celery worker counts them again (ADR 0824): at Wales scale the
#: count takes about 3 s, and the first dashboard after each interval waited for it. Older than
#: this (or never counted, or no worker: the embedded default) the page counts them itself.
MEASURES_STALE_SECONDS = 24 * 3600


@dataclass(frozen=True)
class LoopMeasures:
    decisions: Measure
    shared: Measure
    counted_at: datetime.datetime


def _loop_key(authority_id: int) -> str:
    return f"mash:loop-measures:v2:{authority_id}"


def loop_measures(user: User, now: datetime.datetime) -> LoopMeasures:
    """:func:`decisions_within_timescale` and :func:`outcomes_shared_with_all` for the user's
    authority, as counted in the last :data:`MEASURES_CACHE_SECONDS`.

    Older figures, up to :data:`MEASURES_STALE_SECONDS`, are returned as they are while a worker
    counts them again (one recount at a time per authority); otherwise they are counted now."""
    from django.core.cache import cache

    if not is_mash_viewer(user) or not user.agency_id:
        return LoopMeasures(
            decisions=_decisions_in_time(Report.objects.none()),
            shared=_shared_with_all(Report.objects.none()),
            counted_at=now,
        )
    authority_id = user.agency_id
    found = cache.get(_loop_key(authority_id))
    if found is not None:
        counted_at = found["counted_at"]
        age = (now - counted_at).total_seconds()
        kept = LoopMeasures(
            decisions=Measure(**found["decisions"]),
            shared=Measure(**found["shared"]),
            counted_at=counted_at,
        )
        if 0 <= age < MEASURES_CACHE_SECONDS:
            return kept
        if 0 <= age < MEASURES_STALE_SECONDS and _recount_elsewhere(authority_id):
            return kept
    return count_loop_measures(authority_id, now)


def count_loop_measures(authority_id: int, now: datetime.datetime) -> LoopMeasures:
    """Count the authority's two measures now and keep them (see :func:`loop_measures`): by the
    page, by the worker it asks, and at the end of ``load_demo`` and ``load_synthetic``."""
    from django.core.cache import cache

    window = Report.objects.filter(authority_id=authority_id, received_at__gte=now - MEASURE_WINDOW)
    measures = LoopMeasures(
        decisions=_decisions_in_time(window),
        shared=_shared_with_all(window),
        counted_at=now,
    )
    cache.set(
        _loop_key(authority_id),
        {
            "decisions": measures.decisions.__dict__,
            "shared": measures.shared.__dict__,
            "counted_at": now,
        },
        MEASURES_STALE_SECONDS,
    )
    cache.delete(_loop_key(authority_id) + ":recounting")
    return measures


def warm_loop_measures(now: datetime.datetime) -> int:
    """Count every active local authority's measures now (after a load), so that no dashboard
    counts them first. Returns how many authorities."""
    from diogelu.accounts.models import Agency, AgencyKind

    done = 0
    for authority_id in Agency.objects.filter(
        kind=AgencyKind.LOCAL_AUTHORITY, is_active=True
    ).values_list("pk", flat=True):
        count_loop_measures(authority_id, now)
        done += 1
    return done


def _recount_elsewhere(authority_id: int) -> bool:
    """Ask a Celery worker to count the authority's measures again, unless one was asked in the
    last :data:`MEASURES_CACHE_SECONDS`. False where there is no worker (tasks run in-process:
    the caller counts) or the broker cannot be reached."""
    from django.conf import settings
    from django.core.cache import cache

    if getattr(settings, "CELERY_TASK_ALWAYS_EAGER", False):
        return False
    flag = _loop_key(authority_id) + ":recounting"
    if not cache.add(flag, True, MEASURES_CACHE_SECONDS):
        return True  # already asked: the kept figures stand until it has counted
    from diogelu.sharing.tasks import recount_loop_measures

    try:
        recount_loop_measures.delay(authority_id)
    except Exception:
        import logging

        logging.getLogger(__name__).warning("loop measures: broker unavailable, counted here")
        cache.delete(flag)
        return False
    return True


def outcomes_shared_with_all(user: User, now: datetime.datetime) -> Measure:
    """Of the authority's decided reports received in the last year (:data:`MEASURE_WINDOW`),
    how many have shared every outcome with every recipient (``unshared_outcomes`` is empty)."""
    return _shared_with_all(_window_reports(user, now))


def _shared_with_all(window: Any) -> Measure:
    from diogelu.sharing.services import fully_shared_count

    reports = (
        window.filter(status__in=[ReportStatus.DECIDED, ReportStatus.CLOSED]).filter(
            Q(decision__needs_authorisation=False) | Q(decision__authorised_at__isnull=False)
        )  # Decision.is_final; reports without a decision fall out of the join
    )
    # Counted in SQL (issue 17): the Python form built every report's recipients and labels.
    return Measure(
        key="outcomes_shared",
        numerator=fully_shared_count(reports),
        denominator=reports.order_by().count(),
        rule="outcome.notify",
    )
