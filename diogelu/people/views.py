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
from diogelu.people.models import prefetch_current_addresses
from diogelu.people.presenters import PersonPresenter
from diogelu.people.search import search_people
from diogelu.people.sections import person_page_extras
from diogelu.people.services import family_of


@sensitive_post_parameters()
def search_people_view(request: AuthedRequest) -> HttpResponse:
    """Search by POST, so names and identifiers never appear in URLs or server logs."""
    form = PersonSearchForm(request.POST or None)
    results: list[PersonAccess] | None = None
    if request.method == "POST" and form.is_valid():
        people = search_people(request.user, form.criteria())
        results = log_search_results(request.user, people, route="search_people", request=request)
        prefetch_current_addresses([r.person for r in results])
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
    from diogelu.people.merging import MERGE_ROLES, merges_of

    access, context = _person_page(request, person_id, Part.SUMMARY)
    context["can_merge"] = (
        request.user.has_role(*MERGE_ROLES) and request.user.is_local_authority_staff
    )
    context["merges"] = merges_of(request.user, access.person) if context["can_merge"] else []
    context.update(record_context(request.user, access))
    # What other apps register (the child protection section: plans/apps.py; oversight's links:
    # oversight/apps.py), through the one person-page hook (people/sections.py).
    context.update(person_page_extras(request.user, access.person))
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
