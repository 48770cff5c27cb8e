"""Who may see strategy discussions and section 47 enquiries: the local authority's social work
staff (social workers, MASH practitioners, team managers, heads of service) of the authority
whose report it is, for children they may see. Partner agencies learn the outcome through outcome
notifications, never through these pages (404).

Each ``access_*`` fetcher answers 404 alike for missing and not allowed, and logs the read of each
child the page shows (part "Reports and MASH work").
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import QuerySet
from django.http import Http404, HttpRequest

from diogelu.access.visibility import visible_person_ids
from diogelu.accounts.roles import is_social_work_staff as is_social_work_staff
from diogelu.enquiries.models import Section47Enquiry, StrategyDiscussion
from diogelu.referrals.models import Report, ReportStatus
from diogelu.sharing.access import log_report_reads

if TYPE_CHECKING:
    from diogelu.accounts.models import User


def _pk(value: object) -> int:
    try:
        return int(str(value))
    except (TypeError, ValueError):
        raise Http404 from None


def _hidden_people(user: User) -> QuerySet[Any, Any]:
    """People of the authority this user may not see (restricted records)."""
    from diogelu.people.models import Person

    return (
        Person.objects.filter(authority_id=user.agency_id)
        .exclude(pk__in=visible_person_ids(user))
        .values("pk")
    )


def visible_strategies(user: User) -> QuerySet[StrategyDiscussion]:
    if not is_social_work_staff(user):
        return StrategyDiscussion.objects.none()
    return (
        StrategyDiscussion.objects.filter(report__authority_id=user.agency_id)
        .exclude(child_decisions__person__in=_hidden_people(user))
        .select_related("report", "chair", "recorded_by")
        .distinct()
    )


def access_strategy(
    user: User, pk: object, *, route: str, request: HttpRequest | None = None
) -> StrategyDiscussion:
    found = visible_strategies(user).filter(pk=_pk(pk)).first()
    if found is None:
        raise Http404
    log_report_reads(
        user,
        found.child_decisions.values_list("person_id", flat=True),
        route=route,
        request=request,
    )
    return found


def visible_enquiries(user: User) -> QuerySet[Section47Enquiry]:
    if not is_social_work_staff(user):
        return Section47Enquiry.objects.none()
    return (
        Section47Enquiry.objects.filter(report__authority_id=user.agency_id)
        .exclude(person__in=_hidden_people(user))
        .select_related(
            "report",
            "person",
            "decision",
            "decision__child",
            "decision__strategy",
            "lead_social_worker",
            "child_seen_by",
            "determined_by",
            "ratified_by",
        )
    )


def access_enquiry(
    user: User, pk: object, *, route: str, request: HttpRequest | None = None
) -> Section47Enquiry:
    found = visible_enquiries(user).filter(pk=_pk(pk)).first()
    if found is None:
        raise Http404
    log_report_reads(user, [found.person_id], route=route, request=request)
    return found


def access_report_for_strategy(
    user: User, pk: object, *, route: str, request: HttpRequest | None = None
) -> Report:
    """A report of the user's authority that may have a strategy discussion recorded, or 404."""
    if not is_social_work_staff(user):
        raise Http404
    report = (
        Report.objects.filter(pk=_pk(pk), authority_id=user.agency_id)
        .exclude(status__in=[ReportStatus.DRAFT])
        .exclude(children__person__in=_hidden_people(user))
        .first()
    )
    if report is None:
        raise Http404
    log_report_reads(
        user, report.children.values_list("person_id", flat=True), route=route, request=request
    )
    return report
