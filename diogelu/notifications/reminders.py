"""Reminders before due dates and escalation after them. Idempotent: each reminder has a dedupe
key, each escalation is recorded on its object, so the sweep may run as often as wanted."""

from __future__ import annotations

import datetime
import logging
from functools import partial
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from diogelu import procedures
from diogelu.accounts.models import Role
from diogelu.core.sweeps import registered_sweeps
from diogelu.notifications.models import Kind
from diogelu.notifications.services import enqueue

log = logging.getLogger(__name__)


def remind_decisions_due(now: datetime.datetime) -> int:
    """Remind the MASH of each undecided report on the day its decision is due, or overdue."""
    from diogelu.referrals.models import Report, ReportStatus

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


def remind_enquiries_due(now: datetime.datetime) -> int:
    """Remind the lead social worker when a section 47 enquiry is within 5 working days of due."""
    from diogelu.enquiries.models import Section47Enquiry

    count = 0
    today = procedures.local_date(now)
    for enquiry in Section47Enquiry.objects.filter(determination=""):
        due_day = procedures.local_date(enquiry.due_at)
        if due_day > today and procedures.working_days_between(today, due_day) > 5:
            continue
        with transaction.atomic():
            made = enqueue(
                kind=Kind.REMINDER,
                dedupe_key=f"s47-due:{enquiry.pk}:{today.isoformat()}",
                subject=_("Section 47 enquiry %(pk)s is due by %(date)s")
                % {"pk": enquiry.pk, "date": due_day.strftime("%d/%m/%Y")},
                link=f"/enquiries/{enquiry.pk}/",
                user=enquiry.lead_social_worker,
                send_email=False,
            )
        count += made is not None
    return count


def run_reminders(now: datetime.datetime | None = None) -> dict[str, int]:
    """Every reminder and escalation, once each (and the dormant-account sweep)."""
    from diogelu.access.chain import seal_backlog
    from diogelu.accounts.dormant import deactivate_dormant_accounts
    from diogelu.conferences.reminders import run_conference_reminders
    from diogelu.sharing.services import escalate_overdue_requests, escalate_unacknowledged

    moment = now or timezone.now()
    results: dict[str, int] = {}
    # Each sweep on its own: one that fails (logged, with no personal data) does not stop the
    # others, above all the sealing of the access log. Every sweep is idempotent: the next tick
    # retries whatever failed.
    sweeps: list[tuple[str, Any]] = [
        ("requests_escalated", lambda: escalate_overdue_requests(moment)),
        ("outcomes_escalated", lambda: escalate_unacknowledged(moment)),
        ("decisions_reminded", lambda: remind_decisions_due(moment)),
        ("enquiries_reminded", lambda: remind_enquiries_due(moment)),
        # Conferences, the register and plans, and the 18th-birthday sweep.
        ("conferences", lambda: run_conference_reminders(moment)),
        # Accounts not used for DORMANT_DAYS (diogelu/accounts/dormant.py).
        ("accounts_deactivated", lambda: deactivate_dormant_accounts(moment)),
        # Access-log rows not yet sealed into the hash chain (diogelu/access/chain.py).
        ("access_log_sealed", seal_backlog),
    ]
    # Sweeps that apps register for themselves (diogelu/core/sweeps.py).
    sweeps += [(name, partial(sweep, moment)) for name, sweep in registered_sweeps()]
    for name, sweep in sweeps:
        try:
            outcome = sweep()
        except Exception as exc:  # isolate the sweeps from each other
            log.error("sweep %s failed: %s", name, type(exc).__name__)
            if name != "conferences":
                results[name] = 0
            continue
        if isinstance(outcome, dict):
            results.update(outcome)
        else:
            results[name] = int(outcome)
    return results
