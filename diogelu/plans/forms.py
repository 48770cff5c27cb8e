"""Forms for care and support protection plans, core groups and visits."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from diogelu.accounts.models import Agency, User
from diogelu.conferences.models import RegisterEpisode
from diogelu.core.forms import GovUKDateField, row_in_use
from diogelu.core.presenters import agency_name
from diogelu.enquiries.forms import clean_time, combine
from diogelu.plans.models import ActionStatus, PlanVersion, Progress

OUTCOME_ROWS = 4
ACTION_ROWS = 3
YES_NO = [("yes", _("Yes")), ("no", _("No"))]


class FieldForMixin:
    fields: dict[str, Any]
    mapping: dict[str, str] = {}

    def field_for(self, name: str | None) -> str | None:
        target = self.mapping.get(name or "", name)
        return target if target in self.fields else None


_RESPONSIBLE_HINT = _(
    "Lists partner agencies' staff and, from the local authority, the child's team and core "
    "group. For anyone else, choose their agency and name them in what is to be done."
)


class ResponsiblePersonField(forms.ChoiceField):
    """A choice among the people listed, or of anyone ``accept`` allows (checked by key)."""

    def __init__(self, *args: Any, accept: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._accept = accept

    def valid_value(self, value: Any) -> bool:
        return super().valid_value(value) or self._accept(str(value))


def _person_choice(user: User) -> tuple[str, str]:
    """A person as the form lists them: their name and agency."""
    return (str(user.pk), f"{user.get_full_name() or user.username} ({agency_name(user.agency)})")


def _responsible_choices(
    episode: RegisterEpisode, agencies: list[Agency], editor: User | None, already: set[int]
) -> Any:
    """Who may be chosen as responsible for an action: every member of staff of the partner
    agencies (as before), and of the local authority only those who work with the child: the
    lead practitioner and their team, the core group's practitioners now, whoever is editing
    and their team, and whoever is already responsible for an action."""
    from django.db.models import Q

    from diogelu.conferences.models import CoreGroupMember

    ids = set(already)
    ids.add(episode.lead_practitioner_id)
    teams = {episode.lead_practitioner.team_id}
    if editor is not None:
        ids.add(editor.pk)
        teams.add(editor.team_id)
    ids.update(
        CoreGroupMember.objects.filter(
            episode=episode, ended_at__isnull=True, user__isnull=False
        ).values_list("user_id", flat=True)
    )
    teams.discard(None)
    authority = episode.authority_id
    return User.objects.filter(is_active=True, agency__in=agencies).filter(
        ~Q(agency_id=authority) | Q(pk__in=ids) | Q(team_id__in=teams)
    )


class PlanForm(FieldForMixin, forms.Form):
    """A fixed number of outcomes, each with a fixed number of actions."""

    expected_version = forms.IntegerField(widget=forms.HiddenInput)
    child_words = forms.CharField(
        label=_("The child's own words"),
        help_text=_("What the child said about their life and what they want to change."),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=20_000,
        required=False,
    )
    contingency = forms.CharField(
        label=_("Contingency plan"),
        help_text=_("What will happen if the plan is not followed or things get worse."),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=20_000,
        required=False,
    )
    mapping = {"outcomes": "o0_what"}

    def __init__(
        self, *args: Any, episode: RegisterEpisode, editor: User | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        authority = episode.authority
        agencies = [
            authority,
            *Agency.objects.filter(is_active=True, partner_of=authority).order_by("name"),
        ]
        self._agencies = {str(a.pk): a for a in agencies}
        # Of the local authority's staff, only those who work with this child are listed (ADR
        # 0844): its whole workforce in each of the twelve actions made the page 460 KB at a
        # county. Anyone else of the authority or its partners is still accepted.
        users = list(
            _responsible_choices(episode, agencies, editor, self._initial_users())
            .select_related("agency")
            .order_by("agency__name", "last_name", "first_name")
        )
        self._users = {str(u.pk): u for u in users}
        agency_choices = [("", gettext("Choose an agency"))] + [
            (str(a.pk), agency_name(a)) for a in agencies
        ]
        user_choices = [("", gettext("Choose a person"))] + [_person_choice(u) for u in users]
        for i in range(OUTCOME_ROWS):
            n = i + 1
            self.fields[f"o{i}_what"] = forms.CharField(
                label=gettext("Outcome %(n)s: what must change, in plain words") % {"n": n},
                widget=forms.Textarea(attrs={"rows": 2}),
                max_length=20_000,
                required=False,
            )
            self.fields[f"o{i}_measure"] = forms.CharField(
                label=gettext("Outcome %(n)s: how progress is measured") % {"n": n},
                widget=forms.Textarea(attrs={"rows": 2}),
                max_length=20_000,
                required=False,
            )
            for j in range(ACTION_ROWS):
                m = j + 1
                p = f"o{i}a{j}_"
                self.fields[p + "description"] = forms.CharField(
                    label=gettext("Outcome %(n)s, action %(m)s: what is to be done")
                    % {"n": n, "m": m},
                    max_length=2000,
                    required=False,
                )
                self.fields[p + "user"] = ResponsiblePersonField(
                    label=gettext("Outcome %(n)s, action %(m)s: person responsible")
                    % {"n": n, "m": m},
                    help_text=_RESPONSIBLE_HINT,
                    choices=user_choices,
                    required=False,
                    accept=self._accept_user,
                )
                self.fields[p + "agency"] = forms.ChoiceField(
                    label=gettext("Outcome %(n)s, action %(m)s: agency responsible")
                    % {"n": n, "m": m},
                    choices=agency_choices,
                    required=False,
                )
                self.fields[p + "date"] = GovUKDateField(
                    label=gettext("Outcome %(n)s, action %(m)s: target date") % {"n": n, "m": m},
                    required=False,
                    allow_future=True,
                )

    def _initial_users(self) -> set[int]:
        """The people already responsible for an action of the version being edited."""
        ids: set[int] = set()
        for key, value in (self.initial or {}).items():
            if key.endswith("_user") and str(value or "").isdigit():
                ids.add(int(value))
        return ids

    def _accept_user(self, value: str) -> bool:
        """A person not in the list but working for the authority or one of its partners (a
        form kept open while the core group changed, or an agency system's post): read once,
        by key. The plan's service checks again that the person may be named."""
        if value in self._users:
            return True
        if not value.isdigit() or len(value) > 18:  # a key, within PostgreSQL's bigint
            return False
        user = (
            User.objects.filter(pk=int(value), agency__in=self._agencies.values(), is_active=True)
            .select_related("agency")
            .first()
        )
        if user is None:
            return False
        self._users[value] = user
        # so that the form, shown again, still shows who was chosen
        option = _person_choice(user)
        for name, field in self.fields.items():
            if name.endswith("_user") and isinstance(field, ResponsiblePersonField):
                field.choices = [*field.choices, option]  # type: ignore[misc]
        return True

    @classmethod
    def initial_for(cls, version: PlanVersion | None) -> dict[str, Any]:
        if version is None:
            return {"expected_version": 0}
        initial: dict[str, Any] = {
            "expected_version": version.version,
            "child_words": version.child_words,
            "contingency": version.contingency,
        }
        for i, outcome in enumerate(list(version.outcomes.all())[:OUTCOME_ROWS]):
            initial[f"o{i}_what"] = outcome.what_must_change
            initial[f"o{i}_measure"] = outcome.measure
            for j, action in enumerate(list(outcome.actions.all())[:ACTION_ROWS]):
                p = f"o{i}a{j}_"
                initial[p + "description"] = action.description
                initial[p + "user"] = str(action.responsible_user_id or "")
                initial[p + "agency"] = str(action.responsible_agency_id or "")
                initial[p + "date"] = action.target_date
        return initial

    def outcome_rows(
        self,
    ) -> list[tuple[int, list[forms.BoundField], list[list[forms.BoundField]]]]:
        return [
            (
                i + 1,
                [self[f"o{i}_what"], self[f"o{i}_measure"]],
                [
                    [self[f"o{i}a{j}_{k}"] for k in ("description", "user", "agency", "date")]
                    for j in range(ACTION_ROWS)
                ],
            )
            for i in range(OUTCOME_ROWS)
        ]

    def outcome_layout(self) -> dict[str, list[dict[str, Any]]]:
        """The outcomes to show (every one in use, then one empty), the rest folded away; within
        each, the actions in use and one empty, the rest folded away. Keeps the page short while
        working without JavaScript (the folds are ``<details>``)."""
        shown: list[dict[str, Any]] = []
        folded: list[dict[str, Any]] = []
        spare_outcome = False
        for n, fields, actions in self.outcome_rows():
            used_actions = [a for a in actions if row_in_use(a)]
            free = [a for a in actions if not row_in_use(a)]
            row = {
                "n": n,
                "fields": fields,
                "actions": used_actions + free[:1],
                "more_actions": free[1:],
            }
            if row_in_use(fields) or used_actions:
                shown.append(row)
            elif not spare_outcome:
                spare_outcome = True
                shown.append(row)
            else:
                folded.append(row)
        return {"shown": shown, "folded": folded}

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for i in range(OUTCOME_ROWS):
            has_outcome = bool(str(data.get(f"o{i}_what") or "").strip())
            for j in range(ACTION_ROWS):
                p = f"o{i}a{j}_"
                filled = any(data.get(p + k) for k in ("user", "agency", "date"))
                text = str(data.get(p + "description") or "").strip()
                if (filled or text) and not has_outcome:
                    self.add_error(
                        f"o{i}_what",
                        gettext("Say what must change for outcome %(n)s") % {"n": i + 1},
                    )
                    break
                if filled and not text:
                    self.add_error(
                        p + "description",
                        gettext("Describe action %(m)s of outcome %(n)s")
                        % {"n": i + 1, "m": j + 1},
                    )
        return data

    def service_kwargs(self) -> dict[str, Any]:
        data = self.cleaned_data
        outcomes = []
        for i in range(OUTCOME_ROWS):
            what = str(data.get(f"o{i}_what") or "").strip()
            if not what:
                continue
            actions = []
            for j in range(ACTION_ROWS):
                p = f"o{i}a{j}_"
                if not str(data.get(p + "description") or "").strip():
                    continue
                actions.append(
                    {
                        "description": data[p + "description"],
                        "responsible_user": self._users.get(data.get(p + "user") or ""),
                        "responsible_agency": self._agencies.get(data.get(p + "agency") or ""),
                        "target_date": data.get(p + "date"),
                    }
                )
            outcomes.append(
                {
                    "what_must_change": what,
                    "measure": data.get(f"o{i}_measure", ""),
                    "actions": actions,
                }
            )
        return {
            "expected_version": data["expected_version"],
            "child_words": data.get("child_words", ""),
            "contingency": data.get("contingency", ""),
            "outcomes": outcomes,
        }


class VisitForm(FieldForMixin, forms.Form):
    visited_on = GovUKDateField(
        label=_("Date of the visit"),
        help_text=_("For example, 27 3 2026"),
        error_messages={"required": _("Enter the date of the visit")},
    )
    visited_time = forms.CharField(
        label=_("Time of the visit"),
        help_text=_("For example, 16:00"),
        max_length=5,
        error_messages={"required": _("Enter the time of the visit")},
    )
    child_seen = forms.ChoiceField(
        label=_("Was the child seen?"),
        choices=YES_NO,
        widget=forms.RadioSelect,
        error_messages={"required": _("Say whether the child was seen")},
    )
    seen_alone = forms.BooleanField(label=_("Seen alone"), required=False)
    not_alone_reason = forms.CharField(
        label=_("If not seen alone, why not?"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=20_000,
        required=False,
    )
    seen_at_home = forms.BooleanField(label=_("Seen at home"), required=False)
    bedroom_seen = forms.BooleanField(label=_("Bedroom seen"), required=False)
    child_words = forms.CharField(
        label=_("What the child said or showed, in their own words"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=20_000,
        required=False,
    )
    observations = forms.CharField(
        label=_("What you saw"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=20_000,
        error_messages={"required": _("Record what you saw")},
    )
    mapping = {"visited_at": "visited_on"}

    def clean_visited_time(self) -> Any:
        return clean_time(self.cleaned_data["visited_time"], gettext("the time of the visit"))

    def service_kwargs(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "visited_at": combine(data["visited_on"], data["visited_time"]),
            "child_seen": data["child_seen"] == "yes",
            "seen_alone": bool(data.get("seen_alone")),
            "not_alone_reason": data.get("not_alone_reason", ""),
            "seen_at_home": bool(data.get("seen_at_home")),
            "bedroom_seen": bool(data.get("bedroom_seen")),
            "child_words": data.get("child_words", ""),
            "observations": data["observations"],
        }


class CoreGroupForm(FieldForMixin, forms.Form):
    held_on = GovUKDateField(
        label=_("Date of the meeting"),
        error_messages={"required": _("Enter the date of the meeting")},
    )
    held_time = forms.CharField(
        label=_("Time of the meeting"),
        help_text=_("For example, 14:30"),
        max_length=5,
        error_messages={"required": _("Enter the time of the meeting")},
    )
    attended = forms.MultipleChoiceField(
        label=_("Who attended?"), widget=forms.CheckboxSelectMultiple, required=False
    )
    child_attended = forms.BooleanField(label=_("The child attended"), required=False)
    child_views = forms.CharField(
        label=_("The child's views, or how they were sought"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=20_000,
        error_messages={"required": _("Record the child's views, or how they were sought")},
    )
    risks = forms.CharField(
        label=_("Risks"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    access_denied = forms.BooleanField(
        label=_("Access to the child or home was denied"), required=False
    )
    notes = forms.CharField(
        label=_("Notes and progress"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    mapping = {"held_at": "held_on"}

    def __init__(
        self,
        *args: Any,
        episode: RegisterEpisode,
        version: PlanVersion | None = None,
        action_status: dict[int, str] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        members = list(episode.core_group.filter(ended_at__isnull=True))
        self._members = {str(m.pk): m for m in members}
        self.fields["attended"].choices = [
            (str(m.pk), f"{m.name} ({m.role})" if m.role else m.name) for m in members
        ]
        # Progress against each outcome of the published plan, and each action's status.
        self.outcomes = list(version.outcomes.prefetch_related("actions")) if version else []
        statuses = action_status or {}
        for n, outcome in enumerate(self.outcomes, start=1):
            self.fields[f"o{outcome.pk}_rating"] = forms.ChoiceField(
                label=gettext("Outcome %(n)s: %(what)s")
                % {"n": n, "what": outcome.what_must_change},
                help_text=outcome.measure,
                choices=Progress.choices,
                widget=forms.RadioSelect,
                error_messages={
                    "required": gettext("Rate the progress against outcome %(n)s") % {"n": n}
                },
            )
            self.fields[f"o{outcome.pk}_note"] = forms.CharField(
                label=gettext("What shows it (outcome %(n)s)") % {"n": n},
                widget=forms.Textarea(attrs={"rows": 2}),
                max_length=20_000,
                required=False,
            )
            for action in outcome.actions.all():
                self.fields[f"a{action.pk}_status"] = forms.ChoiceField(
                    label=action.description,
                    choices=ActionStatus.choices,
                    initial=statuses.get(action.pk, ActionStatus.NOT_STARTED),
                )

    def outcome_rows(self) -> list[tuple[Any, list[forms.BoundField]]]:
        return [
            (
                o,
                [self[f"o{o.pk}_rating"], self[f"o{o.pk}_note"]]
                + [self[f"a{a.pk}_status"] for a in o.actions.all()],
            )
            for o in self.outcomes
        ]

    def clean_held_time(self) -> Any:
        return clean_time(self.cleaned_data["held_time"], gettext("the time of the meeting"))

    def service_kwargs(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "held_at": combine(data["held_on"], data["held_time"]),
            "attended": [self._members[k] for k in data.get("attended") or []],
            "child_attended": bool(data.get("child_attended")),
            "child_views": data["child_views"],
            "risks": data.get("risks", ""),
            "access_denied": bool(data.get("access_denied")),
            "notes": data.get("notes", ""),
            "progress": [
                {
                    "outcome": o,
                    "rating": data[f"o{o.pk}_rating"],
                    "note": data.get(f"o{o.pk}_note", ""),
                }
                for o in self.outcomes
            ],
            "action_updates": [
                {"action": a, "status": data[f"a{a.pk}_status"]}
                for o in self.outcomes
                for a in o.actions.all()
            ],
        }


class PublishForm(forms.Form):
    """Confirm publishing a saved draft; below the quality threshold, a manager's reason."""

    expected_version = forms.IntegerField(widget=forms.HiddenInput)
    sign_off_reason = forms.CharField(
        label=_("Why should this plan be published below the quality threshold?"),
        help_text=_(
            "Your sign-off and reason are kept with this version and shown in the plan's history."
        ),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        required=False,
    )

    def __init__(self, *args: Any, version: PlanVersion, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["expected_version"].initial = version.version

    def service_kwargs(self) -> dict[str, Any]:
        return {
            "expected_version": self.cleaned_data["expected_version"],
            "sign_off_reason": self.cleaned_data.get("sign_off_reason", ""),
        }


class ReturnPlanForm(forms.Form):
    """A manager returns a draft below the quality threshold to its author, with a reason."""

    return_reason = forms.CharField(
        label=_("What should the author change before the plan is signed off?"),
        help_text=_("The author sees this on the plan; the approval history keeps it."),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
    )
