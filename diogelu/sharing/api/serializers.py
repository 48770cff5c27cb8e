"""The sharing API's representations: information requests and answers, outcomes."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from diogelu.api.fields import (
    MAX_TEXT,
    AgencyRefSerializer,
    ModelSerializer,
    is_overdue,
    name_of,
    optional_text,
)
from diogelu.referrals.models import (
    LawfulBasis,
    ReportChild,
    YesNoUnknown,
)
from diogelu.referrals.services import CHILD_FIELDS as REPORT_CHILD_FIELDS
from diogelu.sharing.models import (
    AnswerVersion,
    InformationAnswer,
    InformationRequest,
    OutcomeNotification,
    Priority,
    RequestStatus,
)
from diogelu.sharing.services import RISK_INDICATORS

CHILD_FIELDS = list(REPORT_CHILD_FIELDS)


#: The procedures rule of an outcome's ``acknowledge_by`` (``sharing.services.outcomes._share``).
ACKNOWLEDGE_RULE = "outcome.acknowledge"


class OutcomeSerializer(ModelSerializer[OutcomeNotification]):
    url = serializers.SerializerMethodField()
    report_reference = serializers.CharField(source="report.reference", read_only=True)
    source_label = serializers.CharField(source="get_source_display", read_only=True)
    title = serializers.CharField(
        source="reader_title", read_only=True, help_text="In the caller's language."
    )
    content = serializers.CharField(
        source="reader_content", read_only=True, help_text="In the caller's language."
    )
    acknowledged_by = serializers.SerializerMethodField()
    overdue = serializers.SerializerMethodField()
    due_rule = serializers.SerializerMethodField(
        help_text="The procedures rule `acknowledge_by` comes from (`outcome.acknowledge`)."
    )

    class Meta:
        model = OutcomeNotification
        fields = [
            "id",
            "url",
            "report_id",
            "report_reference",
            "source",
            "source_label",
            "recipient_label",
            "is_reporter",
            "title",
            "content",
            "lawful_basis",
            "shared_at",
            "acknowledge_by",
            "due_rule",
            "due_rule_version",
            "acknowledged_at",
            "acknowledged_by",
            "overdue",
        ]
        read_only_fields = fields

    def get_url(self, obj: OutcomeNotification) -> str:
        return f"/api/v1/outcomes/{obj.pk}/"

    def get_due_rule(self, obj: OutcomeNotification) -> str:
        return ACKNOWLEDGE_RULE

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_acknowledged_by(self, obj: OutcomeNotification) -> str | None:
        return name_of(obj.acknowledged_by)

    def get_overdue(self, obj: OutcomeNotification) -> bool:
        return is_overdue(obj.acknowledge_by, obj.acknowledged_at is not None)


class RequestSummarySerializer(ModelSerializer[InformationRequest]):
    agency = AgencyRefSerializer(read_only=True)
    has_answer = serializers.SerializerMethodField()

    class Meta:
        model = InformationRequest
        fields = ["id", "child_id", "agency", "priority", "status", "due_at", "has_answer"]
        read_only_fields = fields

    def get_has_answer(self, obj: InformationRequest) -> bool:
        return hasattr(obj, "answer")


# --- Information requests ------------------------------------------------------------------------


class AcknowledgeOutcomesInputSerializer(serializers.Serializer[dict[str, Any]]):
    outcome_ids = serializers.ListField(
        child=serializers.IntegerField(min_value=1),
        min_length=1,
        max_length=100,
        help_text="The outcomes you have read (up to 100), all acknowledged or none.",
    )


class AcknowledgedOutcomesSerializer(serializers.Serializer[Any]):
    acknowledged = OutcomeSerializer(many=True)


class RequestInputSerializer(serializers.Serializer[dict[str, Any]]):
    child_id = serializers.IntegerField()
    agency_id = serializers.IntegerField()
    priority = serializers.ChoiceField(choices=Priority.choices)
    question = serializers.CharField(max_length=MAX_TEXT, min_length=5)
    lawful_basis = serializers.ChoiceField(
        choices=LawfulBasis.choices, default=LawfulBasis.SAFEGUARDING
    )


class AnswerInputSerializer(serializers.Serializer[dict[str, Any]]):
    holds_information = serializers.BooleanField(
        help_text="False says your agency holds nothing about the child."
    )
    summary = optional_text(
        help_text="What your agency holds (required when it holds information)."
    )
    known_to_agency = serializers.ChoiceField(
        choices=YesNoUnknown.choices, required=False, allow_blank=True
    )
    last_contact_on = serializers.DateField(required=False, allow_null=True)
    current_concerns = optional_text()
    risk_indicators = serializers.ListField(
        child=serializers.ChoiceField(choices=[(r, r) for r in RISK_INDICATORS]),
        required=False,
        max_length=len(RISK_INDICATORS),
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if attrs["holds_information"] and len(attrs.get("summary", "")) < 5:
            raise serializers.ValidationError({"summary": ["Enter what your agency holds"]})
        return attrs


class AmendAnswerInputSerializer(AnswerInputSerializer):
    reason = serializers.CharField(
        max_length=2000, help_text="Why the answer is amended (kept with the new version)."
    )


class AnswerVersionSerializer(ModelSerializer[AnswerVersion]):
    """An earlier version of an answer, kept when it was amended (the first is always kept)."""

    answered_by = serializers.SerializerMethodField()

    class Meta:
        model = AnswerVersion
        fields = [
            "number",
            "answered_at",
            "answered_by",
            "holds_information",
            "summary",
            "known_to_agency",
            "last_contact_on",
            "current_concerns",
            "risk_indicators",
            "replaced_at",
        ]
        read_only_fields = fields

    def get_answered_by(self, obj: AnswerVersion) -> str:
        return str(obj.answered_by)


class AnswerSerializer(ModelSerializer[InformationAnswer]):
    answered_by = serializers.SerializerMethodField()
    amended_by = serializers.SerializerMethodField()
    amendment_reason = serializers.CharField(read_only=True, allow_null=True)
    earlier_versions = serializers.SerializerMethodField()

    class Meta:
        model = InformationAnswer
        fields = [
            "answered_at",
            "answered_by",
            "holds_information",
            "summary",
            "known_to_agency",
            "last_contact_on",
            "current_concerns",
            "risk_indicators",
            "amended_at",
            "amended_by",
            "amendment_reason",
            "earlier_versions",
        ]
        read_only_fields = fields

    def get_answered_by(self, obj: InformationAnswer) -> str:
        return str(obj.answered_by)

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_amended_by(self, obj: InformationAnswer) -> str | None:
        return str(obj.amended_by) if obj.amended_by_id else None

    @extend_schema_field(AnswerVersionSerializer(many=True))
    def get_earlier_versions(self, obj: InformationAnswer) -> Any:
        """The versions this answer replaced, oldest first (empty until it is amended)."""
        prefetched = getattr(obj, "_prefetched_objects_cache", {}).get("versions")
        if prefetched is not None:  # a list's page read them all at once
            versions: Any = sorted(prefetched, key=lambda v: v.number)
        else:
            versions = obj.versions.select_related("answered_by").order_by("number")
        return AnswerVersionSerializer(versions, many=True).data

    def to_representation(self, instance: InformationAnswer) -> dict[str, Any]:
        data: dict[str, Any] = super().to_representation(instance)
        data["amendment_reason"] = data["amendment_reason"] or None
        return data


class RequestChildSerializer(ModelSerializer[ReportChild]):
    """The child's identity as the report gave it: all an asked agency sees of the child."""

    display_name = serializers.CharField(read_only=True)

    class Meta:
        model = ReportChild
        fields = ["display_name", *CHILD_FIELDS]
        read_only_fields = fields


class InformationRequestSerializer(ModelSerializer[InformationRequest]):
    url = serializers.SerializerMethodField()
    child = RequestChildSerializer(read_only=True)
    agency = AgencyRefSerializer(read_only=True)
    priority_label = serializers.CharField(source="get_priority_display", read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    overdue = serializers.SerializerMethodField()
    report_id = serializers.SerializerMethodField()
    child_id = serializers.SerializerMethodField()
    answer = serializers.SerializerMethodField()

    class Meta:
        model = InformationRequest
        fields = [
            "id",
            "url",
            "report_id",
            "child_id",
            "child",
            "agency",
            "question",
            "priority",
            "priority_label",
            "lawful_basis",
            "requested_at",
            "due_at",
            "due_rule",
            "due_rule_version",
            "overdue",
            "status",
            "status_label",
            "answer",
        ]
        read_only_fields = fields

    def get_url(self, obj: InformationRequest) -> str:
        return f"/api/v1/requests/{obj.pk}/"

    def get_overdue(self, obj: InformationRequest) -> bool:
        return is_overdue(obj.due_at, obj.status != RequestStatus.OPEN)

    @extend_schema_field(serializers.IntegerField(allow_null=True))
    def get_report_id(self, obj: InformationRequest) -> int | None:
        """The report (local authority only: an asked agency sees the child and the question)."""
        return obj.report_id if self.context.get("la_view") else None

    @extend_schema_field(serializers.IntegerField(allow_null=True))
    def get_child_id(self, obj: InformationRequest) -> int | None:
        return obj.child_id if self.context.get("la_view") else None

    @extend_schema_field(AnswerSerializer(allow_null=True))
    def get_answer(self, obj: InformationRequest) -> Any:
        answer = getattr(obj, "answer", None)
        return AnswerSerializer(answer).data if answer is not None else None
