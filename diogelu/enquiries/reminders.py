"""The enquiries sweep (registered in ``EnquiriesConfig.ready``): the section 47 reminder within
5 working days of its due date. Idempotent: one reminder a day per enquiry (dedupe key)."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils.translation import gettext as _

from diogelu import procedures
from diogelu.enquiries.models import Section47Enquiry
from diogelu.notifications.models import Kind
from diogelu.notifications.services import enqueue


def remind_enquiries_due(now: datetime.datetime) -> int:
    """Remind the lead social worker when a section 47 enquiry is within 5 working days of due."""
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
