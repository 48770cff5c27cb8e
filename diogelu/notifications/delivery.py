"""The outbox relay: turn pending messages into inbox items and emails, exactly once each."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage, get_connection
from django.core.mail.backends.base import BaseEmailBackend
from django.db import IntegrityError, connection, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from diogelu.notifications.models import EmailDelivery, InboxItem, OutboxMessage

if TYPE_CHECKING:
    from diogelu.accounts.models import User

log = logging.getLogger(__name__)


def recipients(message: OutboxMessage) -> QuerySet[User]:
    """The active users a message goes to (the user model is the project's, so this outbox
    imports no domain app)."""
    users_model = get_user_model()
    if message.recipient_user_id is not None:
        return users_model.objects.filter(pk=message.recipient_user_id, is_active=True)
    assert message.recipient_agency_id is not None  # enqueue requires a user or an agency
    users = users_model.objects.filter(agency_id=message.recipient_agency_id, is_active=True)
    if message.recipient_roles:
        users = users.filter(role_assignments__role__in=message.recipient_roles).distinct()
    return users


def send_mail(
    *,
    subject: str,
    message: str,
    from_email: str | None,
    recipient_list: list[str],
    headers: dict[str, str] | None = None,
    connection: BaseEmailBackend | None = None,
) -> int:
    """Django's ``send_mail`` with headers (the stable Message-ID below), on ``connection`` if
    given (one opened connection for a whole sweep, not one per email)."""
    return EmailMessage(
        subject=subject,
        body=message,
        from_email=from_email,
        to=recipient_list,
        headers=headers,
        connection=connection,
    ).send()


def message_id(message: OutboxMessage, user: User) -> str:
    """The email's Message-ID, the same every time this message is sent to this user.

    A worker killed between handing an email to the mail server and recording it sends it again
    on retry; the second copy carries the same Message-ID, so a mail system (or the recipient's
    client) can drop it as a duplicate (RFC 5322 §3.6.4; docs/configuration.md).
    """
    domain = urlsplit(settings.SITE_URL).hostname or "diogelu.invalid"
    return f"<outbox-{message.pk}.{user.pk}@{domain}>"


#: Links whose email form is computed at send time (a secret that must not be stored): the stored
#: link's prefix → a function from the stored link to the link to send. Registered by the app that
#: owns the link (accounts registers the password links).
_LINK_EXPANDERS: dict[str, Callable[[str], str]] = {}


def register_link_expander(prefix: str, expand: Callable[[str], str]) -> None:
    """Let the owner of links starting with ``prefix`` say what the email carries instead."""
    _LINK_EXPANDERS[prefix] = expand


def _email_link(message: OutboxMessage) -> str:
    if not message.link:
        return ""
    link = message.link
    for prefix, expand in _LINK_EXPANDERS.items():
        if link.startswith(prefix):
            link = expand(link)
            break
    return f"{settings.SITE_URL}{link}"


def _deliver_one(message: OutboxMessage, mail: BaseEmailBackend) -> bool:
    """Deliver one message; False (and left pending) if an email could not be sent.

    Each recipient's email is sent at most once: what was delivered before an email failed is
    kept with the message (committed with its ``attempts`` and ``last_error``), so the retry
    sends only the emails still owed instead of sending the others again.
    """
    failed = ""
    for user in recipients(message):
        if message.show_in_inbox:
            InboxItem.objects.get_or_create(user=user, message=message)
        if message.send_email and user.email:
            try:
                with transaction.atomic():
                    EmailDelivery.objects.create(message=message, user=user)
                    send_mail(
                        subject=f"[Diogelu] {message.subject_in(user.preferred_language)}",
                        message=f"{message.body_in(user.preferred_language)}\n\n{_email_link(message)}".strip(),
                        from_email=None,
                        recipient_list=[user.email],
                        headers={"Message-ID": message_id(message, user)},
                        connection=mail,
                    )
            except IntegrityError:
                pass  # already sent for this message and user
            except Exception as exc:
                failed = type(exc).__name__  # this user's email is retried by the next sweep
                _reopen(mail)  # the connection may be broken: the next email gets a new one
    message.attempts += 1
    if failed:
        log.warning("outbox: message %s: an email failed: %s", message.pk, failed)
        message.last_error = failed[:300]
        message.save(update_fields=["attempts", "last_error"])
        return False
    message.delivered_at = timezone.now()
    message.save(update_fields=["delivered_at", "attempts"])
    return True


def deliver_pending(limit: int = 200) -> int:
    """Deliver up to ``limit`` pending messages; returns how many were delivered.

    Each message is delivered in its own transaction with its row locked (``SKIP LOCKED`` on
    PostgreSQL, so several workers share the queue). A crash before commit leaves the message
    pending, to be delivered by the next sweep; inbox items and emails are keyed by message and
    user, so nothing is delivered twice.
    """
    # Fewest attempts first: messages that keep failing do not hold up new ones.
    pending = OutboxMessage.objects.filter(delivered_at__isnull=True).order_by(
        "attempts", "created_at"
    )
    ids = list(pending.values_list("pk", flat=True)[:limit])
    if not ids:
        return 0
    # One mail connection for the sweep: each email opening its own meant a new SMTP session (and
    # TLS handshake) per recipient. A mail server that does not answer fails only the emails (each
    # is retried by the next sweep), never the inbox items.
    mail = get_connection()
    _reopen(mail)
    try:
        return _deliver(ids, mail)
    finally:
        mail.close()


def _reopen(mail: BaseEmailBackend) -> None:
    """Close ``mail`` and open it again; left closed if the server does not answer (an email
    sent on a closed connection opens one for itself)."""
    try:
        mail.close()
        mail.open()
    except Exception as exc:
        log.warning("outbox: the mail server did not answer: %s", type(exc).__name__)


def _deliver(ids: list[uuid.UUID], mail: BaseEmailBackend) -> int:
    delivered = 0
    for pk in ids:
        with transaction.atomic():
            rows = OutboxMessage.objects.filter(Q(pk=pk) & Q(delivered_at__isnull=True))
            if connection.vendor == "postgresql":
                rows = rows.select_for_update(skip_locked=True)
            message = rows.first()
            if message is None:
                continue
            try:
                with transaction.atomic():
                    delivered += _deliver_one(message, mail)
            except Exception as exc:
                log.warning("outbox: message %s failed: %s", message.pk, type(exc).__name__)
                OutboxMessage.objects.filter(pk=message.pk).update(
                    attempts=message.attempts + 1, last_error=type(exc).__name__[:300]
                )
    return delivered
