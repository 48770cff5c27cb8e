"""``manage.py verify_access_log``: walk the access log's hash chain and report the first break.

The seals (``AccessLogSeal``) are walked in chain order; each must match its log row's current
contents and the previous seal's hash. Exit status 1 naming the first broken seal, or when a log
row older than ``ACCESS_LOG_SEAL_GRACE_SECONDS`` has no seal. Otherwise exit 0 with
"N rows sealed, chain intact (head <hash>)" — record the head hash somewhere else — and the count
of younger rows still pending. Progress goes to stderr every ``--progress-every`` seals.

With a head file (``--head-file``, default ``ACCESS_LOG_HEAD_EXPORT_PATH``) the chain must also
still reach the last exported head: fewer seals than it recorded (rows removed, both tables
truncated) or another hash at that seal (the chain rewritten) is exit status 1 (ADR 0014).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DEFAULT_DB_ALIAS

from diogelu.access import chain


class Command(BaseCommand):
    help = "Verify the access log's hash chain; exit 1 at the first broken seal or overdue row."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS)
        parser.add_argument(
            "--progress-every",
            type=int,
            default=100_000,
            help="Report progress on stderr every this many seals (default 100000).",
        )
        parser.add_argument(
            "--head-file",
            default=None,
            help="The exported heads (default ACCESS_LOG_HEAD_EXPORT_PATH; '' for none).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        every = max(1, int(options["progress_every"]))
        total = chain.seal_count(options["database"])

        def progress(done: int) -> None:
            self.stderr.write(f"checked {done} of {total} seals")

        head_file = options["head_file"]
        if head_file is None:
            head_file = settings.ACCESS_LOG_HEAD_EXPORT_PATH
        exported = chain.read_exported_head(head_file) if head_file else None
        if head_file and exported is None:
            self.stderr.write(f"no exported head in {head_file} yet: only the chain is checked")
        result = chain.verify(
            options["database"], progress=progress, every=every, exported=exported
        )
        if result.exported_mismatch is not None:
            raise CommandError(
                f"the chain does not reach the exported head: {result.exported_mismatch}",
                returncode=1,
            )
        if result.broken is not None:
            raise CommandError(
                f"chain broken at seal {result.broken.seal_id} (log row "
                f"{result.broken.log_id}): {result.broken.reason} "
                f"({result.sealed} seals before it verified)",
                returncode=1,
            )
        if result.unsealed_overdue:
            raise CommandError(
                f"{result.unsealed_overdue} log rows older than "
                f"{settings.ACCESS_LOG_SEAL_GRACE_SECONDS} seconds have no seal (first: row "
                f"{result.first_overdue_id}); {result.sealed} rows sealed, chain intact up to "
                f"head {result.head}",
                returncode=1,
            )
        self.stdout.write(f"{result.sealed} rows sealed, chain intact (head {result.head})")
        if result.pending:
            self.stdout.write(f"{result.pending} rows pending (logged too recently to be overdue)")
