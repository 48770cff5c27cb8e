"""Supervision that can be verified: each action naming a practice step is checked against what
then happens in the child's record, and supervision frequency against the authority's rules.

An action is *done* when the record shows the step on or after the day of the supervision:

* visit the child — a statutory visit at which the child was seen;
* hold the core group — a core group meeting held;
* update the plan — a version of the child's plan published;
* convene the review — a review conference convened for the child.

Everything here is annotation on querysets (a fixed number of queries whatever the data size).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import (
    Case,
    DateTimeField,
    F,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from diogelu import procedures
from diogelu.oversight.models import PracticeStep, Supervision, SupervisionAction, Worker


def _first(qs: QuerySet[Any], field: str) -> Subquery:
    return Subquery(qs.order_by(field).values(field)[:1], output_field=DateTimeField())


def _found_in_record() -> Case:
    """When the record first showed the outer action's step done (None while it has not)."""
    from diogelu.conferences.models import Conference, ConferenceKind
    from diogelu.plans.models import CoreGroupMeeting, PlanVersion, Visit

    since = OuterRef("supervision__held_on")
    person = OuterRef("person_id")
    visit = _first(
        Visit.objects.filter(person_id=person, child_seen=True, visited_at__date__gte=since),
        "visited_at",
    )
    core = _first(
        CoreGroupMeeting.objects.filter(episode__person_id=person, held_at__date__gte=since),
        "held_at",
    )
    plan = _first(
        PlanVersion.objects.filter(
            plan__person_id=person, published_at__isnull=False, published_at__date__gte=since
        ),
        "published_at",
    )
    review = _first(
        Conference.objects.filter(
            kind=ConferenceKind.REVIEW, children__person_id=person, created_at__date__gte=since
        ),
        "created_at",
    )
    return Case(
        When(step=PracticeStep.VISIT, then=visit),
        When(step=PracticeStep.CORE_GROUP, then=core),
        When(step=PracticeStep.UPDATE_PLAN, then=plan),
        When(step=PracticeStep.CONVENE_REVIEW, then=review),
        default=Value(None, output_field=DateTimeField()),
        output_field=DateTimeField(),
    )


def with_evidence(actions: QuerySet[SupervisionAction]) -> QuerySet[SupervisionAction]:
    """Annotate ``evidence_at``: when the record first showed the action done (or when it was
    marked done by hand), None while it has not."""
    return actions.annotate(evidence_at=Coalesce(F("done_at"), _found_in_record()))


def overdue_actions(
    actions: QuerySet[SupervisionAction], today: datetime.date
) -> QuerySet[SupervisionAction]:
    """Actions past their due date that the record does not show done: not marked done, and
    nothing in the record since (the test alone, not selected: its four subqueries were built
    and compiled twice on every supervisor's My work)."""
    return (
        actions.filter(due_on__lt=today, done_at__isnull=True)
        .alias(evidence_found=_found_in_record())
        .filter(evidence_found__isnull=True)
    )


@dataclass(frozen=True)
class OnTime:
    due: int
    on_time: int

    @property
    def percent(self) -> int | None:
        return round(100 * self.on_time / self.due) if self.due else None


def on_time_share(actions: QuerySet[SupervisionAction], today: datetime.date) -> OnTime:
    """Of the actions whose due date has passed, how many the record showed done by the end of
    their due date (one query)."""
    rows = with_evidence(actions.filter(due_on__lt=today)).values_list("due_on", "evidence_at")  # type: ignore[misc]
    due = on_time = 0
    for due_on, evidence_at in rows:
        due += 1
        if evidence_at is not None and timezone.localdate(evidence_at) <= due_on:
            on_time += 1
    return OnTime(due, on_time)


@dataclass(frozen=True)
class SupervisionDue:
    worker: Worker
    last: datetime.date | None
    due_on: datetime.date
    rule: str

    def is_overdue(self, today: datetime.date) -> bool:
        return self.due_on < today


def supervision_dues(workers: QuerySet[Worker], today: datetime.date) -> list[SupervisionDue]:
    """When each worker's next supervision is due: the authority's interval (shorter in the
    first year in practice) from their last supervision, or from their start date (one query)."""
    last = (
        Supervision.objects.filter(worker_id=OuterRef("user_id"))
        .values("worker_id")
        .annotate(m=Max("held_on"))
        .values("m")
    )
    rows = (
        workers.filter(Q(left_on__isnull=True) | Q(left_on__gte=today))
        .annotate(last_held=Subquery(last[:1]))
        .select_related("user", "team")
    )
    result = []
    for w in rows:
        rule = (
            "supervision.interval_first_year" if w.is_first_year(today) else "supervision.interval"
        )
        start = w.last_held or w.started_on
        due = procedures.due(rule, start)
        result.append(SupervisionDue(worker=w, last=w.last_held, due_on=due.due_on, rule=rule))
    return sorted(result, key=lambda d: d.due_on)
