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
