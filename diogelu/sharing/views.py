"""Pages for MASH checks and closed loops: a partner agency's request queue and answer form, the
outcomes to acknowledge, the MASH dashboard and the disclosure log.

Thin views: case data only through ``sharing.access``; every change through ``sharing.services``.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from diogelu import procedures
from diogelu.core.exceptions import DomainError
from diogelu.core.pagination import govuk_pagination
from diogelu.core.views import AuthedRequest, add_domain_error
from diogelu.sharing import access, queues, services
from diogelu.sharing import presenters as sp
from diogelu.sharing.forms import AmendAnswerForm, AnswerForm


def _route(request: AuthedRequest, default: str) -> str:
    match = request.resolver_match
    return (match.url_name if match else None) or default


# --- requests ------------------------------------------------------------------------------------


def request_queue_view(request: AuthedRequest) -> HttpResponse:
    """A partner agency's MASH requests (the MASH sees its authority's): open ones with their
    due tags, soonest due first and paged (issue 17: nothing bounds an authority's open
    requests), then the latest answered ones. Only the children shown are read and logged."""
    user = request.user
    if not (access.is_partner_worker(user) or access.is_mash_viewer(user)):
        raise Http404
    now = timezone.now()
    open_page = queues.open_requests_page(user, now, request.GET.get("page"))
    open_rows = open_page.rows
    answered = queues.answered_requests(user)
    access.log_report_reads(
        user,
        [r.request.child.person_id for r in open_rows] + [r.child.person_id for r in answered],
        route=_route(request, "request_queue"),
        request=request,
    )
    return render(
        request,
        "sharing/request_queue.jinja",
        {
            "open_rows": open_rows,
            "open_total": open_page.total,
            "open_rows_first": open_page.page.start_index(),
            "open_rows_last": open_page.page.end_index(),
            "open_overdue": open_page.overdue,
            "open_pagination": govuk_pagination(request, open_page.page, anchor="waiting"),
            "answered": answered,
            "sp": sp,
            "is_partner": access.is_partner_worker(user),
        },
    )


def show_request_view(request: AuthedRequest, pk: int) -> HttpResponse:
    """One request: the child's identity and the question, with the answer form for the asked
    agency (or the answer, once given)."""
    info_request = access.access_request(
        request.user, pk, route=_route(request, "show_request"), request=request
    )
    can_answer = access.may_answer(request.user, info_request)
    form = AnswerForm(request.POST or None)
    status = 200
    error = ""
    if request.method == "POST":
        if not can_answer:
            raise Http404
        if not info_request.is_open:
            error = _("This request has already been answered. Nothing has been changed.")
            status = 400
            form = AnswerForm()
        elif form.is_valid():
            try:
                services.answer_request(
                    actor=request.user, request=info_request, **form.service_kwargs()
                )
            except DomainError as exc:
                add_domain_error(form, exc)
                status = exc.status_code
            else:
                messages.success(request, _("Your answer has been sent to the MASH"))
                return HttpResponseRedirect(reverse("show_request", args=[info_request.pk]))
        else:
            status = 400
        info_request.refresh_from_db()
    now = timezone.now()
    answer = getattr(info_request, "answer", None) if not info_request.is_open else None
    context: dict[str, Any] = {
        "r": info_request,
        "answer": answer,
        "versions": list(answer.versions.select_related("answered_by")) if answer else [],
        "may_amend": bool(answer and can_answer and services.may_amend(answer)),
        "form": form,
        "can_answer": can_answer and info_request.is_open,
        "timeliness": procedures.timeliness(queues.request_due(info_request), now)
        if info_request.is_open
        else None,
        "identity_rows": sp.child_identity_rows(info_request.child),
        "sp": sp,
        "is_mash": access.is_mash_viewer(request.user),
        "error": error,
    }
    return render(request, "sharing/request_show.jinja", context, status=status)


def amend_answer_view(request: AuthedRequest, pk: int) -> HttpResponse:
    """The asked agency amends its answer, with a reason, until the MASH decides (the earlier
    versions are kept and shown on the request)."""
    info_request = access.access_request(
        request.user, pk, route=_route(request, "amend_answer"), request=request
    )
    answer = getattr(info_request, "answer", None)
    if answer is None or not access.may_answer(request.user, info_request):
        raise Http404
    form = AmendAnswerForm(request.POST or None, initial=AmendAnswerForm.initial_from(answer))
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                services.amend_answer(
                    actor=request.user,
                    answer=answer,
                    reason=form.cleaned_data["reason"],
                    **form.service_kwargs(),
                )
            except DomainError as exc:
                add_domain_error(form, exc)
                status = exc.status_code
            else:
                messages.success(request, _("Your amended answer has been sent to the MASH"))
                return HttpResponseRedirect(reverse("show_request", args=[info_request.pk]))
    context: dict[str, Any] = {
        "r": info_request,
        "answer": answer,
        "form": form,
        "may_amend": services.may_amend(answer),
        "sp": sp,
    }
    return render(request, "sharing/answer_amend.jinja", context, status=status)


# --- outcomes ------------------------------------------------------------------------------------


def outcome_list_view(request: AuthedRequest) -> HttpResponse:
    """Outcomes for me or my agency: unacknowledged first (soonest to acknowledge first). Several
    are acknowledged at once by ticking them (a plain form: no JavaScript needed)."""
    now = timezone.now()
    error = ""
    status = 200
    if request.method == "POST":
        chosen = access.actable_outcomes(request.user, request.POST.getlist("outcomes"))
        try:
            if chosen is None:
                raise DomainError(_("Select outcomes from the list"), field="outcomes")
            done_now = services.acknowledge_outcomes(actor=request.user, notifications=chosen)
        except DomainError as exc:
            error = exc.message
            status = exc.status_code
        else:
            messages.success(
                request,
                ngettext(
                    "You have acknowledged %(n)s outcome",
                    "You have acknowledged %(n)s outcomes",
                    len(done_now),
                )
                % {"n": len(done_now)},
            )
            return HttpResponseRedirect(reverse("outcome_list"))
    page = Paginator(queues.waiting_outcomes(request.user), OUTCOMES_PER_PAGE).get_page(
        request.GET.get("page")
    )
    waiting = queues.outcome_rows(page.object_list, now)
    done = access.acknowledged_outcomes(request.user, ACKNOWLEDGED_SHOWN)
    context = {
        "waiting": waiting,
        "waiting_page": page,
        "waiting_pages": govuk_pagination(request, page, "page", "to-acknowledge"),
        "done": done,
        "sp": sp,
        "error": error,
    }
    return render(request, "sharing/outcome_list.jinja", context, status=status)


#: Outcomes to acknowledge on one page of the outcomes list (a police force's ran to thousands).
OUTCOMES_PER_PAGE = 50
#: The acknowledged outcomes shown below those waiting, newest first.
ACKNOWLEDGED_SHOWN = 100


def _outcome_page(
    request: AuthedRequest, pk: int, *, error: str = "", status: int = 200
) -> HttpResponse:
    outcome = access.access_outcome(
        request.user, pk, route=_route(request, "show_outcome"), request=request
    )
    now = timezone.now()
    context = {
        "o": outcome,
        "timeliness": procedures.timeliness(
            queues.outcome_due(outcome), now, completed_at=outcome.acknowledged_at
        ),
        "may_act": services.may_act_for(request.user, outcome),
        "error": error,
        "sp": sp,
    }
    return render(request, "sharing/outcome_show.jinja", context, status=status)


def show_outcome_view(request: AuthedRequest, pk: int) -> HttpResponse:
    return _outcome_page(request, pk)


@require_POST
def acknowledge_outcome_view(request: AuthedRequest, pk: int) -> HttpResponse:
    """ "I have read this": once; a second press changes nothing."""
    outcome = access.access_outcome(
        request.user, pk, route=_route(request, "acknowledge_outcome"), request=request
    )
    already = outcome.is_acknowledged
    try:
        services.acknowledge_outcome(actor=request.user, notification=outcome)
    except DomainError as exc:
        return _outcome_page(request, pk, error=exc.message, status=exc.status_code)
    if not already:
        messages.success(request, _("You have acknowledged this outcome"))
    return HttpResponseRedirect(reverse("show_outcome", args=[outcome.pk]))


# --- MASH dashboard and disclosure log -----------------------------------------------------------


def mash_dashboard_view(request: AuthedRequest) -> HttpResponse:
    """Reports awaiting decision with time left, agency requests by agency, outcomes awaiting
    acknowledgement, and the two measures of the closed loop."""
    user = request.user
    if not access.is_mash_viewer(user):
        raise Http404
    now = timezone.now()
    loop = queues.loop_measures(user, now)
    reports = queues.reports_awaiting_decision_page(user, now, request.GET.get("reports_page"))
    outcomes = queues.outcomes_awaiting_acknowledgement_page(
        user, now, request.GET.get("outcomes_page")
    )
    context = {
        "reports": reports,
        "reports_pages": _dashboard_pagination(request, "reports_page", reports.page, "reports"),
        "by_agency": queues.requests_by_agency(user, now),
        "overdue_requests": queues.overdue_requests(user, now),
        "outcomes": outcomes,
        "outcomes_pages": _dashboard_pagination(
            request, "outcomes_page", outcomes.page, "outcomes"
        ),
        "decisions": loop.decisions,
        "shared": loop.shared,
        "measure_from": loop.counted_at - queues.MEASURE_WINDOW,
        "measures_counted_at": loop.counted_at,
        "measures_every_minutes": queues.MEASURES_CACHE_SECONDS // 60,
        "undecided_overdue": reports.overdue,
        "may_read_disclosures": access.may_read_disclosures(user),
        "decision_rule": procedures.get_rule("report.decision"),
        "sp": sp,
    }
    return render(request, "sharing/mash_dashboard.jinja", context)


def _dashboard_pagination(
    request: AuthedRequest, key: str, page: Any, anchor: str
) -> dict[str, Any] | None:
    """GOV.UK pagination for one of the dashboard's lists; the other list keeps its page."""
    return govuk_pagination(request, page, key, anchor)


def disclosure_log_view(request: AuthedRequest) -> HttpResponse:
    """What was shared, from whom, to whom, when and on what lawful basis."""
    if not access.may_read_disclosures(request.user):
        raise Http404
    from diogelu.accounts.models import Agency
    from diogelu.core.log_filters import PAGE_SIZE, LogFilterForm
    from diogelu.core.presenters import agency_name

    agency = request.user.agency_id
    agencies = Agency.objects.filter(Q(pk=agency) | Q(partner_of=agency)).distinct()
    form = LogFilterForm(
        request.GET or None,
        agencies=sorted(((a.pk, agency_name(a)) for a in agencies), key=lambda x: x[1]),
    )
    rows = form.apply(
        access.visible_disclosures(request.user),
        at="at",
        users=["by_user", "to_user"],
        agencies=["from_agency", "to_agency"],
    )
    paginator = Paginator(rows, PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    context = {"page": page, "paginator": paginator, "sp": sp, "form": form, "query": form.query()}
    return render(request, "sharing/disclosure_log.jinja", context)
