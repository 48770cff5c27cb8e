"""Forms for programmes, the sample, grading, moderation, responses, actions and evidence."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any, cast

from django import forms
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from diogelu.accounts.models import Team, User
from diogelu.audit.models import GRADE_ORDER, FormSection, Grade, ProgrammeKind, Stage, Theme
from diogelu.core.forms import GovUKDateField

TEXT = 20_000


def _name(u: User) -> str:
    return u.get_full_name() or u.username


def grade_choices() -> list[tuple[str, Any]]:
    labels = dict(Grade.choices)
    return [(g.value, labels[g.value]) for g in GRADE_ORDER]


def welsh() -> bool:
    return (translation.get_language() or "en").startswith("cy")


def team_title(team: Team) -> str:
    return team.name_cy if welsh() and team.name_cy else team.name


def section_title(section: FormSection) -> str:
    return section.title_cy if welsh() and section.title_cy else section.title


class ProgrammeForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind of audit"), choices=ProgrammeKind.choices, widget=forms.RadioSelect
    )
    theme = forms.ChoiceField(label=_("Theme"), choices=Theme.choices, widget=forms.RadioSelect)
    title = forms.CharField(label=_("Title"), max_length=200)
    period_start = GovUKDateField(label=_("Period from"), allow_future=True)
    period_end = GovUKDateField(label=_("Period to"), allow_future=True)
    due_on = GovUKDateField(label=_("Audits due by (optional)"), allow_future=True, required=False)
    auditors = forms.MultipleChoiceField(label=_("Auditors"), widget=forms.CheckboxSelectMultiple)
    moderators = forms.MultipleChoiceField(
        label=_("Moderators"), widget=forms.CheckboxSelectMultiple, required=False
    )
    moderation_percent = forms.IntegerField(
        label=_("Share of completed audits to moderate (per cent)"),
        min_value=0,
        max_value=100,
        initial=25,
    )

    def __init__(
        self, *args: Any, people: Sequence[User], teams: Sequence[Team], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self._people = {str(u.pk): u for u in people}
        choices = [(str(u.pk), _name(u)) for u in people]
        cast(forms.MultipleChoiceField, self.fields["auditors"]).choices = choices
        cast(forms.MultipleChoiceField, self.fields["moderators"]).choices = choices
        self.teams = list(teams)
        self.strata_names: list[tuple[Team, list[tuple[str, str, Any]]]] = []
        for team in self.teams:
            row = []
            for stage, label in Stage.choices:
                name = f"size_{team.pk}_{stage}"
                self.fields[name] = forms.IntegerField(
                    label=_("%(team)s: %(stage)s") % {"team": team.name, "stage": label},
                    min_value=0,
                    max_value=200,
                    required=False,
                )
                row.append((name, stage, label))
            self.strata_names.append((team, row))

    def users(self, name: str) -> list[User]:
        return [self._people[k] for k in self.cleaned_data.get(name, []) if k in self._people]

    def strata(self) -> list[tuple[Team, str, int]]:
        out = []
        for team, row in self.strata_names:
            for name, stage, _label in row:
                size = self.cleaned_data.get(name) or 0
                if size:
                    out.append((team, stage, int(size)))
        return out

    def field_for(self, name: str | None) -> str | None:
        if name == "strata" and self.strata_names:
            return self.strata_names[0][1][0][0]
        return name if name in self.fields else None


class DrawForm(forms.Form):
    seed = forms.IntegerField(
        label=_("Seed (optional)"),
        help_text=_(
            "Leave empty for a new random seed. The seed is recorded: the same seed draws the "
            "same sample again."
        ),
        required=False,
        min_value=0,
    )


class AddFileForm(forms.Form):
    reference = forms.CharField(label=_("The child's local authority reference"), max_length=40)
    reason = forms.CharField(
        label=_("Why this file is added"), widget=forms.Textarea(attrs={"rows": 3}), max_length=TEXT
    )
    auditor = forms.ChoiceField(label=_("Auditor"), required=False)

    def __init__(self, *args: Any, auditors: Sequence[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._auditors = {str(u.pk): u for u in auditors}
        cast(forms.ChoiceField, self.fields["auditor"]).choices = [
            ("", _("The least-loaded auditor free of conflict")),
            *((str(u.pk), _name(u)) for u in auditors),
        ]

    def chosen_auditor(self) -> User | None:
        return self._auditors.get(self.cleaned_data.get("auditor") or "")

    def field_for(self, name: str | None) -> str | None:
        return {"person": "reference"}.get(name or "", name if name in self.fields else None)


class GradeForm(forms.Form):
    """Every section's grade and commentary, every question's answer, the overall grade."""

    overall_grade = forms.ChoiceField(
        label=_("Overall grade"), widget=forms.RadioSelect, required=False
    )
    overall_reason = forms.CharField(
        label=_("Reason for the overall grade"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        max_length=TEXT,
    )
    summary = forms.CharField(
        label=_("Summary of findings (for the worker, the manager and the board)"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        max_length=TEXT,
    )

    def __init__(self, *args: Any, sections: Iterable[FormSection], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["overall_grade"]).choices = grade_choices()
        self.sections = list(sections)
        self.layout: list[tuple[FormSection, str, str, list[tuple[str, Any]]]] = []
        cy = welsh()
        for s in self.sections:
            grade_name, comment_name = f"grade_{s.pk}", f"comment_{s.pk}"
            self.fields[grade_name] = forms.ChoiceField(
                label=_("Grade"), choices=grade_choices(), widget=forms.RadioSelect, required=False
            )
            self.fields[comment_name] = forms.CharField(
                label=_("What you saw"),
                widget=forms.Textarea(attrs={"rows": 3}),
                required=False,
                max_length=TEXT,
            )
            questions = []
            for q in s.questions.all():
                name = f"answer_{q.pk}"
                self.fields[name] = forms.CharField(
                    label=q.text_cy if cy and q.text_cy else q.text,
                    widget=forms.Textarea(attrs={"rows": 2}),
                    required=False,
                    max_length=TEXT,
                )
                questions.append((name, q))
            self.layout.append((s, grade_name, comment_name, questions))

    def grades(self) -> dict[int, tuple[str, str]]:
        return {
            s.pk: (self.cleaned_data.get(g) or "", self.cleaned_data.get(c) or "")
            for s, g, c, _q in self.layout
        }

    def answers(self) -> dict[int, str]:
        return {
            q.pk: self.cleaned_data.get(name) or ""
            for _s, _g, _c, qs in self.layout
            for name, q in qs
        }

    def field_for(self, name: str | None) -> str | None:
        return name if name in self.fields else None


class ModerationForm(forms.Form):
    note = forms.CharField(
        label=_("Moderation note (optional)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=TEXT,
    )

    def __init__(
        self, *args: Any, rows: Sequence[tuple[int | None, str, str]], **kwargs: Any
    ) -> None:
        """``rows``: (section id or None for the overall grade, its title, the auditor's grade)."""
        super().__init__(*args, **kwargs)
        self.rows = []
        for key, title, auditor_grade in rows:
            suffix = "overall" if key is None else str(key)
            grade_name, reason_name = f"mod_{suffix}", f"mod_{suffix}_reason"
            self.fields[grade_name] = forms.ChoiceField(
                label=_("Moderated grade"),
                choices=grade_choices(),
                widget=forms.RadioSelect,
                initial=auditor_grade,
            )
            self.fields[reason_name] = forms.CharField(
                label=_("Reason (needed when you change the grade)"),
                widget=forms.Textarea(attrs={"rows": 2}),
                required=False,
                max_length=TEXT,
            )
            self.rows.append((key, title, auditor_grade, grade_name, reason_name))

    def grades(self) -> dict[int | None, tuple[str, str]]:
        return {
            key: (self.cleaned_data.get(g) or "", self.cleaned_data.get(r) or "")
            for key, _t, _a, g, r in self.rows
        }

    def field_for(self, name: str | None) -> str | None:
        return name if name in self.fields else None


class FamilyForm(forms.Form):
    asked = forms.ChoiceField(
        label=_("Was the family asked for feedback?"),
        choices=[("yes", _("Yes")), ("no", _("No"))],
        widget=forms.RadioSelect,
    )
    given_by = forms.CharField(
        label=_("Who gave the feedback (for example, mother)"), max_length=200, required=False
    )
    feedback = forms.CharField(
        label=_("What the family said"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        max_length=TEXT,
    )

    def field_for(self, name: str | None) -> str | None:
        return {"family_feedback": "feedback", "family_feedback_from": "given_by"}.get(
            name or "", name if name in self.fields else None
        )


class ResponseForm(forms.Form):
    response = forms.CharField(
        label=_("Your response to the findings"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=TEXT,
    )


class ActionForm(forms.Form):
    description = forms.CharField(label=_("Action"), max_length=500)
    owner = forms.ChoiceField(label=_("Owner"))
    for_team = forms.BooleanField(label=_("This is an action for the team"), required=False)
    due_on = GovUKDateField(label=_("Due date"), allow_future=True)

    def __init__(self, *args: Any, owners: Sequence[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._owners = {str(u.pk): u for u in owners}
        cast(forms.ChoiceField, self.fields["owner"]).choices = [
            (str(u.pk), _name(u)) for u in owners
        ]

    def chosen_owner(self) -> User:
        return self._owners[self.cleaned_data["owner"]]


class DoneForm(forms.Form):
    note = forms.CharField(label=_("What was done"), max_length=500)


class EvidenceForm(forms.Form):
    improvement_action = forms.ChoiceField(label=_("Improvement plan action"))
    what = forms.ChoiceField(label=_("What is the evidence"), widget=forms.RadioSelect)
    note = forms.CharField(label=_("Note (optional)"), max_length=500, required=False)

    def __init__(
        self,
        *args: Any,
        improvement_actions: Sequence[Any],
        audit_actions: Sequence[Any],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self._improvement = {str(a.pk): a for a in improvement_actions}
        cast(forms.ChoiceField, self.fields["improvement_action"]).choices = [
            (str(a.pk), f"{a.number}: {a.description[:120]}") for a in improvement_actions
        ]
        self._audit_actions = {f"action-{a.pk}": a for a in audit_actions}
        cast(forms.ChoiceField, self.fields["what"]).choices = [
            ("audit", _("The audit and its grades")),
            *((key, a.description) for key, a in self._audit_actions.items()),
        ]

    def chosen(self) -> tuple[Any, Any]:
        return (
            self._improvement[self.cleaned_data["improvement_action"]],
            self._audit_actions.get(self.cleaned_data["what"]),
        )


class CompleteForm(forms.Form):
    summary = forms.CharField(
        label=_("Summary for the quality assurance board"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=TEXT,
    )


class AssignForm(forms.Form):
    auditor = forms.ChoiceField(label=_("Auditor"))

    def __init__(self, *args: Any, auditors: Sequence[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._auditors = {str(u.pk): u for u in auditors}
        cast(forms.ChoiceField, self.fields["auditor"]).choices = [
            (str(u.pk), _name(u)) for u in auditors
        ]

    def chosen(self) -> User:
        return self._auditors[self.cleaned_data["auditor"]]
