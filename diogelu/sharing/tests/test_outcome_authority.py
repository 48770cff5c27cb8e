"""An outcome carries its report's authority (ADR 0816): the MASH dashboard counts an authority's
unacknowledged outcomes by it, without joining each to its report."""

from __future__ import annotations

import datetime

import pytest

from diogelu.referrals.models import Report, ReportStatus
from diogelu.sharing.models import OutcomeNotification
from diogelu.sharing.queues import outcomes_awaiting_acknowledgement_page

pytestmark = pytest.mark.django_db


def test_an_outcome_takes_its_reports_authority_and_is_counted_by_it(world):
    from django.utils import timezone

    now = timezone.now()
    mine = Report.objects.create(
        authority=world.authority, status=ReportStatus.DECIDED, created_by=world.mash
    )
    theirs = Report.objects.create(
        authority=world.other_authority, status=ReportStatus.DECIDED, created_by=world.mash
    )
    for report, source_id in ((mine, 1), (mine, 2), (theirs, 3)):
        OutcomeNotification.objects.create(
            report=report,
            source="DECISION",
            source_id=source_id,
            recipient_agency=world.police,
            recipient_label="Police",
            title="Outcome",
            content="x",
            acknowledge_by=now - datetime.timedelta(days=1) if source_id == 1 else now,
            due_rule_version="test",
        )
    assert set(OutcomeNotification.objects.values_list("authority_id", flat=True)) == {
        world.authority.pk,
        world.other_authority.pk,
    }
    page = outcomes_awaiting_acknowledgement_page(world.mash, now)
    assert page.page.paginator.count == 2
    assert page.overdue == 1
