"""What oversight does when a workflow app tells it something (``diogelu.core.extensions``).

The workflow apps (referrals, enquiries, conferences, plans) never import oversight: they call
``workflow_event`` and this module, registered in ``OversightConfig.ready()``, listens.

* A decision that needs a manager (a MASH decision, a determination 1, a plan below the quality
  threshold, a removal from the register) becomes an ``Approval`` row per child: pending when
  proposed, approved or returned (with the reason) when a manager decides it on the workflow's
  own page. The four-eyes rule (never your own) is the workflow's (referrals, enquiries); oversight
  records who proposed and who decided, so the history shows it.
* Work starting with a child (a MASH decision to proceed, a strategy discussion, an enquiry, a
  registration) opens the child's case if none is open: allocated to the practitioner leading the
  work where they hold cases, otherwise unallocated in the team of whoever started it, so the
  child shows on the team's "unallocated" list from the first day.

Each listener is idempotent: the same event twice changes nothing the second time.
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from diogelu.chronology.models import Audience, EventKind
from diogelu.chronology.services import add_case_event
from diogelu.core.concurrency import save_versioned
from diogelu.core.extensions import (
    APPROVAL_APPROVED,
    APPROVAL_PROPOSED,
    APPROVAL_RETURNED,
    WORK_STARTED,
    WorkflowEvent,
)
from diogelu.core.texts import msg
from diogelu.oversight.models import (
    Allocation,
    AllocationReason,
    Approval,
    ApprovalKind,
    ApprovalStatus,
    Case,
    CaseStage,
    Worker,
)

if TYPE_CHECKING:
    from diogelu.accounts.models import Team, User


def on_workflow_event(event: WorkflowEvent) -> None:
    if event.name == WORK_STARTED:
        for person_id in event.person_ids:
            open_case_for(
                person_id=person_id,
                authority_id=event.authority_id,
                stage=event.kind,
                actor=event.actor,
                at=event.at,
                lead=event.worker,
                why=event.reason,
            )
    elif event.name == APPROVAL_PROPOSED:
        _proposed(event)
    elif event.name in (APPROVAL_APPROVED, APPROVAL_RETURNED):
        _decided(event)


# --- approvals -----------------------------------------------------------------------------------


def _open_case_id(person_id: int) -> int | None:
    return (
        Case.objects.filter(person_id=person_id, closed_at__isnull=True)
        .values_list("pk", flat=True)
        .first()
    )


def _proposed(event: WorkflowEvent) -> None:
    if event.kind not in ApprovalKind.values:
        return
    proposer = event.proposed_by or event.actor
    for person_id in event.person_ids:
        if Approval.objects.filter(
            source=event.source, person_id=person_id, status=ApprovalStatus.PENDING
        ).exists():
            continue
        Approval.objects.create(
            person_id=person_id,
            case_id=_open_case_id(person_id),
            kind=event.kind,
            source=event.source,
            link=event.link[:200],
            proposed_by=proposer,
            proposed_at=event.at,
            reason=event.reason or str(ApprovalKind(event.kind).label),
        )


def _decided(event: WorkflowEvent) -> None:
    if event.kind not in ApprovalKind.values:
        return
    status = ApprovalStatus.APPROVED if event.name == APPROVAL_APPROVED else ApprovalStatus.RETURNED
    for person_id in event.person_ids:
        pending = Approval.objects.filter(
            source=event.source, person_id=person_id, status=ApprovalStatus.PENDING
        ).first()
        if pending is None:
            if Approval.objects.filter(
                source=event.source, person_id=person_id, decided_at=event.at
            ).exists():
                continue  # the same event again
            # Decided without a proposal reaching oversight (e.g. a manager signed off a plan
            # nobody asked them to): keep the decision in the history all the same.
            pending = Approval(
                person_id=person_id,
                case_id=_open_case_id(person_id),
                kind=event.kind,
                source=event.source,
                link=event.link[:200],
                proposed_by=event.proposed_by or event.actor,
                proposed_at=event.at,
                reason=event.reason or str(ApprovalKind(event.kind).label),
            )
        pending.status = status
        pending.decided_by = event.actor
        pending.decided_at = event.at
        pending.decision_note = event.reason
        if pending.case_id is None:
            pending.case_id = _open_case_id(person_id)
        pending.save()
        if event.kind == ApprovalKind.DEREGISTRATION and status == ApprovalStatus.APPROVED:
            # Off the register: the case steps down to care and support (if it was at child
            # protection; a looked-after child stays looked after).
            case = Case.objects.filter(person_id=person_id, closed_at__isnull=True).first()
            if case is not None and case.stage == CaseStage.CHILD_PROTECTION:
                progress_stage(
                    case, CaseStage.CARE_AND_SUPPORT, actor=event.actor, at=event.at, back=True
                )


# --- cases opened when work starts ------------------------------------------------------------


def _holder(user: User | None, authority_id: int, on: datetime.date) -> Worker | None:
    """``user``'s worker record if they are in post in the authority and hold cases."""
    if user is None:
        return None
    record = Worker.objects.filter(user_id=user.pk, authority_id=authority_id).first()
    if record is None or not record.holds_cases or record.is_leaver(on):
        return None
    return record


def _team_of(user: User, authority_id: int) -> Team | None:
    from diogelu.accounts.models import Team

    record = Worker.objects.filter(user_id=user.pk, authority_id=authority_id).first()
    team_id = record.team_id if record is not None else user.team_id
    team = Team.objects.filter(pk=team_id, agency_id=authority_id).first() if team_id else None
    if team is None:
        # Someone with no team of the authority (e.g. a MASH practitioner of a partner
        # agency's making): the authority's MASH holds the child until a team takes them.
        team = Team.objects.filter(agency_id=authority_id, is_mash=True).order_by("pk").first()
    return team


#: How far a case has gone: work that starts at a later stage moves the case on, never back (a
#: child on the register who is also looked after stays looked after).
STAGE_ORDER = (
    CaseStage.EARLY_HELP,
    CaseStage.ASSESSMENT,
    CaseStage.CARE_AND_SUPPORT,
    CaseStage.CHILD_PROTECTION,
    CaseStage.LOOKED_AFTER,
)


def progress_stage(
    case: Case, stage: str, *, actor: User, at: datetime.datetime, back: bool = False
) -> bool:
    """Move an open case to ``stage`` when the live workflow moved on (a strategy discussion,
    an enquiry, a registration), recorded with its date on the child's chronology; the weighted
    caseload follows the case's stage. ``back`` allows a step down (the child left the
    register). Returns whether the stage changed."""
    if stage not in CaseStage.values or stage == case.stage:
        return False
    ahead = STAGE_ORDER.index(CaseStage(stage)) > STAGE_ORDER.index(CaseStage(case.stage))
    if not ahead and not back:
        return False
    before = CaseStage(case.stage).label
    case.stage = stage
    save_versioned(case, expected_version=case.version, fields=["stage"])
    add_case_event(
        actor=actor,
        person_id=case.person_id,
        kind=EventKind.RECORD,
        title=msg(
            gettext_noop("Case stage: %(before)s to %(after)s"),
            before=before,
            after=CaseStage(stage).label,
        ),
        occurred_at=at,
        audience=Audience.LOCAL_AUTHORITY,
    )
    return True


def open_case_for(
    *,
    person_id: int,
    authority_id: int,
    stage: str,
    actor: User,
    at: datetime.datetime,
    lead: User | None = None,
    why: str = "",
) -> Case | None:
    """Open the child's case when work starts, unless one is open (then nothing changes).

    Allocated to ``lead`` where they are a worker in post who holds cases; otherwise unallocated
    in the team of ``actor`` (their worker record's team, else their user team, else the
    authority's MASH team). Returns the
    new case, or None when one was open or no team of the authority could hold it."""
    from diogelu.people.models import Person

    open_case = Case.objects.filter(person_id=person_id, closed_at__isnull=True).first()
    if open_case is not None:
        progress_stage(open_case, stage, actor=actor, at=at)
        return None
    person = Person.objects.filter(pk=person_id, authority_id=authority_id).first()
    if person is None:
        return None
    holder = _holder(lead, authority_id, timezone.localtime(at).date())
    team = holder.team if holder is not None else _team_of(actor, authority_id)
    if team is None:
        return None
    stage = stage if stage in CaseStage.values else CaseStage.ASSESSMENT
    case = Case.objects.create(
        person_id=person_id,
        authority_id=authority_id,
        team=team,
        stage=stage,
        opened_at=at,
        opened_by=actor,
    )
    worker = holder.user if holder is not None else None
    Allocation.objects.create(
        case=case,
        worker=worker,
        team=team,
        started_at=at,
        reason=AllocationReason.NEW_CASE,
        note=why[:2000],
        made_by=actor,
    )
    if worker is not None:
        title = _("Open to %(team)s: allocated to %(name)s") % {
            "team": team.name,
            "name": worker.get_full_name(),
        }
    else:
        title = _("Open to %(team)s: not yet allocated") % {"team": team.name}
    add_case_event(
        actor=actor,
        person_id=person_id,
        kind=EventKind.RECORD,
        title=title,
        occurred_at=at,
        detail=f"{CaseStage(stage).label}. {why}".strip(),
        audience=Audience.LOCAL_AUTHORITY,
    )
    return case
