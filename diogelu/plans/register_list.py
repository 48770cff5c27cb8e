"""The children on the register, as a paged, filtered, sorted work list.

One page costs a fixed number of queries whatever the number of rows: the categories, the
conferences of each episode and the visits are read for the whole page at once and the deadlines
computed from them (the same rules as :mod:`diogelu.plans.due`).
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.core.paginator import Page, Paginator
from django.db.models import Prefetch, QuerySet

from diogelu import procedures
from diogelu.access.visibility import visible_person_q
from diogelu.conferences.access import is_conference_staff
from diogelu.conferences.models import (
    Category,
    ConferenceChild,
    ConferenceKind,
    ConferenceStatus,
    RegisterCategory,
    RegisterEpisode,
)
from diogelu.people.models import Person
from diogelu.plans.due import VisitDue, VisitFacts, visit_dues
from diogelu.plans.models import Plan, Visit

if TYPE_CHECKING:
    from diogelu.accounts.models import User

PAGE_SIZE = 25
SORTS: dict[str, tuple[str, ...]] = {
    "registered": ("-started_at", "-pk"),
    "oldest": ("started_at", "pk"),
    "name": ("person__family_name", "person__given_name", "pk"),
}


@dataclass(frozen=True)
class RegisterRow:
    episode: RegisterEpisode
    person: Person
    categories: list[str]
    lead: Any
    review: procedures.Timeliness
    visits: list[VisitDue]
    plan_id: int | None

    @property
    def next_visit(self) -> VisitDue | None:
        pending = [v for v in self.visits if v.timeliness.status is not procedures.Status.MET]
        return min(pending, key=lambda v: v.due.due_at) if pending else None

    @property
    def overdue_visits(self) -> int:
        return sum(1 for v in self.visits if v.is_overdue)


def may_see_register_list(user: User) -> bool:
    return is_conference_staff(user)


def register_episodes(
    user: User, *, category: str = "", mine: bool = False, sort: str = "registered"
) -> QuerySet[RegisterEpisode]:
    """Open register episodes of the people ``user`` may see (their own authority's)."""
    if not may_see_register_list(user):
        return RegisterEpisode.objects.none()
    # The rule of Person.objects.visible_to said of each episode's person, not "in the set of
    # everyone visible", which PostgreSQL built by reading the authority's 300,000 people at a
    # county (0.09 s of the list).
    episodes = RegisterEpisode.objects.filter(
        visible_person_q(user, "person"),
        ended_at__isnull=True,
        authority_id=user.agency_id,
        person__merged_into__isnull=True,
    )
    if category in Category.values:
        # An episode's current categories are one row each: no episode twice, so no DISTINCT
        # (which sorted whole rows).
        episodes = episodes.filter(
            pk__in=RegisterCategory.objects.filter(category=category, to_at__isnull=True).values(
                "episode_id"
            )
        )
    if mine:
        episodes = episodes.filter(lead_practitioner_id=user.pk)
    return episodes.order_by(*SORTS.get(sort, SORTS["registered"]))


def register_page(
    user: User,
    now: datetime.datetime,
    *,
    page: str | int = 1,
    category: str = "",
    mine: bool = False,
    sort: str = "registered",
) -> tuple[Page[Any], list[RegisterRow]]:
    episodes = (
        register_episodes(user, category=category, mine=mine, sort=sort)
        .select_related("person", "lead_practitioner", "conference")
        .prefetch_related(
            Prefetch(
                "categories",
                queryset=RegisterCategory.objects.filter(to_at__isnull=True),
                to_attr="open_categories",
            )
        )
    )
    found = Paginator(episodes, PAGE_SIZE).get_page(page)
    items = list(found.object_list)
    ids = [e.pk for e in items]
    places: dict[int, list[Any]] = defaultdict(list)
    for place in ConferenceChild.objects.filter(episode_id__in=ids).select_related("conference"):
        if place.episode_id is not None:
            places[place.episode_id].append(place.conference)
    seen: dict[int, list[VisitFacts]] = defaultdict(list)
    for v in Visit.objects.filter(episode_id__in=ids, child_seen=True):
        seen[v.episode_id].append(
            VisitFacts(v.visited_at, v.seen_alone, v.seen_at_home, v.bedroom_seen)
        )
    plans = dict(Plan.objects.filter(episode_id__in=ids).values_list("episode_id", "pk"))
    rows: list[RegisterRow] = []
    for e in items:
        registering = e.conference
        assert registering.held_at is not None
        reviews = [
            c for c in places[e.pk] if c.pk != registering.pk and c.kind == ConferenceKind.REVIEW
        ]
        held = [c.held_at for c in reviews if c.status == ConferenceStatus.HELD and c.held_at]
        booked = [
            c.scheduled_for
            for c in reviews
            if c.status == ConferenceStatus.CONVENED and c.scheduled_for is not None
        ]
        cycle_start = max(held) if held else registering.held_at
        visits = visit_dues(
            registered_at=e.started_at,
            visits=seen[e.pk],
            cycle_start=cycle_start,
            first_cycle=not held,
            now=now,
            booked_review=min(booked) if booked else None,
        )
        rows.append(
            RegisterRow(
                episode=e,
                person=e.person,
                categories=sorted(c.category for c in getattr(e, "open_categories", [])),
                lead=e.lead_practitioner,
                review=procedures.timeliness(
                    procedures.next_review(registering.held_at, held), now
                ),
                visits=visits,
                plan_id=plans.get(e.pk),
            )
        )
    return found, rows
