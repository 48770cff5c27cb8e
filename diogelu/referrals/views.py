"""Pages for reporting a child at risk, the reporter's view of a report, and the MASH's work.

Thin: each view fetches through ``referrals.access`` (404 alike for missing and not allowed),
calls one service, and renders. Domain errors become GOV.UK error messages with their status
(400, 403 or 409).
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.db.models import F
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from diogelu.access.models import Channel as AccessChannel
from diogelu.access.models import Part
from diogelu.access.services import access_person, log_search_results
from diogelu.accounts.models import MANAGER_ROLES, MASH_ROLES, PARTNER_WORK_ROLES, Role, User
from diogelu.core.exceptions import DomainError, StaleEditError
from diogelu.core.extensions import page_sections
from diogelu.core.pagination import govuk_pagination, page_of
from diogelu.core.presenters import agency_name
from diogelu.core.views import AuthedRequest, add_domain_error, require_role
from diogelu.people.services import family_of
from diogelu.referrals import access, hooks, presenters, services
from diogelu.referrals.forms import (
    AcknowledgeForm,
    AuthoriseForm,
    ChildForm,
    CloseForm,
    DecisionForm,
    LinkChildForm,
    RemoveChildForm,
    RequestInformationForm,
    ReturnDecisionForm,
    StartForm,
    SubmitForm,
    VersionedForm,
)
from diogelu.referrals.intake import candidates_for
from diogelu.referrals.models import NEEDS_AUTHORISATION, Report, ReportStatus

MASH = (Role.MASH_PRACTITIONER, Role.TEAM_MANAGER)


def _route(request: AuthedRequest, default: str) -> str:
    match = request.resolver_match
    return (match.url_name if match else None) or default


def _posted(request: AuthedRequest) -> Any:
    """The POST data (even when empty, so an empty submission is validated), or None."""
    return request.POST if request.method == "POST" else None


def _status(form: forms.Form, exc: DomainError | None = None) -> int:
    if exc is not None:
        return exc.status_code
    return 400 if form.errors else 200


# --- Reporting: start, question pages, check your answers, sent -------------------------------


def start_report_view(request: AuthedRequest) -> HttpResponse:
    """Start a report (GET shows the start page; POST makes the draft)."""
    user = request.user
    authorities = access.authorities_for(user)
    if not authorities:
        raise Http404
    form = StartForm(
        _posted(request), authorities=authorities, la_staff=user.is_local_authority_staff
    )
    error: DomainError | None = None
    if request.method == "POST" and form.is_valid():
        try:
            report = services.start_report(
                actor=user,
                authority=form.chosen_authority(),
                channel=form.cleaned_data.get("channel") or "ONLINE",
            )
        except DomainError as exc:
            add_domain_error(form, exc)
            error = exc
        else:
            first = presenters.steps_for(report)[0]
            return HttpResponseRedirect(reverse("report_step", args=[report.pk, first.slug]))
    return render(
        request,
        "referrals/start.jinja",
        {"form": form, "single_authority": len(authorities) == 1},
        status=_status(form, error),
    )


def your_reports_view(request: AuthedRequest) -> HttpResponse:
    """Drafts to continue, and sent reports with their progress and the outcomes for you."""
    user = request.user
    reports = access.own_reports(user).select_related("authority").prefetch_related("children")
    drafts = list(reports.filter(status=ReportStatus.DRAFT).order_by("-updated_at"))
    # Sent reports newest first, a page at a time (a school's five years were one 2 MB page).
    page = page_of(
        reports.exclude(status=ReportStatus.DRAFT)
        .prefetch_related("outcomes")
        .order_by(F("received_at").desc(nulls_first=True), "-pk"),
        request,
    )
    rows = []
    for report in page.object_list:
        mine = [n for n in report.outcomes.all() if _for_reporter(n, user)]
        rows.append(
            {
                "report": report,
                "children": presenters.children_text(report),
                "status": presenters.status_tag(report),
                "outcomes": mine,
                "to_acknowledge": sum(1 for n in mine if n.acknowledged_at is None),
            }
        )
    return render(
        request,
        "referrals/your_reports.jinja",
        {
            "drafts": [{"report": r, "children": presenters.children_text(r)} for r in drafts],
            "sent": rows,
            "page": page,
            "pagination": govuk_pagination(request, page),
            "may_start": bool(access.authorities_for(user)),
        },
    )


def _draft_or_redirect(request: AuthedRequest, pk: int) -> Report | HttpResponse:
    report = access.access_draft(request.user, pk)
    if report.status != ReportStatus.DRAFT:
        return HttpResponseRedirect(reverse("show_report", args=[report.pk]))
    return report


def _initial(report: Report, form_class: type[VersionedForm]) -> dict[str, Any]:
    initial: dict[str, Any] = {"version": report.version}
    for name in form_class.base_fields:
        if hasattr(report, name) and name != "version":
            initial[name] = getattr(report, name)
    if report.received_at is not None:
        local = timezone.localtime(report.received_at)
        initial["received_on"] = local.date()
        initial["received_time"] = local.strftime("%H:%M")
    return initial


def report_step_view(request: AuthedRequest, pk: int, step: str) -> HttpResponse:
    """One question page of a draft; every page saves to the draft (a timeout loses nothing)."""
    found = _draft_or_redirect(request, pk)
    if isinstance(found, HttpResponse):
        return found
    report = found
    current = presenters.step_by_slug(report, step)
    if current is None:
        raise Http404
    changing = request.GET.get("change") == "1"
    form_class: type[VersionedForm] = current.form  # type: ignore[assignment]
    if request.method == "POST":
        form = form_class(request.POST)
    else:
        form = form_class(initial=_initial(report, form_class))
    error: DomainError | None = None
    if request.method == "POST" and form.is_valid():
        if current.slug == "children" and not report.children.exists():
            form.add_error(None, _("Add at least one child"))
        else:
            try:
                if form.answers():
                    services.save_report_answers(
                        actor=request.user,
                        report=report,
                        expected_version=form.cleaned_data["version"],
                        answers=form.answers(),
                    )
                elif form.cleaned_data["version"] != report.version:
                    raise StaleEditError(
                        _("Someone else changed this report while you were looking at it.")
                    )
            except DomainError as exc:
                add_domain_error(form, exc)
                error = exc
                # Show the current version, so saving again after checking is deliberate.
                data = request.POST.copy()
                data["version"] = str(access.access_draft(request.user, report.pk).version)
                form.data = data
            else:
                if changing:
                    return HttpResponseRedirect(reverse("check_report", args=[report.pk]))
                return HttpResponseRedirect(presenters.next_step_url(report, current))
    context: dict[str, Any] = {
        "report": report,
        "step": current,
        "steps": presenters.steps_for(report),
        "form": form,
        "changing": changing,
        "back_url": reverse("check_report", args=[report.pk])
        if changing
        else presenters.previous_step_url(report, current),
    }
    if current.slug == "children":
        context["children"] = [
            {"child": c, "rows": presenters.child_rows(c)} for c in report.children.all()
        ]
    return render(
        request, f"referrals/step_{current.slug}.jinja", context, status=_status(form, error)
    )


def _child_fields(form: ChildForm) -> dict[str, Any]:
    return dict(form.cleaned_data)


def add_child_view(request: AuthedRequest, pk: int) -> HttpResponse:
    return _child_form_view(request, pk, None)


def change_child_view(request: AuthedRequest, pk: int, child_id: int) -> HttpResponse:
    return _child_form_view(request, pk, child_id)


def _child_form_view(request: AuthedRequest, pk: int, child_id: int | None) -> HttpResponse:
    """Add a child to a draft report, or change one already added."""
    found = _draft_or_redirect(request, pk)
    if isinstance(found, HttpResponse):
        return found
    report = found
    child = access.report_child(report, child_id) if child_id is not None else None
    initial = ChildForm.initial_from(child) if child is not None else None
    form = ChildForm(_posted(request), initial=initial)
    error: DomainError | None = None
    if request.method == "POST" and form.is_valid():
        try:
            if child is None:
                services.add_child(actor=request.user, report=report, fields=_child_fields(form))
            else:
                services.update_child(actor=request.user, child=child, fields=_child_fields(form))
        except DomainError as exc:
            add_domain_error(form, exc)
            error = exc
        else:
            messages.success(
                request, _("Child added") if child is None else _("Child's details changed")
            )
            return HttpResponseRedirect(_children_url(request, report))
    return render(
        request,
        "referrals/child_form.jinja",
        {
            "report": report,
            "form": form,
            "child": child,
            "back_url": _children_url(request, report),
        },
        status=_status(form, error),
    )


def _children_url(request: AuthedRequest, report: Report) -> str:
    url = reverse("report_step", args=[report.pk, "children"])
    return url + "?change=1" if request.GET.get("change") == "1" else url


def remove_child_view(request: AuthedRequest, pk: int, child_id: int) -> HttpResponse:
    found = _draft_or_redirect(request, pk)
    if isinstance(found, HttpResponse):
        return found
    report = found
    child = access.report_child(report, child_id)
    form = RemoveChildForm(_posted(request))
    error: DomainError | None = None
    if request.method == "POST" and form.is_valid():
        if form.cleaned_data["confirm"] != "yes":
            return HttpResponseRedirect(_children_url(request, report))
        try:
            services.remove_child(actor=request.user, child=child)
        except DomainError as exc:
            add_domain_error(form, exc)
            error = exc
        else:
            messages.success(request, _("Child removed from the report"))
            return HttpResponseRedirect(_children_url(request, report))
    return render(
        request,
        "referrals/child_remove.jinja",
        {
            "report": report,
            "form": form,
            "child": child,
            "back_url": _children_url(request, report),
        },
        status=_status(form, error),
    )


def check_report_view(request: AuthedRequest, pk: int) -> HttpResponse:
    """Check your answers, then send. Sending twice makes one report."""
    report = access.access_draft(request.user, pk)
    if report.status != ReportStatus.DRAFT and request.method != "POST":
        return HttpResponseRedirect(reverse("show_report", args=[report.pk]))
    form = SubmitForm(_posted(request))
    error: DomainError | None = None
    if request.method == "POST" and form.is_valid():
        try:
            sent = services.submit_report(actor=request.user, report=report)
        except DomainError as exc:
            add_domain_error(form, exc)
            error = exc
        else:
            return HttpResponseRedirect(reverse("report_sent", args=[sent.pk]))
    missing = services.missing_answers(report)
    return render(
        request,
        "referrals/check.jinja",
        {
            "report": report,
            "form": form,
            "sections": presenters.answer_sections(report, editable=True),
            "children": [
                {
                    "child": c,
                    "rows": presenters.child_rows(
                        c,
                        reverse("change_report_child", args=[report.pk, c.pk]) + "?change=1",
                    ),
                }
                for c in report.children.all()
            ],
            "missing": presenters.missing_items(report, missing),
        },
        status=_status(form, error) if error else (200 if not form.errors else 400),
    )


def report_sent_view(request: AuthedRequest, pk: int) -> HttpResponse:
    report = access.access_report(request.user, pk)
    if report.status == ReportStatus.DRAFT:
        return HttpResponseRedirect(reverse("check_report", args=[report.pk]))
    return render(request, "referrals/sent.jinja", {"report": report})


# --- The reporter's view of a report -----------------------------------------------------------


def _for_reporter(outcome: Any, user: User) -> bool:
    """An outcome the reporter hears as the reporter: addressed to them, or (when their agency is
    involved too, issue 11) to their partner agency as the reporting agency, which they act for."""
    if outcome.recipient_user_id == user.pk:
        return True
    return bool(
        outcome.is_reporter
        and outcome.recipient_user_id is None
        and outcome.recipient_agency_id == user.agency_id
        and not user.is_local_authority_staff
        and user.has_role(*PARTNER_WORK_ROLES)
    )


def _show_report(
    request: AuthedRequest, report: Report, *, form: forms.Form | None = None, status: int = 200
) -> HttpResponse:
    user = request.user
    if report.status == ReportStatus.DRAFT:
        return HttpResponseRedirect(reverse("check_report", args=[report.pk]))
    access.log_report_read(user, report, route="show_report", request=request)
    outcomes = sorted(
        (n for n in report.outcomes.all() if _for_reporter(n, user)),
        key=lambda n: n.shared_at,
        reverse=True,
    )
    la_staff = user.is_local_authority_staff and user.agency_id == report.authority_id
    context = {
        "report": report,
        "status_tag": presenters.status_tag(report),
        "children": presenters.children_text(report),
        "reporter": presenters.reporter_text(report),
        "outcomes": outcomes,
        "form": form,
        "may_confirm": la_staff
        and report.confirmation_due_at is not None
        and report.confirmation_received_at is None,
        "is_mash": la_staff and user.has_role(*MASH_ROLES),
        "sections": presenters.answer_sections(report, editable=False),
        "child_rows": [
            {"child": c, "rows": presenters.child_rows(c)} for c in report.children.all()
        ],
    }
    return render(request, "referrals/show.jinja", context, status=status)


def show_report_view(request: AuthedRequest, pk: int) -> HttpResponse:
    """A sent report as its maker sees it: reference, received, status, outcomes for them."""
    report = access.access_report(request.user, pk)
    return _show_report(request, report)


@require_POST
def acknowledge_report_outcome_view(
    request: AuthedRequest, pk: int, outcome_id: int
) -> HttpResponse:
    report = access.access_report(request.user, pk)
    # Only an outcome meant for this user (or their agency): someone else's is 404, like a
    # missing one, not a 403 that would say it exists (the API answers alike).
    notification = (
        hooks.mash_sharing()
        .visible_outcomes(request.user)
        .filter(report=report, pk=outcome_id)
        .first()
    )
    if notification is None:
        raise Http404
    back_to_mash = request.POST.get("next") == "mash"
    form = AcknowledgeForm(request.POST)
    try:
        hooks.mash_sharing().acknowledge_outcome(actor=request.user, notification=notification)
    except DomainError as exc:
        add_domain_error(form, exc)
        if back_to_mash and access.is_mash_user(request.user):
            return _mash_page(request, report, status=exc.status_code, errors=form)
        return _show_report(request, report, form=form, status=exc.status_code)
    messages.success(request, _("Outcome acknowledged"))
    if back_to_mash:
        return HttpResponseRedirect(reverse("mash_report", args=[report.pk]) + "#outcomes")
    return HttpResponseRedirect(reverse("show_report", args=[report.pk]))


@require_POST
def confirm_in_writing_view(request: AuthedRequest, pk: int) -> HttpResponse:
    """The local authority records that a telephone report was confirmed in writing."""
    report = access.access_report(request.user, pk)
    form = AcknowledgeForm(request.POST)
    try:
        services.confirm_in_writing(actor=request.user, report=report)
    except DomainError as exc:
        add_domain_error(form, exc)
        return _show_report(request, report, form=form, status=exc.status_code)
    messages.success(request, _("Written confirmation recorded"))
    if request.POST.get("next") == "mash" and access.is_mash_user(request.user):
        return HttpResponseRedirect(reverse("mash_report", args=[report.pk]))
    return HttpResponseRedirect(reverse("show_report", args=[report.pk]))


# --- The MASH ------------------------------------------------------------------------------------


@require_role(*MASH)
def mash_report_list_view(request: AuthedRequest) -> HttpResponse:
    """Reports to the authority: open ones first, with the time left to decide."""
    now = timezone.now()
    show_closed = request.GET.get("show") == "all"
    reports = (
        access.mash_reports(request.user).select_related("decision").prefetch_related("children")
    )
    if not show_closed:
        reports = reports.exclude(status=ReportStatus.CLOSED)
    page = page_of(
        reports.order_by("received_at", "pk"),
        request,
        count=access.mash_reports_count(request.user, closed=show_closed),
    )
    rows = [
        {
            "report": r,
            "children": presenters.children_text(r),
            "due": presenters.decision_due(r, now),
            "status": presenters.status_tag(r),
        }
        for r in page.object_list
    ]
    return render(
        request,
        "referrals/mash_list.jinja",
        {
            "rows": rows,
            "page": page,
            "pagination": govuk_pagination(request, page),
            "show_closed": show_closed,
        },
    )


def _children_intake(request: AuthedRequest, report: Report, is_open: bool) -> list[dict[str, Any]]:
    user = request.user
    out: list[dict[str, Any]] = []
    for child in report.children.select_related("person"):
        item: dict[str, Any] = {"child": child, "rows": presenters.child_rows(child)}
        if child.person is not None:
            try:
                person_access = access_person(
                    user,
                    child.person.pk,
                    part=Part.FAMILY,
                    channel=AccessChannel.PAGE,
                    route="mash_report",
                    request=request,
                )
            except Http404:
                item["hidden_person"] = True
            else:
                item["person"] = person_access.person
                item["family"] = family_of(user, person_access)
        elif is_open:
            candidates = candidates_for(child, user)
            shown = log_search_results(
                user, [c.person for c in candidates], route="mash_report", request=request
            )
            allowed = {a.person.pk for a in shown}
            item["candidates"] = [c for c in candidates if c.person.pk in allowed]
        out.append(item)
    return out


def _mash_page(
    request: AuthedRequest,
    report: Report,
    *,
    status: int = 200,
    errors: forms.Form | None = None,
    **bound: forms.Form,
) -> HttpResponse:
    """The MASH page of one report; ``bound`` forms replace the blank ones after an error."""
    user = request.user
    now = timezone.now()
    access.log_report_read(user, report, route="mash_report", request=request)
    is_open = report.status not in (ReportStatus.CLOSED, ReportStatus.DRAFT)
    children = list(report.children.select_related("person"))
    agencies = access.partner_agencies(report)
    decision = getattr(report, "decision", None)
    is_manager = user.has_role(*MANAGER_ROLES)
    requests = list(
        report.requests.select_related("agency", "child", "answer", "requested_by").order_by(
            "requested_at"
        )
    )
    outcomes = list(report.outcomes.select_related("recipient_agency").order_by("-shared_at"))
    sharing = hooks.mash_sharing()
    context: dict[str, Any] = {
        "report": report,
        "now": now,
        "is_open": is_open,
        "status_tag": presenters.status_tag(report),
        "due": presenters.decision_due(report, now),
        "reporter": presenters.reporter_text(report),
        "sections": presenters.answer_sections(report, editable=False),
        "intake": _children_intake(request, report, is_open),
        "all_linked": all(c.person_id for c in children),
        "requests": [
            {"request": r, "tag": presenters.request_status_tag(r, now)} for r in requests
        ],
        "request_form": bound.get("request_form")
        or RequestInformationForm(
            children=[(c.pk, c.display_name) for c in children],
            agencies=[(a.pk, agency_name(a)) for a in agencies],
        ),
        "decision": decision,
        "decision_form": bound.get("decision_form") or DecisionForm(),
        "needs_authorisation_outcomes": [
            str(o.label) for o in sorted(NEEDS_AUTHORISATION, key=lambda o: o.value)
        ],
        "is_manager": is_manager,
        "may_authorise": decision is not None
        and decision.needs_authorisation
        and decision.authorised_at is None
        and is_manager
        and decision.decided_by_id != user.pk,
        "authorise_form": bound.get("authorise_form") or AuthoriseForm(),
        "return_form": bound.get("return_form") or ReturnDecisionForm(),
        "returned": list(report.returned_decisions.select_related("decided_by", "returned_by")),
        "outcomes": [
            {
                "outcome": n,
                "tag": presenters.outcome_tag(n),
                "may_acknowledge": n.acknowledged_at is None and sharing.may_act_for(user, n),
            }
            for n in outcomes
        ],
        "unshared": sharing.unshared_outcomes(report) if report.status != "DRAFT" else [],
        "close_form": bound.get("close_form") or CloseForm(initial={"version": report.version}),
        "errors": errors,
        "may_confirm": report.confirmation_due_at is not None
        and report.confirmation_received_at is None,
        "strategy_url": presenters.optional_url("record_strategy", report.pk),
        "strategies": [
            (s, presenters.optional_url("show_strategy", s.pk))
            for s in report.strategy_discussions.order_by("held_at")
        ],
        "enquiries": [
            (e, presenters.optional_url("show_enquiry", e.pk))
            for e in report.enquiries.select_related("decision__child").order_by("pk")
        ],
        "dashboard_url": presenters.optional_url("mash_dashboard"),
        # What the apps above add (exploitation: flag a concern, contexts the report names).
        "page_sections": page_sections("mash_report", user, report),
        "risk_indicator_labels": sharing.risk_indicator_labels,
    }
    return render(request, "referrals/mash_report.jinja", context, status=status)


@require_role(*MASH)
def mash_report_view(request: AuthedRequest, pk: int) -> HttpResponse:
    report = access.access_mash_report(request.user, pk)
    return _mash_page(request, report)


def _done(request: AuthedRequest, report: Report, message: str, anchor: str) -> HttpResponse:
    messages.success(request, message)
    return HttpResponseRedirect(reverse("mash_report", args=[report.pk]) + anchor)


@require_role(*MASH)
@require_POST
def mash_link_child_view(request: AuthedRequest, pk: int, child_id: int) -> HttpResponse:
    """Intake: this child is a person already known to the authority."""
    report = access.access_mash_report(request.user, pk)
    child = access.report_child(report, child_id)
    form = LinkChildForm(request.POST)
    if not form.is_valid():
        return _mash_page(request, report, status=400, errors=form)
    person = access_person(
        request.user,
        form.cleaned_data["person"],
        part=Part.SUMMARY,
        channel=AccessChannel.PAGE,
        route="mash_link_child",
        request=request,
    ).person
    try:
        services.link_child(actor=request.user, child=child, person=person)
    except DomainError as exc:
        add_domain_error(form, exc)
        return _mash_page(request, report, status=exc.status_code, errors=form)
    return _done(
        request,
        report,
        _("%(child)s linked to %(person)s")
        % {"child": child.display_name, "person": person.full_name},
        f"#child-{child.pk}",
    )


@require_role(*MASH)
@require_POST
def mash_create_person_view(request: AuthedRequest, pk: int, child_id: int) -> HttpResponse:
    """Intake: none of the candidates; the child becomes a new person."""
    report = access.access_mash_report(request.user, pk)
    child = access.report_child(report, child_id)
    form = AcknowledgeForm(request.POST)
    try:
        person = services.create_person_for_child(actor=request.user, child=child)
    except DomainError as exc:
        add_domain_error(form, exc)
        return _mash_page(request, report, status=exc.status_code, errors=form)
    return _done(
        request,
        report,
        _("New record %(ref)s created for %(child)s")
        % {"ref": person.la_reference, "child": child.display_name},
        f"#child-{child.pk}",
    )


@require_role(*MASH)
@require_POST
def mash_request_information_view(request: AuthedRequest, pk: int) -> HttpResponse:
    """Send an information request to a partner agency about one child."""
    report = access.access_mash_report(request.user, pk)
    children = list(report.children.all())
    agencies = access.partner_agencies(report)
    form = RequestInformationForm(
        request.POST,
        children=[(c.pk, c.display_name) for c in children],
        agencies=[(a.pk, agency_name(a)) for a in agencies],
    )
    if not form.is_valid():
        return _mash_page(request, report, status=400, request_form=form)
    child = next(c for c in children if c.pk == form.cleaned_data["child"])
    chosen = [a for a in agencies if a.pk in set(form.cleaned_data["agency"])]
    try:
        hooks.mash_sharing().request_information_from_agencies(
            actor=request.user,
            report=report,
            child=child,
            agencies=chosen,
            priority=form.cleaned_data["priority"],
            question=form.cleaned_data["question"],
        )
    except DomainError as exc:
        add_domain_error(form, exc)
        return _mash_page(request, report, status=exc.status_code, request_form=form)
    names = ", ".join(a.name for a in chosen)
    message = ngettext("Request sent to %(agency)s", "Requests sent to %(agency)s", len(chosen))
    return _done(request, report, message % {"agency": names}, "#requests")


@require_role(*MASH)
@require_POST
def mash_decide_view(request: AuthedRequest, pk: int) -> HttpResponse:
    report = access.access_mash_report(request.user, pk)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        return _mash_page(request, report, status=400, decision_form=form)
    try:
        decision = services.record_decision(
            actor=request.user,
            report=report,
            outcome=form.cleaned_data["outcome"],
            rationale=form.cleaned_data["rationale"],
        )
    except DomainError as exc:
        add_domain_error(form, exc)
        return _mash_page(request, report, status=exc.status_code, decision_form=form)
    if decision.needs_authorisation:
        message = _("Decision recorded. It waits for a manager's authorisation.")
    else:
        message = _("Decision recorded and shared with the reporter and agencies")
    return _done(request, report, message, "#decision")


@require_role(*MASH)
@require_POST
def mash_return_decision_view(request: AuthedRequest, pk: int) -> HttpResponse:
    """A manager returns a proposed decision with a reason instead of authorising it."""
    report = access.access_mash_report(request.user, pk)
    decision = getattr(report, "decision", None)
    if decision is None:
        raise Http404
    form = ReturnDecisionForm(request.POST)
    if not form.is_valid():
        return _mash_page(request, report, status=400, return_form=form)
    try:
        services.return_decision(
            actor=request.user, decision=decision, reason=form.cleaned_data["reason"]
        )
    except DomainError as exc:
        add_domain_error(form, exc)
        return _mash_page(request, report, status=exc.status_code, return_form=form)
    return _done(request, report, _("Decision returned to the practitioner"), "#decision")


@require_role(*MASH)
@require_POST
def mash_authorise_view(request: AuthedRequest, pk: int) -> HttpResponse:
    report = access.access_mash_report(request.user, pk)
    decision = getattr(report, "decision", None)
    if decision is None:
        raise Http404
    form = AuthoriseForm(request.POST)
    if not form.is_valid():
        return _mash_page(request, report, status=400, authorise_form=form)
    try:
        services.authorise_decision(
            actor=request.user, decision=decision, note=form.cleaned_data["note"]
        )
    except DomainError as exc:
        add_domain_error(form, exc)
        return _mash_page(request, report, status=exc.status_code, authorise_form=form)
    return _done(
        request,
        report,
        _("Decision authorised and shared with the reporter and agencies"),
        "#decision",
    )


@require_role(*MASH)
@require_POST
def mash_share_outcomes_view(request: AuthedRequest, pk: int) -> HttpResponse:
    report = access.access_mash_report(request.user, pk)
    form = AcknowledgeForm(request.POST)
    try:
        made = hooks.mash_sharing().share_with_newly_involved(actor=request.user, report=report)
    except DomainError as exc:
        add_domain_error(form, exc)
        return _mash_page(request, report, status=exc.status_code, errors=form)
    return _done(
        request,
        report,
        _("Outcome shared with %(count)s more recipients") % {"count": made},
        "#outcomes",
    )


@require_role(*MASH)
@require_POST
def mash_close_view(request: AuthedRequest, pk: int) -> HttpResponse:
    report = access.access_mash_report(request.user, pk)
    form = CloseForm(request.POST)
    if not form.is_valid():
        return _mash_page(request, report, status=400, close_form=form)
    try:
        services.close_report(
            actor=request.user,
            report=report,
            expected_version=form.cleaned_data["version"],
            note=form.cleaned_data["note"],
        )
    except DomainError as exc:
        add_domain_error(form, exc)
        return _mash_page(request, report, status=exc.status_code, close_form=form)
    return _done(request, report, _("Report closed"), "")
