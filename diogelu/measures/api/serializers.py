"""Serializers of the measures API (read only)."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers


class MeasureSerializer(serializers.Serializer[Any]):
    key = serializers.CharField()
    version = serializers.CharField()
    group = serializers.CharField()
    kind = serializers.ChoiceField(choices=["rate", "count", "average"])
    name_en = serializers.CharField()
    name_cy = serializers.CharField()
    counts_en = serializers.CharField()
    numerator_en = serializers.CharField()
    denominator_en = serializers.CharField()
    units = serializers.ListField(child=serializers.ChoiceField(choices=["child", "event"]))
    rule = serializers.CharField(allow_null=True)
    citation = serializers.CharField(source="source", help_text="Its source in DOMAIN.md §6")
    higher_is_better = serializers.BooleanField()


class FigureSerializer(serializers.Serializer[Any]):
    start = serializers.DateField()
    end = serializers.DateField()
    value = serializers.FloatField(allow_null=True, help_text="Per-child rate, count or average")
    children = serializers.IntegerField(help_text="Rows counted (one child at one event)")
    children_met = serializers.IntegerField()
    child_rate = serializers.FloatField(allow_null=True)
    events = serializers.IntegerField(help_text="Distinct events counted")
    events_met = serializers.IntegerField(help_text="Events where every child met the standard")
    event_rate = serializers.FloatField(allow_null=True)
    average = serializers.FloatField(allow_null=True)
    excluded = serializers.IntegerField()
    exclusions = serializers.DictField(child=serializers.IntegerField())


class MeasureValuesSerializer(serializers.Serializer[Any]):
    measure = MeasureSerializer()
    target = serializers.FloatField(allow_null=True)
    rag = serializers.CharField(help_text="GREEN, AMBER, RED or empty without a target")
    current = FigureSerializer()
    previous = FigureSerializer()
    trend = FigureSerializer(many=True, help_text="The twelve months to the end of the period")


class MeasureRowSerializer(serializers.Serializer[Any]):
    event_id = serializers.IntegerField()
    person_id = serializers.IntegerField(
        allow_null=True, help_text="Null when the child is not linked or not visible to you"
    )
    person_visible = serializers.BooleanField()
    at = serializers.DateTimeField()
    due = serializers.CharField(allow_null=True)
    done = serializers.DateTimeField(allow_null=True)
    met = serializers.BooleanField()
    excluded_reason = serializers.CharField(allow_blank=True)
    value = serializers.IntegerField(allow_null=True)


# --- the improvement plan (ADR 0730) ------------------------------------------------------------

RAGS = ["GREEN", "AMBER", "RED", ""]
#: named in SPECTACULAR_SETTINGS["ENUM_NAME_OVERRIDES"] (one component name each)
IMPROVEMENT_ACTION_STATUSES = ["OPEN", "COMPLETED", "WITHDRAWN"]
EVIDENCE_KINDS = ["DOCUMENT", "AUDIT", "NOTE"]


class ImprovementMilestoneSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    description = serializers.CharField()
    due_on = serializers.DateField()
    done_on = serializers.DateField(allow_null=True)


class ImprovementEvidenceSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=EVIDENCE_KINDS)
    title = serializers.CharField()
    detail = serializers.CharField(allow_blank=True)
    added_by = serializers.CharField()
    added_at = serializers.DateTimeField()


class ImprovementLinkedMeasureSerializer(serializers.Serializer[Any]):
    measure = serializers.CharField()
    name_en = serializers.CharField()
    name_cy = serializers.CharField()
    target = serializers.DecimalField(max_digits=7, decimal_places=2)
    value = serializers.FloatField(allow_null=True, help_text="Last complete quarter, per child")
    rag = serializers.ChoiceField(choices=RAGS, allow_blank=True)


class ImprovementHistorySerializer(serializers.Serializer[Any]):
    at = serializers.DateTimeField()
    by = serializers.CharField()
    what = serializers.CharField()
    detail = serializers.CharField(allow_blank=True)


class RagProposalSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    rag = serializers.ChoiceField(choices=["GREEN", "AMBER", "RED"])
    reason = serializers.CharField()
    proposed_by = serializers.CharField()
    proposed_at = serializers.DateTimeField()
    decided_at = serializers.DateTimeField(allow_null=True)
    agreed = serializers.BooleanField(allow_null=True)


class ImprovementActionSummarySerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    number = serializers.CharField()
    finding_id = serializers.IntegerField()
    description = serializers.CharField()
    description_cy = serializers.CharField(allow_blank=True)
    owner = serializers.CharField()
    partner_agency = serializers.CharField(allow_null=True)
    due_on = serializers.DateField()
    status = serializers.ChoiceField(choices=IMPROVEMENT_ACTION_STATUSES)
    completed_on = serializers.DateField(allow_null=True)
    rag = serializers.ChoiceField(choices=RAGS, allow_blank=True)
    rag_computed = serializers.BooleanField(
        help_text="True when the RAG comes from linked measures and milestones"
    )
    rag_reasons = serializers.ListField(child=serializers.CharField())
    version = serializers.IntegerField(help_text="Send it back as expected_version")


class ImprovementActionSerializer(ImprovementActionSummarySerializer):
    measures = ImprovementLinkedMeasureSerializer(many=True)
    milestones = ImprovementMilestoneSerializer(many=True)
    evidence = ImprovementEvidenceSerializer(many=True)
    proposals = RagProposalSerializer(many=True)
    history = ImprovementHistorySerializer(many=True)


class ImprovementFindingSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    number = serializers.IntegerField()
    area = serializers.CharField()
    area_cy = serializers.CharField(allow_blank=True)
    text = serializers.CharField()
    text_cy = serializers.CharField(allow_blank=True)
    actions = ImprovementActionSummarySerializer(many=True)


class CabinetReportMetaSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    inspection_id = serializers.IntegerField()
    meeting_on = serializers.DateField()
    committee = serializers.CharField()
    layout = serializers.ChoiceField(choices=["SIDE_BY_SIDE", "WELSH_FIRST", "ENGLISH_FIRST"])
    produced_by = serializers.CharField()
    produced_at = serializers.DateTimeField()


class InspectionSummarySerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    kind = serializers.CharField()
    title = serializers.CharField()
    title_cy = serializers.CharField(allow_blank=True)
    held_from = serializers.DateField()
    held_to = serializers.DateField()
    published_on = serializers.DateField(allow_null=True)
    report_url = serializers.CharField(allow_blank=True)
    lead = serializers.CharField()


class InspectionSerializer(InspectionSummarySerializer):
    findings = ImprovementFindingSerializer(many=True)
    reports = CabinetReportMetaSerializer(many=True)


class ActionProgressInputSerializer(serializers.Serializer[Any]):
    expected_version = serializers.IntegerField(min_value=0)
    note = serializers.CharField(max_length=5000)
    completed = serializers.BooleanField(default=False)
    due_on = serializers.DateField(required=False, allow_null=True)


class RagProposalInputSerializer(serializers.Serializer[Any]):
    rag = serializers.ChoiceField(choices=["GREEN", "AMBER", "RED"])
    reason = serializers.CharField(max_length=5000)


class RagDecisionInputSerializer(serializers.Serializer[Any]):
    agree = serializers.BooleanField()


class MilestoneInputSerializer(serializers.Serializer[Any]):
    description = serializers.CharField(max_length=300)
    due_on = serializers.DateField()


class EvidenceInputSerializer(serializers.Serializer[Any]):
    kind = serializers.ChoiceField(choices=EVIDENCE_KINDS)
    title = serializers.CharField(max_length=300)
    detail = serializers.CharField(max_length=5000, required=False, allow_blank=True, default="")


class LinkMeasureInputSerializer(serializers.Serializer[Any]):
    measure = serializers.CharField(max_length=60)
    target = serializers.DecimalField(max_digits=5, decimal_places=2, min_value=0, max_value=100)
