"""Forms for answering a MASH information request."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from diogelu.core.forms import GovUKDateField
from diogelu.sharing.presenters import KNOWN_LABELS, risk_indicator_choices


class AnswerForm(forms.Form):
    holds_information = forms.ChoiceField(
        label=_("Does your agency hold information about this child?"),
        choices=[("yes", _("Yes")), ("no", _("No, we hold nothing"))],
        widget=forms.RadioSelect,
        error_messages={"required": _("Say whether your agency holds information")},
    )
    summary = forms.CharField(
        label=_("What your agency holds"),
        help_text=_("Facts, dates and sources. Leave blank if you hold nothing."),
        widget=forms.Textarea(attrs={"rows": 6}),
        required=False,
        max_length=20_000,
    )
    known_to_agency = forms.ChoiceField(
        label=_("Is the child known to your agency?"),
        choices=list(KNOWN_LABELS.items()),
        widget=forms.RadioSelect,
        required=False,
    )
    last_contact_on = GovUKDateField(
        label=_("Date of your agency's last contact with the child"),
        help_text=_("For example, 27 3 2026. Leave blank if not known."),
        required=False,
    )
    current_concerns = forms.CharField(
        label=_("Current concerns"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        max_length=20_000,
    )
    risk_indicators = forms.MultipleChoiceField(
        label=_("Risk indicators your agency knows of"),
        help_text=_("Select all that apply."),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["risk_indicators"].choices = risk_indicator_choices()  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("holds_information") == "yes" and len(str(data.get("summary", "")).strip()) < 5:
            self.add_error("summary", _("Enter what your agency holds"))
        return data

    def service_kwargs(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "holds_information": data["holds_information"] == "yes",
            "summary": data.get("summary", ""),
            "known_to_agency": data.get("known_to_agency") or "",
            "last_contact_on": data.get("last_contact_on"),
            "current_concerns": data.get("current_concerns", ""),
            "risk_indicators": data.get("risk_indicators") or [],
        }
