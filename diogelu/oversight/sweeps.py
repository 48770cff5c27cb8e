"""Sweeps registered with the tick: unallocated children and supervision actions not done.

Both are idempotent: the moment of flagging is recorded on the row (``flagged_at``) and the
outbox dedupes on the row's id.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from diogelu import procedures
from diogelu.accounts.models import Role, User
from diogelu.notifications.services import enqueue
from diogelu.oversight.models import Allocation, SupervisionAction
from diogelu.oversight.verification import overdue_actions, with_evidence

UNALLOCATED_RULE = "allocation.unallocated_limit"


def unallocated_due(started_at: datetime.datetime) -> datetime.datetime:
    return procedures.due(UNALLOCATED_RULE, started_at).due_at


@transaction.atomic
def flag_unallocated(now: datetime.datetime) -> int:
    """Tell the team manager of each child unallocated past the authority's limit (once)."""
    flagged = 0
    rows = Allocation.objects.filter(
        ended_at__isnull=True,
        worker__isnull=True,
        flagged_at__isnull=True,
        case__closed_at__isnull=True,
    ).select_related("case__person", "team")
    for allocation in rows:
        if unallocated_due(allocation.started_at) >= now:
            continue
        managers = User.objects.filter(
            team_id=allocation.team_id,
            is_active=True,
            role_assignments__role=Role.TEAM_MANAGER,
        )
        for manager in managers:
            enqueue(
                kind="oversight.unallocated",
                dedupe_key=f"oversight.unallocated:{allocation.pk}:{manager.pk}",
                subject=_("A child has been unallocated past the authority's limit (%(ref)s)")
                % {"ref": allocation.case.person.la_reference},
                link="/oversight/lists/?figure=unallocated",
                user=manager,
            )
        allocation.flagged_at = now
        allocation.save(update_fields=["flagged_at"])
        flagged += 1
    return flagged


@transaction.atomic
def check_supervision_actions(now: datetime.datetime) -> dict[str, int]:
    """Record when the record shows each checkable action done; tell the supervisor of each
    action not done by its due date (once)."""
    today = timezone.localdate(now)
    done = 0
    for action in with_evidence(SupervisionAction.objects.filter(done_at__isnull=True)).filter(  # type: ignore[misc]
        evidence_at__isnull=False
    ):
        SupervisionAction.objects.filter(pk=action.pk, done_at__isnull=True).update(
            done_at=action.evidence_at,  # type: ignore[attr-defined]
            evidence=str(action.get_step_display())[:200],
        )
        done += 1
    flagged = 0
    for action in overdue_actions(
        SupervisionAction.objects.filter(flagged_at__isnull=True, done_at__isnull=True), today
    ).select_related("supervision"):
        enqueue(
            kind="oversight.action_overdue",
            dedupe_key=f"oversight.action_overdue:{action.pk}",
            subject=_("A supervision action was not done by its due date"),
            link=f"/oversight/supervisions/{action.supervision_id}/",
            user=action.supervision.supervisor,
        )
        SupervisionAction.objects.filter(pk=action.pk).update(flagged_at=now)
        flagged += 1
    return {"done": done, "flagged": flagged}


def _started_work() -> list[tuple[int, int, str, datetime.datetime, User, User | None]]:
    """Live work with a child that has no case since the work started: (person, authority,
    stage, started at, who started it, lead).

    A final MASH decision to proceed on a report not closed; a section 47 enquiry not yet
    determined; an open registration. Work whose child has an open case, or a case closed after
    the work started, is left out in SQL: at five years of a county the sweep loaded every live
    decision, enquiry and registration with their users (15.7 s every 15 minutes, to open
    nothing; issue 17)."""
    from django.db.models import Exists, F, OuterRef, Q
    from django.db.models.functions import Coalesce

    from diogelu.conferences.models import RegisterEpisode
    from diogelu.enquiries.models import Section47Enquiry
    from diogelu.oversight.models import Case
    from diogelu.referrals.models import ReportChild, ReportStatus
    from diogelu.referrals.services import WORK_STAGES

    def no_case_since(started: str) -> Any:
        """No open case for the row's person, and none closed at or after ``started``."""
        return ~Exists(
            Case.objects.filter(person_id=OuterRef("person_id")).filter(
                Q(closed_at__isnull=True) | Q(closed_at__gte=OuterRef(started))
            )
        )

    found: list[tuple[int, int, str, datetime.datetime, User, User | None]] = []
    children = (
        ReportChild.objects.filter(
            person_id__isnull=False, report__decision__outcome__in=list(WORK_STAGES)
        )
        .exclude(report__status=ReportStatus.CLOSED)
        .exclude(
            report__decision__needs_authorisation=True,
            report__decision__authorised_at__isnull=True,
        )
        .annotate(
            started=Coalesce("report__decision__authorised_at", "report__decision__decided_at")
        )
        .filter(no_case_since("started"))
        .select_related("report__decision__decided_by", "report__decision__authorised_by")
    )
    for child in children:
        d = child.report.decision
        assert child.person_id is not None  # filtered above
        found.append(
            (
                child.person_id,
                child.report.authority_id,
                WORK_STAGES[d.outcome],
                d.authorised_at or d.decided_at,
                d.authorised_by or d.decided_by,
                None,
            )
        )
    enquiries = (
        Section47Enquiry.objects.filter(determined_at__isnull=True)
        .annotate(started=F("decision__strategy__held_at"))
        .filter(no_case_since("started"))
        .select_related("report", "decision__strategy__recorded_by", "lead_social_worker")
    )
    for e in enquiries:
        strategy = e.decision.strategy
        found.append(
            (
                e.person_id,
                e.report.authority_id,
                "CHILD_PROTECTION",
                strategy.held_at,
                strategy.recorded_by,
                e.lead_social_worker,
            )
        )
    episodes = (
        RegisterEpisode.objects.filter(ended_at__isnull=True)
        .filter(no_case_since("started_at"))
        .select_related("lead_practitioner", "conference__convened_by")
    )
    for ep in episodes:
        found.append(
            (
                ep.person_id,
                ep.authority_id,
                "CHILD_PROTECTION",
                ep.started_at,
                ep.conference.convened_by if ep.conference_id else ep.lead_practitioner,
                ep.lead_practitioner,
            )
        )
    return found


@transaction.atomic
def open_cases_for_started_work(now: datetime.datetime) -> int:
    """Open the case of each child with live work and no open case (records from before the
    workflow apps told oversight when work starts, or missed). Work that started before the
    child's last case closed does not reopen it. Idempotent; returns the cases opened."""
    from django.db.models import Max

    from diogelu.oversight.hooks import open_case_for
    from diogelu.oversight.models import Case

    work = sorted(_started_work(), key=lambda w: w[3])
    people = {w[0] for w in work}
    open_now = set(
        Case.objects.filter(person_id__in=people, closed_at__isnull=True).values_list(
            "person_id", flat=True
        )
    )
    closed = dict(
        Case.objects.filter(person_id__in=people, closed_at__isnull=False)
        .values("person_id")
        .annotate(last=Max("closed_at"))
        .values_list("person_id", "last")
    )
    opened = 0
    for person_id, authority_id, stage, started, actor, lead in work:
        if person_id in open_now or started > now:
            continue
        if person_id in closed and started <= closed[person_id]:
            continue
        case = open_case_for(
            person_id=person_id,
            authority_id=authority_id,
            stage=stage,
            actor=actor,
            at=started,
            lead=lead,
            why=_("Opened by the daily check: work had started"),
        )
        if case is not None:
            open_now.add(person_id)
            opened += 1
    return opened
