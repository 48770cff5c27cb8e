"""Weighted caseloads: points per case from its live state, each worker's load against their
ceiling. Set-based: a fixed number of queries whatever the number of workers and cases.

A case's points are the highest of the points of the states it is in (a registered child in
proceedings counts as proceedings, not both), from the weighting table in force. A worker's
ceiling is the table's ceiling (the first-year ceiling while newly qualified) times their FTE on
the day, less their extra duty points.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from diogelu.oversight.models import (
    Allocation,
    CaseStage,
    Contract,
    WeightingTable,
    Worker,
)
from diogelu.oversight.workforce_measures import team_on

#: The states a case is weighted by, in the order they are shown.
STATES = (
    "assessment",
    "early_help",
    "care_and_support",
    "looked_after",
    "registered",
    "s47_open",
    "proceedings",
)
DEFAULT_POINTS: dict[str, int] = {
    "assessment": 6,
    "early_help": 4,
    "care_and_support": 6,
    "looked_after": 8,
    "registered": 8,
    "s47_open": 10,
    "proceedings": 12,
}


def state_labels() -> dict[str, Any]:
    """The weighted states with their names, in order (translated when shown)."""
    from django.utils.translation import gettext_lazy as _

    return {
        "assessment": _("Assessment"),
        "early_help": _("Early help"),
        "care_and_support": _("Care and support"),
        "looked_after": _("Looked after"),
        "registered": _("On the child protection register"),
        "s47_open": _("Section 47 enquiry open"),
        "proceedings": _("In proceedings"),
    }


DEFAULT_CEILING = 100
DEFAULT_FIRST_YEAR_CEILING = 90

_STAGE_STATE = {
    CaseStage.ASSESSMENT: "assessment",
    CaseStage.EARLY_HELP: "early_help",
    CaseStage.CARE_AND_SUPPORT: "care_and_support",
    CaseStage.CHILD_PROTECTION: "registered",
    CaseStage.LOOKED_AFTER: "looked_after",
}


@dataclass(frozen=True)
class Table:
    version: int
    points: dict[str, int]
    ceiling: int
    first_year_ceiling: int


def table_in_force(authority_id: int, at: datetime.datetime | None = None) -> Table:
    """The authority's weighting table in force at ``at`` (Diogelu's defaults, version 0, if the
    authority has set none)."""
    moment = at or timezone.now()
    row = (
        WeightingTable.objects.filter(authority_id=authority_id, effective_from__lte=moment)
        .order_by("-version")
        .first()
    )
    if row is None:
        return Table(0, dict(DEFAULT_POINTS), DEFAULT_CEILING, DEFAULT_FIRST_YEAR_CEILING)
    points = {**DEFAULT_POINTS, **{k: int(v) for k, v in dict(row.points).items()}}
    return Table(row.version, points, row.ceiling, row.first_year_ceiling)


def case_states(stage: str, *, registered: bool, s47_open: bool, proceedings: bool) -> list[str]:
    states = [_STAGE_STATE.get(CaseStage(stage), "assessment")]
    if registered:
        states.append("registered")
    if s47_open:
        states.append("s47_open")
    if proceedings:
        states.append("proceedings")
    return states


def case_points(states: Iterable[str], table: Table) -> int:
    return max((table.points.get(s, 0) for s in states), default=0)


def live_allocations(authority_id: int) -> QuerySet[Allocation]:
    """Current worker allocations of open cases, annotated with the live state of the child."""
    from diogelu.conferences.models import RegisterEpisode
    from diogelu.enquiries.models import Section47Enquiry

    registered = RegisterEpisode.objects.filter(
        person_id=OuterRef("case__person_id"), ended_at__isnull=True
    )
    s47 = Section47Enquiry.objects.filter(
        person_id=OuterRef("case__person_id"), determined_at__isnull=True
    )
    return Allocation.objects.filter(
        case__authority_id=authority_id,
        case__closed_at__isnull=True,
        ended_at__isnull=True,
        worker__isnull=False,
    ).annotate(registered=Exists(registered), s47_open=Exists(s47))


def fte_on(day: datetime.date) -> Subquery:
    """A subquery of a worker's FTE on ``day`` (their contract covering it; contracts never
    overlap)."""
    return Subquery(
        Contract.objects.filter(worker_id=OuterRef("pk"), starts_on__lte=day)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=day))
        .values("fte")[:1]
    )


@dataclass
class WorkerLoad:
    worker: Worker
    fte: Decimal
    cases: int = 0
    points: int = 0
    ceiling: int = 0
    first_year: bool = False
    case_points: list[tuple[int, int]] = field(default_factory=list)
    #: The worker's team on the day of the loads (their dated team period); None: current team.
    team_id: int | None = None

    def __post_init__(self) -> None:
        if self.team_id is None:
            self.team_id = self.worker.team_id

    @property
    def percent(self) -> int:
        return round(100 * self.points / self.ceiling) if self.ceiling else 0

    @property
    def over(self) -> bool:
        return self.points > self.ceiling

    @property
    def headroom(self) -> int:
        return self.ceiling - self.points


def worker_loads(
    authority_id: int,
    *,
    team_ids: Iterable[int] | None = None,
    on: datetime.date | None = None,
    include_leavers: bool = False,
) -> list[WorkerLoad]:
    """Each case-holding worker's load against their ceiling (two queries, plus the table), with
    the team they were in ``on`` the day (``team_ids`` filters by it)."""
    day = on or timezone.localdate()
    table = table_in_force(authority_id)
    workers = (
        Worker.objects.filter(authority_id=authority_id, holds_cases=True)
        .select_related("user", "team")
        .annotate(fte_now=fte_on(day), team_then=team_on("pk", day, "team_id"))
        .order_by("team__name", "user__last_name", "user__first_name")
    )
    if team_ids is not None:
        workers = workers.filter(team_then__in=list(team_ids))
    if not include_leavers:
        workers = workers.filter(Q(left_on__isnull=True) | Q(left_on__gte=day))
    loads: dict[int, WorkerLoad] = {}
    for w in workers:
        fte = Decimal(str(w.fte_now or 0)).quantize(Decimal("0.01"))
        first_year = w.is_first_year(day)
        base = table.first_year_ceiling if first_year else table.ceiling
        ceiling = max(0, int((Decimal(base) * fte).to_integral_value()) - w.extra_duty_points)
        loads[w.user_id] = WorkerLoad(
            worker=w, fte=fte, ceiling=ceiling, first_year=first_year, team_id=w.team_then
        )
    rows: Iterable[dict[str, Any]] = (
        live_allocations(authority_id)  # type: ignore[misc]
        .filter(worker_id__in=list(loads))
        .values(
            "worker_id", "case_id", "case__stage", "case__in_proceedings", "registered", "s47_open"
        )
    )
    for row in rows:
        load = loads[row["worker_id"]]
        pts = case_points(
            case_states(
                row["case__stage"],
                registered=row["registered"],
                s47_open=row["s47_open"],
                proceedings=row["case__in_proceedings"],
            ),
            table,
        )
        load.cases += 1
        load.points += pts
        load.case_points.append((row["case_id"], pts))
    return list(loads.values())
