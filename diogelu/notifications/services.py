"""Writing to the outbox (with the change) and asking for delivery once the change commits."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import transaction

from diogelu.notifications.models import OutboxMessage

if TYPE_CHECKING:
    from diogelu.accounts.models import Agency, User
    from diogelu.notifications.models import InboxItem


def enqueue(
    *,
    kind: str,
    dedupe_key: str,
    subject: str,
    body: str | dict[str, object] = "",
    link: str = "",
    user: User | None = None,
    agency: Agency | None = None,
    roles: Iterable[str] = (),
    send_email: bool = True,
    task: str = "",
    people: Iterable[int | None] = (),
    subject_key: str = "",
    subject_params: Mapping[str, Any] | None = None,
    show_in_inbox: bool = True,
) -> OutboxMessage | None:
    """Add a message to the outbox in the caller's transaction; None if already announced.

    Recipients: ``user``, or the active users of ``agency`` holding any of ``roles`` (all its
    active users when ``roles`` is empty). Holds no personal data beyond what the recipient may
    see: subjects and bodies name references, not children. ``task`` names the task the message
    asks for (cleared by :func:`complete_task`); ``people`` are the ids of the children it is
    about, named in the app only to recipients who may see them. ``subject_key`` (a msgid marked
    with ``gettext_noop``) and ``subject_params`` store the subject as a message key, rendered in
    each reader's language; ``subject`` may then be left empty. ``body`` may likewise be a
    ``core.texts`` structure, rendered in each reader's language.
    """
    if user is None and agency is None:
        raise ValueError("A message needs a user or an agency")
    from diogelu.core.texts import msg

    params = msg(subject_key, **dict(subject_params or {}))["p"] if subject_key else {}
    body_text: dict[str, object] | None = None
    if isinstance(body, dict):
        from diogelu.core.texts import written

        body_text, body = body, written(body)
    if subject_key and not subject:
        subject = OutboxMessage(subject_key=subject_key, subject_params=params).subject_in()
    message, created = OutboxMessage.objects.get_or_create(
        dedupe_key=dedupe_key[:200],
        defaults={
            "kind": kind,
            "recipient_user": user,
            "recipient_agency": agency,
            "recipient_roles": sorted(str(r) for r in roles),
            "subject": subject[:200],
            "body": body,
            "body_text": body_text,
            "link": link[:300],
            "send_email": send_email,
            "task": task[:100],
            "people": sorted({int(p) for p in people if p is not None}),
            "subject_key": subject_key,
            "subject_params": params,
            "show_in_inbox": show_in_inbox,
        },
    )
    if not created:
        return None
    _kick_after_commit()
    return message


def _kick_after_commit() -> None:
    """Ask for one delivery sweep when the transaction commits (one per transaction, however
    many messages it wrote)."""
    from django.db import connection

    pending = getattr(connection, "run_on_commit", [])
    if any(entry[1] is _kick for entry in pending):
        return
    transaction.on_commit(_kick)


def _kick() -> None:
    """After commit: deliver now in-process, or hand the sweep to a Celery worker."""
    from diogelu.notifications.tasks import deliver_outbox

    if getattr(settings, "CELERY_TASK_ALWAYS_EAGER", False):
        deliver_outbox()
    else:
        try:
            deliver_outbox.delay()
        except Exception:
            # The message is safe in the outbox; the periodic sweep delivers it later.
            import logging

            logging.getLogger(__name__).warning("outbox: broker unavailable, left for the sweep")


def mark_read(*, actor: User, items: Iterable[InboxItem]) -> int:
    """Mark the actor's own inbox items as read (again is harmless). Returns how many changed."""
    from django.utils import timezone

    from diogelu.notifications.models import InboxItem

    ids = [item.pk for item in items if item.user_id == actor.pk]
    return InboxItem.objects.filter(pk__in=ids, user_id=actor.pk, read_at__isnull=True).update(
        read_at=timezone.now()
    )


def complete_task(task: str) -> int:
    """The task is done: its messages are marked done and their unread inbox items clear (in the
    caller's transaction). Returns how many messages were open."""
    from django.utils import timezone

    from diogelu.notifications.models import InboxItem

    if not task:
        return 0
    now = timezone.now()
    changed = OutboxMessage.objects.filter(task=task, done_at__isnull=True).update(done_at=now)
    InboxItem.objects.filter(message__task=task, read_at__isnull=True).update(read_at=now)
    return changed
