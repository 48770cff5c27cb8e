"""The oversight API: reads for workforce and caseloads, writes for supervision and allocation."""

from __future__ import annotations

import json
from typing import Any

from django.test import Client

from diogelu.access.models import AccessLog
from diogelu.oversight.models import Allocation, Supervision
from diogelu.oversight.tests.conftest import Org
from tests import factories as f

API = "/api/v1/oversight"


def api(user: Any) -> Any:
    client = Client()
    headers = {"HTTP_AUTHORIZATION": f"Bearer {f.token(user)}"}

    def call(method: str, path: str, body: Any = None, **extra: Any) -> Any:
        send = getattr(client, method)
        if body is None:
            return send(f"{API}{path}", **headers, **extra)
        return send(
            f"{API}{path}", json.dumps(body), content_type="application/json", **headers, **extra
        )

    return call


def test_allocation_and_supervision_through_the_api(org: Org) -> None:
    w = org.world
    call = api(w.manager)
    made = call(
        "post",
        "/allocations/",
        {
            "person_id": w.child.pk,
            "worker_id": w.social_worker.pk,
            "team_id": org.team.pk,
            "reason": "NEW_CASE",
            "stage": "CHILD_PROTECTION",
        },
    )
    assert made.status_code == 201, made.content
    version = made.json()["case_version"]
    stale = call(
        "post",
        "/allocations/",
        {
            "person_id": w.child.pk,
            "worker_id": org.newly.pk,
            "team_id": org.team.pk,
            "reason": "CASELOAD",
            "expected_version": version - 1,
        },
    )
    assert stale.status_code == 409 and stale["Content-Type"] == "application/problem+json"
    leaver = org.workers["agency"]
    leaver.left_on = leaver.started_on
    leaver.save(update_fields=["left_on"])
    refused = call(
        "post",
        "/allocations/",
        {
            "person_id": w.child.pk,
            "worker_id": org.agency.pk,
            "team_id": org.team.pk,
            "reason": "CASELOAD",
            "expected_version": version,
        },
    )
    assert refused.status_code == 400 and "still in post" in refused.json()["detail"]
    assert Allocation.objects.count() == 1

    body = {
        "kind": "CASE",
        "worker_id": w.social_worker.pk,
        "held_on": "2026-03-02",
        "children": [{"person_id": w.child.pk, "decisions": "See her alone weekly"}],
        "actions": [
            {
                "step": "VISIT",
                "description": "Visit",
                "owner_id": w.social_worker.pk,
                "due_on": "2026-03-06",
                "person_id": w.child.pk,
            }
        ],
    }
    recorded = call("post", "/supervisions/", body)
    assert recorded.status_code == 201, recorded.content
    pk = recorded.json()["id"]
    assert call("get", f"/supervisions/{pk}/").json()["actions"][0]["step"] == "VISIT"
    assert AccessLog.objects.filter(route="api_supervision", channel="API").exists()
    listed = call("get", "/supervisions/").json()
    assert listed["count"] == 1
    # The list shows each child discussed: each is a logged read (one row per child, per list).
    logged = AccessLog.objects.filter(route="api_supervision_list", channel="API", person=w.child)
    assert logged.count() == 1
    # A child the supervisor may not see: 404, nothing written.
    body["children"] = [{"person_id": w.other_child.pk, "decisions": "x"}]
    body["actions"] = []
    assert call("post", "/supervisions/", body).status_code == 404
    assert Supervision.objects.count() == 1


def test_reads_and_partners(org: Org) -> None:
    w = org.world
    head = api(org.head)
    workforce = head("get", "/workforce/?start=2025-03-02&end=2026-03-02")
    assert workforce.status_code == 200
    assert workforce.json()["authority"]["headcount"] == 4
    loads = api(w.manager)("get", "/caseloads/").json()
    assert loads["count"] == 4
    police = api(w.police_officer)
    for path in ("/workforce/", "/caseloads/", "/supervisions/"):
        assert police("get", path).status_code == 404, path
    assert police("post", "/allocations/", {}).status_code == 404
    assert police("post", "/supervisions/", {}).status_code == 404
    # Another authority's social worker sees none of this authority's records.
    other = api(w.other_la_worker)
    assert other("get", "/supervisions/").json()["count"] == 0
    assert other("get", "/caseloads/").status_code == 404
    assert other("post", "/allocations/", {}).status_code == 404
    # A social worker does not read the workforce measures.
    assert api(w.social_worker)("get", "/workforce/").status_code == 404
