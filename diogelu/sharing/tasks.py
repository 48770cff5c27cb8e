"""Celery task: the MASH dashboard's closed-loop measures counted off the request path
(ADR 0824)."""

from __future__ import annotations

from diogelu.celery import app
from diogelu.core.rowscope import system_scoped


@app.task(name="diogelu.mash_loop_measures", acks_late=True)  # type: ignore[untyped-decorator]
@system_scoped("task:mash_loop_measures")
def recount_loop_measures(authority_id: int) -> int:
    """Count the two measures of the authority's MASH dashboard (the same figures for every member
    of that MASH). Returns how many decided reports the outcomes measure counted."""
    from django.utils import timezone

    from diogelu.sharing.queues import count_loop_measures

    return count_loop_measures(authority_id, timezone.now()).shared.denominator
