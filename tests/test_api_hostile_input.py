"""Hostile input to the API (issue 11, "The API contract"): deeply nested JSON is refused with
400 problem+json on every JSON write, never a 500."""

from __future__ import annotations

import pytest
from django.test import Client

from diogelu.api.parsers import MAX_DEPTH, nesting_depth
from tests import factories as f

PROBLEM = "application/problem+json"


@pytest.mark.parametrize(
    "body",
    [
        "[" * 900 + "]" * 900,  # 1.8 KB
        '{"a":' * 900 + "1" + "}" * 900,
        '{"name": ' + "[" * (MAX_DEPTH + 1) + "]" * (MAX_DEPTH + 1) + "}",
    ],
)
def test_deeply_nested_json_is_a_400_problem_on_every_json_write(world, body):
    client = Client(HTTP_AUTHORIZATION=f"Bearer {f.token(world.mash)}")
    for url in (
        "/api/v1/people/search/",
        f"/api/v1/people/{world.child.pk}/chronology/",
        "/api/v1/reports/",
    ):
        response = client.post(url, body, content_type="application/json")
        assert response.status_code == 400, url
        assert response["Content-Type"] == PROBLEM, url


def test_nesting_is_measured_outside_strings():
    assert nesting_depth('{"a": "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[["}', stop_after=2) == 1
    assert nesting_depth('[[["\\"[["]]]', stop_after=1) == 2
    assert nesting_depth("[" * 40, stop_after=MAX_DEPTH) == MAX_DEPTH + 1


def test_ordinary_json_still_parses(world):
    client = Client(HTTP_AUTHORIZATION=f"Bearer {f.token(world.mash)}")
    response = client.post(
        "/api/v1/people/search/", {"name": "Prydderch"}, content_type="application/json"
    )
    assert response.status_code == 200


def test_a_body_that_is_not_utf8_is_a_400_problem(world):
    client = Client(HTTP_AUTHORIZATION=f"Bearer {f.token(world.mash)}")
    response = client.post(
        "/api/v1/people/search/", b'{"name": "\xff\xfe"}', content_type="application/json"
    )
    assert response.status_code == 400
    assert response["Content-Type"] == PROBLEM


@pytest.mark.parametrize("when", ["1457-03-01T10:00:00Z", "0001-01-01T00:00:00Z"])
def test_an_implausibly_old_chronology_event_is_refused(world, when):
    from diogelu.chronology.models import ChronologyEvent

    client = Client(HTTP_AUTHORIZATION=f"Bearer {f.token(world.mash)}")
    before = ChronologyEvent.objects.count()
    response = client.post(
        f"/api/v1/people/{world.child.pk}/chronology/",
        {"occurred_at": when, "kind": "SCHOOL", "title": "Old", "detail": "A typo"},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response["Content-Type"] == PROBLEM
    assert "occurred_at" in response.json()["errors"]
    assert ChronologyEvent.objects.count() == before


@pytest.mark.parametrize("when", ["1457-03-01T10:00:00Z", "2150-01-01T10:00:00Z"])
def test_an_implausible_datetime_is_refused_by_every_api_field(world, when):
    """Not only the chronology: a date-time field of the API refuses years before 1900 and from
    2100 on (here a strategy discussion's ``held_at``), naming the field."""
    from diogelu.referrals import services as referrals

    report = referrals.start_report(actor=world.mash, authority=world.authority)
    client = Client(HTTP_AUTHORIZATION=f"Bearer {f.token(world.mash)}")
    response = client.post(
        f"/api/v1/reports/{report.pk}/strategy-discussions/",
        {"kind": "MEETING", "medium": "VIDEO", "held_at": when},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "held_at" in response.json()["errors"]


def test_due_times_cite_their_rule(world):
    """Reports, requests, enquiries, conferences and outcomes name the procedures rule (and its
    version) each due time comes from."""
    schema = Client().get("/api/v1/schema/", HTTP_ACCEPT="application/json").json()
    components = schema["components"]["schemas"]
    for name in ("Report", "ReportList", "InformationRequest", "Enquiry", "Outcome"):
        found = [n for n in components if n == name or n.startswith(name)]
        assert found, name
        properties = components[found[0]]["properties"]
        assert "due_rule" in properties and "due_rule_version" in properties, found[0]
