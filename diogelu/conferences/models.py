"""Child protection conferences (initial, review, transfer-in, pre-birth), invitations, reports,
attendance, quorum, a decision per child, circulation of the record, and the register.

WSP §3 steps 7–8 and §4 (DOMAIN.md §3 steps 7, 8, 12, 13, 14). Every due date is computed from a
``procedures`` rule and stored with the rule's version, so a later change of the procedures does
not rewrite history.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from diogelu.core.models import TimeStampedModel


class ConferenceKind(models.TextChoices):
    INITIAL = "INITIAL", _("Initial child protection conference")
    REVIEW = "REVIEW", _("Review child protection conference")
    TRANSFER_IN = "TRANSFER_IN", _("Transfer-in child protection conference")
    PRE_BIRTH = "PRE_BIRTH", _("Pre-birth child protection conference")


#: Conferences that can put a child on the register for the first time in this authority.
REGISTERING_KINDS = frozenset(
    {ConferenceKind.INITIAL, ConferenceKind.TRANSFER_IN, ConferenceKind.PRE_BIRTH}
)


class ConferenceStatus(models.TextChoices):
    CONVENED = "CONVENED", _("Convened")
    HELD = "HELD", _("Held")
    # Welsh: "cynhadledd" is feminine (wedi'i chanslo); a request is masculine (wedi'i ganslo).
    CANCELLED = "CANCELLED", pgettext_lazy("conference status", "Cancelled")


class Conference(TimeStampedModel):
    """One child protection conference about one or more children of a family.

    ``due_at`` comes from the rule named in ``due_rule`` (``icpc.convene`` from the last strategy
    discussion; ``review.first`` / ``review.interval``; ``transfer_in.conference`` from
    ``notified_at``). ``record_due_at`` is when the record must have been circulated
    (``icpc.circulate_record`` from ``held_at``).
    """

    authority = models.ForeignKey(
        "accounts.Agency", on_delete=models.PROTECT, related_name="conferences"
    )
    kind = models.CharField(max_length=12, choices=ConferenceKind.choices)
    status = models.CharField(
        max_length=10, choices=ConferenceStatus.choices, default=ConferenceStatus.CONVENED
    )
    enquiries = models.ManyToManyField(
        "enquiries.Section47Enquiry", blank=True, related_name="conferences"
    )
    previous = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="reviews"
    )
    notified_at = models.DateTimeField(null=True, blank=True)
    due_at = models.DateTimeField()
    due_rule = models.CharField(max_length=60)
    due_rule_version = models.CharField(max_length=60)
    scheduled_for = models.DateTimeField(null=True, blank=True)
    venue = models.CharField(max_length=200, blank=True)
    held_at = models.DateTimeField(null=True, blank=True)
    chair = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    convened_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    quorum_groups = models.PositiveSmallIntegerField(null=True, blank=True)
    is_quorate = models.BooleanField(null=True)
    quorum_reason = models.TextField(blank=True)
    summary = models.TextField(blank=True)
    record_due_at = models.DateTimeField(null=True, blank=True)
    record_due_rule_version = models.CharField(max_length=60, blank=True)
    record_circulated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-due_at"]
        indexes = [
            models.Index(fields=["authority", "status"]),
            # a window of conferences by the day held (the measures)
            models.Index(fields=["authority", "held_at"], name="conferences_held"),
        ]

    def __str__(self) -> str:
        return f"Conference {self.pk}"

    @property
    def is_held(self) -> bool:
        return self.status == ConferenceStatus.HELD

    @property
    def held_on_time(self) -> bool | None:
        """True if held by its due time; None until held."""
        if self.held_at is None:
            return None
        return self.held_at <= self.due_at


class ViewsMethod(models.TextChoices):
    """How the child's views were obtained (DOMAIN.md §3, voice of the child)."""

    ATTENDED = "ATTENDED", _("The child attended and spoke")
    ADVOCATE = "ADVOCATE", _("Through an advocate")
    WRITTEN = "WRITTEN", _("Written or recorded by the child")
    DRAWING = "DRAWING", _("Drawing or other creative work")
    SOCIAL_WORKER = "SOCIAL_WORKER", _("Told to the social worker")
    OBSERVATION = "OBSERVATION", _("Observation (child not yet able to say)")
    NOT_OBTAINED = "NOT_OBTAINED", _("Not obtained (reason recorded)")


class ConferenceChild(models.Model):
    """A child the conference is about, with their views and their parents' views."""

    conference = models.ForeignKey(Conference, on_delete=models.CASCADE, related_name="children")
    person = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, related_name="conference_places"
    )
    enquiry = models.ForeignKey(
        "enquiries.Section47Enquiry",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    episode = models.ForeignKey(
        "conferences.RegisterEpisode",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    child_views = models.TextField(blank=True)
    views_method = models.CharField(max_length=14, choices=ViewsMethod.choices, blank=True)
    parents_views = models.TextField(blank=True)

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["conference", "person"], name="conference_child_once")
        ]

    def __str__(self) -> str:
        return f"Conference child {self.pk}"


class InviteeKind(models.TextChoices):
    AGENCY = "AGENCY", _("Agency or professional")
    FAMILY = "FAMILY", _("Family member")
    CHILD = "CHILD", _("The child")


class Attendance(models.TextChoices):
    ATTENDED = "ATTENDED", _("Attended")
    APOLOGIES = "APOLOGIES", _("Sent apologies")
    NOT_ATTENDED = "NOT_ATTENDED", _("Did not attend")


class Invitation(TimeStampedModel):
    """An invitation to a conference: an agency (optionally a named practitioner and their
    professional group), a family member, or the child (with the active offer of an independent
    professional advocate). Holds attendance and the agency's report submitted beforehand."""

    conference = models.ForeignKey(Conference, on_delete=models.CASCADE, related_name="invitations")
    invitee_kind = models.CharField(max_length=8, choices=InviteeKind.choices)
    agency = models.ForeignKey(
        "accounts.Agency", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    user = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    person = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    name = models.CharField(max_length=200)
    professional_group = models.CharField(max_length=100, blank=True)
    invited_at = models.DateTimeField(default=timezone.now)
    invited_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    advocacy_offered_at = models.DateTimeField(null=True, blank=True)
    advocacy_accepted = models.BooleanField(null=True)
    attendance = models.CharField(max_length=14, choices=Attendance.choices, blank=True)
    report_text = models.TextField(blank=True)
    report_submitted_at = models.DateTimeField(null=True, blank=True)
    report_submitted_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["pk"]
        # An agency's (or a named practitioner's) invitations whose report is still to be sent,
        # read on My work: without these the look-up read every invitation the agency ever had
        # (5,214 for the county's police, to find 10; issue 17).
        indexes = [
            models.Index(
                fields=["user"],
                condition=models.Q(report_submitted_at__isnull=True, invitee_kind="AGENCY"),
                name="invitation_report_due_user",
            ),
            models.Index(
                fields=["agency"],
                condition=models.Q(report_submitted_at__isnull=True, invitee_kind="AGENCY"),
                name="invitation_report_due_agency",
            ),
        ]

    def __str__(self) -> str:
        return f"Invitation {self.pk}"

    @property
    def report_on_time(self) -> bool | None:
        """True if the report arrived before the conference was held; None without a report."""
        if self.report_submitted_at is None:
            return None
        held = self.conference.held_at
        return held is None or self.report_submitted_at <= held


class Category(models.TextChoices):
    """Categories of registration (SSWBA 2014 s197; WSP)."""

    PHYSICAL = "PHYSICAL", _("Physical abuse")
    SEXUAL = "SEXUAL", _("Sexual abuse")
    EMOTIONAL = "EMOTIONAL", _("Emotional or psychological abuse")
    FINANCIAL = "FINANCIAL", _("Financial abuse")
    NEGLECT = "NEGLECT", _("Neglect")


class ConferenceDecision(models.Model):
    """The conference's decision for one child.

    At an initial, transfer-in or pre-birth conference ``register`` puts the child on the register;
    at a review it keeps them on it (false removes them). Registering needs one category or more,
    the lead practitioner, core group members, the first core group date (within
    ``core_group.first``), the review date (within ``review.first`` or ``review.interval``) and a
    contingency plan.
    """

    child = models.OneToOneField(ConferenceChild, on_delete=models.CASCADE, related_name="decision")
    register = models.BooleanField()
    categories = models.JSONField(default=list, blank=True)
    reasons = models.TextField()
    progress = models.TextField(blank=True)
    lead_practitioner = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    first_core_group_on = models.DateField(null=True, blank=True)
    review_on = models.DateField(null=True, blank=True)
    contingency_plan = models.TextField(blank=True)
    dissent = models.TextField(blank=True)
    decided_by_chair = models.BooleanField(default=False)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"Conference decision {self.pk}"


class RecipientKind(models.TextChoices):
    AGENCY = "AGENCY", _("Agency")
    USER = "USER", _("Practitioner")
    FAMILY = "FAMILY", _("Family member")


class Circulation(models.Model):
    """The conference record and outline plan sent to one participant, to be acknowledged.

    Family recipients receive it by hand or post; a member of the local authority records their
    acknowledgement for them.
    """

    conference = models.ForeignKey(
        Conference, on_delete=models.CASCADE, related_name="circulations"
    )
    recipient_kind = models.CharField(max_length=8, choices=RecipientKind.choices)
    recipient_agency = models.ForeignKey(
        "accounts.Agency", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    recipient_user = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    recipient_person = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    recipient_label = models.CharField(max_length=200)
    sent_at = models.DateTimeField(default=timezone.now)
    due_at = models.DateTimeField()
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["conference", "recipient_agency", "recipient_user", "recipient_person"],
                name="circulation_once_per_recipient",
            )
        ]

    def __str__(self) -> str:
        return f"Circulation {self.pk}"

    @property
    def on_time(self) -> bool:
        return self.sent_at <= self.due_at

    @property
    def is_acknowledged(self) -> bool:
        return self.acknowledged_at is not None


class EndReason(models.TextChoices):
    REVIEW_DECISION = "REVIEW_DECISION", _("Review conference decision")
    AGE_18 = "AGE_18", _("Reached 18")
    DIED = "DIED", _("Died")
    LEFT_UK = "LEFT_UK", _("Left the UK permanently")
    TRANSFERRED_OUT = "TRANSFERRED_OUT", _("Transferred to another local authority")


#: End reasons that need no review conference (WSP §4: 18, death, permanent move out of the UK;
#: transfer-out after the receiving authority's transfer-in conference).
AUTOMATIC_END_REASONS = frozenset(
    {EndReason.AGE_18, EndReason.DIED, EndReason.LEFT_UK, EndReason.TRANSFERRED_OUT}
)


class RegisterEpisode(TimeStampedModel):
    """A period on the child protection register, from the registering conference to its end.

    ``previous_episode`` links a re-registration to the child's last episode. At most one open
    episode per child.
    """

    person = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, related_name="register_episodes"
    )
    authority = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, related_name="+")
    started_at = models.DateTimeField()
    conference = models.ForeignKey(
        Conference, on_delete=models.PROTECT, related_name="registrations"
    )
    lead_practitioner = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, related_name="register_episodes"
    )
    ended_at = models.DateTimeField(null=True, blank=True)
    end_reason = models.CharField(max_length=16, choices=EndReason.choices, blank=True)
    end_note = models.TextField(blank=True)
    ending_conference = models.ForeignKey(
        Conference, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    ended_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    previous_episode = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-started_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["person"],
                condition=models.Q(ended_at__isnull=True),
                name="one_open_register_episode",
            )
        ]
        # The register list's order (newest registration first, or oldest: the same index
        # read backwards), so that a page is read from the index and stops at 25: it joined and
        # sorted every open episode of the authority (852 at a county, 8.7 ms; issue 17).
        indexes = [
            models.Index(
                "authority",
                models.F("started_at").desc(),
                models.F("id").desc(),
                condition=models.Q(ended_at__isnull=True),
                name="register_open_by_start",
            )
        ]

    def __str__(self) -> str:
        return f"Register episode {self.pk}"

    @property
    def is_open(self) -> bool:
        return self.ended_at is None

    @property
    def is_reregistration(self) -> bool:
        return self.previous_episode_id is not None

    def current_categories(self) -> list[str]:
        return sorted(self.categories.filter(to_at__isnull=True).values_list("category", flat=True))


class RegisterCategory(models.Model):
    """A category of registration held from ``from_at`` until ``to_at`` (open while current)."""

    episode = models.ForeignKey(
        RegisterEpisode, on_delete=models.CASCADE, related_name="categories"
    )
    category = models.CharField(max_length=10, choices=Category.choices)
    from_at = models.DateTimeField()
    to_at = models.DateTimeField(null=True, blank=True)
    conference = models.ForeignKey(Conference, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["from_at", "category"]

    def __str__(self) -> str:
        return f"Register category {self.pk}"


class CoreGroupMember(models.Model):
    """A member of a registered child's core group, named by a conference.

    A practitioner (``user``, with their ``agency``), an agency, or a family member (``person``).
    Partner agencies get a core-group involvement (``involvement``) that ends with membership.
    """

    episode = models.ForeignKey(
        RegisterEpisode, on_delete=models.CASCADE, related_name="core_group"
    )
    named_by = models.ForeignKey(Conference, on_delete=models.PROTECT, related_name="+")
    agency = models.ForeignKey(
        "accounts.Agency", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    user = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    person = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    name = models.CharField(max_length=200)
    role = models.CharField(max_length=200, blank=True)
    started_at = models.DateTimeField()
    ended_at = models.DateTimeField(null=True, blank=True)
    involvement = models.ForeignKey(
        "access.Involvement", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"Core group member {self.pk}"


class RegisterCheck(models.Model):
    """A partner's register status check (in the spirit of CP-IS): who asked, when, why, and
    whether a child was matched. Holds no answer beyond ``on_register``."""

    at = models.DateTimeField(default=timezone.now)
    user = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, related_name="+")
    reason = models.CharField(max_length=300)
    person = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    on_register = models.BooleanField(default=False)

    class Meta:
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"Register check {self.pk}"
