"""Pages of the improvement plan and the reports to Cabinet.

Thin: reads through ``planning.access_*`` (404 alike for a missing id and one of another
authority or not the reader's), every change through one ``planning`` service.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from diogelu.accounts.stepup import step_up_required
from diogelu.core.documents import pdf_response
from diogelu.core.exceptions import DomainError
from diogelu.core.views import AuthedRequest, add_domain_error
from diogelu.measures import cabinet, planning
from diogelu.measures.access import may_edit_measures
from diogelu.measures.forms import (
    ActionEditForm,
    ActionForm,
    CabinetReportForm,
    EvidenceForm,
    FindingEditForm,
    FindingForm,
    InspectionForm,
    LinkMeasureForm,
    MilestoneForm,
    ProgressForm,
    RagForm,
    WithdrawForm,
)
from diogelu.measures.models import (
    ActionStatus,
    AuthoritySettings,
    Milestone,
    RagProposal,
    ReportLayout,
)


def plans_view(request: AuthedRequest) -> HttpResponse:
    inspections = list(planning.visible_inspections(request.user))
    if not inspections and not may_edit_measures(request.user):
        from diogelu.measures.access import require_reader

        require_reader(request.user)
    return render(
        request,
        "measures/plans.jinja",
        {"inspections": inspections, "may_record": planning.may_shape_plan(request.user)},
    )


def plan_view(request: AuthedRequest, inspection_id: int) -> HttpResponse:
    inspection = planning.access_inspection(request.user, inspection_id)
    if request.method == "POST":
        if inspection.lead_id != request.user.pk:
            raise Http404
        proposal = RagProposal.objects.filter(
            pk=_int(request.POST.get("proposal")),
            action__finding__inspection=inspection,
        ).first()
        if proposal is None:
            raise Http404
        try:
            planning.decide_rag_proposal(
                actor=request.user, proposal=proposal, agree=request.POST.get("agree") == "yes"
            )
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Decision on the proposed RAG recorded"))
        return HttpResponseRedirect(reverse("plan_show", args=[inspection.pk]))
    data = planning.plan(request.user, inspection)
    return render(
        request,
        "measures/plan.jinja",
        {
            **data,
            "may_report": may_edit_measures(request.user) or data["is_lead"],
            "may_shape": planning.may_shape_plan(request.user, inspection),
        },
    )


def _int(value: Any) -> int:
    try:
        return int(str(value))
    except (TypeError, ValueError):
        return 0


def stocktake_view(request: AuthedRequest, inspection_id: int) -> HttpResponse:
    inspection = planning.access_inspection(request.user, inspection_id)
    return render(
        request,
        "measures/stocktake.jinja",
        {"inspection": inspection, **planning.stocktake(inspection)},
    )


_ACTION_FORMS: dict[str, type[forms.Form]] = {
    "progress": ProgressForm,
    "measure": LinkMeasureForm,
    "milestone": MilestoneForm,
    "evidence": EvidenceForm,
    "rag": RagForm,
}


def action_view(request: AuthedRequest, improvement_action_id: int) -> HttpResponse:
    action = planning.access_action(request.user, improvement_action_id)
    may_change = planning.may_change_action(request.user, action)
    bound: dict[str, forms.Form] = {}
    status = 200
    if request.method == "POST":
        if not may_change:
            raise Http404
        which = request.POST.get("form", "")
        if which == "milestone_done":
            milestone = Milestone.objects.filter(
                pk=_int(request.POST.get("milestone")), action=action
            ).first()
            if milestone is None:
                raise Http404
            planning.complete_milestone(actor=request.user, milestone=milestone)
            messages.success(request, _("Milestone marked as done"))
            return HttpResponseRedirect(reverse("action_show", args=[action.pk]))
        form_class = _ACTION_FORMS.get(which)
        if form_class is None:
            raise Http404
        form = form_class(request.POST, prefix=which)
        bound[which] = form
        if form.is_valid():
            try:
                _apply(request, action, which, form.cleaned_data)
            except DomainError as exc:
                add_domain_error(form, exc)
                status = exc.status_code
            else:
                return HttpResponseRedirect(reverse("action_show", args=[action.pk]))
        else:
            status = 400
    forms_ = {
        name: bound.get(name)
        or cls(
            prefix=name,
            initial={"version": action.version} if name == "progress" else None,
        )
        for name, cls in _ACTION_FORMS.items()
    }
    (state,) = planning.action_states([action], authority_id=action.finding.inspection.authority_id)
    return render(
        request,
        "measures/action.jinja",
        {
            "action": action,
            "state": state,
            "forms": forms_,
            "may_change": may_change,
            "may_shape": planning.may_shape_plan(request.user, action.finding.inspection),
            "history": list(action.history.select_related("by")),
            "milestones": list(action.milestones.all()),
            "evidence": list(action.evidence.all()),
            "proposals": list(action.proposals.select_related("proposed_by", "decided_by")),
            "has_computed": state.computed,
        },
        status=status,
    )


def _apply(request: AuthedRequest, action: Any, which: str, data: dict[str, Any]) -> None:
    user = request.user
    if which == "progress":
        planning.update_action_progress(
            actor=user,
            action=action,
            version=data["version"],
            note=data["note"],
            completed=data["completed"],
            due_on=data["due_on"],
        )
        messages.success(request, _("Progress recorded"))
    elif which == "measure":
        planning.link_measure(
            actor=user, action=action, measure_key=data["measure"], target=data["target"]
        )
        messages.success(request, _("Measure linked"))
    elif which == "milestone":
        planning.add_milestone(
            actor=user, action=action, description=data["description"], due_on=data["due_on"]
        )
        messages.success(request, _("Milestone added"))
    elif which == "evidence":
        planning.add_evidence(
            actor=user,
            action=action,
            kind=data["kind"],
            title=data["title"],
            detail=data["detail"],
        )
        messages.success(request, _("Evidence added"))
    else:
        proposal = planning.propose_rag(
            actor=user, action=action, rag=data["rag"], reason=data["reason"]
        )
        if proposal.agreed:
            messages.success(request, _("RAG changed"))
        else:
            messages.success(request, _("RAG proposed: the plan lead will be asked to agree it"))


def report_new_view(request: AuthedRequest, inspection_id: int) -> HttpResponse:
    inspection = planning.access_inspection(request.user, inspection_id)
    if not (may_edit_measures(request.user) or inspection.lead_id == request.user.pk):
        raise Http404
    settings = AuthoritySettings.objects.filter(authority_id=inspection.authority_id).first()
    layout = settings.report_layout if settings else ReportLayout.SIDE_BY_SIDE
    form = CabinetReportForm(request.POST or None, initial={"layout": layout})
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                report = planning.produce_cabinet_report(
                    actor=request.user,
                    inspection=inspection,
                    meeting_on=form.cleaned_data["meeting_on"],
                    committee=form.cleaned_data["committee"],
                    layout=form.cleaned_data["layout"],
                )
            except DomainError as exc:
                add_domain_error(form, exc)
                status = exc.status_code
            else:
                messages.success(request, _("Report produced"))
                return HttpResponseRedirect(reverse("cabinet_report", args=[report.pk]))
        else:
            status = 400
    return render(
        request,
        "measures/report_new.jinja",
        {"inspection": inspection, "form": form, "today": timezone.localdate()},
        status=status,
    )


def cabinet_report_view(request: AuthedRequest, cabinet_id: int) -> HttpResponse:
    report = planning.access_report(request.user, cabinet_id)
    return render(
        request,
        "measures/cabinet.jinja",
        {**cabinet.context(report), "report": report, "pdf": False},
    )


@step_up_required
def cabinet_pdf_view(request: AuthedRequest, cabinet_id: int) -> HttpResponse:
    report = planning.access_report(request.user, cabinet_id)
    pdf = cabinet.report_pdf(request.user, report)
    return pdf_response(pdf, filename=f"diogelu-{cabinet.report_reference(report)}.pdf")


def inspection_new_view(request: AuthedRequest) -> HttpResponse:
    if not planning.may_shape_plan(request.user):
        raise Http404
    form = InspectionForm(request.POST or None, authority_id=int(request.user.agency_id or 0))
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                inspection = planning.record_inspection(actor=request.user, **data)
            except DomainError as exc:
                add_domain_error(form, exc)
                status = exc.status_code
            else:
                messages.success(request, _("Inspection recorded"))
                return HttpResponseRedirect(reverse("plan_show", args=[inspection.pk]))
        else:
            status = 400
    return render(request, "measures/inspection_new.jinja", {"form": form}, status=status)


def finding_new_view(request: AuthedRequest, inspection_id: int) -> HttpResponse:
    inspection = planning.access_inspection(request.user, inspection_id)
    if not planning.may_shape_plan(request.user, inspection):
        raise Http404
    form = FindingForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            planning.add_finding(actor=request.user, inspection=inspection, **form.cleaned_data)
            messages.success(request, _("Finding added"))
            return HttpResponseRedirect(reverse("plan_show", args=[inspection.pk]))
        status = 400
    return render(
        request,
        "measures/plan_form.jinja",
        {
            "form": form,
            "inspection": inspection,
            "heading": _("Add a finding"),
            "button": _("Add the finding"),
        },
        status=status,
    )


def action_new_view(request: AuthedRequest, inspection_id: int) -> HttpResponse:
    inspection = planning.access_inspection(request.user, inspection_id)
    if not planning.may_shape_plan(request.user, inspection):
        raise Http404
    form = ActionForm(request.POST or None, inspection=inspection)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                action = planning.add_action(actor=request.user, **form.cleaned_data)
            except DomainError as exc:
                add_domain_error(form, exc)
                status = exc.status_code
            else:
                messages.success(request, _("Action added"))
                return HttpResponseRedirect(reverse("action_show", args=[action.pk]))
        else:
            status = 400
    return render(
        request,
        "measures/plan_form.jinja",
        {
            "form": form,
            "inspection": inspection,
            "heading": _("Add an action"),
            "button": _("Add the action"),
        },
        status=status,
    )


def _edit_page(
    request: AuthedRequest,
    *,
    inspection: Any,
    form: Any,
    withdraw: Any,
    heading: str,
    button: str,
    withdraw_button: str,
    status: int,
) -> HttpResponse:
    return render(
        request,
        "measures/plan_edit.jinja",
        {
            "form": form,
            "withdraw": withdraw,
            "inspection": inspection,
            "heading": heading,
            "button": button,
            "withdraw_button": withdraw_button,
        },
        status=status,
    )


def finding_edit_view(request: AuthedRequest, finding_id: int) -> HttpResponse:
    """Change a finding's area and text, or withdraw it (the plan lead or a head of service)."""
    finding = planning.access_finding(request.user, finding_id)
    inspection = finding.inspection
    if not planning.may_shape_plan(request.user, inspection) or finding.withdrawn_on:
        raise Http404
    which = request.POST.get("which") if request.method == "POST" else None
    initial = {
        "area": finding.area,
        "area_cy": finding.area_cy,
        "text": finding.text,
        "text_cy": finding.text_cy,
        "version": finding.version,
    }
    form = FindingEditForm(request.POST if which == "edit" else None, initial=initial)
    withdraw = WithdrawForm(
        request.POST if which == "withdraw" else None, initial={"version": finding.version}
    )
    status = 200
    if which in ("edit", "withdraw"):
        bound = form if which == "edit" else withdraw
        if bound.is_valid():
            data = bound.cleaned_data
            try:
                if which == "edit":
                    planning.edit_finding(
                        actor=request.user,
                        finding=finding,
                        version=data["version"],
                        area=data["area"],
                        area_cy=data["area_cy"],
                        text=data["text"],
                        text_cy=data["text_cy"],
                    )
                    messages.success(request, _("Finding changed"))
                else:
                    planning.withdraw_finding(
                        actor=request.user,
                        finding=finding,
                        version=data["version"],
                        reason=data["reason"],
                    )
                    messages.success(request, _("Finding withdrawn"))
            except DomainError as exc:
                add_domain_error(bound, exc)
                status = exc.status_code
            else:
                return HttpResponseRedirect(reverse("plan_show", args=[inspection.pk]))
        else:
            status = 400
    return _edit_page(
        request,
        inspection=inspection,
        form=form,
        withdraw=withdraw,
        heading=_("Change finding %(n)s") % {"n": finding.number},
        button=_("Save the finding"),
        withdraw_button=_("Withdraw the finding"),
        status=status,
    )


def action_edit_view(request: AuthedRequest, improvement_action_id: int) -> HttpResponse:
    """Change an action's text, owner, partner agency and due date, or withdraw it."""
    action = planning.access_action(request.user, improvement_action_id)
    inspection = action.finding.inspection
    if (
        not planning.may_shape_plan(request.user, inspection)
        or action.status == ActionStatus.WITHDRAWN
    ):
        raise Http404
    which = request.POST.get("which") if request.method == "POST" else None
    initial = {
        "description": action.description,
        "description_cy": action.description_cy,
        "owner": action.owner_id,
        "partner_agency": action.partner_agency_id,
        "due_on": action.due_on,
        "version": action.version,
    }
    form = ActionEditForm(
        request.POST if which == "edit" else None, initial=initial, inspection=inspection
    )
    withdraw = WithdrawForm(
        request.POST if which == "withdraw" else None, initial={"version": action.version}
    )
    status = 200
    if which in ("edit", "withdraw"):
        bound = form if which == "edit" else withdraw
        if bound.is_valid():
            data = bound.cleaned_data
            try:
                if which == "edit":
                    planning.edit_action(
                        actor=request.user,
                        action=action,
                        version=data["version"],
                        description=data["description"],
                        description_cy=data["description_cy"],
                        owner=data["owner"],
                        partner_agency=data["partner_agency"],
                        due_on=data["due_on"],
                    )
                    messages.success(request, _("Action changed"))
                    target = reverse("action_show", args=[action.pk])
                else:
                    planning.withdraw_action(
                        actor=request.user,
                        action=action,
                        version=data["version"],
                        reason=data["reason"],
                    )
                    messages.success(request, _("Action withdrawn"))
                    target = reverse("plan_show", args=[inspection.pk])
            except DomainError as exc:
                add_domain_error(bound, exc)
                status = exc.status_code
            else:
                return HttpResponseRedirect(target)
        else:
            status = 400
    return _edit_page(
        request,
        inspection=inspection,
        form=form,
        withdraw=withdraw,
        heading=_("Change action %(n)s") % {"n": action.number},
        button=_("Save the action"),
        withdraw_button=_("Withdraw the action"),
        status=status,
    )
