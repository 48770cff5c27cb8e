"""Filtering the access log and the disclosure log: by person, user, agency and date."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from diogelu.core.forms import GovUKDateField

PAGE_SIZE = 50


class LogFilterForm(forms.Form):
    person = forms.CharField(
        label=_("Person's local authority reference"), max_length=20, required=False
    )
    user = forms.CharField(label=_("User's name"), max_length=100, required=False)
    agency = forms.ChoiceField(label=_("Agency"), required=False)
    date_from = GovUKDateField(label=_("From"), required=False, allow_future=True)
    date_to = GovUKDateField(label=_("To"), required=False, allow_future=True)

    def __init__(
        self, data: Any, *, agencies: Iterable[tuple[int, str]], with_person: bool = True
    ) -> None:
        super().__init__(data)
        field = self.fields["agency"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", _("Any agency")), *((str(pk), name) for pk, name in agencies)]
        if not with_person:
            del self.fields["person"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", _("The end date must be the same as or after the start date"))
        return data

    def apply(
        self,
        rows: QuerySet[Any],
        *,
        at: str,
        users: Sequence[str],
        agencies: Sequence[str],
        person: str = "person__la_reference",
    ) -> QuerySet[Any]:
        if not self.is_bound:
            return rows
        if not self.is_valid():
            return rows.none()
        d = self.cleaned_data
        if d.get("person"):
            rows = rows.filter(**{person: str(d["person"]).strip().upper()})
        if d.get("user"):
            words = str(d["user"]).split()
            for word in words:
                q = Q()
                for u in users:
                    q |= (
                        Q(**{f"{u}__first_name__icontains": word})
                        | Q(**{f"{u}__last_name__icontains": word})
                        | Q(**{f"{u}__username__icontains": word})
                    )
                rows = rows.filter(q)
        if d.get("agency"):
            q = Q()
            for a in agencies:
                q |= Q(**{f"{a}_id": int(d["agency"])})
            rows = rows.filter(q)
        if d.get("date_from"):
            rows = rows.filter(**{f"{at}__gte": _start_of(d["date_from"])})
        if d.get("date_to"):
            rows = rows.filter(
                **{f"{at}__lt": _start_of(d["date_to"] + datetime.timedelta(days=1))}
            )
        return rows

    def query(self) -> str:
        """The filters as a query string, for the pagination links."""
        if not self.is_bound:
            return ""
        keep = {k: v for k, v in self.data.items() if k != "page" and v}
        return urlencode(keep)


def _start_of(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time()))
