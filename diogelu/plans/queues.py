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
from diogelu.plans.models import Plan

if TYPE_CHECKING:
    from collections.abc import Iterable

    from django.db.models import QuerySet

    from diogelu.accounts.models import User


def registered_plans(user: User) -> QuerySet[Plan]:
    """The plans of the registered children this user is lead practitioner for, longest
    registered first (a query: lists page it)."""
    if not is_conference_staff(user):
        return Plan.objects.none()
    return (
        plans_visible_to(user)
        .filter(episode__lead_practitioner_id=user.pk, episode__ended_at__isnull=True)
        .select_related("person", "episode", "episode__conference")
        # core_group_due reads each episode's meetings: one query for the caseload (issue 17).
        .prefetch_related("episode__core_groups")
        .order_by("episode__started_at", "pk")
    )


def registered_rows(plans_: Iterable[Plan], now: datetime.datetime) -> list[dict[str, Any]]:
    """Each plan with its next core group and review conference and how close each is."""
    plans = list(plans_)
    prefetch_for_dues([plan.episode for plan in plans])
    return [
        {
            "plan": plan,
            "core_group": procedures.timeliness(core_group_due(plan.episode), now),
            "review": procedures.timeliness(review_due(plan.episode), now),
        }
        for plan in plans
    ]
