"""Pages for strategy discussions and section 47 enquiries (local authority social work staff).

Thin views: case data only through ``enquiries.access``; every change through
``enquiries.services``; domain errors shown on the form (400/403/409).
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from diogelu import procedures
from diogelu.accounts.models import MANAGER_ROLES
from diogelu.core import presenters as core_presenters
from diogelu.core.deadlines import stored_due
from diogelu.core.exceptions import DomainError
from diogelu.core.extensions import page_sections
from diogelu.core.presenters import safe_url
from diogelu.core.views import AuthedRequest, add_domain_error
from diogelu.enquiries import access, services
from diogelu.enquiries import queues as enquiry_queues
from diogelu.enquiries.forms import ChildSeenForm, DeterminationForm, StrategyForm
from diogelu.enquiries.models import Determination, Section47Enquiry
from diogelu.referrals.models import Outcome, ReportStatus


def _route(request: AuthedRequest, default: str) -> str:
    match = request.resolver_match
    return (match.url_name if match else None) or default


# --- strategy discussions ------------------------------------------------------------------------


def record_strategy_view(request: AuthedRequest, pk: int) -> HttpResponse:
    """Record a strategy discussion or meeting held on a report decided for one."""
    report = access.access_report_for_strategy(
        request.user, pk, route=_route(request, "record_strategy"), request=request
    )
    decision = getattr(report, "decision", None)
    eligible = (
        decision is not None
        and decision.is_final
        and decision.outcome == Outcome.STRATEGY_DISCUSSION
        and report.status != ReportStatus.CLOSED
    )
    initial = {"p0_agency": str(report.authority_id), "chair": str(request.user.pk)}
    form = StrategyForm(request.POST or None, report=report, initial=initial)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                strategy = services.record_strategy_discussion(
                    actor=request.user, report=report, **form.service_kwargs()
                )
            except DomainError as exc:
                add_domain_error(form, exc)
                status = exc.status_code
            else:
                messages.success(
                    request,
                    _("Strategy discussion recorded and its outcome shared with every agency"),
                )
                return HttpResponseRedirect(reverse("show_strategy", args=[strategy.pk]))
    context = {
        "report": report,
        "form": form,
        "eligible": eligible,
        "previous": list(report.strategy_discussions.order_by("-held_at")),
        "mash_report_url": safe_url("mash_report", report.pk),
    }
    return render(request, "enquiries/strategy_form.jinja", context, status=status)


def show_strategy_view(request: AuthedRequest, pk: int) -> HttpResponse:
    strategy = access.access_strategy(
        request.user, pk, route=_route(request, "show_strategy"), request=request
    )
    decisions = list(strategy.child_decisions.select_related("child", "person"))
    enquiries = {
        e.decision_id: e
        for e in access.visible_enquiries(request.user).filter(decision__strategy=strategy)
    }
    context = {
        "s": strategy,
        "participants": list(strategy.participants.select_related("agency")),
        "decisions": [(d, enquiries.get(d.pk)) for d in decisions],
        "actions": list(strategy.actions.select_related("owner_agency")),
        # A partner agency reads the partner view (ADR 0640), without the MASH's page of the report.
        "whole": access.reads_whole(request.user),
        "mash_report_url": safe_url("mash_report", strategy.report_id)
        if access.reads_whole(request.user)
        else None,
        # What the apps above add (exploitation: flag a concern for a child discussed).
        "page_sections": page_sections("strategy", request.user, strategy),
    }
    return render(request, "enquiries/strategy_show.jinja", context)


# --- section 47 enquiries ------------------------------------------------------------------------


def _enquiry_page(
    request: AuthedRequest,
    enquiry: Section47Enquiry,
    *,
    seen_form: forms.Form | None = None,
    determination_form: forms.Form | None = None,
    return_form: forms.Form | None = None,
    error: str = "",
    status: int = 200,
) -> HttpResponse:
    user = request.user
    now = timezone.now()
    clock = procedures.timeliness(
        enquiry_queues.enquiry_due(enquiry), now, completed_at=enquiry.determined_at
    )
    conference = None
    if enquiry.conference_due_at is not None:
        rule = procedures.get_rule("icpc.convene")
        last = enquiry.report.strategy_discussions.order_by("-held_at").first()
        conference = {
            "due_at": enquiry.conference_due_at,
            "timeliness": procedures.timeliness(
                stored_due(
                    "icpc.convene",
                    last.held_at if last else enquiry.started_on,
                    enquiry.conference_due_at,
                ),
                now,
            ),
            "amount": rule.period.amount,
            "citation": f"{rule.section} {rule.citation}",
        }
    is_manager = user.has_role(*MANAGER_ROLES)
    may_ratify = (
        is_manager
        and enquiry.determination == Determination.NOT_SUBSTANTIATED
        and enquiry.ratified_at is None
        and enquiry.determined_by_id != user.pk
    )
    context = {
        "e": enquiry,
        "clock": clock,
        "conference": conference,
        "seen_form": seen_form or ChildSeenForm(),
        "determination_form": determination_form or DeterminationForm(),
        "may_ratify": may_ratify,
        "return_form": return_form or ReturnDeterminationForm(),
        "awaiting_ratification": enquiry.determination == Determination.NOT_SUBSTANTIATED
        and enquiry.ratified_at is None,
        "error": error,
        "sp": core_presenters,  # the deadline presenters the template calls as sp.*
        # A partner agency reads the partner view, the determination once shared (ADR 0640).
        "whole": access.reads_whole(user),
        "determination_shared": access.determination_shared(user, enquiry),
        "strategy_url": reverse("show_strategy", args=[enquiry.decision.strategy_id])
        if access.visible_strategies(user).filter(pk=enquiry.decision.strategy_id).exists()
        else None,
    }
    return render(request, "enquiries/enquiry_show.jinja", context, status=status)


def show_enquiry_view(request: AuthedRequest, pk: int) -> HttpResponse:
    enquiry = access.access_enquiry(
        request.user, pk, route=_route(request, "show_enquiry"), request=request
    )
    return _enquiry_page(request, enquiry)


@require_POST
def enquiry_child_seen_view(request: AuthedRequest, pk: int) -> HttpResponse:
    enquiry = access.access_enquiry(
        request.user, pk, route=_route(request, "enquiry_child_seen"), request=request
    )
    form = ChildSeenForm(request.POST)
    status = 400
    if form.is_valid():
        try:
            services.record_child_seen(actor=request.user, enquiry=enquiry, **form.service_kwargs())
        except DomainError as exc:
            add_domain_error(form, exc)
            status = exc.status_code
        else:
            messages.success(request, _("Recorded that the child was seen"))
            return HttpResponseRedirect(reverse("show_enquiry", args=[enquiry.pk]))
    enquiry.refresh_from_db()
    return _enquiry_page(request, enquiry, seen_form=form, status=status)


@require_POST
def enquiry_determination_view(request: AuthedRequest, pk: int) -> HttpResponse:
    enquiry = access.access_enquiry(
        request.user, pk, route=_route(request, "enquiry_determination"), request=request
    )
    form = DeterminationForm(request.POST)
    status = 400
    if form.is_valid():
        try:
            services.record_determination(
                actor=request.user,
                enquiry=enquiry,
                determination=form.cleaned_data["determination"],
                rationale=form.cleaned_data["rationale"],
                agency_contributions=form.cleaned_data.get("agency_contributions", ""),
            )
        except DomainError as exc:
            add_domain_error(form, exc)
            status = exc.status_code
        else:
            messages.success(request, _("Determination recorded"))
            return HttpResponseRedirect(reverse("show_enquiry", args=[enquiry.pk]))
    enquiry.refresh_from_db()
    return _enquiry_page(request, enquiry, determination_form=form, status=status)


class ReturnDeterminationForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Why you are returning it"),
        help_text=gettext_lazy(
            "The lead social worker sees this and determines the enquiry again."
        ),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=20_000,
    )


@require_POST
def enquiry_return_view(request: AuthedRequest, pk: int) -> HttpResponse:
    """A manager returns determination 1 with a reason instead of ratifying it."""
    enquiry = access.access_enquiry(
        request.user, pk, route=_route(request, "enquiry_return"), request=request
    )
    if not request.user.has_role(*MANAGER_ROLES):
        raise Http404
    form = ReturnDeterminationForm(request.POST)
    status = 400
    if form.is_valid():
        try:
            services.return_determination(
                actor=request.user, enquiry=enquiry, reason=form.cleaned_data["reason"]
            )
        except DomainError as exc:
            add_domain_error(form, exc)
            status = exc.status_code
        else:
            messages.success(request, _("Determination 1 returned to the lead social worker"))
            return HttpResponseRedirect(reverse("show_enquiry", args=[enquiry.pk]))
    enquiry.refresh_from_db()
    return _enquiry_page(request, enquiry, return_form=form, status=status)


@require_POST
def enquiry_ratify_view(request: AuthedRequest, pk: int) -> HttpResponse:
    enquiry = access.access_enquiry(
        request.user, pk, route=_route(request, "enquiry_ratify"), request=request
    )
    if not request.user.has_role(*MANAGER_ROLES):
        raise Http404
    try:
        services.ratify_determination(actor=request.user, enquiry=enquiry)
    except DomainError as exc:
        enquiry.refresh_from_db()
        return _enquiry_page(request, enquiry, error=exc.message, status=exc.status_code)
    messages.success(request, _("Determination ratified and shared with every agency"))
    return HttpResponseRedirect(reverse("show_enquiry", args=[enquiry.pk]))
