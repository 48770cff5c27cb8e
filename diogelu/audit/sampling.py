"""Who can be sampled, and the seeded stratified draw.

The population of a stratum is the authority's children whose file reached the stratum's stage in
the programme's period and whose case (``oversight.Case``: open at the period's end, or else the
last one opened before it) is held by the stratum's team. Stages:

* ``MASH_DECISION`` — a decision on a report about the child made in the period;
* ``S47`` — a section 47 enquiry started in the period;
* ``REGISTER`` — on the child protection register at any time in the period;
* ``CLOSED`` — the case closed in the period;
* ``OPEN`` — the case open to a team at any time in the period (the usual monthly audit).

Restricted and merged-away records are left out (a restricted file is read only by those named
on it). A child with no ``oversight.Case`` is placed by the stage's own record: the team and
worker of the MASH decision's maker, the section 47 enquiry's lead social worker or the register
episode's lead practitioner.

The draw is reproducible: each stratum's candidates are sorted by person id and shuffled by a
``random.Random`` seeded with ``"<seed>|<team id>|<stage>"`` (string seeds are hashed with
SHA-512, stable across Python versions and machines). Strata are drawn in a fixed order; a child
already drawn in an earlier stratum is skipped. Each drawn child goes to the least-loaded auditor
free of conflict; a child no auditor may audit is skipped and the skip recorded in the draw log.

Conflicts (:func:`conflicted_users`): everyone who worked on the child's file (allocated worker,
maker of a MASH decision, section 47 lead, lead practitioner on the register, visitor,
supervisor or supervisee of a case supervision about the child) and the managers above every
allocated worker, section 47 lead and lead practitioner.
"""

from __future__ import annotations

import datetime
import random
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Q
from django.utils import timezone

from diogelu.audit.access import managers_above
from diogelu.audit.models import Stage
from diogelu.oversight.models import Allocation, Case, SupervisionChild

STAGE_ORDER = [Stage.MASH_DECISION, Stage.S47, Stage.REGISTER, Stage.CLOSED, Stage.OPEN]


def period_bounds(
    start: datetime.date, end: datetime.date
) -> tuple[datetime.datetime, datetime.datetime]:
    tz = timezone.get_current_timezone()
    lo = datetime.datetime.combine(start, datetime.time.min, tzinfo=tz)
    hi = datetime.datetime.combine(end + datetime.timedelta(days=1), datetime.time.min, tzinfo=tz)
    return lo, hi


def stage_people(
    authority_id: int, stage: str, start: datetime.date, end: datetime.date
) -> set[int]:
    """The ids of the authority's children who reached ``stage`` in the period."""
    from diogelu.conferences.models import RegisterEpisode
    from diogelu.enquiries.models import Section47Enquiry
    from diogelu.referrals.models import ReportChild

    lo, hi = period_bounds(start, end)
    rows: Iterable[int | None]
    if stage == Stage.MASH_DECISION:
        rows = ReportChild.objects.filter(
            report__authority_id=authority_id,
            person__isnull=False,
            report__decision__decided_at__gte=lo,
            report__decision__decided_at__lt=hi,
        ).values_list("person_id", flat=True)
    elif stage == Stage.S47:
        rows = Section47Enquiry.objects.filter(
            person__authority_id=authority_id, started_on__gte=start, started_on__lte=end
        ).values_list("person_id", flat=True)
    elif stage == Stage.REGISTER:
        rows = (
            RegisterEpisode.objects.filter(authority_id=authority_id, started_at__lt=hi)
            .filter(Q(ended_at__isnull=True) | Q(ended_at__gte=lo))
            .values_list("person_id", flat=True)
        )
    elif stage == Stage.CLOSED:
        rows = Case.objects.filter(
            authority_id=authority_id, closed_at__gte=lo, closed_at__lt=hi
        ).values_list("person_id", flat=True)
    elif stage == Stage.OPEN:
        rows = (
            Case.objects.filter(authority_id=authority_id, opened_at__lt=hi)
            .filter(Q(closed_at__isnull=True) | Q(closed_at__gte=lo))
            .values_list("person_id", flat=True)
        )
    else:  # pragma: no cover - choices hold it
        raise ValueError(stage)
    from diogelu.people.models import Person

    found = {int(pk) for pk in rows if pk is not None}
    # Restricted records are read only by those named on them: they are audited by hand.
    hidden = set(
        Person.objects.filter(pk__in=found)
        .filter(Q(is_restricted=True) | Q(merged_into__isnull=False))
        .values_list("pk", flat=True)
    )
    return found - hidden


def case_at(person_id: int, end: datetime.date) -> Case | None:
    """The child's case at the period's end: the one open then, else the last opened before."""
    _, hi = period_bounds(end, end)
    cases = Case.objects.filter(person_id=person_id, opened_at__lt=hi).order_by("-opened_at", "-id")
    open_then = cases.filter(Q(closed_at__isnull=True) | Q(closed_at__gte=hi)).first()
    return open_then or cases.first()


def worker_at(case: Case, end: datetime.date) -> int | None:
    """The worker allocated at the period's end (or the last one allocated before it)."""
    _, hi = period_bounds(end, end)
    rows = Allocation.objects.filter(case=case, started_at__lt=hi).order_by("-started_at", "-id")
    current = rows.filter(Q(ended_at__isnull=True) | Q(ended_at__gte=hi)).first()
    for allocation in [current, *rows.exclude(worker__isnull=True)[:1]]:
        if allocation is not None and allocation.worker_id is not None:
            return int(allocation.worker_id)
    return None


def conflicted_users(person_id: int, authority_id: int) -> set[int]:
    """Users who may not audit this child's file: who worked on it, and the allocated workers'
    managers."""
    from diogelu.conferences.models import RegisterEpisode
    from diogelu.enquiries.models import Section47Enquiry
    from diogelu.plans.models import Visit
    from diogelu.referrals.models import Decision

    workers = {
        int(w)
        for w in Allocation.objects.filter(case__person_id=person_id)
        .exclude(worker__isnull=True)
        .values_list("worker_id", flat=True)
    }
    workers |= set(
        Section47Enquiry.objects.filter(person_id=person_id).values_list(
            "lead_social_worker_id", flat=True
        )
    )
    workers |= set(
        RegisterEpisode.objects.filter(person_id=person_id).values_list(
            "lead_practitioner_id", flat=True
        )
    )
    worked = set(workers)
    worked |= set(
        Decision.objects.filter(report__children__person_id=person_id).values_list(
            "decided_by_id", flat=True
        )
    )
    worked |= set(Visit.objects.filter(person_id=person_id).values_list("visitor_id", flat=True))
    for supervisor, worker in SupervisionChild.objects.filter(person_id=person_id).values_list(
        "supervision__supervisor_id", "supervision__worker_id"
    ):
        worked |= {supervisor, worker}
    managers: set[int] = set()
    for worker_id in workers:
        managers |= managers_above(worker_id, authority_id)
    return {int(u) for u in worked | managers if u is not None}


@dataclass(frozen=True)
class Candidate:
    person_id: int
    case: Case | None
    team_id: int
    worker_id: int | None


def stage_holder(
    person_id: int, stage: str, start: datetime.date, end: datetime.date
) -> tuple[int, int] | None:
    """(team id, worker id) of who held the stage's work for a child with no case: the MASH
    decision's maker, the section 47 lead, the register's lead practitioner (latest first)."""
    from diogelu.accounts.models import User
    from diogelu.conferences.models import RegisterEpisode
    from diogelu.enquiries.models import Section47Enquiry
    from diogelu.referrals.models import Decision

    lo, hi = period_bounds(start, end)
    worker_id: int | None = None
    if stage == Stage.MASH_DECISION:
        worker_id = (
            Decision.objects.filter(
                report__children__person_id=person_id, decided_at__gte=lo, decided_at__lt=hi
            )
            .order_by("-decided_at")
            .values_list("decided_by_id", flat=True)
            .first()
        )
    elif stage == Stage.S47:
        worker_id = (
            Section47Enquiry.objects.filter(
                person_id=person_id, started_on__gte=start, started_on__lte=end
            )
            .order_by("-started_on")
            .values_list("lead_social_worker_id", flat=True)
            .first()
        )
    elif stage == Stage.REGISTER:
        worker_id = (
            RegisterEpisode.objects.filter(person_id=person_id, started_at__lt=hi)
            .order_by("-started_at")
            .values_list("lead_practitioner_id", flat=True)
            .first()
        )
    if worker_id is None:
        return None
    team_id = User.objects.filter(pk=worker_id).values_list("team_id", flat=True).first()
    return (int(team_id), int(worker_id)) if team_id is not None else None


def population(
    authority_id: int, stage: str, start: datetime.date, end: datetime.date
) -> dict[int, list[Candidate]]:
    """The stage's candidates by team, each list sorted by person id."""
    by_team: dict[int, list[Candidate]] = {}
    for person_id in sorted(stage_people(authority_id, stage, start, end)):
        case = case_at(person_id, end)
        if case is not None:
            candidate = Candidate(person_id, case, int(case.team_id), worker_at(case, end))
        else:
            held = stage_holder(person_id, stage, start, end)
            if held is None:
                continue
            candidate = Candidate(person_id, None, held[0], held[1])
        by_team.setdefault(candidate.team_id, []).append(candidate)
    return by_team


def stratum_rng(seed: int, team_id: int, stage: str) -> random.Random:
    return random.Random(f"{seed}|{team_id}|{stage}")  # noqa: S311 - a sample, not a secret


def shuffled(
    seed: int, team_id: int, stage: str, candidates: Iterable[Candidate]
) -> list[Candidate]:
    ordered = sorted(candidates, key=lambda c: c.person_id)
    return stratum_rng(seed, team_id, stage).sample(ordered, len(ordered))


def pick_auditor(auditors: list[int], load: dict[int, int], conflicted: set[int]) -> int | None:
    """The least-loaded auditor free of conflict (ties: the lowest user id)."""
    free = [a for a in sorted(auditors) if a not in conflicted]
    if not free:
        return None
    return min(free, key=lambda a: (load.get(a, 0), a))
