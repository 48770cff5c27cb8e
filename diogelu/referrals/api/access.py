"""The API's fetchers for reports: the app's access rules, read on the API channel
(404 alike for missing and not allowed).
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import QuerySet
from rest_framework.request import Request

from diogelu.access.models import Channel
from diogelu.accounts.models import User
from diogelu.referrals import access as report_access
from diogelu.referrals.models import Report, ReportChild


def log_report(user: User, report: Report, *, route: str, request: Request) -> None:
    report_access.log_report_read(
        user, report, route=route, request=request._request, channel=Channel.API
    )


def log_reads(
    user: User, person_ids: Iterable[int | None], *, route: str, request: Request
) -> None:
    """One access-log row per linked child an API answer about the report's work shows."""
    report_access.log_report_reads(
        user, person_ids, route=route, request=request._request, channel=Channel.API
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
