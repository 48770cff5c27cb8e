"""Celery tasks: the outbox sweep and the reminder/escalation sweep."""

from __future__ import annotations

# The project's app, not ``shared_task``: a web process never imports ``diogelu.celery`` on its
# own, and ``shared_task`` would then bind to Celery's default app (AMQP on localhost), so
# ``deliver_outbox.delay()`` would not reach Redis.
from diogelu.celery import app
from diogelu.core.rowscope import system_scoped

# Each task names its system scope (row-level security on case tables, ADR 0751): a task works for
# every authority, and nothing gives it that scope by default.


@app.task(name="diogelu.deliver_outbox", acks_late=True)  # type: ignore[untyped-decorator]
@system_scoped("task:deliver_outbox")
def deliver_outbox() -> int:
    """Deliver pending outbox messages."""
    from diogelu.notifications.delivery import deliver_pending

    return deliver_pending()


@app.task(name="diogelu.run_reminders", acks_late=True)  # type: ignore[untyped-decorator]
@system_scoped("task:run_reminders")
def run_reminders() -> dict[str, int]:
    """Remind before due dates and escalate what is overdue (idempotent: safe to run often)."""
    from diogelu.notifications.reminders import run_reminders as run

    return run()
