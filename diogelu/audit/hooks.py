"""What audit adds to the service navigation, My work and the tick (registered in ``apps.py``)."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from diogelu.audit.access import is_quality_team, may_audit, reports_below, visible_audits
from diogelu.audit.models import AuditAction, AuditStatus, Moderation

#: Rows shown in each of audit's lists on My work.
LISTED = 50
#: Rows read at most for two of them together (more: each is read on its own).
BOTH = 4 * LISTED


def nav_items(user: Any) -> list[tuple[str, str]]:
    if is_quality_team(user) or (may_audit(user) and visible_audits(user).exists()):
        return [(reverse("audit_home"), _("Case-file audit"))]
    return []


def my_work_section(user: Any, now: datetime.datetime) -> dict[str, Any] | None:
    """Files to audit or moderate, the audit actions I own, and late ones of those I manage."""
    if not getattr(user, "is_authenticated", False) or not user.is_local_authority_staff:
        return None
    today = timezone.localdate(now)
    below = reports_below(user)
    to_audit, to_respond = _audits(user, below)
    to_moderate = list(
        Moderation.objects.filter(moderator_id=user.pk, completed_at__isnull=True)
        .select_related("audit__person", "audit__programme")
        .order_by("selected_at")[:LISTED]
    )
    mine, late = _actions(user, below, today)
    if not (to_audit or to_moderate or to_respond or mine or late):
        return None
    return {
        "template": "audit/_my_work.jinja",
        "to_audit": to_audit,
        "to_moderate": to_moderate,
        "to_respond": to_respond,
        "my_actions": mine,
        "late_actions": late,
        "today": today,
    }


#: An audit the user is to carry out, and one whose findings about their work they are to read.
AUDITING = (AuditStatus.ASSIGNED, AuditStatus.IN_PROGRESS)
READING = (AuditStatus.SUBMITTED, AuditStatus.IN_MODERATION, AuditStatus.MODERATED)


def _audits(user: Any, below: set[int]) -> tuple[list[Any], list[Any]]:
    """The files ``user`` is to audit and the audits of their own work whose findings they are
    to read, soonest programme due first, at most :data:`LISTED` each: one read of the audits
    they may see for both (two before, each planned afresh: issue 17). Should the read fill,
    each list is read on its own instead. (The two states never overlap.)"""
    auditing = Q(auditor_id=user.pk, status__in=AUDITING)
    reading = Q(worker_id=user.pk, worker_responded_at__isnull=True, status__in=READING)
    audits = (
        visible_audits(user, below)
        .select_related("programme", "person")
        .order_by("programme__due_on", "pk")
    )
    both = list(audits.filter(auditing | reading)[:BOTH])
    if len(both) < BOTH:
        return (
            [a for a in both if a.status in AUDITING and a.auditor_id == user.pk][:LISTED],
            [a for a in both if a.status in READING and a.worker_id == user.pk][:LISTED],
        )
    return list(audits.filter(auditing)[:LISTED]), list(audits.filter(reading)[:LISTED])


def _actions(user: Any, below: set[int], today: datetime.date) -> tuple[list[Any], list[Any]]:
    """The open audit actions ``user`` owns, and those of the people below them past their due
    date, soonest due first, at most :data:`LISTED` each: one read of both (two before, issue
    17). Should the user's own fill the read, each list is read on its own instead."""
    actions = AuditAction.objects.filter(done_at__isnull=True).select_related(
        "audit__person", "owner"
    )
    theirs = Q(owner_id__in=below, due_on__lt=today, audit__programme__authority_id=user.agency_id)
    if not below:
        return list(actions.filter(owner_id=user.pk).order_by("due_on", "pk")[:LISTED]), []
    both = list(actions.filter(Q(owner_id=user.pk) | theirs).order_by("due_on", "pk")[:BOTH])
    if len(both) < BOTH:
        mine = [a for a in both if a.owner_id == user.pk][:LISTED]
        return mine, [a for a in both if a.owner_id != user.pk][:LISTED]
    return (
        list(actions.filter(owner_id=user.pk).order_by("due_on", "pk")[:LISTED]),
        list(actions.filter(theirs).order_by("due_on", "pk")[:LISTED]),
    )


def flag_overdue_actions(now: datetime.datetime) -> int:
    """Tell the owner's line manager of each audit action not done by its due date (once)."""
    from diogelu.accounts.models import User
    from diogelu.notifications.services import enqueue
    from diogelu.oversight.models import Worker

    today = timezone.localdate(now)
    flagged = 0
    rows = AuditAction.objects.filter(
        done_at__isnull=True, flagged_at__isnull=True, due_on__lt=today
    ).select_related("audit__programme")
    for action in rows:
        line = (
            Worker.objects.filter(user_id=action.owner_id)
            .exclude(line_manager__isnull=True)
            .values_list("line_manager_id", flat=True)
            .first()
        )
        manager_id = line or action.raised_by_id
        enqueue(
            kind="audit.action_overdue",
            dedupe_key=f"audit.action_overdue:{action.pk}:{manager_id}",
            subject=_("An audit action was not done by its due date"),
            link=f"/audits/{action.audit_id}/",
            user=User.objects.get(pk=manager_id),
        )
        AuditAction.objects.filter(pk=action.pk).update(flagged_at=now)
        flagged += 1
    return flagged
