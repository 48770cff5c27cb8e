"""People search and the API people list cost the same SQL queries on N and on 3N people found
(issue 17): each person listed brought a look-up of their current address (people search: 79
queries on a generated county) and of their other names (API: 74)."""

from __future__ import annotations

import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from diogelu.accounts.services import create_api_token
from diogelu.people.models import Address, NameKind, PersonName
from tests import factories as f


def _add_people(world, count: int) -> None:
    for i in range(count):
        person = f.person(world.authority, given_name="Elin", family_name="Pryce")
        Address.objects.create(
            person=person,
            line_1=f"{i + 1} Heol y Dderwen",
            town="Glanrafon",
            postcode="CF36 5AB",
            moved_in_on=datetime.date(2020, 1, 1),
        )
        PersonName.objects.create(
            person=person, kind=NameKind.PREVIOUS, given_name="Elin", family_name="Jenkins"
        )


def _search_page(world) -> tuple[int, int]:
    client = world.client_for(world.mash)
    with CaptureQueriesContext(connection) as ctx:
        response = client.post(reverse("search_people"), {"name": "Elin Pryce"})
    assert response.status_code == 200
    return len(ctx.captured_queries), response.content.decode().count("CF36 5AB")


def _api_list(world, token: str) -> tuple[int, int]:
    from django.test import Client

    client = Client(headers={"Authorization": f"Bearer {token}"})
    with CaptureQueriesContext(connection) as ctx:
        response = client.get("/api/v1/people/", {"limit": 100})
    assert response.status_code == 200
    return len(ctx.captured_queries), len(response.json()["results"])


def test_people_search_and_api_list_cost_the_same_queries_on_n_and_3n_people(world):
    _token, token = create_api_token(actor=world.mash, name="query counts", days=1)
    n = 2
    _add_people(world, n)
    search_small, shown_small = _search_page(world)
    api_small, listed_small = _api_list(world, token)
    _add_people(world, 2 * n)
    search_large, shown_large = _search_page(world)
    api_large, listed_large = _api_list(world, token)
    assert (shown_small, shown_large) == (n, 3 * n)
    assert listed_large == listed_small + 2 * n
    assert search_large == search_small, f"search: {search_small} vs {search_large} queries"
    assert api_large == api_small, f"API list: {api_small} vs {api_large} queries"


def test_reports_lists_are_paged(world, monkeypatch):
    """The MASH's reports list and a reporter's sent reports show a page at a time (a school's
    five years of reports were one 2 MB page), the same queries on N and 3N reports."""
    from diogelu.core import pagination
    from tests.test_mash_workflow_services import make_report

    monkeypatch.setattr(pagination, "PAGE_SIZE", 2)
    monkeypatch.setattr(pagination.page_of, "__defaults__", ("page", 2))

    def counted(user, name: str, page: str = "1") -> tuple[int, str]:
        client = world.client_for(user)
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(reverse(name), {"page": page})
        assert response.status_code == 200
        return len(ctx.captured_queries), response.content.decode()

    for _ in range(3):
        make_report(world)
    small = {name: counted(u, name)[0] for u, name in _lists(world)}
    for _ in range(6):
        make_report(world)
    large = {name: counted(u, name)[0] for u, name in _lists(world)}
    assert large == small
    for user, name in _lists(world):
        _count, body = counted(user, name, "2")
        assert "Showing 3 to 4 of 9" in body, name
        assert "page=1" in body and "page=3" in body


def _lists(world):
    return [(world.mash, "mash_report_list"), (world.school_lead, "your_reports")]
