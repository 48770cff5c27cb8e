"""Sharing's parts of the report API (ADR 0770): a report's outcomes and information requests,
registered with ``diogelu.referrals.api.parts`` in ``SharingConfig.ready()`` (referrals, earlier
in the workflow, imports nothing of sharing).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import QuerySet

from diogelu.referrals.api.parts import register_report_part
from diogelu.sharing.access import visible_outcomes
from diogelu.sharing.api.serializers import OutcomeSerializer, RequestSummarySerializer
from diogelu.sharing.models import InformationRequest, OutcomeNotification

if TYPE_CHECKING:
    from diogelu.accounts.models import User
    from diogelu.referrals.models import Report


def report_outcomes(report: Report, user: User, la_view: bool) -> QuerySet[OutcomeNotification]:
    """The report's outcomes meant for ``user`` (for the authority's staff: every outcome)."""
    if la_view:
        return report.outcomes.select_related("report", "acknowledged_by").order_by("pk")
    return visible_outcomes(user).filter(report=report).order_by("pk")


def report_requests(report: Report, user: User, la_view: bool) -> QuerySet[InformationRequest]:
    """The report's information requests (the report field is shown to the authority's staff)."""
    return report.requests.select_related("agency").order_by("pk")


def register() -> None:
    register_report_part("outcomes", serializer=OutcomeSerializer, items=report_outcomes)
    register_report_part("requests", serializer=RequestSummarySerializer, items=report_requests)
