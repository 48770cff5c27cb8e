"""Services for workforce, allocation, supervision and management oversight.

Each is named for the practice action, takes keyword-only arguments with ``actor`` first, runs in
one transaction, validates before writing anything, records the chronology event where a child is
concerned (audience: the local authority), queues notifications in the outbox, and keeps its own
history rows (allocations, ratings, approvals are never edited, only followed by new rows).
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from diogelu import procedures
from diogelu.access.visibility import visible_person_ids
from diogelu.chronology.models import Audience, EventKind
from diogelu.chronology.services import add_case_event
from diogelu.core.concurrency import save_versioned
from diogelu.core.exceptions import DomainError, NotPermittedError
from diogelu.notifications.services import enqueue
from diogelu.oversight.access import is_manager, is_oversight_staff, may_manage_workforce
from diogelu.oversight.models import (
    RATING_RULES,
    VERIFIED_STEPS,
    Absence,
    AbsenceKind,
    Allocation,
    AllocationReason,
    Approval,
    ApprovalKind,
    ApprovalStatus,
    Case,
    CaseStage,
    Contract,
    ContractKind,
    JobRole,
    LeavingReason,
    OversightRating,
    PracticeStep,
    Rating,
    Supervision,
    SupervisionAction,
    SupervisionChild,
    SupervisionKind,
    TeamMembership,
    WeightingTable,
    Worker,
)

if TYPE_CHECKING:
    from diogelu.accounts.models import Team, User
    from diogelu.people.models import Person

MAX_TEXT = 20_000


def _require(condition: bool, message: str, field: str | None = None) -> None:
    if not condition:
        raise DomainError(message, field=field)


def _same_authority(actor: User, other: User | None) -> bool:
    return other is not None and other.agency_id == actor.agency_id and other.is_active


def _fte(value: object) -> Decimal:
    try:
        fte = Decimal(str(value))
    except (InvalidOperation, ValueError):
        raise DomainError(_("Enter the FTE as a number, like 0.8"), field="fte") from None
    if fte <= 0 or fte > 1:
        raise DomainError(_("The FTE must be more than 0 and no more than 1"), field="fte")
    return fte.quantize(Decimal("0.01"))


# --- workforce ---------------------------------------------------------------------------------


def _check_workforce_actor(actor: User) -> None:
    if not may_manage_workforce(actor):
        raise NotPermittedError(
            _("Only a head of service or an administrator keeps workforce records")
        )


def _check_no_overlap(
    worker: Worker, starts_on: datetime.date, ends_on: datetime.date | None
) -> None:
    clash = (
        Contract.objects.filter(worker=worker)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=starts_on))
        .order_by("starts_on")
    )
    if ends_on is not None:
        clash = clash.filter(starts_on__lte=ends_on)
    first = clash.first()
    if first is not None:
        raise DomainError(
            _("This contract overlaps the worker's %(kind)s contract starting %(day)s")
            % {
                "kind": first.get_kind_display().lower(),
                "day": first.starts_on.strftime("%d/%m/%Y"),
            },
            field="starts_on",
        )


@transaction.atomic
def record_worker(
    *,
    actor: User,
    user: User,
    team: Team,
    job_role: str,
    started_on: datetime.date,
    scw_number: str,
    contract_kind: str,
    fte: object,
    scw_renewal_on: datetime.date | None = None,
    first_year_until: datetime.date | None = None,
    line_manager: User | None = None,
    extra_duty_points: int = 0,
) -> Worker:
    """Start a worker record for a practitioner of the actor's authority, with its first
    contract."""
    _check_workforce_actor(actor)
    _require(_same_authority(actor, user), _("Choose a member of staff of your authority"), "user")
    _require(team.agency_id == actor.agency_id, _("Choose a team of your authority"), "team")
    _require(job_role in JobRole.values, _("Choose the job role"), "job_role")
    _require(
        contract_kind in ContractKind.values, _("Choose the kind of contract"), "contract_kind"
    )
    _require(
        bool(scw_number.strip()), _("Enter the Social Care Wales registration number"), "scw_number"
    )
    _require(
        not Worker.objects.filter(user=user).exists(),
        _("This person already has a worker record"),
        "user",
    )
    if line_manager is not None:
        _require(
            _same_authority(actor, line_manager) and line_manager != user,
            _("Choose a line manager of your authority"),
            "line_manager",
        )
    amount = _fte(fte)
    assert actor.agency_id is not None
    worker = Worker.objects.create(
        user=user,
        authority_id=actor.agency_id,
        team=team,
        job_role=job_role,
        line_manager=line_manager,
        started_on=started_on,
        scw_number=scw_number.strip(),
        scw_renewal_on=scw_renewal_on,
        first_year_until=first_year_until,
        extra_duty_points=extra_duty_points,
    )
    Contract.objects.create(worker=worker, kind=contract_kind, fte=amount, starts_on=started_on)
    TeamMembership.objects.create(worker=worker, team=team, starts_on=started_on, recorded_by=actor)
    return worker


@transaction.atomic
def move_worker(
    *,
    actor: User,
    worker: Worker,
    expected_version: int,
    team: Team,
    moved_on: datetime.date,
) -> Worker:
    """Move a worker to another team from ``moved_on`` (their first day in it): their period in
    the old team ends the day before, so figures for any past day use the team of that day.
    A move dated on or before the start of their current period, or a stale edit, is refused,
    nothing written."""
    _check_workforce_actor(actor)
    _require(worker.authority_id == actor.agency_id, _("Choose a worker of your authority"))
    _require(team.agency_id == actor.agency_id, _("Choose a team of your authority"), "team")
    _require(team.pk != worker.team_id, _("The worker is already in this team"), "team")
    _require(
        worker.left_on is None or moved_on <= worker.left_on,
        _("The move must be on or before the worker's leaving date"),
        "moved_on",
    )
    current = worker.memberships.filter(ends_on__isnull=True).first()
    since = current.starts_on if current is not None else worker.started_on
    _require(
        moved_on > since,
        _("The move must be after %(day)s, when the worker joined their current team")
        % {"day": since.strftime("%d/%m/%Y")},
        "moved_on",
    )
    worker.team = team
    save_versioned(worker, expected_version=expected_version, fields=["team_id"])
    if current is None:  # a record from before team moves were dated
        TeamMembership.objects.create(
            worker=worker,
            team_id=worker.team_id,
            starts_on=worker.started_on,
            ends_on=moved_on - datetime.timedelta(days=1),
        )
    else:
        current.ends_on = moved_on - datetime.timedelta(days=1)
        current.save(update_fields=["ends_on"])
    TeamMembership.objects.create(worker=worker, team=team, starts_on=moved_on, recorded_by=actor)
    return worker


WORKER_FIELDS = (
    "team",
    "job_role",
    "line_manager",
    "scw_number",
    "scw_renewal_on",
    "first_year_until",
    "extra_duty_points",
    "holds_cases",
)


@transaction.atomic
def update_worker(*, actor: User, worker: Worker, expected_version: int, **changes: Any) -> Worker:
    """Change a worker record; a stale edit (someone saved since) is refused, nothing written."""
    _check_workforce_actor(actor)
    _require(worker.authority_id == actor.agency_id, _("Choose a worker of your authority"))
    unknown = set(changes) - set(WORKER_FIELDS)
    if unknown:
        raise DomainError(_("These details cannot be changed here"))
    if "team" in changes:
        team = changes.pop("team")
        if team.pk != worker.team_id:
            # A change of team is a dated move, from today (move_worker dates it otherwise).
            move_worker(
                actor=actor,
                worker=worker,
                expected_version=expected_version,
                team=team,
                moved_on=timezone.localdate(),
            )
            expected_version = worker.version
        if not changes:
            return worker
    if "job_role" in changes:
        _require(changes["job_role"] in JobRole.values, _("Choose the job role"), "job_role")
    if changes.get("line_manager") is not None:
        manager = changes["line_manager"]
        _require(
            _same_authority(actor, manager) and manager.pk != worker.user_id,
            _("Choose a line manager of your authority"),
            "line_manager",
        )
    for name, value in changes.items():
        setattr(worker, name, value)
    fields = [
        ("team_id" if n == "team" else "line_manager_id" if n == "line_manager" else n)
        for n in changes
    ]
    return save_versioned(worker, expected_version=expected_version, fields=fields)


@transaction.atomic
def add_contract(
    *,
    actor: User,
    worker: Worker,
    kind: str,
    fte: object,
    starts_on: datetime.date,
    ends_on: datetime.date | None = None,
) -> Contract:
    """Add a contract; it may not overlap another of the worker's contracts."""
    _check_workforce_actor(actor)
    _require(worker.authority_id == actor.agency_id, _("Choose a worker of your authority"))
    _require(kind in ContractKind.values, _("Choose the kind of contract"), "kind")
    amount = _fte(fte)
    _require(
        ends_on is None or ends_on >= starts_on,
        _("The contract must end after it starts"),
        "ends_on",
    )
    _check_no_overlap(worker, starts_on, ends_on)
    return Contract.objects.create(
        worker=worker, kind=kind, fte=amount, starts_on=starts_on, ends_on=ends_on
    )


@transaction.atomic
def record_leaving(
    *, actor: User, worker: Worker, expected_version: int, left_on: datetime.date, reason: str
) -> Worker:
    """Record the worker's last day: their open contract and post ends then."""
    _check_workforce_actor(actor)
    _require(worker.authority_id == actor.agency_id, _("Choose a worker of your authority"))
    _require(
        reason in LeavingReason.values, _("Choose why the worker is leaving"), "leaving_reason"
    )
    _require(
        left_on >= worker.started_on,
        _("The leaving date must be on or after the start date"),
        "left_on",
    )
    worker.left_on = left_on
    worker.leaving_reason = reason
    save_versioned(worker, expected_version=expected_version, fields=["left_on", "leaving_reason"])
    worker.contracts.filter(ends_on__isnull=True).update(ends_on=left_on)
    worker.holdings.filter(ends_on__isnull=True).update(ends_on=left_on)
    return worker


@transaction.atomic
def record_absence(
    *, actor: User, worker: Worker, kind: str, starts_on: datetime.date, ends_on: datetime.date
) -> Absence:
    _check_workforce_actor(actor)
    _require(worker.authority_id == actor.agency_id, _("Choose a worker of your authority"))
    _require(kind in AbsenceKind.values, _("Choose the kind of absence"), "kind")
    _require(ends_on >= starts_on, _("The absence must end on or after it starts"), "ends_on")
    return Absence.objects.create(worker=worker, kind=kind, starts_on=starts_on, ends_on=ends_on)


# --- allocation --------------------------------------------------------------------------------


def _check_manager(actor: User) -> None:
    if not is_manager(actor):
        raise NotPermittedError(_("Only a team manager or head of service can do this"))


def _check_child(actor: User, person: Person) -> None:
    """The same answer for a child that does not exist and one the actor may not see."""
    visible = person.pk is not None and (
        person.authority_id == actor.agency_id
        and visible_person_ids(actor).filter(pk=person.pk).exists()
    )
    if not visible:
        raise DomainError(_("You cannot record this for a child you may not see"), field="person")


def open_case_of(person: Person) -> Case | None:
    return Case.objects.filter(person=person, closed_at__isnull=True).first()


def current_allocation(case: Case) -> Allocation | None:
    return case.allocations.filter(ended_at__isnull=True).first()


def _last_worker_id(case: Case) -> int | None:
    row = case.allocations.filter(worker__isnull=False).order_by("-started_at", "-id").first()
    return row.worker_id if row else None


def _check_allocatable(actor: User, worker: User, on: datetime.date) -> Worker:
    record = Worker.objects.filter(user=worker, authority_id=actor.agency_id).first()
    if record is None or not worker.is_active:
        raise DomainError(
            _("Choose a worker of your authority with a worker record"), field="worker"
        )
    if record.left_on is not None and record.left_on < on:
        raise DomainError(
            _("%(name)s left on %(day)s: choose a worker who is still in post")
            % {"name": worker.get_full_name(), "day": record.left_on.strftime("%d/%m/%Y")},
            field="worker",
        )
    if not record.holds_cases:
        raise DomainError(_("This worker does not hold cases"), field="worker")
    return record


@transaction.atomic
def allocate_child(
    *,
    actor: User,
    person: Person,
    worker: User | None,
    team: Team,
    reason: str,
    note: str = "",
    stage: str | None = None,
    expected_version: int | None = None,
) -> Allocation:
    """Allocate a child to a worker (or record them as unallocated when ``worker`` is None),
    opening the case if the child is not yet open to the authority.

    ``expected_version`` is the case's version the manager saw (None when it was not open): an
    allocation changed by someone else meanwhile is refused, nothing written.
    """
    _check_manager(actor)
    _check_child(actor, person)
    now = timezone.now()
    _require(reason in AllocationReason.values, _("Choose the reason for the change"), "reason")
    _require(team.agency_id == actor.agency_id, _("Choose a team of your authority"), "team")
    _require(len(note) <= MAX_TEXT, _("The note must be 20,000 characters or fewer"), "note")
    if worker is not None:
        record = _check_allocatable(actor, worker, timezone.localdate())
        _require(
            record.team_id == team.pk,
            _("Choose a worker of the team the child is allocated to"),
            "worker",
        )
    case = open_case_of(person)
    if case is None:
        _require(
            expected_version is None,
            _(
                "Someone else changed this allocation while you were deciding. "
                "Check it and try again."
            ),
        )
        _require(stage in CaseStage.values, _("Choose what kind of work this is"), "stage")
        assert actor.agency_id is not None
        case = Case.objects.create(
            person=person,
            authority_id=actor.agency_id,
            team=team,
            stage=str(stage),
            opened_at=now,
            opened_by=actor,
        )
    else:
        if expected_version is None:
            expected_version = -1
        current = current_allocation(case)
        if (
            current is not None
            and current.worker_id == (worker.pk if worker else None)
            and current.team_id == team.pk
        ):
            raise DomainError(
                _("The child is already allocated to this worker")
                if worker
                else _("The child is already unallocated"),
                field="worker",
            )
        case.team = team
        if stage is not None:
            _require(stage in CaseStage.values, _("Choose what kind of work this is"), "stage")
            case.stage = stage
        save_versioned(case, expected_version=expected_version, fields=["team_id", "stage"])
        if current is not None:
            current.ended_at = now
            current.save(update_fields=["ended_at"])
    allocation = Allocation.objects.create(
        case=case,
        worker=worker,
        previous_worker_id=_last_worker_id(case),
        team=team,
        started_at=now,
        reason=reason,
        note=note.strip(),
        made_by=actor,
    )
    if worker is not None:
        title = _("Allocated to %(name)s (%(team)s)") % {
            "name": worker.get_full_name(),
            "team": team.name,
        }
    else:
        title = _("Unallocated (%(team)s)") % {"team": team.name}
    add_case_event(
        actor=actor,
        person_id=person.pk,
        kind=EventKind.RECORD,
        title=title,
        occurred_at=now,
        detail=f"{AllocationReason(reason).label}. {note.strip()}".strip(),
        audience=Audience.LOCAL_AUTHORITY,
    )
    if worker is not None and worker != actor:
        enqueue(
            kind="oversight.allocated",
            dedupe_key=f"oversight.allocated:{allocation.pk}",
            subject=_("A child has been allocated to you (%(ref)s)") % {"ref": person.la_reference},
            link=f"/people/{person.pk}/",
            user=worker,
        )
    return allocation


@transaction.atomic
def unallocate_child(
    *, actor: User, case: Case, reason: str, note: str = "", expected_version: int
) -> Allocation:
    """End the worker's allocation; the child stays open to the team, unallocated."""
    return allocate_child(
        actor=actor,
        person=case.person,
        worker=None,
        team=case.team,
        reason=reason,
        note=note,
        expected_version=expected_version,
    )


# --- approvals ---------------------------------------------------------------------------------


@transaction.atomic
def propose_case_closure(*, actor: User, case: Case, reason: str) -> Approval:
    """Propose closing a case; a manager other than the proposer approves or returns it."""
    if not is_oversight_staff(actor):
        raise NotPermittedError(_("Only the authority's social work staff can propose this"))
    _check_child(actor, case.person)
    _require(case.closed_at is None, _("The case is already closed"))
    _require(bool(reason.strip()), _("Enter why the case should close"), "reason")
    _require(
        not case.approvals.filter(
            kind=ApprovalKind.CLOSE_CASE, status=ApprovalStatus.PENDING
        ).exists(),
        _("Closing this case is already waiting for a manager"),
    )
    approval = Approval.objects.create(
        person_id=case.person_id,
        case=case,
        kind=ApprovalKind.CLOSE_CASE,
        proposed_by=actor,
        proposed_at=timezone.now(),
        reason=reason.strip(),
    )
    enqueue(
        kind="oversight.approval",
        dedupe_key=f"oversight.approval:{approval.pk}",
        subject=_("A case closure is waiting for your approval (%(ref)s)")
        % {"ref": case.person.la_reference},
        link=f"/oversight/approvals/{approval.pk}/",
        agency=actor.agency,
        roles=["TEAM_MANAGER"],
    )
    return approval


@transaction.atomic
def propose_end_allocation(*, actor: User, case: Case, reason: str) -> Approval:
    """Propose ending the worker's allocation (the child stays open to the team, unallocated); a
    manager other than the proposer approves or returns it. Only while someone holds the case."""
    if not is_oversight_staff(actor):
        raise NotPermittedError(_("Only the authority's social work staff can propose this"))
    _check_child(actor, case.person)
    _require(case.closed_at is None, _("The case is already closed"))
    current = current_allocation(case)
    _require(
        current is not None and current.worker_id is not None,
        _("The child is not allocated to a worker"),
    )
    _require(bool(reason.strip()), _("Enter why the allocation should end"), "reason")
    _require(len(reason) <= MAX_TEXT, _("The reason must be 20,000 characters or fewer"), "reason")
    _require(
        not case.approvals.filter(
            kind=ApprovalKind.END_ALLOCATION, status=ApprovalStatus.PENDING
        ).exists(),
        _("Ending this allocation is already waiting for a manager"),
    )
    approval = Approval.objects.create(
        person_id=case.person_id,
        case=case,
        kind=ApprovalKind.END_ALLOCATION,
        proposed_by=actor,
        proposed_at=timezone.now(),
        reason=reason.strip(),
    )
    enqueue(
        kind="oversight.approval",
        dedupe_key=f"oversight.approval:{approval.pk}",
        subject=_("Ending an allocation is waiting for your approval (%(ref)s)")
        % {"ref": case.person.la_reference},
        link=f"/oversight/approvals/{approval.pk}/",
        agency=actor.agency,
        roles=["TEAM_MANAGER"],
    )
    return approval


@transaction.atomic
def decide_approval(*, actor: User, approval: Approval, approve: bool, note: str = "") -> Approval:
    """Approve (the case closes, or the worker's allocation ends and the child stays open to the
    team, unallocated) or return with a reason. Never your own."""
    _check_manager(actor)
    _require(
        approval.decided_here,
        _("This is decided where it was proposed: follow the link to decide it there"),
    )
    case = approval.case
    assert case is not None
    _check_child(actor, case.person)
    _require(approval.status == ApprovalStatus.PENDING, _("This has already been decided"))
    if approval.proposed_by_id == actor.pk:
        raise NotPermittedError(_("You cannot approve or return your own proposal"))
    _require(approve or bool(note.strip()), _("Enter why you are returning it"), "note")
    now = timezone.now()
    approval.status = ApprovalStatus.APPROVED if approve else ApprovalStatus.RETURNED
    approval.decided_by = actor
    approval.decided_at = now
    approval.decision_note = note.strip()
    approval.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
    if approve and approval.kind == ApprovalKind.END_ALLOCATION:
        current = current_allocation(case)
        if current is not None and current.worker_id is not None:
            allocate_child(
                actor=actor,
                person=case.person,
                worker=None,
                team=case.team,
                reason=AllocationReason.OTHER,
                note=approval.reason,
                expected_version=case.version,
            )
    elif approve:
        current = current_allocation(case)
        if current is not None:
            current.ended_at = now
            current.save(update_fields=["ended_at"])
        case.closed_at = now
        case.closed_by = actor
        case.close_reason = approval.reason
        save_versioned(
            case,
            expected_version=case.version,
            fields=["closed_at", "closed_by_id", "close_reason"],
        )
        add_case_event(
            actor=actor,
            person_id=case.person_id,
            kind=EventKind.DECISION,
            title=_("Case closed (approved by a manager)"),
            occurred_at=now,
            detail=approval.reason,
            audience=Audience.LOCAL_AUTHORITY,
        )
    enqueue(
        kind="oversight.decided",
        dedupe_key=f"oversight.approval_decided:{approval.pk}",
        subject=_("Your proposal was approved") if approve else _("Your proposal was returned"),
        link=f"/oversight/approvals/{approval.pk}/",
        user=approval.proposed_by,
    )
    return approval


# --- supervision -------------------------------------------------------------------------------


@dataclass(frozen=True)
class ChildDiscussion:
    person: Person
    decisions: str
    risk: str = ""
    lived_experience: str = ""
    plan_progress: str = ""
    drift: str = ""


@dataclass(frozen=True)
class ActionSpec:
    step: str
    description: str
    owner: User
    due_on: datetime.date
    person: Person | None = None


def _check_supervision(actor: User, worker: User, held_on: datetime.date) -> None:
    if not is_oversight_staff(actor):
        raise NotPermittedError(_("Only the authority's social work staff record supervision"))
    _require(_same_authority(actor, worker), _("Choose a worker of your authority"), "worker")
    _require(
        worker.pk != actor.pk,
        _("You cannot record your own supervision as the supervisor"),
        "worker",
    )
    record = Worker.objects.filter(user=worker).first()
    if not is_manager(actor) and (record is None or record.line_manager_id != actor.pk):
        raise NotPermittedError(
            _("Only the worker's supervisor or a manager can record their supervision")
        )
    _require(
        held_on <= timezone.localdate(),
        _("The date of the supervision must be today or in the past"),
        "held_on",
    )


def _check_actions(
    actor: User, actions: Sequence[ActionSpec], held_on: datetime.date, people: set[int] | None
) -> None:
    for i, a in enumerate(actions):
        field = f"actions.{i}"
        _require(a.step in PracticeStep.values, _("Choose what the action asks for"), field)
        _require(
            bool(a.description.strip()) and len(a.description) <= 500,
            _("Describe the action in 500 characters or fewer"),
            field,
        )
        _require(
            _same_authority(actor, a.owner),
            _("Choose an owner for the action from your authority"),
            field,
        )
        _require(a.due_on >= held_on, _("An action must be due on or after the supervision"), field)
        if a.step in VERIFIED_STEPS:
            _require(a.person is not None, _("Choose the child the action is about"), field)
        if a.person is not None:
            if people is None:
                raise DomainError(
                    _("Reflective supervision actions cannot be about a child"), field=field
                )
            _require(
                a.person.pk in people, _("An action can only be about a child discussed"), field
            )


def _create_actions(
    supervision: Supervision, actions: Sequence[ActionSpec]
) -> list[SupervisionAction]:
    made = [
        SupervisionAction.objects.create(
            supervision=supervision,
            person=a.person,
            step=a.step,
            description=a.description.strip(),
            owner=a.owner,
            due_on=a.due_on,
        )
        for a in actions
    ]
    for action in made:
        enqueue(
            kind="oversight.action",
            dedupe_key=f"oversight.action:{action.pk}",
            subject=_("A supervision action for you is due %(day)s")
            % {"day": action.due_on.strftime("%d/%m/%Y")},
            link=f"/oversight/supervisions/{supervision.pk}/",
            user=action.owner,
        )
    return made


@transaction.atomic
def record_case_supervision(
    *,
    actor: User,
    worker: User,
    held_on: datetime.date,
    children: Sequence[ChildDiscussion],
    actions: Sequence[ActionSpec] = (),
) -> Supervision:
    """Record a case supervision: written once, it shows in the worker's supervision file and,
    for each child discussed, in the child's chronology as a management oversight entry that
    only the local authority sees."""
    _check_supervision(actor, worker, held_on)
    _require(bool(children), _("Add at least one child discussed"), "children")
    seen: set[int] = set()
    for i, c in enumerate(children):
        try:
            _check_child(actor, c.person)
        except DomainError:
            raise DomainError(
                _("You cannot record supervision of a child you may not see"), field=f"children.{i}"
            ) from None
        _require(
            c.person.pk not in seen,
            _("Each child can be discussed only once in a supervision"),
            f"children.{i}",
        )
        seen.add(c.person.pk)
        _require(
            bool(c.decisions.strip()),
            _("Enter the decisions about each child discussed"),
            f"children.{i}",
        )
        for text in (c.decisions, c.risk, c.lived_experience, c.plan_progress, c.drift):
            _require(
                len(text) <= MAX_TEXT,
                _("Each box must be 20,000 characters or fewer"),
                f"children.{i}",
            )
    _check_actions(actor, actions, held_on, seen)
    assert actor.agency_id is not None
    supervision = Supervision.objects.create(
        authority_id=actor.agency_id,
        kind=SupervisionKind.CASE,
        held_on=held_on,
        supervisor=actor,
        worker=worker,
        recorded_by=actor,
    )
    made = _create_actions(supervision, actions)
    occurred = timezone.make_aware(datetime.datetime.combine(held_on, datetime.time(12)))
    occurred = min(occurred, timezone.now())
    for c in children:
        lines = [_("Decisions: %(text)s") % {"text": c.decisions.strip()}]
        for a in made:
            if a.person_id == c.person.pk:
                lines.append(
                    _("Action for %(owner)s by %(day)s: %(text)s")
                    % {
                        "owner": a.owner.get_full_name(),
                        "day": a.due_on.strftime("%d/%m/%Y"),
                        "text": a.description,
                    }
                )
        event = add_case_event(
            actor=actor,
            person_id=c.person.pk,
            kind=EventKind.DECISION,
            title=_("Management oversight: case supervision of %(worker)s")
            % {"worker": worker.get_full_name()},
            occurred_at=occurred,
            detail="\n".join(lines),
            audience=Audience.LOCAL_AUTHORITY,
        )
        SupervisionChild.objects.create(
            supervision=supervision,
            person=c.person,
            risk=c.risk.strip(),
            lived_experience=c.lived_experience.strip(),
            plan_progress=c.plan_progress.strip(),
            drift=c.drift.strip(),
            decisions=c.decisions.strip(),
            chronology_event=event,
        )
    return supervision


@transaction.atomic
def record_reflective_supervision(
    *,
    actor: User,
    worker: User,
    held_on: datetime.date,
    wellbeing: str = "",
    workload: str = "",
    learning: str = "",
    actions: Sequence[ActionSpec] = (),
) -> Supervision:
    """Record professional and reflective supervision: seen only by the worker, the supervisor
    and the managers above the worker; never on a child's record."""
    _check_supervision(actor, worker, held_on)
    _require(
        any(t.strip() for t in (wellbeing, workload, learning)),
        _("Record what was discussed"),
        "wellbeing",
    )
    for text in (wellbeing, workload, learning):
        _require(
            len(text) <= MAX_TEXT, _("Each box must be 20,000 characters or fewer"), "wellbeing"
        )
    _check_actions(actor, actions, held_on, None)
    assert actor.agency_id is not None
    supervision = Supervision.objects.create(
        authority_id=actor.agency_id,
        kind=SupervisionKind.REFLECTIVE,
        held_on=held_on,
        supervisor=actor,
        worker=worker,
        wellbeing=wellbeing.strip(),
        workload=workload.strip(),
        learning=learning.strip(),
        recorded_by=actor,
    )
    _create_actions(supervision, actions)
    return supervision


@transaction.atomic
def mark_action_done(*, actor: User, action: SupervisionAction, note: str) -> SupervisionAction:
    """Mark an action that the record cannot check (``OTHER``) done; its owner or supervisor."""
    _require(
        action.step == PracticeStep.OTHER,
        _("This action is checked against the record: it is done when the record shows it"),
    )
    _require(
        actor.pk in (action.owner_id, action.supervision.supervisor_id),
        _("Only the action's owner or the supervisor can mark it done"),
    )
    _require(action.done_at is None, _("This action is already done"))
    _require(bool(note.strip()), _("Say what was done"), "note")
    action.done_at = timezone.now()
    action.evidence = note.strip()[:200]
    action.save(update_fields=["done_at", "evidence"])
    return action


# --- management oversight ----------------------------------------------------------------------


@transaction.atomic
def set_oversight_rating(
    *, actor: User, person: Person, rating: str, reason: str
) -> OversightRating:
    """A manager rates a child red, amber or green, with a reason; the rating sets when the
    manager next reviews the child (the authority's rule for that rating)."""
    _check_manager(actor)
    _check_child(actor, person)
    _require(rating in Rating.values, _("Choose a rating"), "rating")
    _require(bool(reason.strip()), _("Enter the reason for the rating"), "reason")
    _require(len(reason) <= MAX_TEXT, _("The reason must be 20,000 characters or fewer"), "reason")
    now = timezone.now()
    due = procedures.due(RATING_RULES[Rating(rating)], now)
    assert actor.agency_id is not None
    row = OversightRating.objects.create(
        person=person,
        authority_id=actor.agency_id,
        rating=rating,
        reason=reason.strip(),
        set_by=actor,
        set_at=now,
        review_due_at=due.due_at,
        rule_version=due.rule.version,
    )
    add_case_event(
        actor=actor,
        person_id=person.pk,
        kind=EventKind.DECISION,
        title=_("Management oversight rating: %(rating)s") % {"rating": Rating(rating).label},
        occurred_at=now,
        detail=reason.strip(),
        audience=Audience.LOCAL_AUTHORITY,
    )
    return row


@transaction.atomic
def set_weighting(
    *, actor: User, points: dict[str, int], ceiling: int, first_year_ceiling: int, note: str = ""
) -> WeightingTable:
    """A new version of the authority's weighting table (older versions are kept)."""
    from diogelu.oversight.caseloads import STATES

    if not actor.has_role("HEAD_OF_SERVICE") or not is_manager(actor):
        raise NotPermittedError(_("Only a head of service can change the weighting table"))
    _require(set(points) <= set(STATES), _("Unknown case state in the weighting table"), "points")
    _require(
        all(0 <= int(v) <= 100 for v in points.values()),
        _("Points must be between 0 and 100"),
        "points",
    )
    _require(
        0 < first_year_ceiling <= ceiling <= 500,
        _("Enter ceilings between 1 and 500, the first-year ceiling no more than the ceiling"),
        "ceiling",
    )
    assert actor.agency_id is not None
    latest = (
        WeightingTable.objects.filter(authority_id=actor.agency_id).order_by("-version").first()
    )
    return WeightingTable.objects.create(
        authority_id=actor.agency_id,
        version=(latest.version + 1) if latest else 1,
        points={k: int(v) for k, v in points.items()},
        ceiling=ceiling,
        first_year_ceiling=first_year_ceiling,
        created_by=actor,
        note=note,
    )


# --- posts -------------------------------------------------------------------------------------


@transaction.atomic
def establish_post(
    *, actor: User, team: Team, title: str, fte: object, established_on: datetime.date
) -> Any:
    """Add an established post to a team (vacant until it is filled)."""
    from diogelu.oversight.models import Post

    _check_workforce_actor(actor)
    _require(team.agency_id == actor.agency_id, _("Choose a team of your authority"), "team")
    _require(bool(title.strip()), _("Enter the title of the post"), "title")
    return Post.objects.create(
        team=team, title=title.strip()[:200], fte=_fte(fte), established_on=established_on
    )


@transaction.atomic
def fill_post(
    *,
    actor: User,
    post: Any,
    worker: Worker,
    starts_on: datetime.date,
    kind: str = "",
) -> Any:
    """Fill a vacant post from ``starts_on``: an appointment or agency cover (``kind``, the kind
    of the worker's contract on that day; empty: taken from it). The worker must be in post and
    in the post's team on that day, with a contract covering it, and hold no other post then."""
    from diogelu.oversight.models import PostHolding
    from diogelu.oversight.workforce_measures import team_on

    _check_workforce_actor(actor)
    _require(post.team.agency_id == actor.agency_id, _("Choose a post of your authority"))
    _require(worker.authority_id == actor.agency_id, _("Choose a worker of your authority"))
    _require(
        post.disestablished_on is None or starts_on < post.disestablished_on,
        _("This post is no longer established on that date"),
        "starts_on",
    )
    _require(
        starts_on >= post.established_on,
        _("A post is filled on or after the day it is established (%(day)s)")
        % {"day": post.established_on.strftime("%d/%m/%Y")},
        "starts_on",
    )
    _require(
        starts_on >= worker.started_on and not worker.is_leaver(starts_on),
        _("%(name)s is not in post on that date") % {"name": worker.user.get_full_name()},
        "worker",
    )
    contract = (
        worker.contracts.filter(starts_on__lte=starts_on)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=starts_on))
        .first()
    )
    _require(
        contract is not None,
        _("%(name)s has no contract on that date: add the contract first")
        % {"name": worker.user.get_full_name()},
        "worker",
    )
    assert contract is not None
    kind = kind or contract.kind
    _require(kind in ContractKind.values, _("Choose permanent, agency or another kind"), "kind")
    _require(
        kind == contract.kind,
        _(
            "%(name)s's contract on that date is %(contract)s: record it as %(contract)s, "
            "or change the contract first"
        )
        % {
            "name": worker.user.get_full_name(),
            "contract": contract.get_kind_display().lower(),
        },
        "kind",
    )
    team_then = (
        Worker.objects.filter(pk=worker.pk)
        .annotate(t=team_on("pk", starts_on, "team_id"))
        .values_list("t", flat=True)
        .first()
    )
    _require(
        team_then == post.team_id,
        _("%(name)s is not in this team on that date") % {"name": worker.user.get_full_name()},
        "worker",
    )
    held = post.holdings.filter(Q(ends_on__isnull=True) | Q(ends_on__gte=starts_on)).exists()
    _require(not held, _("This post is not vacant on that date"), "starts_on")
    other = (
        PostHolding.objects.filter(worker=worker)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=starts_on))
        .exclude(post=post)
        .select_related("post")
        .first()
    )
    _require(
        other is None,
        _("%(name)s already holds the post “%(post)s” on that date")
        % {"name": worker.user.get_full_name(), "post": other.post.title if other else ""},
        "worker",
    )
    return PostHolding.objects.create(
        post=post, worker=worker, kind=kind, starts_on=starts_on, recorded_by=actor
    )


@transaction.atomic
def amend_supervision(
    *,
    actor: User,
    supervision: Supervision,
    expected_version: int,
    wellbeing: str = "",
    workload: str = "",
    learning: str = "",
    decisions: dict[int, str] | None = None,
) -> Supervision:
    """The supervisor corrects a supervision: a reflective supervision's notes, or the decisions
    about each child of a case supervision (each change adds a chronology entry; the first entry
    stays). A stale edit (someone saved since) is refused, nothing written."""
    if actor.pk != supervision.supervisor_id:
        raise NotPermittedError(_("Only the supervisor can amend a supervision"))
    now = timezone.now()
    if supervision.kind == SupervisionKind.REFLECTIVE:
        _require(
            any(t.strip() for t in (wellbeing, workload, learning)),
            _("Record what was discussed"),
            "wellbeing",
        )
        for text in (wellbeing, workload, learning):
            _require(
                len(text) <= MAX_TEXT, _("Each box must be 20,000 characters or fewer"), "wellbeing"
            )
        supervision.wellbeing = wellbeing.strip()
        supervision.workload = workload.strip()
        supervision.learning = learning.strip()
        return save_versioned(
            supervision,
            expected_version=expected_version,
            fields=["wellbeing", "workload", "learning"],
        )
    changed = []
    for child in supervision.children.select_related("person"):
        text = (decisions or {}).get(child.person_id, child.decisions).strip()
        _require(
            bool(text), _("Enter the decisions about each child discussed"), f"children.{child.pk}"
        )
        _require(
            len(text) <= MAX_TEXT,
            _("Each box must be 20,000 characters or fewer"),
            f"children.{child.pk}",
        )
        if text != child.decisions:
            child.decisions = text
            changed.append(child)
    save_versioned(supervision, expected_version=expected_version, fields=[])
    for child in changed:
        child.save(update_fields=["decisions"])
        add_case_event(
            actor=actor,
            person_id=child.person_id,
            kind=EventKind.DECISION,
            title=_("Management oversight: case supervision amended"),
            occurred_at=now,
            detail=_("Decisions: %(text)s") % {"text": child.decisions},
            audience=Audience.LOCAL_AUTHORITY,
        )
    return supervision
