"""Celery tasks: the outbox sweep and the reminder/escalation sweep."""

from __future__ import annotations

from celery import shared_task


@shared_task(name="diogelu.deliver_outbox", acks_late=True)
def deliver_outbox() -> int:
    """Deliver pending outbox messages."""
    from diogelu.notifications.delivery import deliver_pending

    return deliver_pending()


@shared_task(name="diogelu.run_reminders", acks_late=True)
def run_reminders() -> dict[str, int]:
    """Remind before due dates and escalate what is overdue (idempotent: safe to run often)."""
    from diogelu.notifications.reminders import run_reminders as run

    return run()
