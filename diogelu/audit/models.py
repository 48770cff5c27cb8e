"""Case-file audit: programmes, their samples, the versioned form, grades, moderation, actions.

* :class:`AuditForm` — a versioned form: sections (each graded on the four-point scale, with a
  descriptor per grade) and questions. A form version is never edited once a programme uses it.
* :class:`Programme` — a monthly, themed, targeted or closure audit: theme, period, form, the
  sample rule (one :class:`Stratum` per team × stage with its size), the seed the sample was drawn
  with, its auditors and moderators (:class:`ProgrammeMember`).
* :class:`Audit` — one child's file in a programme, with its auditor, the worker and manager at
  sampling time, the section grades (:class:`SectionGrade`), answers, the overall grade and
  reason, the worker's response and the family's feedback.
* :class:`Moderation` and :class:`ModeratedGrade` — a moderator confirms or changes each grade
  with a reason; the auditor's grade stays on :class:`SectionGrade` and is copied beside the
  moderated grade, so both are kept.
* :class:`AuditAction` — an action an audit raises (owner, due date, done), like a supervision
  action; :class:`EvidenceLink` links an audit or an audit action to an improvement plan action.
* :class:`AuditRead` — which access log row was a read of a child's file for which audit.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from diogelu.core.models import TimeStampedModel, VersionedModel


class Grade(models.TextChoices):
    OUTSTANDING = "OUTSTANDING", _("Outstanding")
    GOOD = "GOOD", _("Good")
    REQUIRES_IMPROVEMENT = "REQUIRES_IMPROVEMENT", _("Requires improvement")
    INADEQUATE = "INADEQUATE", _("Inadequate")


#: Best first; the score used for averages (4 outstanding … 1 inadequate).
GRADE_ORDER = [Grade.OUTSTANDING, Grade.GOOD, Grade.REQUIRES_IMPROVEMENT, Grade.INADEQUATE]
GRADE_SCORE = {
    Grade.OUTSTANDING: 4,
    Grade.GOOD: 3,
    Grade.REQUIRES_IMPROVEMENT: 2,
    Grade.INADEQUATE: 1,
}


class ProgrammeKind(models.TextChoices):
    MONTHLY = "MONTHLY", _("Monthly audit")
    THEMED = "THEMED", _("Themed audit")
    TARGETED = "TARGETED", _("Targeted audit")
    CLOSURE = "CLOSURE", _("Closure audit")


class Theme(models.TextChoices):
    GENERAL = "GENERAL", _("Practice quality (all sections)")
    VOICE = "VOICE", _("Voice of the child")
    PLAN_QUALITY = "PLAN_QUALITY", _("Plan quality")
    EXPLOITATION = "EXPLOITATION", _("Exploitation")
    STEP_DOWN = "STEP_DOWN", _("Step-down")
    CLOSURE = "CLOSURE", _("Closure")


class Stage(models.TextChoices):
    MASH_DECISION = "MASH_DECISION", _("MASH decision in the period")
    S47 = "S47", _("Section 47 enquiry in the period")
    REGISTER = "REGISTER", _("On the register in the period")
    CLOSED = "CLOSED", _("Closed in the period")
    OPEN = "OPEN", _("Open to a team in the period")


class ProgrammeStatus(models.TextChoices):
    DRAFT = "DRAFT", _("Being set up")
    SAMPLED = "SAMPLED", _("Sample drawn: auditing")
    MODERATION = "MODERATION", _("In moderation")
    COMPLETE = "COMPLETE", _("Complete")


class AuditForm(TimeStampedModel):
    """One version of an audit form. ``key`` names the form; versions count up per key."""

    authority = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, related_name="+")
    key = models.CharField(max_length=40)
    version = models.PositiveIntegerField()
    title = models.CharField(max_length=200)
    title_cy = models.CharField(max_length=200, blank=True)
    created_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["key", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["authority", "key", "version"], name="audit_form_version_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.title} v{self.version}"


class FormSection(models.Model):
    """A graded section of a form; ``descriptors`` maps each grade to what it looks like
    (``{"GOOD": {"en": ..., "cy": ...}, ...}``); ``facts`` names the facts shown beside it."""

    form = models.ForeignKey(AuditForm, on_delete=models.CASCADE, related_name="sections")
    number = models.PositiveSmallIntegerField()
    key = models.CharField(max_length=40)
    title = models.CharField(max_length=200)
    title_cy = models.CharField(max_length=200, blank=True)
    descriptors = models.JSONField(default=dict)
    facts = models.JSONField(default=list)

    class Meta:
        ordering = ["form", "number"]
        constraints = [
            models.UniqueConstraint(fields=["form", "key"], name="audit_section_key_once")
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"


class FormQuestion(models.Model):
    section = models.ForeignKey(FormSection, on_delete=models.CASCADE, related_name="questions")
    number = models.PositiveSmallIntegerField()
    text = models.CharField(max_length=500)
    text_cy = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["section", "number"]

    def __str__(self) -> str:
        return self.text


class Programme(VersionedModel):
    authority = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=10, choices=ProgrammeKind.choices)
    theme = models.CharField(max_length=14, choices=Theme.choices, default=Theme.GENERAL)
    title = models.CharField(max_length=200)
    period_start = models.DateField()
    period_end = models.DateField()
    form = models.ForeignKey(AuditForm, on_delete=models.PROTECT, related_name="programmes")
    moderation_percent = models.PositiveSmallIntegerField(default=25)
    due_on = models.DateField(null=True, blank=True)
    status = models.CharField(
        max_length=10, choices=ProgrammeStatus.choices, default=ProgrammeStatus.DRAFT
    )
    seed = models.BigIntegerField(null=True, blank=True)
    drawn_at = models.DateTimeField(null=True, blank=True)
    drawn_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    draw_log = models.JSONField(default=list, blank=True)
    summary = models.TextField(blank=True)
    created_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-period_end", "-id"]

    def __str__(self) -> str:
        return self.title


class MemberRole(models.TextChoices):
    AUDITOR = "AUDITOR", _("Auditor")
    MODERATOR = "MODERATOR", _("Moderator")


class ProgrammeMember(models.Model):
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    role = models.CharField(max_length=10, choices=MemberRole.choices)

    class Meta:
        ordering = ["programme", "role", "id"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "user", "role"], name="audit_member_once")
        ]

    def __str__(self) -> str:
        return f"{self.role} {self.user_id}"


class Stratum(models.Model):
    """The sample rule: draw ``size`` files of ``stage`` from ``team``."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="strata")
    team = models.ForeignKey("accounts.Team", on_delete=models.PROTECT, related_name="+")
    stage = models.CharField(max_length=14, choices=Stage.choices)
    size = models.PositiveSmallIntegerField()
    population = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["programme", "team__name", "stage"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "team", "stage"], name="audit_stratum_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.team_id}:{self.stage}×{self.size}"


class AuditStatus(models.TextChoices):
    ASSIGNED = "ASSIGNED", _("Not started")
    IN_PROGRESS = "IN_PROGRESS", _("In progress")
    SUBMITTED = "SUBMITTED", _("Submitted")
    IN_MODERATION = "IN_MODERATION", _("In moderation")
    MODERATED = "MODERATED", _("Moderated")


class Audit(VersionedModel):
    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="audits")
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    case = models.ForeignKey(
        "oversight.Case", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    team = models.ForeignKey("accounts.Team", on_delete=models.PROTECT, related_name="+")
    stage = models.CharField(max_length=14, choices=Stage.choices)
    stratum = models.ForeignKey(
        Stratum, on_delete=models.PROTECT, null=True, blank=True, related_name="audits"
    )
    draw_rank = models.PositiveIntegerField(null=True, blank=True)
    added_reason = models.TextField(blank=True)
    added_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    worker = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    auditor = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    status = models.CharField(
        max_length=14, choices=AuditStatus.choices, default=AuditStatus.ASSIGNED
    )
    overall_grade = models.CharField(max_length=20, choices=Grade.choices, blank=True)
    overall_reason = models.TextField(blank=True)
    summary = models.TextField(blank=True)
    family_asked = models.BooleanField(null=True)
    family_feedback = models.TextField(blank=True)
    family_feedback_from = models.CharField(max_length=200, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    worker_response = models.TextField(blank=True)
    worker_responded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["programme", "team__name", "stage", "draw_rank", "id"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "person"], name="audit_child_once")
        ]

    def __str__(self) -> str:
        return f"audit {self.pk}"

    @property
    def is_manual(self) -> bool:
        return self.stratum_id is None


class SectionGrade(models.Model):
    """The auditor's grade for one section, with what they saw. Never changed by moderation."""

    audit = models.ForeignKey(Audit, on_delete=models.CASCADE, related_name="grades")
    section = models.ForeignKey(FormSection, on_delete=models.PROTECT, related_name="+")
    grade = models.CharField(max_length=20, choices=Grade.choices)
    commentary = models.TextField(blank=True)

    class Meta:
        ordering = ["audit", "section__number"]
        constraints = [
            models.UniqueConstraint(fields=["audit", "section"], name="audit_section_grade_once")
        ]

    def __str__(self) -> str:
        return f"{self.section_id}:{self.grade}"


class Answer(models.Model):
    audit = models.ForeignKey(Audit, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(FormQuestion, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["audit", "question"], name="audit_answer_once")
        ]

    def __str__(self) -> str:
        return f"answer {self.pk}"


class Moderation(models.Model):
    audit = models.OneToOneField(Audit, on_delete=models.PROTECT, related_name="moderation")
    moderator = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    selected_at = models.DateTimeField(default=timezone.now)
    completed_at = models.DateTimeField(null=True, blank=True)
    note = models.TextField(blank=True)

    def __str__(self) -> str:
        return f"moderation {self.pk}"


class ModeratedGrade(models.Model):
    """The moderator's grade beside the auditor's: ``section`` empty for the overall grade."""

    moderation = models.ForeignKey(Moderation, on_delete=models.CASCADE, related_name="grades")
    section = models.ForeignKey(
        FormSection, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    auditor_grade = models.CharField(max_length=20, choices=Grade.choices)
    grade = models.CharField(max_length=20, choices=Grade.choices)
    reason = models.TextField(blank=True)

    class Meta:
        ordering = ["moderation", "section__number"]
        constraints = [
            models.UniqueConstraint(
                fields=["moderation", "section"], name="audit_moderated_section_once"
            ),
            models.UniqueConstraint(
                fields=["moderation"],
                condition=Q(section__isnull=True),
                name="audit_moderated_overall_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.section_id}:{self.auditor_grade}->{self.grade}"

    @property
    def changed(self) -> bool:
        return self.grade != self.auditor_grade


class AuditAction(models.Model):
    """An action raised by an audit, for the worker or the team; tracked like a supervision
    action (``done_at`` with a note; ``flagged_at`` when the owner's manager was told it is
    late)."""

    audit = models.ForeignKey(Audit, on_delete=models.CASCADE, related_name="actions")
    description = models.CharField(max_length=500)
    for_team = models.BooleanField(default=False)
    owner = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    due_on = models.DateField()
    raised_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    raised_at = models.DateTimeField(default=timezone.now)
    done_at = models.DateTimeField(null=True, blank=True)
    done_note = models.CharField(max_length=500, blank=True)
    flagged_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["due_on", "id"]

    def __str__(self) -> str:
        return f"audit action {self.pk}"


class EvidenceLink(models.Model):
    """An audit, or an audit action, cited as evidence for an improvement plan action."""

    improvement_action = models.ForeignKey(
        "measures.ImprovementAction", on_delete=models.CASCADE, related_name="+"
    )
    audit = models.ForeignKey(
        Audit, on_delete=models.CASCADE, null=True, blank=True, related_name="evidence_links"
    )
    audit_action = models.ForeignKey(
        AuditAction,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="evidence_links",
    )
    note = models.CharField(max_length=500, blank=True)
    linked_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    linked_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-linked_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(audit__isnull=False) | Q(audit_action__isnull=False),
                name="audit_evidence_names_something",
            )
        ]

    def __str__(self) -> str:
        return f"evidence link {self.pk}"


class AuditRead(models.Model):
    """A read of a child's file for an audit: the access log row, and the audit it was for."""

    audit = models.ForeignKey(Audit, on_delete=models.PROTECT, related_name="reads")
    access_log = models.OneToOneField(
        "access.AccessLog", on_delete=models.PROTECT, related_name="+"
    )

    def __str__(self) -> str:
        return f"audit read {self.pk}"
