"""Case notes and missing episodes through the API: same services, same access rules."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from diogelu.access.models import AccessLog, Channel
from diogelu.chronology.models import CaseNote, EventKind
from diogelu.people.models import MissingEpisode
from tests import factories as f

PROBLEM = "application/problem+json"


def api(user):
    return Client(HTTP_AUTHORIZATION=f"Bearer {f.token(user)}")


NOTE = {
    "kind": "PHONE",
    "contact_at": "2026-03-01T10:00:00Z",
    "what_happened": "Called the school about attendance.",
    "audience": "ALL_INVOLVED",
}
EPISODE = {"kind": "ABSENT", "started_at": "2026-02-27T21:00:00Z", "reported_to_police": True}


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("social_worker", 201),
        ("police_officer", 201),
        ("school_lead", 201),
        ("health_practitioner", 404),
        ("other_la_worker", 404),
    ],
)
@pytest.mark.parametrize(
    ("path", "body", "model"),
    [("case-notes", NOTE, CaseNote), ("missing-episodes", EPISODE, MissingEpisode)],
)
def test_record_and_read(world, persona, status, path, body, model):
    user = getattr(world, persona)
    client = api(user)
    url = f"/api/v1/people/{world.child.pk}/{path}/"
    made = client.post(url, json.dumps(body), content_type="application/json")
    assert made.status_code == status
    if status == 404:
        assert made["Content-Type"].startswith(PROBLEM)
        assert model.objects.count() == 0
        assert client.get(url).status_code == 404
        return
    listed = client.get(url)
    assert listed.status_code == 200
    assert listed.json()["count"] == 1
    assert AccessLog.objects.filter(user=user, channel=Channel.API, person=world.child).exists()


def test_bad_input_is_a_problem_and_changes_nothing(world):
    client = api(world.police_officer)
    url = f"/api/v1/people/{world.child.pk}/missing-episodes/"
    bad = {**EPISODE, "ended_at": "2026-02-26T21:00:00Z"}
    response = client.post(url, json.dumps(bad), content_type="application/json")
    assert response.status_code == 400
    assert response["Content-Type"].startswith(PROBLEM)
    assert MissingEpisode.objects.count() == 0
    la_only = {**NOTE, "audience": "LOCAL_AUTHORITY"}
    response = client.post(
        f"/api/v1/people/{world.child.pk}/case-notes/",
        json.dumps(la_only),
        content_type="application/json",
    )
    assert response.status_code == 400
    assert CaseNote.objects.count() == 0


def test_missing_episode_writes_the_chronology_event(world):
    api(world.social_worker).post(
        f"/api/v1/people/{world.child.pk}/missing-episodes/",
        json.dumps(EPISODE),
        content_type="application/json",
    )
    assert MissingEpisode.objects.get().event.kind == EventKind.MISSING


def test_schema_documents_the_endpoints_without_warnings(tmp_path):
    from django.core.management import call_command

    out = tmp_path / "schema.yml"
    call_command("spectacular", "--api-version", "v1", "--fail-on-warn", "--file", str(out))
    text = out.read_text()
    assert "/api/v1/people/{person_id}/case-notes/" in text
    assert "/api/v1/people/{person_id}/missing-episodes/" in text
