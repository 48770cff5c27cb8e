"""The MASH dashboard's cost in SQL queries does not grow with the authority's casework.

Before issue 17 the closed-loop measure asked, report by report, who the recipients were and
whether each outcome had reached each of them (an N+1: 139,554 queries for a county-year), and
the requests-by-agency table fetched each request's agency. Here the same dashboard is counted
on N and on 3N decided reports, half of them with a request to health after the decision (an
open loop): the counts must be equal.
"""

from __future__ import annotations

import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from diogelu.enquiries.tests.test_pages import recorded  # noqa: F401 (a fixture)
from diogelu.sharing import queues
from diogelu.sharing import services as sharing
from diogelu.sharing.models import Priority
from diogelu.sharing.tests.test_queues import at, decide, received_friday

NOW = at(2026, 6, 1, 12, 0)


def _add_decided_reports(world, count: int) -> None:
    for i in range(count):
        report = received_friday(world)
        decide(world, report, at(2026, 5, 26, 10, i))
        if i % 2:  # health asked again after the decision: that loop stays open
            with time_machine.travel(at(2026, 5, 27, 9, 0), tick=False):
                sharing.request_information(
                    actor=world.mash,
                    report=report,
                    child=report.children.first(),
                    agency=world.health,
                    priority=Priority.STANDARD,
                    question="Anything since?",
                )


def _count_measures(world) -> tuple[int, tuple[int, int], tuple[int, int]]:
    with CaptureQueriesContext(connection) as ctx:
        decisions = queues.decisions_within_timescale(world.mash, NOW)
        shared = queues.outcomes_shared_with_all(world.mash, NOW)
        queues.requests_by_agency(world.mash, NOW)
    return (
        len(ctx.captured_queries),
        (decisions.numerator, decisions.denominator),
        (shared.numerator, shared.denominator),
    )


def test_measures_cost_the_same_queries_on_n_and_3n_reports(world):
    n = 2
    _add_decided_reports(world, n)
    small, decisions, shared = _count_measures(world)
    assert decisions == (n, n)
    assert shared == (n // 2, n)
    _add_decided_reports(world, 2 * n)
    large, decisions, shared = _count_measures(world)
    assert decisions == (3 * n, 3 * n)
    assert shared == (3 * n // 2, 3 * n)
    assert large == small, f"{small} queries on {n} reports, {large} on {3 * n}"


def _count_page(world) -> int:
    from django.core.cache import cache

    cache.clear()  # the closed-loop measures counted on each page here, not read from the cache
    client = world.client_for(world.mash)
    with time_machine.travel(NOW, tick=False), CaptureQueriesContext(connection) as ctx:
        response = client.get(reverse("mash_dashboard"))
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_dashboard_page_costs_the_same_queries_on_n_and_3n_reports(world):
    n = 2
    _add_decided_reports(world, n)
    small = _count_page(world)
    _add_decided_reports(world, 2 * n)
    large = _count_page(world)
    assert large == small, f"{small} queries on {n} reports, {large} on {3 * n}"


def test_batched_events_keep_a_determination_beside_an_undetermined_enquiry(recorded):  # noqa: F811
    """Two enquiries on one report, one determined: its outcome is still due to be shared (an
    exclude() across the relation would drop the report's every enquiry)."""
    from diogelu.enquiries.models import Section47Enquiry
    from diogelu.referrals.models import Report

    report = recorded.strategy.report
    first, second = Section47Enquiry.objects.filter(report=report).order_by("pk")
    Section47Enquiry.objects.filter(pk=first.pk).update(determination="2")
    assert second.determination == ""
    batched = sharing.outcome_events_by_report([report], [report.pk])[report.pk]
    assert batched == set(sharing.outcome_events(report))
    assert ("DETERMINATION", first.pk) in batched
    fresh = Report.objects.get(pk=report.pk)
    assert sharing.unshared_outcomes_by_report([fresh])[fresh.pk] == sharing.unshared_outcomes(
        fresh
    )


def test_outcomes_awaiting_acknowledgement_are_paged_with_counts_from_sql(world, monkeypatch):
    """Issue 17: five years of a county left 23,690 unacknowledged outcomes on one page, each
    with its working days counted in Python (34 s). Now a page of them, the count and the
    overdue count from SQL."""
    _add_decided_reports(world, 3)
    everything = queues.outcomes_awaiting_acknowledgement(world.mash, NOW)
    assert len(everything) > 2
    monkeypatch.setattr(queues, "PAGE_SIZE", 2)
    first = queues.outcomes_awaiting_acknowledgement_page(world.mash, NOW)
    second = queues.outcomes_awaiting_acknowledgement_page(world.mash, NOW, "2")
    assert first.total == second.total == len(everything)
    assert [r.outcome.pk for r in first.rows + second.rows] == [
        r.outcome.pk for r in everything[:4]
    ]
    overdue = sum(1 for r in everything if r.timeliness.status == "overdue")
    assert overdue and first.overdue == overdue
    # A partner sees none of the authority's list
    assert queues.outcomes_awaiting_acknowledgement_page(world.police_officer, NOW).total == 0
    client = world.client_for(world.mash)
    with time_machine.travel(NOW, tick=False):
        page = client.get(reverse("mash_dashboard"), {"outcomes_page": "2"}).content.decode()
    assert f"Showing 3 to 4 of {len(everything)}" in page
    assert "outcomes_page=3#outcomes" in page and "outcomes_page=1#outcomes" in page


def test_reports_awaiting_decision_are_paged_in_due_order(world, monkeypatch):
    reports = [received_friday(world) for _ in range(3)]
    monkeypatch.setattr(queues, "PAGE_SIZE", 2)
    now = at(2026, 5, 27, 9, 0)  # all three past their decision time
    everything = queues.reports_awaiting_decision(world.mash, now)
    first = queues.reports_awaiting_decision_page(world.mash, now)
    second = queues.reports_awaiting_decision_page(world.mash, now, 2)
    assert [r.report.pk for r in first.rows + second.rows] == [r.report.pk for r in everything]
    assert {r.report.pk for r in everything} >= {r.pk for r in reports}
    assert first.total == len(everything) and first.overdue == len(everything)
    assert queues.undecided_overdue(world.mash, at(2026, 5, 22, 17, 30)) == 0


def test_measures_count_the_last_twelve_months(world):
    """The dashboard's measures cover reports received in a rolling year (ADR 0630)."""
    _add_decided_reports(world, 2)
    assert queues.decisions_within_timescale(world.mash, NOW).denominator == 2
    assert queues.outcomes_shared_with_all(world.mash, NOW).denominator == 2
    later = NOW + queues.MEASURE_WINDOW
    assert queues.decisions_within_timescale(world.mash, later).denominator == 0
    assert queues.outcomes_shared_with_all(world.mash, later).denominator == 0


def test_fully_shared_count_agrees_with_unshared_outcomes(world, recorded):  # noqa: F811
    """The SQL count (the dashboard's measure) and the Python definition (the report page's
    "not yet told" list) agree report by report: shared at decision; an agency asked after the
    decision (open); a strategy discussion with its participants and s47 enquiries; a reporter
    from the public, an anonymous one, and a reporter whose own agency is also involved."""
    from diogelu.access.models import Involvement
    from diogelu.referrals.models import Report
    from diogelu.sharing.services import fully_shared_count, unshared_outcomes_by_report

    _add_decided_reports(world, 4)
    reports = list(Report.objects.filter(authority=world.authority, decision__isnull=False))
    public, anonymous, own_agency = reports[0], reports[1], reports[2]
    Report.objects.filter(pk=public.pk).update(
        reporter_user=None,
        reporter_agency=None,
        reporter_kind="PUBLIC",
        reporter_name="A. Neighbour",
    )
    Report.objects.filter(pk=anonymous.pk).update(
        reporter_user=None, reporter_agency=None, reporter_kind="ANONYMOUS"
    )
    reporter = own_agency.reporter_user
    assert reporter is not None and reporter.agency_id is not None
    child = own_agency.children.exclude(person=None).first()
    assert child is not None and child.person is not None
    Involvement.objects.create(
        person=child.person,
        agency_id=reporter.agency_id,
        started_at=at(2026, 1, 5, 9, 0),
        reason="REPORTER",
    )
    everything = Report.objects.filter(authority=world.authority)
    expected = unshared_outcomes_by_report(everything)
    shared = {pk for pk, labels in expected.items() if not labels}
    assert shared and len(shared) < len(expected)  # both kinds are present
    assert fully_shared_count(everything) == len(shared)
    for pk in expected:
        one = Report.objects.filter(pk=pk)
        assert fully_shared_count(one) == (1 if pk in shared else 0), (pk, expected[pk])


def test_the_loop_measures_are_counted_once_in_five_minutes_and_say_when(world, settings):
    """Issue 17: the outcomes-shared measure was 0.45 s of every dashboard at a county. It is
    counted at most every MEASURES_CACHE_SECONDS for the authority, shared by everyone who opens
    the dashboard meanwhile, and the page says when it was counted; after that it is counted
    again and shows what changed.

    Without a broker (tasks in-process: the embedded default), the page that finds the figures
    out of date counts them; with one, a worker does (``test_loop_recount``, ADR 0824)."""
    import datetime

    from django.core.cache import cache

    settings.CELERY_TASK_ALWAYS_EAGER = True
    cache.clear()
    _add_decided_reports(world, 2)
    client = world.client_for(world.mash)

    def page(moment):
        with time_machine.travel(moment, tick=False), CaptureQueriesContext(connection) as ctx:
            body = client.get(reverse("mash_dashboard")).content.decode()
        counted = [q for q in ctx.captured_queries if "WITH rep AS" in q["sql"]]
        return body, len(counted)

    first, counted = page(NOW)
    assert counted == 1
    assert "Counted on 1 June 2026 at 12:00" in first
    _add_decided_reports(world, 1)
    # Two minutes later, by another member of the MASH: the same figures, not counted again.
    second, counted = page(NOW + datetime.timedelta(minutes=2))
    assert counted == 0
    assert "Counted on 1 June 2026 at 12:00" in second
    with time_machine.travel(NOW + datetime.timedelta(minutes=3), tick=False):
        assert queues.loop_measures(world.mash, NOW).decisions.denominator == 2
    # Past the interval: counted again, with the new report.
    later = NOW + datetime.timedelta(seconds=queues.MEASURES_CACHE_SECONDS + 1)
    third, counted = page(later)
    assert counted == 1
    assert "Counted on 1 June 2026 at 12:05" in third
    with time_machine.travel(later, tick=False):
        assert queues.loop_measures(world.mash, later).decisions.denominator == 3
        # Another authority's staff never read this one's figures.
        other = queues.loop_measures(world.other_la_worker, later)
        assert other.decisions.denominator == 0
