"""``manage.py setup_db_roles``: grant the runtime role what it needs and nothing more (ADR 0014).

Run by the owner role after every ``migrate``::

    DATABASE_URL=postgres://diogelu_app@db/diogelu \\
    DATABASE_OWNER_URL=postgres://diogelu_owner@db/diogelu \\
        manage.py migrate --database owner && manage.py setup_db_roles

The runtime role is ``DATABASE_URL``'s user unless ``--role`` names another; the command
connects through the ``owner`` database alias (``DATABASE_OWNER_URL``) when it is configured,
else ``--database``. It fails if the runtime role is a superuser, bypasses row security or owns a
table.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connections, transaction

from diogelu.access.dbroles import RoleSplitError, grant_runtime


class Command(BaseCommand):
    help = "Grant the runtime database role SELECT/INSERT only on the access log (PostgreSQL)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--database", default=None, help="Alias to connect as (the owner)")
        parser.add_argument(
            "--role", default=None, help="The runtime role (default: DATABASE_URL's user)"
        )
        parser.add_argument("--create", action="store_true", help="Create the role if missing")
        parser.add_argument("--password", default="", help="Password for a role created here")

    def handle(self, *args: Any, **options: Any) -> None:
        alias = options["database"] or ("owner" if "owner" in connections else "default")
        role = options["role"] or connections["default"].settings_dict.get("USER") or ""
        if not role:
            raise CommandError("Name the runtime role (--role) or set DATABASE_URL with a user.")
        connection = connections[alias]
        try:
            with transaction.atomic(using=alias):
                found = grant_runtime(
                    connection, role, create=options["create"], password=options["password"]
                )
        except RoleSplitError as exc:
            raise CommandError(str(exc), returncode=1) from exc
        self.stdout.write(
            f"{found.name}: SELECT and INSERT only on the access log and its seals; "
            "no TRUNCATE, no ownership, no superuser, no BYPASSRLS"
        )
