"""MASH checks (asking agencies, getting answers), outcomes shared and acknowledged, and the
disclosure log of everything shared with whom on what lawful basis."""

from __future__ import annotations

from typing import Any, NoReturn

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from diogelu.referrals.models import LawfulBasis


class Priority(models.TextChoices):
    URGENT = "URGENT", _("Urgent")
    STANDARD = "STANDARD", _("Standard")


PRIORITY_RULES = {
    Priority.URGENT: "mash.request.urgent",
    Priority.STANDARD: "mash.request.standard",
}


class RequestStatus(models.TextChoices):
    OPEN = "OPEN", _("Waiting for an answer")
    ANSWERED = "ANSWERED", _("Answered")
    NOTHING_HELD = "NOTHING_HELD", _("Nothing held")
    CANCELLED = "CANCELLED", _("Cancelled")


class InformationRequest(models.Model):
    """A MASH check: a question to one agency about one child in a report.

    The agency sees the child's identity and the question, not the child's file. The due time
    comes from the priority's procedures rule; an overdue request is escalated once to the agency's
    safeguarding lead and shown to the MASH.
    """

    report = models.ForeignKey(
        "referrals.Report", on_delete=models.PROTECT, related_name="requests"
    )
    child = models.ForeignKey(
        "referrals.ReportChild", on_delete=models.PROTECT, related_name="requests"
    )
    agency = models.ForeignKey(
        "accounts.Agency", on_delete=models.PROTECT, related_name="information_requests"
    )
    priority = models.CharField(max_length=10, choices=Priority.choices)
    question = models.TextField()
    lawful_basis = models.CharField(
        max_length=20, choices=LawfulBasis.choices, default=LawfulBasis.SAFEGUARDING
    )
    requested_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(default=timezone.now)
    due_at = models.DateTimeField()
    due_rule = models.CharField(max_length=60)
    due_rule_version = models.CharField(max_length=60)
    status = models.CharField(
        max_length=14, choices=RequestStatus.choices, default=RequestStatus.OPEN
    )
    escalated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["due_at"]
        indexes = [
            models.Index(fields=["agency", "status"]),
            # the newest answered requests first (the request queue's answered list): read
            # from the newest back instead of sorting every request of the authority
            models.Index(fields=["requested_at", "id"], name="request_requested_at"),
            # The API's request list, soonest due first, whatever the status: walked from the
            # top for a page, where every request of five years was sorted on disk (0.3 s for
            # the MASH at a county; ADR 0842).
            models.Index(fields=["due_at", "id"], name="request_by_due"),
            # open requests by due time (a manager's overdue requests, the queue's open ones):
            # the open few rather than every request of the authority (issue 17)
            models.Index(
                fields=["due_at", "id"],
                condition=models.Q(status="OPEN"),
                name="request_open_by_due",
            ),
        ]

    def __str__(self) -> str:
        return f"Information request {self.pk}"

    @property
    def is_open(self) -> bool:
        return self.status == RequestStatus.OPEN


class InformationAnswer(models.Model):
    """An agency's answer to a MASH check: what it holds, or that it holds nothing."""

    request = models.OneToOneField(
        InformationRequest, on_delete=models.PROTECT, related_name="answer"
    )
    answered_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    answered_at = models.DateTimeField(default=timezone.now)
    holds_information = models.BooleanField()
    known_to_agency = models.CharField(max_length=10, blank=True)
    last_contact_on = models.DateField(null=True, blank=True)
    current_concerns = models.TextField(blank=True)
    risk_indicators = models.JSONField(default=list, blank=True)
    summary = models.TextField(blank=True)
    #: The last amendment (the agency may amend its answer until the decision on the report).
    amended_at = models.DateTimeField(null=True, blank=True)
    amended_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    amendment_reason = models.TextField(blank=True)

    def __str__(self) -> str:
        return f"Answer to request {self.request_id}"


class AnswerVersion(models.Model):
    """An earlier version of an answer, kept when the agency amends it: number 1 is the answer as
    first given. Append-only."""

    answer = models.ForeignKey(InformationAnswer, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveSmallIntegerField()
    answered_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    answered_at = models.DateTimeField()
    holds_information = models.BooleanField()
    known_to_agency = models.CharField(max_length=10, blank=True)
    last_contact_on = models.DateField(null=True, blank=True)
    current_concerns = models.TextField(blank=True)
    risk_indicators = models.JSONField(default=list, blank=True)
    summary = models.TextField(blank=True)
    replaced_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(fields=["answer", "number"], name="answer_version_unique")
        ]

    def __str__(self) -> str:
        return f"Answer {self.answer_id} version {self.number}"


class OutcomeSource(models.TextChoices):
    DECISION = "DECISION", _("Decision on the report")
    STRATEGY = "STRATEGY", _("Strategy discussion")
    DETERMINATION = "DETERMINATION", _("Section 47 determination")


class OutcomeNotification(models.Model):
    """An outcome shared with one recipient (an agency, or the person who reported), to be
    acknowledged. ``content`` is what that recipient is entitled to know, written at sharing time.
    An unacknowledged outcome is escalated after the ``outcome.acknowledge`` rule's period.
    """

    report = models.ForeignKey(
        "referrals.Report", on_delete=models.PROTECT, related_name="outcomes"
    )
    #: The report's authority, kept on the outcome (set on save from the report) so that an
    #: authority's unacknowledged outcomes are counted without joining every one to its report
    #: (the MASH dashboard, ADR 0816).
    authority = models.ForeignKey(
        "accounts.Agency", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    source = models.CharField(max_length=14, choices=OutcomeSource.choices)
    source_id = models.PositiveBigIntegerField()
    recipient_agency = models.ForeignKey(
        "accounts.Agency", on_delete=models.PROTECT, null=True, blank=True, related_name="outcomes"
    )
    recipient_user = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, null=True, blank=True, related_name="outcomes"
    )
    recipient_label = models.CharField(max_length=200)
    is_reporter = models.BooleanField(default=False)
    title = models.CharField(max_length=200)
    content = models.TextField()
    #: ``title`` and ``content`` as message keys (``core.texts``), rendered in the reader's
    #: language; the plain fields keep them in the site's language.
    title_text = models.JSONField(null=True, blank=True)
    content_text = models.JSONField(null=True, blank=True)
    lawful_basis = models.CharField(
        max_length=20, choices=LawfulBasis.choices, default=LawfulBasis.SAFEGUARDING
    )
    shared_at = models.DateTimeField(default=timezone.now)
    acknowledge_by = models.DateTimeField()
    due_rule_version = models.CharField(max_length=60)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    escalated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-shared_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["source", "source_id", "recipient_agency", "recipient_user"],
                name="outcome_once_per_recipient",
            )
        ]
        indexes = [
            # the MASH dashboard's and My work's unacknowledged outcomes, oldest first: a small
            # set however many outcomes years of work have acknowledged
            models.Index(
                fields=["acknowledge_by", "id"],
                condition=models.Q(acknowledged_at__isnull=True),
                name="sharing_outcome_unacked",
            ),
            # an authority's unacknowledged outcomes, oldest first, and their counts
            models.Index(
                fields=["authority", "acknowledge_by", "id"],
                condition=models.Q(acknowledged_at__isnull=True),
                name="sharing_outcome_unacked_by_la",
            ),
            # a MASH manager's escalated outcomes (My work): a handful, found without reading
            # the authority's tens of thousands unacknowledged (issue 17)
            models.Index(
                fields=["authority", "acknowledge_by", "id"],
                condition=models.Q(acknowledged_at__isnull=True, escalated_at__isnull=False),
                name="sharing_outcome_escalated",
            ),
            # An agency's and a named person's outcomes to acknowledge (My work and its count,
            # issue 17): read as a BitmapOr of the two, not by filtering every unacknowledged
            # outcome of every agency (12 → 5 ms for a police officer at a county).
            models.Index(
                fields=["recipient_user", "acknowledge_by", "id"],
                condition=models.Q(acknowledged_at__isnull=True),
                name="outcome_unacked_by_user",
            ),
            models.Index(
                fields=["recipient_agency", "acknowledge_by", "id"],
                condition=models.Q(acknowledged_at__isnull=True, recipient_user__isnull=True),
                name="outcome_unacked_by_agency",
            ),
            # The two halves of everything shared, newest first: the API's list of outcomes
            # read from the top of each (a police force's 67,000 at a county were all read and
            # sorted for each page of 25; issue 17).
            models.Index(
                fields=["recipient_user", "-shared_at", "-id"],
                name="outcome_shared_to_user",
            ),
            models.Index(
                fields=["recipient_agency", "-shared_at", "-id"],
                condition=models.Q(recipient_user__isnull=True),
                name="outcome_shared_to_agency",
            ),
            # The same two halves of what was acknowledged, newest first: the outcomes page's
            # last hundred, read from the top of each without sorting years of them (a county's
            # health visitor: 67,000 rows sorted, 330 ms; issue 17).
            models.Index(
                fields=["recipient_user", "-acknowledged_at", "-id"],
                condition=models.Q(acknowledged_at__isnull=False),
                name="outcome_acked_by_user",
            ),
            models.Index(
                fields=["recipient_agency", "-acknowledged_at", "-id"],
                condition=models.Q(acknowledged_at__isnull=False, recipient_user__isnull=True),
                name="outcome_acked_by_agency",
            ),
        ]

    def __str__(self) -> str:
        return f"Outcome {self.pk}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.authority_id is None and self.report_id is not None:
            self.authority_id = self.report.authority_id
        super().save(*args, **kwargs)

    @property
    def is_acknowledged(self) -> bool:
        return self.acknowledged_at is not None

    @property
    def reader_title(self) -> str:
        """The title in the reader's (active) language."""
        from diogelu.core.texts import render

        return render(self.title_text) if self.title_text else self.title

    @property
    def reader_content(self) -> str:
        """The content in the reader's (active) language."""
        from diogelu.core.texts import render

        return render(self.content_text) if self.content_text else self.content


class DisclosureKind(models.TextChoices):
    INFORMATION_REQUEST = "INFORMATION_REQUEST", _("Information request sent")
    INFORMATION_ANSWER = "INFORMATION_ANSWER", _("Information shared in answer")
    OUTCOME = "OUTCOME", _("Outcome shared")
    STRATEGY_RECORD = "STRATEGY_RECORD", _("Strategy record shared")


class AppendOnlyError(RuntimeError):
    pass


class DisclosureQuerySet(models.QuerySet["Disclosure"]):
    def update(self, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError("The disclosure log is append-only")

    def delete(self) -> NoReturn:
        raise AppendOnlyError("The disclosure log is append-only")


class Disclosure(models.Model):
    """One sharing of information: what, from which agency, to whom, when, on what basis.

    Append-only; holds a description and ids, never the content shared.
    """

    at = models.DateTimeField(default=timezone.now, db_index=True)
    kind = models.CharField(max_length=24, choices=DisclosureKind.choices)
    from_agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, related_name="+")
    to_agency = models.ForeignKey(
        "accounts.Agency", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    to_user = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    by_user = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    report = models.ForeignKey(
        "referrals.Report", on_delete=models.PROTECT, null=True, related_name="disclosures"
    )
    person = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    #: What was shared, in the site's language (for exports and searches of the log).
    description = models.CharField(max_length=300)
    #: The same as message keys with parameters (``core.texts``), shown in the reader's
    #: language; null on rows written before it was kept.
    text = models.JSONField(null=True, blank=True)
    lawful_basis = models.CharField(max_length=20, choices=LawfulBasis.choices)
    object_id = models.PositiveBigIntegerField(null=True)

    objects = DisclosureQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"Disclosure {self.pk}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise AppendOnlyError("The disclosure log is append-only")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError("The disclosure log is append-only")

    @property
    def reader_description(self) -> str:
        """What was shared, in the reader's language where it was kept as message keys."""
        from diogelu.core.texts import render

        return render(self.text) if self.text else self.description
