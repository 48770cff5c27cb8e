"""Fetching MASH records for the API, through the same access rules as the pages.

The rules live in ``referrals.access``, ``sharing.access`` and ``enquiries.access``; this module
only fetches one record from their ``visible_*`` querysets (404 alike for missing and not allowed)
and logs the read of each linked child on the API channel.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TypeVar

from django.db.models import Model, QuerySet
from django.http import Http404
from rest_framework.request import Request

from diogelu.access.models import Channel
from diogelu.accounts.models import User
from diogelu.enquiries.access import visible_enquiries
from diogelu.enquiries.models import Section47Enquiry
from diogelu.referrals import access as report_access
from diogelu.referrals.models import Report, ReportChild
from diogelu.sharing.access import log_report_reads, visible_outcomes, visible_requests
from diogelu.sharing.models import InformationRequest, OutcomeNotification

M = TypeVar("M", bound=Model)


def _one(queryset: QuerySet[M], pk: object) -> M:
    try:
        key = int(str(pk))
    except (TypeError, ValueError):
        raise Http404 from None
    found = queryset.filter(pk=key).first()
    if found is None:
        raise Http404
    return found


def log_reads(
    user: User, person_ids: Iterable[int | None], *, route: str, request: Request
) -> None:
    log_report_reads(user, person_ids, route=route, request=request._request, channel=Channel.API)


def log_report(user: User, report: Report, *, route: str, request: Request) -> None:
    report_access.log_report_read(
        user, report, route=route, request=request._request, channel=Channel.API
    )


def visible_reports(user: User) -> QuerySet[Report]:
    return report_access.visible_reports(user)


def access_report(user: User, report_id: object) -> Report:
    """A report the user may see (its maker, or the local authority's staff), or 404."""
    return report_access.access_report(user, report_id)


def access_mash_report(user: User, report_id: object) -> Report:
    """A sent report for the MASH of its authority, or 404 for everyone else."""
    return report_access.access_mash_report(user, report_id)


def is_authority_staff(user: User, report: Report) -> bool:
    """True when the user works for the report's authority (and sees the MASH's work on it)."""
    return bool(user.is_local_authority_staff and user.agency_id == report.authority_id)


def access_report_child(report: Report, child_id: object) -> ReportChild:
    return report_access.report_child(report, child_id)


def requests_for(user: User) -> QuerySet[InformationRequest]:
    return visible_requests(user)


def access_request(user: User, request_id: object) -> InformationRequest:
    return _one(visible_requests(user), request_id)


def outcomes_for(user: User) -> QuerySet[OutcomeNotification]:
    return visible_outcomes(user)


def access_outcome(user: User, outcome_id: object) -> OutcomeNotification:
    return _one(visible_outcomes(user), outcome_id)


def access_enquiry(user: User, enquiry_id: object) -> Section47Enquiry:
    return _one(visible_enquiries(user), enquiry_id)
