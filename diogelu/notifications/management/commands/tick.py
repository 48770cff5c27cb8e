"""``manage.py tick``: deliver the outbox and run reminders once (cron on the embedded default;
Celery beat does this in production)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from diogelu.core.rowscope import system_scoped
from diogelu.notifications.delivery import deliver_pending
from diogelu.notifications.reminders import run_reminders


class Command(BaseCommand):
    help = "Deliver pending notifications and run reminders and escalations once."

    @system_scoped("command:tick")
    def handle(self, *args: Any, **options: Any) -> None:
        results = run_reminders()
        delivered = deliver_pending()
        self.stdout.write(
            f"delivered {delivered}; " + ", ".join(f"{k} {v}" for k, v in results.items())
        )
