"""Forms for allocation, oversight ratings, approvals, supervision and worker records."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from diogelu.accounts.models import Team, User
from diogelu.core.exceptions import DomainError
from diogelu.core.forms import GovUKDateField
from diogelu.oversight.models import AllocationReason, CaseStage, JobRole, PracticeStep, Rating
from diogelu.oversight.services import ActionSpec, ChildDiscussion

CHILD_ROWS = 3
ACTION_ROWS = 3


def _name(u: User) -> str:
    return u.get_full_name() or u.username


class AllocationForm(forms.Form):
    expected_version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    worker = forms.ChoiceField(label=_("Worker"), required=False)
    reason = forms.ChoiceField(
        label=_("Reason for the change"),
        choices=AllocationReason.choices,
        widget=forms.RadioSelect,
    )
    stage = forms.ChoiceField(
        label=_("Kind of work"),
        choices=[("", _("Keep as it is")), *CaseStage.choices],
        required=False,
    )
    note = forms.CharField(
        label=_("Note (optional)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=20_000,
    )

    def __init__(self, *args: Any, workers: Sequence[Any], team: Team, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._workers = {str(load.worker.user_id): load.worker.user for load in workers}
        cast(forms.ChoiceField, self.fields["worker"]).choices = [
            ("", _("Leave unallocated")),
            *(
                (
                    str(load.worker.user_id),
                    _("%(name)s: %(points)s of %(ceiling)s points, %(cases)s children")
                    % {
                        "name": _name(load.worker.user),
                        "points": load.points,
                        "ceiling": load.ceiling,
                        "cases": load.cases,
                    },
                )
                for load in workers
            ),
        ]
        self.team = team

    def worker_user(self) -> User | None:
        return self._workers.get(self.cleaned_data.get("worker") or "")


class RatingForm(forms.Form):
    rating = forms.ChoiceField(
        label=_("Oversight rating"), choices=Rating.choices, widget=forms.RadioSelect
    )
    reason = forms.CharField(
        label=_("Reason"), widget=forms.Textarea(attrs={"rows": 4}), max_length=20_000
    )


class ProposeEndAllocationForm(forms.Form):
    reason = forms.CharField(
        label=_("Why should the allocation end?"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=20_000,
    )


class ProposeClosureForm(forms.Form):
    reason = forms.CharField(
        label=_("Why should the case close?"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=20_000,
    )


class DecideApprovalForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Your decision"),
        choices=[("approve", _("Approve")), ("return", _("Return with a reason"))],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("Reason (needed to return it)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=20_000,
    )


class ActionDoneForm(forms.Form):
    note = forms.CharField(label=_("What was done"), max_length=200)


class SupervisionForm(forms.Form):
    """A case supervision of up to three children with up to three actions, or a reflective
    supervision (``kind``)."""

    kind = forms.ChoiceField(
        label=_("Kind of supervision"),
        choices=[
            ("CASE", _("Case supervision")),
            ("REFLECTIVE", _("Professional and reflective supervision")),
        ],
        widget=forms.RadioSelect,
        initial="CASE",
    )
    worker = forms.ChoiceField(label=_("Worker supervised"))
    held_on = GovUKDateField(label=_("Date of the supervision"))
    wellbeing = forms.CharField(
        label=_("Wellbeing"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=20_000,
    )
    workload = forms.CharField(
        label=_("Workload"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=20_000,
    )
    learning = forms.CharField(
        label=_("Learning and development"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=20_000,
    )

    def __init__(
        self,
        *args: Any,
        workers: Sequence[User],
        children: Sequence[Any],
        owners: Sequence[User],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self._workers = {str(u.pk): u for u in workers}
        self._children = {str(p.pk): p for p in children}
        self._owners = {str(u.pk): u for u in owners}
        cast(forms.ChoiceField, self.fields["worker"]).choices = [
            ("", _("Choose a worker")),
            *((k, _name(u)) for k, u in self._workers.items()),
        ]
        child_choices = [
            ("", _("Choose a child")),
            *((k, f"{p.full_name} ({p.la_reference})") for k, p in self._children.items()),
        ]
        for i in range(CHILD_ROWS):
            self.fields[f"c{i}_person"] = forms.ChoiceField(
                label=_("Child %(n)s") % {"n": i + 1}, choices=child_choices, required=False
            )
            for name, label in (
                ("risk", _("Risk")),
                ("lived_experience", _("The child's lived experience and words")),
                ("plan_progress", _("Progress of the plan")),
                ("drift", _("Drift or delay")),
                ("decisions", _("Decisions")),
            ):
                self.fields[f"c{i}_{name}"] = forms.CharField(
                    label=label,
                    widget=forms.Textarea(attrs={"rows": 2}),
                    required=False,
                    max_length=20_000,
                )
        owner_choices = [
            ("", _("Choose the owner")),
            *((k, _name(u)) for k, u in self._owners.items()),
        ]
        for i in range(ACTION_ROWS):
            self.fields[f"a{i}_description"] = forms.CharField(
                label=_("Action %(n)s") % {"n": i + 1}, required=False, max_length=500
            )
            self.fields[f"a{i}_step"] = forms.ChoiceField(
                label=_("What it asks for"),
                choices=PracticeStep.choices,
                required=False,
                initial=PracticeStep.VISIT,
            )
            self.fields[f"a{i}_person"] = forms.ChoiceField(
                label=_("About which child"),
                choices=[("", _("No child")), *child_choices[1:]],
                required=False,
            )
            self.fields[f"a{i}_owner"] = forms.ChoiceField(
                label=_("Owner"), choices=owner_choices, required=False
            )
            self.fields[f"a{i}_due_on"] = GovUKDateField(
                label=_("Due date"), allow_future=True, required=False
            )

    def field_for_error(self, exc: DomainError) -> str | None:
        name = exc.field or ""
        if name.startswith("children."):
            return f"c{name.split('.')[1]}_person"
        if name.startswith("actions."):
            return f"a{name.split('.')[1]}_description"
        if name == "children":
            return "c0_person"
        return name if name in self.fields else None

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for i in range(ACTION_ROWS):
            if data.get(f"a{i}_description"):
                if not data.get(f"a{i}_owner"):
                    self.add_error(f"a{i}_owner", _("Choose the owner of the action"))
                if not data.get(f"a{i}_due_on"):
                    self.add_error(f"a{i}_due_on", _("Enter the date the action is due"))
        return data

    def worker_user(self) -> User:
        return self._workers[self.cleaned_data["worker"]]

    def discussions(self) -> list[ChildDiscussion]:
        d = self.cleaned_data
        return [
            ChildDiscussion(
                person=self._children[d[f"c{i}_person"]],
                decisions=d[f"c{i}_decisions"],
                risk=d[f"c{i}_risk"],
                lived_experience=d[f"c{i}_lived_experience"],
                plan_progress=d[f"c{i}_plan_progress"],
                drift=d[f"c{i}_drift"],
            )
            for i in range(CHILD_ROWS)
            if d.get(f"c{i}_person")
        ]

    def actions(self) -> list[ActionSpec]:
        d = self.cleaned_data
        found = []
        for i in range(ACTION_ROWS):
            if not d.get(f"a{i}_description"):
                continue
            person = self._children.get(d.get(f"a{i}_person") or "")
            due: datetime.date = d[f"a{i}_due_on"]
            found.append(
                ActionSpec(
                    step=d[f"a{i}_step"] or PracticeStep.OTHER,
                    description=d[f"a{i}_description"],
                    owner=self._owners[d[f"a{i}_owner"]],
                    due_on=due,
                    person=person,
                )
            )
        return found


class WorkerForm(forms.Form):
    expected_version = forms.IntegerField(widget=forms.HiddenInput)
    job_role = forms.ChoiceField(label=_("Job role"), choices=JobRole.choices)
    scw_number = forms.CharField(label=_("Social Care Wales registration number"), max_length=20)
    scw_renewal_on = GovUKDateField(
        label=_("Registration renewal date"), allow_future=True, required=False
    )
    first_year_until = GovUKDateField(
        label=_("Newly qualified until"),
        allow_future=True,
        required=False,
        help_text=_("The last day of the worker's first year in practice, if they are in it."),
    )
    extra_duty_points = forms.IntegerField(label=_("Extra duty points"), min_value=0, max_value=100)


class ContractForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of contract"), choices=[])
    fte = forms.DecimalField(
        label=_("FTE"),
        help_text=_("Full-time equivalent, more than 0 and no more than 1, like 0.8"),
        max_digits=4,
        decimal_places=2,
    )
    starts_on = GovUKDateField(label=_("Start date"), allow_future=True)
    ends_on = GovUKDateField(label=_("End date (optional)"), allow_future=True, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        from diogelu.oversight.models import ContractKind

        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["kind"]).choices = ContractKind.choices


class PeriodForm(forms.Form):
    start = GovUKDateField(label=_("From"), required=False)
    end = GovUKDateField(label=_("To"), required=False)


class LeavingForm(forms.Form):
    expected_version = forms.IntegerField(widget=forms.HiddenInput)
    left_on = GovUKDateField(label=_("Last day"), allow_future=True)
    reason = forms.ChoiceField(
        label=_("Why they are leaving"), choices=[], widget=forms.RadioSelect
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        from diogelu.oversight.models import LeavingReason

        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["reason"]).choices = LeavingReason.choices


class AbsenceForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of absence"), choices=[], widget=forms.RadioSelect)
    starts_on = GovUKDateField(label=_("First day"), allow_future=True)
    ends_on = GovUKDateField(label=_("Last day"), allow_future=True)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        from diogelu.oversight.models import AbsenceKind

        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["kind"]).choices = AbsenceKind.choices


class NewWorkerForm(forms.Form):
    user = forms.ChoiceField(label=_("Member of staff"))
    team = forms.ChoiceField(label=_("Team"))
    job_role = forms.ChoiceField(label=_("Job role"), choices=JobRole.choices)
    line_manager = forms.ChoiceField(label=_("Line manager"), required=False)
    started_on = GovUKDateField(label=_("Start date"), allow_future=True)
    contract_kind = forms.ChoiceField(label=_("Kind of contract"), choices=[])
    fte = forms.DecimalField(
        label=_("FTE"),
        help_text=_("Full-time equivalent, more than 0 and no more than 1, like 0.8"),
        max_digits=4,
        decimal_places=2,
    )
    scw_number = forms.CharField(label=_("Social Care Wales registration number"), max_length=20)
    scw_renewal_on = GovUKDateField(
        label=_("Registration renewal date"), allow_future=True, required=False
    )
    first_year_until = GovUKDateField(
        label=_("Newly qualified until"),
        allow_future=True,
        required=False,
        help_text=_("The last day of the worker's first year in practice, if they are in it."),
    )

    def __init__(
        self,
        *args: Any,
        staff: Sequence[User],
        teams: Sequence[Team],
        managers: Sequence[User],
        **kwargs: Any,
    ) -> None:
        from diogelu.oversight.models import ContractKind

        super().__init__(*args, **kwargs)
        self.staff = {str(u.pk): u for u in staff}
        self.teams = {str(t.pk): t for t in teams}
        self.managers = {str(u.pk): u for u in managers}
        cast(forms.ChoiceField, self.fields["user"]).choices = [
            ("", _("Choose a member of staff")),
            *((k, _name(u)) for k, u in self.staff.items()),
        ]
        cast(forms.ChoiceField, self.fields["team"]).choices = [
            ("", _("Choose a team")),
            *((k, t.name) for k, t in self.teams.items()),
        ]
        cast(forms.ChoiceField, self.fields["line_manager"]).choices = [
            ("", _("None")),
            *((k, _name(u)) for k, u in self.managers.items()),
        ]
        cast(forms.ChoiceField, self.fields["contract_kind"]).choices = ContractKind.choices

    def field_for(self, name: str | None) -> str | None:
        return name if name in self.fields else None


class PostForm(forms.Form):
    title = forms.CharField(label=_("Post title"), max_length=200)
    fte = forms.DecimalField(label=_("FTE"), max_digits=4, decimal_places=2)
    established_on = GovUKDateField(label=_("Established on"), allow_future=True)


class FillPostForm(forms.Form):
    """A vacant post filled: who, as an appointment or agency cover, from when."""

    worker = forms.ChoiceField(label=_("Who fills the post"))
    kind = forms.ChoiceField(
        label=_("Appointment"),
        help_text=_("The kind of the worker's contract on the first day"),
        widget=forms.RadioSelect,
    )
    starts_on = GovUKDateField(label=_("First day in the post"), allow_future=True)

    def __init__(self, *args: Any, workers: Sequence[Any], **kwargs: Any) -> None:
        from diogelu.oversight.models import ContractKind

        super().__init__(*args, **kwargs)
        self.workers = {str(w.pk): w for w in workers}
        cast(forms.ChoiceField, self.fields["worker"]).choices = [("", _("Choose a worker"))] + [
            (str(w.pk), f"{w.user.get_full_name()} ({w.get_job_role_display()})") for w in workers
        ]
        cast(forms.ChoiceField, self.fields["kind"]).choices = list(ContractKind.choices)


class WeightingForm(forms.Form):
    """Points per case state and the ceilings: saving makes a new version of the table."""

    ceiling = forms.IntegerField(
        label=_("Ceiling per full-time worker"), min_value=1, max_value=500
    )
    first_year_ceiling = forms.IntegerField(
        label=_("Ceiling in the first year in practice"), min_value=1, max_value=500
    )
    note = forms.CharField(label=_("Why it changes"), max_length=500)

    def __init__(self, *args: Any, labels: dict[str, Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for state, label in labels.items():
            self.fields[f"p_{state}"] = forms.IntegerField(label=label, min_value=0, max_value=100)
        self.states = list(labels)

    def points(self) -> dict[str, int]:
        return {s: int(self.cleaned_data[f"p_{s}"]) for s in self.states}

    def field_for(self, name: str | None) -> str | None:
        if name == "points":
            return f"p_{self.states[0]}"
        return name if name in self.fields else None


class AmendSupervisionForm(forms.Form):
    expected_version = forms.IntegerField(widget=forms.HiddenInput)
    wellbeing = forms.CharField(
        label=_("Wellbeing"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=20_000,
    )
    workload = forms.CharField(
        label=_("Workload"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=20_000,
    )
    learning = forms.CharField(
        label=_("Learning and development"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=20_000,
    )

    def __init__(
        self, *args: Any, children: Sequence[Any], reflective: bool, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.children = list(children)
        if not reflective:
            for name in ("wellbeing", "workload", "learning"):
                del self.fields[name]
        for c in self.children:
            self.fields[f"d{c.pk}"] = forms.CharField(
                label=_("Decisions about %(name)s") % {"name": c.person.full_name},
                widget=forms.Textarea(attrs={"rows": 3}),
                max_length=20_000,
                required=False,
            )

    def decisions(self) -> dict[int, str]:
        return {c.person_id: self.cleaned_data[f"d{c.pk}"] for c in self.children}

    def field_for(self, name: str | None) -> str | None:
        if name and name.startswith("children."):
            return f"d{name.split('.')[1]}"
        return name if name in self.fields else None
