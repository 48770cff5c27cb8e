"""The plans API's representations: plan versions, core groups, visits and deadlines."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from diogelu.api.fields import (
    MAX_TEXT,
    AgencyRefSerializer,
    UserRefSerializer,
    optional_text,
)
from diogelu.conferences.models import (
    Category,
    RegisterEpisode,
)
from diogelu.plans.models import (
    ActionStatus,
    CoreGroupMeeting,
    PlanAction,
    PlanOutcome,
    PlanVersion,
    Progress,
    Visit,
)


class DueSerializer(serializers.Serializer[Any]):
    """A deadline from a ``procedures`` rule and where it stands now."""

    rule = serializers.CharField(help_text="The procedures rule, e.g. review.interval")
    due_on = serializers.DateField()
    due_at = serializers.DateTimeField()
    status = serializers.CharField(
        help_text="not_due, due_soon, due_today, overdue, met or met_late"
    )
    working_days_remaining = serializers.IntegerField()
    working_days_overdue = serializers.IntegerField()


def due_data(timeliness: Any) -> dict[str, Any]:
    """A ``procedures.Timeliness`` as :class:`DueSerializer` data."""
    due = timeliness.due
    return {
        "rule": due.rule.key,
        "due_on": due.due_on,
        "due_at": due.due_at,
        "status": str(timeliness.status),
        "working_days_remaining": timeliness.working_days_remaining,
        "working_days_overdue": timeliness.working_days_overdue,
    }


# --- Plans: output -------------------------------------------------------------------------------


class PlanActionSerializer(serializers.ModelSerializer[PlanAction]):
    """Context: ``statuses`` (action id → its latest status from the core group)."""

    responsible_user = UserRefSerializer(allow_null=True, read_only=True)
    responsible_agency = AgencyRefSerializer(allow_null=True, read_only=True)
    status = serializers.SerializerMethodField()

    class Meta:
        model = PlanAction
        fields = [
            "id",
            "description",
            "responsible_name",
            "responsible_user",
            "responsible_agency",
            "target_date",
            "status",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.ChoiceField(choices=ActionStatus.choices))
    def get_status(self, obj: PlanAction) -> str:
        """The status at the latest core group meeting (NOT_STARTED before any)."""
        status: str = self.context.get("statuses", {}).get(obj.pk, ActionStatus.NOT_STARTED)
        return status


class PlanOutcomeSerializer(serializers.ModelSerializer[PlanOutcome]):
    actions = serializers.SerializerMethodField()

    class Meta:
        model = PlanOutcome
        fields = ["id", "what_must_change", "measure", "actions"]
        read_only_fields = fields

    @extend_schema_field(PlanActionSerializer(many=True))
    def get_actions(self, obj: PlanOutcome) -> Any:
        actions = obj.actions.select_related("responsible_user", "responsible_agency")
        return PlanActionSerializer(actions, many=True, context=self.context).data


class PlanVersionSummarySerializer(serializers.ModelSerializer[PlanVersion]):
    url = serializers.SerializerMethodField()
    published_by = UserRefSerializer(allow_null=True, read_only=True)

    class Meta:
        model = PlanVersion
        fields = ["id", "url", "number", "status", "published_at", "published_by", "quality_score"]
        read_only_fields = fields

    def get_url(self, obj: PlanVersion) -> str:
        return f"/api/v1/plans/{obj.plan_id}/versions/{obj.pk}/"


class QualityIssueSerializer(serializers.Serializer[Any]):
    code = serializers.CharField(help_text="One of the eight checks, e.g. NO_CHILD_VOICE")
    message = serializers.CharField()
    outcome = serializers.IntegerField(allow_null=True, help_text="1-based outcome position")
    action = serializers.IntegerField(allow_null=True, help_text="1-based action position")


class PlanVersionSerializer(PlanVersionSummarySerializer):
    """One version with its content. ``version`` is the edit counter to send back as
    ``expected_version``; ``number`` is the version people see."""

    created_by = UserRefSerializer(read_only=True)
    quality_issues = QualityIssueSerializer(many=True, read_only=True)
    outcomes = serializers.SerializerMethodField()

    class Meta:
        model = PlanVersion
        fields = [
            "id",
            "url",
            "plan_id",
            "number",
            "status",
            "version",
            "based_on_id",
            "child_words",
            "contingency",
            "outcomes",
            "created_by",
            "created_at",
            "published_at",
            "published_by",
            "quality_score",
            "quality_issues",
        ]
        read_only_fields = fields

    @extend_schema_field(PlanOutcomeSerializer(many=True))
    def get_outcomes(self, obj: PlanVersion) -> Any:
        return PlanOutcomeSerializer(obj.outcomes.all(), many=True, context=self.context).data


class QualitySerializer(serializers.Serializer[Any]):
    """The quality check of a draft (``plans.quality``): what it is missing. Issues do not stop
    publishing; the score and issues are kept on the version when it is published."""

    version_id = serializers.IntegerField()
    number = serializers.IntegerField()
    score = serializers.IntegerField(help_text="round(100 × checks passed / checks)")
    checks = serializers.IntegerField()
    passed = serializers.IntegerField()
    is_complete = serializers.BooleanField()
    issues = QualityIssueSerializer(many=True)


class OutcomeProgressOutSerializer(serializers.Serializer[Any]):
    outcome_id = serializers.IntegerField()
    what_must_change = serializers.CharField(source="outcome.what_must_change")
    rating = serializers.ChoiceField(choices=Progress.choices)
    note = serializers.CharField()


class ActionUpdateOutSerializer(serializers.Serializer[Any]):
    action_id = serializers.IntegerField()
    description = serializers.CharField(source="action.description")
    status = serializers.ChoiceField(choices=ActionStatus.choices)
    note = serializers.CharField()


class MemberAttendanceSerializer(serializers.Serializer[Any]):
    member_id = serializers.IntegerField()
    name = serializers.CharField(source="member.name")
    attended = serializers.BooleanField()


class CoreGroupMeetingSerializer(serializers.ModelSerializer[CoreGroupMeeting]):
    """A core group meeting as the plan's readers see it; the authority's staff also get the
    attendance of each member, the risks and the notes (null for others). Context: ``staff``."""

    on_time = serializers.BooleanField(read_only=True)
    attended = serializers.SerializerMethodField()
    members = serializers.SerializerMethodField()
    progress = OutcomeProgressOutSerializer(many=True, read_only=True)
    action_updates = ActionUpdateOutSerializer(many=True, read_only=True)
    attendance = serializers.SerializerMethodField()
    risks = serializers.SerializerMethodField()
    notes = serializers.SerializerMethodField()

    class Meta:
        model = CoreGroupMeeting
        fields = [
            "id",
            "held_at",
            "due_at",
            "due_rule",
            "due_rule_version",
            "on_time",
            "plan_version_id",
            "attended",
            "members",
            "child_attended",
            "child_views",
            "access_denied",
            "progress",
            "action_updates",
            "attendance",
            "risks",
            "notes",
        ]
        read_only_fields = fields

    def get_attended(self, obj: CoreGroupMeeting) -> int:
        """How many members attended."""
        return sum(1 for a in obj.attendance.all() if a.attended)

    def get_members(self, obj: CoreGroupMeeting) -> int:
        """How many members the core group had."""
        return len(obj.attendance.all())

    @extend_schema_field(MemberAttendanceSerializer(many=True, allow_null=True))
    def get_attendance(self, obj: CoreGroupMeeting) -> Any:
        if not self.context.get("staff"):
            return None
        return MemberAttendanceSerializer(obj.attendance.select_related("member"), many=True).data

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_risks(self, obj: CoreGroupMeeting) -> str | None:
        return obj.risks if self.context.get("staff") else None

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_notes(self, obj: CoreGroupMeeting) -> str | None:
        return obj.notes if self.context.get("staff") else None


class PlanEpisodeSerializer(serializers.ModelSerializer[RegisterEpisode]):
    lead_practitioner = UserRefSerializer(read_only=True)
    is_open = serializers.BooleanField(read_only=True)
    is_reregistration = serializers.BooleanField(read_only=True)
    current_categories = serializers.SerializerMethodField()

    class Meta:
        model = RegisterEpisode
        fields = [
            "id",
            "started_at",
            "ended_at",
            "is_open",
            "end_reason",
            "end_note",
            "is_reregistration",
            "current_categories",
            "lead_practitioner",
        ]
        read_only_fields = fields

    @extend_schema_field(
        serializers.ListField(child=serializers.ChoiceField(choices=Category.choices))
    )
    def get_current_categories(self, obj: RegisterEpisode) -> list[str]:
        return obj.current_categories()


class PlanSerializer(serializers.Serializer[Any]):
    """A plan as the caller may read it: the current published version and the list of
    versions for every reader; the draft and the next review and core group for the
    authority's social work staff (``may_edit``)."""

    id = serializers.IntegerField()
    url = serializers.CharField()
    person_id = serializers.IntegerField()
    child = serializers.CharField(help_text="The child's name")
    may_edit = serializers.BooleanField()
    episode = PlanEpisodeSerializer()
    current = PlanVersionSerializer(allow_null=True, help_text="The latest published version")
    draft = PlanVersionSerializer(allow_null=True, help_text="Staff only: the open draft")
    versions = PlanVersionSummarySerializer(many=True)
    core_group_meetings = CoreGroupMeetingSerializer(many=True)
    next_review = DueSerializer(allow_null=True, help_text="Staff only, while registered")
    next_core_group = DueSerializer(allow_null=True, help_text="Staff only, while registered")


# --- Plans: input --------------------------------------------------------------------------------


class PlanActionInputSerializer(serializers.Serializer[dict[str, Any]]):
    description = serializers.CharField(max_length=2000)
    responsible_name = optional_text(200)
    responsible_user_id = serializers.IntegerField(required=False, allow_null=True)
    responsible_agency_id = serializers.IntegerField(
        required=False,
        allow_null=True,
        help_text="Defaults to the responsible person's agency",
    )
    target_date = serializers.DateField(required=False, allow_null=True)


class PlanOutcomeInputSerializer(serializers.Serializer[dict[str, Any]]):
    what_must_change = serializers.CharField(
        max_length=MAX_TEXT, help_text="What must change for the child, in plain words"
    )
    measure = optional_text(help_text="How progress is measured")
    actions = PlanActionInputSerializer(many=True, required=False, max_length=20)  # type: ignore[call-arg]


class PlanEditInputSerializer(serializers.Serializer[dict[str, Any]]):
    expected_version = serializers.IntegerField(
        help_text="The `version` you read; a stale one is 409 and changes nothing"
    )
    child_words = optional_text(help_text="The child's own words")
    contingency = optional_text(
        help_text="What happens if the plan is not followed or things get worse"
    )
    outcomes = PlanOutcomeInputSerializer(many=True, max_length=20)  # type: ignore[call-arg]


class PublishInputSerializer(serializers.Serializer[dict[str, Any]]):
    expected_version = serializers.IntegerField(
        help_text="The draft's `version` as you read it; a stale one is 409"
    )


class ProgressInputSerializer(serializers.Serializer[dict[str, Any]]):
    outcome_id = serializers.IntegerField(help_text="An outcome of the current published version")
    rating = serializers.ChoiceField(choices=Progress.choices)
    note = optional_text()


class ActionUpdateInputSerializer(serializers.Serializer[dict[str, Any]]):
    action_id = serializers.IntegerField(help_text="An action of the current published version")
    status = serializers.ChoiceField(choices=ActionStatus.choices)
    note = optional_text()


class CoreGroupInputSerializer(serializers.Serializer[dict[str, Any]]):
    held_at = serializers.DateTimeField()
    attended = serializers.ListField(
        child=serializers.IntegerField(),
        required=False,
        default=list,
        max_length=100,
        help_text="The core group members (ids from the register) who came",
    )
    child_attended = serializers.BooleanField(default=False)
    child_views = optional_text(help_text="The child's views, or how they were sought")
    risks = optional_text()
    access_denied = serializers.BooleanField(
        default=False, help_text="Access to the child or home was denied (the lead is told)"
    )
    notes = optional_text()
    progress = ProgressInputSerializer(many=True, required=False, max_length=50)  # type: ignore[call-arg]
    action_updates = ActionUpdateInputSerializer(many=True, required=False, max_length=200)  # type: ignore[call-arg]


class VisitInputSerializer(serializers.Serializer[dict[str, Any]]):
    visited_at = serializers.DateTimeField(help_text="Not in the future")
    child_seen = serializers.BooleanField()
    seen_alone = serializers.BooleanField(default=False)
    not_alone_reason = optional_text(help_text="Why the child was not seen alone (needed then)")
    seen_at_home = serializers.BooleanField(default=False)
    bedroom_seen = serializers.BooleanField(default=False)
    child_words = optional_text(help_text="What the child said or showed, in their own words")
    observations = optional_text(help_text="What the visitor saw")
    visitor_id = serializers.IntegerField(
        required=False, allow_null=True, help_text="Who visited, if not you"
    )


class VisitSerializer(serializers.ModelSerializer[Visit]):
    visitor = UserRefSerializer(read_only=True)
    recorded_by = UserRefSerializer(read_only=True)

    class Meta:
        model = Visit
        fields = [
            "id",
            "visited_at",
            "visitor",
            "child_seen",
            "seen_alone",
            "not_alone_reason",
            "seen_at_home",
            "bedroom_seen",
            "child_words",
            "observations",
            "recorded_by",
            "recorded_at",
        ]
        read_only_fields = fields


class VisitDueSerializer(DueSerializer):
    """The next deadline of one visit rule (seen alone, seen at home, bedroom)."""

    last = serializers.DateTimeField(
        allow_null=True, help_text="The last qualifying visit (this cycle, for the bedroom)"
    )
