"""Pages that keep a person's record right: details, other names and addresses, each change with
a reason and kept as history."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from diogelu.access.models import Part
from diogelu.core.exceptions import DomainError
from diogelu.core.presenters import format_date
from diogelu.core.views import AuthedRequest, add_domain_error, submit_form
from diogelu.people import editing
from diogelu.people.models import Address, PersonName
from diogelu.people.record_forms import (
    AddressForm,
    CorrectAddressForm,
    CorrectOtherNameForm,
    OtherNameForm,
    PersonDetailsForm,
)
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


def _name_rows(
    names: list[PersonName], person_id: int, may_edit: bool
) -> list[list[dict[str, Any]]]:
    from diogelu.core.presenters import link

    rows = []
    for n in names:
        row: list[dict[str, Any]] = [
            {"text": n.full_name},
            {"text": str(n.get_kind_display())},
        ]
        if may_edit:
            href = reverse("correct_other_name", args=[person_id]) + f"?name={n.pk}"
            row.append({"html": link(href, _("Change"), n.full_name)})
        rows.append(row)
    return rows


def _address_rows(
    addresses: list[Address], person_id: int, may_edit: bool
) -> list[list[dict[str, Any]]]:
    from diogelu.core.presenters import link

    rows = []
    for a in addresses:
        text = ", ".join(a.lines)
        row: list[dict[str, Any]] = [
            {"text": text},
            {"text": format_date(a.moved_in_on) or _("Not known")},
            {"text": format_date(a.moved_out_on) or _("Lives here now")},
        ]
        if may_edit:
            href = reverse("correct_address", args=[person_id]) + f"?address={a.pk}"
            row.append({"html": link(href, _("Change"), text)})
        rows.append(row)
    return rows


def names_and_addresses_view(request: AuthedRequest, person_id: int) -> HttpResponse:
    """Every other name and every address, past and current, with change links for editors."""
    access, context = _person_page(request, person_id, Part.SUMMARY)
    may_edit = editing.may_edit(request.user, access)
    names, addresses = editing.names_and_addresses(access)
    from django.utils.html import format_html

    hidden = format_html('<span class="govuk-visually-hidden">{}</span>', _("Change"))
    context.update(
        {
            "may_edit": may_edit,
            "change_head": [{"html": hidden}] if may_edit else [],
            "name_rows": _name_rows(names, access.person.pk, may_edit),
            "address_rows": _address_rows(addresses, access.person.pk, may_edit),
        }
    )
    return render(request, "people/person_names_addresses.jinja", context)


def correct_other_name_view(request: AuthedRequest, person_id: int) -> HttpResponse:
    """Correct another name of the person, or remove one recorded in error."""
    from django.contrib import messages

    access, context = _editor_page(request, person_id)
    try:
        name = editing.other_name_of(access, request.POST.get("name") or request.GET.get("name"))
    except DomainError:
        raise Http404 from None
    form = CorrectOtherNameForm(
        request.POST or None,
        initial={
            "name": name.pk,
            "kind": name.kind,
            "given_name": name.given_name,
            "family_name": name.family_name,
        },
    )
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            d = form.cleaned_data
            try:
                editing.correct_other_name(
                    actor=request.user,
                    access=access,
                    name=name,
                    kind=d["kind"],
                    given_name=d["given_name"],
                    family_name=d["family_name"],
                    remove=d["remove"],
                    reason=d["reason"],
                )
            except DomainError as exc:
                add_domain_error(form, exc)
                status = exc.status_code
            else:
                messages.success(
                    request,
                    _("The name has been removed")
                    if d["remove"]
                    else _("The name has been changed"),
                )
                return HttpResponseRedirect(reverse("names_and_addresses", args=[access.person.pk]))
    context.update({"form": form, "other_name": name})
    return render(request, "people/person_correct_name.jinja", context, status=status)


def correct_address_view(request: AuthedRequest, person_id: int) -> HttpResponse:
    """Correct an address of the person, past or current."""
    access, context = _editor_page(request, person_id)
    try:
        address = editing.address_of(
            access, request.POST.get("address") or request.GET.get("address")
        )
    except DomainError:
        raise Http404 from None
    form = CorrectAddressForm(
        request.POST or None,
        initial={
            "address": address.pk,
            "seen": editing.address_fingerprint(address),
            "line_1": address.line_1,
            "line_2": address.line_2,
            "town": address.town,
            "postcode": address.postcode,
            "moved_in_on": address.moved_in_on,
            "moved_out_on": address.moved_out_on,
        },
    )
    response, status = submit_form(
        request,
        form,
        lambda d: editing.correct_address(
            actor=request.user,
            access=access,
            address=address,
            line_1=d["line_1"],
            line_2=d["line_2"],
            town=d["town"],
            postcode=d["postcode"],
            moved_in_on=d["moved_in_on"],
            moved_out_on=d["moved_out_on"],
            seen=d["seen"],
            reason=d["reason"],
        ),
        success=_("The address has been changed"),
        then=lambda _r: reverse("names_and_addresses", args=[access.person.pk]),
    )
    if response is not None:
        return response
    context.update({"form": form, "address": address})
    return render(request, "people/person_correct_address.jinja", context, status=status)
