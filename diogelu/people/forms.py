"""People search form."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from diogelu.core.forms import GovUKDateField
from diogelu.people.search import SearchCriteria
from diogelu.people.validators import (
    normalise_nhs_number,
    normalise_postcode,
    normalise_upn,
    validate_nhs_number,
    validate_postcode,
    validate_upn,
)

_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


class PersonSearchForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        help_text=_("Given name, family name or both. Welsh and English forms are both found."),
        max_length=100,
        required=False,
        error_messages={"max_length": _("Name must be 100 characters or fewer")},
    )
    date_of_birth = GovUKDateField(
        label=_("Date of birth"),
        help_text=_("For example, 27 3 2015"),
        required=False,
        allow_future=True,
    )
    nhs_number = forms.CharField(label=_("NHS number"), max_length=14, required=False)
    upn = forms.CharField(label=_("Unique Pupil Number"), max_length=16, required=False)
    postcode = forms.CharField(label=_("Postcode"), max_length=10, required=False)

    def clean_name(self) -> str:
        value = str(self.cleaned_data.get("name") or "").strip()
        if _CONTROL.search(value):
            raise forms.ValidationError(
                _("Name must only include letters, spaces, hyphens and apostrophes")
            )
        return value

    def clean_nhs_number(self) -> str:
        value = str(self.cleaned_data.get("nhs_number") or "").strip()
        if value:
            validate_nhs_number(value)
            return normalise_nhs_number(value)
        return ""

    def clean_upn(self) -> str:
        value = str(self.cleaned_data.get("upn") or "").strip()
        if value:
            validate_upn(value)
            return normalise_upn(value)
        return ""

    def clean_postcode(self) -> str:
        value = str(self.cleaned_data.get("postcode") or "").strip()
        if value:
            validate_postcode(value)
            return normalise_postcode(value)
        return ""

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not self.errors and not any(
            data.get(k) for k in ("name", "date_of_birth", "nhs_number", "upn", "postcode")
        ):
            raise forms.ValidationError(
                _("Enter a name, date of birth, NHS number, UPN or postcode")
            )
        return data

    def criteria(self) -> SearchCriteria:
        data = self.cleaned_data
        return SearchCriteria(
            name=data.get("name", ""),
            date_of_birth=data.get("date_of_birth"),
            nhs_number=data.get("nhs_number", ""),
            upn=data.get("upn", ""),
            postcode=data.get("postcode", ""),
        )


class MergeForm(forms.Form):
    la_reference = forms.CharField(
        label=_("Local authority reference of the duplicate record"),
        help_text=_(
            "The duplicate's names, addresses, family, chronology and reports move into this one."
        ),
        max_length=20,
        error_messages={"required": _("Enter the reference of the duplicate record")},
    )
    reason = forms.CharField(
        label=_("Why are these the same person?"),
        widget=forms.Textarea,
        max_length=5000,
        error_messages={"required": _("Explain why these are the same person")},
    )
