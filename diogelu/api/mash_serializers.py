"""API representations of the MASH workflow: reports, requests, decisions, strategy discussions,
section 47 enquiries and outcomes. Input serializers check types and choices at the edge; the
services in ``referrals``, ``sharing`` and ``enquiries`` apply the practice rules."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from diogelu.accounts.models import User
from diogelu.core.exceptions import DomainError
from diogelu.enquiries.models import (
    Determination,
    Medium,
    S47Kind,
    Section47Enquiry,
    StrategyDiscussion,
    StrategyKind,
)
from diogelu.people.models import Sex
from diogelu.referrals import services as referral_services
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
    YesNoUnknown,
)
from diogelu.referrals.services import clean_child
from diogelu.sharing.models import (
    InformationAnswer,
    InformationRequest,
    OutcomeNotification,
    Priority,
    RequestStatus,
)
from diogelu.sharing.services import RISK_INDICATORS

MAX_TEXT = 20_000

# --- Shared pieces -------------------------------------------------------------------------------


def _name(user: User | None) -> str | None:
    return str(user) if user is not None else None


def _overdue(due: datetime.datetime | None, done: bool) -> bool:
    return bool(due is not None and not done and due < timezone.now())


class AgencyRefSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    name = serializers.CharField()
    kind = serializers.CharField()


class UserRefSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    name = serializers.CharField(source="__str__")


def _text(max_length: int = MAX_TEXT, **kw: Any) -> serializers.CharField:
    return serializers.CharField(
        max_length=max_length, required=False, allow_blank=True, trim_whitespace=True, **kw
    )


# --- Reports: input ------------------------------------------------------------------------------

CHILD_FIELDS = list(referral_services.CHILD_FIELDS)


class ReportChildInputSerializer(serializers.Serializer[dict[str, Any]]):
    """What the report maker knows of one child (an unborn child: ``is_unborn`` and the
    expected date of birth)."""

    given_name = _text(100)
    family_name = _text(100)
    date_of_birth = serializers.DateField(required=False, allow_null=True)
    is_unborn = serializers.BooleanField(default=False)
    expected_date_of_birth = serializers.DateField(required=False, allow_null=True)
    sex = serializers.ChoiceField(choices=Sex.choices, required=False, allow_blank=True)
    address = _text(300)
    postcode = _text(10)
    school = _text(200)
    nhs_number = _text(14)
    upn = _text(16)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        try:
            return clean_child(attrs)
        except DomainError as exc:
            raise serializers.ValidationError(
                {exc.field or "non_field_errors": [exc.message]}
            ) from None


class ReportAnswersSerializer(serializers.Serializer[dict[str, Any]]):
    """The answers of a report; which are required to send it is decided by the service."""

    what_happened = _text(help_text="What happened, in the reporter's words")
    child_words = _text(help_text="What the child said, in their words")
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
    police_reference = _text(60)
    who_else_knows = _text()
    family_aware = serializers.ChoiceField(
        choices=YesNoUnknown.choices, required=False, allow_blank=True
    )
    lawful_basis = serializers.ChoiceField(
        choices=LawfulBasis.choices,
        required=False,
        allow_blank=True,
        help_text="The basis for sharing; consent is not required to share for safeguarding.",
    )
    lawful_basis_note = _text()
    reporter_kind = serializers.ChoiceField(choices=ReporterKind.choices, required=False)
    reporter_name = _text(200)
    reporter_contact = _text(200)


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
    received_at = serializers.DateTimeField(
        required=False,
        allow_null=True,
        help_text="Local authority staff only: when a phone report was received (last 30 days).",
    )
    children = ReportChildInputSerializer(many=True, required=False, max_length=12)  # type: ignore[call-arg]
    draft = serializers.BooleanField(
        default=False, help_text="True keeps the report as a draft instead of sending it."
    )


class ReportDraftUpdateSerializer(ReportAnswersSerializer):
    """Changes to a draft: some answers, and (when given) the children in place of those named."""

    version = serializers.IntegerField(
        help_text="The draft's version as you read it; a stale version is 409."
    )
    received_at = serializers.DateTimeField(required=False, allow_null=True)
    children = ReportChildInputSerializer(many=True, required=False, max_length=12)  # type: ignore[call-arg]


# --- Reports: output -----------------------------------------------------------------------------


class ReportChildSerializer(serializers.ModelSerializer[ReportChild]):
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


class DecisionSerializer(serializers.ModelSerializer[Decision]):
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
        return _name(obj.authorised_by)


class OutcomeSerializer(serializers.ModelSerializer[OutcomeNotification]):
    url = serializers.SerializerMethodField()
    report_reference = serializers.CharField(source="report.reference", read_only=True)
    source_label = serializers.CharField(source="get_source_display", read_only=True)
    acknowledged_by = serializers.SerializerMethodField()
    overdue = serializers.SerializerMethodField()

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
            "acknowledged_at",
            "acknowledged_by",
            "overdue",
        ]
        read_only_fields = fields

    def get_url(self, obj: OutcomeNotification) -> str:
        return f"/api/v1/outcomes/{obj.pk}/"

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_acknowledged_by(self, obj: OutcomeNotification) -> str | None:
        return _name(obj.acknowledged_by)

    def get_overdue(self, obj: OutcomeNotification) -> bool:
        return _overdue(obj.acknowledge_by, obj.acknowledged_at is not None)


class ReportListSerializer(serializers.ModelSerializer[Report]):
    url = serializers.SerializerMethodField()
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    decision_overdue = serializers.SerializerMethodField()
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
            "decision_overdue",
            "children",
            "created_at",
        ]
        read_only_fields = fields

    def get_url(self, obj: Report) -> str:
        return f"/api/v1/reports/{obj.pk}/"

    def get_decision_overdue(self, obj: Report) -> bool:
        decision = getattr(obj, "decision", None)
        return _overdue(obj.decision_due_at, decision is not None and decision.is_final)

    def get_children(self, obj: Report) -> list[str]:
        return [c.display_name for c in obj.children.all()]


class RequestSummarySerializer(serializers.ModelSerializer[InformationRequest]):
    agency = AgencyRefSerializer(read_only=True)
    has_answer = serializers.SerializerMethodField()

    class Meta:
        model = InformationRequest
        fields = ["id", "child_id", "agency", "priority", "status", "due_at", "has_answer"]
        read_only_fields = fields

    def get_has_answer(self, obj: InformationRequest) -> bool:
        return hasattr(obj, "answer")


class EnquirySummarySerializer(serializers.ModelSerializer[Section47Enquiry]):
    class Meta:
        model = Section47Enquiry
        fields = ["id", "person_id", "kind", "due_at", "determination", "conference_due_at"]
        read_only_fields = fields


class ReportSerializer(ReportListSerializer):
    """A report as the caller may see it: its maker sees their report, its progress and the
    outcomes meant for them; the local authority also sees the MASH's work on it."""

    children = serializers.SerializerMethodField(method_name="get_children_detail")
    authority = AgencyRefSerializer(read_only=True)
    reporter_agency = AgencyRefSerializer(read_only=True, allow_null=True)
    outcomes = serializers.SerializerMethodField()
    decision = serializers.SerializerMethodField()
    requests = serializers.SerializerMethodField()
    strategy_discussions = serializers.SerializerMethodField()
    enquiries = serializers.SerializerMethodField()

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

    @extend_schema_field(OutcomeSerializer(many=True))
    def get_outcomes(self, obj: Report) -> Any:
        """Outcomes meant for the caller (for the local authority: every outcome shared)."""
        outcomes = self.context.get("outcomes")
        if outcomes is None:
            return []
        return OutcomeSerializer(outcomes, many=True).data

    @extend_schema_field(DecisionSerializer(allow_null=True))
    def get_decision(self, obj: Report) -> Any:
        decision = getattr(obj, "decision", None)
        if decision is None or not self._la():
            return None
        return DecisionSerializer(decision).data

    @extend_schema_field(RequestSummarySerializer(many=True))
    def get_requests(self, obj: Report) -> Any:
        if not self._la():
            return []
        return RequestSummarySerializer(
            obj.requests.select_related("agency").order_by("pk"), many=True
        ).data

    @extend_schema_field(serializers.ListField(child=serializers.IntegerField()))
    def get_strategy_discussions(self, obj: Report) -> list[int]:
        if not self._la():
            return []
        return list(obj.strategy_discussions.order_by("held_at").values_list("pk", flat=True))

    @extend_schema_field(EnquirySummarySerializer(many=True))
    def get_enquiries(self, obj: Report) -> Any:
        if not self._la():
            return []
        return EnquirySummarySerializer(obj.enquiries.order_by("pk"), many=True).data


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
    note = _text()


class CloseInputSerializer(serializers.Serializer[dict[str, Any]]):
    version = serializers.IntegerField(
        help_text="The report's version as you read it; a stale version is 409."
    )
    note = _text()


# --- Information requests ------------------------------------------------------------------------


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
    summary = _text(help_text="What your agency holds (required when it holds information).")
    known_to_agency = serializers.ChoiceField(
        choices=YesNoUnknown.choices, required=False, allow_blank=True
    )
    last_contact_on = serializers.DateField(required=False, allow_null=True)
    current_concerns = _text()
    risk_indicators = serializers.ListField(
        child=serializers.ChoiceField(choices=[(r, r) for r in RISK_INDICATORS]),
        required=False,
        max_length=len(RISK_INDICATORS),
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if attrs["holds_information"] and len(attrs.get("summary", "")) < 5:
            raise serializers.ValidationError({"summary": ["Enter what your agency holds"]})
        return attrs


class AnswerSerializer(serializers.ModelSerializer[InformationAnswer]):
    answered_by = serializers.SerializerMethodField()

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
        ]
        read_only_fields = fields

    def get_answered_by(self, obj: InformationAnswer) -> str:
        return str(obj.answered_by)


class RequestChildSerializer(serializers.ModelSerializer[ReportChild]):
    """The child's identity as the report gave it: all an asked agency sees of the child."""

    display_name = serializers.CharField(read_only=True)

    class Meta:
        model = ReportChild
        fields = ["display_name", *CHILD_FIELDS]
        read_only_fields = fields


class InformationRequestSerializer(serializers.ModelSerializer[InformationRequest]):
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
            "overdue",
            "status",
            "status_label",
            "answer",
        ]
        read_only_fields = fields

    def get_url(self, obj: InformationRequest) -> str:
        return f"/api/v1/requests/{obj.pk}/"

    def get_overdue(self, obj: InformationRequest) -> bool:
        return _overdue(obj.due_at, obj.status != RequestStatus.OPEN)

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


# --- Strategy discussions ------------------------------------------------------------------------


class ParticipantInputSerializer(serializers.Serializer[dict[str, Any]]):
    agency_id = serializers.IntegerField()
    name = serializers.CharField(max_length=200)
    role = _text(200)
    user_id = serializers.IntegerField(required=False, allow_null=True)


class ChildDecisionInputSerializer(serializers.Serializer[dict[str, Any]]):
    child_id = serializers.IntegerField()
    s47 = serializers.ChoiceField(choices=S47Kind.choices)
    reasons = serializers.CharField(max_length=MAX_TEXT, min_length=5)
    other_actions = _text()


class ActionInputSerializer(serializers.Serializer[dict[str, Any]]):
    description = serializers.CharField(max_length=500)
    owner_agency_id = serializers.IntegerField()
    due_on = serializers.DateField()


class StrategyInputSerializer(serializers.Serializer[dict[str, Any]]):
    kind = serializers.ChoiceField(choices=StrategyKind.choices)
    medium = serializers.ChoiceField(choices=Medium.choices)
    held_at = serializers.DateTimeField()
    chair_id = serializers.IntegerField()
    information_shared = serializers.CharField(max_length=MAX_TEXT, min_length=10)
    participants = ParticipantInputSerializer(many=True, min_length=2, max_length=50)  # type: ignore[call-arg]
    child_decisions = ChildDecisionInputSerializer(many=True, min_length=1, max_length=12)  # type: ignore[call-arg]
    actions = ActionInputSerializer(many=True, required=False, max_length=50)  # type: ignore[call-arg]
    lead_social_worker_id = serializers.IntegerField(required=False, allow_null=True)


class StrategyDiscussionSerializer(serializers.ModelSerializer[StrategyDiscussion]):
    chair = UserRefSerializer(read_only=True)
    participants = serializers.SerializerMethodField()
    child_decisions = serializers.SerializerMethodField()
    actions = serializers.SerializerMethodField()

    class Meta:
        model = StrategyDiscussion
        fields = [
            "id",
            "report_id",
            "kind",
            "medium",
            "held_at",
            "chair",
            "information_shared",
            "participants",
            "child_decisions",
            "actions",
        ]
        read_only_fields = fields

    @extend_schema_field(
        serializers.ListField(child=serializers.DictField(child=serializers.CharField()))
    )
    def get_participants(self, obj: StrategyDiscussion) -> list[dict[str, Any]]:
        return [
            {"agency_id": p.agency_id, "agency": p.agency.name, "name": p.name, "role": p.role}
            for p in obj.participants.select_related("agency")
        ]

    @extend_schema_field(
        serializers.ListField(child=serializers.DictField(child=serializers.CharField()))
    )
    def get_child_decisions(self, obj: StrategyDiscussion) -> list[dict[str, Any]]:
        out = []
        for d in obj.child_decisions.select_related("child"):
            enquiry = getattr(d, "enquiry", None)
            out.append(
                {
                    "child_id": d.child_id,
                    "person_id": d.person_id,
                    "s47": d.s47,
                    "reasons": d.reasons,
                    "other_actions": d.other_actions,
                    "enquiry_id": enquiry.pk if enquiry is not None else None,
                }
            )
        return out

    @extend_schema_field(
        serializers.ListField(child=serializers.DictField(child=serializers.CharField()))
    )
    def get_actions(self, obj: StrategyDiscussion) -> list[dict[str, Any]]:
        return [
            {
                "description": a.description,
                "owner_agency_id": a.owner_agency_id,
                "owner_agency": a.owner_agency.name,
                "due_on": a.due_on.isoformat(),
            }
            for a in obj.actions.select_related("owner_agency")
        ]


# --- Section 47 enquiries ------------------------------------------------------------------------


class EnquirySerializer(serializers.ModelSerializer[Section47Enquiry]):
    child = serializers.CharField(source="decision.child.display_name", read_only=True)
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    lead_social_worker = UserRefSerializer(read_only=True)
    child_seen_by = serializers.SerializerMethodField()
    determination_label = serializers.CharField(source="get_determination_display", read_only=True)
    overdue = serializers.SerializerMethodField()
    ratified = serializers.SerializerMethodField()

    class Meta:
        model = Section47Enquiry
        fields = [
            "id",
            "report_id",
            "person_id",
            "child",
            "kind",
            "kind_label",
            "lead_social_worker",
            "started_on",
            "due_at",
            "overdue",
            "child_seen_at",
            "child_seen_by",
            "child_seen_alone",
            "child_not_seen_alone_reason",
            "child_views",
            "agency_contributions",
            "determination",
            "determination_label",
            "determination_rationale",
            "determined_at",
            "ratified",
            "ratified_at",
            "conference_due_at",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_child_seen_by(self, obj: Section47Enquiry) -> str | None:
        return _name(obj.child_seen_by)

    def get_overdue(self, obj: Section47Enquiry) -> bool:
        return _overdue(obj.due_at, obj.is_determined)

    def get_ratified(self, obj: Section47Enquiry) -> bool:
        return obj.ratified_at is not None


class ChildSeenInputSerializer(serializers.Serializer[dict[str, Any]]):
    seen_at = serializers.DateTimeField()
    seen_alone = serializers.BooleanField()
    child_views = serializers.CharField(
        max_length=MAX_TEXT, help_text="The child's wishes and feelings, in their own words"
    )
    not_alone_reason = _text(help_text="Why the child was not seen alone (required then)")


class DeterminationInputSerializer(serializers.Serializer[dict[str, Any]]):
    determination = serializers.ChoiceField(choices=Determination.choices)
    rationale = serializers.CharField(max_length=MAX_TEXT, min_length=10)
    agency_contributions = _text()
