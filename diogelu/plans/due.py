"""When statutory visits are next due, for pages and work queues (the next core group and review
conference are the register's: ``conferences/due.py``, re-exported here).

:func:`visit_dues` is pure: the facts of an episode in, one :class:`VisitDue` per visit rule out.
The other functions read the database (never write) and call it.

* ``visit.seen_alone`` — 10 working days from the last visit where the child was seen alone, or
  from registration if there has been none in this episode.
* ``visit.seen_at_home`` — 4 weeks from the last visit where the child was seen at home, or from
  registration.
* ``visit.bedroom`` — once in each review cycle: by the latest date of the next review conference
  counted from the conference that began the cycle (``review.first`` after the registering
  conference, ``review.interval`` after a review), or by the booked review if that is earlier.
"""

from __future__ import annotations

import datetime
import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from django.utils import timezone

from diogelu import procedures
from diogelu.conferences.due import core_group_due as core_group_due
from diogelu.conferences.due import episode_conference_places, prefetch_conference_places
from diogelu.conferences.due import review_due as review_due

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from diogelu.accounts.models import User
    from diogelu.conferences.models import RegisterEpisode
    from diogelu.people.models import Person

VISIT_RULES = ("visit.seen_alone", "visit.seen_at_home", "visit.bedroom")


@dataclass(frozen=True)
class VisitFacts:
    visited_at: datetime.datetime
    seen_alone: bool
    seen_at_home: bool
    bedroom_seen: bool


@dataclass(frozen=True)
class VisitDue:
    """The next deadline of one visit rule for one registered child, and where it stands."""

    rule: str
    due: procedures.Due
    last: datetime.datetime | None
    timeliness: procedures.Timeliness
    episode_id: int | None = None
    person_id: int | None = None

    @property
    def is_overdue(self) -> bool:
        return self.timeliness.status is procedures.Status.OVERDUE


def visit_dues(
    *,
    registered_at: datetime.datetime,
    visits: Iterable[VisitFacts],
    cycle_start: datetime.datetime,
    first_cycle: bool,
    now: datetime.datetime,
    booked_review: datetime.datetime | None = None,
    only_overdue: bool = False,
) -> list[VisitDue]:
    """The three visit deadlines at ``now`` (pure).

    ``cycle_start`` is the held date of the conference that began the current review cycle
    (``first_cycle`` if that was the registering conference). ``only_overdue`` leaves out the
    deadlines that are not overdue without working out where they stand (a manager's queue
    asks this of every registered child of the authority).
    """
    facts: Sequence[VisitFacts] = sorted(visits, key=lambda v: v.visited_at)
    result: list[VisitDue] = []
    for rule, seen in (
        ("visit.seen_alone", [v.visited_at for v in facts if v.seen_alone]),
        ("visit.seen_at_home", [v.visited_at for v in facts if v.seen_at_home]),
    ):
        due = procedures.due_after_latest(rule, seen, anchor=registered_at)
        if only_overdue and due.due_at >= now:
            continue
        result.append(
            VisitDue(
                rule=rule,
                due=due,
                last=seen[-1] if seen else None,
                timeliness=procedures.timeliness(due, now),
            )
        )
    bedroom = _bedroom_due(cycle_start, first_cycle, booked_review)
    seen_in_cycle = [v.visited_at for v in facts if v.bedroom_seen and v.visited_at >= cycle_start]
    if only_overdue and (seen_in_cycle or bedroom.due_at >= now):
        return [d for d in result if d.is_overdue]
    result.append(
        VisitDue(
            rule="visit.bedroom",
            due=bedroom,
            last=seen_in_cycle[-1] if seen_in_cycle else None,
            timeliness=procedures.timeliness(
                bedroom, now, completed_at=seen_in_cycle[0] if seen_in_cycle else None
            ),
        )
    )
    return [d for d in result if d.is_overdue] if only_overdue else result


def _cycle(episode: RegisterEpisode) -> tuple[datetime.datetime, bool, datetime.datetime | None]:
    """The start of the current review cycle, whether it is the first, and any booked review."""
    from diogelu.conferences.models import ConferenceKind, ConferenceStatus

    registering = episode.conference
    assert registering.held_at is not None
    reviews = [
        c.conference
        for c in episode_conference_places(episode)
        if c.conference.kind == ConferenceKind.REVIEW
    ]
    held = [c.held_at for c in reviews if c.status == ConferenceStatus.HELD and c.held_at]
    booked = [
        c.scheduled_for
        for c in reviews
        if c.status == ConferenceStatus.CONVENED and c.scheduled_for is not None
    ]
    if held:
        return max(held), False, min(booked) if booked else None
    return registering.held_at, True, min(booked) if booked else None


#: Where :func:`prefetch_for_dues` keeps the visits an episode's deadlines depend on.
_SEEN_VISITS = "_prefetched_seen_visits"
#: Episodes read per query by :func:`prefetch_for_dues` (a bound on the ``IN`` list).
_PREFETCH_BATCH = 500


def prefetch_for_dues(episodes: Iterable[RegisterEpisode]) -> None:
    """Read many open episodes' conference places and the visits their deadlines depend on in a
    few queries (a caseload, a team's register, the reminders' sweep), so :func:`visits_due` and
    :func:`review_due` ask nothing more child by child (issue 17: My work made three queries per
    registered child).

    Only what :func:`visit_dues` reads is fetched: the latest visit that saw the child alone, the
    latest that saw the child at home (each deadline counts from the latest), and the visits
    that saw the bedroom (the first and last of the review cycle count). Years of other visits
    are not read: a manager's My work read 98,733 visits of 4,960 registrations, 2 s at a county
    of five years."""
    from django.db.models import Max, Q

    from diogelu.plans.models import Visit

    episodes = list(episodes)
    if not episodes:
        return
    prefetch_conference_places(episodes)
    facts: dict[int, list[VisitFacts]] = {e.pk: [] for e in episodes}
    ids = list(facts)
    for first in range(0, len(ids), _PREFETCH_BATCH):
        batch = ids[first : first + _PREFETCH_BATCH]
        seen = Visit.objects.filter(episode_id__in=batch, child_seen=True)
        latest = (
            seen.values("episode_id")
            .annotate(
                alone=Max("visited_at", filter=Q(seen_alone=True)),
                home=Max("visited_at", filter=Q(seen_at_home=True)),
            )
            .order_by()
        )
        for row in latest:
            if row["alone"] is not None:
                facts[row["episode_id"]].append(VisitFacts(row["alone"], True, False, False))
            if row["home"] is not None:
                facts[row["episode_id"]].append(VisitFacts(row["home"], False, True, False))
        for episode_id, visited_at in seen.filter(bedroom_seen=True).values_list(
            "episode_id", "visited_at"
        ):
            facts[episode_id].append(VisitFacts(visited_at, False, False, True))
    for episode in episodes:
        setattr(episode, _SEEN_VISITS, facts[episode.pk])


def visits_due(episode: RegisterEpisode, now: datetime.datetime | None = None) -> list[VisitDue]:
    """The visit deadlines of one open register episode at ``now``."""
    moment = now or timezone.now()
    cycle_start, first, booked = _cycle(episode)
    seen = getattr(episode, _SEEN_VISITS, None)
    if seen is None:
        seen = episode.visits.filter(child_seen=True)
    facts = [VisitFacts(v.visited_at, v.seen_alone, v.seen_at_home, v.bedroom_seen) for v in seen]
    return [
        replace(d, episode_id=episode.pk, person_id=episode.person_id)
        for d in visit_dues(
            registered_at=episode.started_at,
            visits=facts,
            cycle_start=cycle_start,
            first_cycle=first,
            now=moment,
            booked_review=booked,
        )
    ]


def overdue_visits(person: Person, now: datetime.datetime | None = None) -> list[VisitDue]:
    """A person's overdue visits (empty when not on the register)."""
    from diogelu.conferences.models import RegisterEpisode

    episode = RegisterEpisode.objects.filter(person=person, ended_at__isnull=True).first()
    if episode is None:
        return []
    return [d for d in visits_due(episode, now) if d.is_overdue]


def overdue_visits_for_worker(
    user: User, now: datetime.datetime | None = None, *, team: bool = False
) -> list[VisitDue]:
    """Overdue visits for a work queue: the worker's registered children (lead practitioner),
    or with ``team=True`` every registered child of the user's authority (a manager's queue,
    read from the authority's deadlines as last worked out: :func:`authority_visit_deadlines`)."""
    from diogelu.conferences.models import RegisterEpisode

    moment = now or timezone.now()
    if team:
        if not user.is_local_authority_staff or user.agency_id is None:
            return []
        found = []
        for deadline in authority_visit_deadlines(user.agency_id, before=moment):
            due = VisitDue(
                rule=deadline.rule,
                due=deadline.due,
                last=deadline.last,
                timeliness=procedures.timeliness(deadline.due, moment),
                episode_id=deadline.episode_id,
                person_id=deadline.person_id,
            )
            if due.is_overdue:
                found.append(due)
        return found
    episodes = RegisterEpisode.objects.filter(ended_at__isnull=True, lead_practitioner=user)
    return _overdue_visits(episodes, moment)


@dataclass(frozen=True)
class OpenDeadline:
    """A visit deadline of a registered child not yet met, whatever the time: where it stands
    is worked out when it is shown."""

    due: procedures.Due
    rule: str
    episode_id: int
    person_id: int
    last: datetime.datetime | None


#: How long an authority's open visit deadlines are kept once worked out (ADR 0816). A change
#: to a visit, a register episode, a conference or a conference's children starts them afresh
#: at once (:func:`visit_deadlines_changed`, connected in ``plans/apps.py``); the time only
#: bounds a change made without the models' signals (bulk loads, SQL by hand). 0: never kept.
VISIT_DEADLINES_CACHE_SECONDS = 300
#: Part of the key: bump when what is kept, or how it is worked out, changes.
_DEADLINES_FORMAT = "v2"


def _generation_key(authority_id: int) -> str:
    return f"plans:visit-deadlines:generation:{authority_id}"


def visit_deadlines_changed(authority_id: int | None) -> None:
    """Forget the authority's kept visit deadlines (a fact behind them changed)."""
    import uuid

    from django.core.cache import cache

    if authority_id is not None:
        cache.set(_generation_key(authority_id), uuid.uuid4().hex, None)


def authority_visit_deadlines(
    authority_id: int, *, before: datetime.datetime
) -> list[OpenDeadline]:
    """The visit deadlines not yet met of the authority's registered children that fall due
    before ``before``, soonest first.

    The deadlines do not depend on the time, only on the facts (registration, visits, review
    cycle, rules), so they are worked out once and kept in the shared cache until a fact
    changes: a manager's queue read the facts of every registered child of the authority on
    every request (0.08 s at a county, and growing with the register; issue 17). The key holds
    the authority's generation and the rules' versions, so a changed rule is never read
    through an old deadline.

    Only the deadlines falling due before the kept list's *horizon* are kept: the end of its
    time in the cache and a minute more. That is the overdue ones and the few that fall due
    while the list is kept, not every deadline of the register: the whole list was read from
    the cache and unpickled on every request (1,870 deadlines, 408 KB at a county; 5 ms, and
    three times that at Wales scale). A ``before`` past the horizon works them out afresh."""
    from django.core.cache import cache

    from diogelu.conferences.models import RegisterEpisode

    def work_out(horizon: datetime.datetime) -> list[OpenDeadline]:
        episodes = RegisterEpisode.objects.filter(ended_at__isnull=True, authority_id=authority_id)
        found = [
            OpenDeadline(due, rule, row["pk"], row["person_id"], last)
            for row in _due_facts(episodes)
            for rule, due, last in _open_deadlines(row)
            if due.due_at < horizon
        ]
        return sorted(found, key=lambda d: (d.due.due_at, d.episode_id, VISIT_RULES.index(d.rule)))

    def due_before(deadlines: list[OpenDeadline]) -> list[OpenDeadline]:
        return [d for d in deadlines if d.due.due_at < before]

    if VISIT_DEADLINES_CACHE_SECONDS <= 0:
        return work_out(before)
    generation = cache.get(_generation_key(authority_id))
    if generation is None:
        # Another request may set it first: read back whichever one stands.
        cache.add(_generation_key(authority_id), "first", None)
        generation = cache.get(_generation_key(authority_id), "first")
    versions = hashlib.sha256(
        "|".join(
            procedures.get_rule(k).version
            for k in (*VISIT_RULES, "review.first", "review.interval")
        ).encode()
    ).hexdigest()[:16]
    key = f"plans:visit-deadlines:{_DEADLINES_FORMAT}:{authority_id}:{generation}:{versions}"
    kept = cache.get(key)
    if isinstance(kept, tuple) and len(kept) == 2 and before <= kept[0]:
        return due_before(kept[1])
    horizon = max(before, timezone.now()) + datetime.timedelta(
        seconds=VISIT_DEADLINES_CACHE_SECONDS + 60
    )
    worked_out = work_out(horizon)
    cache.set(key, (horizon, worked_out), VISIT_DEADLINES_CACHE_SECONDS)
    return due_before(worked_out)


def _open_deadlines(
    row: dict[str, Any],
) -> list[tuple[str, procedures.Due, datetime.datetime | None]]:
    """The deadlines of one row of :func:`_due_facts` that no visit has met: the same as
    :func:`visit_dues` gives, without where they stand."""
    registered = row["started_at"]
    result = []
    for rule, last in (("visit.seen_alone", row["alone"]), ("visit.seen_at_home", row["home"])):
        due = procedures.due_after_latest(rule, [last] if last else [], anchor=registered)
        result.append((rule, due, last))
    if row["bedroom_first"] is None:
        bedroom = _bedroom_due(row["cycle_start"], row["last_review"] is None, row["booked"])
        result.append(("visit.bedroom", bedroom, None))
    return result


def _bedroom_due(
    cycle_start: datetime.datetime, first_cycle: bool, booked_review: datetime.datetime | None
) -> procedures.Due:
    """The bedroom visit's deadline: by the latest date of the next review conference, or by the
    booked review if that is earlier."""
    bedroom = procedures.bedroom_visit_due(cycle_start, first_cycle=first_cycle)
    if booked_review is not None and procedures.local_date(booked_review) < bedroom.due_on:
        booked_on = procedures.local_date(booked_review)
        bedroom = replace(
            bedroom,
            due_on=booked_on,
            due_at=procedures.end_of_day(booked_on),
            schedule_by=booked_on,
        )
    return bedroom


def _overdue_visits(
    episodes: QuerySet[RegisterEpisode], moment: datetime.datetime
) -> list[VisitDue]:
    """The overdue visits of ``episodes`` at ``moment``, worked out now, most overdue first."""
    found: list[VisitDue] = []
    alone_by, home_by, bedroom_by = (
        moment - datetime.timedelta(days=_fewest_days(rule) - 1) for rule in VISIT_RULES
    )
    for row in _due_facts(episodes):
        # A child none of whose deadlines can have passed yet is not worked out (the bounds
        # only ever let more through: see _fewest_days).
        registered = row["started_at"]
        if (
            (row["alone"] or registered) >= alone_by
            and (row["home"] or registered) >= home_by
            and (
                row["bedroom_first"] is not None
                or (
                    row["cycle_start"] >= bedroom_by
                    and (row["booked"] is None or row["booked"] >= moment)
                )
            )
        ):
            continue
        seen = [
            VisitFacts(at, alone, home, bedroom)
            for at, alone, home, bedroom in (
                (row["alone"], True, False, False),
                (row["home"], False, True, False),
                (row["bedroom_first"], False, False, True),
                (row["bedroom_last"], False, False, True),
            )
            if at is not None
        ]
        found.extend(
            replace(d, episode_id=row["pk"], person_id=row["person_id"])
            for d in visit_dues(
                registered_at=row["started_at"],
                visits=seen,
                cycle_start=row["cycle_start"],
                first_cycle=row["last_review"] is None,
                now=moment,
                booked_review=row["booked"],
                only_overdue=True,
            )
        )
    return sorted(found, key=lambda d: d.due.due_at)


def _fewest_days(rule_key: str) -> int:
    """The fewest whole days after its clock starts that a deadline of this rule can end, from
    the rules themselves (a working day, a calendar day, a week or a month is never shorter than
    1, 1, 7 or 28 days; hours give no such bound). A deadline ends at the end of its day in
    London, so one started at any moment of a day ends at least this many days, less the day's
    own hours, after it; callers leave a day's margin."""
    from diogelu.procedures.rules import PeriodUnit

    rule = procedures.get_rule(rule_key)
    unit, amount = rule.period.unit, rule.period.amount
    if unit is PeriodUnit.REVIEW_CYCLE:
        return min(_fewest_days("review.first"), _fewest_days("review.interval"))
    per_unit = {
        PeriodUnit.WORKING_DAYS: 1,
        PeriodUnit.CALENDAR_DAYS: 1,
        PeriodUnit.WEEKS: 7,
        PeriodUnit.MONTHS: 28,
    }.get(unit, 0)
    return amount * per_unit


def _due_facts(episodes: QuerySet[RegisterEpisode]) -> list[dict[str, Any]]:
    """What :func:`visit_dues` needs of each open episode, read in one statement as plain
    values: when the child was registered, the review cycle (the last review held, else the
    registering conference; the earliest review booked), the latest visit that saw the child
    alone and the latest that saw them at home, and the first and last visits of the cycle that
    saw their bedroom.

    The same facts as :func:`_cycle` and :func:`prefetch_for_dues` read for one episode, but
    as columns rather than model rows: a manager's queue built 7,600 model objects (episodes,
    conference places, visits) for 875 registered children at a county, 0.4 s a page."""
    from django.db.models import DateTimeField, OuterRef, Subquery
    from django.db.models.functions import Coalesce

    from diogelu.conferences.models import ConferenceChild, ConferenceKind, ConferenceStatus
    from diogelu.plans.models import Visit

    reviews = ConferenceChild.objects.filter(
        episode_id=OuterRef("pk"), conference__kind=ConferenceKind.REVIEW
    ).exclude(conference_id=OuterRef("conference_id"))
    last_review = (
        reviews.filter(conference__status=ConferenceStatus.HELD, conference__held_at__isnull=False)
        .order_by("-conference__held_at")
        .values("conference__held_at")[:1]
    )
    booked = (
        reviews.filter(
            conference__status=ConferenceStatus.CONVENED,
            conference__scheduled_for__isnull=False,
        )
        .order_by("conference__scheduled_for")
        .values("conference__scheduled_for")[:1]
    )
    seen = Visit.objects.filter(episode_id=OuterRef("pk"), child_seen=True).order_by()

    def latest(**flags: Any) -> Subquery:
        return Subquery(
            seen.filter(**flags).order_by("-visited_at").values("visited_at")[:1],
            output_field=DateTimeField(),
        )

    in_cycle = seen.filter(bedroom_seen=True, visited_at__gte=OuterRef("cycle_start"))
    return list(
        episodes.annotate(
            last_review=Subquery(last_review, output_field=DateTimeField()),
            booked=Subquery(booked, output_field=DateTimeField()),
            cycle_start=Coalesce("last_review", "conference__held_at"),
            alone=latest(seen_alone=True),
            home=latest(seen_at_home=True),
        )
        .annotate(
            bedroom_first=Subquery(
                in_cycle.order_by("visited_at").values("visited_at")[:1],
                output_field=DateTimeField(),
            ),
            bedroom_last=Subquery(
                in_cycle.order_by("-visited_at").values("visited_at")[:1],
                output_field=DateTimeField(),
            ),
        )
        .order_by("pk")
        .values(
            "pk",
            "person_id",
            "started_at",
            "last_review",
            "booked",
            "cycle_start",
            "alone",
            "home",
            "bedroom_first",
            "bedroom_last",
        )
    )
