"""``manage.py load_demo``: the synthetic Glanrafon authority, idempotent, with progress."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.test.utils import override_settings

from diogelu.demo import data
from diogelu.demo.loader import load_demo


class Command(BaseCommand):
    help = "Load the synthetic demo authority (fixed seed; a second run adds nothing)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--households", type=int, default=135)
        parser.add_argument("--quiet-logins", action="store_true", help="Do not print the logins")

    def handle(self, *args: Any, **options: Any) -> None:
        # The demo's notifications go to the inbox; their emails are not printed.
        with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
            result = load_demo(
                households=options["households"], progress=lambda m: self.stdout.write(f"  {m}")
            )
        for message in result.messages:
            self.stdout.write(f"  {message}")
        if not options["quiet_logins"]:
            self.stdout.write("")
            self.stdout.write(f"Demo logins (password for all: {data.DEMO_PASSWORD}):")
            for username, *_rest in data.USERS:
                summary = data.ROLE_SUMMARY.get(username, "")
                self.stdout.write(f"  {username:<18} {summary}")
            from diogelu.accounts.models import User

            named = {u[0] for u in data.USERS}
            others = sorted(
                u for u in User.objects.values_list("username", flat=True) if u not in named
            )
            if others:
                self.stdout.write(
                    "Team oversight workforce (synthetic staff behind the caseload and "
                    "supervision figures; same password):"
                )
                for username in others:
                    self.stdout.write(f"  {username}")
