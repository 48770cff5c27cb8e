"""``manage.py load_demo``: the synthetic Glanrafon authority, idempotent, with progress.

Refuses to run with ``DEBUG`` off unless told so (``--allow-without-debug``), and never where
``DEPLOYMENT`` is ``production`` (the default with ``DEBUG`` off). Without ``DEBUG`` the new demo
accounts get a random password, printed once, instead of the published one.
"""

from __future__ import annotations

import secrets
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.test.utils import override_settings

from diogelu.core.rowscope import system_scoped
from diogelu.demo import data
from diogelu.demo.loader import load_demo


class Command(BaseCommand):
    help = "Load the synthetic demo authority (fixed seed; a second run adds nothing)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--households", type=int, default=135)
        parser.add_argument("--quiet-logins", action="store_true", help="Do not print the logins")
        parser.add_argument(
            "--allow-without-debug",
            action="store_true",
            help="Load the demo with DEBUG off (a training or staging site; never production)",
        )

    @system_scoped("command:load_demo")
    def handle(self, *args: Any, **options: Any) -> None:
        if settings.DEPLOYMENT == "production":
            raise CommandError(
                "The demo authority is never loaded into a production installation "
                "(DEPLOYMENT=production, the default when DEBUG is off)."
            )
        if not settings.DEBUG and not options["allow_without_debug"]:
            raise CommandError(
                "DEBUG is off: load the demo only on a training or staging site, with "
                "--allow-without-debug and DEPLOYMENT set to what the site is (e.g. training)."
            )
        password = data.DEMO_PASSWORD if settings.DEBUG else secrets.token_urlsafe(18)
        # The demo's notifications go to the inbox; their emails are not printed.
        with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
            result = load_demo(
                households=options["households"],
                progress=lambda m: self.stdout.write(f"  {m}"),
                password=password,
            )
        # The measures' closed months counted now, not by the first dashboard (ADR 0730).
        from django.utils import timezone

        from diogelu.measures.compute import warm

        warm(timezone.now(), force=True)
        # And the MASH dashboard's closed-loop measures (ADR 0824).
        from diogelu.sharing.queues import warm_loop_measures

        warm_loop_measures(timezone.now())
        for message in result.messages:
            self.stdout.write(f"  {message}")
        if not options["quiet_logins"]:
            self.stdout.write("")
            if settings.DEBUG:
                self.stdout.write(f"Demo logins (password for all: {password}):")
            elif result.users:
                self.stdout.write(f"Demo logins (password for new accounts: {password}):")
            else:
                self.stdout.write("Demo logins (accounts already existed; passwords unchanged):")
            for username, *_rest in data.USERS:
                summary = data.ROLE_SUMMARY.get(username, "")
                self.stdout.write(f"  {username:<18} {summary}")
            from diogelu.accounts.models import User

            named = {u[0] for u in data.USERS}
            others = sorted(
                u
                for u in User.objects.filter(is_active=True).values_list("username", flat=True)
                if u not in named
            )
            if others:
                self.stdout.write(
                    "Team oversight workforce (synthetic staff behind the caseload and "
                    "supervision figures; same password):"
                )
                for username in others:
                    self.stdout.write(f"  {username}")
