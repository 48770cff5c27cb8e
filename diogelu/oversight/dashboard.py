"""The team dashboard and the service view: figures per team, computed for all the teams asked
for at once, so the number of queries does not depend on the number of teams, workers or
children. Each figure has a list behind it (``figure_people`` / ``figure_workers``), filtered to
what the viewer may see.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db.models import F, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from diogelu import procedures
from diogelu.access.visibility import hidden_person_ids, visible_person_ids
from diogelu.oversight.caseloads import WorkerLoad, worker_loads
from diogelu.oversight.models import (
    Allocation,
    OversightRating,
    SupervisionAction,
    Worker,
)
from diogelu.oversight.verification import supervision_dues
from diogelu.oversight.workforce_measures import AUTHORITY, Measures, workforce_measures

if TYPE_CHECKING:
    from diogelu.accounts.models import Team, User

#: The figures with a list of children behind them, and those with a list of workers.
CHILD_FIGURES = ("unallocated", "overdue_visits", "changes", "oversight_due", "actions_overdue")
WORKER_FIGURES = ("over_ceiling", "supervision_overdue", "agency", "lapsing")


@dataclass
class TeamFigures:
    team: Team
    loads: list[WorkerLoad] = field(default_factory=list)
    unallocated: set[int] = field(default_factory=set)
    overdue_visits: set[int] = field(default_factory=set)
    changes: int = 0
    changed_children: set[int] = field(default_factory=set)
    oversight_due: set[int] = field(default_factory=set)
    supervision_overdue: list[int] = field(default_factory=list)
    actions_overdue: list[int] = field(default_factory=list)
    actions_overdue_children: set[int] = field(default_factory=set)
    actions_due: int = 0
    actions_on_time: int = 0
    measures: Measures = field(default_factory=Measures)

    @property
    def over_ceiling(self) -> list[WorkerLoad]:
        return [x for x in self.loads if x.over]

    @property
    def points(self) -> int:
        return sum(x.points for x in self.loads)

    @property
    def ceiling(self) -> int:
        return sum(x.ceiling for x in self.loads)

    @property
    def on_time_percent(self) -> int | None:
        return round(100 * self.actions_on_time / self.actions_due) if self.actions_due else None

    @property
    def agency_rate(self) -> Decimal | None:
        return self.measures.agency_rate_fte


class _Visible:
    """Whether the viewer may see a child of the teams' cases, without listing every person the
    viewer may see (300,000 ids at a county, read on every dashboard): for the authority's own
    staff, every child of its cases is of the authority, so "visible" is "not one of its few
    hidden (restricted) records"; anyone else is checked against what they may see."""

    def __init__(self, viewer: User) -> None:
        self.hidden: set[int] | None = None
        self.visible: set[int] = set()
        if viewer.is_local_authority_staff:
            self.hidden = set(hidden_person_ids(viewer).values_list("pk", flat=True))
        else:
            self.visible = set(visible_person_ids(viewer).values_list("pk", flat=True))

    def __contains__(self, person_id: object) -> bool:
        if self.hidden is not None:
            return person_id not in self.hidden
        return person_id in self.visible


def _visible(viewer: User) -> _Visible:
    return _Visible(viewer)


#: How long the service view and the lists behind its figures reuse figures once counted (ADR
#: 0816). The team dashboard, which a team manager works from, is always counted afresh.
FIGURES_CACHE_SECONDS = 300


@dataclass
class Counted:
    """Figures for some teams, the authority's workforce measures, and when they were counted."""

    figures: dict[int, TeamFigures]
    measures: dict[int | str, Measures]
    counted_at: datetime.datetime


def counted_figures(
    viewer: User, teams: Iterable[Team], now: datetime.datetime | None = None
) -> Counted:
    """:func:`team_figures` and the last year's :func:`workforce_measures` for the service view
    and the lists behind its figures, as counted in the last :data:`FIGURES_CACHE_SECONDS`
    (counted now if not).

    Kept in the shared cache under the viewer's authority, the teams, and what the viewer may
    not see (their authority's hidden records that they are not named on), so two viewers share
    figures only when the figures would be the same for both. At a county every figure together
    took 0.3 s of each request (issue 17)."""
    import hashlib

    from django.core.cache import cache

    moment = now or timezone.now()
    team_list = list(teams)
    today = timezone.localdate(moment)

    def count() -> Counted:
        year_start = today - datetime.timedelta(days=364)
        return Counted(
            figures=team_figures(viewer, team_list, moment),
            measures=workforce_measures(viewer.agency_id or 0, start=year_start, end=today),
            counted_at=moment,
        )

    if FIGURES_CACHE_SECONDS <= 0 or not viewer.is_local_authority_staff:
        return count()
    hidden = sorted(hidden_person_ids(viewer, moment).values_list("pk", flat=True))
    sight = hashlib.sha256(",".join(map(str, hidden)).encode()).hexdigest()[:16]
    teams_key = ",".join(str(t.pk) for t in sorted(team_list, key=lambda t: t.pk))
    key = (
        f"oversight:figures:v1:{viewer.agency_id}:{today}:{sight}:"
        + hashlib.sha256(teams_key.encode()).hexdigest()[:16]
    )
    found = cache.get(key)
    if isinstance(found, Counted) and (
        found.counted_at
        <= moment
        < found.counted_at + datetime.timedelta(seconds=FIGURES_CACHE_SECONDS)
    ):
        return found
    counted = count()
    cache.set(key, counted, FIGURES_CACHE_SECONDS)
    return counted


def allocation_figures(
    viewer: User, teams: Iterable[Team], now: datetime.datetime | None = None
) -> dict[int, TeamFigures]:
    """Only the figures read from the teams' current allocations: the unallocated children and
    those overdue for management oversight. A manager's My work shows these two, and counting
    every figure there cost a tenth of a second at a county (issue 17)."""
    figures = {t.pk: TeamFigures(team=t) for t in teams}
    _allocation_figures(figures, _visible(viewer), now or timezone.now())
    return figures


def _allocation_figures(
    figures: dict[int, TeamFigures], visible: _Visible, moment: datetime.datetime
) -> dict[int, int]:
    """Fill ``figures``' unallocated and oversight-due children; return each visible open
    child's team."""
    # One read of the teams' current allocations, each with its child's latest review date
    # (two reads of the same rows before).
    latest = OversightRating.objects.filter(person_id=OuterRef("case__person_id")).order_by(
        "-set_at", "-id"
    )
    current = (
        Allocation.objects.filter(
            ended_at__isnull=True, case__closed_at__isnull=True, team_id__in=list(figures)
        )
        .annotate(review_due=Subquery(latest.values("review_due_at")[:1]))
        .values_list("team_id", "case__person_id", "worker_id", "review_due")
    )
    open_children: dict[int, int] = {}
    for team_id, person_id, worker_id, review_due in current:
        if person_id not in visible:
            continue
        open_children[person_id] = team_id
        if worker_id is None:
            figures[team_id].unallocated.add(person_id)
        if review_due is not None and review_due < moment:
            figures[team_id].oversight_due.add(person_id)
    return open_children


def team_figures(
    viewer: User, teams: Iterable[Team], now: datetime.datetime | None = None
) -> dict[int, TeamFigures]:
    """Every dashboard figure for ``teams`` (of the viewer's authority)."""
    moment = now or timezone.now()
    today = timezone.localdate(moment)
    authority_id = viewer.agency_id or 0
    figures = {t.pk: TeamFigures(team=t) for t in teams}
    ids = list(figures)
    visible = _visible(viewer)

    for load in worker_loads(authority_id, team_ids=ids, on=today):
        figures[load.team_id or load.worker.team_id].loads.append(load)

    open_children = _allocation_figures(figures, visible, moment)

    # Statutory visits: a registered child not seen alone within the rule's interval.
    from diogelu.conferences.models import RegisterEpisode
    from diogelu.plans.models import Visit

    last_seen = (
        Visit.objects.filter(person_id=OuterRef("person_id"), seen_alone=True)
        .order_by("-visited_at")
        .values("visited_at")[:1]
    )
    for person_id, started_at, seen_at in (
        RegisterEpisode.objects.filter(ended_at__isnull=True, person_id__in=list(open_children))
        .annotate(seen=Subquery(last_seen))
        .values_list("person_id", "started_at", "seen")
    ):
        due = procedures.due_after_latest(
            "visit.seen_alone", [seen_at] if seen_at else [], anchor=started_at
        )
        if due.due_at < moment:
            figures[open_children[person_id]].overdue_visits.add(person_id)

    year_ago = moment - datetime.timedelta(days=365)
    for team_id, person_id in (
        Allocation.objects.filter(
            team_id__in=ids,
            started_at__gte=year_ago,
            worker__isnull=False,
            previous_worker__isnull=False,
        )
        .exclude(worker_id=F("previous_worker_id"))
        .values_list("team_id", "case__person_id")
    ):
        if person_id in visible:
            figures[team_id].changes += 1
            figures[team_id].changed_children.add(person_id)

    workers = Worker.objects.filter(authority_id=authority_id, team_id__in=ids)
    for sdue in supervision_dues(workers, today):
        if sdue.is_overdue(today):
            figures[sdue.worker.team_id].supervision_overdue.append(sdue.worker.pk)

    team_of_user = dict(workers.values_list("user_id", "team_id"))
    actions = SupervisionAction.objects.filter(supervision__worker_id__in=list(team_of_user))
    # One read of the actions past their due date, each with when the record showed it done,
    # for both figures: those still not done, and the share done on time (two reads of the
    # same five years of actions before, issue 17).
    _past_actions(figures, actions, today, team_of_user, visible)

    measures = workforce_measures(authority_id, start=today, end=today, team_ids=ids)
    for key, m in measures.items():
        if key != AUTHORITY and key in figures:
            figures[int(key)].measures = m
    return figures


def _past_actions(
    figures: dict[int, TeamFigures],
    actions: QuerySet[SupervisionAction],
    today: datetime.date,
    team_of_user: dict[int, int],
    visible: _Visible,
) -> None:
    """Fill ``figures``' overdue supervision actions (those the viewer may see) and the share
    of actions done on time, from one read of the actions past their due date (as
    :func:`~diogelu.oversight.verification.overdue_actions` and ``on_time_share``)."""
    from diogelu.oversight.verification import with_evidence

    for action_id, worker_id, person_id, due_on, evidence_at in with_evidence(  # type: ignore[misc]
        actions.filter(due_on__lt=today)
    ).values_list("pk", "supervision__worker_id", "person_id", "due_on", "evidence_at"):
        fig = figures[team_of_user[worker_id]]
        fig.actions_due += 1
        if evidence_at is not None:
            if timezone.localdate(evidence_at) <= due_on:
                fig.actions_on_time += 1
            continue
        if person_id is not None and person_id not in visible:
            continue
        fig.actions_overdue.append(action_id)
        if person_id is not None:
            fig.actions_overdue_children.add(person_id)


def totals(figures: dict[int, TeamFigures]) -> dict[str, Any]:
    rows = list(figures.values())
    due = sum(f.actions_due for f in rows)
    on_time = sum(f.actions_on_time for f in rows)
    return {
        "workers": sum(len(f.loads) for f in rows),
        "points": sum(f.points for f in rows),
        "ceiling": sum(f.ceiling for f in rows),
        "over_ceiling": sum(len(f.over_ceiling) for f in rows),
        "unallocated": sum(len(f.unallocated) for f in rows),
        "overdue_visits": sum(len(f.overdue_visits) for f in rows),
        "changes": sum(f.changes for f in rows),
        "oversight_due": sum(len(f.oversight_due) for f in rows),
        "supervision_overdue": sum(len(f.supervision_overdue) for f in rows),
        "actions_overdue": sum(len(f.actions_overdue) for f in rows),
        "on_time_percent": round(100 * on_time / due) if due else None,
    }


def figure_people(figures: dict[int, TeamFigures], figure: str) -> set[int]:
    """The ids of the children behind a figure (already limited to what the viewer may see)."""
    found: set[int] = set()
    for f in figures.values():
        if figure == "unallocated":
            found |= f.unallocated
        elif figure == "overdue_visits":
            found |= f.overdue_visits
        elif figure == "changes":
            found |= f.changed_children
        elif figure == "oversight_due":
            found |= f.oversight_due
        elif figure == "actions_overdue":
            found |= f.actions_overdue_children
    return found


def figure_workers(figures: dict[int, TeamFigures], figure: str) -> list[WorkerLoad]:
    """The workers behind a figure, with their loads."""
    found: list[WorkerLoad] = []
    for f in figures.values():
        for load in f.loads:
            w = load.worker
            if (
                (figure == "over_ceiling" and load.over)
                or (figure == "supervision_overdue" and w.pk in f.supervision_overdue)
                or (figure == "agency" and getattr(w, "is_agency", False))
                or (figure == "lapsing" and w.pk in f.measures.lapsing_worker_ids)
            ):
                found.append(load)
    return found


def agency_worker_ids(authority_id: int, day: datetime.date) -> set[int]:
    from diogelu.oversight.models import Contract, ContractKind

    return set(
        Contract.objects.filter(
            worker__authority_id=authority_id, kind=ContractKind.AGENCY, starts_on__lte=day
        )
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=day))
        .values_list("worker_id", flat=True)
    )
