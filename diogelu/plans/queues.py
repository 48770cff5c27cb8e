"""What is waiting in My work for plans: the registered children a lead practitioner has, with
the next core group and review conference and how close each is."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any

from diogelu import procedures
from diogelu.accounts.roles import is_conference_staff
from diogelu.conferences.due import core_group_due, review_due
from diogelu.plans.access import plans_visible_to
from diogelu.plans.due import prefetch_for_dues

if TYPE_CHECKING:
    from diogelu.accounts.models import User


def registered_children(user: User, now: datetime.datetime) -> list[dict[str, Any]]:
    """The registered children this user is lead practitioner for, with the next core group and
    review conference and how close each is."""
    if not is_conference_staff(user):
        return []
    plans = list(
        plans_visible_to(user)
        .filter(episode__lead_practitioner_id=user.pk, episode__ended_at__isnull=True)
        .select_related("person", "episode", "episode__conference")
        # core_group_due reads each episode's meetings: one query for the caseload (issue 17).
        .prefetch_related("episode__core_groups")
        .order_by("episode__started_at")
    )
    prefetch_for_dues([plan.episode for plan in plans])
    return [
        {
            "plan": plan,
            "core_group": procedures.timeliness(core_group_due(plan.episode), now),
            "review": procedures.timeliness(review_due(plan.episode), now),
        }
        for plan in plans
    ]
