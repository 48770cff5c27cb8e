"""Forms for strategy discussions and section 47 enquiries."""

from __future__ import annotations

import datetime
import re
from typing import TYPE_CHECKING, Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from diogelu.accounts.models import Agency, User
from diogelu.core.forms import GovUKDateField, fold_rows
from diogelu.core.presenters import agency_name
from diogelu.enquiries.models import Determination, Medium, S47Kind, StrategyKind
from diogelu.enquiries.services import SOCIAL_WORK_ROLES

if TYPE_CHECKING:
    from diogelu.referrals.models import Report, ReportChild

PARTICIPANT_ROWS = 6
ACTION_ROWS = 4
TIME_RE = re.compile(r"^([01]?\d|2[0-3])[:.]([0-5]\d)$")


def clean_time(value: str, label: str) -> datetime.time:
    match = TIME_RE.match(value.strip())
    if not match:
        raise forms.ValidationError(
            gettext("Enter %(label)s as hours and minutes, like 14:30") % {"label": label}
        )
    return datetime.time(int(match.group(1)), int(match.group(2)))


def combine(day: datetime.date, time: datetime.time) -> datetime.datetime:
    """An aware moment in UK time."""
    return timezone.make_aware(datetime.datetime.combine(day, time))


def _user_choices(users: Any, blank: str) -> list[tuple[str, str]]:
    return [("", blank)] + [(str(u.pk), f"{u.get_full_name() or u.username}") for u in users]


def authority_staff(report: Report) -> Any:
    return (
        User.objects.filter(
            agency_id=report.authority_id,
            is_active=True,
            role_assignments__role__in=sorted(SOCIAL_WORK_ROLES),
        )
        .distinct()
        .order_by("last_name", "first_name")
    )


def strategy_agencies(report: Report) -> Any:
    """The authority and its partner agencies."""
    return Agency.objects.filter(is_active=True).filter(
        pk__in=[report.authority_id, *report.authority.partners.values_list("pk", flat=True)]
    )


class StrategyForm(forms.Form):
    """A strategy discussion or meeting: a fixed number of participant and action rows, and one
    decision per child of the report."""

    kind = forms.ChoiceField(
        label=_("Was it a discussion or a meeting?"),
        choices=StrategyKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose a discussion or a meeting")},
    )
    medium = forms.ChoiceField(
        label=_("How was it held?"),
        choices=Medium.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose how it was held")},
    )
    held_on = GovUKDateField(
        label=_("Date held"),
        help_text=_("For example, 27 3 2026"),
        error_messages={"required": _("Enter the date it was held")},
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
    information_shared = forms.CharField(
        label=_("Information shared"),
        help_text=_("What each agency told the discussion."),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=20_000,
        error_messages={"required": _("Record the information shared")},
    )
    lead_social_worker = forms.ChoiceField(
        label=_("Lead social worker for section 47 enquiries"),
        help_text=_("Needed when any child's enquiry starts."),
        required=False,
    )

    def __init__(self, *args: Any, report: Report, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.report = report
        staff = list(authority_staff(report))
        self._staff = {str(u.pk): u for u in staff}
        agencies = list(strategy_agencies(report))
        self._agencies = {str(a.pk): a for a in agencies}
        self.fields["chair"].choices = _user_choices(staff, gettext("Choose the chair"))  # type: ignore[attr-defined]
        self.fields["lead_social_worker"].choices = _user_choices(  # type: ignore[attr-defined]
            staff, gettext("Choose the lead social worker")
        )
        agency_choices = [("", gettext("Choose an agency"))] + [
            (str(a.pk), agency_name(a)) for a in agencies
        ]
        for i in range(PARTICIPANT_ROWS):
            n = i + 1
            self.fields[f"p{i}_agency"] = forms.ChoiceField(
                label=gettext("Participant %(n)s: agency") % {"n": n},
                choices=agency_choices,
                required=False,
            )
            self.fields[f"p{i}_name"] = forms.CharField(
                label=gettext("Participant %(n)s: name") % {"n": n}, required=False, max_length=200
            )
            self.fields[f"p{i}_role"] = forms.CharField(
                label=gettext("Participant %(n)s: role") % {"n": n}, required=False, max_length=200
            )
            self.fields[f"p{i}_authorised"] = forms.BooleanField(
                label=gettext("Authorised to make decisions for their agency"),
                required=False,
                initial=True,
            )
        self.children: list[ReportChild] = list(report.children.all())
        for child in self.children:
            name = child.display_name
            self.fields[f"c{child.pk}_s47"] = forms.ChoiceField(
                label=gettext("Section 47 enquiry for %(name)s") % {"name": name},
                choices=S47Kind.choices,
                widget=forms.RadioSelect,
                error_messages={
                    "required": gettext("Choose whether section 47 enquiries start for %(name)s")
                    % {"name": name}
                },
            )
            self.fields[f"c{child.pk}_reasons"] = forms.CharField(
                label=gettext("Reasons for the decision about %(name)s") % {"name": name},
                widget=forms.Textarea(attrs={"rows": 3}),
                max_length=20_000,
                error_messages={
                    "required": gettext("Give the reasons for the decision about %(name)s")
                    % {"name": name}
                },
            )
            self.fields[f"c{child.pk}_other"] = forms.CharField(
                label=gettext("Other actions for %(name)s (optional)") % {"name": name},
                widget=forms.Textarea(attrs={"rows": 2}),
                max_length=20_000,
                required=False,
            )
        for j in range(ACTION_ROWS):
            n = j + 1
            self.fields[f"a{j}_description"] = forms.CharField(
                label=gettext("Action %(n)s: what is to be done") % {"n": n},
                required=False,
                max_length=500,
            )
            self.fields[f"a{j}_owner"] = forms.ChoiceField(
                label=gettext("Action %(n)s: agency responsible") % {"n": n},
                choices=agency_choices,
                required=False,
            )
            self.fields[f"a{j}_due"] = GovUKDateField(
                label=gettext("Action %(n)s: due date") % {"n": n},
                required=False,
                allow_future=True,
            )

    # --- row groups, for the template -----------------------------------------------------------

    def participant_rows(self) -> list[list[forms.BoundField]]:
        return [
            [self[f"p{i}_{k}"] for k in ("agency", "name", "role", "authorised")]
            for i in range(PARTICIPANT_ROWS)
        ]

    def participant_layout(
        self,
    ) -> tuple[list[list[forms.BoundField]], list[list[forms.BoundField]]]:
        """Participants in use and one spare (at least two: police and social services) shown,
        the rest folded away."""
        return fold_rows(self.participant_rows(), minimum=2, ignore=("_authorised",))

    def action_layout(self) -> tuple[list[list[forms.BoundField]], list[list[forms.BoundField]]]:
        return fold_rows(self.action_rows())

    def child_rows(self) -> list[tuple[ReportChild, list[forms.BoundField]]]:
        return [
            (c, [self[f"c{c.pk}_{k}"] for k in ("s47", "reasons", "other")]) for c in self.children
        ]

    def action_rows(self) -> list[list[forms.BoundField]]:
        return [
            [self[f"a{j}_{k}"] for k in ("description", "owner", "due")] for j in range(ACTION_ROWS)
        ]

    # --- cleaning -------------------------------------------------------------------------------

    def clean_held_time(self) -> datetime.time:
        return clean_time(self.cleaned_data["held_time"], gettext("the time it started"))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for i in range(PARTICIPANT_ROWS):
            agency, name = data.get(f"p{i}_agency"), str(data.get(f"p{i}_name") or "").strip()
            if agency and not name:
                self.add_error(
                    f"p{i}_name", gettext("Enter participant %(n)s's name") % {"n": i + 1}
                )
            if name and not agency:
                self.add_error(
                    f"p{i}_agency", gettext("Choose participant %(n)s's agency") % {"n": i + 1}
                )
        for j in range(ACTION_ROWS):
            text = str(data.get(f"a{j}_description") or "").strip()
            owner, due = data.get(f"a{j}_owner"), data.get(f"a{j}_due")
            if (owner or due) and not text:
                self.add_error(
                    f"a{j}_description", gettext("Enter what action %(n)s is") % {"n": j + 1}
                )
            if text and not owner:
                self.add_error(
                    f"a{j}_owner",
                    gettext("Choose who is responsible for action %(n)s") % {"n": j + 1},
                )
            if text and not due and f"a{j}_due" not in self.errors:
                self.add_error(
                    f"a{j}_due", gettext("Enter when action %(n)s is due") % {"n": j + 1}
                )
        starts = any(
            data.get(f"c{c.pk}_s47") not in (None, "", S47Kind.NONE) for c in self.children
        )
        if starts and not data.get("lead_social_worker"):
            self.add_error(
                "lead_social_worker", gettext("Choose the lead social worker for the enquiries")
            )
        return data

    def service_kwargs(self) -> dict[str, Any]:
        data = self.cleaned_data
        participants = [
            {
                "agency": self._agencies[data[f"p{i}_agency"]],
                "name": data[f"p{i}_name"],
                "role": data.get(f"p{i}_role", ""),
                "authorised_to_decide": bool(data.get(f"p{i}_authorised")),
            }
            for i in range(PARTICIPANT_ROWS)
            if data.get(f"p{i}_agency")
        ]
        actions = [
            {
                "description": data[f"a{j}_description"],
                "owner_agency": self._agencies[data[f"a{j}_owner"]],
                "due_on": data[f"a{j}_due"],
            }
            for j in range(ACTION_ROWS)
            if str(data.get(f"a{j}_description") or "").strip()
        ]
        return {
            "kind": data["kind"],
            "medium": data["medium"],
            "held_at": combine(data["held_on"], data["held_time"]),
            "chair": self._staff[data["chair"]],
            "information_shared": data["information_shared"],
            "participants": participants,
            "child_decisions": [
                {
                    "child": c,
                    "s47": data[f"c{c.pk}_s47"],
                    "reasons": data[f"c{c.pk}_reasons"],
                    "other_actions": data.get(f"c{c.pk}_other", ""),
                }
                for c in self.children
            ],
            "actions": actions,
            "lead_social_worker": self._staff.get(data.get("lead_social_worker") or ""),
        }

    #: Where a service's domain error about a group of fields is shown.
    def field_for(self, name: str | None) -> str | None:
        mapping = {
            "participants": "p0_agency",
            "actions": "a0_description",
            "held_at": "held_on",
            "child_decisions": f"c{self.children[0].pk}_s47" if self.children else None,
        }
        target = mapping.get(name or "", name)
        return target if target in self.fields else None


class ChildSeenForm(forms.Form):
    seen_on = GovUKDateField(
        label=_("Date the child was seen"),
        help_text=_("For example, 27 3 2026"),
        error_messages={"required": _("Enter the date the child was seen")},
    )
    seen_time = forms.CharField(
        label=_("Time the child was seen"),
        help_text=_("For example, 10:15"),
        max_length=5,
        error_messages={"required": _("Enter the time the child was seen")},
    )
    seen_alone = forms.ChoiceField(
        label=_("Was the child seen alone?"),
        choices=[("yes", _("Yes")), ("no", _("No"))],
        widget=forms.RadioSelect,
        error_messages={"required": _("Say whether the child was seen alone")},
    )
    not_alone_reason = forms.CharField(
        label=_("If not, why not?"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        max_length=20_000,
    )
    child_views = forms.CharField(
        label=_("The child's wishes and feelings, in their own words"),
        help_text=_(
            "Write what the child said, as they said it. For a child too young to say, "
            "record what you saw."
        ),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=20_000,
        error_messages={"required": _("Record the child's wishes and feelings in their own words")},
    )

    def clean_seen_time(self) -> datetime.time:
        return clean_time(self.cleaned_data["seen_time"], gettext("the time the child was seen"))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if (
            data.get("seen_alone") == "no"
            and len(str(data.get("not_alone_reason", "")).strip()) < 5
        ):
            self.add_error("not_alone_reason", gettext("Say why the child was not seen alone"))
        return data

    def service_kwargs(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "seen_at": combine(data["seen_on"], data["seen_time"]),
            "seen_alone": data["seen_alone"] == "yes",
            "child_views": data["child_views"],
            "not_alone_reason": data.get("not_alone_reason", ""),
        }

    def field_for(self, name: str | None) -> str | None:
        target = {"seen_at": "seen_on"}.get(name or "", name)
        return target if target in self.fields else None


class DeterminationForm(forms.Form):
    determination = forms.ChoiceField(
        label=_("Determination"),
        choices=Determination.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose a determination")},
    )
    rationale = forms.CharField(
        label=_("Reasons for the determination"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=20_000,
        error_messages={"required": _("Explain the reasons for the determination")},
    )
    agency_contributions = forms.CharField(
        label=_("What each agency contributed to the enquiry"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        max_length=20_000,
    )

    def field_for(self, name: str | None) -> str | None:
        return name if name in self.fields else None
