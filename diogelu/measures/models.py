"""Tables the measures own: a date dimension built from the procedures calendar, the authority's
targets and settings, inspections and the improvement plan, and the reports to Cabinet.

No case data lives here: measures read the workflow apps' rows and count them in SQL.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from diogelu.core.models import TimeStampedModel, VersionedModel


class CalendarDay(models.Model):
    """One calendar day of the procedures' Welsh working-day calendar, for counting in SQL.

    ``wd_index`` is the number of working days from a fixed origin up to and including ``day``,
    so "working days in (a, b]" is ``wd_index(b) - wd_index(a)`` and "n working days after a" is
    the working day whose index is ``wd_index(a) + n``. Built by :func:`calendar.ensure_calendar`
    from ``diogelu.procedures`` (bank holidays and local closures), never by hand.
    """

    day = models.DateField(primary_key=True)
    is_working = models.BooleanField()
    wd_index = models.IntegerField(db_index=True)
    #: days since the origin, for calendar-day differences
    day_number = models.IntegerField(db_index=True)
    plus_12_months = models.DateField()
    #: year × 12 + month − 1 and the day of the month, for "n calendar months after" in SQL (the
    #: latest day of month ``month_index + n`` whose ``day_of_month`` is not after the start's:
    #: clamped to the month's end, as ``procedures.add_months``)
    month_index = models.IntegerField(default=0, db_index=True)
    day_of_month = models.IntegerField(default=0)

    class Meta:
        ordering = ["day"]

    def __str__(self) -> str:
        return self.day.isoformat()


class CountedPeriod(models.Model):
    """The counted buckets of one measure for one closed month (or closed bounded period): the
    summary the dashboard reads instead of recounting a month that has ended.

    Written by the counting itself and by the daily ``measures.warm`` sweep; a row counted more
    than a day before the page's moment is stale and recounted (so a record entered late for a
    closed month shows within a day, as with the cache). ``team_id`` is 0 for the whole
    authority. Keyed by the measure's version, so a changed definition is never read from here.
    """

    authority = models.ForeignKey("accounts.Agency", on_delete=models.CASCADE, related_name="+")
    team_id = models.IntegerField(default=0)
    measure = models.CharField(max_length=64)
    version = models.CharField(max_length=32)
    #: "months" (day buckets of a calendar month) or "periods" (a bounded period's buckets)
    part = models.CharField(max_length=8)
    token = models.CharField(max_length=32)
    buckets = models.JSONField(default=list)
    counted_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["authority", "team_id", "measure", "version", "part", "token"],
                name="measures_counted_period_unique",
            )
        ]

    def __str__(self) -> str:
        return f"{self.measure} {self.token}"


class Direction(models.TextChoices):
    HIGHER = "HIGHER", _("Higher is better")
    LOWER = "LOWER", _("Lower is better")


class Target(TimeStampedModel):
    """The authority's target for one measure, with the amber tolerance below (or above) it."""

    authority = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, related_name="+")
    measure = models.CharField(max_length=60)
    target = models.DecimalField(max_digits=7, decimal_places=2)
    amber_within = models.DecimalField(max_digits=7, decimal_places=2, default=5)
    set_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["measure"]
        constraints = [
            models.UniqueConstraint(fields=["authority", "measure"], name="target_once_per_measure")
        ]

    def __str__(self) -> str:
        return f"Target {self.measure}"


class ReportLayout(models.TextChoices):
    SIDE_BY_SIDE = "SIDE_BY_SIDE", _("Welsh and English side by side")
    WELSH_FIRST = "WELSH_FIRST", _("Welsh first, then English")
    ENGLISH_FIRST = "ENGLISH_FIRST", _("English first, then Welsh")


class AuthoritySettings(TimeStampedModel):
    """What the authority sets for its measures: the child population for rates per 10,000,
    and how the bilingual Cabinet report is laid out."""

    authority = models.OneToOneField(
        "accounts.Agency", on_delete=models.PROTECT, related_name="measure_settings"
    )
    child_population = models.PositiveIntegerField(null=True, blank=True)
    population_source = models.CharField(max_length=200, blank=True)
    report_layout = models.CharField(
        max_length=14, choices=ReportLayout.choices, default=ReportLayout.SIDE_BY_SIDE
    )

    def __str__(self) -> str:
        return f"Measure settings {self.authority_id}"


# --- inspections and the improvement plan ------------------------------------------------------


class InspectionKind(models.TextChoices):
    PEI = "PEI", _("CIW performance evaluation inspection")
    IMPROVEMENT_CHECK = "IMPROVEMENT_CHECK", _("CIW improvement check")
    JICPA = "JICPA", _("Joint inspection of child protection arrangements (JICPA)")
    ASSURANCE_CHECK = "ASSURANCE_CHECK", _("CIW assurance check")
    RAPID_REVIEW = "RAPID_REVIEW", _("Child protection rapid review")


class Inspection(TimeStampedModel):
    """An inspection of the authority, its report, and the plan lead who agrees RAG changes."""

    authority = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=20, choices=InspectionKind.choices)
    title = models.CharField(max_length=300)
    title_cy = models.CharField(max_length=300, blank=True)
    held_from = models.DateField()
    held_to = models.DateField()
    published_on = models.DateField(null=True, blank=True)
    report_url = models.URLField(blank=True)
    lead = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-held_from"]

    def __str__(self) -> str:
        return self.title


class Finding(VersionedModel):
    """What the inspectors found must (or should) improve, in one area. Withdrawn (never deleted)
    when recorded in error; its actions leave the plan with it."""

    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="findings")
    number = models.PositiveSmallIntegerField()
    area = models.CharField(max_length=200)
    area_cy = models.CharField(max_length=200, blank=True)
    text = models.TextField()
    text_cy = models.TextField(blank=True)
    withdrawn_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(fields=["inspection", "number"], name="finding_number_once")
        ]

    def __str__(self) -> str:
        return f"Finding {self.number}"


class Rag(models.TextChoices):
    GREEN = "GREEN", _("On track")
    AMBER = "AMBER", _("At risk")
    RED = "RED", _("Off track")


class ActionStatus(models.TextChoices):
    OPEN = "OPEN", _("In progress")
    COMPLETED = "COMPLETED", _("Completed")
    WITHDRAWN = "WITHDRAWN", _("Withdrawn")


class ImprovementAction(VersionedModel):
    """An action for a finding, owned by a person (and a partner agency where it is theirs).

    ``rag`` is the RAG set by the owner (with ``rag_reason``) and agreed by the plan lead; it is
    used only where the action has no linked measure and no milestone (``planning.action_rag``).
    """

    finding = models.ForeignKey(Finding, on_delete=models.CASCADE, related_name="actions")
    number = models.CharField(max_length=10)
    description = models.TextField()
    description_cy = models.TextField(blank=True)
    owner = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    partner_agency = models.ForeignKey(
        "accounts.Agency", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    due_on = models.DateField()
    status = models.CharField(
        max_length=10, choices=ActionStatus.choices, default=ActionStatus.OPEN
    )
    completed_on = models.DateField(null=True, blank=True)
    withdrawn_on = models.DateField(null=True, blank=True)
    rag = models.CharField(max_length=6, choices=Rag.choices, blank=True)
    rag_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["finding__number", "pk"]

    def __str__(self) -> str:
        return f"Action {self.number}"


class Milestone(models.Model):
    action = models.ForeignKey(
        ImprovementAction, on_delete=models.CASCADE, related_name="milestones"
    )
    description = models.CharField(max_length=300)
    due_on = models.DateField()
    done_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["due_on", "pk"]

    def __str__(self) -> str:
        return f"Milestone {self.pk}"


class LinkedMeasure(models.Model):
    """A measure that evidences an action, with the target the action aims at."""

    action = models.ForeignKey(ImprovementAction, on_delete=models.CASCADE, related_name="measures")
    measure = models.CharField(max_length=60)
    target = models.DecimalField(max_digits=7, decimal_places=2)
    linked_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    linked_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["action", "measure"], name="measure_linked_once")
        ]

    def __str__(self) -> str:
        return f"{self.measure} for action {self.action_id}"


class EvidenceKind(models.TextChoices):
    DOCUMENT = "DOCUMENT", _("Document")
    AUDIT = "AUDIT", _("Audit result")
    NOTE = "NOTE", _("Note")


class Evidence(models.Model):
    action = models.ForeignKey(ImprovementAction, on_delete=models.CASCADE, related_name="evidence")
    kind = models.CharField(max_length=10, choices=EvidenceKind.choices)
    title = models.CharField(max_length=300)
    detail = models.TextField(blank=True)
    added_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["added_at", "pk"]

    def __str__(self) -> str:
        return self.title


class RagProposal(models.Model):
    """An owner's proposed RAG, waiting for (or decided by) the plan lead."""

    action = models.ForeignKey(
        ImprovementAction, on_delete=models.CASCADE, related_name="proposals"
    )
    rag = models.CharField(max_length=6, choices=Rag.choices)
    reason = models.TextField()
    proposed_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    proposed_at = models.DateTimeField(default=timezone.now)
    decided_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    agreed = models.BooleanField(null=True)

    class Meta:
        ordering = ["-proposed_at"]

    def __str__(self) -> str:
        return f"RAG proposal {self.pk}"


class ActionHistory(models.Model):
    """Every change to an action, in order: the plan's own audit trail."""

    action = models.ForeignKey(ImprovementAction, on_delete=models.CASCADE, related_name="history")
    at = models.DateTimeField(default=timezone.now)
    by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    what = models.CharField(max_length=40)
    detail = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"History {self.pk}"


class CabinetReport(TimeStampedModel):
    """A report on the plan to Cabinet or Scrutiny for one meeting, its figures frozen when
    produced so a past report reads as it was presented."""

    inspection = models.ForeignKey(Inspection, on_delete=models.PROTECT, related_name="reports")
    meeting_on = models.DateField()
    committee = models.CharField(max_length=200)
    layout = models.CharField(max_length=14, choices=ReportLayout.choices)
    produced_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    produced_at = models.DateTimeField(default=timezone.now)
    snapshot = models.JSONField(default=dict)

    class Meta:
        ordering = ["-meeting_on"]

    def __str__(self) -> str:
        return f"Report for {self.meeting_on}"
