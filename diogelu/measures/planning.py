"""The improvement plan: inspections, findings, actions, their RAG, the stocktake and the report
to Cabinet and Scrutiny.

An action's RAG is *computed* where it has linked measures or milestones (the worst of: each
linked measure for the last complete quarter against the action's target, within 5 points is
amber; each milestone, overdue is red and due within 14 days amber) and *set by its owner with a
reason* where it has neither. An owner's RAG is a proposal until the plan lead agrees it (the plan
lead's own is agreed at once). Every change is written to the action's history.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from diogelu.access import naming
from diogelu.core.exceptions import DomainError, NotPermittedError, StaleEditError
from diogelu.measures import compute
from diogelu.measures.access import may_edit_measures, may_read_measures
from diogelu.measures.definitions import Kind, Scope, get_measure
from diogelu.measures.models import (
    ActionHistory,
    ActionStatus,
    CabinetReport,
    Evidence,
    Finding,
    ImprovementAction,
    Inspection,
    LinkedMeasure,
    Milestone,
    Rag,
    RagProposal,
)
from diogelu.measures.periods import Period

if TYPE_CHECKING:
    from diogelu.accounts.models import User

AMBER_POINTS = Decimal(5)
MILESTONE_AMBER_DAYS = 14
_ORDER = {"RED": 0, "AMBER": 1, "GREEN": 2, "": 3}


# --- reading ----------------------------------------------------------------------------------


def visible_inspections(user: User) -> QuerySet[Inspection]:
    """The authority's inspections, for its performance readers and for action owners."""
    if not (user.is_authenticated and user.is_active and user.agency_id):
        return Inspection.objects.none()
    if may_read_measures(user):
        return Inspection.objects.filter(authority_id=user.agency_id)
    owned = ImprovementAction.objects.filter(owner_id=user.pk).values("finding__inspection_id")
    return Inspection.objects.filter(authority_id=user.agency_id, pk__in=owned)


def access_inspection(user: User, pk: object) -> Inspection:
    try:
        return visible_inspections(user).get(pk=int(str(pk)))
    except (Inspection.DoesNotExist, ValueError):
        raise Http404 from None


def access_action(user: User, pk: object) -> ImprovementAction:
    try:
        return (
            ImprovementAction.objects.select_related("finding__inspection", "owner")
            .filter(finding__inspection__in=visible_inspections(user))
            .get(pk=int(str(pk)))
        )
    except (ImprovementAction.DoesNotExist, ValueError):
        raise Http404 from None


def access_report(user: User, pk: object) -> CabinetReport:
    try:
        return CabinetReport.objects.select_related("inspection").get(
            pk=int(str(pk)),
            inspection__in=visible_inspections(user).filter(authority_id=user.agency_id or 0),
        )
    except (CabinetReport.DoesNotExist, ValueError):
        raise Http404 from None


def access_finding(user: User, pk: object) -> Finding:
    """A finding of an inspection the user may read, or 404."""
    try:
        return Finding.objects.select_related("inspection").get(
            pk=int(str(pk)), inspection__in=visible_inspections(user)
        )
    except (Finding.DoesNotExist, ValueError):
        raise Http404 from None


def access_proposal(user: User, pk: object) -> RagProposal:
    """A RAG proposal on an action the user may read, or 404."""
    try:
        return RagProposal.objects.select_related("action__finding__inspection").get(
            pk=int(str(pk)), action__finding__inspection__in=visible_inspections(user)
        )
    except (RagProposal.DoesNotExist, ValueError):
        raise Http404 from None


def action_detail(action: ImprovementAction) -> dict[str, Any]:
    """An action's milestones, evidence, proposals and history (the page and the API)."""
    return {
        "milestones": list(action.milestones.all()),
        "evidence": list(action.evidence.select_related("added_by")),
        "proposals": list(action.proposals.select_related("proposed_by", "decided_by")),
        "history": list(action.history.select_related("by")),
    }


def may_change_action(user: User, action: ImprovementAction) -> bool:
    """The owner, the plan lead and the authority's editors; never an auditor as such."""
    if not (user.is_active and user.agency_id == action.finding.inspection.authority_id):
        return False
    return bool(
        action.owner_id == user.pk
        or action.finding.inspection.lead_id == user.pk
        or may_edit_measures(user)
    )


def last_complete_quarter(today: datetime.date) -> Period:
    return Period.containing("q", today).previous()


@dataclass
class ActionState:
    action: ImprovementAction
    rag: str
    computed: bool
    reasons: list[str] = field(default_factory=list)
    measures: list[dict[str, Any]] = field(default_factory=list)

    @property
    def is_completed(self) -> bool:
        return self.action.status == ActionStatus.COMPLETED


def _measure_values(
    authority_id: int, keys: set[str], period: Period, now: datetime.datetime
) -> dict[str, compute.MeasureSeries]:
    measures = tuple(m for m in (get_measure(k) for k in sorted(keys)) if m is not None)
    if not measures:
        return {}
    series = compute.compute_series(Scope(authority_id, now), period, measures)
    return {s.measure.key: s for s in series}


def action_states(
    actions: list[ImprovementAction], *, authority_id: int, now: datetime.datetime | None = None
) -> list[ActionState]:
    """Each action's RAG (computed or agreed) with its reasons and linked measure figures."""
    moment = now or timezone.now()
    today = timezone.localdate(moment)
    period = last_complete_quarter(today)
    links = list(LinkedMeasure.objects.filter(action__in=actions))
    milestones = list(Milestone.objects.filter(action__in=actions))
    series = _measure_values(authority_id, {link.measure for link in links}, period, moment)
    states = []
    for action in actions:
        own_links = [x for x in links if x.action_id == action.pk]
        own_milestones = [m for m in milestones if m.action_id == action.pk]
        reasons: list[str] = []
        rags: list[str] = []
        figures = []
        for link in own_links:
            measure = get_measure(link.measure)
            s = series.get(link.measure)
            if measure is None or s is None:
                continue
            value = s.current.value
            rag = (
                compute.rag(value, link.target, AMBER_POINTS, higher=measure.higher_is_better)
                if measure.kind == Kind.RATE
                else ""
            )
            figures.append({"link": link, "measure": measure, "series": s, "rag": rag})
            if rag:
                rags.append(rag)
                reasons.append(
                    _("%(name)s: %(value)s%% against a target of %(target)s%%")
                    % {"name": measure.name, "value": value, "target": link.target}
                )
        for m in own_milestones:
            if m.done_on is not None:
                rags.append("GREEN")
            elif m.due_on < today:
                rags.append("RED")
                reasons.append(_("Milestone overdue: %(m)s") % {"m": m.description})
            elif (m.due_on - today).days <= MILESTONE_AMBER_DAYS:
                rags.append("AMBER")
                reasons.append(_("Milestone due soon: %(m)s") % {"m": m.description})
            else:
                rags.append("GREEN")
        if action.status == ActionStatus.COMPLETED:
            states.append(ActionState(action, "GREEN", bool(rags), [_("Completed")], figures))
        elif rags:
            worst = min(rags, key=lambda r: _ORDER[r])
            states.append(ActionState(action, worst, True, reasons, figures))
        else:
            reason = [action.rag_reason] if action.rag_reason else []
            states.append(ActionState(action, action.rag, False, reason, figures))
    return states


def live_findings(inspection: Inspection) -> QuerySet[Finding]:
    """The inspection's findings not withdrawn."""
    return inspection.findings.filter(withdrawn_on__isnull=True)


def live_actions(inspection: Inspection) -> QuerySet[ImprovementAction]:
    """The plan's actions: neither withdrawn nor of a withdrawn finding."""
    return ImprovementAction.objects.filter(
        finding__inspection=inspection, finding__withdrawn_on__isnull=True
    ).exclude(status=ActionStatus.WITHDRAWN)


def plan(user: User, inspection: Inspection) -> dict[str, Any]:
    """The plan page: findings with their actions' states and a RAG count per finding."""
    findings = list(live_findings(inspection))
    actions = list(live_actions(inspection).select_related("owner", "partner_agency", "finding"))
    states = action_states(actions, authority_id=inspection.authority_id)
    by_finding: dict[int, list[ActionState]] = {f.pk: [] for f in findings}
    for s in states:
        by_finding[s.action.finding_id].append(s)
    rows = []
    for f in findings:
        own = by_finding[f.pk]
        counts = {r: sum(1 for s in own if s.rag == r) for r in ("GREEN", "AMBER", "RED", "")}
        counts["COMPLETED"] = sum(1 for s in own if s.is_completed)
        rows.append({"finding": f, "states": own, "counts": counts})
    pending = RagProposal.objects.filter(
        action__finding__inspection=inspection, decided_at__isnull=True
    ).select_related("action", "proposed_by")
    return {
        "inspection": inspection,
        "findings": rows,
        "pending": list(pending),
        "reports": list(inspection.reports.all()),
        "totals": {r: sum(1 for s in states if s.rag == r) for r in ("GREEN", "AMBER", "RED", "")},
        "completed": sum(1 for s in states if s.is_completed),
        "is_lead": inspection.lead_id == user.pk,
    }


def stocktake(inspection: Inspection) -> dict[str, Any]:
    """Per finding, every change to its actions since the last report was produced."""
    last = inspection.reports.order_by("-produced_at").first()
    since = last.produced_at if last else inspection.created_at
    changes = (
        ActionHistory.objects.filter(action__finding__inspection=inspection, at__gt=since)
        .select_related("action__finding", "by")
        .order_by("action__finding__number", "at")
    )
    by_finding: dict[int, list[ActionHistory]] = {}
    for c in changes:
        by_finding.setdefault(c.action.finding_id, []).append(c)
    return {
        "since": since,
        "last": last,
        "findings": [(f, by_finding.get(f.pk, [])) for f in inspection.findings.all()],
    }


# --- changing ---------------------------------------------------------------------------------


def _history(action: ImprovementAction, actor: User, what: str, detail: str = "") -> None:
    ActionHistory.objects.create(action=action, by=actor, what=what, detail=detail)


def _require_change(actor: User, action: ImprovementAction) -> None:
    if not may_change_action(actor, action):
        raise NotPermittedError(
            _("Only the action's owner, the plan lead or a head of service can change this action.")
        )
    if action.status == ActionStatus.WITHDRAWN:
        raise DomainError(_("This action has been withdrawn."))


def _fresh(action: ImprovementAction, version: int | None) -> ImprovementAction:
    current = ImprovementAction.objects.select_for_update().get(pk=action.pk)
    if version is not None and current.version != version:
        raise StaleEditError(
            _(
                "Someone else changed this action while you were looking at it. Check the action "
                "and try again."
            )
        )
    return current


@transaction.atomic
def update_action_progress(
    *,
    actor: User,
    action: ImprovementAction,
    version: int | None,
    note: str,
    completed: bool,
    due_on: datetime.date | None = None,
) -> ImprovementAction:
    """Record progress: a note, a new due date, or the action completed."""
    _require_change(actor, action)
    current = _fresh(action, version)
    if not note.strip():
        raise DomainError(_("Say what has changed"))
    changes = []
    if due_on is not None and due_on != current.due_on:
        changes.append(_("Due date %(old)s → %(new)s") % {"old": current.due_on, "new": due_on})
        current.due_on = due_on
    if completed and current.status != ActionStatus.COMPLETED:
        current.status = ActionStatus.COMPLETED
        current.completed_on = timezone.localdate()
        changes.append(_("Completed"))
    elif not completed and current.status == ActionStatus.COMPLETED:
        current.status = ActionStatus.OPEN
        current.completed_on = None
        changes.append(_("Reopened"))
    current.version += 1
    current.save()
    _history(current, actor, "progress", "\n".join([note.strip(), *changes]))
    return current


@transaction.atomic
def link_measure(
    *, actor: User, action: ImprovementAction, measure_key: str, target: Decimal
) -> LinkedMeasure:
    _require_change(actor, action)
    measure = get_measure(measure_key)
    if measure is None or measure.kind != Kind.RATE:
        raise DomainError(_("Choose a measure that is a percentage"))
    if not Decimal(0) <= target <= Decimal(100):
        raise DomainError(_("Enter a target between 0 and 100"))
    link, _created = LinkedMeasure.objects.update_or_create(
        action=action, measure=measure.key, defaults={"target": target, "linked_by": actor}
    )
    _history(action, actor, "measure", f"{measure.name_en} ≥ {target}%")
    return link


@transaction.atomic
def add_milestone(
    *, actor: User, action: ImprovementAction, description: str, due_on: datetime.date
) -> Milestone:
    _require_change(actor, action)
    if not description.strip():
        raise DomainError(_("Describe the milestone"))
    milestone = Milestone.objects.create(
        action=action, description=description.strip(), due_on=due_on
    )
    _history(action, actor, "milestone", f"{milestone.description} ({due_on.isoformat()})")
    return milestone


@transaction.atomic
def complete_milestone(*, actor: User, milestone: Milestone) -> Milestone:
    _require_change(actor, milestone.action)
    milestone.done_on = timezone.localdate()
    milestone.save(update_fields=["done_on"])
    _history(milestone.action, actor, "milestone_done", milestone.description)
    return milestone


@transaction.atomic
def add_evidence(
    *, actor: User, action: ImprovementAction, kind: str, title: str, detail: str
) -> Evidence:
    _require_change(actor, action)
    if not title.strip():
        raise DomainError(_("Give the evidence a title"))
    evidence = Evidence.objects.create(
        action=action, kind=kind, title=title.strip(), detail=detail.strip(), added_by=actor
    )
    _history(action, actor, "evidence", evidence.title)
    return evidence


@transaction.atomic
def propose_rag(*, actor: User, action: ImprovementAction, rag: str, reason: str) -> RagProposal:
    """Propose a RAG for an action with no linked measure or milestone; the plan lead's own
    proposal is agreed at once."""
    _require_change(actor, action)
    if rag not in Rag.values:
        raise DomainError(_("Choose on track, at risk or off track"))
    if len(reason.strip()) < 10:
        raise DomainError(_("Give the reason for the RAG (at least 10 characters)"))
    if LinkedMeasure.objects.filter(action=action).exists() or action.milestones.exists():
        raise DomainError(
            _("This action's RAG is computed from its linked measures and milestones.")
        )
    proposal = RagProposal.objects.create(
        action=action, rag=rag, reason=reason.strip(), proposed_by=actor
    )
    _history(action, actor, "rag_proposed", f"{rag}: {proposal.reason}")
    if action.finding.inspection.lead_id == actor.pk:
        _decide(actor, proposal, agree=True)
    return proposal


def _decide(actor: User, proposal: RagProposal, *, agree: bool) -> None:
    proposal.decided_by = actor
    proposal.decided_at = timezone.now()
    proposal.agreed = agree
    proposal.save(update_fields=["decided_by", "decided_at", "agreed"])
    action = ImprovementAction.objects.select_for_update().get(pk=proposal.action_id)
    if agree:
        old = action.rag
        action.rag = proposal.rag
        action.rag_reason = proposal.reason
        action.version += 1
        action.save(update_fields=["rag", "rag_reason", "version", "updated_at"])
        _history(action, actor, "rag_agreed", f"{old or '-'} → {proposal.rag}")
    else:
        _history(action, actor, "rag_declined", proposal.rag)


@transaction.atomic
def decide_rag_proposal(*, actor: User, proposal: RagProposal, agree: bool) -> RagProposal:
    """The plan lead agrees (or declines) an owner's proposed RAG."""
    if proposal.action.finding.inspection.lead_id != actor.pk:
        raise NotPermittedError(_("Only the plan lead can agree a change of RAG."))
    if proposal.decided_at is not None:
        raise DomainError(_("This proposal has already been decided."))
    _decide(actor, proposal, agree=agree)
    return proposal


@transaction.atomic
def produce_cabinet_report(
    *,
    actor: User,
    inspection: Inspection,
    meeting_on: datetime.date,
    committee: str,
    layout: str,
) -> CabinetReport:
    """Freeze the plan's state for a meeting: the report reads the same ever after."""
    if not may_edit_measures(actor) and inspection.lead_id != actor.pk:
        raise NotPermittedError(_("Only the plan lead or a head of service can produce a report."))
    if not committee.strip():
        raise DomainError(_("Name the committee"))
    report = CabinetReport.objects.create(
        inspection=inspection,
        meeting_on=meeting_on,
        committee=committee.strip(),
        layout=layout,
        produced_by=actor,
        snapshot=snapshot(inspection, meeting_on),
    )
    return report


def snapshot(inspection: Inspection, meeting_on: datetime.date) -> dict[str, Any]:
    """The figures a report presents, as plain data (English and Welsh texts both kept)."""
    actions = list(live_actions(inspection).select_related("owner", "partner_agency", "finding"))
    states = action_states(actions, authority_id=inspection.authority_id)
    horizon = meeting_on + datetime.timedelta(days=92)
    findings = []
    for f in live_findings(inspection):
        own = [s for s in states if s.action.finding_id == f.pk]
        findings.append(
            {
                "number": f.number,
                "area": f.area,
                "area_cy": f.area_cy or f.area,
                "text": f.text,
                "text_cy": f.text_cy or f.text,
                "counts": {r: sum(1 for s in own if s.rag == r) for r in ("GREEN", "AMBER", "RED")},
                "completed": sum(1 for s in own if s.is_completed),
                "actions": [
                    {
                        "number": s.action.number,
                        "description": s.action.description,
                        "description_cy": s.action.description_cy or s.action.description,
                        "owner": str(s.action.owner),
                        "partner": s.action.partner_agency.name if s.action.partner_agency else "",
                        "due_on": s.action.due_on.isoformat(),
                        "completed": s.is_completed,
                        "rag": s.rag,
                        "computed": s.computed,
                        "due_soon": (not s.is_completed) and s.action.due_on <= horizon,
                        "reasons": [str(r) for r in s.reasons],
                    }
                    for s in own
                ],
            }
        )
    measures = {}
    for s in states:
        for fig in s.measures:
            m = fig["measure"]
            measures[m.key] = {
                "key": m.key,
                "name": m.name_en,
                "name_cy": m.name_cy,
                "target": float(fig["link"].target),
                "value": fig["series"].current.value,
                "trend": [[t.period.start.isoformat(), t.value] for t in fig["series"].trend],
            }
    evidence = [
        {
            "action": e.action.number,
            "kind": e.kind,
            "title": e.title,
            "added_on": timezone.localdate(e.added_at).isoformat(),
        }
        for e in Evidence.objects.filter(action__in=live_actions(inspection)).select_related(
            "action"
        )
    ]
    return {"findings": findings, "measures": list(measures.values()), "evidence": evidence}


# --- recording the inspection and its plan ----------------------------------------------------


def may_shape_plan(user: User, inspection: Inspection | None = None) -> bool:
    """Heads of service record inspections; they and the plan lead add findings and actions."""
    if may_edit_measures(user):
        return inspection is None or inspection.authority_id == user.agency_id
    return inspection is not None and inspection.lead_id == user.pk


@transaction.atomic
def record_inspection(
    *,
    actor: User,
    kind: str,
    title: str,
    title_cy: str,
    held_from: datetime.date,
    held_to: datetime.date,
    lead: User,
) -> Inspection:
    if not may_shape_plan(actor):
        raise NotPermittedError(_("Only a head of service can record an inspection."))
    if held_to < held_from:
        raise DomainError(
            _("The inspection must end on or after the day it starts"), field="held_to"
        )
    if lead.agency_id != actor.agency_id or not lead.is_active:
        raise DomainError(_("Choose a plan lead in your authority"), field="lead")
    return Inspection.objects.create(
        authority_id=int(actor.agency_id or 0),
        kind=kind,
        title=title.strip(),
        title_cy=title_cy.strip(),
        held_from=held_from,
        held_to=held_to,
        lead=lead,
    )


@transaction.atomic
def add_finding(
    *, actor: User, inspection: Inspection, area: str, area_cy: str, text: str, text_cy: str
) -> Finding:
    if not may_shape_plan(actor, inspection):
        raise NotPermittedError(_("Only the plan lead or a head of service can add findings."))
    number = (
        inspection.findings.order_by("-number").values_list("number", flat=True).first() or 0
    ) + 1
    return Finding.objects.create(
        inspection=inspection,
        number=number,
        area=area.strip(),
        area_cy=area_cy.strip(),
        text=text.strip(),
        text_cy=text_cy.strip(),
    )


@transaction.atomic
def add_action(
    *,
    actor: User,
    finding: Finding,
    description: str,
    description_cy: str,
    owner: User,
    partner_agency: Any,
    due_on: datetime.date,
) -> ImprovementAction:
    inspection = finding.inspection
    if not may_shape_plan(actor, inspection):
        raise NotPermittedError(_("Only the plan lead or a head of service can add actions."))
    _check_owner(inspection, owner, partner_agency)
    count = finding.actions.count()
    action = ImprovementAction.objects.create(
        finding=finding,
        number=f"{finding.number}.{count + 1}",
        description=description.strip(),
        description_cy=description_cy.strip(),
        owner=owner,
        partner_agency=partner_agency,
        due_on=due_on,
    )
    _history(action, actor, "created", action.description)
    return action


def _check_owner(inspection: Inspection, owner: User, partner_agency: Any) -> None:
    """The owner: an active member of the authority's staff (the plan is theirs to read); the
    partner agency, where the action is theirs: one the authority works with (``naming``)."""
    naming.check_user(authority_id=inspection.authority_id, user=owner, field="owner")
    if owner.agency_id != inspection.authority_id:
        raise DomainError(_("Choose an owner in your authority"), field="owner")
    if partner_agency is not None:
        naming.check_agency(
            authority_id=inspection.authority_id,
            agency=partner_agency,
            field="partner_agency",
            partners_only=True,
        )


def _finding_history(finding: Finding, actor: User, what: str, detail: str) -> None:
    """A finding's change is kept on each of its actions (the stocktake reads action history)."""
    for action in finding.actions.exclude(status=ActionStatus.WITHDRAWN):
        _history(action, actor, what, detail)


def _fresh_finding(finding: Finding, version: int | None) -> Finding:
    current = Finding.objects.select_for_update().get(pk=finding.pk)
    if version is not None and current.version != version:
        raise StaleEditError(
            _(
                "Someone else changed this finding while you were looking at it. Check the "
                "finding and try again."
            )
        )
    if current.withdrawn_on is not None:
        raise DomainError(_("This finding has been withdrawn."))
    return current


@transaction.atomic
def edit_finding(
    *,
    actor: User,
    finding: Finding,
    version: int | None,
    area: str,
    area_cy: str,
    text: str,
    text_cy: str,
) -> Finding:
    if not may_shape_plan(actor, finding.inspection):
        raise NotPermittedError(_("Only the plan lead or a head of service can change findings."))
    current = _fresh_finding(finding, version)
    before = (current.area, current.text)
    current.area, current.area_cy = area.strip(), area_cy.strip()
    current.text, current.text_cy = text.strip(), text_cy.strip()
    current.version += 1
    current.save()
    if before != (current.area, current.text):
        _finding_history(current, actor, "finding_edited", f"{current.area}: {current.text}")
    return current


@transaction.atomic
def withdraw_finding(*, actor: User, finding: Finding, version: int | None, reason: str) -> Finding:
    """Take a finding recorded in error out of the plan, with its actions; kept, never deleted."""
    if not may_shape_plan(actor, finding.inspection):
        raise NotPermittedError(_("Only the plan lead or a head of service can change findings."))
    if len(reason.strip()) < 10:
        raise DomainError(_("Give the reason (at least 10 characters)"), field="reason")
    current = _fresh_finding(finding, version)
    current.withdrawn_on = timezone.localdate()
    current.version += 1
    current.save()
    _finding_history(current, actor, "finding_withdrawn", reason.strip())
    return current


@transaction.atomic
def edit_action(
    *,
    actor: User,
    action: ImprovementAction,
    version: int | None,
    description: str,
    description_cy: str,
    owner: User,
    partner_agency: Any,
    due_on: datetime.date,
) -> ImprovementAction:
    """Change what an action is, who owns it and when it is due (the plan lead or an editor)."""
    if not may_shape_plan(actor, action.finding.inspection):
        raise NotPermittedError(_("Only the plan lead or a head of service can change actions."))
    current = _fresh(action, version)
    if current.status == ActionStatus.WITHDRAWN:
        raise DomainError(_("This action has been withdrawn."))
    _check_owner(action.finding.inspection, owner, partner_agency)
    changes = []
    if description.strip() != current.description:
        changes.append(_("Action: %(text)s") % {"text": description.strip()})
    if owner.pk != current.owner_id:
        changes.append(_("Owner: %(name)s") % {"name": str(owner)})
    if (partner_agency.pk if partner_agency else None) != current.partner_agency_id:
        name = partner_agency.name if partner_agency else "-"
        changes.append(_("Partner agency: %(name)s") % {"name": name})
    if due_on != current.due_on:
        changes.append(_("Due date %(old)s → %(new)s") % {"old": current.due_on, "new": due_on})
    current.description = description.strip()
    current.description_cy = description_cy.strip()
    current.owner = owner
    current.partner_agency = partner_agency
    current.due_on = due_on
    current.version += 1
    current.save()
    _history(current, actor, "edited", "\n".join(str(c) for c in changes))
    return current


@transaction.atomic
def withdraw_action(
    *, actor: User, action: ImprovementAction, version: int | None, reason: str
) -> ImprovementAction:
    """Take an action out of the plan (kept with its history, never deleted)."""
    if not may_shape_plan(actor, action.finding.inspection):
        raise NotPermittedError(_("Only the plan lead or a head of service can change actions."))
    if len(reason.strip()) < 10:
        raise DomainError(_("Give the reason (at least 10 characters)"), field="reason")
    current = _fresh(action, version)
    if current.status == ActionStatus.WITHDRAWN:
        raise DomainError(_("This action has been withdrawn."))
    current.status = ActionStatus.WITHDRAWN
    current.withdrawn_on = timezone.localdate()
    current.version += 1
    current.save()
    _history(current, actor, "withdrawn", reason.strip())
    return current
