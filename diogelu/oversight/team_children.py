"""The team's allocated children (issue 10): one row per child open to the team, with the
worker, case stage, weighted points, last and next statutory visit, oversight RAG and its next
review, and when the child was last discussed in supervision. Filter by worker and RAG, sort by
column, paged; the cost of a page does not depend on how many children the team has (a fixed
number of queries: the page's rows are annotated in SQL, the points and visit dues computed for
the page only)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db.models import Exists, F, OuterRef, QuerySet, Subquery

from diogelu import procedures
from diogelu.oversight.caseloads import case_points, case_states, table_in_force
from diogelu.oversight.models import Allocation, OversightRating, SupervisionChild

if TYPE_CHECKING:
    from diogelu.accounts.models import Team

#: Sortable columns: name on the page → the ordering (nulls last).
SORTS: dict[str, tuple[str, ...]] = {
    "name": ("case__person__family_name", "case__person__given_name"),
    "worker": ("worker__last_name", "worker__first_name"),
    "stage": ("case__stage",),
    "last_visit": ("last_visit",),
    "rating": ("rating",),
    "oversight_due": ("review_due",),
    "supervised": ("last_supervised",),
}


@dataclass
class ChildRow:
    allocation: Allocation
    points: int
    next_visit_due: datetime.datetime | None


def rows_query(allocations: QuerySet[Allocation]) -> QuerySet[Allocation]:
    """``allocations`` annotated with what the list shows (one query for any number of rows)."""
    from diogelu.conferences.models import RegisterEpisode
    from diogelu.enquiries.models import Section47Enquiry
    from diogelu.plans.models import Visit

    person = OuterRef("case__person_id")
    latest = OversightRating.objects.filter(person_id=person).order_by("-set_at", "-id")
    episode = RegisterEpisode.objects.filter(person_id=person, ended_at__isnull=True)
    return allocations.select_related("case", "case__person", "worker").annotate(
        last_visit=Subquery(
            Visit.objects.filter(person_id=person).order_by("-visited_at").values("visited_at")[:1]
        ),
        last_seen_alone=Subquery(
            Visit.objects.filter(person_id=person, seen_alone=True)
            .order_by("-visited_at")
            .values("visited_at")[:1]
        ),
        registered_at=Subquery(episode.order_by("-started_at").values("started_at")[:1]),
        registered=Exists(episode),
        s47_open=Exists(
            Section47Enquiry.objects.filter(person_id=person, determined_at__isnull=True)
        ),
        rating=Subquery(latest.values("rating")[:1]),
        review_due=Subquery(latest.values("review_due_at")[:1]),
        last_supervised=Subquery(
            SupervisionChild.objects.filter(person_id=person)
            .order_by("-supervision__held_on")
            .values("supervision__held_on")[:1]
        ),
    )


def ordered(qs: QuerySet[Allocation], sort: str, descending: bool) -> QuerySet[Allocation]:
    fields = SORTS.get(sort, SORTS["name"])
    order: list[Any] = [
        F(f).desc(nulls_last=True) if descending else F(f).asc(nulls_last=True) for f in fields
    ]
    return qs.order_by(*order, "pk")


def rows_for(page: Any, authority_id: int) -> list[ChildRow]:
    """The rows of one page, with weighted points and the next statutory visit due."""
    table = table_in_force(authority_id)
    rows = []
    for a in page:
        points = case_points(
            case_states(
                a.case.stage,
                registered=a.registered,
                s47_open=a.s47_open,
                proceedings=a.case.in_proceedings,
            ),
            table,
        )
        due = None
        if a.registered_at is not None:
            due = procedures.due_after_latest(
                "visit.seen_alone",
                [a.last_seen_alone] if a.last_seen_alone else [],
                anchor=a.registered_at,
            ).due_at
        rows.append(ChildRow(allocation=a, points=points if a.worker_id else 0, next_visit_due=due))
    return rows


def team_allocations(team: Team, cases: Any) -> QuerySet[Allocation]:
    """Current allocations (allocated or not) of the open cases among ``cases`` in ``team``."""
    return Allocation.objects.filter(
        team=team, ended_at__isnull=True, case__closed_at__isnull=True, case__in=cases
    )
