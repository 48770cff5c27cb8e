"""The API through the same access rules: 401 without a token, 404 when not entitled, 200 and an
access-log row when entitled; errors as application/problem+json; Idempotency-Key on POSTs."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from diogelu.access.models import AccessLog, Channel, Part
from diogelu.accounts.models import ApiToken
from diogelu.chronology.models import ChronologyEvent
from tests import factories as f

PROBLEM = "application/problem+json"


def api(token: str | None = None) -> Client:
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}
    return Client(**headers)


def person_urls(pk):
    return {
        f"/api/v1/people/{pk}/": Part.SUMMARY,
        f"/api/v1/people/{pk}/family/": Part.FAMILY,
        f"/api/v1/people/{pk}/chronology/": Part.CHRONOLOGY,
    }


ENTITLED = {
    "social_worker": {Part.SUMMARY, Part.FAMILY, Part.CHRONOLOGY},
    "police_officer": {Part.SUMMARY, Part.FAMILY, Part.CHRONOLOGY},
    "school_lead": {Part.SUMMARY, Part.CHRONOLOGY},
    "health_practitioner": set(),
    "other_la_worker": set(),
}


@pytest.mark.parametrize(
    "url", ["/api/v1/me/", "/api/v1/people/", "/api/v1/people/1/", "/api/v1/people/1/family/"]
)
def test_no_token_is_401_problem(world, url):
    response = api().get(url)
    assert response.status_code == 401
    assert response["Content-Type"] == PROBLEM
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_session_cookie_is_not_accepted_by_the_api(world):
    client = world.client_for(world.social_worker)
    assert client.get("/api/v1/me/").status_code == 401


@pytest.mark.parametrize("persona", ENTITLED)
def test_person_endpoints_for_each_persona(world, persona):
    user = getattr(world, persona)
    client = api(f.token(user))
    for url, part in person_urls(world.child.pk).items():
        before = AccessLog.objects.filter(user=user).count()
        response = client.get(url)
        after = AccessLog.objects.filter(user=user).count()
        if part in ENTITLED[persona]:
            assert response.status_code == 200, url
            assert after == before + 1
            row = AccessLog.objects.filter(user=user).order_by("-id").first()
            assert (row.channel, row.part, row.person_id) == (Channel.API, part, world.child.pk)
        else:
            assert response.status_code == 404, url
            assert response["Content-Type"] == PROBLEM
            assert after == before


def test_unknown_and_forbidden_ids_answer_alike(world):
    client = api(f.token(world.health_practitioner))
    a = client.get("/api/v1/people/999999/").json()
    b = client.get(f"/api/v1/people/{world.child.pk}/").json()
    assert a["status"] == b["status"] == 404
    assert a["detail"] == b["detail"]


def test_list_shows_only_visible_people_and_logs_each(world):
    client = api(f.token(world.school_lead))
    data = client.get("/api/v1/people/").json()
    assert [p["id"] for p in data["results"]] == [world.child.pk]
    assert AccessLog.objects.filter(user=world.school_lead, channel=Channel.API).count() == 1


def test_search_finds_welsh_and_english_forms_only_within_visibility(world):
    client = api(f.token(world.social_worker))
    response = client.post(
        "/api/v1/people/search/", {"name": "David Prydderch"}, content_type="application/json"
    )
    assert response.status_code == 200
    assert [p["id"] for p in response.json()["results"]] == [world.sibling.pk]
    police = api(f.token(world.police_officer))
    response = police.post(
        "/api/v1/people/search/", {"name": "prydderch"}, content_type="application/json"
    )
    assert [p["id"] for p in response.json()["results"]] == [world.child.pk]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "non_field_errors"),
        ({"nhs_number": "9990000019"}, "nhs_number"),
        ({"nhs_number": "12345"}, "nhs_number"),
        ({"upn": "A12345"}, "upn"),
        ({"postcode": "NOT A POSTCODE"}, "postcode"),
        ({"date_of_birth": "2015-02-30"}, "date_of_birth"),
        ({"name": "x" * 101}, "name"),
        ({"name": "Sian\x00"}, "name"),
    ],
)
def test_bad_search_input_is_a_clear_problem(world, body, field):
    response = api(f.token(world.social_worker)).post(
        "/api/v1/people/search/", body, content_type="application/json"
    )
    assert response.status_code == 400
    assert response["Content-Type"] == PROBLEM
    assert field in response.json()["errors"]


def test_malformed_json_is_a_problem(world):
    response = api(f.token(world.social_worker)).post(
        "/api/v1/people/search/", "{not json", content_type="application/json"
    )
    assert response.status_code == 400
    assert response["Content-Type"] == PROBLEM


@pytest.mark.parametrize("header", ["Bearer nonsense", "Bearer dgl_abc_def", "Basic dXNlcjpwYXNz"])
def test_bad_tokens_are_refused(world, header):
    response = Client(HTTP_AUTHORIZATION=header).get("/api/v1/me/")
    assert response.status_code == 401


def test_revoked_expired_and_deactivated_tokens_stop_working(world):
    from django.utils import timezone

    token = f.token(world.social_worker)
    client = api(token)
    assert client.get("/api/v1/me/").status_code == 200
    ApiToken.objects.update(revoked_at=timezone.now())
    assert client.get("/api/v1/me/").status_code == 401
    token2 = f.token(world.social_worker, days=1)
    ApiToken.objects.filter(revoked_at__isnull=True).update(expires_at=timezone.now())
    assert api(token2).get("/api/v1/me/").status_code == 401
    token3 = f.token(world.police_officer)
    world.police_officer.is_active = False
    world.police_officer.save()
    assert api(token3).get("/api/v1/me/").status_code == 401


def test_tokens_are_stored_hashed(world):
    token = f.token(world.social_worker)
    stored = ApiToken.objects.get()
    assert token not in (stored.token_hash, stored.lookup)
    assert len(stored.token_hash) == 64


EVENT = {
    "occurred_at": "2026-02-03T10:00:00Z",
    "kind": "SCHOOL",
    "title": "Child arrived hungry",
    "detail": "Said there was no breakfast at home.",
}


def test_partner_records_a_chronology_event_once_with_idempotency_key(world):
    client = api(f.token(world.school_lead))
    url = f"/api/v1/people/{world.child.pk}/chronology/"
    first = client.post(url, EVENT, content_type="application/json", HTTP_IDEMPOTENCY_KEY="k-1")
    second = client.post(url, EVENT, content_type="application/json", HTTP_IDEMPOTENCY_KEY="k-1")
    assert first.status_code == second.status_code == 201
    assert second["Idempotent-Replayed"] == "true"
    assert first.json() == second.json()
    assert ChronologyEvent.objects.filter(title="Child arrived hungry").count() == 1
    event = ChronologyEvent.objects.get(title="Child arrived hungry")
    assert event.source_agency == world.school


def test_same_key_different_body_is_422(world):
    client = api(f.token(world.school_lead))
    url = f"/api/v1/people/{world.child.pk}/chronology/"
    client.post(url, EVENT, content_type="application/json", HTTP_IDEMPOTENCY_KEY="k-2")
    other = dict(EVENT, title="Something else")
    response = client.post(url, other, content_type="application/json", HTTP_IDEMPOTENCY_KEY="k-2")
    assert response.status_code == 422
    assert response["Content-Type"] == PROBLEM
    assert ChronologyEvent.objects.filter(title="Something else").count() == 0


def test_failed_request_does_not_burn_the_key(world):
    client = api(f.token(world.school_lead))
    url = f"/api/v1/people/{world.child.pk}/chronology/"
    bad = dict(EVENT, occurred_at="2099-01-01T00:00:00Z")
    response = client.post(url, bad, content_type="application/json", HTTP_IDEMPOTENCY_KEY="k-3")
    assert response.status_code == 400
    assert "occurred_at" in response.json()["errors"]
    good = client.post(url, EVENT, content_type="application/json", HTTP_IDEMPOTENCY_KEY="k-3")
    assert good.status_code == 201


def test_partner_cannot_post_to_a_child_it_is_not_involved_with(world):
    client = api(f.token(world.health_practitioner))
    response = client.post(
        f"/api/v1/people/{world.child.pk}/chronology/", EVENT, content_type="application/json"
    )
    assert response.status_code == 404
    assert ChronologyEvent.objects.filter(title=EVENT["title"]).count() == 0


def test_partner_cannot_hide_an_event_from_other_agencies_as_la_only(world):
    client = api(f.token(world.police_officer))
    body = dict(EVENT, audience="LOCAL_AUTHORITY")
    response = client.post(
        f"/api/v1/people/{world.child.pk}/chronology/", body, content_type="application/json"
    )
    assert response.status_code == 400
    assert "audience" in response.json()["errors"]


def test_schema_is_served_and_documents_the_people_endpoints(world):
    response = Client().get("/api/v1/schema/", HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    schema = (
        json.loads(response.content)
        if response["Content-Type"].startswith("application/json")
        else None
    )
    text = response.content.decode()
    assert "/api/v1/people/search/" in text
    assert "bearerAuth" in text
    assert schema is None or "paths" in schema
