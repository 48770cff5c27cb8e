"""``manage.py load_synthetic``: a synthetic authority at scale (see docs/synthetic-data.md)."""

from __future__ import annotations

import datetime
import sys
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from diogelu.core.rowscope import system_scoped
from diogelu.demo.synthetic import RefusedError, load_synthetic, row_counts


class Command(BaseCommand):
    help = "Load a synthetic authority: N people, Y years of casework, reproducible from a seed."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--people", type=int, default=54000)
        parser.add_argument("--years", type=int, default=1)
        parser.add_argument("--seed", type=int, default=20260101)
        parser.add_argument(
            "--end",
            type=datetime.date.fromisoformat,
            default=None,
            help="the last day of the history, YYYY-MM-DD (default: yesterday); the same seed "
            "and end give the same authority",
        )

    @system_scoped("command:load_synthetic")
    def handle(self, *args: Any, **options: Any) -> None:
        started = time.monotonic()

        def progress(message: str) -> None:
            sys.stderr.write(f"[{time.monotonic() - started:7.1f}s] {message}\n")
            sys.stderr.flush()

        try:
            counts = load_synthetic(
                options["people"],
                options["years"],
                options["seed"],
                progress=progress,
                end=options["end"],
            )
        except RefusedError as exc:
            raise CommandError(str(exc)) from exc
        # Fresh bulk-loaded tables have no planner statistics until autovacuum gets to them: without
        # them the MASH dashboard took 18 s instead of 2 s on 100,000 people x 5 years.
        from django.db import connection

        # On PostgreSQL a VACUUM too, for the visibility map that index-only scans need (a
        # partner's count of people, the outcomes to acknowledge), as autovacuum would set it
        # soon after a load: without it each index entry visits its row (a police officer's
        # My work 0.22 s instead of 0.12 s at Wales scale). 11 s at that size. Not inside a
        # transaction (a test's), where PostgreSQL refuses it.
        vacuum = connection.vendor == "postgresql" and not connection.in_atomic_block
        with connection.cursor() as cursor:
            cursor.execute("VACUUM (ANALYZE)" if vacuum else "ANALYZE")
        progress(
            ("VACUUM (ANALYZE)" if vacuum else "ANALYZE") + " (planner statistics for the new rows)"
        )
        # The measures' closed months counted now, not by the first dashboard (ADR 0730).
        from django.utils import timezone

        from diogelu.measures.compute import warm

        warm(timezone.now(), force=True)
        # And the MASH dashboard's closed-loop measures (ADR 0824).
        from diogelu.sharing.queues import warm_loop_measures

        warm_loop_measures(timezone.now())
        progress("measures: closed months counted into the summary table")
        for name, n in row_counts(counts):
            self.stdout.write(f"{name:<32} {n:>10}")
        self.stdout.write(f"{'total':<32} {sum(counts.rows.values()):>10}")
        self.stdout.write(f"Loaded in {time.monotonic() - started:.1f} s")
