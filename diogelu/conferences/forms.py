"""Forms for conferences and the register check (GOV.UK components via ``form_field``)."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from diogelu.accounts.models import Agency, User
from diogelu.conferences.models import (
    Attendance,
    Category,
    Conference,
    ConferenceChild,
    ConferenceKind,
    EndReason,
    Invitation,
    InviteeKind,
    ViewsMethod,
)
from diogelu.conferences.services import CHAIR_ROLES, LEAD_ROLES
from diogelu.core.forms import GovUKDateField
from diogelu.core.presenters import agency_name
from diogelu.enquiries.forms import clean_time, combine

YES_NO = [("yes", _("Yes")), ("no", _("No"))]


def _staff(authority_id: int, roles: frozenset[str]) -> list[User]:
    return list(
        User.objects.filter(
            agency_id=authority_id, is_active=True, role_assignments__role__in=sorted(roles)
        )
        .distinct()
        .order_by("last_name", "first_name")
    )


def _user_choices(users: list[User], blank: str) -> list[tuple[str, str]]:
    return [("", blank)] + [(str(u.pk), u.get_full_name() or u.username) for u in users]


def _agencies(conference: Conference) -> list[Agency]:
    authority = conference.authority
    return [
        authority,
        *Agency.objects.filter(is_active=True, partner_of=authority).order_by("name"),
    ]


def _member_label(invitation: Invitation) -> str:
    """ "Name (Agency)", or just the agency when it was invited with no named practitioner."""
    where = (
        agency_name(invitation.agency)
        if invitation.agency
        else str(invitation.get_invitee_kind_display())
    )
    if invitation.agency is not None and invitation.name in (invitation.agency.name, where):
        return where
    return f"{invitation.name} ({where})"


class FieldForMixin:
    fields: dict[str, Any]
    mapping: dict[str, str] = {}

    def field_for(self, name: str | None) -> str | None:
        target = self.mapping.get(name or "", name)
        return target if target in self.fields else None


def schedule(form: forms.Form, data: dict[str, Any]) -> dict[str, Any]:
    """Combine the optional booked date and time of a conference into ``scheduled_for``."""
    day, time = data.get("scheduled_on"), str(data.get("scheduled_time") or "").strip()
    data["scheduled_for"] = None
    if day and not time:
        form.add_error("scheduled_time", gettext("Enter the time the conference is booked"))
    elif time and not day and "scheduled_on" not in form.errors:
        form.add_error("scheduled_on", gettext("Enter the date the conference is booked"))
    elif day and time:
        try:
            data["scheduled_for"] = combine(day, clean_time(time, gettext("the time booked")))
        except forms.ValidationError as exc:
            form.add_error("scheduled_time", exc)
    return data


def _scheduled_on() -> GovUKDateField:
    return GovUKDateField(
        label=_("Date booked (optional)"),
        help_text=_("For example, 27 3 2026"),
        required=False,
        allow_future=True,
    )


def _scheduled_time() -> forms.CharField:
    return forms.CharField(
        label=_("Time booked (optional)"),
        help_text=_("For example, 14:30"),
        max_length=5,
        required=False,
    )


class ConveneForm(FieldForMixin, forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind of conference"),
        choices=[
            (ConferenceKind.INITIAL, ConferenceKind.INITIAL.label),
            (ConferenceKind.PRE_BIRTH, ConferenceKind.PRE_BIRTH.label),
        ],
        initial=ConferenceKind.INITIAL,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose the kind of conference")},
    )
    scheduled_on = _scheduled_on()
    scheduled_time = _scheduled_time()
    chair = forms.ChoiceField(label=_("Chair"), required=False)
    venue = forms.CharField(
        label=_("Venue"),
        help_text=_("Where the conference will be held, or that it will be held online"),
        max_length=200,
        required=False,
    )
    mapping = {"scheduled_for": "scheduled_on", "enquiries": "kind"}

    def __init__(self, *args: Any, authority_id: int = 0, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        chairs = _staff(authority_id, CHAIR_ROLES)
        self._chairs = {str(u.pk): u for u in chairs}
        field = self.fields["chair"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = _user_choices(chairs, gettext("Not named yet"))

    def clean(self) -> dict[str, Any]:
        data = schedule(self, super().clean() or {})
        data["chair_user"] = self._chairs.get(str(data.get("chair") or ""))
        return data


class ReviewConveneForm(FieldForMixin, forms.Form):
    """Convene the review conference for a registered child (only the booking is asked)."""

    scheduled_on = _scheduled_on()
    scheduled_time = _scheduled_time()
    mapping = {"scheduled_for": "scheduled_on", "episodes": "scheduled_on"}

    def clean(self) -> dict[str, Any]:
        return schedule(self, super().clean() or {})


class TransferInForm(FieldForMixin, forms.Form):
    """Convene the transfer-in conference for a child on another authority's register."""

    from_authority = forms.CharField(
        label=_("Which local authority's register is the child on?"),
        max_length=200,
        error_messages={"required": _("Enter the local authority that registered the child")},
    )
    notified_on = GovUKDateField(
        label=_("Date we were told the child has moved here"),
        help_text=_("For example, 27 3 2026"),
        error_messages={"required": _("Enter the date you were told")},
    )
    scheduled_on = _scheduled_on()
    scheduled_time = _scheduled_time()
    mapping = {"scheduled_for": "scheduled_on", "notified_at": "notified_on"}

    def clean(self) -> dict[str, Any]:
        data = schedule(self, super().clean() or {})
        if data.get("notified_on"):
            data["notified_at"] = combine(data["notified_on"], datetime.time(9, 0))
        return data


class EndRegistrationForm(FieldForMixin, forms.Form):
    """End a registration for a reason that needs no review conference."""

    reason = forms.ChoiceField(
        label=_("Why does the registration end?"),
        choices=[
            (EndReason.AGE_18, EndReason.AGE_18.label),
            (EndReason.DIED, EndReason.DIED.label),
            (EndReason.LEFT_UK, EndReason.LEFT_UK.label),
            (EndReason.TRANSFERRED_OUT, EndReason.TRANSFERRED_OUT.label),
        ],
        widget=forms.RadioSelect,
        help_text=_("Any other removal from the register is decided by a review conference."),
        error_messages={"required": _("Choose why the registration ends")},
    )
    ended_on = GovUKDateField(
        label=_("Date it ended"),
        help_text=_("For example, 27 3 2026"),
        error_messages={"required": _("Enter the date the registration ended")},
    )
    note = forms.CharField(
        label=_("What happened"),
        help_text=_("Needed unless the child reached 18."),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=20_000,
        required=False,
    )
    mapping = {"ended_at": "ended_on"}

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("ended_on"):
            # End of the working day, so that a birthday today counts.
            data["ended_at"] = min(combine(data["ended_on"], datetime.time(17, 0)), timezone.now())
        return data


class InviteForm(FieldForMixin, forms.Form):
    invitee_kind = forms.ChoiceField(
        label=_("Who is invited?"),
        choices=InviteeKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose who is invited")},
    )
    agency = forms.ChoiceField(label=_("Agency"), required=False)
    user = forms.ChoiceField(label=_("Named practitioner (optional)"), required=False)
    professional_group = forms.CharField(
        label=_("Professional group (optional)"),
        help_text=_("For example, GP or health visitor: different groups count separately."),
        max_length=100,
        required=False,
    )
    person = forms.ChoiceField(label=_("Child or family member"), required=False)
    name = forms.CharField(label=_("Name (if not chosen above)"), max_length=200, required=False)
    advocacy_offered = forms.BooleanField(
        label=_("An independent professional advocate was offered to the child"), required=False
    )
    advocacy_accepted = forms.ChoiceField(
        label=_("Did the child accept an advocate?"),
        choices=[("", _("Not yet known")), *YES_NO],
        required=False,
    )

    def __init__(self, *args: Any, conference: Conference, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from diogelu.people.models import Person, Relationship

        agencies = _agencies(conference)
        self._agencies = {str(a.pk): a for a in agencies}
        users = list(
            User.objects.filter(agency__in=agencies, is_active=True)
            .select_related("agency")
            .order_by("agency__name", "last_name", "first_name")
        )
        self._users = {str(u.pk): u for u in users}
        child_ids = list(conference.children.values_list("person_id", flat=True))
        relative_ids = Relationship.objects.filter(person_id__in=child_ids).values_list(
            "relative_id", flat=True
        )
        people = list(
            Person.objects.filter(
                pk__in=[*child_ids, *relative_ids], authority_id=conference.authority_id
            ).order_by("family_name", "given_name")
        )
        self._people = {str(p.pk): p for p in people}
        self.fields["agency"].choices = [("", gettext("Choose an agency"))] + [
            (str(a.pk), agency_name(a)) for a in agencies
        ]
        self.fields["user"].choices = [("", gettext("No named practitioner"))] + [
            (str(u.pk), f"{u.get_full_name() or u.username} ({agency_name(u.agency)})")
            for u in users
        ]
        self.fields["person"].choices = [("", gettext("Choose a person"))] + [
            (str(p.pk), p.full_name) for p in people
        ]

    def service_kwargs(self) -> dict[str, Any]:
        data = self.cleaned_data
        accepted = data.get("advocacy_accepted")
        person = self._people.get(data.get("person") or "")
        return {
            "invitee_kind": data["invitee_kind"],
            "agency": self._agencies.get(data.get("agency") or ""),
            "user": self._users.get(data.get("user") or ""),
            "person": person,
            "name": data.get("name", "") or (person.full_name if person else ""),
            "professional_group": data.get("professional_group", ""),
            "advocacy_offered": bool(data.get("advocacy_offered")),
            "advocacy_accepted": None if not accepted else accepted == "yes",
        }


class AttendanceForm(FieldForMixin, forms.Form):
    attendance = forms.ChoiceField(
        label=_("Did they attend?"),
        choices=Attendance.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose whether they attended")},
    )


class ReportForm(FieldForMixin, forms.Form):
    text = forms.CharField(
        label=_("Your agency's report for the conference"),
        help_text=_("What your agency knows about the child and family, and your view of risk."),
        widget=forms.Textarea(attrs={"rows": 10}),
        max_length=20_000,
        error_messages={"required": _("Write your agency's report")},
    )


class HoldForm(FieldForMixin, forms.Form):
    """The conference held: when, chair, quorum reason, summary, and a decision per child."""

    held_on = GovUKDateField(
        label=_("Date held"),
        help_text=_("For example, 27 3 2026"),
        error_messages={"required": _("Enter the date the conference was held")},
    )
    held_time = forms.CharField(
        label=_("Time it started"),
        help_text=_("For example, 14:30"),
        max_length=5,
        error_messages={"required": _("Enter the time it started")},
    )
    chair = forms.ChoiceField(
        label=_("Chair"), error_messages={"required": _("Choose who chaired it")}
    )
    quorum_reason = forms.CharField(
        label=_("Chair's reason for going ahead with 2 agencies (only if 2 attended)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=20_000,
        required=False,
    )
    summary = forms.CharField(
        label=_("Summary of decisions and outline plan"),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=20_000,
        required=False,
    )
    CHILD_KEYS = (
        "child_views",
        "views_method",
        "parents_views",
        "register",
        "categories",
        "reasons",
        "progress",
        "lead",
        "core_group",
        "first_cg",
        "review",
        "contingency",
    )

    def __init__(self, *args: Any, conference: Conference, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.conference = conference
        chairs = _staff(conference.authority_id, CHAIR_ROLES)
        leads = _staff(conference.authority_id, LEAD_ROLES)
        self._users = {str(u.pk): u for u in [*chairs, *leads]}
        self.fields["chair"].choices = _user_choices(chairs, gettext("Choose the chair"))
        self.children: list[ConferenceChild] = list(conference.children.select_related("person"))
        self.invitations: list[Invitation] = [
            i
            for i in conference.invitations.select_related("agency", "user", "person")
            if i.invitee_kind != InviteeKind.CHILD
        ]
        self._invitations = {str(i.pk): i for i in self.invitations}
        is_review = conference.kind == ConferenceKind.REVIEW
        member_choices = [
            (
                str(i.pk),
                _member_label(i),
            )
            for i in self.invitations
        ]
        for child in self.children:
            name = child.person.full_name
            p = f"c{child.pk}_"
            self.fields[p + "child_views"] = forms.CharField(
                label=gettext("%(name)s's views") % {"name": name},
                widget=forms.Textarea(attrs={"rows": 4}),
                max_length=20_000,
                error_messages={
                    "required": gettext(
                        "Record %(name)s's views, or why they could not be obtained"
                    )
                    % {"name": name}
                },
            )
            self.fields[p + "views_method"] = forms.ChoiceField(
                label=gettext("How were %(name)s's views obtained?") % {"name": name},
                choices=ViewsMethod.choices,
                widget=forms.RadioSelect,
                error_messages={"required": gettext("Say how the child's views were obtained")},
            )
            self.fields[p + "parents_views"] = forms.CharField(
                label=gettext("The parents' views"),
                widget=forms.Textarea(attrs={"rows": 3}),
                max_length=20_000,
                required=False,
            )
            self.fields[p + "register"] = forms.ChoiceField(
                label=(
                    gettext("Does %(name)s stay on the register?")
                    if is_review
                    else gettext("Is %(name)s placed on the register?")
                )
                % {"name": name},
                choices=YES_NO,
                widget=forms.RadioSelect,
                error_messages={"required": gettext("Choose whether the child is registered")},
            )
            self.fields[p + "categories"] = forms.MultipleChoiceField(
                label=gettext("Categories of abuse or neglect (if registered)"),
                choices=Category.choices,
                widget=forms.CheckboxSelectMultiple,
                required=False,
            )
            self.fields[p + "reasons"] = forms.CharField(
                label=gettext("Reasons for the decision"),
                widget=forms.Textarea(attrs={"rows": 4}),
                max_length=20_000,
                error_messages={"required": gettext("Give the reasons for the decision")},
            )
            self.fields[p + "progress"] = forms.CharField(
                label=gettext("Progress against the plan"),
                widget=forms.Textarea(attrs={"rows": 3}),
                max_length=20_000,
                required=False,
            )
            self.fields[p + "lead"] = forms.ChoiceField(
                label=gettext("Lead practitioner (if registered)"),
                choices=_user_choices(leads, gettext("Choose the lead practitioner")),
                required=False,
            )
            self.fields[p + "core_group"] = forms.MultipleChoiceField(
                label=gettext("Core group members (if registered), from those invited"),
                choices=member_choices,
                widget=forms.CheckboxSelectMultiple,
                required=False,
            )
            self.fields[p + "first_cg"] = GovUKDateField(
                label=gettext("Date of the first core group (if registered)"),
                required=False,
                allow_future=True,
            )
            self.fields[p + "review"] = GovUKDateField(
                label=gettext("Date of the review conference (if registered)"),
                required=False,
                allow_future=True,
            )
            self.fields[p + "contingency"] = forms.CharField(
                label=gettext("Contingency plan (if registered)"),
                widget=forms.Textarea(attrs={"rows": 3}),
                max_length=20_000,
                required=False,
            )

    def child_rows(self) -> list[tuple[ConferenceChild, list[forms.BoundField], list[Any]]]:
        """Each child with their fields and, to flag a re-registration, their ended episodes."""
        keys = [k for k in self.CHILD_KEYS if k != "progress" or self.is_review]
        return [
            (
                c,
                [self[f"c{c.pk}_{k}"] for k in keys],
                list(
                    c.person.register_episodes.filter(ended_at__isnull=False).order_by("-ended_at")
                ),
            )
            for c in self.children
        ]

    @property
    def is_review(self) -> bool:
        return self.conference.kind == ConferenceKind.REVIEW

    def clean_held_time(self) -> Any:
        return clean_time(self.cleaned_data["held_time"], gettext("the time it started"))

    def _member(self, invitation: Invitation) -> dict[str, Any]:
        return {
            "user": invitation.user,
            "agency": invitation.agency,
            "person": invitation.person,
            "name": invitation.name,
            "role": invitation.professional_group,
        }

    def service_kwargs(self) -> dict[str, Any]:
        data = self.cleaned_data
        decisions = []
        for c in self.children:
            p = f"c{c.pk}_"
            decisions.append(
                {
                    "child": c,
                    "child_views": data.get(p + "child_views", ""),
                    "views_method": data.get(p + "views_method", ""),
                    "parents_views": data.get(p + "parents_views", ""),
                    "register": data.get(p + "register") == "yes",
                    "categories": list(data.get(p + "categories") or []),
                    "reasons": data.get(p + "reasons", ""),
                    "progress": data.get(p + "progress", ""),
                    "lead_practitioner": self._users.get(data.get(p + "lead") or ""),
                    "core_group": [
                        self._member(self._invitations[k]) for k in data.get(p + "core_group") or []
                    ],
                    "first_core_group_on": data.get(p + "first_cg"),
                    "review_on": data.get(p + "review"),
                    "contingency_plan": data.get(p + "contingency", ""),
                }
            )
        return {
            "held_at": combine(data["held_on"], data["held_time"]),
            "chair": self._users[data["chair"]],
            "quorum_reason": data.get("quorum_reason", ""),
            "summary": data.get("summary", ""),
            "decisions": decisions,
        }

    #: Service field names of a child's decision → this form's field suffixes.
    PER_CHILD = {
        "child_views": "child_views",
        "views_method": "views_method",
        "register": "register",
        "categories": "categories",
        "reasons": "reasons",
        "lead_practitioner": "lead",
        "core_group": "core_group",
        "first_core_group_on": "first_cg",
        "review_on": "review",
        "contingency_plan": "contingency",
    }

    def field_for(self, name: str | None) -> str | None:
        if name in self.PER_CHILD and len(self.children) == 1:
            return f"c{self.children[0].pk}_{self.PER_CHILD[name]}"
        target = {"held_at": "held_on"}.get(name or "", name)
        return target if target in self.fields else None

    def field_for_error(self, exc: Any) -> str | None:
        """The field of a domain error: for a decision about one child, that child's field."""
        child = getattr(exc, "item", None)
        if isinstance(child, ConferenceChild) and exc.field in self.PER_CHILD:
            name = f"c{child.pk}_{self.PER_CHILD[exc.field]}"
            if name in self.fields:
                return name
        return self.field_for(exc.field)


class RegisterCheckForm(FieldForMixin, forms.Form):
    reason = forms.CharField(
        label=_("Why are you checking?"),
        help_text=_("For example, child attending the emergency department with an injury."),
        max_length=300,
        error_messages={"required": _("Say why you are checking")},
    )
    nhs_number = forms.CharField(
        label=_("NHS number"),
        help_text=_("10 digits. Or leave this blank and give the name and date of birth."),
        max_length=20,
        required=False,
    )
    given_name = forms.CharField(label=_("First name"), max_length=100, required=False)
    family_name = forms.CharField(label=_("Last name"), max_length=100, required=False)
    date_of_birth = GovUKDateField(label=_("Date of birth"), required=False)


class InviteAgenciesForm(FieldForMixin, forms.Form):
    """Several agencies invited in one go (those not invited yet)."""

    agencies = forms.MultipleChoiceField(
        label=_("Which agencies do you want to invite?"),
        help_text=_("Select all that apply. You can name the practitioner later."),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose the agencies to invite")},
    )

    def __init__(self, *args: Any, conference: Conference, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        invited = set(
            conference.invitations.filter(user__isnull=True).values_list("agency_id", flat=True)
        )
        self._agencies = {str(a.pk): a for a in _agencies(conference) if a.pk not in invited}
        field = self.fields["agencies"]
        assert isinstance(field, forms.MultipleChoiceField)
        field.choices = [(key, agency_name(a)) for key, a in self._agencies.items()]

    def chosen(self) -> list[Agency]:
        return [self._agencies[key] for key in self.cleaned_data["agencies"]]


class AttendanceAllForm(FieldForMixin, forms.Form):
    """Everyone's attendance on one page: one radio group per invitee (blank ones are skipped)."""

    def __init__(self, *args: Any, invitations: list[Invitation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.invitations = invitations
        for invitation in invitations:
            self.fields[f"att_{invitation.pk}"] = forms.ChoiceField(
                label=_("Did %(name)s attend?") % {"name": invitation.name},
                choices=Attendance.choices,
                widget=forms.RadioSelect,
                required=False,
                initial=invitation.attendance or None,
            )

    def answers(self) -> dict[int, str]:
        return {
            i.pk: self.cleaned_data[f"att_{i.pk}"]
            for i in self.invitations
            if self.cleaned_data.get(f"att_{i.pk}")
        }

    def field_for(self, name: str | None) -> str | None:
        if name == "attendance" and self.invitations:
            return f"att_{self.invitations[0].pk}"
        return name if name in self.fields else None
