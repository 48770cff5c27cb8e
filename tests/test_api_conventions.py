"""The API's conventions (issue 11, "The API contract"; docs/api.md): strict filters, paged lists
(the chronology too), ``expected_version`` with ``version`` still accepted."""

from __future__ import annotations

import pytest
from django.test import Client

from diogelu.chronology.models import Audience
from tests import factories as f

PROBLEM = "application/problem+json"


def api(user) -> Client:
    return Client(HTTP_AUTHORIZATION=f"Bearer {f.token(user)}")


@pytest.mark.parametrize(
    ("url", "query", "bad"),
    [
        ("/api/v1/reports/", {"reference": "R2026-000001"}, "reference"),
        ("/api/v1/reports/", {"status": "NONSENSE"}, "status"),
        ("/api/v1/outcomes/", {"acknowledged": "maybe"}, "acknowledged"),
        ("/api/v1/outcomes/", {"colour": "blue"}, "colour"),
        ("/api/v1/requests/", {"status": "open"}, "status"),
        ("/api/v1/people/", {"name": "Prydderch"}, "name"),
        ("/api/v1/people/", {"limit": "100000"}, "limit"),
    ],
)
def test_unknown_filters_and_bad_values_are_refused(world, url, query, bad):
    response = api(world.mash).get(url, query)
    assert response.status_code == 400, response.content
    assert response["Content-Type"] == PROBLEM
    assert bad in response.json()["errors"]


def test_good_filters_still_filter(world):
    client = api(world.mash)
    assert client.get("/api/v1/outcomes/", {"acknowledged": "false"}).status_code == 200
    assert client.get("/api/v1/reports/", {"status": "SUBMITTED"}).status_code == 200
    assert client.get("/api/v1/requests/", {"status": "OPEN", "limit": 5}).status_code == 200


def test_the_chronology_is_paged_not_cut(world):
    for i in range(30):
        f.event(world.child, world.authority, Audience.LOCAL_AUTHORITY, f"Note {i}")
    client = api(world.social_worker)
    url = f"/api/v1/people/{world.child.pk}/chronology/"
    first = client.get(url, {"limit": 10}).json()
    total = first["count"]
    assert total >= 30 and len(first["results"]) == 10 and first["next"]
    seen = {e["id"] for e in first["results"]}
    offset = 10
    while offset < total:
        page = client.get(url, {"limit": 10, "offset": offset}).json()
        seen |= {e["id"] for e in page["results"]}
        offset += 10
    assert len(seen) == total


def _draft(world):
    client = api(world.school_lead)
    body = {"children": [{"given_name": "Siân"}], "what_happened": "x", "draft": True}
    made = client.post("/api/v1/reports/", body, content_type="application/json").json()
    return client, made["id"], made["version"]


def test_expected_version_is_the_name_and_version_still_works(world):
    client, rid, version = _draft(world)
    url = f"/api/v1/reports/{rid}/"
    new = client.patch(
        url, {"expected_version": version, "what_happened": "y"}, content_type="application/json"
    )
    assert new.status_code == 200
    old = client.patch(
        url,
        {"version": new.json()["version"], "what_happened": "z"},
        content_type="application/json",
    )
    assert old.status_code == 200
    stale = client.patch(
        url, {"expected_version": version, "what_happened": "w"}, content_type="application/json"
    )
    assert stale.status_code == 409
    missing = client.patch(url, {"what_happened": "v"}, content_type="application/json")
    assert missing.status_code == 400
    assert "expected_version" in missing.json()["errors"]


def test_an_action_on_a_record_you_can_see_but_may_not_take_is_403(world):
    """A partner who can see the child may not record a transfer-in conference for it: 403 (the
    record exists and is theirs to see), not 404 (which says "no such record")."""
    client = api(world.police_officer)
    seen = client.get(f"/api/v1/people/{world.child.pk}/")
    assert seen.status_code == 200
    refused = client.post(
        f"/api/v1/people/{world.child.pk}/transfer-in/", {}, content_type="application/json"
    )
    assert refused.status_code == 403
    assert refused["Content-Type"] == PROBLEM
    hidden = api(world.health_practitioner).post(
        f"/api/v1/people/{world.child.pk}/transfer-in/", {}, content_type="application/json"
    )
    assert hidden.status_code == 404


def test_a_draft_can_be_deleted_by_its_maker_only(world):
    from diogelu.referrals.models import Report

    client, rid, _version = _draft(world)
    url = f"/api/v1/reports/{rid}/"
    assert api(world.police_officer).delete(url).status_code == 404  # not theirs to see
    assert client.delete(url).status_code == 204
    assert not Report.objects.filter(pk=rid).exists()
    assert client.delete(url).status_code == 404


def test_a_sent_report_is_never_deleted(world):
    client = api(world.school_lead)
    body = {
        "children": [{"given_name": "Siân"}],
        "what_happened": "Bruises.",
        "categories": ["PHYSICAL"],
        "immediate_danger": "NO",
        "family_aware": "NO",
        "lawful_basis": "SAFEGUARDING",
    }
    sent = client.post("/api/v1/reports/", body, content_type="application/json").json()
    response = client.delete(f"/api/v1/reports/{sent['id']}/")
    assert response.status_code == 400
    assert response["Content-Type"] == PROBLEM


def test_partner_lists_exist_and_are_paged(world):
    for url in (
        "/api/v1/conferences/invitations/",
        "/api/v1/conferences/records/?acknowledged=false",
        "/api/v1/plans/",
        "/api/v1/enquiries/",
    ):
        for user in (world.police_officer, world.social_worker):
            response = api(user).get(url)
            assert response.status_code == 200, (url, response.content)
            assert {"count", "next", "previous", "results"} <= set(response.json()), url


def test_me_shows_ids_and_where_to_find_whom_you_may_name(world):
    me = api(world.mash).get("/api/v1/me/").json()
    assert me["id"] == world.mash.pk
    assert me["agency"] == world.authority.name  # unchanged for existing clients
    assert (me["agency_id"], me["agency_kind"]) == (world.authority.pk, "LOCAL_AUTHORITY")
    assert me["authorities"] == [{"id": world.authority.pk, "name": world.authority.name}]
    agencies = api(world.mash).get(me["may_name"]["agencies"]).json()["results"]
    ids = {a["id"] for a in agencies}
    assert {world.authority.pk, world.police.pk, world.school.pk, world.health.pk} <= ids
    assert world.other_authority.pk not in ids
    users = api(world.mash).get(me["may_name"]["users"], {"agency_id": world.police.pk}).json()
    assert {u["id"] for u in users["results"]} == {world.police_officer.pk}
    assert world.other_la_worker.pk not in {
        u["id"] for u in api(world.mash).get("/api/v1/users/", {"limit": 100}).json()["results"]
    }
    assert api(world.mash).get("/api/v1/users/", {"agency_id": "x"}).status_code == 400


def test_a_partner_sees_the_authority_it_works_with(world):
    me = api(world.police_officer).get("/api/v1/me/").json()
    assert me["authorities"] == [{"id": world.authority.pk, "name": world.authority.name}]


def test_search_family_and_visits_are_pages(world):
    client = api(world.social_worker)
    search = client.post(
        "/api/v1/people/search/?limit=1", {"name": "Prydderch"}, content_type="application/json"
    ).json()
    assert search["count"] >= 2 and len(search["results"]) == 1 and search["next"]
    family = client.get(f"/api/v1/people/{world.child.pk}/family/").json()
    assert {"count", "results"} <= set(family)
    conferences = client.get(f"/api/v1/people/{world.child.pk}/conferences/").json()
    assert conferences["results"] == []


def test_a_reports_strategy_discussions_can_be_listed(world):
    from tests.test_mash_workflow_services import make_report

    report = make_report(world)
    url = f"/api/v1/reports/{report.pk}/strategy-discussions/"
    listed = api(world.social_worker).get(url)
    assert listed.status_code == 200 and listed.json()["results"] == []
    assert api(world.police_officer).get(url).status_code == 404
