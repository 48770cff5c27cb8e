"""``manage.py export_access_log_head [PATH]``: append the access log's chain head to a file.

The sweep (``access_log_head_exported``) does the same on every tick when
``ACCESS_LOG_HEAD_EXPORT_PATH`` is set; this command is for cron or a one-off. The file must be
on storage the database server and its roles cannot write (ADR 0014); ``verify_access_log``
checks the chain still reaches the last head in it.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DEFAULT_DB_ALIAS

from diogelu.access import chain


class Command(BaseCommand):
    help = "Append the access log's chain head (seal count and hash) to a file."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", nargs="?", default=None)
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS)

    def handle(self, *args: Any, **options: Any) -> None:
        path = options["path"] or settings.ACCESS_LOG_HEAD_EXPORT_PATH
        if not path:
            raise CommandError("Give a path or set ACCESS_LOG_HEAD_EXPORT_PATH.")
        head = chain.export_head(path, options["database"])
        self.stdout.write(f"{head.sealed} seals, head {head.head}")
