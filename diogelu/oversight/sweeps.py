"""Sweeps registered with the tick: unallocated children and supervision actions not done.

Both are idempotent: the moment of flagging is recorded on the row (``flagged_at``) and the
outbox dedupes on the row's id.
"""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from diogelu import procedures
from diogelu.accounts.models import Role, User
from diogelu.notifications.services import enqueue
from diogelu.oversight.models import Allocation, SupervisionAction
from diogelu.oversight.verification import overdue_actions, with_evidence

UNALLOCATED_RULE = "allocation.unallocated_limit"


def unallocated_due(started_at: datetime.datetime) -> datetime.datetime:
    return procedures.due(UNALLOCATED_RULE, started_at).due_at


@transaction.atomic
def flag_unallocated(now: datetime.datetime) -> int:
    """Tell the team manager of each child unallocated past the authority's limit (once)."""
    flagged = 0
    rows = Allocation.objects.filter(
        ended_at__isnull=True,
        worker__isnull=True,
        flagged_at__isnull=True,
        case__closed_at__isnull=True,
    ).select_related("case__person", "team")
    for allocation in rows:
        if unallocated_due(allocation.started_at) >= now:
            continue
        managers = User.objects.filter(
            team_id=allocation.team_id,
            is_active=True,
            role_assignments__role=Role.TEAM_MANAGER,
        )
        for manager in managers:
            enqueue(
                kind="oversight.unallocated",
                dedupe_key=f"oversight.unallocated:{allocation.pk}:{manager.pk}",
                subject=_("A child has been unallocated past the authority's limit (%(ref)s)")
                % {"ref": allocation.case.person.la_reference},
                link="/oversight/lists/?figure=unallocated",
                user=manager,
            )
        allocation.flagged_at = now
        allocation.save(update_fields=["flagged_at"])
        flagged += 1
    return flagged


@transaction.atomic
def check_supervision_actions(now: datetime.datetime) -> dict[str, int]:
    """Record when the record shows each checkable action done; tell the supervisor of each
    action not done by its due date (once)."""
    today = timezone.localdate(now)
    done = 0
    for action in with_evidence(SupervisionAction.objects.filter(done_at__isnull=True)).filter(  # type: ignore[misc]
        evidence_at__isnull=False
    ):
        SupervisionAction.objects.filter(pk=action.pk, done_at__isnull=True).update(
            done_at=action.evidence_at,  # type: ignore[attr-defined]
            evidence=str(action.get_step_display())[:200],
        )
        done += 1
    flagged = 0
    for action in overdue_actions(
        SupervisionAction.objects.filter(flagged_at__isnull=True, done_at__isnull=True), today
    ).select_related("supervision"):
        enqueue(
            kind="oversight.action_overdue",
            dedupe_key=f"oversight.action_overdue:{action.pk}",
            subject=_("A supervision action was not done by its due date"),
            link=f"/oversight/supervisions/{action.supervision_id}/",
            user=action.supervision.supervisor,
        )
        SupervisionAction.objects.filter(pk=action.pk).update(flagged_at=now)
        flagged += 1
    return {"done": done, "flagged": flagged}
