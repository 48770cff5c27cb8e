"""Strategy discussions and meetings, section 47 enquiries and their determinations."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from diogelu.core.models import TimeStampedModel


class StrategyKind(models.TextChoices):
    DISCUSSION = "DISCUSSION", _("Strategy discussion")
    MEETING = "MEETING", _("Strategy meeting")


class Medium(models.TextChoices):
    PHONE = "PHONE", _("Telephone")
    VIDEO = "VIDEO", _("Video call")
    IN_PERSON = "IN_PERSON", _("In person")


class StrategyDiscussion(TimeStampedModel):
    """A strategy discussion or meeting about the children of a report.

    Police and social services at least must take part; a record is kept on each child's file
    (one :class:`StrategyChildDecision` per child).
    """

    report = models.ForeignKey(
        "referrals.Report", on_delete=models.PROTECT, related_name="strategy_discussions"
    )
    kind = models.CharField(max_length=12, choices=StrategyKind.choices)
    medium = models.CharField(max_length=12, choices=Medium.choices)
    held_at = models.DateTimeField()
    chair = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    information_shared = models.TextField()
    recorded_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-held_at"]
        # a window of discussions by the moment held (the measures)
        indexes = [models.Index(fields=["held_at"], name="enquiries_strategy_held")]

    def __str__(self) -> str:
        return f"Strategy discussion {self.pk}"


class StrategyParticipant(models.Model):
    strategy = models.ForeignKey(
        StrategyDiscussion, on_delete=models.CASCADE, related_name="participants"
    )
    agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, related_name="+")
    user = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    name = models.CharField(max_length=200)
    role = models.CharField(max_length=200, blank=True)
    authorised_to_decide = models.BooleanField(default=True)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"Participant {self.pk}"


class S47Kind(models.TextChoices):
    NONE = "NONE", _("No section 47 enquiry")
    SINGLE = "SINGLE", _("Single-agency section 47 enquiry (social services)")
    JOINT = "JOINT", _("Joint section 47 enquiry with the police")


class StrategyChildDecision(models.Model):
    """What the strategy discussion decided for one child: the record on that child's file."""

    strategy = models.ForeignKey(
        StrategyDiscussion, on_delete=models.CASCADE, related_name="child_decisions"
    )
    child = models.ForeignKey(
        "referrals.ReportChild", on_delete=models.PROTECT, related_name="strategy_decisions"
    )
    person = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, related_name="strategy_decisions"
    )
    s47 = models.CharField(max_length=8, choices=S47Kind.choices)
    reasons = models.TextField()
    other_actions = models.TextField(blank=True)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"Strategy decision {self.pk}"


class StrategyAction(models.Model):
    """Who does what by when, agreed at a strategy discussion."""

    strategy = models.ForeignKey(
        StrategyDiscussion, on_delete=models.CASCADE, related_name="actions"
    )
    description = models.CharField(max_length=500)
    owner_agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, related_name="+")
    due_on = models.DateField()
    done_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["due_on"]

    def __str__(self) -> str:
        return f"Action {self.pk}"


class Determination(models.TextChoices):
    NOT_SUBSTANTIATED = "1", _("1 – Concerns not substantiated")
    NO_CONTINUING_RISK = (
        "2",
        _("2 – Substantiated, child not at continuing risk of significant harm"),
    )
    CONTINUING_RISK = "3", _("3 – Substantiated, child at continuing risk: convene a conference")


class Section47Enquiry(TimeStampedModel):
    """A section 47 enquiry about one child, with its 42-working-day clock and determination.

    Determination 1 is ratified by a manager; determination 3 sets the initial child protection
    conference due within 15 working days of the last strategy discussion (rule ``icpc.convene``).
    """

    decision = models.OneToOneField(
        StrategyChildDecision, on_delete=models.PROTECT, related_name="enquiry"
    )
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="enquiries")
    report = models.ForeignKey(
        "referrals.Report", on_delete=models.PROTECT, related_name="enquiries"
    )
    kind = models.CharField(max_length=8, choices=S47Kind.choices)
    lead_social_worker = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, related_name="+"
    )
    started_on = models.DateField(default=timezone.localdate)
    due_at = models.DateTimeField()
    due_rule_version = models.CharField(max_length=60)
    child_seen_at = models.DateTimeField(null=True, blank=True)
    child_seen_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    child_seen_alone = models.BooleanField(null=True)
    child_not_seen_alone_reason = models.TextField(blank=True)
    child_views = models.TextField(blank=True)
    agency_contributions = models.TextField(blank=True)
    determination = models.CharField(max_length=1, choices=Determination.choices, blank=True)
    determination_rationale = models.TextField(blank=True)
    determined_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    determined_at = models.DateTimeField(null=True, blank=True)
    ratified_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    ratified_at = models.DateTimeField(null=True, blank=True)
    conference_due_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-started_on"]
        indexes = [
            # determinations 1 waiting for a manager's ratification (My work): the waiting few
            # rather than every enquiry of the years (issue 17)
            models.Index(
                fields=["determined_at", "id"],
                condition=models.Q(determination="1", ratified_at__isnull=True),
                name="s47_to_ratify",
            ),
            # The API's list, due soonest first: a page read from the top of this index, not
            # every enquiry of the authority joined to its reports and sorted (37 ms at a
            # county of five years, growing with the years; issue 17).
            models.Index(fields=["due_at", "id"], name="s47_by_due"),
        ]

    def __str__(self) -> str:
        return f"Section 47 enquiry {self.pk}"

    @property
    def is_determined(self) -> bool:
        return bool(self.determination)
