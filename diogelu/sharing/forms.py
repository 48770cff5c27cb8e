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
        from diogelu.sharing.services import answer_summary_error

        data = super().clean() or {}
        if "holds_information" in data:
            problem = answer_summary_error(
                data["holds_information"] == "yes", str(data.get("summary", ""))
            )
            if problem:
                self.add_error("summary", problem)
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


class AmendAnswerForm(AnswerForm):
    """The answer form, filled with the current answer, and the reason for amending it."""

    reason = forms.CharField(
        label=_("Why are you amending the answer?"),
        help_text=_("For example, we found a further record after answering."),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        error_messages={"required": _("Say why you are amending the answer")},
    )

    @staticmethod
    def initial_from(answer: Any) -> dict[str, Any]:
        return {
            "holds_information": "yes" if answer.holds_information else "no",
            "summary": answer.summary,
            "known_to_agency": answer.known_to_agency,
            "last_contact_on": answer.last_contact_on,
            "current_concerns": answer.current_concerns,
            "risk_indicators": answer.risk_indicators,
        }
