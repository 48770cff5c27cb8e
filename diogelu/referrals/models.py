"""Reports of a child at risk (Wales: "report" = England's "referral"), intake and the decision.

A report is drafted by its maker (saved at every step, so a timeout loses nothing), submitted once,
taken into the MASH, its children linked to people, and decided within 1 working day of receipt
(rule ``report.decision``). Deadlines are stored with the rule key and version that produced them.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from diogelu.core.models import TimeStampedModel, VersionedModel


class Channel(models.TextChoices):
    ONLINE = "ONLINE", _("Online form")
    PHONE = "PHONE", _("Telephone")
    EMAIL = "EMAIL", _("Email")
    IN_PERSON = "IN_PERSON", _("In person")
    API = "API", _("Agency system (API)")


class ReporterKind(models.TextChoices):
    PRACTITIONER = "PRACTITIONER", _("A practitioner in an agency")
    PUBLIC = "PUBLIC", _("A member of the public")
    FAMILY = "FAMILY", _("A family member")
    CHILD = "CHILD", _("The child")
    ANONYMOUS = "ANONYMOUS", _("Anonymous")


class Category(models.TextChoices):
    PHYSICAL = "PHYSICAL", _("Physical abuse")
    SEXUAL = "SEXUAL", _("Sexual abuse")
    EMOTIONAL = "EMOTIONAL", _("Emotional or psychological abuse")
    FINANCIAL = "FINANCIAL", _("Financial abuse")
    NEGLECT = "NEGLECT", _("Neglect")


class Flag(models.TextChoices):
    CRIMINAL_EXPLOITATION = "CRIMINAL_EXPLOITATION", _("Child criminal exploitation")
    SEXUAL_EXPLOITATION = "SEXUAL_EXPLOITATION", _("Child sexual exploitation")
    DOMESTIC_ABUSE = "DOMESTIC_ABUSE", _("Domestic abuse")
    MISSING = "MISSING", _("Missing episodes")
    ONLINE_HARM = "ONLINE_HARM", _("Online harm")
    SUBSTANCE_MISUSE = "SUBSTANCE_MISUSE", _("Parental substance misuse")
    PARENTAL_MENTAL_HEALTH = "PARENTAL_MENTAL_HEALTH", _("Parental mental health")
    SELF_HARM = "SELF_HARM", _("Self-harm")
    FGM = "FGM", _("Female genital mutilation")
    RADICALISATION = "RADICALISATION", _("Radicalisation")
    TRAFFICKING = "TRAFFICKING", _("Trafficking or modern slavery")
    ALLEGATION_PRACTITIONER = "ALLEGATION_PRACTITIONER", _("Allegation against a practitioner")


class YesNoUnknown(models.TextChoices):
    YES = "YES", _("Yes")
    NO = "NO", _("No")
    NOT_KNOWN = "NOT_KNOWN", _("Not known")


class LawfulBasis(models.TextChoices):
    """The basis for sharing. Consent is not required to share for safeguarding."""

    SAFEGUARDING = (
        "SAFEGUARDING",
        _("Safeguarding a child at risk (SSWBA 2014 s130; DPA 2018 Sch 1 para 18)"),
    )
    PUBLIC_TASK = "PUBLIC_TASK", _("Public task (UK GDPR Art 6(1)(e))")
    LEGAL_OBLIGATION = "LEGAL_OBLIGATION", _("Legal obligation (UK GDPR Art 6(1)(c))")
    VITAL_INTERESTS = "VITAL_INTERESTS", _("Vital interests (UK GDPR Art 6(1)(d))")
    CONSENT = "CONSENT", _("Consent given")


class ReportStatus(models.TextChoices):
    DRAFT = "DRAFT", _("Draft")
    SUBMITTED = "SUBMITTED", _("Received")
    IN_MASH = "IN_MASH", _("Being checked by the MASH")
    DECIDED = "DECIDED", _("Decided")
    CLOSED = "CLOSED", _("Closed")


class Report(VersionedModel):
    """A report of one or more children at risk, to a local authority."""

    reference = models.CharField(max_length=20, unique=True, null=True, blank=True)
    authority = models.ForeignKey(
        "accounts.Agency", on_delete=models.PROTECT, related_name="reports"
    )
    status = models.CharField(
        max_length=12, choices=ReportStatus.choices, default=ReportStatus.DRAFT
    )
    channel = models.CharField(max_length=12, choices=Channel.choices, default=Channel.ONLINE)
    reporter_kind = models.CharField(
        max_length=16, choices=ReporterKind.choices, default=ReporterKind.PRACTITIONER
    )
    created_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    reporter_agency = models.ForeignKey(
        "accounts.Agency", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reporter_user = models.ForeignKey(
        "accounts.User",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reports_made",
    )
    reporter_name = models.CharField(max_length=200, blank=True)
    reporter_contact = models.CharField(max_length=200, blank=True)
    received_at = models.DateTimeField(null=True, blank=True)
    what_happened = models.TextField(blank=True)
    child_words = models.TextField(blank=True)
    categories = models.JSONField(default=list, blank=True)
    flags = models.JSONField(default=list, blank=True)
    immediate_danger = models.CharField(max_length=10, choices=YesNoUnknown.choices, blank=True)
    police_called = models.CharField(max_length=10, choices=YesNoUnknown.choices, blank=True)
    police_reference = models.CharField(max_length=60, blank=True)
    who_else_knows = models.TextField(blank=True)
    family_aware = models.CharField(max_length=10, choices=YesNoUnknown.choices, blank=True)
    lawful_basis = models.CharField(max_length=20, choices=LawfulBasis.choices, blank=True)
    lawful_basis_note = models.TextField(blank=True)
    # A practitioner's telephone report is confirmed in writing (rule report.written_confirmation)
    confirmation_due_at = models.DateTimeField(null=True, blank=True)
    confirmation_received_at = models.DateTimeField(null=True, blank=True)
    decision_due_at = models.DateTimeField(null=True, blank=True)
    due_rule_version = models.CharField(max_length=60, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    close_note = models.TextField(blank=True)

    class Meta:
        ordering = ["-received_at", "-created_at"]
        indexes = [
            models.Index(fields=["authority", "status"]),
            # a window of reports by the moment received (the measures, the reports list)
            models.Index(fields=["authority", "received_at"], name="referrals_report_received"),
            # the newest reports a user may see, across their own and their authority's (the
            # API's reports list: its filter is an OR, so the index above cannot order it; 0.12 s
            # of sorting 84,000 reports for a page of 25 at a county)
            models.Index(
                fields=["received_at", "created_at", "id"], name="referrals_report_newest"
            ),
        ]

    def __str__(self) -> str:
        return self.reference or f"Draft report {self.pk}"


class ReportChild(TimeStampedModel):
    """A child named in a report, as the report maker described them; linked at intake."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="children")
    given_name = models.CharField(max_length=100, blank=True)
    family_name = models.CharField(max_length=100, blank=True)
    date_of_birth = models.DateField(null=True, blank=True)
    is_unborn = models.BooleanField(default=False)
    expected_date_of_birth = models.DateField(null=True, blank=True)
    sex = models.CharField(max_length=16, blank=True)
    address = models.CharField(max_length=300, blank=True)
    postcode = models.CharField(max_length=8, blank=True)
    school = models.CharField(max_length=200, blank=True)
    nhs_number = models.CharField(max_length=10, blank=True)
    upn = models.CharField(max_length=13, blank=True)
    person = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, null=True, blank=True, related_name="reports"
    )
    linked_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    linked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"Child {self.pk} of report {self.report_id}"

    @property
    def display_name(self) -> str:
        name = " ".join(p for p in (self.given_name, self.family_name) if p)
        if self.is_unborn and not self.given_name:
            return str(_("Unborn child of %(family)s")) % {"family": self.family_name or "?"}
        return name or str(_("Name not known"))


class Outcome(models.TextChoices):
    NO_FURTHER_ACTION = "NFA", _("No further action")
    INFORMATION_ADVICE = "IAA", _("Information, advice or assistance")
    EARLY_HELP = "EARLY_HELP", _("Preventative or early help")
    ASSESSMENT = "ASSESSMENT", _("Care and support assessment")
    STRATEGY_DISCUSSION = (
        "STRATEGY",
        _("Strategy discussion (reasonable cause to suspect significant harm)"),
    )


#: Outcomes a MASH practitioner may propose but a manager must authorise.
NEEDS_AUTHORISATION = frozenset({Outcome.NO_FURTHER_ACTION, Outcome.STRATEGY_DISCUSSION})


class ReturnedDecision(models.Model):
    """A proposed decision a manager returned, with the reason: kept (append-only) so the report
    shows what was proposed and why it went back. The practitioner then decides again."""

    report = models.ForeignKey(Report, on_delete=models.PROTECT, related_name="returned_decisions")
    outcome = models.CharField(max_length=12, choices=Outcome.choices)
    rationale = models.TextField()
    decided_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField()
    returned_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    returned_at = models.DateTimeField(default=timezone.now)
    reason = models.TextField()

    class Meta:
        ordering = ["returned_at"]

    def __str__(self) -> str:
        return f"Decision on {self.report} returned"


class Decision(TimeStampedModel):
    """The decision on a report: proposed, and authorised by a manager where the outcome needs it.

    The decision counts as made (for the 1-working-day measure) when it is final: on recording
    when no authorisation is needed, otherwise on authorisation.
    """

    report = models.OneToOneField(Report, on_delete=models.PROTECT, related_name="decision")
    outcome = models.CharField(max_length=12, choices=Outcome.choices)
    rationale = models.TextField()
    decided_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(default=timezone.now)
    needs_authorisation = models.BooleanField(default=False)
    authorised_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    authorised_at = models.DateTimeField(null=True, blank=True)
    authorisation_note = models.TextField(blank=True)

    class Meta:
        # a window of decisions by the moment recorded (the measures' funnel)
        indexes = [
            models.Index(fields=["decided_at"], name="referrals_decision_decided"),
            # the few decisions waiting for a manager (the MASH dashboard's reports awaiting
            # decision), without reading every decision ever made
            models.Index(
                fields=["report"],
                name="referrals_decision_pending",
                condition=models.Q(needs_authorisation=True, authorised_at__isnull=True),
            ),
        ]

    def __str__(self) -> str:
        return f"Decision on {self.report}"

    @property
    def is_final(self) -> bool:
        return not self.needs_authorisation or self.authorised_at is not None

    @property
    def final_at(self) -> object:
        return self.authorised_at if self.needs_authorisation else self.decided_at


class AuthorityReportCount(models.Model):
    """How many sent reports (any status but draft) an authority holds, kept by PostgreSQL
    itself: statement triggers on the reports table add and take away as reports are inserted,
    sent, moved between authorities or deleted, in the same transaction (migration 0008, ADR
    0817 addendum). The API reports list's ``count`` for the authority's staff is this less the
    reports naming their hidden records, plus their own others, not a count of every report
    (62 ms at Wales scale, on every page). On SQLite there are no triggers and the reports are
    counted.

    ``closed``: how many of them are closed, kept by the same triggers (migration 0009), so the
    MASH's reports list counts its open reports without reading them (ADR 0837)."""

    authority = models.OneToOneField(
        "accounts.Agency", on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    sent = models.BigIntegerField(default=0)
    closed = models.BigIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.authority_id}: {self.sent}"
