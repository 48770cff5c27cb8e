"""A case's stage follows the live workflow (issue 12): work that starts at a later stage (a
strategy discussion, an enquiry, a registration) moves the open case on, recorded with its date
in the chronology, and the worker's weighted caseload follows; a removal from the register steps
a child protection case down to care and support. Regression: an open case kept the stage it
was opened with, so a child who went on to the register still weighed as an early-help case."""

from __future__ import annotations

import datetime

from django.utils import timezone

from diogelu.chronology.models import ChronologyEvent
from diogelu.core.extensions import (
    APPROVAL_APPROVED,
    WORK_STARTED,
    WorkflowEvent,
    workflow_event,
)
from diogelu.oversight import services
from diogelu.oversight.caseloads import worker_loads
from diogelu.oversight.models import AllocationReason, CaseStage
from diogelu.oversight.tests.conftest import Org


def _event(org: Org, name: str, kind: str, at: datetime.datetime) -> None:
    w = org.world
    workflow_event(
        WorkflowEvent(
            name=name,
            kind=kind,
            source="test:1",
            person_ids=(w.child.pk,),
            authority_id=w.authority.pk,
            actor=w.manager,
            at=at,
        )
    )


def _points(org: Org) -> int:
    w = org.world
    loads = worker_loads(w.authority.pk, team_ids=[org.team.pk])
    return next(x.points for x in loads if x.worker.user_id == w.social_worker.pk)


def test_the_case_stage_follows_the_workflow_and_drives_the_weighting(org: Org) -> None:
    w = org.world
    services.allocate_child(
        actor=w.manager,
        person=w.child,
        worker=w.social_worker,
        team=org.team,
        reason=AllocationReason.NEW_CASE,
        stage=CaseStage.EARLY_HELP,
    )
    case = services.open_case_of(w.child)
    assert case is not None
    assert _points(org) == 4  # early help
    moved_at = timezone.now().replace(microsecond=0)
    _event(org, WORK_STARTED, CaseStage.CHILD_PROTECTION, moved_at)
    case.refresh_from_db()
    assert case.stage == CaseStage.CHILD_PROTECTION
    change = ChronologyEvent.objects.get(person=w.child, title__startswith="Case stage")
    assert change.occurred_at == moved_at
    assert "Early help" in change.title and "Child protection" in change.title
    assert _points(org) == 8
    # work at an earlier stage never moves it back
    _event(org, WORK_STARTED, CaseStage.ASSESSMENT, moved_at)
    case.refresh_from_db()
    assert case.stage == CaseStage.CHILD_PROTECTION
    # off the register: care and support
    _event(org, APPROVAL_APPROVED, "DEREGISTRATION", moved_at + datetime.timedelta(days=90))
    case.refresh_from_db()
    assert case.stage == CaseStage.CARE_AND_SUPPORT
    assert _points(org) == 6
