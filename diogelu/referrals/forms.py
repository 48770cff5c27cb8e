"""Forms for reporting a child at risk and for the MASH's work on a report.

Each question page of a report is one form; ``answers()`` gives what it saves to the draft
through ``services.save_report_answers``. Forms check what the page needs; the services check
the rules again.
"""

from __future__ import annotations

import datetime
import re
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from diogelu.accounts.models import Agency
from diogelu.core.forms import GovUKDateField
from diogelu.core.presenters import agency_name
from diogelu.people.models import Sex
from diogelu.people.validators import (
    nhs_number_is_valid,
    normalise_nhs_number,
    normalise_upn,
    upn_is_valid,
    validate_postcode,
)
from diogelu.referrals import hooks
from diogelu.referrals.models import (
    Category,
    Channel,
    Flag,
    LawfulBasis,
    Outcome,
    ReportChild,
    ReporterKind,
    YesNoUnknown,
)

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_TIME = re.compile(r"^\s*(\d{1,2})[:.](\d{2})\s*$")
TEXT_LIMIT = 20_000


def _text(max_length: int = TEXT_LIMIT, **kwargs: Any) -> forms.CharField:
    kwargs.setdefault("required", False)
    return forms.CharField(
        max_length=max_length,
        widget=forms.Textarea(attrs={"rows": 5}) if max_length >= 1000 else forms.TextInput,
        error_messages={
            "max_length": _("This answer must be %(limit_value)d characters or fewer"),
            "required": kwargs.pop("required_message", _("Enter an answer")),
        },
        **kwargs,
    )


class OrderedErrorsForm(forms.Form):
    """Errors in the order of the fields on the page (the error summary lists them so)."""

    def full_clean(self) -> None:
        super().full_clean()
        errors = self.errors
        if errors:
            order = {name: i for i, name in enumerate(self.fields)}
            ordered = sorted(errors.items(), key=lambda kv: order.get(kv[0], -1))
            errors.clear()
            errors.update(ordered)


class VersionedForm(OrderedErrorsForm):
    """A question page of a draft report: carries the version it was loaded at."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    #: The model fields this page saves.
    fields_saved: tuple[str, ...] = ()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for name, value in data.items():
            if isinstance(value, str) and _CONTROL.search(value):
                self.add_error(name, _("Remove the control characters"))
        return data

    def answers(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.fields_saved}


class _ChoicesMixin:
    fields: dict[str, forms.Field]

    def _choice_field(self, name: str) -> forms.ChoiceField:
        field = self.fields[name]
        assert isinstance(field, forms.ChoiceField)
        return field


class StartForm(_ChoicesMixin, OrderedErrorsForm):
    authority = forms.TypedChoiceField(
        label=_("Which local authority is the child in?"),
        help_text=_("Send the report to the council where the child lives."),
        widget=forms.RadioSelect,
        coerce=int,
        error_messages={"required": _("Choose the local authority")},
    )
    channel = forms.ChoiceField(
        label=_("How did the report reach you?"),
        widget=forms.RadioSelect,
        choices=[(c.value, c.label) for c in Channel if c != Channel.API],
        initial=Channel.PHONE,
        required=False,
    )

    def __init__(self, *args: Any, authorities: list[Agency], la_staff: bool, **kw: Any) -> None:
        super().__init__(*args, **kw)
        self.authorities = authorities
        self._choice_field("authority").choices = [(a.pk, agency_name(a)) for a in authorities]
        if len(authorities) == 1:
            self.fields["authority"].initial = authorities[0].pk
        if not la_staff:
            del self.fields["channel"]
        else:
            self.fields["channel"].required = True
            self.fields["channel"].error_messages["required"] = _(
                "Choose how the report reached you"
            )

    def chosen_authority(self) -> Agency:
        pk = self.cleaned_data["authority"]
        return next(a for a in self.authorities if a.pk == pk)


class ReporterForm(VersionedForm):
    """Local authority staff recording a report made to them."""

    fields_saved = ("channel", "reporter_kind", "reporter_name", "reporter_contact")

    channel = forms.ChoiceField(
        label=_("How was the report made?"),
        widget=forms.RadioSelect,
        choices=[(c.value, c.label) for c in Channel if c != Channel.API],
        error_messages={"required": _("Choose how the report was made")},
    )
    reporter_kind = forms.ChoiceField(
        label=_("Who made the report?"),
        widget=forms.RadioSelect,
        choices=ReporterKind.choices,
        error_messages={"required": _("Choose who made the report")},
    )
    reporter_name = _text(
        200,
        label=_("Their name"),
        help_text=_("And their role and agency, if they are a practitioner."),
    )
    reporter_contact = _text(
        200, label=_("How to contact them"), help_text=_("A phone number or email address.")
    )
    received_on = GovUKDateField(
        label=_("Date the report was received"),
        help_text=_("For example, 27 3 2026. Leave blank if it is being received now."),
        required=False,
    )
    received_time = forms.CharField(
        label=_("Time the report was received"),
        help_text=_("Use the 24-hour clock, for example 14:30"),
        max_length=5,
        required=False,
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        kind = data.get("reporter_kind")
        if kind and kind != ReporterKind.ANONYMOUS and not data.get("reporter_name", "").strip():
            self.add_error("reporter_name", _("Enter who made the report, or say it was anonymous"))
        day = data.get("received_on")
        text = str(data.get("received_time") or "").strip()
        data["received_at"] = None
        if day is None and text:
            self.add_error("received_on", _("Enter the date the report was received"))
        elif day is not None:
            match = _TIME.match(text)
            if not text:
                self.add_error("received_time", _("Enter the time the report was received"))
            elif not match or int(match[1]) > 23 or int(match[2]) > 59:
                self.add_error("received_time", _("Enter a real time, like 14:30"))
            else:
                moment = timezone.make_aware(
                    datetime.datetime.combine(day, datetime.time(int(match[1]), int(match[2])))
                )
                if moment > timezone.now():
                    self.add_error("received_time", _("The time received must be in the past"))
                data["received_at"] = moment
        return data

    def answers(self) -> dict[str, Any]:
        out = super().answers()
        out["received_at"] = self.cleaned_data.get("received_at")
        return out


class ChildForm(OrderedErrorsForm):
    """What the report maker knows of one child (an unborn child too)."""

    given_name = forms.CharField(label=_("Given name"), max_length=100, required=False)
    family_name = forms.CharField(label=_("Family name"), max_length=100, required=False)
    is_unborn = forms.BooleanField(label=_("This is an unborn child"), required=False)
    date_of_birth = GovUKDateField(
        label=_("Date of birth"),
        help_text=_("If you know it. For example, 27 3 2015"),
        required=False,
    )
    expected_date_of_birth = GovUKDateField(
        label=_("Expected date of birth"),
        help_text=_("For an unborn child. For example, 14 9 2026"),
        required=False,
        allow_future=True,
    )
    sex = forms.ChoiceField(
        label=_("Sex"),
        widget=forms.RadioSelect,
        choices=Sex.choices,
        required=False,
    )
    address = forms.CharField(
        label=_("Address"),
        max_length=300,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    postcode = forms.CharField(label=_("Postcode"), max_length=10, required=False)
    school = forms.CharField(label=_("School, nursery or college"), max_length=200, required=False)
    nhs_number = forms.CharField(
        label=_("NHS number"),
        help_text=_("10 digits, if you know it"),
        max_length=14,
        required=False,
    )
    upn = forms.CharField(
        label=_("Unique Pupil Number (UPN)"),
        help_text=_("13 characters, if you know it"),
        max_length=16,
        required=False,
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for name, value in data.items():
            if isinstance(value, str) and _CONTROL.search(value):
                self.add_error(name, _("Remove the control characters"))
        unborn = bool(data.get("is_unborn"))
        if (
            unborn
            and not data.get("expected_date_of_birth")
            and "expected_date_of_birth" not in (self.errors)
        ):
            self.add_error("expected_date_of_birth", _("Enter the expected date of birth"))
        if (
            not unborn
            and not str(data.get("given_name") or "").strip()
            and not str(data.get("family_name") or "").strip()
            and "given_name" not in self.errors
        ):
            self.add_error("given_name", _("Enter the child's name, or what you know of it"))
        dob = data.get("date_of_birth")
        if (
            not unborn
            and isinstance(dob, datetime.date)
            and (timezone.localdate() - dob).days > 18 * 366
        ):
            self.add_error("date_of_birth", _("A child must be under 18"))
        postcode = str(data.get("postcode") or "").strip()
        if postcode:
            try:
                validate_postcode(postcode)
            except forms.ValidationError:
                self.add_error("postcode", _("Enter a real postcode, like CF31 4AB"))
        nhs = normalise_nhs_number(str(data.get("nhs_number") or ""))
        if nhs and not nhs_number_is_valid(nhs):
            self.add_error("nhs_number", _("Enter a real NHS number, or leave it blank"))
        upn = normalise_upn(str(data.get("upn") or ""))
        if upn and not upn_is_valid(upn):
            self.add_error("upn", _("Enter a real Unique Pupil Number, or leave it blank"))
        return data

    @classmethod
    def initial_from(cls, child: ReportChild) -> dict[str, Any]:
        return {
            name: getattr(child, name)
            for name in (
                "given_name",
                "family_name",
                "is_unborn",
                "date_of_birth",
                "expected_date_of_birth",
                "sex",
                "address",
                "postcode",
                "school",
                "nhs_number",
                "upn",
            )
        }


class ChildrenForm(VersionedForm):
    """The children page: continue once at least one child is added."""


class RemoveChildForm(forms.Form):
    confirm = forms.ChoiceField(
        label=_("Are you sure you want to remove this child from the report?"),
        widget=forms.RadioSelect,
        choices=[("yes", _("Yes")), ("no", _("No"))],
        error_messages={"required": _("Choose yes or no")},
    )


class ConcernsForm(VersionedForm):
    fields_saved = ("categories", "flags", "what_happened", "child_words")

    categories = forms.MultipleChoiceField(
        label=_("What kind of abuse or neglect do you think it is?"),
        help_text=_("Select all that apply."),
        widget=forms.CheckboxSelectMultiple,
        choices=Category.choices,
        required=False,
    )
    flags = forms.MultipleChoiceField(
        label=_("Are any of these part of the concern?"),
        help_text=_("Select all that apply."),
        widget=forms.CheckboxSelectMultiple,
        choices=Flag.choices,
        required=False,
    )
    what_happened = _text(
        label=_("What happened?"),
        help_text=_(
            "What you saw or heard, when and where, and who was involved. "
            "Say what is fact and what is opinion."
        ),
        required=True,
        required_message=_("Enter what happened"),
    )
    child_words = _text(
        label=_("What did the child say, in their own words?"),
        help_text=_("Write down exactly what the child said, if they said anything."),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if (
            not data.get("categories")
            and not data.get("flags")
            and "categories" not in (self.errors)
        ):
            self.add_error("categories", _("Choose at least one kind of concern"))
        return data


class DangerForm(VersionedForm):
    fields_saved = ("immediate_danger", "police_called", "police_reference")

    immediate_danger = forms.ChoiceField(
        label=_("Is a child in immediate danger?"),
        help_text=_("If a child is in immediate danger, call 999 now."),
        widget=forms.RadioSelect,
        choices=YesNoUnknown.choices,
        error_messages={"required": _("Say whether a child is in immediate danger")},
    )
    police_called = forms.ChoiceField(
        label=_("Have the police been called?"),
        help_text=_("Answer this if a child is in immediate danger."),
        widget=forms.RadioSelect,
        choices=YesNoUnknown.choices,
        required=False,
    )
    police_reference = _text(
        60,
        label=_("Police reference"),
        help_text=_("The incident or log number, if you have it."),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("immediate_danger") == YesNoUnknown.YES and not data.get("police_called"):
            self.add_error("police_called", _("Say whether the police have been called"))
        return data


class FamilyForm(VersionedForm):
    fields_saved = ("who_else_knows", "family_aware")

    who_else_knows = _text(
        label=_("Who else knows about this?"),
        help_text=_("Other agencies or people you have told, or who are already involved."),
    )
    family_aware = forms.ChoiceField(
        label=_("Does the family know you are making this report?"),
        help_text=_(
            "You do not need to tell the family first if that would put the child at more risk."
        ),
        widget=forms.RadioSelect,
        choices=YesNoUnknown.choices,
        error_messages={"required": _("Say whether the family knows you are reporting")},
    )


class BasisForm(VersionedForm):
    fields_saved = ("lawful_basis", "lawful_basis_note")

    lawful_basis = forms.ChoiceField(
        label=_("What is the lawful basis for sharing this information?"),
        widget=forms.RadioSelect,
        choices=LawfulBasis.choices,
        error_messages={"required": _("Choose the lawful basis for sharing")},
    )
    lawful_basis_note = _text(
        label=_("Anything to add about the basis for sharing (optional)"),
    )


class SubmitForm(forms.Form):
    """Check your answers: send the report."""


class AcknowledgeForm(forms.Form):
    """Acknowledge an outcome (a button)."""


# --- The MASH ------------------------------------------------------------------------------


class LinkChildForm(forms.Form):
    person = forms.IntegerField(widget=forms.HiddenInput)


class RequestInformationForm(_ChoicesMixin, OrderedErrorsForm):
    child = forms.TypedChoiceField(
        label=_("Which child is the request about?"),
        widget=forms.RadioSelect,
        coerce=int,
        error_messages={"required": _("Choose a child")},
    )
    agency = forms.TypedMultipleChoiceField(
        label=_("Which agencies do you want to ask?"),
        help_text=_("Select all that apply: each gets the same question in one go."),
        widget=forms.CheckboxSelectMultiple,
        coerce=int,
        error_messages={"required": _("Choose an agency")},
    )
    priority = forms.ChoiceField(
        label=_("How urgent is it?"),
        widget=forms.RadioSelect,
        # Sharing's priorities, set per form from the registered port (ADR 0750).
        error_messages={"required": _("Choose how urgent the request is")},
    )
    question = _text(
        label=_("What do you want to know?"),
        help_text=_(
            "The agency sees the child's identity and this question, not the rest of the report."
        ),
        required=True,
        required_message=_("Enter the question for the agency"),
    )

    def __init__(
        self,
        *args: Any,
        children: list[tuple[int, str]],
        agencies: list[tuple[int, str]],
        **kw: Any,
    ) -> None:
        kw.setdefault("prefix", "request")
        super().__init__(*args, **kw)
        priority = self.fields["priority"]
        assert isinstance(priority, forms.ChoiceField)
        priority.choices = hooks.mash_sharing().priority_choices
        self._choice_field("child").choices = children
        self._choice_field("agency").choices = agencies
        if len(children) == 1:
            self.fields["child"].initial = children[0][0]


class DecisionForm(OrderedErrorsForm):
    outcome = forms.ChoiceField(
        label=_("What is the decision?"),
        widget=forms.RadioSelect,
        choices=Outcome.choices,
        error_messages={"required": _("Choose a decision")},
    )
    rationale = _text(
        label=_("Reasons for the decision"),
        help_text=_("What the MASH checks found and why this is the right next step."),
        required=True,
        required_message=_("Explain the reasons for the decision"),
    )

    def __init__(self, *args: Any, **kw: Any) -> None:
        kw.setdefault("prefix", "decision")
        super().__init__(*args, **kw)


class AuthoriseForm(forms.Form):
    note = _text(label=_("Note (optional)"))

    def __init__(self, *args: Any, **kw: Any) -> None:
        kw.setdefault("prefix", "authorise")
        super().__init__(*args, **kw)


class ReturnDecisionForm(forms.Form):
    reason = forms.CharField(
        label=_("Why are you returning the decision?"),
        help_text=_("The practitioner sees your reason and decides again."),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=20_000,
        error_messages={"required": _("Explain why the decision is returned")},
    )

    def __init__(self, *args: Any, **kw: Any) -> None:
        kw.setdefault("prefix", "return")
        super().__init__(*args, **kw)


class CloseForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    note = _text(
        label=_("Note (optional)"),
        help_text=_(
            "A manager closing over outcomes that were escalated and never acknowledged must "
            "say why."
        ),
    )

    def __init__(self, *args: Any, **kw: Any) -> None:
        kw.setdefault("prefix", "close")
        super().__init__(*args, **kw)
