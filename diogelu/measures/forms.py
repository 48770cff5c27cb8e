"""Forms of the improvement plan pages (rendered with the GOV.UK macros)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from diogelu.accounts.models import Agency, Role, User
from diogelu.core.forms import GovUKDateField
from diogelu.measures.definitions import MEASURES, Kind
from diogelu.measures.models import (
    EvidenceKind,
    Finding,
    Inspection,
    InspectionKind,
    Rag,
    ReportLayout,
)


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


class InspectionForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind of inspection"), choices=InspectionKind.choices, widget=forms.RadioSelect
    )
    title = forms.CharField(label=_("Title"), max_length=300)
    title_cy = forms.CharField(label=_("Title in Welsh"), max_length=300, required=False)
    held_from = GovUKDateField(label=_("First day of the inspection"))
    held_to = GovUKDateField(label=_("Last day of the inspection"))
    lead = forms.ModelChoiceField(label=_("Plan lead"), queryset=User.objects.none())

    def __init__(self, *args: Any, authority_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["lead"].queryset = User.objects.filter(  # type: ignore[attr-defined]
            agency_id=authority_id,
            is_active=True,
            role_assignments__role__in=[
                Role.HEAD_OF_SERVICE,
                Role.DIRECTOR,
                Role.PERFORMANCE_OFFICER,
            ],
        ).distinct()


class FindingForm(forms.Form):
    area = forms.CharField(
        label=_("Area"), max_length=200, help_text=_("For example: information sharing in the MASH")
    )
    area_cy = forms.CharField(label=_("Area in Welsh"), max_length=200, required=False)
    text = forms.CharField(
        label=_("What the inspectors found"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=4000,
    )
    text_cy = forms.CharField(
        label=_("What the inspectors found, in Welsh"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=4000,
    )


class ActionForm(forms.Form):
    finding = forms.ModelChoiceField(label=_("Finding"), queryset=Finding.objects.none())
    description = forms.CharField(
        label=_("Action"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000
    )
    description_cy = forms.CharField(
        label=_("Action in Welsh"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
    )
    owner = forms.ModelChoiceField(label=_("Owner"), queryset=User.objects.none())
    partner_agency = forms.ModelChoiceField(
        label=_("Partner agency (if the action is theirs)"),
        queryset=Agency.objects.none(),
        required=False,
    )
    due_on = GovUKDateField(label=_("Due date"), allow_future=True)

    def __init__(self, *args: Any, inspection: Inspection, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["finding"].queryset = inspection.findings.all()  # type: ignore[attr-defined]
        self.fields["owner"].queryset = User.objects.filter(  # type: ignore[attr-defined]
            agency_id=inspection.authority_id, is_active=True
        )
        self.fields["partner_agency"].queryset = Agency.objects.filter(  # type: ignore[attr-defined]
            partner_of=inspection.authority_id, is_active=True
        )


class FindingEditForm(FindingForm):
    version = forms.IntegerField(widget=forms.HiddenInput)


class ActionEditForm(ActionForm):
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, inspection: Inspection, **kwargs: Any) -> None:
        super().__init__(*args, inspection=inspection, **kwargs)
        del self.fields["finding"]


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label=_("Why is it withdrawn?"),
        help_text=_("For example: recorded twice, or merged into another"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
    )
    version = forms.IntegerField(widget=forms.HiddenInput)
