"""The referrals API's representations: reports (made and sent in one call), intake, the decision.

Input serializers validate at the edge; services do the rest.
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from diogelu.api.fields import (
    MAX_TEXT,
    AgencyRefSerializer,
    ExpectedVersionMixin,
    ModelSerializer,
    PlausibleDateTimeField,
    UserRefSerializer,
    is_overdue,
    name_of,
    optional_text,
    rule_version,
)
from diogelu.core.exceptions import DomainError, InvalidAnswersError
from diogelu.people.models import Sex
from diogelu.referrals import services as referral_services
from diogelu.referrals.api.parts import ContributedList
from diogelu.referrals.models import (
    Category,
    Channel,
    Decision,
    Flag,
    LawfulBasis,
    Outcome,
    Report,
    ReportChild,
    ReporterKind,
    ReturnedDecision,
    YesNoUnknown,
)
from diogelu.referrals.services import clean_child

# --- Reports: input ------------------------------------------------------------------------------

CHILD_FIELDS = list(referral_services.CHILD_FIELDS)


class ReportChildInputSerializer(serializers.Serializer[dict[str, Any]]):
    """What the report maker knows of one child (an unborn child: ``is_unborn`` and the
    expected date of birth)."""

    given_name = optional_text(100)
    family_name = optional_text(100)
    date_of_birth = serializers.DateField(required=False, allow_null=True)
    is_unborn = serializers.BooleanField(default=False)
    expected_date_of_birth = serializers.DateField(required=False, allow_null=True)
    sex = serializers.ChoiceField(choices=Sex.choices, required=False, allow_blank=True)
    address = optional_text(300)
    postcode = optional_text(10)
    school = optional_text(200)
    nhs_number = optional_text(14)
    upn = optional_text(16)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        try:
            return clean_child(attrs)
        except InvalidAnswersError as exc:
            raise serializers.ValidationError(exc.errors) from None
        except DomainError as exc:
            raise serializers.ValidationError(
                {exc.field or "non_field_errors": [exc.message]}
            ) from None


class ReportAnswersSerializer(serializers.Serializer[dict[str, Any]]):
    """The answers of a report; which are required to send it is decided by the service."""

    what_happened = optional_text(help_text="What happened, in the reporter's words")
    child_words = optional_text(help_text="What the child said, in their words")
    categories = serializers.ListField(
        child=serializers.ChoiceField(choices=Category.choices), required=False, max_length=10
    )
    flags = serializers.ListField(
        child=serializers.ChoiceField(choices=Flag.choices), required=False, max_length=20
    )
    immediate_danger = serializers.ChoiceField(
        choices=YesNoUnknown.choices, required=False, allow_blank=True
    )
    police_called = serializers.ChoiceField(
        choices=YesNoUnknown.choices, required=False, allow_blank=True
    )
    police_reference = optional_text(60)
    who_else_knows = optional_text()
    family_aware = serializers.ChoiceField(
        choices=YesNoUnknown.choices, required=False, allow_blank=True
    )
    lawful_basis = serializers.ChoiceField(
        choices=LawfulBasis.choices,
        required=False,
        allow_blank=True,
        help_text="The basis for sharing; consent is not required to share for safeguarding.",
    )
    lawful_basis_note = optional_text()
    reporter_kind = serializers.ChoiceField(choices=ReporterKind.choices, required=False)
    reporter_name = optional_text(200)
    reporter_contact = optional_text(200)


class ReportCreateSerializer(ReportAnswersSerializer):
    """A report with its children and answers, sent at once (or kept as a draft)."""

    authority_id = serializers.IntegerField(
        required=False,
        help_text="The local authority the report goes to. Defaults to your own authority (local "
        "authority staff) or the one authority your agency works with.",
    )
    channel = serializers.ChoiceField(
        choices=Channel.choices,
        required=False,
        help_text="How the report was made: API (the default) for agency systems; local authority "
        "staff also record PHONE, EMAIL and IN_PERSON reports.",
    )
    received_at = PlausibleDateTimeField(
        required=False,
        allow_null=True,
        help_text="Local authority staff only: when a phone report was received (last 30 days).",
    )
    children = ReportChildInputSerializer(many=True, required=False, max_length=12)  # type: ignore[call-arg]
    draft = serializers.BooleanField(
        default=False, help_text="True keeps the report as a draft instead of sending it."
    )


class ReportDraftUpdateSerializer(ExpectedVersionMixin, ReportAnswersSerializer):
    """Changes to a draft: some answers, and (when given) the children in place of those named."""

    received_at = PlausibleDateTimeField(required=False, allow_null=True)
    children = ReportChildInputSerializer(many=True, required=False, max_length=12)  # type: ignore[call-arg]


# --- Reports: output -----------------------------------------------------------------------------


class ReportChildSerializer(ModelSerializer[ReportChild]):
    display_name = serializers.CharField(read_only=True)
    person_id = serializers.SerializerMethodField()

    class Meta:
        model = ReportChild
        fields = ["id", "display_name", *CHILD_FIELDS, "person_id", "linked_at"]
        read_only_fields = fields

    @extend_schema_field(serializers.IntegerField(allow_null=True))
    def get_person_id(self, obj: ReportChild) -> int | None:
        """The person the MASH linked the child to (shown to the local authority only)."""
        return obj.person_id if self.context.get("la_view") else None


class DecisionSerializer(ModelSerializer[Decision]):
    outcome_label = serializers.CharField(source="get_outcome_display", read_only=True)
    decided_by = serializers.SerializerMethodField()
    authorised_by = serializers.SerializerMethodField()
    is_final = serializers.BooleanField(read_only=True)

    class Meta:
        model = Decision
        fields = [
            "id",
            "outcome",
            "outcome_label",
            "rationale",
            "decided_by",
            "decided_at",
            "needs_authorisation",
            "authorised_by",
            "authorised_at",
            "authorisation_note",
            "is_final",
        ]
        read_only_fields = fields

    def get_decided_by(self, obj: Decision) -> str:
        return str(obj.decided_by)

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_authorised_by(self, obj: Decision) -> str | None:
        return name_of(obj.authorised_by)


class ReportListSerializer(ModelSerializer[Report]):
    url = serializers.SerializerMethodField()
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    decision_overdue = serializers.SerializerMethodField()
    due_rule = serializers.SerializerMethodField()
    due_rule_version = serializers.SerializerMethodField()
    children = serializers.SerializerMethodField()

    class Meta:
        model = Report
        fields = [
            "id",
            "url",
            "reference",
            "status",
            "status_label",
            "channel",
            "received_at",
            "decision_due_at",
            "due_rule",
            "due_rule_version",
            "decision_overdue",
            "children",
            "created_at",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_due_rule(self, obj: Report) -> str | None:
        """The procedures rule ``decision_due_at`` comes from (once the report is received)."""
        return "report.decision" if obj.decision_due_at is not None else None

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_due_rule_version(self, obj: Report) -> str | None:
        return rule_version(obj.due_rule_version)

    def get_url(self, obj: Report) -> str:
        return f"/api/v1/reports/{obj.pk}/"

    def get_decision_overdue(self, obj: Report) -> bool:
        decision = getattr(obj, "decision", None)
        return is_overdue(obj.decision_due_at, decision is not None and decision.is_final)

    def get_children(self, obj: Report) -> list[str]:
        return [c.display_name for c in obj.children.all()]


class ReportSerializer(ReportListSerializer):
    """A report as the caller may see it: its maker sees their report, its progress and the
    outcomes meant for them; the local authority also sees the MASH's work on it."""

    children = serializers.SerializerMethodField(method_name="get_children_detail")
    authority = AgencyRefSerializer(read_only=True)
    reporter_agency = AgencyRefSerializer(read_only=True, allow_null=True)
    # The MASH's work on the report, contributed by sharing and enquiries (ADR 0770): the
    # outcomes meant for the caller (for the local authority: every outcome shared), and for the
    # local authority only, the information requests and the enquiries.
    outcomes = ContributedList("outcomes")
    decision = serializers.SerializerMethodField()
    requests = ContributedList("requests", la_only=True)
    strategy_discussions = serializers.SerializerMethodField()
    enquiries = ContributedList("enquiries", la_only=True)

    class Meta:
        model = Report
        fields = [
            "id",
            "url",
            "reference",
            "version",
            "status",
            "status_label",
            "authority",
            "channel",
            "reporter_kind",
            "reporter_agency",
            "reporter_name",
            "reporter_contact",
            "received_at",
            "decision_due_at",
            "due_rule",
            "due_rule_version",
            "decision_overdue",
            "confirmation_due_at",
            "confirmation_received_at",
            "what_happened",
            "child_words",
            "categories",
            "flags",
            "immediate_danger",
            "police_called",
            "police_reference",
            "who_else_knows",
            "family_aware",
            "lawful_basis",
            "lawful_basis_note",
            "children",
            "decision",
            "requests",
            "strategy_discussions",
            "enquiries",
            "outcomes",
            "closed_at",
            "created_at",
        ]
        read_only_fields = fields

    def _la(self) -> bool:
        return bool(self.context.get("la_view"))

    @extend_schema_field(ReportChildSerializer(many=True))
    def get_children_detail(self, obj: Report) -> Any:
        return ReportChildSerializer(obj.children.all(), many=True, context=self.context).data

    @extend_schema_field(DecisionSerializer(allow_null=True))
    def get_decision(self, obj: Report) -> Any:
        decision = getattr(obj, "decision", None)
        if decision is None or not self._la():
            return None
        return DecisionSerializer(decision).data

    @extend_schema_field(serializers.ListField(child=serializers.IntegerField()))
    def get_strategy_discussions(self, obj: Report) -> list[int]:
        if not self._la():
            return []
        return list(obj.strategy_discussions.order_by("held_at").values_list("pk", flat=True))


# --- Intake --------------------------------------------------------------------------------------


class LinkChildSerializer(serializers.Serializer[dict[str, Any]]):
    person_id = serializers.IntegerField(required=False, allow_null=True)
    create_new = serializers.BooleanField(default=False)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if bool(attrs.get("person_id")) == bool(attrs.get("create_new")):
            raise serializers.ValidationError(
                "Give either person_id (an existing person) or create_new: true"
            )
        return attrs


class LinkResultSerializer(serializers.Serializer[Any]):
    child = ReportChildSerializer()
    person_id = serializers.IntegerField()
    created = serializers.BooleanField()


class CandidateSerializer(serializers.Serializer[Any]):
    person_id = serializers.IntegerField()
    la_reference = serializers.CharField()
    full_name = serializers.CharField()
    date_of_birth = serializers.DateField(allow_null=True)
    score = serializers.FloatField()
    reasons = serializers.ListField(child=serializers.CharField())


class ChildCandidatesSerializer(serializers.Serializer[Any]):
    child = ReportChildSerializer()
    candidates = CandidateSerializer(many=True)


# --- Decision and closing ------------------------------------------------------------------------


class DecisionInputSerializer(serializers.Serializer[dict[str, Any]]):
    outcome = serializers.ChoiceField(choices=Outcome.choices)
    rationale = serializers.CharField(max_length=MAX_TEXT, min_length=10)


class AuthoriseInputSerializer(serializers.Serializer[dict[str, Any]]):
    note = optional_text()


class ReturnDecisionInputSerializer(serializers.Serializer[dict[str, Any]]):
    reason = serializers.CharField(
        max_length=MAX_TEXT, help_text="Why the decision goes back (at least 10 characters)."
    )


class ReturnedDecisionSerializer(ModelSerializer[ReturnedDecision]):
    """A proposed decision a manager returned, kept with the reason."""

    decided_by = UserRefSerializer(read_only=True)
    returned_by = UserRefSerializer(read_only=True)

    class Meta:
        model = ReturnedDecision
        fields = [
            "id",
            "report_id",
            "outcome",
            "rationale",
            "decided_by",
            "decided_at",
            "returned_by",
            "returned_at",
            "reason",
        ]
        read_only_fields = fields


class CloseInputSerializer(ExpectedVersionMixin):
    note = optional_text()
