"""The measures API: readers only, values and rows, children access-logged."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine
from django.core.management import call_command
from django.test import Client

from diogelu.access.models import AccessLog, Channel
from diogelu.accounts.models import AgencyKind, Role
from diogelu.measures.tests.builders import Case, at
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    with time_machine.travel(at(date(2026, 3, 10)), tick=False):
        c = Case()
        strategy = at(date(2026, 2, 2))
        c.late = [c.child(), c.child()]
        c.conference(c.late, clock_start=strategy, held=at(date(2026, 2, 24)))
        c.conference([c.child()], clock_start=strategy, held=at(date(2026, 2, 20)))
        yield c


def get(user, path):
    token = f.token(user)
    return Client().get(path, HTTP_AUTHORIZATION=f"Bearer {token}")


def test_values_per_child_and_per_event(case):
    response = get(case.head, "/api/v1/measures/icpc_15wd/?period=q-2025-4")
    assert response.status_code == 200
    body = response.json()
    current = body["current"]
    assert (current["children"], current["children_met"]) == (3, 1)
    assert (current["events"], current["events_met"], current["event_rate"]) == (2, 1, 50.0)
    assert len(body["trend"]) == 12
    assert body["measure"]["rule"] == "icpc.convene"


def test_list_is_paged(case):
    body = get(case.head, "/api/v1/measures/?limit=5").json()
    assert body["count"] >= 29 and len(body["results"]) == 5


def test_rows_log_each_child_shown(case):
    before = AccessLog.objects.count()
    body = get(case.head, "/api/v1/measures/icpc_15wd/rows/?period=q-2025-4&show=missed").json()
    assert {r["person_id"] for r in body["results"]} == {c.pk for c in case.late}
    logged = AccessLog.objects.order_by("pk")[before:]
    assert {r.person_id for r in logged} == {c.pk for c in case.late}
    assert {r.channel for r in logged} == {Channel.API}


def test_partners_and_other_roles_get_404_problem(case):
    police = f.agency(AgencyKind.POLICE, "Heddlu Prawf")
    for user in (
        f.user(police, Role.AGENCY_SAFEGUARDING_LEAD, username="pl"),
        f.user(case.authority, Role.SOCIAL_WORKER, username="sw2"),
    ):
        for path in (
            "/api/v1/measures/",
            "/api/v1/measures/icpc_15wd/",
            "/api/v1/measures/icpc_15wd/rows/",
        ):
            response = get(user, path)
            assert response.status_code == 404
            assert response["Content-Type"].startswith("application/problem+json")


def test_schema_documents_the_measures_without_warnings(capsys):
    call_command("spectacular", "--fail-on-warn", "--file", "/dev/null", "--api-version", "v1")
    schema = Client().get("/api/v1/schema/", HTTP_ACCEPT="application/json")
    assert "/api/v1/measures/{measure}/rows/" in schema.content.decode()
