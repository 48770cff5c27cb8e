"""Forms of the improvement plan pages (rendered with the GOV.UK macros)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from diogelu.core.forms import GovUKDateField
from diogelu.measures.definitions import MEASURES, Kind
from diogelu.measures.models import EvidenceKind, Rag, ReportLayout


class ProgressForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    note = forms.CharField(
        label=_("What has changed"), widget=forms.Textarea(attrs={"rows": 3}), max_length=4000
    )
    due_on = GovUKDateField(
        label=_("New due date (if it has changed)"), required=False, allow_future=True
    )
    completed = forms.BooleanField(label=_("The action is completed"), required=False)


def measure_choices() -> list[tuple[str, str]]:
    return [(m.key, m.name) for m in MEASURES if m.kind == Kind.RATE]


class LinkMeasureForm(forms.Form):
    measure = forms.ChoiceField(label=_("Measure"), choices=())
    target = forms.DecimalField(
        label=_("Target (per cent)"), min_value=0, max_value=100, decimal_places=2
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["measure"].choices = measure_choices()  # type: ignore[attr-defined]


class MilestoneForm(forms.Form):
    description = forms.CharField(label=_("Milestone"), max_length=300)
    due_on = GovUKDateField(label=_("Due date"), allow_future=True)


class EvidenceForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind of evidence"), choices=EvidenceKind.choices, widget=forms.RadioSelect
    )
    title = forms.CharField(label=_("Title"), max_length=300)
    detail = forms.CharField(
        label=_("Detail or where to find it"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=4000,
    )


class RagForm(forms.Form):
    rag = forms.ChoiceField(label=_("RAG"), choices=Rag.choices, widget=forms.RadioSelect)
    reason = forms.CharField(
        label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}), max_length=4000
    )


class CabinetReportForm(forms.Form):
    committee = forms.CharField(label=_("Committee"), max_length=200)
    meeting_on = GovUKDateField(label=_("Meeting date"), allow_future=True)
    layout = forms.ChoiceField(
        label=_("Welsh and English"), choices=ReportLayout.choices, widget=forms.RadioSelect
    )
