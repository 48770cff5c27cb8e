"""What oversight adds to My work and to the service navigation (registered in ``apps.py``)."""

from __future__ import annotations

import datetime
from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from diogelu.access.visibility import visible_person_q
from diogelu.oversight.access import is_manager, is_oversight_staff, reports_below
from diogelu.oversight.models import (
    Approval,
    ApprovalKind,
    ApprovalStatus,
    SupervisionAction,
    Worker,
)
from diogelu.oversight.verification import overdue_actions, supervision_dues


def nav_items(user: Any) -> list[tuple[str, str]]:
    if not is_oversight_staff(user):
        return []
    items = []
    if is_manager(user) or user.has_role("AUDITOR"):
        items.append((reverse("oversight_home"), _("Team oversight")))
    else:
        items.append((reverse("my_supervision"), _("Supervision")))
    if user.team_id is not None and not user.has_role("HEAD_OF_SERVICE", "AUDITOR"):
        items.append((reverse("team_children", args=[user.team_id]), _("Team's children")))
    return items


def person_links(user: Any, person: Any) -> list[tuple[str, str]]:
    """The child's allocation and oversight page, for the authority's oversight staff."""
    if not is_oversight_staff(user) or person.authority_id != user.agency_id:
        return []
    return [(reverse("child_oversight", args=[person.pk]), _("Allocation and oversight"))]


def supervised_workers(user: Any) -> Any:
    """The workers whose supervision ``user`` answers for: their line reports, and for a team
    manager the case holders of their team."""
    from django.db.models import Q

    workers = Worker.objects.filter(authority_id=user.agency_id)
    mine = Q(line_manager_id=user.pk)
    if user.has_role("TEAM_MANAGER") and user.team_id is not None:
        mine |= Q(team_id=user.team_id)
    return workers.filter(mine).exclude(user_id=user.pk)


def my_work_section(user: Any, now: datetime.datetime) -> dict[str, Any] | None:
    """Overdue supervision and supervision actions for a supervisor; a worker's own actions."""
    if not is_oversight_staff(user):
        return None
    today = timezone.localdate(now)
    supervision_overdue = [
        d for d in supervision_dues(supervised_workers(user), today) if d.is_overdue(today)
    ]
    below = reports_below(user) | {user.pk}
    supervised_actions = SupervisionAction.objects.filter(supervision__supervisor_id=user.pk)
    if is_manager(user):
        supervised_actions = (
            SupervisionAction.objects.filter(
                supervision__authority_id=user.agency_id, supervision__worker_id__in=below
            )
            | supervised_actions
        )
    actions_overdue = list(
        overdue_actions(supervised_actions, today)
        .select_related("supervision__worker", "owner")
        .order_by("due_on")[:50]
    )
    my_actions = list(
        SupervisionAction.objects.filter(owner_id=user.pk, done_at__isnull=True)
        .select_related("supervision")
        .order_by("due_on")[:50]
    )
    approvals = (
        list(
            Approval.objects.filter(
                visible_person_q(user, "person"),
                person__authority_id=user.agency_id,
                status=ApprovalStatus.PENDING,
            )
            # MASH decisions and determinations 1 have their own sections on My work.
            .exclude(kind__in=[ApprovalKind.MASH_DECISION, ApprovalKind.DETERMINATION_1])
            .exclude(proposed_by_id=user.pk)
            .select_related("person")[:50]
        )
        if is_manager(user)
        else []
    )
    oversight_due: list[Any] = []
    unallocated: list[Any] = []
    if is_manager(user):
        from diogelu.oversight.access import teams_visible_to
        from diogelu.oversight.dashboard import allocation_figures

        teams = list(teams_visible_to(user).filter(workers__isnull=False).distinct())
        if teams and not user.has_role("HEAD_OF_SERVICE"):
            figures = allocation_figures(user, teams, now)
            oversight_due = sorted({p for f in figures.values() for p in f.oversight_due})
            unallocated = sorted({p for f in figures.values() for p in f.unallocated})
    return {
        "template": "oversight/_my_work.jinja",
        "oversight_due": oversight_due,
        "unallocated": unallocated,
        "supervision_overdue": supervision_overdue,
        "actions_overdue": actions_overdue,
        "my_actions": my_actions,
        "approvals": approvals,
        "today": today,
        "is_manager": is_manager(user),
    }
