"""Enquiries' part of the report API (ADR 0770): a report's section 47 enquiries, registered with
``diogelu.referrals.api.parts`` in ``EnquiriesConfig.ready()`` (referrals, earlier in the
workflow, imports nothing of enquiries).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import QuerySet

from diogelu.enquiries.api.serializers import EnquirySummarySerializer
from diogelu.enquiries.models import Section47Enquiry
from diogelu.referrals.api.parts import register_report_part

if TYPE_CHECKING:
    from diogelu.accounts.models import User
    from diogelu.referrals.models import Report


def report_enquiries(report: Report, user: User, la_view: bool) -> QuerySet[Section47Enquiry]:
    """The report's enquiries (the report field is shown to the authority's staff)."""
    return report.enquiries.order_by("pk")


def register() -> None:
    register_report_part("enquiries", serializer=EnquirySummarySerializer, items=report_enquiries)
