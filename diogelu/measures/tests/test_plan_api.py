"""The improvement plan through the API (ADR 0730): the pages' rules, versions, idempotency."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pytest
from django.test import Client

from diogelu.accounts.models import AgencyKind, Role
from diogelu.measures.models import ActionHistory, CabinetReport, RagProposal
from diogelu.measures.tests.builders import reader
from diogelu.measures.tests.test_plan import _clock, plan  # noqa: F401 (fixtures)
from tests import factories as f

pytestmark = pytest.mark.django_db
API = "/api/v1/improvement"


def call(user, method, path, body=None, **headers):
    kwargs: dict[str, Any] = {"HTTP_AUTHORIZATION": f"Bearer {f.token(user)}"}
    kwargs.update({f"HTTP_{k.upper().replace('-', '_')}": v for k, v in headers.items()})
    if method == "get":
        return Client().get(path, **kwargs)
    return Client().post(path, json.dumps(body or {}), content_type="application/json", **kwargs)


def test_reader_reads_the_plan_with_computed_rag(plan):  # noqa: F811
    listed = call(plan.head, "get", f"{API}/inspections/").json()
    assert [i["id"] for i in listed["results"]] == [plan.inspection.pk]
    body = call(plan.head, "get", f"{API}/inspections/{plan.inspection.pk}/").json()
    (finding,) = body["findings"]
    assert [a["number"] for a in finding["actions"]] == ["1.1", "1.2"]
    linked = call(
        plan.head,
        "post",
        f"{API}/actions/{plan.measured.pk}/measures/",
        {"measure": "icpc_15wd", "target": "90"},
    )
    assert linked.status_code == 200
    action = linked.json()
    assert (action["rag"], action["rag_computed"]) == ("RED", True)  # 50% against 90%
    assert action["measures"][0]["value"] == 50.0
    assert action["history"][-1]["what"] == "measure"


def test_progress_with_a_stale_version_is_409_and_changes_nothing(plan):  # noqa: F811
    url = f"{API}/actions/{plan.plain.pk}/progress/"
    version = plan.plain.version
    ok = call(plan.owner, "post", url, {"expected_version": version, "note": "Two posts filled"})
    assert ok.status_code == 200
    assert ok.json()["version"] == version + 1
    stale = call(plan.owner, "post", url, {"expected_version": version, "note": "Again"})
    assert stale.status_code == 409
    assert stale["Content-Type"].startswith("application/problem+json")
    assert ActionHistory.objects.filter(action=plan.plain, what="progress").count() == 1


def test_a_retried_post_with_its_idempotency_key_is_done_once(plan):  # noqa: F811
    url = f"{API}/actions/{plan.plain.pk}/evidence/"
    body = {"kind": "NOTE", "title": "Recruitment panel held"}
    first = call(plan.owner, "post", url, body, **{"Idempotency-Key": "ev-1"})
    again = call(plan.owner, "post", url, body, **{"Idempotency-Key": "ev-1"})
    assert (first.status_code, again.status_code) == (201, 201)
    assert again["Idempotent-Replayed"] == "true"
    assert plan.plain.evidence.count() == 1


def test_owner_proposes_and_only_the_plan_lead_decides(plan):  # noqa: F811
    proposed = call(
        plan.owner,
        "post",
        f"{API}/actions/{plan.plain.pk}/rag-proposals/",
        {"rag": "AMBER", "reason": "One post still vacant after two rounds"},
    )
    assert proposed.status_code == 201
    pid = proposed.json()["id"]
    assert proposed.json()["agreed"] is None
    url = f"{API}/rag-proposals/{pid}/decision/"
    assert call(plan.owner, "post", url, {"agree": True}).status_code == 403
    decided = call(plan.head, "post", url, {"agree": True})
    assert decided.status_code == 200 and decided.json()["agreed"] is True
    action = call(plan.head, "get", f"{API}/actions/{plan.plain.pk}/").json()
    assert (action["rag"], action["rag_computed"]) == ("AMBER", False)
    assert [p["id"] for p in action["proposals"]] == [pid]
    assert call(plan.head, "post", url, {"agree": False}).status_code == 400  # decided already


def test_milestone_then_the_rag_is_computed(plan):  # noqa: F811
    made = call(
        plan.owner,
        "post",
        f"{API}/actions/{plan.plain.pk}/milestones/",
        {"description": "Posts advertised", "due_on": "2026-04-10"},
    )
    assert made.status_code == 201
    action = call(plan.owner, "get", f"{API}/actions/{plan.plain.pk}/").json()
    assert (action["rag"], action["rag_computed"]) == ("RED", True)  # overdue on 20 April


def test_auditor_reads_but_every_write_is_403(plan):  # noqa: F811
    auditor = reader(plan)
    pk = plan.plain.pk
    assert call(auditor, "get", f"{API}/actions/{pk}/").status_code == 200
    writes = [
        ("progress/", {"expected_version": plan.plain.version, "note": "x"}),
        ("rag-proposals/", {"rag": "RED", "reason": "Not enough staff to start"}),
        ("milestones/", {"description": "m", "due_on": "2026-05-01"}),
        ("evidence/", {"kind": "NOTE", "title": "t"}),
        ("measures/", {"measure": "icpc_15wd", "target": "80"}),
    ]
    for tail, body in writes:
        response = call(auditor, "post", f"{API}/actions/{pk}/{tail}", body)
        assert response.status_code == 403, tail
    assert not ActionHistory.objects.filter(action=plan.plain).exists()
    proposal = RagProposal.objects.create(
        action=plan.plain, rag="RED", reason="Waiting for the lead", proposed_by=plan.owner
    )
    url = f"{API}/rag-proposals/{proposal.pk}/decision/"
    assert call(auditor, "post", url, {"agree": True}).status_code == 403


def test_partner_agency_and_another_authority_never_reach_it(plan):  # noqa: F811
    police = f.user(f.agency(AgencyKind.POLICE, name="Heddlu"), Role.POLICE_OFFICER)
    other = f.user(f.agency(AgencyKind.LOCAL_AUTHORITY, name="Cyngor Arall"), Role.HEAD_OF_SERVICE)
    report = CabinetReport.objects.create(
        inspection=plan.inspection,
        meeting_on=date(2026, 5, 12),
        committee="Cabinet",
        layout="SIDE_BY_SIDE",
        produced_by=plan.head,
    )
    for user in (police, other):
        assert call(user, "get", f"{API}/inspections/").json()["results"] == []
        for path in (
            f"{API}/inspections/{plan.inspection.pk}/",
            f"{API}/actions/{plan.plain.pk}/",
            f"{API}/cabinet-reports/{report.pk}/",
        ):
            response = call(user, "get", path)
            assert response.status_code == 404, path
            assert response["Content-Type"].startswith("application/problem+json")
        progress = {"expected_version": 1, "note": "x"}
        assert (
            call(user, "post", f"{API}/actions/{plan.plain.pk}/progress/", progress).status_code
            == 404
        )
    meta = call(plan.head, "get", f"{API}/cabinet-reports/{report.pk}/").json()
    assert (meta["committee"], meta["meeting_on"]) == ("Cabinet", "2026-05-12")
