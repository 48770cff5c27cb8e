"""Serializers for the oversight API: workforce measures, caseloads, supervision, allocations."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from diogelu.oversight.models import (
    AllocationReason,
    CaseStage,
    PracticeStep,
    Supervision,
    SupervisionAction,
    SupervisionChild,
    SupervisionKind,
)


class MeasuresSerializer(serializers.Serializer[Any]):
    team_id = serializers.IntegerField(allow_null=True, help_text="Null for the whole authority")
    headcount = serializers.IntegerField()
    fte = serializers.DecimalField(max_digits=8, decimal_places=2)
    agency_headcount = serializers.IntegerField()
    agency_fte = serializers.DecimalField(max_digits=8, decimal_places=2)
    agency_rate_fte = serializers.DecimalField(max_digits=5, decimal_places=1, allow_null=True)
    agency_rate_headcount = serializers.DecimalField(
        max_digits=5, decimal_places=1, allow_null=True
    )
    established_fte = serializers.DecimalField(max_digits=8, decimal_places=2)
    vacant_fte = serializers.DecimalField(max_digits=8, decimal_places=2)
    vacancy_rate = serializers.DecimalField(max_digits=5, decimal_places=1, allow_null=True)
    starters = serializers.IntegerField()
    leavers = serializers.IntegerField()
    turnover = serializers.DecimalField(max_digits=5, decimal_places=1, allow_null=True)
    absence_days = serializers.IntegerField()
    absence_days_per_fte = serializers.DecimalField(max_digits=8, decimal_places=1, allow_null=True)
    registrations_lapsing = serializers.IntegerField()


class WorkforceSerializer(serializers.Serializer[Any]):
    start = serializers.DateField()
    end = serializers.DateField()
    teams = MeasuresSerializer(many=True)
    authority = MeasuresSerializer()


class CaseloadSerializer(serializers.Serializer[Any]):
    worker_id = serializers.IntegerField(help_text="The worker record's id")
    user_id = serializers.IntegerField()
    name = serializers.CharField()
    team_id = serializers.IntegerField()
    fte = serializers.DecimalField(max_digits=3, decimal_places=2)
    first_year = serializers.BooleanField()
    children = serializers.IntegerField()
    points = serializers.IntegerField()
    ceiling = serializers.IntegerField()
    over_ceiling = serializers.BooleanField()


class SupervisionChildSerializer(serializers.ModelSerializer[SupervisionChild]):
    person_id = serializers.IntegerField()

    class Meta:
        model = SupervisionChild
        fields = ["person_id", "risk", "lived_experience", "plan_progress", "drift", "decisions"]


class SupervisionActionSerializer(serializers.ModelSerializer[SupervisionAction]):
    person_id = serializers.IntegerField(allow_null=True)
    owner_id = serializers.IntegerField()
    done_at = serializers.DateTimeField(allow_null=True)

    class Meta:
        model = SupervisionAction
        fields = ["id", "step", "description", "person_id", "owner_id", "due_on", "done_at"]


class SupervisionSerializer(serializers.ModelSerializer[Supervision]):
    worker_id = serializers.IntegerField()
    supervisor_id = serializers.IntegerField()
    children = SupervisionChildSerializer(many=True)
    actions = SupervisionActionSerializer(many=True)

    class Meta:
        model = Supervision
        fields = [
            "id",
            "kind",
            "held_on",
            "worker_id",
            "supervisor_id",
            "wellbeing",
            "workload",
            "learning",
            "children",
            "actions",
            "version",
        ]


class ChildInSerializer(serializers.Serializer[Any]):
    person_id = serializers.IntegerField()
    decisions = serializers.CharField(max_length=20_000)
    risk = serializers.CharField(max_length=20_000, required=False, default="", allow_blank=True)
    lived_experience = serializers.CharField(
        max_length=20_000, required=False, default="", allow_blank=True
    )
    plan_progress = serializers.CharField(
        max_length=20_000, required=False, default="", allow_blank=True
    )
    drift = serializers.CharField(max_length=20_000, required=False, default="", allow_blank=True)


class ActionInSerializer(serializers.Serializer[Any]):
    step = serializers.ChoiceField(choices=PracticeStep.choices)
    description = serializers.CharField(max_length=500)
    owner_id = serializers.IntegerField()
    due_on = serializers.DateField()
    person_id = serializers.IntegerField(required=False, allow_null=True, default=None)


class SupervisionInSerializer(serializers.Serializer[Any]):
    kind = serializers.ChoiceField(choices=SupervisionKind.choices)
    worker_id = serializers.IntegerField()
    held_on = serializers.DateField()
    children = ChildInSerializer(many=True, required=False, default=list)
    actions = ActionInSerializer(many=True, required=False, default=list)
    wellbeing = serializers.CharField(
        max_length=20_000, required=False, default="", allow_blank=True
    )
    workload = serializers.CharField(
        max_length=20_000, required=False, default="", allow_blank=True
    )
    learning = serializers.CharField(
        max_length=20_000, required=False, default="", allow_blank=True
    )


class AllocationInSerializer(serializers.Serializer[Any]):
    person_id = serializers.IntegerField()
    worker_id = serializers.IntegerField(
        allow_null=True, help_text="The worker's user id; null leaves the child unallocated"
    )
    team_id = serializers.IntegerField()
    reason = serializers.ChoiceField(choices=AllocationReason.choices)
    stage = serializers.ChoiceField(
        choices=CaseStage.choices, required=False, allow_null=True, default=None
    )
    note = serializers.CharField(max_length=20_000, required=False, default="", allow_blank=True)
    expected_version = serializers.IntegerField(
        required=False,
        allow_null=True,
        default=None,
        help_text="The case's version you saw (null when the child was not open)",
    )


class AllocationSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    case_id = serializers.IntegerField()
    case_version = serializers.IntegerField()
    person_id = serializers.IntegerField()
    worker_id = serializers.IntegerField(allow_null=True)
    previous_worker_id = serializers.IntegerField(allow_null=True)
    team_id = serializers.IntegerField()
    reason = serializers.CharField()
    started_at = serializers.DateTimeField()
