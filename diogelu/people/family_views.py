"""Adding, ending and correcting relationships from the family view. Adding a relative searches
the people already known first (the people search, with the matching engine), so no duplicate is
made; a new person is created only after that search."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from diogelu.access.models import Part
from diogelu.access.services import PersonAccess, log_search_results
from diogelu.core.exceptions import DomainError
from diogelu.core.views import AuthedRequest, add_domain_error
from diogelu.people import editing
from diogelu.people.presenters import PersonPresenter
from diogelu.people.record_forms import EndRelationshipForm, RelativeForm
from diogelu.people.search import SearchCriteria, search_people
from diogelu.people.views import _person_page

NEW = "new"


def _family_editor(request: AuthedRequest, person_id: int) -> tuple[PersonAccess, dict[str, Any]]:
    access, context = _person_page(request, person_id, Part.FAMILY)
    if not editing.may_edit(request.user, access):
        raise Http404
    return access, context


def add_relative_view(request: AuthedRequest, person_id: int) -> HttpResponse:
    """First submit: the search (candidates shown). Second: the chosen person, or a new one."""
    access, context = _family_editor(request, person_id)
    form = RelativeForm(request.POST or None, kinds=editing.ADDABLE_KINDS)
    candidates: list[PersonPresenter] | None = None
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            choice = str(request.POST.get("person") or "")
            criteria = SearchCriteria(
                name=f"{data['given_name']} {data['family_name']}".strip(),
                date_of_birth=data.get("date_of_birth"),
            )
            if not choice:
                found = [
                    p
                    for p in search_people(request.user, criteria, limit=10)
                    if p.pk != access.person.pk
                ]
                logged = log_search_results(
                    request.user, found, route="add_relative", request=request
                )
                candidates = [PersonPresenter(a) for a in logged]
                status = 200
            else:
                try:
                    relative = None
                    if choice != NEW:
                        relative = editing.relative_candidate(request.user, choice)
                    editing.add_relationship(
                        actor=request.user,
                        access=access,
                        relative=relative,
                        new_person=editing.NewPerson(
                            data["given_name"], data["family_name"], data.get("date_of_birth")
                        ),
                        kind=data["kind"],
                        has_parental_responsibility=data["has_parental_responsibility"],
                        lives_with=data["lives_with"],
                        started_on=data.get("started_on"),
                        reason=data["reason"],
                    )
                except DomainError as exc:
                    add_domain_error(form, exc)
                    status = exc.status_code
                else:
                    messages.success(request, _("The family member has been added"))
                    return HttpResponseRedirect(reverse("person_family", args=[access.person.pk]))
    context.update({"form": form, "candidates": candidates, "new": NEW})
    return render(request, "people/person_add_relative.jinja", context, status=status)


def end_relationship_view(request: AuthedRequest, person_id: int) -> HttpResponse:
    access, context = _family_editor(request, person_id)
    form = EndRelationshipForm(request.POST or None, initial={"relationship": request.GET.get("r")})
    rel_id = request.POST.get("relationship") or request.GET.get("r")
    try:
        relationship = editing.relationship_of(access, rel_id)
    except DomainError:
        raise Http404 from None
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                editing.end_relationship(
                    actor=request.user,
                    access=access,
                    relationship=relationship,
                    ended_on=form.cleaned_data["ended_on"],
                    reason=form.cleaned_data["reason"],
                )
            except DomainError as exc:
                add_domain_error(form, exc)
                status = exc.status_code
            else:
                messages.success(request, _("The relationship has been ended"))
                return HttpResponseRedirect(reverse("person_family", args=[access.person.pk]))
    other = (
        relationship.relative if relationship.person_id == access.person.pk else relationship.person
    )
    context.update({"form": form, "relationship": relationship, "other": other})
    return render(request, "people/person_end_relationship.jinja", context, status=status)


def correct_relationship_view(request: AuthedRequest, person_id: int) -> HttpResponse:
    """Correct how a relative is related (the change is kept in the record's history)."""
    from diogelu.people.models import RelationshipKind, inverse_kind
    from diogelu.people.record_forms import CorrectRelationshipForm

    access, context = _family_editor(request, person_id)
    rel_id = request.POST.get("relationship") or request.GET.get("r")
    try:
        relationship = editing.relationship_of(access, rel_id)
    except DomainError:
        raise Http404 from None
    outgoing = relationship.person_id == access.person.pk
    shown_kind = relationship.kind if outgoing else str(inverse_kind(relationship.kind))
    kinds = list(editing.ADDABLE_KINDS)
    if RelationshipKind(shown_kind) not in kinds:
        kinds.append(RelationshipKind(shown_kind))
    form = CorrectRelationshipForm(
        request.POST or None,
        kinds=kinds,
        initial={
            "relationship": relationship.pk,
            "kind": shown_kind,
            "has_parental_responsibility": relationship.has_parental_responsibility,
            "lives_with": relationship.lives_with,
        },
    )
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                editing.correct_relationship(
                    actor=request.user,
                    access=access,
                    relationship=relationship,
                    kind=form.cleaned_data["kind"],
                    has_parental_responsibility=form.cleaned_data["has_parental_responsibility"],
                    lives_with=form.cleaned_data["lives_with"],
                    reason=form.cleaned_data["reason"],
                )
            except DomainError as exc:
                add_domain_error(form, exc)
                status = exc.status_code
            else:
                messages.success(request, _("The relationship has been corrected"))
                return HttpResponseRedirect(reverse("person_family", args=[access.person.pk]))
    context.update({"form": form, "relationship": relationship})
    return render(request, "people/person_correct_relationship.jinja", context, status=status)
