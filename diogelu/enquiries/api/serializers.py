"""The enquiries API's representations: strategy discussions and section 47 enquiries."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from diogelu.api.fields import (
    MAX_TEXT,
    ModelSerializer,
    PlausibleDateTimeField,
    UserRefSerializer,
    is_overdue,
    name_of,
    optional_text,
)
from diogelu.enquiries import access as enquiry_access
from diogelu.enquiries.models import (
    Determination,
    Medium,
    S47Kind,
    Section47Enquiry,
    StrategyAction,
    StrategyChildDecision,
    StrategyDiscussion,
    StrategyKind,
    StrategyParticipant,
)

#: Fields a partner agency's worker never reads (ADR 0640): null for them, named in ``withheld``.
STRATEGY_WITHHELD_FROM_PARTNERS = ("information_shared",)
ENQUIRY_WITHHELD_FROM_PARTNERS = (
    "child_views",
    "child_not_seen_alone_reason",
    "agency_contributions",
)
#: Fields a partner reads only once the determination has been shared with its agency.
ENQUIRY_DETERMINATION_FIELDS = (
    "determination",
    "determination_label",
    "determination_rationale",
    "determined_at",
    "ratified_at",
    "conference_due_at",
    "conference_due_rule",
)


def _withhold(data: dict[str, Any], names: list[str]) -> dict[str, Any]:
    for name in names:
        data[name] = None
    data["withheld"] = names
    return data


def reader_context(user: Any, enquiries: Any = None) -> dict[str, Any]:
    """The serializer context naming who reads (the fields follow ``enquiries.access``); for a
    page of ``enquiries``, which determinations the reader may read, worked out for them all."""
    context: dict[str, Any] = {"reader": user}
    if enquiries is not None:
        context["shared_determinations"] = enquiry_access.determinations_shared(user, enquiries)
    return context


class EnquirySummarySerializer(ModelSerializer[Section47Enquiry]):
    class Meta:
        model = Section47Enquiry
        fields = ["id", "person_id", "kind", "due_at", "determination", "conference_due_at"]
        read_only_fields = fields


# --- Strategy discussions ------------------------------------------------------------------------


class ParticipantInputSerializer(serializers.Serializer[dict[str, Any]]):
    agency_id = serializers.IntegerField()
    name = serializers.CharField(max_length=200)
    role = optional_text(200)
    user_id = serializers.IntegerField(required=False, allow_null=True)


class ChildDecisionInputSerializer(serializers.Serializer[dict[str, Any]]):
    child_id = serializers.IntegerField()
    s47 = serializers.ChoiceField(choices=S47Kind.choices)
    reasons = serializers.CharField(max_length=MAX_TEXT, min_length=5)
    other_actions = optional_text()


class ActionInputSerializer(serializers.Serializer[dict[str, Any]]):
    description = serializers.CharField(max_length=500)
    owner_agency_id = serializers.IntegerField()
    due_on = serializers.DateField()


class StrategyInputSerializer(serializers.Serializer[dict[str, Any]]):
    kind = serializers.ChoiceField(choices=StrategyKind.choices)
    medium = serializers.ChoiceField(choices=Medium.choices)
    held_at = PlausibleDateTimeField()
    chair_id = serializers.IntegerField()
    information_shared = serializers.CharField(max_length=MAX_TEXT, min_length=10)
    participants = ParticipantInputSerializer(many=True, min_length=2, max_length=50)  # type: ignore[call-arg]
    child_decisions = ChildDecisionInputSerializer(many=True, min_length=1, max_length=12)  # type: ignore[call-arg]
    actions = ActionInputSerializer(many=True, required=False, max_length=50)  # type: ignore[call-arg]
    lead_social_worker_id = serializers.IntegerField(required=False, allow_null=True)


def strategy_prefetches() -> list[Prefetch[Any]]:
    """What :class:`StrategyDiscussionSerializer` reads of each discussion, for
    ``prefetch_related``: a page of discussions in a fixed number of queries (one query a
    discussion for each of its lists before: 155 statements for a page of 25; issue 17)."""
    return [
        Prefetch("participants", queryset=StrategyParticipant.objects.select_related("agency")),
        Prefetch(
            "child_decisions",
            queryset=StrategyChildDecision.objects.select_related("child", "enquiry"),
        ),
        Prefetch("actions", queryset=StrategyAction.objects.select_related("owner_agency")),
    ]


class StrategyDiscussionSerializer(ModelSerializer[StrategyDiscussion]):
    chair = UserRefSerializer(read_only=True)
    information_shared = serializers.CharField(
        read_only=True, allow_null=True, help_text="null for a partner agency (see `withheld`)"
    )
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
            "withheld",
        ]
        read_only_fields = fields

    withheld = serializers.SerializerMethodField()

    def get_withheld(self, obj: StrategyDiscussion) -> list[str]:
        """The fields left out (null) because the reader is not entitled to them (ADR 0640)."""
        return []

    def to_representation(self, instance: StrategyDiscussion) -> dict[str, Any]:
        data: dict[str, Any] = super().to_representation(instance)
        reader = self.context.get("reader")
        if reader is not None and not enquiry_access.reads_whole(reader):
            _withhold(data, list(STRATEGY_WITHHELD_FROM_PARTNERS))
        return data

    @extend_schema_field(
        serializers.ListField(child=serializers.DictField(child=serializers.CharField()))
    )
    def get_participants(self, obj: StrategyDiscussion) -> list[dict[str, Any]]:
        return [
            {"agency_id": p.agency_id, "agency": p.agency.name, "name": p.name, "role": p.role}
            for p in obj.participants.all()  # with their agencies (strategy_prefetches)
        ]

    @extend_schema_field(
        serializers.ListField(child=serializers.DictField(child=serializers.CharField()))
    )
    def get_child_decisions(self, obj: StrategyDiscussion) -> list[dict[str, Any]]:
        out = []
        for d in obj.child_decisions.all():
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
            for a in obj.actions.all()
        ]


# --- Section 47 enquiries ------------------------------------------------------------------------


class EnquirySerializer(ModelSerializer[Section47Enquiry]):
    child = serializers.CharField(source="decision.child.display_name", read_only=True)
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    lead_social_worker = UserRefSerializer(read_only=True)
    child_seen_by = serializers.SerializerMethodField()
    overdue = serializers.SerializerMethodField()
    due_rule = serializers.SerializerMethodField()
    conference_due_rule = serializers.SerializerMethodField()
    ratified = serializers.SerializerMethodField()
    child_not_seen_alone_reason = serializers.CharField(read_only=True, allow_null=True)
    child_views = serializers.CharField(read_only=True, allow_null=True)
    agency_contributions = serializers.CharField(read_only=True, allow_null=True)
    determination_rationale = serializers.CharField(read_only=True, allow_null=True)
    determination_label = serializers.CharField(
        source="get_determination_display", read_only=True, allow_null=True
    )
    withheld = serializers.SerializerMethodField()

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
            "due_rule",
            "due_rule_version",
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
            "conference_due_rule",
            "withheld",
        ]
        read_only_fields = fields

    def get_withheld(self, obj: Section47Enquiry) -> list[str]:
        """The fields left out (null) because the reader is not entitled to them (ADR 0640)."""
        return []

    def to_representation(self, instance: Section47Enquiry) -> dict[str, Any]:
        data: dict[str, Any] = super().to_representation(instance)
        reader = self.context.get("reader")
        if reader is not None and not enquiry_access.reads_whole(reader):
            names = list(ENQUIRY_WITHHELD_FROM_PARTNERS)
            shared = self.context.get("shared_determinations")
            if not (
                instance.pk in shared
                if shared is not None
                else enquiry_access.determination_shared(reader, instance)
            ):
                names += ENQUIRY_DETERMINATION_FIELDS
            _withhold(data, names)
        return data

    def get_due_rule(self, obj: Section47Enquiry) -> str:
        """The procedures rule ``due_at`` comes from."""
        return "s47.assessment"

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_conference_due_rule(self, obj: Section47Enquiry) -> str | None:
        """The procedures rule ``conference_due_at`` comes from (set by a determination 3)."""
        return "icpc.convene" if obj.conference_due_at is not None else None

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_child_seen_by(self, obj: Section47Enquiry) -> str | None:
        return name_of(obj.child_seen_by)

    def get_overdue(self, obj: Section47Enquiry) -> bool:
        return is_overdue(obj.due_at, obj.is_determined)

    def get_ratified(self, obj: Section47Enquiry) -> bool:
        return obj.ratified_at is not None


class ChildSeenInputSerializer(serializers.Serializer[dict[str, Any]]):
    seen_at = PlausibleDateTimeField()
    seen_alone = serializers.BooleanField()
    child_views = serializers.CharField(
        max_length=MAX_TEXT, help_text="The child's wishes and feelings, in their own words"
    )
    not_alone_reason = optional_text(help_text="Why the child was not seen alone (required then)")


class DeterminationInputSerializer(serializers.Serializer[dict[str, Any]]):
    determination = serializers.ChoiceField(choices=Determination.choices)
    rationale = serializers.CharField(max_length=MAX_TEXT, min_length=10)
    agency_contributions = optional_text()
