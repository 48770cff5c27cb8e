"""Workforce measures by team and for the authority, for any date or period (set-based).

Definitions (docs/oversight.md has a worked example):

* **In post on a day**: a worker whose start date is on or before the day, whose leaving date (their
  last day) is empty or on or after it, and who has a contract covering the day. Headcount counts
  them; FTE sums their contracts' FTE on the day.
* **Agency rate**: agency contracts' FTE (headcount) as a percentage of all FTE (headcount) in post.
* **Vacancy rate**: the FTE of established posts with no holder on the day, as a percentage of the
  FTE of all posts established on the day.
* **Starters / leavers**: workers whose start date / leaving date falls in the period.
* **Turnover**: leavers in the period as a percentage of the average of the headcount on the first
  and last day of the period.
* **Absence**: calendar days of absence falling in the period (each absence clipped to it), and
  those days per FTE in post on the last day.
* **Registrations lapsing**: workers in post on the last day whose Social Care Wales registration
  renewal date falls within the next 60 days (from the last day, inclusive), or has passed.

Each measure is one grouped query, so the number of queries does not grow with the workforce.
A worker counts in the team they were in on the day that matters (``TeamMembership``): headcount
and FTE on the day; a starter in their first team, a leaver in their last; an absence in the team
of its first day in the period; a lapsing registration in the team on the last day.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import (
    BigIntegerField,
    Count,
    DateField,
    Exists,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce, Greatest

from diogelu.oversight.models import (
    Absence,
    Contract,
    ContractKind,
    Post,
    PostHolding,
    TeamMembership,
    Worker,
)

LAPSING_WITHIN_DAYS = 60
AUTHORITY = "authority"


@dataclass
class Measures:
    headcount: int = 0
    fte: Decimal = Decimal("0")
    agency_headcount: int = 0
    agency_fte: Decimal = Decimal("0")
    established_fte: Decimal = Decimal("0")
    vacant_fte: Decimal = Decimal("0")
    vacant_posts: int = 0
    starters: int = 0
    leavers: int = 0
    headcount_at_start: int = 0
    absence_days: int = 0
    registrations_lapsing: int = 0
    lapsing_worker_ids: list[int] = field(default_factory=list)

    @staticmethod
    def _pct(part: Decimal | int, whole: Decimal | int) -> Decimal | None:
        if not whole:
            return None
        return (Decimal(part) * 100 / Decimal(whole)).quantize(
            Decimal("0.1"), rounding=ROUND_HALF_UP
        )

    @property
    def agency_rate_fte(self) -> Decimal | None:
        return self._pct(self.agency_fte, self.fte)

    @property
    def agency_rate_headcount(self) -> Decimal | None:
        return self._pct(self.agency_headcount, self.headcount)

    @property
    def vacancy_rate(self) -> Decimal | None:
        return self._pct(self.vacant_fte, self.established_fte)

    @property
    def turnover(self) -> Decimal | None:
        average = Decimal(self.headcount_at_start + self.headcount) / 2
        return self._pct(self.leavers, average) if average else None

    @property
    def absence_days_per_fte(self) -> Decimal | None:
        if not self.fte:
            return None
        return (Decimal(self.absence_days) / self.fte).quantize(
            Decimal("0.1"), rounding=ROUND_HALF_UP
        )

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        for name in (
            "agency_rate_fte",
            "agency_rate_headcount",
            "vacancy_rate",
            "turnover",
            "absence_days_per_fte",
        ):
            data[name] = getattr(self, name)
        return data


def team_on(worker: str, day: Any, current: str) -> Coalesce:
    """The team of the worker ``worker`` (a reference from the outer query, e.g. "worker_id")
    on ``day`` (a date, or an expression of the outer query), from their dated team periods;
    the current team ``current`` (e.g. "worker__team_id") where no period covers the day."""
    period = (
        TeamMembership.objects.filter(worker_id=OuterRef(worker), starts_on__lte=day)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=day))
        .order_by("-starts_on")
        .values("team_id")[:1]
    )
    return Coalesce(Subquery(period), F(current), output_field=BigIntegerField())


def _in_post(day: datetime.date) -> Q:
    return Q(worker__started_on__lte=day) & (
        Q(worker__left_on__isnull=True) | Q(worker__left_on__gte=day)
    )


def _contracts_on(authority_id: int, day: datetime.date) -> QuerySet[Contract]:
    return (
        Contract.objects.filter(worker__authority_id=authority_id, starts_on__lte=day)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=day))
        .filter(_in_post(day))
    )


def _headcounts(
    authority_id: int, day: datetime.date, workers: Any | None = None
) -> list[dict[str, Any]]:
    contracts = _contracts_on(authority_id, day)
    if workers is not None:
        contracts = contracts.filter(worker_id__in=workers)
    return list(
        contracts.annotate(team_then=team_on("worker_id", day, "worker__team_id"))
        .values("team_then")
        .annotate(
            headcount=Count("worker_id", distinct=True),
            fte_total=Sum("fte"),
            agency_headcount=Count("worker_id", filter=Q(kind=ContractKind.AGENCY), distinct=True),
            agency_fte_total=Sum("fte", filter=Q(kind=ContractKind.AGENCY)),
        )
        .order_by()
    )


def workforce_measures(
    authority_id: int,
    *,
    start: datetime.date,
    end: datetime.date,
    team_ids: Iterable[int] | None = None,
) -> dict[int | str, Measures]:
    """The measures for the period ``start``..``end`` (both inclusive; point-in-time measures on
    ``end``), by team id and for the whole authority (key ``"authority"``). For a single date,
    pass the same ``start`` and ``end``."""
    wanted = set(team_ids) if team_ids is not None else None
    by_team: dict[int | str, Measures] = defaultdict(Measures)
    # For some teams, only the workers who are or were ever in them are read (each row's team
    # on the day is still worked out, and ``add`` keeps the wanted teams'): a team's dashboard
    # read the whole authority's workforce (issue 17).
    among: Any | None = None
    if wanted is not None:
        among = (
            Worker.objects.filter(authority_id=authority_id)
            .filter(
                Q(team_id__in=wanted)
                | Q(pk__in=TeamMembership.objects.filter(team_id__in=wanted).values("worker_id"))
            )
            .values("pk")
        )

    def add(team_id: int | None, **values: Any) -> None:
        if team_id is None or (wanted is not None and team_id not in wanted):
            return
        for target in (by_team[team_id], by_team[AUTHORITY]):
            for name, value in values.items():
                if isinstance(value, Decimal | float):
                    value = Decimal(str(value)).quantize(Decimal("0.01"))
                setattr(target, name, getattr(target, name) + (value or 0))

    at_end = _headcounts(authority_id, end, among)
    for row in at_end:
        add(
            row["team_then"],
            headcount=row["headcount"],
            fte=row["fte_total"],
            agency_headcount=row["agency_headcount"],
            agency_fte=row["agency_fte_total"],
        )
    # For a single day (a team's dashboard) the headcount at the start is the one just read.
    for row in at_end if start == end else _headcounts(authority_id, start, among):
        add(row["team_then"], headcount_at_start=row["headcount"])

    held = PostHolding.objects.filter(post_id=OuterRef("pk"), starts_on__lte=end).filter(
        Q(ends_on__isnull=True) | Q(ends_on__gte=end)
    )
    posts = (
        Post.objects.filter(team__agency_id=authority_id, established_on__lte=end)
        .filter(Q(disestablished_on__isnull=True) | Q(disestablished_on__gt=end))
        .filter(Q(team_id__in=wanted) if wanted is not None else Q())
        .annotate(filled=Exists(held))
        .values("team_id")
        .annotate(
            established=Sum("fte"),
            vacant=Sum("fte", filter=Q(filled=False)),
            vacant_posts=Count("pk", filter=Q(filled=False)),
        )
        .order_by()
    )
    for row in posts:
        add(
            row["team_id"],
            established_fte=row["established"],
            vacant_fte=row["vacant"],
            vacant_posts=row["vacant_posts"],
        )

    workers = Worker.objects.filter(authority_id=authority_id)
    if among is not None:
        workers = workers.filter(pk__in=among)
    for row in (
        workers.filter(started_on__gte=start, started_on__lte=end)
        .annotate(team_then=team_on("pk", OuterRef("started_on"), "team_id"))
        .values("team_then")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        add(row["team_then"], starters=row["n"])
    for row in (
        workers.filter(left_on__gte=start, left_on__lte=end)
        .annotate(team_then=team_on("pk", OuterRef("left_on"), "team_id"))
        .values("team_then")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        add(row["team_then"], leavers=row["n"])

    first_day = Greatest(OuterRef("starts_on"), Value(start, output_field=DateField()))
    for team_id, a_start, a_end in (
        Absence.objects.filter(
            worker__authority_id=authority_id, starts_on__lte=end, ends_on__gte=start
        )
        .filter(Q(worker_id__in=among) if among is not None else Q())
        .annotate(team_then=team_on("worker_id", first_day, "worker__team_id"))
        .values_list("team_then", "starts_on", "ends_on")
    ):
        days = (min(a_end, end) - max(a_start, start)).days + 1
        add(team_id, absence_days=days)

    horizon = end + datetime.timedelta(days=LAPSING_WITHIN_DAYS)
    lapsing = (
        workers.filter(scw_renewal_on__lte=horizon, started_on__lte=end)
        .filter(Q(left_on__isnull=True) | Q(left_on__gte=end))
        .annotate(team_then=team_on("pk", end, "team_id"))
        .values_list("team_then", "pk")
    )
    for team_id, worker_id in lapsing:
        if wanted is None or team_id in wanted:
            by_team[team_id].lapsing_worker_ids.append(worker_id)
            by_team[AUTHORITY].lapsing_worker_ids.append(worker_id)
        add(team_id, registrations_lapsing=1)
    by_team.setdefault(AUTHORITY, Measures())
    return dict(by_team)
