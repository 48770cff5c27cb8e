"""Work lists of open section 47 enquiries and conferences to be held."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django import forms
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from diogelu.access.services import log_list_reads
from diogelu.conferences import work_lists
from diogelu.conferences.access import is_conference_staff
from diogelu.core.views import AuthedRequest
from diogelu.sharing import presenters as sp


class EnquiryFilterForm(forms.Form):
    mine = forms.BooleanField(label=_("Only enquiries I lead"), required=False)
    overdue = forms.BooleanField(label=_("Only overdue enquiries"), required=False)
    sort = forms.ChoiceField(
        label=_("Sort by"),
        required=False,
        choices=[("due", _("Soonest due first")), ("started", _("Most recently started"))],
    )


class ConferenceFilterForm(forms.Form):
    chaired = forms.BooleanField(label=_("Only conferences I chair"), required=False)
    sort = forms.ChoiceField(
        label=_("Sort by"),
        required=False,
        choices=[("due", _("Soonest due first")), ("scheduled", _("Date booked"))],
    )


def _render(
    request: AuthedRequest,
    template: str,
    form: forms.Form,
    found: Any,
    rows: list[Any],
    filters: dict[str, str],
) -> HttpResponse:
    log_list_reads(
        request.user,
        [p for r in rows for p in r.people],
        route=(request.resolver_match.url_name if request.resolver_match else "") or "list",
        request=request,
    )
    context = {
        "form": form,
        "page": found,
        "rows": rows,
        "query": urlencode({k: v for k, v in filters.items() if v}),
        "sp": sp,
    }
    return render(request, template, context)


def enquiry_list_view(request: AuthedRequest) -> HttpResponse:
    from diogelu.enquiries.access import is_social_work_staff

    if not is_social_work_staff(request.user):
        raise Http404
    form = EnquiryFilterForm(request.GET or None)
    d = form.cleaned_data if form.is_valid() else {}
    mine, overdue, sort = bool(d.get("mine")), bool(d.get("overdue")), str(d.get("sort") or "due")
    found, rows = work_lists.open_enquiries(
        request.user,
        timezone.now(),
        page=request.GET.get("page", 1),
        mine=mine,
        overdue=overdue,
        sort=sort,
    )
    filters = {"mine": "on" if mine else "", "overdue": "on" if overdue else "", "sort": sort}
    return _render(request, "conferences/enquiry_list.jinja", form, found, rows, filters)


def conference_list_view(request: AuthedRequest) -> HttpResponse:
    if not is_conference_staff(request.user):
        raise Http404
    form = ConferenceFilterForm(request.GET or None)
    d = form.cleaned_data if form.is_valid() else {}
    chaired, sort = bool(d.get("chaired")), str(d.get("sort") or "due")
    found, rows = work_lists.conferences_to_hold(
        request.user, timezone.now(), page=request.GET.get("page", 1), chaired=chaired, sort=sort
    )
    filters = {"chaired": "on" if chaired else "", "sort": sort}
    return _render(request, "conferences/conference_list.jinja", form, found, rows, filters)
