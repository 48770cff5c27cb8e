"""A manager's My work pages the escalated outcomes (issue 17).

After the first tick on a generated county, 23,562 outcomes were escalated, and a team manager's
My work worked out and showed every one of them: 23 s for one page. It now shows a page at a
time, with the total in the heading, and the page's cost does not grow with the backlog."""

from __future__ import annotations

import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from diogelu import my_work
from diogelu.sharing.models import OutcomeNotification
from diogelu.sharing.tests.test_mash_dashboard_queries import NOW, _add_decided_reports


def _escalate(limit: int | None = None) -> int:
    """Escalate the first ``limit`` unacknowledged outcomes (all of them with None)."""
    waiting = OutcomeNotification.objects.filter(acknowledged_at__isnull=True).order_by("pk")
    ids = list(waiting.values_list("pk", flat=True)[:limit])
    return OutcomeNotification.objects.filter(pk__in=ids).update(escalated_at=NOW)


def _page(world, query: str = "") -> tuple[str, int]:
    client = world.client_for(world.manager)
    with time_machine.travel(NOW, tick=False), CaptureQueriesContext(connection) as ctx:
        body = client.get(reverse("my_work") + query).content.decode()
    return body, len(ctx.captured_queries)


def test_escalated_outcomes_are_paged_and_cost_the_same_on_more(world, monkeypatch):
    monkeypatch.setattr(my_work, "ESCALATED_PER_PAGE", 2)
    _add_decided_reports(world, 6)
    assert _escalate(3) == 3
    _page(world)  # the first request fills per-authority caches (visit deadlines)
    body, few = _page(world)
    assert body.count("govuk-tag--purple") == 2  # a page of two, not all three
    assert "Showing 1 to 2 of 3 escalated outcomes" in body
    assert "Pages of escalated outcomes" in body
    many = _escalate()
    assert many > 6
    body, more = _page(world)
    assert body.count("govuk-tag--purple") == 2
    assert f"Showing 1 to 2 of {many} escalated outcomes" in body
    assert more == few, "My work's queries grew with the escalated outcomes"
    body, _ = _page(world, "?escalated_page=2")
    assert f"Showing 3 to 4 of {many} escalated outcomes" in body


def test_each_escalated_outcome_names_its_report_and_how_long_overdue(world):
    """A manager chooses where to start from the report and how long the outcome has waited
    (issue 17: seen in Chromium on a county, each line said only whose acknowledgement was
    missing). The report's reference is in the outcome's own title ("Report S…: …")."""
    import re

    from diogelu.core.presenters import time_left
    from diogelu.sharing import queues

    _add_decided_reports(world, 1)
    assert _escalate() >= 1
    outcome = (
        OutcomeNotification.objects.filter(escalated_at__isnull=False)
        .select_related("report")
        .order_by("acknowledge_by", "pk")
        .first()
    )
    assert outcome is not None
    (row,) = queues.outcome_rows([outcome], NOW)
    overdue = time_left(row.timeliness)
    assert overdue.startswith("Overdue by")
    body, _ = _page(world)
    lines = re.findall(r"<li>.*?govuk-tag--purple.*?</li>", body, re.S)
    assert lines
    assert outcome.report.reference in lines[0]
    assert lines[0].count(outcome.report.reference) == 1, "the reference shown twice"
    assert overdue in lines[0]
