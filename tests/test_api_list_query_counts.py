"""The API's casework lists cost the same SQL queries for one row and for several (issue 17):
at a county each row of a page brought look-ups of its own: 74 statements for the MASH's
information requests (each answer's author and earlier versions), 155 for strategy discussions
(participants, decisions, actions, each decision's enquiry), 51 for a partner's enquiries (was
the determination shared?) and for its outcomes (each report's children)."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from diogelu.accounts.services import create_api_token
from diogelu.enquiries import services as enquiries
from diogelu.enquiries.models import S47Kind
from diogelu.notifications.delivery import deliver_pending
from diogelu.procedures import LONDON
from diogelu.sharing import services as sharing
from diogelu.sharing.tests.journey import answered, decide_for_strategy

pytestmark = pytest.mark.django_db

LISTS = (
    ("mash", "/api/v1/requests/"),
    ("mash", "/api/v1/strategy-discussions/"),
    ("mash", "/api/v1/enquiries/"),
    ("police_officer", "/api/v1/strategy-discussions/"),
    ("police_officer", "/api/v1/enquiries/"),
    ("police_officer", "/api/v1/outcomes/"),
    ("police_officer", "/api/v1/requests/"),
)


def _journey(world, day: int) -> None:
    """A report answered, decided, discussed and determined (outcomes shared at each step)."""
    moment = datetime.datetime(2026, 1, day, 8, tzinfo=LONDON)
    with time_machine.travel(moment, tick=False) as clock:
        j = answered(world)
        j.requests["police"].refresh_from_db()
        sharing.amend_answer(
            actor=world.police_officer,
            answer=j.requests["police"].answer,
            holds_information=True,
            summary="Two incidents, the second with an injury.",
            reason="A second incident was found.",
        )
        decide_for_strategy(world, j)
        clock.move_to(moment + datetime.timedelta(hours=2))
        enquiries.record_strategy_discussion(
            actor=world.mash,
            report=j.report,
            kind="MEETING",
            medium="VIDEO",
            held_at=moment + datetime.timedelta(hours=1),
            chair=world.manager,
            information_shared="Police: incidents. School: attendance.",
            participants=[
                {"agency": world.authority, "name": "Manager"},
                {"agency": world.police, "name": "DC Harries"},
            ],
            child_decisions=[
                {"child": j.child, "s47": S47Kind.JOINT, "reasons": "Disclosure"},
                {"child": j.sibling, "s47": S47Kind.NONE, "reasons": "No concerns"},
            ],
            lead_social_worker=world.social_worker,
        )
        enquiry = j.report.enquiries.get(person=world.child)
        enquiries.record_child_seen(
            actor=world.social_worker,
            enquiry=enquiry,
            seen_at=moment + datetime.timedelta(hours=1, minutes=30),
            seen_alone=True,
            child_views="I want it to stop.",
        )
        enquiries.record_determination(
            actor=world.social_worker,
            enquiry=enquiry,
            determination="3",
            rationale="Substantiated with continuing risk.",
        )
        deliver_pending()


def _counts(world) -> dict[tuple[str, str], tuple[int, int]]:
    out = {}
    for persona, url in LISTS:
        user = getattr(world, persona)
        _token, text = create_api_token(actor=user, name="query counts", days=1)
        client = Client(headers={"Authorization": f"Bearer {text}"})
        client.get(url)
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url)
        assert response.status_code == 200, (persona, url, response.content)
        out[(persona, url)] = (len(ctx.captured_queries), len(response.json()["results"]))
    return out


def test_api_casework_lists_cost_the_same_queries_for_one_row_and_for_three(world):
    _journey(world, 5)
    one = _counts(world)
    _journey(world, 6)
    _journey(world, 7)
    three = _counts(world)
    for key in one:
        assert three[key][1] > one[key][1], (key, "the list grew", one[key], three[key])
    grew = {key: (one[key][0], three[key][0]) for key in one if three[key][0] != one[key][0]}
    assert not grew, f"queries for one row and for three: {grew}"


@pytest.mark.parametrize(
    ("url", "start", "index"),
    [
        # The MASH's five years of requests were sorted on disk for each page (0.3 s at a county).
        ("/api/v1/requests/", 'SELECT "sharing_informationrequest"."id"', "request_by_due"),
        # Every enquiry of the years was joined to its report and sorted to cut a page of 25
        # (37 ms at a county of five years, growing with the years; issue 17).
        ("/api/v1/enquiries/", 'SELECT "enquiries_section47enquiry"."id"', "s47_by_due"),
    ],
)
def test_a_list_due_soonest_first_is_read_from_its_index(world, url, start, index):
    """The API's requests and section 47 enquiries are each listed soonest due first: a page is
    read from the top of an index in that order, not cut after sorting them all."""
    if connection.vendor != "postgresql":
        return
    _journey(world, 5)
    pages = _page_statements(world.mash, url, start)
    assert len(pages) == 1, pages
    assert '"due_at" ASC' in pages[0]
    (plan,) = _plans(pages)
    assert index in plan, plan


def _page_statements(user, url: str, start: str) -> list[str]:
    """The statements that cut a page of ``url``'s list for ``user``: they begin ``start`` and
    have a LIMIT."""
    _token, text = create_api_token(actor=user, name="plan", days=1)
    client = Client(headers={"Authorization": f"Bearer {text}"})
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return [
        q["sql"] for q in ctx.captured_queries if q["sql"].startswith(start) and "LIMIT" in q["sql"]
    ]


def _plans(statements: list[str], *settings: str) -> list[str]:
    """PostgreSQL's plan of each statement with sorting (and ``settings``) made dear: a plan
    that still reads an index in order is one that can."""
    plans = []
    with connection.cursor() as cursor:
        for setting in ("enable_sort", *settings):
            cursor.execute(f"SET LOCAL {setting} = off")
        for sql in statements:
            cursor.execute("EXPLAIN " + sql)
            plans.append("\n".join(row[0] for row in cursor.fetchall()))
    return plans


def test_each_page_is_cut_before_its_rows_are_joined(world):
    """``diogelu.api.pagination.page_then_join``: the statement that cuts a list's page reads
    ids alone (and a ``DISTINCT`` list's sort key), and the page's rows are read with their
    joins after, by id. Cut after the joins, a police force's outcomes joined all of its 67,000
    to their reports and users before the 25 were chosen: 240 ms at a county (issue 17)."""
    from django.conf import settings

    _journey(world, 5)
    _journey(world, 6)
    cut = f" LIMIT {settings.REST_FRAMEWORK['PAGE_SIZE']}"
    for persona, url in LISTS:
        _token, text = create_api_token(actor=getattr(world, persona), name="cut", days=1)
        client = Client(headers={"Authorization": f"Bearer {text}"})
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url)
        assert response.status_code == 200 and response.json()["results"], (persona, url)
        pages = [q["sql"] for q in ctx.captured_queries if q["sql"].endswith(cut)]
        assert pages, (persona, url, "no statement cut the page")
        for sql in pages:
            columns = sql.split(" FROM ", 1)[0]
            assert columns.count(",") <= 1, (persona, url, columns[:300])


def test_page_then_join_gives_the_rows_slicing_gives_in_the_same_order(world):
    from diogelu.accounts.models import User
    from diogelu.api.pagination import page_then_join

    users = User.objects.select_related("agency").order_by("agency__name", "-username")
    everyone = list(users)
    assert len(everyone) >= 5
    for offset in range(len(everyone) + 1):
        for limit in (1, 2, 3, 25):
            page = page_then_join(users, offset, limit)
            assert page == everyone[offset : offset + limit]
            assert all("agency" in row._state.fields_cache for row in page)


def _outcomes_both_ways(world) -> None:
    """Outcomes for the police force (no one named) from three journeys, and copies of them
    named to the police officer, their times interleaved and some tied, some acknowledged."""
    from django.utils import timezone

    from diogelu.sharing.models import OutcomeNotification

    for day in (5, 6, 7):
        _journey(world, day)
    agency = list(
        OutcomeNotification.objects.filter(
            recipient_agency=world.police, recipient_user__isnull=True
        ).order_by("pk")
    )
    assert len(agency) >= 3
    base = timezone.now()
    for k, outcome in enumerate(agency):
        outcome.shared_at = base - datetime.timedelta(minutes=10 * k)
        outcome.acknowledged_at = base if k % 2 else None
        outcome.save(update_fields=["shared_at", "acknowledged_at"])
        named = OutcomeNotification.objects.get(pk=outcome.pk)
        named.pk = None
        named.recipient_user = world.police_officer
        # every other one ties with an agency outcome: the key decides between them
        named.shared_at = outcome.shared_at - datetime.timedelta(minutes=5 * (k % 2))
        named.acknowledged_at = base if k % 3 == 0 else None
        named.save()


def test_the_outcome_list_is_its_two_parts_merged_in_order(world):
    """The API's outcomes are read as two disjoint parts (meant for me; for my agency, no one
    named), each newest first from its own index, and merged (issue 17). Every page, with and
    without the acknowledged filter, is the page of the list read as one OR and sorted."""
    from diogelu.sharing.access import visible_outcomes

    _outcomes_both_ways(world)
    _token, text = create_api_token(actor=world.police_officer, name="parts", days=1)
    client = Client(headers={"Authorization": f"Bearer {text}"})
    for flag in (None, "true", "false"):
        whole = visible_outcomes(world.police_officer).order_by("-shared_at", "-pk")
        if flag is not None:
            whole = whole.filter(acknowledged_at__isnull=flag == "false")
        expected = list(whole.values_list("pk", flat=True))
        assert len(expected) >= 2
        named = set(whole.filter(recipient_user=world.police_officer).values_list("pk", flat=True))
        assert named and named != set(expected)  # both parts are on the list
        for limit in (1, 2, 5, 100):
            for offset in range(len(expected) + 1):
                query = f"?limit={limit}&offset={offset}"
                if flag is not None:
                    query += f"&acknowledged={flag}"
                body = client.get("/api/v1/outcomes/" + query).json()
                assert body["count"] == len(expected), (flag, query)
                got = [row["id"] for row in body["results"]]
                assert got == expected[offset : offset + limit], (flag, query)


def test_the_outcome_list_reads_each_part_from_its_own_index(world):
    """A page of a police force's outcomes reads the top of ``outcome_shared_to_agency`` and
    ``outcome_shared_to_user``: as one OR, a county's 67,000 were read and sorted for each page
    of 25 (57 ms; issue 17)."""
    if connection.vendor != "postgresql":
        return
    _journey(world, 5)
    pages = _page_statements(
        world.police_officer,
        "/api/v1/outcomes/",
        'SELECT "sharing_outcomenotification"."shared_at"',
    )
    assert len(pages) == 2, pages
    plans = _plans(pages, "enable_bitmapscan")
    assert any("outcome_shared_to_agency" in plan for plan in plans), plans
    assert any("outcome_shared_to_user" in plan for plan in plans), plans
    assert not any(" OR " in sql for sql in pages), pages


def test_the_strategy_list_is_each_discussion_once_without_distinct(world):
    """The authority's strategy discussions asked for DISTINCT, which made PostgreSQL sort all
    of a county's 10,964 to cut a page of 25 (63 ms, against 3 ms without). A discussion's
    report is one row and its children are excluded by a subquery, so none can appear twice:
    each discussion of two children is listed once, and a restricted child's is still hidden."""
    from diogelu.enquiries.access import visible_strategies
    from diogelu.enquiries.models import StrategyDiscussion

    _journey(world, 5)
    _journey(world, 6)
    listed = visible_strategies(world.mash)
    assert "DISTINCT" not in str(listed.query)
    ids = list(listed.values_list("pk", flat=True))
    everything = StrategyDiscussion.objects.filter(report__authority=world.authority)
    assert len(ids) == len(set(ids)) == everything.count() == 2
    assert all(d.child_decisions.count() == 2 for d in everything)
    _token, text = create_api_token(actor=world.mash, name="strategies", days=1)
    client = Client(headers={"Authorization": f"Bearer {text}"})
    body = client.get("/api/v1/strategy-discussions/").json()
    assert body["count"] == 2 and len({row["id"] for row in body["results"]}) == 2
    world.sibling.is_restricted = True
    world.sibling.save(update_fields=["is_restricted"])
    assert not visible_strategies(world.mash).exists()
