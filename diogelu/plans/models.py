"""Care and support protection plans (versions, outcomes, actions, the child's words,
contingency), core group meetings and statutory visits (DOMAIN.md §3 steps 9–11).

A published plan version is never edited: editing makes a new draft copied from it.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from diogelu.core.models import TimeStampedModel, VersionedModel


class Plan(TimeStampedModel):
    """The care and support protection plan of one register episode."""

    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="plans")
    episode = models.OneToOneField(
        "conferences.RegisterEpisode", on_delete=models.PROTECT, related_name="plan"
    )

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Plan {self.pk}"

    def current_version(self) -> PlanVersion | None:
        """The latest published version, or None before the first is published."""
        return self.versions.filter(status=VersionStatus.PUBLISHED).order_by("-number").first()

    def draft(self) -> PlanVersion | None:
        return self.versions.filter(status=VersionStatus.DRAFT).first()


class VersionStatus(models.TextChoices):
    DRAFT = "DRAFT", _("Draft")
    PUBLISHED = "PUBLISHED", _("Published")


class PlanVersion(VersionedModel):
    """One version of the plan. ``version`` (from VersionedModel) is the optimistic edit counter;
    ``number`` is the plan version people see (1, 2, 3 …). The quality score and issues are
    written when the version is published and never change afterwards."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    status = models.CharField(
        max_length=10, choices=VersionStatus.choices, default=VersionStatus.DRAFT
    )
    based_on = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    child_words = models.TextField(blank=True)
    contingency = models.TextField(blank=True)
    created_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    quality_score = models.PositiveSmallIntegerField(null=True, blank=True)
    quality_issues = models.JSONField(default=list, blank=True)
    #: The quality threshold when the version was published (``PLAN_QUALITY_THRESHOLD``).
    quality_threshold = models.PositiveSmallIntegerField(null=True, blank=True)
    #: A version below the threshold is published only with a manager's sign-off and reason.
    signed_off_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    sign_off_reason = models.TextField(blank=True)
    #: Who last saved the draft: they may not sign it off themselves (four eyes).
    last_edited_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    #: A manager returned the draft below the threshold to its author, with a reason; cleared
    #: when sign-off is asked for again or the version is published (the approval history keeps it).
    returned_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    returned_at = models.DateTimeField(null=True, blank=True)
    return_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["plan", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="plan_version_number_once"),
            models.UniqueConstraint(
                fields=["plan"],
                condition=models.Q(status="DRAFT"),
                name="plan_one_draft",
            ),
        ]

    def __str__(self) -> str:
        return f"Plan {self.plan_id} version {self.number}"

    @property
    def is_published(self) -> bool:
        return self.status == VersionStatus.PUBLISHED

    def authors(self) -> set[int]:
        """The users who wrote or last changed this version."""
        return {pk for pk in (self.created_by_id, self.last_edited_by_id) if pk is not None}


class PlanOutcome(models.Model):
    """What must change for the child, in plain words the family can read, and how progress is
    measured."""

    version = models.ForeignKey(PlanVersion, on_delete=models.CASCADE, related_name="outcomes")
    position = models.PositiveSmallIntegerField(default=0)
    what_must_change = models.TextField()
    measure = models.TextField(blank=True)

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return f"Outcome {self.pk}"


class ActionStatus(models.TextChoices):
    NOT_STARTED = "NOT_STARTED", _("Not started")
    IN_PROGRESS = "IN_PROGRESS", _("In progress")
    DONE = "DONE", _("Done")
    NOT_DONE = "NOT_DONE", _("Not done")


class PlanAction(models.Model):
    """Who does what by when towards an outcome."""

    outcome = models.ForeignKey(PlanOutcome, on_delete=models.CASCADE, related_name="actions")
    position = models.PositiveSmallIntegerField(default=0)
    description = models.TextField()
    responsible_name = models.CharField(max_length=200, blank=True)
    responsible_user = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    responsible_agency = models.ForeignKey(
        "accounts.Agency", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    target_date = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return f"Action {self.pk}"


class CoreGroupMeeting(TimeStampedModel):
    """A core group meeting: when, who came, the child's views, progress against each outcome.

    ``due_at`` is the deadline this meeting answered (``core_group.first`` from the registering
    conference, or ``core_group.interval`` from the previous meeting)."""

    episode = models.ForeignKey(
        "conferences.RegisterEpisode", on_delete=models.PROTECT, related_name="core_groups"
    )
    plan_version = models.ForeignKey(
        PlanVersion, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    held_at = models.DateTimeField()
    due_at = models.DateTimeField()
    due_rule = models.CharField(max_length=60)
    due_rule_version = models.CharField(max_length=60)
    child_attended = models.BooleanField(default=False)
    child_views = models.TextField(blank=True)
    risks = models.TextField(blank=True)
    access_denied = models.BooleanField(default=False)
    notes = models.TextField(blank=True)
    recorded_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-held_at"]
        # a window of meetings by the day held (the measures)
        indexes = [models.Index(fields=["held_at"], name="plans_coregroup_held")]

    def __str__(self) -> str:
        return f"Core group meeting {self.pk}"

    @property
    def on_time(self) -> bool:
        return self.held_at <= self.due_at


class CoreGroupAttendance(models.Model):
    meeting = models.ForeignKey(
        CoreGroupMeeting, on_delete=models.CASCADE, related_name="attendance"
    )
    member = models.ForeignKey(
        "conferences.CoreGroupMember", on_delete=models.PROTECT, related_name="+"
    )
    attended = models.BooleanField()

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "member"], name="core_group_attendance_once")
        ]

    def __str__(self) -> str:
        return f"Attendance {self.pk}"


class Progress(models.TextChoices):
    NONE = "NONE", _("No progress")
    SOME = "SOME", _("Some progress")
    GOOD = "GOOD", _("Good progress")
    ACHIEVED = "ACHIEVED", _("Achieved")
    WORSE = "WORSE", _("Got worse")


class OutcomeProgress(models.Model):
    meeting = models.ForeignKey(CoreGroupMeeting, on_delete=models.CASCADE, related_name="progress")
    outcome = models.ForeignKey(PlanOutcome, on_delete=models.PROTECT, related_name="progress")
    rating = models.CharField(max_length=10, choices=Progress.choices)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"Progress {self.pk}"


class Visit(TimeStampedModel):
    """A statutory visit by the social worker (or cover): whether the child was seen, alone, at
    home, whether the bedroom was seen, the child's words and what the visitor saw."""

    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="visits")
    episode = models.ForeignKey(
        "conferences.RegisterEpisode", on_delete=models.PROTECT, related_name="visits"
    )
    visited_at = models.DateTimeField()
    visitor = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    child_seen = models.BooleanField()
    seen_alone = models.BooleanField(default=False)
    not_alone_reason = models.TextField(blank=True)
    seen_at_home = models.BooleanField(default=False)
    bedroom_seen = models.BooleanField(default=False)
    child_words = models.TextField(blank=True)
    observations = models.TextField()
    recorded_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-visited_at"]
        indexes = [
            models.Index(fields=["episode", "-visited_at"]),
            # a window of visits by the moment (the measures)
            models.Index(fields=["visited_at"], name="plans_visit_visited"),
        ]

    def __str__(self) -> str:
        return f"Visit {self.pk}"


class ActionUpdate(models.Model):
    """An action's status as reviewed at a core group meeting. Kept per meeting, so a published
    plan version is never changed by monitoring it; the latest update is the action's status."""

    meeting = models.ForeignKey(
        CoreGroupMeeting, on_delete=models.CASCADE, related_name="action_updates"
    )
    action = models.ForeignKey(PlanAction, on_delete=models.PROTECT, related_name="updates")
    status = models.CharField(max_length=12, choices=ActionStatus.choices)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"Action update {self.pk}"
