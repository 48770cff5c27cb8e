"""Celery tasks: the measures' closed months counted just after midnight (ADR 0730), and the
open months counted again every few minutes before their cache expires (ADR 0825)."""

from __future__ import annotations

from diogelu.celery import app
from diogelu.core.rowscope import system_scoped


@app.task(name="diogelu.measures_warm", acks_late=True)  # type: ignore[untyped-decorator]
@system_scoped("task:measures_warm")
def measures_warm() -> int:
    """Count every authority's closed months for the new day into the summary table, so the
    day's first dashboard reads the summary and counts only the open month."""
    from django.utils import timezone

    from diogelu.measures.compute import warm

    return warm(timezone.now())


@app.task(name="diogelu.measures_refresh", acks_late=True)  # type: ignore[untyped-decorator]
@system_scoped("task:measures_refresh")
def measures_refresh() -> int:
    """Count every authority's dashboard series again before the kept ones expire."""
    from django.utils import timezone

    from diogelu.measures.compute import refresh

    return refresh(timezone.now())
