"""How many reports a user may see, without counting every report of the authority (issue 17,
ADR 0817 addendum).

PostgreSQL keeps each authority's sent reports (any status but draft) by statement triggers; the
API reports list's ``count`` for the authority's staff is that less the sent reports naming
their hidden records, plus their own others. Each must equal counting the rule itself.
"""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from diogelu.access.models import RestrictedAccessGrant
from diogelu.accounts.models import AgencyKind, Role
from diogelu.accounts.services import create_api_token
from diogelu.referrals.access import visible_reports, visible_reports_count
from diogelu.referrals.models import AuthorityReportCount, Report, ReportChild, ReportStatus
from tests import factories as f


def _sent(authority) -> int:
    return Report.objects.filter(authority=authority).exclude(status=ReportStatus.DRAFT).count()


def _kept(authority) -> int:
    found = AuthorityReportCount.objects.filter(authority=authority).values_list("sent", flat=True)
    return int(found.first() or 0)


def _report(authority, author, status=ReportStatus.SUBMITTED, **kw) -> Report:
    return Report.objects.create(
        authority=authority, status=status, created_by=author, received_at=timezone.now(), **kw
    )


def test_the_kept_count_follows_drafts_sending_bulk_loads_moves_and_deletes(db):
    if connection.vendor != "postgresql":
        return  # no triggers on SQLite: the reports are counted there
    one, two = f.agency(), f.agency()
    school = f.agency(AgencyKind.SCHOOL)
    lead = f.user(school, Role.SCHOOL_DSP)

    def same() -> None:
        for authority in (one, two):
            assert _kept(authority) == _sent(authority)

    draft = _report(one, lead, ReportStatus.DRAFT)
    same()
    assert _kept(one) == 0
    Report.objects.filter(pk=draft.pk).update(status=ReportStatus.SUBMITTED)  # sent
    same()
    assert _kept(one) == 1
    Report.objects.bulk_create(
        [
            Report(authority=two, status=s, created_by=lead, received_at=timezone.now())
            for s in (ReportStatus.SUBMITTED, ReportStatus.DECIDED, ReportStatus.DRAFT)
        ]
    )
    same()
    assert _kept(two) == 2
    # A sent report changing status stays counted; moving authority moves it.
    Report.objects.filter(authority=two).update(status=ReportStatus.CLOSED)
    same()
    Report.objects.filter(pk=draft.pk).update(authority=two)
    same()
    assert (_kept(one), _kept(two)) == (0, 4)
    Report.objects.filter(authority=two, status=ReportStatus.CLOSED).first().delete()
    same()
    Report.objects.all().delete()
    same()


def test_the_api_reports_list_counts_what_it_lists_without_counting_every_report(db, client):
    """Before, its ``count`` read every sent report of the authority on every page (62 ms at
    Wales scale)."""
    la, other_la = f.agency(), f.agency()
    school = f.agency(AgencyKind.SCHOOL)
    mash = f.user(la, Role.MASH_PRACTITIONER)
    lead = f.user(school, Role.SCHOOL_DSP)
    child, hidden, named = f.person(la), f.person(la, is_restricted=True), f.person(la)
    for _ in range(4):
        _report(la, lead)
    _report(la, lead, ReportStatus.DRAFT)  # the school's draft: not the authority's yet
    _report(la, mash, ReportStatus.DRAFT)  # the MASH practitioner's own draft
    _report(other_la, mash)  # their own report to another authority
    secret = _report(la, lead)
    ReportChild.objects.create(report=secret, given_name="H", person=hidden)
    ReportChild.objects.create(report=secret, given_name="C", person=child)  # two children
    own_secret = _report(la, mash)  # hidden, but their own: seen
    ReportChild.objects.create(report=own_secret, given_name="H", person=hidden)
    granted = _report(la, lead)
    named.is_restricted = True
    named.save()
    ReportChild.objects.create(report=granted, given_name="N", person=named)
    RestrictedAccessGrant.objects.create(person=named, user=mash, granted_by=mash, reason="r")
    for user, expected in ((mash, 8), (lead, 7)):
        assert visible_reports_count(user) == visible_reports(user).count() == expected
        _token, text = create_api_token(actor=user, name="count", days=1)
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(
                "/api/v1/reports/?limit=1", headers={"Authorization": f"Bearer {text}"}
            )
        assert response.status_code == 200
        body = response.json()
        assert body["count"] == expected and len(body["results"]) == 1
        if connection.vendor == "postgresql" and user is mash:
            assert _counts_of_every_report(ctx) == []
    # Filtered by status, the list counts the filtered query, as before.
    _token, text = create_api_token(actor=mash, name="count", days=1)
    response = client.get(
        "/api/v1/reports/?status=DRAFT", headers={"Authorization": f"Bearer {text}"}
    )
    assert response.json()["count"] == 1


def _closed_kept(authority) -> int:
    found = AuthorityReportCount.objects.filter(authority=authority).values_list(
        "closed", flat=True
    )
    return int(found.first() or 0)


def test_the_kept_closed_count_follows_closing_reopening_moves_and_deletes(db):
    if connection.vendor != "postgresql":
        return  # no triggers on SQLite
    one, two = f.agency(), f.agency()
    lead = f.user(f.agency(AgencyKind.SCHOOL), Role.SCHOOL_DSP)

    def same() -> None:
        for authority in (one, two):
            assert _kept(authority) == _sent(authority)
            closed = Report.objects.filter(authority=authority, status=ReportStatus.CLOSED)
            assert _closed_kept(authority) == closed.count()

    Report.objects.bulk_create(
        [
            Report(authority=one, status=s, created_by=lead, received_at=timezone.now())
            for s in (ReportStatus.SUBMITTED, ReportStatus.CLOSED, ReportStatus.DRAFT)
        ]
    )
    same()
    assert _closed_kept(one) == 1
    Report.objects.filter(authority=one, status=ReportStatus.SUBMITTED).update(
        status=ReportStatus.CLOSED
    )
    same()
    assert _closed_kept(one) == 2
    Report.objects.filter(authority=one).exclude(status=ReportStatus.DRAFT).update(
        status=ReportStatus.DECIDED
    )  # reopened
    same()
    Report.objects.filter(authority=one).update(status=ReportStatus.CLOSED, authority=two)
    same()
    assert (_closed_kept(one), _closed_kept(two)) == (0, 3)
    Report.objects.filter(authority=two).first().delete()
    same()
    Report.objects.all().delete()
    same()


def test_the_mash_reports_list_counts_its_reports_without_reading_every_report(world, monkeypatch):
    """Before, the list counted every open report of the authority on each page (84,000 at a
    county, 23 ms) to show 50 (ADR 0837). Its count equals the rule's, open and all."""
    from django.urls import reverse

    from diogelu.core import pagination
    from diogelu.referrals.access import mash_reports

    monkeypatch.setattr(pagination.page_of, "__defaults__", ("page", 2))
    la, mash, lead = world.authority, world.mash, world.school_lead
    hidden, named = f.person(la, is_restricted=True), f.person(la)
    for status in (ReportStatus.SUBMITTED, ReportStatus.IN_MASH, ReportStatus.DECIDED):
        _report(la, lead, status)
    _report(la, lead, ReportStatus.CLOSED)
    _report(la, lead, ReportStatus.DRAFT)
    _report(world.other_authority, lead)
    secret = _report(la, lead, ReportStatus.DECIDED)  # names a hidden record: not shown
    ReportChild.objects.create(report=secret, given_name="H", person=hidden)
    closed_secret = _report(la, lead, ReportStatus.CLOSED)
    ReportChild.objects.create(report=closed_secret, given_name="H", person=hidden)
    own_secret = _report(la, mash, ReportStatus.IN_MASH)  # hidden, but their own: shown
    ReportChild.objects.create(report=own_secret, given_name="H", person=hidden)
    granted = _report(la, lead, ReportStatus.SUBMITTED)
    named.is_restricted = True
    named.save()
    ReportChild.objects.create(report=granted, given_name="N", person=named)
    RestrictedAccessGrant.objects.create(person=named, user=mash, granted_by=mash, reason="r")

    rule = mash_reports(mash)
    expected = {"": rule.exclude(status=ReportStatus.CLOSED).count(), "all": rule.count()}
    assert expected == {"": 5, "all": 6}
    client = world.client_for(mash)
    for show, total in expected.items():
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(reverse("mash_report_list"), {"show": show} if show else {})
        assert response.status_code == 200
        assert f"Showing 1 to 2 of {total}" in response.content.decode(), show
        if connection.vendor == "postgresql":
            assert _counts_of_every_report(ctx) == []


def _counts_of_every_report(ctx: CaptureQueriesContext) -> list[str]:
    """Statements that count the authority's reports as a branch of the rule (its own reports
    counted apart from them are a few rows, through the author and reporter indexes)."""
    return [
        q["sql"]
        for q in ctx.captured_queries
        if q["sql"].startswith('SELECT COUNT(*) AS "__count" FROM "referrals_report"')
        and 'OR ("referrals_report"."authority_id" =' in q["sql"]
    ]
