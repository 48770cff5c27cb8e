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


def test_the_outcomes_waiting_for_a_user_are_counted_as_the_list_holds_them(world):
    """Issue 17: My work counts a user's waiting outcomes as two index-only counts (meant for
    them; meant for their agency, no one named) rather than one OR over the table. Each user's
    count is the number the list holds: their own, their agency's, not a colleague's, not an
    acknowledged one, not another agency's."""
    from django.utils import timezone

    from diogelu.accounts.models import Role
    from diogelu.sharing.access import count_waiting_outcomes, visible_outcomes
    from tests import factories as f

    now = timezone.now()
    report = Report.objects.create(
        authority=world.authority, status=ReportStatus.DECIDED, created_by=world.mash
    )
    colleague = f.user(world.police, Role.POLICE_OFFICER)
    recipients = [
        (world.police, None, None),
        (world.police, None, now),  # acknowledged
        (world.police, world.police_officer, None),
        (world.police, colleague, None),
        (world.health, None, None),
        (world.authority, None, None),  # the MASH's own
    ]
    for source_id, (agency, user, acknowledged) in enumerate(recipients, start=1):
        OutcomeNotification.objects.create(
            report=report,
            source="DECISION",
            source_id=source_id,
            recipient_agency=agency,
            recipient_user=user,
            recipient_label="x",
            title="Outcome",
            content="x",
            acknowledge_by=now,
            acknowledged_at=acknowledged,
            due_rule_version="test",
        )
    for user, expected in (
        (world.police_officer, 2),
        (colleague, 2),
        (world.health_practitioner, 1),
        (world.mash, 1),
    ):
        listed = visible_outcomes(user).filter(acknowledged_at__isnull=True).count()
        assert count_waiting_outcomes(user) == listed == expected, user
