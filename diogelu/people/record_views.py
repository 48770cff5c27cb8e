"""Pages that keep a person's record right: details, other names and addresses, each change with
a reason and kept as history."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from diogelu.access.models import Part
from diogelu.core.views import AuthedRequest, submit_form
from diogelu.people import editing
from diogelu.people.record_forms import AddressForm, OtherNameForm, PersonDetailsForm
from diogelu.people.views import _person_page


def _editor_page(request: AuthedRequest, person_id: int) -> tuple[Any, dict[str, Any]]:
    access, context = _person_page(request, person_id, Part.SUMMARY)
    if not editing.may_edit(request.user, access):
        raise Http404
    return access, context


def edit_person_view(request: AuthedRequest, person_id: int) -> HttpResponse:
    access, context = _editor_page(request, person_id)
    form = PersonDetailsForm.for_person(access.person, request.POST or None)
    response, status = submit_form(
        request,
        form,
        lambda d: editing.edit_person_details(
            actor=request.user,
            access=access,
            expected_version=d["version"],
            changes=form.changes(),
            reason=d["reason"],
        ),
        success=_("The record has been changed"),
        then=lambda _r: reverse("show_person", args=[access.person.pk]) + "#changes",
    )
    if response is not None:
        return response
    context["form"] = form
    return render(request, "people/person_edit.jinja", context, status=status)


def add_other_name_view(request: AuthedRequest, person_id: int) -> HttpResponse:
    access, context = _editor_page(request, person_id)
    form = OtherNameForm(request.POST or None)
    response, status = submit_form(
        request,
        form,
        lambda d: editing.add_other_name(actor=request.user, access=access, **d),
        success=_("The name has been added"),
        then=lambda _r: reverse("show_person", args=[access.person.pk]),
    )
    if response is not None:
        return response
    context["form"] = form
    return render(request, "people/person_other_name.jinja", context, status=status)


def add_address_view(request: AuthedRequest, person_id: int) -> HttpResponse:
    access, context = _editor_page(request, person_id)
    form = AddressForm(request.POST or None)
    response, status = submit_form(
        request,
        form,
        lambda d: editing.add_address(actor=request.user, access=access, **d),
        success=_("The address has been added"),
        then=lambda _r: reverse("show_person", args=[access.person.pk]),
    )
    if response is not None:
        return response
    context["form"] = form
    return render(request, "people/person_address.jinja", context, status=status)
