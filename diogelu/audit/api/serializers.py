"""Serializers for the case-file audit API (read only)."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from diogelu.audit.models import (
    Audit,
    AuditAction,
    AuditStatus,
    Grade,
    ModeratedGrade,
    Programme,
    ProgrammeKind,
    ProgrammeStatus,
    SectionGrade,
    Stage,
    Stratum,
    Theme,
)


class StratumSerializer(serializers.ModelSerializer[Stratum]):
    stage = serializers.ChoiceField(choices=Stage.choices)

    class Meta:
        model = Stratum
        fields = ["team_id", "stage", "size", "population"]


class ProgrammeSerializer(serializers.ModelSerializer[Programme]):
    kind = serializers.ChoiceField(choices=ProgrammeKind.choices)
    theme = serializers.ChoiceField(choices=Theme.choices)
    status = serializers.ChoiceField(choices=ProgrammeStatus.choices)
    strata = StratumSerializer(many=True, read_only=True)
    auditor_ids = serializers.SerializerMethodField()
    moderator_ids = serializers.SerializerMethodField()
    form_id = serializers.IntegerField()
    form_version = serializers.IntegerField(source="form.version")
    seed = serializers.IntegerField(allow_null=True, help_text="The seed the sample was drawn with")

    class Meta:
        model = Programme
        fields = [
            "id",
            "version",
            "kind",
            "theme",
            "title",
            "period_start",
            "period_end",
            "due_on",
            "status",
            "form_id",
            "form_version",
            "moderation_percent",
            "seed",
            "drawn_at",
            "drawn_by_id",
            "strata",
            "auditor_ids",
            "moderator_ids",
            "summary",
        ]

    def get_auditor_ids(self, obj: Programme) -> list[int]:
        return [m.user_id for m in obj.members.all() if m.role == "AUDITOR"]

    def get_moderator_ids(self, obj: Programme) -> list[int]:
        return [m.user_id for m in obj.members.all() if m.role == "MODERATOR"]


class SectionGradeSerializer(serializers.ModelSerializer[SectionGrade]):
    section_key = serializers.CharField(source="section.key")
    grade = serializers.ChoiceField(choices=Grade.choices)

    class Meta:
        model = SectionGrade
        fields = ["section_id", "section_key", "grade", "commentary"]


class ModeratedGradeSerializer(serializers.ModelSerializer[ModeratedGrade]):
    section_id = serializers.IntegerField(allow_null=True, help_text="Null for the overall grade")
    auditor_grade = serializers.ChoiceField(choices=Grade.choices)
    grade = serializers.ChoiceField(choices=Grade.choices)
    changed = serializers.BooleanField()

    class Meta:
        model = ModeratedGrade
        fields = ["section_id", "auditor_grade", "grade", "changed", "reason"]


class AuditSerializer(serializers.ModelSerializer[Audit]):
    stage = serializers.ChoiceField(choices=Stage.choices)
    status = serializers.ChoiceField(choices=AuditStatus.choices)
    overall_grade = serializers.ChoiceField(choices=Grade.choices, allow_null=True)
    grades = serializers.SerializerMethodField()
    moderated_grades = serializers.SerializerMethodField()
    added_by_hand = serializers.BooleanField(source="is_manual")

    class Meta:
        model = Audit
        fields = [
            "id",
            "version",
            "programme_id",
            "person_id",
            "team_id",
            "stage",
            "added_by_hand",
            "added_reason",
            "worker_id",
            "auditor_id",
            "status",
            "overall_grade",
            "overall_reason",
            "summary",
            "submitted_at",
            "worker_response",
            "worker_responded_at",
            "grades",
            "moderated_grades",
        ]

    def to_representation(self, instance: Audit) -> dict[str, Any]:
        data = super().to_representation(instance)
        data["overall_grade"] = instance.overall_grade or None
        return data

    def _ready(self, obj: Audit) -> bool:
        viewer = self.context.get("viewer")
        return obj.status not in (AuditStatus.ASSIGNED, AuditStatus.IN_PROGRESS) or (
            viewer is not None and obj.auditor_id == viewer.pk
        )

    def get_grades(self, obj: Audit) -> list[dict[str, Any]]:
        if not self._ready(obj):
            return []
        rows = obj.grades.select_related("section")
        return list(SectionGradeSerializer(rows, many=True).data)

    def get_moderated_grades(self, obj: Audit) -> list[dict[str, Any]]:
        moderation = getattr(obj, "moderation", None)
        if moderation is None or moderation.completed_at is None:
            return []
        return list(ModeratedGradeSerializer(moderation.grades.all(), many=True).data)


class AuditActionSerializer(serializers.ModelSerializer[AuditAction]):
    class Meta:
        model = AuditAction
        fields = [
            "id",
            "audit_id",
            "description",
            "for_team",
            "owner_id",
            "due_on",
            "raised_at",
            "done_at",
            "done_note",
        ]


class RateSerializer(serializers.Serializer[Any]):
    section_key = serializers.CharField(allow_null=True, help_text="Null for the overall grade")
    moderated = serializers.IntegerField()
    changed = serializers.IntegerField()
    percent = serializers.IntegerField(allow_null=True)


class SectionCountsSerializer(serializers.Serializer[Any]):
    section_key = serializers.CharField(allow_null=True, help_text="Null for the overall grade")
    counts = serializers.DictField(child=serializers.IntegerField())


class AuditorSpreadSerializer(serializers.Serializer[Any]):
    auditor = serializers.CharField()
    files = serializers.IntegerField()
    mean_score = serializers.FloatField(allow_null=True)
    moderated = serializers.IntegerField()
    changed = serializers.IntegerField()


class AuditReportSerializer(serializers.Serializer[Any]):
    programme_id = serializers.IntegerField()
    files = serializers.IntegerField()
    grades = SectionCountsSerializer(many=True)
    moderation = RateSerializer(many=True)
    auditors = AuditorSpreadSerializer(many=True)
    spread = serializers.FloatField(allow_null=True)
    recurring_section_keys = serializers.ListField(child=serializers.CharField())
