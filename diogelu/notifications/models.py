"""The transactional outbox and the in-app inbox.

Services write an :class:`OutboxMessage` in the same transaction as the change it announces. A
relay (:func:`diogelu.notifications.delivery.deliver_pending`, run by Celery on Redis in production
and in-process on the embedded default) turns each message into inbox items and emails. Inbox
items are delivered exactly once (keyed by message and user, written in the transaction that marks
the message delivered). Emails are at least once: a relay killed after sending an email but before
its transaction commits sends that one email again.
"""

from __future__ import annotations

import uuid

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    REPORT_RECEIVED = "REPORT_RECEIVED", _("Report received")
    INFORMATION_REQUEST = "INFORMATION_REQUEST", _("Information request")
    REQUEST_OVERDUE = "REQUEST_OVERDUE", _("Information request overdue")
    ANSWER_RECEIVED = "ANSWER_RECEIVED", _("Answer received")
    DECISION_TO_AUTHORISE = "DECISION_TO_AUTHORISE", _("Decision to authorise")
    OUTCOME = "OUTCOME", _("Outcome to acknowledge")
    OUTCOME_UNACKNOWLEDGED = "OUTCOME_UNACKNOWLEDGED", _("Outcome not acknowledged")
    REMINDER = "REMINDER", _("Reminder")
    BREAK_GLASS = "BREAK_GLASS", _("Emergency access to review")
    READ_VOLUME = "READ_VOLUME", _("Unusual number of records read")
    PASSWORD_LINK = "PASSWORD_LINK", _("Link to set a password")


class OutboxMessage(models.Model):
    """A notification to deliver, written with the change it announces.

    ``dedupe_key`` makes re-announcing the same thing (a reminder sweep run twice) a no-op.
    Recipients are users, or every active user of an agency holding one of ``roles``.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    kind = models.CharField(max_length=24, choices=Kind.choices)
    dedupe_key = models.CharField(max_length=200, unique=True)
    recipient_user = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    recipient_agency = models.ForeignKey(
        "accounts.Agency", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    recipient_roles = models.JSONField(default=list, blank=True)
    subject = models.CharField(max_length=200)
    body = models.TextField(blank=True)
    #: The body as message keys (``core.texts``), rendered in each reader's language.
    body_text = models.JSONField(null=True, blank=True)
    link = models.CharField(max_length=300, blank=True)
    send_email = models.BooleanField(default=True)
    #: False for messages that are only emails (a link to set a password): no inbox item.
    show_in_inbox = models.BooleanField(default=True)
    delivered_at = models.DateTimeField(null=True, blank=True, db_index=True)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.CharField(max_length=300, blank=True)
    #: The task the message asks for ("outcome:12", "request:7"): when the task is done
    #: (``complete_task``) the message is marked done and its inbox items clear.
    task = models.CharField(max_length=100, blank=True, db_index=True)
    done_at = models.DateTimeField(null=True, blank=True)
    #: Ids of the people (children) the message is about. In the app their names are shown to a
    #: recipient who may see them (an access-logged read); emails name only the reference.
    people = models.JSONField(default=list, blank=True)
    #: The subject as a message key (its English msgid) and parameters, rendered in the reader's
    #: language (the inbox in the page's, an email in the recipient's preferred language).
    #: ``subject`` keeps the text as written, for messages with no key.
    subject_key = models.TextField(blank=True)
    subject_params = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return f"Outbox {self.pk}"

    def subject_in(self, language: str | None = None) -> str:
        """The subject in ``language`` (the active language when None)."""
        if not self.subject_key:
            return self.subject
        from diogelu.core.texts import render

        # The key was marked with gettext_noop where it was written; its parameters may be
        # core.texts structures (a date, a label), rendered in the same language.
        return render({"k": self.subject_key, "p": dict(self.subject_params or {})}, language)

    def body_in(self, language: str | None = None) -> str:
        """The body in ``language`` (the active language when None)."""
        if not self.body_text:
            return self.body
        from diogelu.core.texts import render

        return render(self.body_text, language)

    @property
    def reader_subject(self) -> str:
        """The subject in the reader's (active) language, for pages."""
        return self.subject_in()


class InboxItem(models.Model):
    """A notification shown to one user in the service ("Notifications")."""

    user = models.ForeignKey("accounts.User", on_delete=models.CASCADE, related_name="inbox")
    message = models.ForeignKey(OutboxMessage, on_delete=models.PROTECT, related_name="inbox_items")
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["user", "message"], name="inbox_once_per_message")
        ]

    def __str__(self) -> str:
        return f"Inbox item {self.pk}"


class EmailDelivery(models.Model):
    """An email sent for an outbox message to one address: the key that prevents a second send."""

    message = models.ForeignKey(OutboxMessage, on_delete=models.PROTECT, related_name="emails")
    user = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["message", "user"], name="email_once_per_message_user")
        ]

    def __str__(self) -> str:
        return f"Email {self.pk}"
