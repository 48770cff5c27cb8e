"""Pages for people: search and the person record (summary, family, chronology, access log).

Every person is fetched through ``access_person``, which logs the read; search results are logged
through ``log_search_results``. No view touches a case-data model's manager directly.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters

from diogelu.access.models import Channel, Part
from diogelu.access.services import (
    PersonAccess,
    access_person,
    log_search_results,
    person_access_log,
)
from diogelu.accounts.stepup import step_up_required
from diogelu.chronology.services import visible_events
from diogelu.core.presenters import agency_name
from diogelu.core.views import AuthedRequest
from diogelu.people.editing import may_edit
from diogelu.people.exports import person_summary_pdf
from diogelu.people.forms import MergeForm, PersonSearchForm
from diogelu.people.history import record_context
from diogelu.people.presenters import PersonPresenter
from diogelu.people.search import search_people
from diogelu.people.services import family_of


def my_work_view(request: AuthedRequest) -> HttpResponse:
    """What is waiting for me, and when it is due, by role: the MASH's reports, requests and
    outcomes; a manager's authorisations, ratifications and escalations; a social worker's
    section 47 enquiries; a partner agency's requests, outcomes and reports."""
    from django.utils import timezone

    from diogelu.accounts.models import Role
    from diogelu.conferences import queues as cq
    from diogelu.enquiries.access import is_social_work_staff
    from diogelu.sharing import presenters as sp
    from diogelu.sharing import queues
    from diogelu.sharing.access import is_mash_viewer, is_partner_worker

    user = request.user
    now = timezone.now()
    mash = is_mash_viewer(user)
    manager = mash and queues.is_manager(user)
    partner = is_partner_worker(user)
    enquiries = queues.my_enquiries(user, now)
    context: dict[str, Any] = {
        "sp": sp,
        "is_mash": mash,
        "is_manager": manager,
        "is_partner": partner,
        "is_social_worker": is_social_work_staff(user)
        and (user.has_role(Role.SOCIAL_WORKER) or bool(enquiries)),
        "reports": queues.reports_awaiting_decision(user, now) if mash else [],
        "my_requests": queues.my_open_requests(user, now) if mash else [],
        "to_authorise": queues.decisions_to_authorise(user, now) if manager else [],
        "to_ratify": queues.determinations_to_ratify(user) if manager else [],
        "overdue_requests": queues.overdue_requests(user, now) if manager else [],
        "escalated": queues.escalated_outcomes(user, now) if manager else [],
        "enquiries": enquiries,
        "requests_to_answer": queues.agency_requests_to_answer(user, now),
        "outcomes": queues.outcomes_to_acknowledge(user, now),
        "my_reports": queues.my_reports(user) if not user.is_local_authority_staff else [],
        "your_reports_url": sp.safe_url("your_reports"),
        "overdue_visits": _overdue_visits(user, now),
        "invitations": cq.invitations_to_answer(user, now),
        "records": cq.records_to_acknowledge(user, now),
        "conferences": cq.conferences_to_act_on(user, now),
        "registered": cq.registered_children(user, now),
        "work_lists": _work_lists(user),
    }
    return render(request, "people/my_work.jinja", context)


def _work_lists(user: Any) -> list[tuple[str, str]]:
    """Links to the lists a local authority worker works from."""
    from django.urls import reverse

    from diogelu.conferences.access import is_conference_staff
    from diogelu.enquiries.access import is_social_work_staff

    lists: list[tuple[str, str]] = []
    if is_conference_staff(user):
        lists.append((reverse("register_list"), _("Children on the register")))
        lists.append((reverse("conference_list"), _("Conferences to be held")))
    if is_social_work_staff(user):
        lists.append((reverse("enquiry_list"), _("Open section 47 enquiries")))
    return lists


def _overdue_visits(user: Any, now: Any) -> list[dict[str, Any]]:
    """Overdue statutory visits: a lead practitioner's children, or a manager's whole authority,
    each with the plan it belongs to (only plans the user may read)."""
    from diogelu.accounts.models import MANAGER_ROLES
    from diogelu.plans.access import plans_visible_to
    from diogelu.plans.due import overdue_visits_for_worker

    if not user.is_local_authority_staff:
        return []
    team = user.has_role(*MANAGER_ROLES)
    dues = overdue_visits_for_worker(user, now, team=team)
    if not dues:
        return []
    plans = {
        p.episode_id: p
        for p in plans_visible_to(user)
        .filter(episode_id__in={d.episode_id for d in dues})
        .select_related("person")
    }
    return [{"due": d, "plan": plans[d.episode_id]} for d in dues if d.episode_id in plans]


@sensitive_post_parameters()
def search_people_view(request: AuthedRequest) -> HttpResponse:
    """Search by POST, so names and identifiers never appear in URLs or server logs."""
    form = PersonSearchForm(request.POST or None)
    results: list[PersonAccess] | None = None
    if request.method == "POST" and form.is_valid():
        people = search_people(request.user, form.criteria())
        results = log_search_results(request.user, people, route="search_people", request=request)
    context: dict[str, Any] = {
        "form": form,
        "results": [PersonPresenter(r) for r in results] if results is not None else None,
    }
    return render(request, "people/search.jinja", context, status=400 if form.errors else 200)


def _tabs(access: PersonAccess, active: str, suffix: str = "") -> list[dict[str, Any]]:
    from django.urls import reverse
    from django.utils.translation import gettext as _

    pk = access.person.pk
    tabs = [
        (Part.SUMMARY, _("Summary"), reverse("show_person", args=[pk])),
        (Part.FAMILY, _("Family"), reverse("person_family", args=[pk])),
        (Part.CHRONOLOGY, _("Chronology"), reverse("person_chronology", args=[pk])),
        (Part.CHRONOLOGY, _("Case notes"), reverse("case_notes", args=[pk])),
        (Part.CHRONOLOGY, _("Missing episodes"), reverse("missing_episodes", args=[pk])),
        (Part.ACCESS_LOG, _("Access log"), reverse("person_access_log", args=[pk])),
    ]
    return [
        {"text": text, "href": href, "active": part == active and href.endswith(suffix)}
        for part, text, href in tabs
        if access.may_see(part)
    ]


def _person_page(
    request: AuthedRequest, person_id: int, part: str
) -> tuple[PersonAccess, dict[str, Any]]:
    access = access_person(
        request.user,
        person_id,
        part=part,
        channel=Channel.PAGE,
        route=(request.resolver_match.url_name if request.resolver_match else None) or "person",
        request=request,
    )
    route = request.resolver_match.url_name if request.resolver_match else ""
    suffix = {
        "case_notes": "/notes/",
        "write_case_note": "/notes/",
        "missing_episodes": "/missing/",
        "record_missing": "/missing/",
    }.get(route or "", "")
    if part == Part.CHRONOLOGY and not suffix:
        suffix = "/chronology/"
    context = {"person": PersonPresenter(access), "tabs": _tabs(access, part, suffix)}
    return access, context


def show_person_view(request: AuthedRequest, person_id: int) -> HttpResponse:
    from diogelu.conferences.access import child_protection_for
    from diogelu.people.merging import MERGE_ROLES, merges_of

    access, context = _person_page(request, person_id, Part.SUMMARY)
    context["can_merge"] = (
        request.user.has_role(*MERGE_ROLES) and request.user.is_local_authority_staff
    )
    context["merges"] = merges_of(request.user, access.person) if context["can_merge"] else []
    context["child_protection"] = child_protection_for(request.user, access.person)
    context.update(record_context(request.user, access))
    return render(request, "people/person_show.jinja", context)


def person_family_view(request: AuthedRequest, person_id: int) -> HttpResponse:
    access, context = _person_page(request, person_id, Part.FAMILY)
    context["family"] = family_of(request.user, access)
    context["may_edit"] = may_edit(request.user, access)
    return render(request, "people/person_family.jinja", context)


def person_chronology_view(request: AuthedRequest, person_id: int) -> HttpResponse:
    access, context = _person_page(request, person_id, Part.CHRONOLOGY)
    context["events"] = list(visible_events(request.user, access)[:500])
    return render(request, "people/person_chronology.jinja", context)


@step_up_required
def export_person_view(request: AuthedRequest, person_id: int) -> HttpResponse:
    """The record as a PDF; an export is logged like any other read."""
    access = access_person(
        request.user,
        person_id,
        part=Part.SUMMARY,
        channel=Channel.EXPORT,
        route="export_person",
        request=request,
    )
    pdf = person_summary_pdf(request.user, access, request)
    response = HttpResponse(pdf, content_type="application/pdf")
    filename = f"diogelu-{access.person.la_reference}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def person_access_log_view(request: AuthedRequest, person_id: int) -> HttpResponse:
    access, context = _person_page(request, person_id, Part.ACCESS_LOG)
    from django.core.paginator import Paginator

    from diogelu.accounts.models import Agency
    from diogelu.core.log_filters import PAGE_SIZE, LogFilterForm

    rows = person_access_log(access)
    agencies = Agency.objects.filter(pk__in=rows.values("agency_id")).order_by("name")
    form = LogFilterForm(
        request.GET or None,
        agencies=[(a.pk, agency_name(a)) for a in agencies],
        with_person=False,
    )
    rows = form.apply(rows, at="at", users=["user"], agencies=["agency"])
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    context.update({"entries": page.object_list, "page": page, "form": form, "query": form.query()})
    return render(request, "people/person_access_log.jinja", context)


def merge_person_view(request: AuthedRequest, person_id: int) -> HttpResponse:
    """A manager merges a duplicate record into this one, after confirming side by side."""
    from django.http import Http404, HttpResponseRedirect
    from django.urls import reverse

    from diogelu.core.exceptions import DomainError
    from diogelu.core.views import add_domain_error
    from diogelu.people import merging

    if not request.user.has_role(*merging.MERGE_ROLES):
        raise Http404
    access, context = _person_page(request, person_id, Part.SUMMARY)
    form = MergeForm(request.POST or None)
    duplicate = None
    if request.method == "POST" and form.is_valid():
        duplicate = merging.find_duplicate(request.user, form.cleaned_data["la_reference"])
        if duplicate is None or duplicate.pk == access.person.pk:
            form.add_error("la_reference", _("Enter the reference of another record you can see"))
        elif request.POST.get("confirm") == "yes":
            try:
                merging.merge_people(
                    actor=request.user,
                    survivor=access.person,
                    duplicate=duplicate,
                    reason=form.cleaned_data["reason"],
                )
            except DomainError as exc:
                add_domain_error(form, exc)
            else:
                return HttpResponseRedirect(reverse("show_person", args=[access.person.pk]))
    context.update(
        {
            "form": form,
            "duplicate": merging.merge_preview(request.user, access.person, duplicate)
            if duplicate is not None and not form.errors
            else None,
        }
    )
    return render(request, "people/person_merge.jinja", context, status=400 if form.errors else 200)


def unmerge_view(request: AuthedRequest, merge_id: int) -> HttpResponse:
    """Undo a merge (POST)."""
    from django.http import Http404, HttpResponseRedirect
    from django.urls import reverse

    from diogelu.core.exceptions import DomainError
    from diogelu.people import merging

    if request.method != "POST":
        raise Http404
    merge = merging.access_merge(request.user, merge_id)
    try:
        merging.unmerge(actor=request.user, merge=merge)
    except DomainError:
        raise Http404 from None
    return HttpResponseRedirect(reverse("show_person", args=[merge.duplicate_id]))
