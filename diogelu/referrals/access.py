"""Who may see which report, and the access log of reading a report about known children.

Views fetch reports only through these functions (ARCHITECTURE.md rule 3):

* :func:`visible_reports` — the reports a user may see: their own (made or written by them,
  drafts included), and for local authority staff every sent report to their authority.
* :func:`visible_reports_count` — how many, without counting every report of the authority.
* :func:`mash_reports_count` — how many the MASH's list holds, the same way.
* :func:`access_report` — one report, 404 alike for missing and not allowed.
* :func:`access_mash_report` — one sent report for the MASH of its authority (MASH roles only).
* :func:`log_report_read` — one access-log row per linked child, part ``REPORT``.
* :func:`log_report_reads` — the same for the children a page about the report's work shows
  (requests, outcomes, enquiries), with the basis "asked by the MASH" for a partner asked.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest

from diogelu.access.models import Basis, Channel, Part
from diogelu.access.services import log_reads
from diogelu.accounts.models import Agency, AgencyKind
from diogelu.accounts.roles import is_mash_user as is_mash_user
from diogelu.referrals.models import AuthorityReportCount, Report, ReportChild, ReportStatus

if TYPE_CHECKING:
    from diogelu.accounts.models import User


def _pk(value: object) -> int:
    try:
        return int(str(value))
    except (TypeError, ValueError):
        raise Http404 from None


def _own(user: User) -> Q:
    return Q(created_by_id=user.pk) | Q(reporter_user_id=user.pk)


def _sees_any(user: User) -> bool:
    return bool(user.is_authenticated and user.is_active and user.agency_id is not None)


def _hidden_reports(user: User) -> QuerySet[ReportChild, Any]:
    """The ids of reports naming a child ``user`` may not see (a restricted record).

    A report's children are linked only to people of the report's authority, and the database
    holds to it (migration referrals 0006, ADR 0816), so for the authority's reports the
    children the user may not see are those linked to its hidden records: a few rows, through
    the index on linked people. (Checked against every visible person instead, each page of the
    reports list joined every report child to every person: 0.28 s at a county; "NOT IN (every
    visible person)" before that ran for minutes, ADR 0812.)"""
    from diogelu.access.visibility import hidden_person_ids

    return ReportChild.objects.filter(person_id__in=hidden_person_ids(user)).values("report_id")


def _authority(user: User, hidden: QuerySet[ReportChild, Any]) -> Q:
    """The authority's sent reports a member of its staff may see: all but those ``hidden``."""
    return Q(authority_id=user.agency_id) & ~Q(status=ReportStatus.DRAFT) & ~Q(pk__in=hidden)


def visible_reports(user: User) -> QuerySet[Report]:
    """Reports ``user`` may see. Fail closed: an inactive user or one with no agency sees none."""
    if not _sees_any(user):
        return Report.objects.none()
    if user.is_local_authority_staff:
        # A report naming a child the user may not see is hidden too, so the link between the
        # report and that child does not leak. No join: each report once, without DISTINCT
        # (which sorted every report of the authority, whole rows, to count them).
        return Report.objects.filter(_own(user) | _authority(user, _hidden_reports(user)))
    return Report.objects.filter(_own(user))


def visible_reports_count(user: User) -> int:
    """``visible_reports(user).count()``, at a cost that does not grow with the authority's
    reports (issue 17: 62 ms at Wales scale on every page of the API reports list).

    For the authority's staff on PostgreSQL: the authority's sent reports, kept by triggers
    (:class:`~diogelu.referrals.models.AuthorityReportCount`), less the sent ones naming
    their hidden records (a few, through the index on linked people), plus their own reports
    outside that (drafts, reports to another authority, hidden ones they wrote), through the
    indexes on author and reporter. Anyone else, and SQLite: the rule itself, counted.
    ``tests/test_report_count.py`` checks it against the rule."""
    if not _sees_any(user) or not user.is_local_authority_staff:
        return visible_reports(user).count()
    from django.db import connections, router

    alias = router.db_for_read(AuthorityReportCount)
    if connections[alias].vendor != "postgresql":
        return visible_reports(user).count()
    hidden = _hidden_reports(user)
    kept = (
        AuthorityReportCount.objects.filter(authority_id=user.agency_id)
        .values_list("sent", flat=True)
        .first()
    )
    hidden_sent = (
        Report.objects.filter(authority_id=user.agency_id, pk__in=hidden)
        .exclude(status=ReportStatus.DRAFT)
        .count()
    )
    others = Report.objects.filter(_own(user)).exclude(_authority(user, hidden)).count()
    return int(kept or 0) - hidden_sent + others


def mash_reports_count(user: User, *, closed: bool = False) -> int:
    """``mash_reports(user)`` counted, without closed ones unless ``closed``, at a cost that
    does not grow with the authority's reports (issue 17, ADR 0837: the MASH's list counted its
    84,000 open reports at a county, 23 ms of every page, before showing 50).

    On PostgreSQL: the authority's sent reports and how many are closed, kept by triggers
    (:class:`~diogelu.referrals.models.AuthorityReportCount`), less those naming the user's
    hidden records that they did not write (a few, through the index on linked people).
    Elsewhere: counted. ``tests/test_report_count.py`` checks it against the rule."""
    reports = mash_reports(user)
    if not closed:
        reports = reports.exclude(status=ReportStatus.CLOSED)
    if not is_mash_user(user) or not _sees_any(user) or not user.is_local_authority_staff:
        return reports.count()
    from django.db import connections, router

    alias = router.db_for_read(AuthorityReportCount)
    if connections[alias].vendor != "postgresql":
        return reports.count()
    kept = (
        AuthorityReportCount.objects.filter(authority_id=user.agency_id)
        .values_list("sent", "closed")
        .first()
    )
    sent, shut = kept if kept is not None else (0, 0)
    unseen = (
        Report.objects.filter(authority_id=user.agency_id, pk__in=_hidden_reports(user))
        .exclude(status=ReportStatus.DRAFT)
        .exclude(_own(user))
    )
    if not closed:
        unseen = unseen.exclude(status=ReportStatus.CLOSED)
    return int(sent) - (0 if closed else int(shut)) - unseen.count()


def own_reports(user: User) -> QuerySet[Report]:
    """Reports made or written by ``user`` ("Your reports")."""
    return visible_reports(user).filter(_own(user))


def access_report(user: User, report_id: object) -> Report:
    """One report ``user`` may see; ``Http404`` alike when it is missing or not theirs to see."""
    report = (
        visible_reports(user)
        .filter(pk=_pk(report_id))
        .select_related("authority", "reporter_agency", "reporter_user", "created_by")
        .first()
    )
    if report is None:
        raise Http404
    return report


def access_draft(user: User, report_id: object) -> Report:
    """A report ``user`` is writing (draft or sent: the caller redirects a sent one)."""
    report = access_report(user, report_id)
    if report.created_by_id != user.pk:
        raise Http404
    return report


def mash_reports(user: User) -> QuerySet[Report]:
    """Sent reports to the user's authority, for its MASH."""
    if not is_mash_user(user):
        return Report.objects.none()
    return (
        visible_reports(user).filter(authority_id=user.agency_id).exclude(status=ReportStatus.DRAFT)
    )


def access_mash_report(user: User, report_id: object) -> Report:
    """One sent report for the MASH of its authority; ``Http404`` for everyone else."""
    report = (
        mash_reports(user)
        .filter(pk=_pk(report_id))
        .select_related("authority", "reporter_agency", "reporter_user", "created_by")
        .first()
    )
    if report is None:
        raise Http404
    return report


def report_child(report: Report, child_id: object) -> ReportChild:
    """A child of a report already fetched through an access function."""
    child = report.children.filter(pk=_pk(child_id)).select_related("person").first()
    if child is None:
        raise Http404
    return child


def authorities_for(user: User) -> list[Agency]:
    """The local authorities ``user`` can report to: their own, or their agency's partners."""
    agency = user.agency
    if agency is None:
        return []
    if agency.kind == AgencyKind.LOCAL_AUTHORITY:
        return [agency]
    partners = list(
        agency.partner_of.filter(kind=AgencyKind.LOCAL_AUTHORITY, is_active=True).order_by("name")
    )
    if partners:
        return partners
    return list(
        Agency.objects.filter(kind=AgencyKind.LOCAL_AUTHORITY, is_active=True).order_by("name")
    )


def partner_agencies(report: Report) -> list[Agency]:
    """The agencies the MASH can ask: active partner agencies of the report's authority."""
    return list(
        Agency.objects.filter(partner_of=report.authority, is_active=True)
        .exclude(kind=AgencyKind.LOCAL_AUTHORITY)
        .order_by("name")
    )


def _client_ip(request: HttpRequest | None) -> str | None:
    if request is None:
        return None
    addr = request.META.get("REMOTE_ADDR")
    return str(addr) if addr else None


def log_report_read(
    user: User,
    report: Report,
    *,
    route: str,
    request: HttpRequest | None = None,
    channel: str = Channel.PAGE,
) -> int:
    """Write one access-log row (part ``REPORT``) per child of ``report`` linked to a person.

    The basis is the user's access decision for that person. A linked person the user may not
    see (a restricted record, or a reporter whose involvement has ended) gets no row: the pages
    show nothing of that person. Returns how many rows were written.
    """
    if user.agency_id is None:
        return 0
    children = report.children.exclude(person__isnull=True).select_related("person")
    people = [c.person for c in children if c.person is not None]
    return log_reads(user, people, part=Part.REPORT, route=route, channel=channel, request=request)


def log_report_reads(
    user: User,
    person_ids: Iterable[int | None],
    *,
    route: str,
    request: HttpRequest | None = None,
    channel: str = Channel.PAGE,
) -> int:
    """Write one access-log row (part REPORT) per linked child shown to ``user``.

    The basis is the user's access decision for the person when there is one. A partner agency
    asked about a child it has no involvement with sees the child's identity only because the
    MASH asked it: that read is logged with the basis "asked by the MASH".
    """
    from diogelu.people.models import Person

    ids = sorted({pid for pid in person_ids if pid})
    if not ids or user.agency_id is None:
        return 0
    return log_reads(
        user,
        Person.objects.filter(pk__in=ids),
        part=Part.REPORT,
        route=route,
        channel=channel,
        request=request,
        fallback_basis=Basis.MASH_REQUEST,
    )
