"""Forms for keeping the record right: details, names, addresses, relatives, case notes and
missing episodes."""

from __future__ import annotations

import datetime
import re
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from diogelu.chronology.models import Audience, NoteKind
from diogelu.core.forms import GovUKDateField
from diogelu.people.models import Ethnicity, Language, NameKind, Person, RelationshipKind, Sex

TIME_RE = re.compile(r"^([01]?\d|2[0-3])[:.]([0-5]\d)$")


def clean_time(value: str, label: str) -> datetime.time:
    match = TIME_RE.match(value.strip())
    if not match:
        raise forms.ValidationError(
            gettext("Enter %(label)s as hours and minutes, like 14:30") % {"label": label}
        )
    return datetime.time(int(match.group(1)), int(match.group(2)))


def combine(day: datetime.date, time: datetime.time) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, time))


def _reason_field(label: Any = None) -> forms.CharField:
    return forms.CharField(
        label=label or _("Why are you making this change?"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        error_messages={"required": _("Enter why you are making this change")},
    )


class PersonDetailsForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    given_name = forms.CharField(label=_("Given name"), max_length=100, required=False)
    family_name = forms.CharField(
        label=_("Family name"),
        max_length=100,
        error_messages={"required": _("Enter a family name")},
    )
    preferred_name = forms.CharField(label=_("Preferred name"), max_length=100, required=False)
    date_of_birth = GovUKDateField(
        label=_("Date of birth"), help_text=_("For example, 27 3 2015"), required=False
    )
    sex = forms.ChoiceField(label=_("Sex"), choices=Sex.choices, widget=forms.RadioSelect)
    nhs_number = forms.CharField(label=_("NHS number"), max_length=14, required=False)
    upn = forms.CharField(label=_("Unique Pupil Number"), max_length=16, required=False)
    preferred_language = forms.ChoiceField(
        label=_("Preferred language"), choices=Language.choices, widget=forms.RadioSelect
    )
    other_language = forms.CharField(label=_("Other language"), max_length=60, required=False)
    needs_interpreter = forms.BooleanField(label=_("Needs an interpreter"), required=False)
    ethnicity = forms.ChoiceField(label=_("Ethnicity"), choices=Ethnicity.choices)
    disability = forms.CharField(label=_("Disability"), max_length=200, required=False)
    gp_practice = forms.CharField(label=_("GP practice"), max_length=200, required=False)
    school = forms.CharField(label=_("School, nursery or college"), max_length=200, required=False)
    reason = _reason_field()

    EDITABLE = (
        "given_name",
        "family_name",
        "preferred_name",
        "date_of_birth",
        "sex",
        "nhs_number",
        "upn",
        "preferred_language",
        "other_language",
        "needs_interpreter",
        "ethnicity",
        "disability",
        "gp_practice",
        "school",
    )

    @classmethod
    def for_person(cls, person: Person, data: Any = None) -> PersonDetailsForm:
        initial = {name: getattr(person, name) for name in cls.EDITABLE}
        initial["version"] = person.version
        return cls(data, initial=initial)

    def clean_nhs_number(self) -> str:
        from diogelu.people.validators import normalise_nhs_number, validate_nhs_number

        value = str(self.cleaned_data.get("nhs_number") or "").strip()
        if value:
            validate_nhs_number(value)
            return normalise_nhs_number(value)
        return ""

    def clean_upn(self) -> str:
        from diogelu.people.validators import normalise_upn, validate_upn

        value = str(self.cleaned_data.get("upn") or "").strip()
        if value:
            validate_upn(value)
            return normalise_upn(value)
        return ""

    def changes(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.EDITABLE}


class OtherNameForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind of name"),
        choices=NameKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose what kind of name this is")},
    )
    given_name = forms.CharField(label=_("Given name"), max_length=100, required=False)
    family_name = forms.CharField(label=_("Family name"), max_length=100, required=False)
    reason = _reason_field()


class AddressForm(forms.Form):
    line_1 = forms.CharField(
        label=_("Address line 1"),
        max_length=200,
        error_messages={"required": _("Enter the first line of the address")},
    )
    line_2 = forms.CharField(label=_("Address line 2"), max_length=200, required=False)
    town = forms.CharField(
        label=_("Town or city"),
        max_length=100,
        error_messages={"required": _("Enter the town or city")},
    )
    postcode = forms.CharField(
        label=_("Postcode"), max_length=10, error_messages={"required": _("Enter the postcode")}
    )
    moved_in_on = GovUKDateField(
        label=_("Moved in on"), required=False, help_text=_("For example, 27 3 2024")
    )
    moved_out_on = GovUKDateField(
        label=_("Moved out on"), required=False, help_text=_("Leave empty if they still live here")
    )
    end_current_on = GovUKDateField(
        label=_("Date they left their current address"),
        required=False,
        help_text=_("Leave empty to keep their current address as it is"),
    )
    reason = _reason_field()


class CorrectOtherNameForm(OtherNameForm):
    name = forms.IntegerField(widget=forms.HiddenInput)
    remove = forms.BooleanField(
        label=_("Remove this name: it was recorded in error"),
        required=False,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Removing needs no kind or name; the service checks them when correcting.
        self.fields["kind"].required = False


class CorrectAddressForm(forms.Form):
    address = forms.IntegerField(widget=forms.HiddenInput)
    seen = forms.CharField(widget=forms.HiddenInput, required=False)
    line_1 = AddressForm.base_fields["line_1"]
    line_2 = AddressForm.base_fields["line_2"]
    town = AddressForm.base_fields["town"]
    postcode = AddressForm.base_fields["postcode"]
    moved_in_on = AddressForm.base_fields["moved_in_on"]
    moved_out_on = GovUKDateField(
        label=_("Moved out on"),
        required=False,
        help_text=_("Leave empty if they still live here"),
    )
    reason = _reason_field()


class RelativeForm(forms.Form):
    """Add a relative: a search of existing people first, then a choice."""

    given_name = forms.CharField(label=_("Given name"), max_length=100, required=False)
    family_name = forms.CharField(
        label=_("Family name"),
        max_length=100,
        error_messages={"required": _("Enter the relative's family name")},
    )
    date_of_birth = GovUKDateField(
        label=_("Date of birth"), required=False, help_text=_("If known. For example, 27 3 1990")
    )
    kind = forms.ChoiceField(
        label=_("What are they to this person?"),
        error_messages={"required": _("Choose how they are related")},
    )
    has_parental_responsibility = forms.BooleanField(
        label=_("Has parental responsibility"), required=False
    )
    lives_with = forms.BooleanField(label=_("Lives in the same household"), required=False)
    started_on = GovUKDateField(
        label=_("Relationship started on"), required=False, help_text=_("If known")
    )
    reason = _reason_field(_("Why are you adding them?"))
    choice = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, kinds: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["kind"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", gettext("Choose a relationship"))] + [
            (str(k), str(RelationshipKind(k).label)) for k in kinds
        ]

    def field_for(self, name: str | None) -> str | None:
        return name if name in self.fields and name != "choice" else None


class EndRelationshipForm(forms.Form):
    relationship = forms.IntegerField(widget=forms.HiddenInput)
    ended_on = GovUKDateField(
        label=_("Date the relationship ended"),
        error_messages={"required": _("Enter the date it ended")},
    )
    reason = _reason_field()


class CaseNoteForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind of note"),
        choices=NoteKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose what kind of note this is")},
    )
    contact_on = GovUKDateField(
        label=_("Date of the contact"),
        help_text=_("For example, 27 3 2026"),
        error_messages={"required": _("Enter the date of the contact")},
    )
    contact_time = forms.CharField(
        label=_("Time of the contact"),
        help_text=_("For example, 14:30"),
        max_length=5,
        error_messages={"required": _("Enter the time of the contact")},
    )
    what_happened = forms.CharField(
        label=_("What happened"),
        widget=forms.Textarea,
        max_length=20000,
        error_messages={"required": _("Enter what happened")},
    )
    child_seen = forms.BooleanField(label=_("The child was seen or spoken to"), required=False)
    childs_words = forms.CharField(
        label=_("The child's words"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=20000,
        required=False,
        help_text=_("What the child said, in their own words, where the child was seen"),
    )
    audience = forms.ChoiceField(
        label=_("Who can see this note"),
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose who can see this note")},
    )
    reason = forms.CharField(
        label=_("Why are you correcting the note?"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
        required=False,
    )

    def __init__(
        self, *args: Any, local_authority: bool, correcting: bool = False, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        choices = [
            (Audience.ALL_INVOLVED, gettext("Every involved agency")),
            (Audience.SOURCE_AGENCY, gettext("My agency and the local authority")),
        ]
        if local_authority:
            choices.append((Audience.LOCAL_AUTHORITY, gettext("The local authority only")))
        audience = self.fields["audience"]
        assert isinstance(audience, forms.ChoiceField)
        audience.choices = choices
        if not correcting:
            del self.fields["reason"]

    def clean_contact_time(self) -> datetime.time:
        return clean_time(self.cleaned_data["contact_time"], gettext("the time of the contact"))

    def field_for(self, name: str | None) -> str | None:
        if name == "contact_at":
            return "contact_on"
        return name if name in self.fields else None


class MissingEpisodeForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    kind = forms.ChoiceField(
        label=_("Was the child missing or absent?"),
        choices=[
            ("MISSING", _("Missing – whereabouts not known")),
            ("ABSENT", _("Absent – not where they should be, but whereabouts known")),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose whether the child was missing or absent")},
    )
    started_on = GovUKDateField(
        label=_("Date they went missing"),
        help_text=_("For example, 27 3 2026"),
        error_messages={"required": _("Enter the date they went missing")},
    )
    started_time = forms.CharField(
        label=_("Time they went missing"),
        max_length=5,
        help_text=_("For example, 14:30"),
        error_messages={"required": _("Enter the time they went missing")},
    )
    ended_on = GovUKDateField(
        label=_("Date they returned or were found"),
        required=False,
        help_text=_("Leave empty if they have not returned"),
    )
    ended_time = forms.CharField(
        label=_("Time they returned or were found"),
        max_length=5,
        required=False,
        help_text=_("For example, 14:30"),
    )
    reported_to_police = forms.BooleanField(label=_("Reported to the police"), required=False)
    police_reference = forms.CharField(label=_("Police reference"), max_length=40, required=False)
    where_found = forms.CharField(label=_("Where they were found"), max_length=300, required=False)
    debrief_offered_on = GovUKDateField(label=_("Return interview offered on"), required=False)
    debrief_accepted = forms.ChoiceField(
        label=_("Did the child accept the return interview?"),
        choices=[("", _("Not known yet")), ("yes", _("Yes")), ("no", _("No"))],
        widget=forms.RadioSelect,
        required=False,
    )
    debrief_held_on = GovUKDateField(label=_("Return interview held on"), required=False)
    debrief_by = forms.CharField(
        label=_("Who held the return interview"), max_length=200, required=False
    )
    childs_account = forms.CharField(
        label=_("What the child said"), widget=forms.Textarea, max_length=20000, required=False
    )

    def clean_started_time(self) -> datetime.time:
        return clean_time(self.cleaned_data["started_time"], gettext("the time they went missing"))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        ended_on, ended_time = data.get("ended_on"), str(data.get("ended_time") or "").strip()
        data["ended_at"] = None
        if ended_on and not ended_time:
            self.add_error("ended_time", gettext("Enter the time they returned or were found"))
        elif ended_time and not ended_on:
            self.add_error("ended_on", gettext("Enter the date they returned or were found"))
        elif ended_on:
            try:
                data["ended_at"] = combine(
                    ended_on, clean_time(ended_time, gettext("the time they returned"))
                )
            except forms.ValidationError as exc:
                self.add_error("ended_time", exc)
        return data

    def details(self) -> Any:
        from diogelu.people.missing import EpisodeDetails

        d = self.cleaned_data
        accepted = {"yes": True, "no": False}.get(d.get("debrief_accepted") or "")
        return EpisodeDetails(
            kind=d["kind"],
            started_at=combine(d["started_on"], d["started_time"]),
            ended_at=d.get("ended_at"),
            reported_to_police=bool(d.get("reported_to_police")),
            police_reference=d.get("police_reference", ""),
            where_found=d.get("where_found", ""),
            debrief_offered_on=d.get("debrief_offered_on"),
            debrief_accepted=accepted,
            debrief_held_on=d.get("debrief_held_on"),
            debrief_by=d.get("debrief_by", ""),
            childs_account=d.get("childs_account", ""),
        )

    def field_for(self, name: str | None) -> str | None:
        mapping = {"started_at": "started_on", "ended_at": "ended_on"}
        name = mapping.get(name or "", name)
        return name if name in self.fields else None


class CorrectRelationshipForm(forms.Form):
    relationship = forms.IntegerField(widget=forms.HiddenInput)
    kind = forms.ChoiceField(
        label=_("What are they to this person?"),
        error_messages={"required": _("Choose how they are related")},
    )
    has_parental_responsibility = forms.BooleanField(
        label=_("Has parental responsibility"), required=False
    )
    lives_with = forms.BooleanField(label=_("Lives in the same household"), required=False)
    reason = _reason_field()

    def __init__(self, *args: Any, kinds: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["kind"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [(str(k), str(RelationshipKind(k).label)) for k in kinds]
