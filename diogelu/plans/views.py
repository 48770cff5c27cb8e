"""Pages for care and support protection plans, core group meetings and statutory visits.

Thin views: plans only through ``plans.access``; every change through one ``plans.services``
call; domain errors in the GOV.UK error summary (400/403/409); not entitled → 404. Core group
members read the plan; only the authority's social work staff change it.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from diogelu.accounts.roles import is_conference_staff
from diogelu.conferences.models import Category
from diogelu.core.exceptions import DomainError
from diogelu.core.pagination import govuk_pagination, page_of
from diogelu.core.views import AuthedRequest, add_domain_error, submit_form
from diogelu.plans import services
from diogelu.plans.access import access_plan
from diogelu.plans.due import visits_due
from diogelu.plans.forms import CoreGroupForm, PlanForm, PublishForm, ReturnPlanForm, VisitForm
from diogelu.plans.models import ActionStatus, Plan, PlanVersion
from diogelu.plans.quality import plan_quality
from diogelu.sharing import presenters as sp


def _route(request: AuthedRequest, default: str) -> str:
    match = request.resolver_match
    return (match.url_name if match else None) or default


def _is_staff(request: AuthedRequest, plan: Plan) -> bool:
    return is_conference_staff(request.user) and request.user.agency_id == plan.episode.authority_id


def _plan(request: AuthedRequest, pk: int, default: str, *, staff: bool = False) -> Plan:
    plan = access_plan(request.user, pk, route=_route(request, default))
    if staff and not _is_staff(request, plan):
        raise Http404
    return plan


#: Core group meetings and statutory visits shown on one page of a plan (issue 17: a child
#: registered for years has hundreds of visits and dozens of meetings; the busiest generated plan
#: was one page of 122 KB). The newest come first; the rest are a page away.
MEETINGS_PER_PAGE = 10
VISITS_PER_PAGE = 20


def _paged(
    request: AuthedRequest,
    context: dict[str, Any],
    name: str,
    query: Any,
    size: int,
    anchor: str,
    label: str,
) -> Any:
    """Put one page of ``query`` in ``context`` as ``<name>`` (its rows), ``<name>_page`` and
    ``<name>_pagination`` (``<name>_page`` in the query string names the page); returns the
    page."""
    page = page_of(query, request, f"{name}_page", size)
    context[name] = list(page.object_list)
    context[f"{name}_page"] = page
    context[f"{name}_pagination"] = govuk_pagination(
        request, page, f"{name}_page", anchor=anchor, label=label
    )
    return page


def _meetings(meetings: Any) -> list[dict[str, Any]]:
    """A page of core group meetings, newest first, with attendance and progress against each
    outcome."""
    from django.db.models import prefetch_related_objects

    meetings = list(meetings)
    prefetch_related_objects(meetings, "attendance", "progress__outcome", "action_updates__action")
    return [
        {
            "m": m,
            "attended": sum(1 for a in m.attendance.all() if a.attended),
            "invited": len(m.attendance.all()),
            "progress": list(m.progress.all()),
            "updates": list(m.action_updates.all()),
        }
        for m in meetings
    ]


def _latest_progress(episode: Any) -> dict[str, Any]:
    """The latest progress rating for each outcome text (outcomes carry over between versions
    as copies, so progress is matched by what must change)."""
    latest: dict[str, Any] = {}
    for m in episode.core_groups.prefetch_related("progress__outcome").order_by("held_at"):
        for p in m.progress.all():
            latest[p.outcome.what_must_change.strip()] = {"p": p, "held_at": m.held_at}
    return latest


def _register_context(request: AuthedRequest, episode: Any) -> dict[str, Any]:
    from diogelu.conferences.access import episode_conferences
    from diogelu.conferences.models import ConferenceKind, ConferenceStatus
    from diogelu.plans.due import core_group_due, review_due
    from diogelu.procedures import timeliness

    now = timezone.now()
    conferences = episode_conferences(request.user, episode)
    convened_review = next(
        (
            c
            for c in conferences
            if c.kind == ConferenceKind.REVIEW and c.status == ConferenceStatus.CONVENED
        ),
        None,
    )
    return {
        "conferences": conferences,
        "convened_review": convened_review,
        "review_clock": timeliness(review_due(episode), now) if episode.is_open else None,
        "core_group_clock": timeliness(core_group_due(episode), now) if episode.is_open else None,
    }


def show_plan_view(request: AuthedRequest, pk: int) -> HttpResponse:
    plan = _plan(request, pk, "show_plan")
    staff = _is_staff(request, plan)
    episode = plan.episode
    current = plan.current_version()
    versions = list(
        plan.versions.select_related("published_by", "created_by", "signed_off_by", "returned_by")
    )
    returned = next(
        (v for v in versions if staff and not v.is_published and v.returned_at is not None), None
    )
    context: dict[str, Any] = {
        "returned": returned,
        "plan": plan,
        "episode": episode,
        "staff": staff,
        "current": current,
        "outcomes": list(current.outcomes.prefetch_related("actions")) if current else [],
        "versions": versions,
        "categories": ", ".join(
            str(Category(c).label) for c in episode.current_categories() if c in Category.values
        ),
        "sp": sp,
        "visits_due": visits_due(episode) if staff and episode.is_open else [],
    }
    meetings_page = _paged(
        request,
        context,
        "meetings",
        episode.core_groups.order_by("-held_at", "-pk"),
        MEETINGS_PER_PAGE,
        "core-groups",
        _("Pages of core group meetings"),
    )
    context["meetings"] = _meetings(meetings_page.object_list)
    if staff:
        visits = episode.visits.select_related("visitor").order_by("-visited_at", "-pk")
        _paged(
            request,
            context,
            "visits",
            visits,
            VISITS_PER_PAGE,
            "visits",
            _("Pages of statutory visits"),
        )
    else:
        context.update(visits=[], visits_page=None, visits_pagination=None)
    context.update(
        {
            "progress": _latest_progress(episode),
            "action_status": services.latest_action_statuses(current) if current else {},
            "action_labels": dict(ActionStatus.choices),
        }
    )
    if staff:
        context.update(_register_context(request, episode))
    return render(request, "plans/plan_show.jinja", context)


@require_POST
def start_plan_view(request: AuthedRequest, pk: int) -> HttpResponse:
    plan = _plan(request, pk, "start_plan", staff=True)
    try:
        services.draft_plan(actor=request.user, plan=plan)
    except DomainError as exc:
        messages.error(request, exc.message)
        return HttpResponseRedirect(reverse("show_plan", args=[plan.pk]))
    return HttpResponseRedirect(reverse("edit_plan", args=[plan.pk]))


def _edit_page(
    request: AuthedRequest,
    plan: Plan,
    version: PlanVersion | None,
    form: PlanForm,
    *,
    status: int = 200,
    error: str = "",
) -> HttpResponse:
    is_draft = version is not None and not version.is_published
    context = {
        "plan": plan,
        "version": version,
        "is_draft": is_draft,
        "form": form,
        "quality": plan_quality(version) if is_draft and version is not None else None,
        "error": error,
    }
    return render(request, "plans/plan_edit.jinja", context, status=status)


def edit_plan_view(request: AuthedRequest, pk: int) -> HttpResponse:
    """Edit the draft, or the current version (saving makes a new draft); the quality check of
    the draft is shown before it is published."""
    plan = _plan(request, pk, "edit_plan", staff=True)
    version = plan.draft() or plan.current_version()
    form = PlanForm(
        request.POST if request.method == "POST" else None,
        episode=plan.episode,
        editor=request.user,
        initial=PlanForm.initial_for(version),
    )
    if request.method != "POST" or version is None:
        return _edit_page(request, plan, version, form)
    status = 400
    if form.is_valid():
        try:
            saved = services.edit_plan(actor=request.user, version=version, **form.service_kwargs())
        except DomainError as exc:
            add_domain_error(form, exc)
            status = exc.status_code
        else:
            messages.success(
                request,
                _("Draft version %(n)s saved: check what is missing before publishing")
                % {"n": saved.number},
            )
            if request.POST.get("then") == "publish":
                # Publishing starts from what was just saved: nothing typed is lost.
                return HttpResponseRedirect(reverse("publish_plan", args=[plan.pk]))
            return HttpResponseRedirect(reverse("edit_plan", args=[plan.pk]))
    return _edit_page(request, plan, version, form, status=status)


def _publish_page(
    request: AuthedRequest,
    plan: Plan,
    draft: PlanVersion,
    form: PublishForm,
    *,
    status: int = 200,
    return_form: ReturnPlanForm | None = None,
) -> HttpResponse:
    quality = plan_quality(draft)
    context = {
        "plan": plan,
        "version": draft,
        "form": form,
        "quality": quality,
        "threshold": services.quality_threshold(),
        "needs_sign_off": services.needs_sign_off(quality.score),
        "may_sign_off": services.may_sign_off(request.user, draft),
        "own_plan": request.user.pk in draft.authors() and services.may_sign_off(request.user),
        "return_form": return_form or ReturnPlanForm(),
        "outcomes": list(draft.outcomes.prefetch_related("actions")),
    }
    return render(request, "plans/plan_publish.jinja", context, status=status)


def publish_plan_view(request: AuthedRequest, pk: int) -> HttpResponse:
    """Check and confirm: the saved draft's quality result, then "Publish" (with a manager's
    sign-off and reason below the authority's quality threshold), or ask a manager to sign off."""
    plan = _plan(request, pk, "publish_plan", staff=True)
    draft = plan.draft()
    if draft is None:
        messages.error(request, _("There is no draft to publish: edit the plan first"))
        return HttpResponseRedirect(reverse("edit_plan", args=[plan.pk]))
    form = PublishForm(request.POST if request.method == "POST" else None, version=draft)
    if request.method != "POST":
        return _publish_page(request, plan, draft, form)
    if request.POST.get("action") == "return":
        return_form = ReturnPlanForm(request.POST)
        if return_form.is_valid():
            try:
                services.return_plan(
                    actor=request.user,
                    version=draft,
                    reason=return_form.cleaned_data["return_reason"],
                )
            except DomainError as exc:
                add_domain_error(return_form, exc)
                return _publish_page(
                    request, plan, draft, form, status=exc.status_code, return_form=return_form
                )
            messages.success(
                request, _("The plan has been returned to its author with your reason")
            )
            return HttpResponseRedirect(reverse("show_plan", args=[plan.pk]))
        return _publish_page(request, plan, draft, form, status=400, return_form=return_form)
    if request.POST.get("action") == "ask":
        try:
            asked = services.ask_for_sign_off(actor=request.user, version=draft)
        except DomainError as exc:
            add_domain_error(form, exc)
            return _publish_page(request, plan, draft, form, status=exc.status_code)
        messages.success(
            request, _("%(n)s managers have been asked to sign off the plan") % {"n": asked}
        )
        return HttpResponseRedirect(reverse("show_plan", args=[plan.pk]))
    status = 400
    if form.is_valid():
        try:
            published = services.publish_plan(
                actor=request.user, version=draft, **form.service_kwargs()
            )
        except DomainError as exc:
            add_domain_error(form, exc)
            status = exc.status_code
        else:
            messages.success(
                request,
                _("Version %(n)s published; the core group has been told")
                % {"n": published.number},
            )
            return HttpResponseRedirect(reverse("show_plan", args=[plan.pk]))
    return _publish_page(request, plan, draft, form, status=status)


def record_visit_view(request: AuthedRequest, pk: int) -> HttpResponse:
    plan = _plan(request, pk, "record_visit", staff=True)
    form = VisitForm(request.POST if request.method == "POST" else None)
    done, status = submit_form(
        request,
        form,
        lambda d: services.record_visit(
            actor=request.user, episode=plan.episode, **form.service_kwargs()
        ),
        success=_("Visit recorded"),
        then=lambda _result: reverse("show_plan", args=[plan.pk]),
    )
    if done is not None:
        return done
    context = {"plan": plan, "form": form, "now": timezone.now()}
    return render(request, "plans/visit_form.jinja", context, status=status)


def record_core_group_view(request: AuthedRequest, pk: int) -> HttpResponse:
    plan = _plan(request, pk, "record_core_group", staff=True)
    current = plan.current_version()
    form = CoreGroupForm(
        request.POST if request.method == "POST" else None,
        episode=plan.episode,
        version=current,
        action_status=services.latest_action_statuses(current) if current else {},
    )
    done, status = submit_form(
        request,
        form,
        lambda d: services.record_core_group(
            actor=request.user, episode=plan.episode, **form.service_kwargs()
        ),
        success=_("Core group meeting recorded"),
        then=lambda _result: reverse("show_plan", args=[plan.pk]),
    )
    if done is not None:
        return done
    context = {"plan": plan, "form": form}
    return render(request, "plans/core_group_form.jinja", context, status=status)
