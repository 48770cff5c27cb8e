"""The conferences API's representations: conferences, invitations, records and the register."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from diogelu.api.fields import (
    MAX_TEXT,
    AgencyRefSerializer,
    ModelSerializer,
    PlausibleDateTimeField,
    UserRefSerializer,
    is_overdue,
    optional_text,
)
from diogelu.conferences.models import (
    Attendance,
    Category,
    Circulation,
    Conference,
    ConferenceChild,
    ConferenceDecision,
    ConferenceKind,
    ConferenceStatus,
    CoreGroupMember,
    Invitation,
    InviteeKind,
    RegisterCategory,
    RegisterEpisode,
    ViewsMethod,
)

# --- Conferences: output -------------------------------------------------------------------------


class ConferenceDecisionSerializer(ModelSerializer[ConferenceDecision]):
    categories = serializers.ListField(child=serializers.ChoiceField(choices=Category.choices))
    lead_practitioner = UserRefSerializer(allow_null=True)

    class Meta:
        model = ConferenceDecision
        fields = [
            "register",
            "categories",
            "reasons",
            "progress",
            "lead_practitioner",
            "first_core_group_on",
            "review_on",
            "contingency_plan",
            "dissent",
            "decided_by_chair",
        ]
        read_only_fields = fields


class ConferenceChildSerializer(ModelSerializer[ConferenceChild]):
    name = serializers.CharField(source="person.full_name", read_only=True)
    decision = serializers.SerializerMethodField()
    plan_id = serializers.SerializerMethodField()

    class Meta:
        model = ConferenceChild
        fields = [
            "id",
            "person_id",
            "name",
            "enquiry_id",
            "episode_id",
            "plan_id",
            "child_views",
            "views_method",
            "parents_views",
            "decision",
        ]
        read_only_fields = fields

    @extend_schema_field(ConferenceDecisionSerializer(allow_null=True))
    def get_decision(self, obj: ConferenceChild) -> Any:
        decision = getattr(obj, "decision", None)
        return ConferenceDecisionSerializer(decision).data if decision is not None else None

    @extend_schema_field(serializers.IntegerField(allow_null=True))
    def get_plan_id(self, obj: ConferenceChild) -> int | None:
        """The child's care and support protection plan, once registered."""
        episode = obj.episode
        plan = getattr(episode, "plan", None) if episode is not None else None
        return plan.pk if plan is not None else None


class InvitationSerializer(ModelSerializer[Invitation]):
    """An invitation as the conference's social work staff see it, with the agency's report."""

    agency = AgencyRefSerializer(allow_null=True, read_only=True)
    user = UserRefSerializer(allow_null=True, read_only=True)
    report_submitted = serializers.SerializerMethodField()
    report_submitted_by = UserRefSerializer(allow_null=True, read_only=True)
    report_on_time = serializers.BooleanField(allow_null=True, read_only=True)

    class Meta:
        model = Invitation
        fields = [
            "id",
            "invitee_kind",
            "agency",
            "user",
            "person_id",
            "name",
            "professional_group",
            "invited_at",
            "advocacy_offered_at",
            "advocacy_accepted",
            "attendance",
            "report_submitted",
            "report_submitted_at",
            "report_submitted_by",
            "report_on_time",
            "report_text",
        ]
        read_only_fields = fields

    def get_report_submitted(self, obj: Invitation) -> bool:
        return obj.report_submitted_at is not None


class QuorumSerializer(serializers.Serializer[Any]):
    groups = serializers.IntegerField(
        help_text="Distinct agencies or professional groups whose invitees attended"
    )
    is_quorate = serializers.BooleanField()
    needs_chair_reason = serializers.BooleanField(
        help_text="Exactly two attended: quorate only with the chair's recorded reason"
    )
    message = serializers.CharField(help_text="Why it is not quorate (empty when it is)")
    chair_reason = serializers.CharField()


class CirculationSerializer(ModelSerializer[Circulation]):
    url = serializers.SerializerMethodField()
    recipient_agency = AgencyRefSerializer(allow_null=True, read_only=True)
    recipient_user = UserRefSerializer(allow_null=True, read_only=True)
    on_time = serializers.BooleanField(read_only=True)
    acknowledged_by = UserRefSerializer(allow_null=True, read_only=True)
    overdue = serializers.SerializerMethodField()

    class Meta:
        model = Circulation
        fields = [
            "id",
            "url",
            "recipient_kind",
            "recipient_label",
            "recipient_agency",
            "recipient_user",
            "recipient_person_id",
            "sent_at",
            "due_at",
            "on_time",
            "acknowledged_at",
            "acknowledged_by",
            "overdue",
        ]
        read_only_fields = fields

    def get_url(self, obj: Circulation) -> str:
        return f"/api/v1/conferences/records/{obj.pk}/"

    def get_overdue(self, obj: Circulation) -> bool:
        """Sent and not acknowledged by the time the record was due."""
        return is_overdue(obj.due_at, obj.acknowledged_at is not None)


class ConferenceSummarySerializer(ModelSerializer[Conference]):
    url = serializers.SerializerMethodField()
    overdue = serializers.SerializerMethodField()
    held_on_time = serializers.BooleanField(allow_null=True, read_only=True)

    class Meta:
        model = Conference
        fields = [
            "id",
            "url",
            "kind",
            "status",
            "due_at",
            "due_rule",
            "due_rule_version",
            "overdue",
            "scheduled_for",
            "held_at",
            "held_on_time",
            "record_circulated_at",
        ]
        read_only_fields = fields

    def get_url(self, obj: Conference) -> str:
        return f"/api/v1/conferences/{obj.pk}/"

    def get_overdue(self, obj: Conference) -> bool:
        """Convened and not held by its due time (rule ``due_rule``)."""
        return is_overdue(
            obj.due_at, obj.held_at is not None or obj.status != ConferenceStatus.CONVENED
        )


class ConferenceSerializer(ConferenceSummarySerializer):
    """The whole conference, for its authority's social work staff. Context: ``quorum`` (data
    for :class:`QuorumSerializer`)."""

    view = serializers.SerializerMethodField()
    authority = AgencyRefSerializer(read_only=True)
    convened_by = UserRefSerializer(read_only=True)
    chair = UserRefSerializer(allow_null=True, read_only=True)
    enquiry_ids = serializers.SerializerMethodField()
    children = serializers.SerializerMethodField()
    invitations = serializers.SerializerMethodField()
    attendance_missing = serializers.SerializerMethodField()
    quorum = serializers.SerializerMethodField()
    record_overdue = serializers.SerializerMethodField()
    circulations = serializers.SerializerMethodField()

    class Meta:
        model = Conference
        fields = [
            "id",
            "url",
            "view",
            "kind",
            "status",
            "authority",
            "due_at",
            "due_rule",
            "due_rule_version",
            "overdue",
            "scheduled_for",
            "held_at",
            "held_on_time",
            "notified_at",
            "previous_id",
            "convened_by",
            "chair",
            "enquiry_ids",
            "children",
            "invitations",
            "attendance_missing",
            "quorum",
            "summary",
            "record_due_at",
            "record_due_rule_version",
            "record_circulated_at",
            "record_overdue",
            "circulations",
        ]
        read_only_fields = fields

    def get_view(self, obj: Conference) -> str:
        """STAFF: the whole conference."""
        return "STAFF"

    @extend_schema_field(serializers.ListField(child=serializers.IntegerField()))
    def get_enquiry_ids(self, obj: Conference) -> list[int]:
        return sorted(e.pk for e in obj.enquiries.all())

    @extend_schema_field(ConferenceChildSerializer(many=True))
    def get_children(self, obj: Conference) -> Any:
        children = obj.children.select_related("person", "episode", "episode__plan", "decision")
        return ConferenceChildSerializer(children, many=True).data

    @extend_schema_field(InvitationSerializer(many=True))
    def get_invitations(self, obj: Conference) -> Any:
        invitations = obj.invitations.select_related(
            "agency", "user", "report_submitted_by", "conference"
        )
        return InvitationSerializer(invitations, many=True).data

    def get_attendance_missing(self, obj: Conference) -> bool:
        """Some invitee's attendance is not recorded yet (the conference cannot be held)."""
        return obj.invitations.filter(attendance="").exists()

    @extend_schema_field(QuorumSerializer)
    def get_quorum(self, obj: Conference) -> Any:
        return QuorumSerializer(self.context["quorum"]).data

    def get_record_overdue(self, obj: Conference) -> bool:
        """Held, and the record not circulated by ``record_due_at`` (``icpc.circulate_record``)."""
        return is_overdue(obj.record_due_at, obj.record_circulated_at is not None)

    @extend_schema_field(CirculationSerializer(many=True))
    def get_circulations(self, obj: Conference) -> Any:
        circulations = obj.circulations.select_related(
            "recipient_agency", "recipient_user", "acknowledged_by"
        )
        return CirculationSerializer(circulations, many=True).data


class OwnInvitationSerializer(ModelSerializer[Invitation]):
    """An invitee's own invitation: whom it is for and the report they sent."""

    url = serializers.SerializerMethodField()
    agency = AgencyRefSerializer(allow_null=True, read_only=True)
    user = UserRefSerializer(allow_null=True, read_only=True)

    class Meta:
        model = Invitation
        fields = [
            "id",
            "url",
            "invitee_kind",
            "agency",
            "user",
            "name",
            "professional_group",
            "invited_at",
            "report_text",
            "report_submitted_at",
        ]
        read_only_fields = fields

    def get_url(self, obj: Invitation) -> str:
        """Where to POST the agency's report."""
        return f"/api/v1/conferences/invitations/{obj.pk}/report/"


class OwnCirculationSerializer(ModelSerializer[Circulation]):
    url = serializers.SerializerMethodField()

    class Meta:
        model = Circulation
        fields = ["id", "url", "recipient_label", "sent_at", "due_at", "acknowledged_at"]
        read_only_fields = fields

    def get_url(self, obj: Circulation) -> str:
        return f"/api/v1/conferences/records/{obj.pk}/"


class ConferenceInviteeSerializer(ModelSerializer[Conference]):
    """A conference as an invitee sees it: their own invitations and the copies of the record
    sent to them, nothing of other invitees. Context: ``invitations``, ``circulations``."""

    url = serializers.SerializerMethodField()
    view = serializers.SerializerMethodField()
    authority = AgencyRefSerializer(read_only=True)
    invitations = serializers.SerializerMethodField()
    circulations = serializers.SerializerMethodField()

    class Meta:
        model = Conference
        fields = [
            "id",
            "url",
            "view",
            "kind",
            "status",
            "authority",
            "scheduled_for",
            "invitations",
            "circulations",
        ]
        read_only_fields = fields

    def get_url(self, obj: Conference) -> str:
        return f"/api/v1/conferences/{obj.pk}/"

    def get_view(self, obj: Conference) -> str:
        """INVITEE: your own part of the conference."""
        return "INVITEE"

    @extend_schema_field(OwnInvitationSerializer(many=True))
    def get_invitations(self, obj: Conference) -> Any:
        return OwnInvitationSerializer(self.context["invitations"], many=True).data

    @extend_schema_field(OwnCirculationSerializer(many=True))
    def get_circulations(self, obj: Conference) -> Any:
        return OwnCirculationSerializer(self.context["circulations"], many=True).data


class RecordChildSerializer(ModelSerializer[ConferenceChild]):
    """One child in the conference record: the decision and the views heard."""

    name = serializers.CharField(source="person.full_name", read_only=True)
    decision = serializers.SerializerMethodField()

    class Meta:
        model = ConferenceChild
        fields = ["name", "child_views", "views_method", "parents_views", "decision"]
        read_only_fields = fields

    @extend_schema_field(ConferenceDecisionSerializer(allow_null=True))
    def get_decision(self, obj: ConferenceChild) -> Any:
        decision = getattr(obj, "decision", None)
        return ConferenceDecisionSerializer(decision).data if decision is not None else None


class ConferenceRecordSerializer(ModelSerializer[Circulation]):
    """The conference record and outline plan sent to one recipient, to acknowledge."""

    url = serializers.SerializerMethodField()
    conference_id = serializers.IntegerField(read_only=True)
    kind = serializers.ChoiceField(
        source="conference.kind", choices=ConferenceKind.choices, read_only=True
    )
    authority = AgencyRefSerializer(source="conference.authority", read_only=True)
    held_at = PlausibleDateTimeField(source="conference.held_at", read_only=True)
    chair = UserRefSerializer(source="conference.chair", allow_null=True, read_only=True)
    summary = serializers.CharField(source="conference.summary", read_only=True)
    children = serializers.SerializerMethodField()
    acknowledged_by = UserRefSerializer(allow_null=True, read_only=True)

    class Meta:
        model = Circulation
        fields = [
            "id",
            "url",
            "conference_id",
            "kind",
            "authority",
            "held_at",
            "chair",
            "summary",
            "children",
            "recipient_kind",
            "recipient_label",
            "sent_at",
            "due_at",
            "acknowledged_at",
            "acknowledged_by",
        ]
        read_only_fields = fields

    def get_url(self, obj: Circulation) -> str:
        return f"/api/v1/conferences/records/{obj.pk}/"

    @extend_schema_field(RecordChildSerializer(many=True))
    def get_children(self, obj: Circulation) -> Any:
        children = obj.conference.children.select_related("person", "decision")
        return RecordChildSerializer(children, many=True).data


class CirculateResultSerializer(serializers.Serializer[Any]):
    sent = CirculationSerializer(many=True, help_text="The copies sent by this call")
    conference = ConferenceSerializer()


# --- Conferences: input --------------------------------------------------------------------------

#: The conferences convened from a determination-3 enquiry (``ConveneKindEnum`` in the schema).
CONVENE_KINDS = [
    (ConferenceKind.INITIAL.value, ConferenceKind.INITIAL.label),
    (ConferenceKind.PRE_BIRTH.value, ConferenceKind.PRE_BIRTH.label),
]


class ConveneInputSerializer(serializers.Serializer[dict[str, Any]]):
    kind = serializers.ChoiceField(choices=CONVENE_KINDS, default=ConferenceKind.INITIAL.value)
    scheduled_for = PlausibleDateTimeField(
        required=False, allow_null=True, help_text="When the conference is booked (optional)"
    )


class ReviewConveneInputSerializer(serializers.Serializer[dict[str, Any]]):
    scheduled_for = PlausibleDateTimeField(
        required=False, allow_null=True, help_text="When the review is booked (optional)"
    )


class TransferInInputSerializer(serializers.Serializer[dict[str, Any]]):
    notified_at = PlausibleDateTimeField(
        help_text="When this authority was told the child moved here (starts the clock)"
    )
    scheduled_for = PlausibleDateTimeField(required=False, allow_null=True)
    from_authority = optional_text(200, help_text="The authority whose register the child is on")


class InviteInputSerializer(serializers.Serializer[dict[str, Any]]):
    invitee_kind = serializers.ChoiceField(choices=InviteeKind.choices)
    agency_id = serializers.IntegerField(
        required=False, allow_null=True, help_text="AGENCY: the agency invited"
    )
    user_id = serializers.IntegerField(
        required=False, allow_null=True, help_text="AGENCY: a named practitioner (optional)"
    )
    person_id = serializers.IntegerField(
        required=False, allow_null=True, help_text="CHILD or FAMILY: the person invited"
    )
    name = optional_text(200, help_text="The name, if no person is chosen")
    professional_group = optional_text(
        100, help_text="e.g. GP or health visitor: different groups count separately for quorum"
    )
    advocacy_offered = serializers.BooleanField(
        default=False, help_text="CHILD: an independent professional advocate was offered"
    )
    advocacy_accepted = serializers.BooleanField(required=False, allow_null=True, default=None)


class AttendanceInputSerializer(serializers.Serializer[dict[str, Any]]):
    attendance = serializers.ChoiceField(choices=Attendance.choices)


class InviteAgenciesInputSerializer(serializers.Serializer[dict[str, Any]]):
    agency_ids = serializers.ListField(
        child=serializers.IntegerField(min_value=1), min_length=1, max_length=50
    )


class AttendanceRowSerializer(serializers.Serializer[dict[str, Any]]):
    invitation_id = serializers.IntegerField(min_value=1)
    attendance = serializers.ChoiceField(choices=Attendance.choices)


class AttendanceAllInputSerializer(serializers.Serializer[dict[str, Any]]):
    attendance = AttendanceRowSerializer(many=True, min_length=1, max_length=100)  # type: ignore[call-arg]


class InvitationsMadeSerializer(serializers.Serializer[Any]):
    invitations = InvitationSerializer(many=True)


class AgencyReportInputSerializer(serializers.Serializer[dict[str, Any]]):
    text = serializers.CharField(
        max_length=MAX_TEXT,
        help_text="What your agency knows about the child and family, and your view of risk",
    )


class CoreGroupMemberInputSerializer(serializers.Serializer[dict[str, Any]]):
    """A core group member: an invitation of this conference (its practitioner, agency or family
    member), or a practitioner, agency or family member named directly."""

    invitation_id = serializers.IntegerField(required=False, allow_null=True)
    user_id = serializers.IntegerField(required=False, allow_null=True)
    agency_id = serializers.IntegerField(required=False, allow_null=True)
    person_id = serializers.IntegerField(required=False, allow_null=True)
    name = optional_text(200)
    role = optional_text(200)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        keys = ("invitation_id", "user_id", "agency_id", "person_id", "name")
        if not any(attrs.get(k) for k in keys):
            raise serializers.ValidationError(
                "Give an invitation_id, a user_id, an agency_id, a person_id or a name"
            )
        return attrs


class ConferenceDecisionInputSerializer(serializers.Serializer[dict[str, Any]]):
    person_id = serializers.IntegerField(help_text="The child (one of the conference's children)")
    child_views = optional_text(help_text="The child's views, or why they could not be obtained")
    views_method = serializers.ChoiceField(
        choices=ViewsMethod.choices, help_text="How the child's views were obtained"
    )
    parents_views = optional_text()
    register = serializers.BooleanField(
        help_text="Placed on the register (at a review: stays on it; false removes the child)"
    )
    categories = serializers.ListField(
        child=serializers.ChoiceField(choices=Category.choices),
        required=False,
        default=list,
        max_length=len(Category.choices),
    )
    reasons = optional_text()
    progress = optional_text(help_text="A review: progress against the plan")
    lead_practitioner_id = serializers.IntegerField(required=False, allow_null=True)
    core_group = CoreGroupMemberInputSerializer(many=True, required=False, max_length=50)  # type: ignore[call-arg]
    first_core_group_on = serializers.DateField(required=False, allow_null=True)
    review_on = serializers.DateField(required=False, allow_null=True)
    contingency_plan = optional_text()
    dissent = optional_text()
    decided_by_chair = serializers.BooleanField(default=False)


class HoldInputSerializer(serializers.Serializer[dict[str, Any]]):
    held_at = PlausibleDateTimeField()
    chair_id = serializers.IntegerField()
    quorum_reason = optional_text(
        help_text="The chair's reason for going ahead when only two attended"
    )
    summary = optional_text(help_text="Summary of decisions and outline plan (needed to circulate)")
    decisions = ConferenceDecisionInputSerializer(many=True, min_length=1, max_length=12)  # type: ignore[call-arg]


# --- The register --------------------------------------------------------------------------------


class RegisterCheckInputSerializer(serializers.Serializer[dict[str, Any]]):
    reason = serializers.CharField(max_length=300, help_text="Why you are checking")
    nhs_number = optional_text(
        20, help_text="10 digits; or give the name and date of birth instead"
    )
    given_name = optional_text(100)
    family_name = optional_text(100)
    date_of_birth = serializers.DateField(required=False, allow_null=True)


class RegisterAnswerSerializer(serializers.Serializer[Any]):
    """All a register check reveals. "Not found" and "not on the register" look the same."""

    on_register = serializers.BooleanField()
    since = serializers.DateField(allow_null=True)
    contact_name = serializers.CharField(help_text="The lead practitioner")
    contact_phone = serializers.CharField()
    contact_agency = serializers.CharField()


class RegisterCategorySerializer(ModelSerializer[RegisterCategory]):
    class Meta:
        model = RegisterCategory
        fields = ["category", "from_at", "to_at", "conference_id"]
        read_only_fields = fields


class CoreGroupMemberSerializer(ModelSerializer[CoreGroupMember]):
    agency = AgencyRefSerializer(allow_null=True, read_only=True)
    user = UserRefSerializer(allow_null=True, read_only=True)

    class Meta:
        model = CoreGroupMember
        fields = ["id", "name", "role", "agency", "user", "started_at", "ended_at"]
        read_only_fields = fields


class RegisterEpisodeSerializer(ModelSerializer[RegisterEpisode]):
    """A period on the register with its category history. Context: ``plans`` (episode id →
    plan id, for the plans the caller may read)."""

    lead_practitioner = UserRefSerializer(read_only=True)
    is_open = serializers.BooleanField(read_only=True)
    is_reregistration = serializers.BooleanField(read_only=True)
    current_categories = serializers.SerializerMethodField()
    categories = serializers.SerializerMethodField()
    core_group = serializers.SerializerMethodField()
    plan_id = serializers.SerializerMethodField()

    class Meta:
        model = RegisterEpisode
        fields = [
            "id",
            "started_at",
            "ended_at",
            "is_open",
            "end_reason",
            "end_note",
            "conference_id",
            "ending_conference_id",
            "lead_practitioner",
            "is_reregistration",
            "previous_episode_id",
            "current_categories",
            "categories",
            "core_group",
            "plan_id",
        ]
        read_only_fields = fields

    @extend_schema_field(
        serializers.ListField(child=serializers.ChoiceField(choices=Category.choices))
    )
    def get_current_categories(self, obj: RegisterEpisode) -> list[str]:
        return obj.current_categories()

    @extend_schema_field(RegisterCategorySerializer(many=True))
    def get_categories(self, obj: RegisterEpisode) -> Any:
        """Every category held, with when it began and ended (a review may change them)."""
        return RegisterCategorySerializer(obj.categories.all(), many=True).data

    @extend_schema_field(CoreGroupMemberSerializer(many=True))
    def get_core_group(self, obj: RegisterEpisode) -> Any:
        members = obj.core_group.select_related("agency", "user")
        return CoreGroupMemberSerializer(members, many=True).data

    @extend_schema_field(serializers.IntegerField(allow_null=True))
    def get_plan_id(self, obj: RegisterEpisode) -> int | None:
        plan_id: int | None = self.context.get("plans", {}).get(obj.pk)
        return plan_id


class PersonRegisterSerializer(serializers.Serializer[Any]):
    person_id = serializers.IntegerField()
    on_register = serializers.BooleanField()
    episodes = RegisterEpisodeSerializer(many=True)
