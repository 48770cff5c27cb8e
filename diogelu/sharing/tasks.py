"""Celery task: the MASH dashboard's closed-loop measures counted off the request path
(ADR 0824)."""

from __future__ import annotations

from diogelu.celery import app
from diogelu.core.rowscope import system_scoped


@app.task(name="diogelu.mash_loop_measures", acks_late=True)  # type: ignore[untyped-decorator]
@system_scoped("task:mash_loop_measures")
def recount_loop_measures(user_id: int) -> int:
    """Count the two measures of the dashboard for the authority of the user who found them
    out of date (the same figures every member of that MASH sees). Returns the reports counted."""
    from django.utils import timezone

    from diogelu.accounts.models import User
    from diogelu.sharing.queues import count_loop_measures

    user = User.objects.filter(pk=user_id).first()
    if user is None:
        return 0
    return count_loop_measures(user, timezone.now()).shared.denominator
