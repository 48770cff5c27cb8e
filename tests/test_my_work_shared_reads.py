"""A manager's My work asks each question that several of its sections share once (issue 17).

Oversight's and audit's sections each asked whose line the manager manages (a recursive query,
three times a page); the reports awaiting decision and the decisions to authorise each read
which decisions wait for a manager; the manager's own open requests and the authority's overdue
ones were two reads of the same open requests; NRM decisions awaited were two reads. Each is one
read now (``core.memo``), and outside a page nothing is kept."""

from __future__ import annotations

import pytest
from django.urls import reverse

from diogelu.core.memo import memoised, page_memo

pytestmark = pytest.mark.django_db


def _count(queries, *needles: str) -> int:
    return sum(1 for q in queries if all(n in q["sql"] for n in needles))


def test_a_managers_my_work_asks_each_shared_question_once(world, django_assert_max_num_queries):
    client = world.client_for(world.manager)
    url = reverse("my_work")
    client.get(url)  # warm the session
    with django_assert_max_num_queries(200) as captured:
        page = client.get(url)
    assert page.status_code == 200
    queries = captured.captured_queries
    assert _count(queries, "WITH RECURSIVE below") == 1
    assert _count(queries, 'SELECT "referrals_decision"."report_id" AS "report_id" FROM') == 1
    assert _count(queries, 'FROM "sharing_informationrequest"', "\"status\" = 'OPEN'") == 1
    assert _count(queries, 'FROM "exploitation_nrmreferral"') <= 1


def test_nothing_is_kept_outside_a_page():
    calls: list[int] = []

    def compute() -> int:
        calls.append(1)
        return len(calls)

    assert memoised("k", compute) == 1
    assert memoised("k", compute) == 2  # no page: asked again
    with page_memo():
        assert memoised("k", compute) == 3
        assert memoised("k", compute) == 3  # kept for the rest of the page
        assert memoised("other", compute) == 4
    assert memoised("k", compute) == 5  # the page ended: nothing kept
