"""The referrals sweep (registered in ``ReferralsConfig.ready``): the 1-working-day decision
reminder. Idempotent: one reminder a day per report (dedupe key)."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils.translation import gettext as _

from diogelu import procedures
from diogelu.accounts.models import Role
from diogelu.notifications.models import Kind
from diogelu.notifications.services import enqueue
from diogelu.referrals.models import Report, ReportStatus


def remind_decisions_due(now: datetime.datetime) -> int:
    """Remind the MASH of each undecided report on the day its decision is due, or overdue."""
    count = 0
    today = procedures.local_date(now)
    for report in Report.objects.filter(
        status__in=[ReportStatus.SUBMITTED, ReportStatus.IN_MASH], decision__isnull=True
    ).exclude(decision_due_at__isnull=True):
        assert report.decision_due_at is not None
        if procedures.local_date(report.decision_due_at) > today:
            continue
        with transaction.atomic():
            made = enqueue(
                kind=Kind.REMINDER,
                dedupe_key=f"decision-due:{report.pk}:{today.isoformat()}",
                subject=_("Decision on %(ref)s is due today or overdue")
                % {"ref": report.reference},
                link=f"/mash/reports/{report.pk}/",
                agency=report.authority,
                roles=[Role.MASH_PRACTITIONER, Role.TEAM_MANAGER],
                send_email=False,
            )
        count += made is not None
    return count
