"""The request queue and My work cost the same SQL queries on N and on 3N requests (issue 17).

Each listed child's read is access-logged; the log decided each child's basis person by person
(an involvement look-up per child: 131 queries on a police officer's queue in a generated
county). Here each request is about a different child, so a per-child look-up shows.
"""

from __future__ import annotations

import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from diogelu.access.models import Involvement, Part
from diogelu.referrals import services as referrals
from diogelu.sharing import services as sharing
from diogelu.sharing.models import Priority
from diogelu.sharing.tests.test_queues import at
from tests import factories as f
from tests.test_mash_workflow_services import make_report

NOW = at(2026, 6, 1, 12, 0)


def _add_requests_to_police(world, count: int) -> None:
    for _ in range(count):
        with time_machine.travel(at(2026, 5, 26, 9, 0), tick=False):
            report = make_report(world)
            child = report.children.first()
            person = f.person(world.authority)
            referrals.link_child(actor=world.mash, child=child, person=person)
            Involvement.objects.create(
                person=person,
                agency=world.police,
                reason="OTHER",
                parts=[Part.SUMMARY],
                started_at=at(2026, 5, 1, 9, 0),
            )
            sharing.request_information(
                actor=world.mash,
                report=report,
                child=child,
                agency=world.police,
                priority=Priority.STANDARD,
                question="Anything known?",
            )


def _count(world, user, name: str) -> int:
    client = world.client_for(user)
    with time_machine.travel(NOW, tick=False), CaptureQueriesContext(connection) as ctx:
        response = client.get(reverse(name))
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_request_queue_and_my_work_cost_the_same_queries_on_n_and_3n_requests(world, monkeypatch):
    from diogelu.plans import due

    # Every request works out the manager's visit deadlines, rather than the first one only.
    monkeypatch.setattr(due, "VISIT_DEADLINES_CACHE_SECONDS", 0)
    n = 2
    _add_requests_to_police(world, n)
    small = {
        (persona, page): _count(world, getattr(world, persona), page)
        for persona in ("police_officer", "mash", "manager")
        for page in ("request_queue", "my_work")
    }
    _add_requests_to_police(world, 2 * n)
    large = {key: _count(world, getattr(world, key[0]), key[1]) for key in small}
    assert large == small, f"{small} on {n} requests, {large} on {3 * n}"


def test_the_open_requests_are_paged_soonest_due_first_and_only_those_shown_are_logged(
    world, monkeypatch
):
    """Issue 17: at Wales scale the MASH's queue listed every open request of the authority on
    one page (213 KB). It is paged; the heading counts them all, the overdue ones are counted in
    SQL, and only the children on the page are read and access-logged."""
    from diogelu.access.models import AccessLog
    from diogelu.sharing import queues
    from diogelu.sharing.models import InformationRequest

    monkeypatch.setattr(queues, "PAGE_SIZE", 2)
    _add_requests_to_police(world, 3)
    by_due = list(InformationRequest.objects.filter(agency=world.police).order_by("due_at", "pk"))
    assert len(by_due) == 3
    client = world.client_for(world.police_officer)
    url = reverse("request_queue")
    with time_machine.travel(NOW, tick=False):
        first = client.get(url)
        logged_first = set(
            AccessLog.objects.filter(route="request_queue").values_list("person_id", flat=True)
        )
        second = client.get(url, {"page": "2"})
    page1, page2 = first.content.decode(), second.content.decode()
    assert "Waiting for an answer (3)" in page1 and "Waiting for an answer (3)" in page2
    for shown in by_due[:2]:
        assert reverse("show_request", args=[shown.pk]) in page1
        assert reverse("show_request", args=[shown.pk]) not in page2
    assert reverse("show_request", args=[by_due[2].pk]) not in page1
    assert reverse("show_request", args=[by_due[2].pk]) in page2
    assert "Showing 1 to 2 of 3." in page1 and "Showing 3 to 3 of 3." in page2
    assert 'href="?page=2#waiting"' in page1
    # Each request was due within days of 26 May: all three are past due on 1 June.
    assert "3 overdue" in page1
    assert logged_first == {r.child.person_id for r in by_due[:2]}
