"""My work lists the reports awaiting intake or decision a page at a time, soonest due first
(issue 17: a county's MASH had hundreds waiting, every one worked out and shown on each visit)."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from diogelu.referrals.models import Report, ReportStatus

pytestmark = pytest.mark.django_db


def test_reports_awaiting_are_shown_a_page_at_a_time_soonest_due_first(world):
    now = timezone.now()
    made = [
        Report.objects.create(
            authority=world.authority,
            status=ReportStatus.SUBMITTED,
            created_by=world.school_lead,
            received_at=now,
            decision_due_at=now + datetime.timedelta(hours=i),
            reference=f"R-PAGE-{i:03d}",
        )
        for i in range(30)
    ]
    client = world.client_for(world.mash)
    first = client.get(reverse("my_work")).content.decode()
    assert "Reports awaiting intake or decision (30)" in first
    assert "Showing 1 to 25 of 30" in first
    assert made[0].reference in first and made[24].reference in first
    assert made[25].reference not in first
    assert "reports_page=2" in first
    second = client.get(reverse("my_work") + "?reports_page=2").content.decode()
    assert made[25].reference in second and made[29].reference in second
    assert made[0].reference not in second
