"""Work lists of registered children."""

from __future__ import annotations

from urllib.parse import urlencode

from django import forms
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from diogelu.access.services import log_list_reads
from diogelu.conferences.models import Category
from diogelu.core.views import AuthedRequest
from diogelu.plans import register_list
from diogelu.sharing import presenters as sp


class RegisterFilterForm(forms.Form):
    category = forms.ChoiceField(label=_("Category"), required=False)
    mine = forms.BooleanField(label=_("Only children I lead"), required=False)
    sort = forms.ChoiceField(
        label=_("Sort by"),
        required=False,
        choices=[
            ("registered", _("Most recently registered")),
            ("oldest", _("Longest on the register")),
            ("name", _("Family name")),
        ],
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        field = self.fields["category"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", _("Any category")), *Category.choices]


def register_list_view(request: AuthedRequest) -> HttpResponse:
    """The children on the register, paged, filtered by category and lead, sorted."""
    if not register_list.may_see_register_list(request.user):
        raise Http404
    form = RegisterFilterForm(request.GET or None)
    params = form.cleaned_data if form.is_valid() else {}
    category = str(params.get("category") or "")
    mine = bool(params.get("mine"))
    sort = str(params.get("sort") or "registered")
    page, rows = register_list.register_page(
        request.user,
        timezone.now(),
        page=request.GET.get("page", 1),
        category=category,
        mine=mine,
        sort=sort,
    )
    filters: dict[str, str] = {"category": category, "mine": "on" if mine else "", "sort": sort}
    log_list_reads(request.user, [r.person for r in rows], route="register_list", request=request)
    query = urlencode({k: v for k, v in filters.items() if v})
    return render(
        request,
        "plans/register_list.jinja",
        {
            "form": form,
            "page": page,
            "rows": rows,
            "query": query,
            "sp": sp,
            "category_label": lambda c: str(Category(c).label),
        },
    )
