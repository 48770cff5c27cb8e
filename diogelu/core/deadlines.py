"""Deadlines stored on a record when its clock started, as :class:`~diogelu.procedures.Due`.

A service stores the due instant when the clock starts (from a ``procedures`` rule); queues and
pages later show it through the same rule, but the stored instant stands even if the rule has
changed since. Used by every workflow app's queues.
"""

from __future__ import annotations

import datetime

from django.utils import timezone

from diogelu import procedures
from diogelu.core.presenters import rule_text
from diogelu.procedures import Due


def stored_due(
    key: str, start: datetime.datetime | datetime.date, due_at: datetime.datetime
) -> Due:
    """A :class:`Due` for a deadline stored when the clock started (the rule may have changed
    since: the stored instant stands)."""
    rule = procedures.get_rule(key)
    due_on = timezone.localtime(due_at).date()
    return Due(
        rule=rule,
        start=start,
        due_on=due_on,
        due_at=due_at,
        schedule_by=due_on,
        description=rule_text(rule),
    )
