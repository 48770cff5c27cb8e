"""The audit API: who may read, strict filters, paging, and the access log."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
import time_machine
from django.test import Client

from diogelu.access.models import AccessLog, Basis, Channel
from diogelu.audit import services
from diogelu.audit.models import Grade, Programme, ProgrammeKind, Stage
from diogelu.audit.tests.world import PERIOD, AuditWorld, make_world
from diogelu.measures.tests.builders import at
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def aw() -> Any:
    with time_machine.travel(at(datetime.date(2026, 4, 2), 9), tick=False):
        yield make_world(north_closed=3, south_closed=1)


def api(user: Any) -> Client:
    return Client(HTTP_AUTHORIZATION=f"Bearer {f.token(user)}")


def programme(aw: AuditWorld) -> Programme:
    p = services.create_programme(
        actor=aw.lead,
        kind=ProgrammeKind.MONTHLY,
        title="March",
        period_start=PERIOD[0],
        period_end=PERIOD[1],
        auditors=[aw.auditor],
        moderators=[aw.moderator],
        strata=[(aw.north, Stage.CLOSED, 3), (aw.south, Stage.CLOSED, 1)],
    )
    audits = services.draw_sample(actor=aw.lead, programme=p, seed=3)
    sections = list(p.form.sections.all())
    services.save_audit(
        actor=aw.auditor,
        audit=audits[0],
        grades={s.pk: (Grade.GOOD, "") for s in sections},
        answers={},
        overall_grade=Grade.GOOD,
        overall_reason="Steady",
        submit=True,
    )
    return p


def test_the_quality_team_reads_programmes_audits_and_the_report(aw: AuditWorld) -> None:
    p = programme(aw)
    client = api(aw.lead)
    listed = client.get("/api/v1/audit-programmes/").json()
    assert listed["count"] == 1 and listed["results"][0]["seed"] == 3
    assert client.get(f"/api/v1/audit-programmes/{p.pk}/").json()["strata"][0]["size"] in (1, 3)
    audits = client.get(f"/api/v1/audits/?programme_id={p.pk}").json()
    assert audits["count"] == 4
    assert AccessLog.objects.filter(user=aw.lead, basis=Basis.AUDIT).count() == 4
    first = p.audits.order_by("pk").first()
    assert first is not None
    one = client.get(f"/api/v1/audits/{first.pk}/").json()
    assert one["overall_grade"] == "GOOD" and len(one["grades"]) == 8
    row = AccessLog.objects.filter(user=aw.lead, route="api_audit").get()
    assert row.channel == Channel.API and row.basis == Basis.AUDIT
    report = client.get(f"/api/v1/audit-programmes/{p.pk}/report/").json()
    assert report["files"] == 1 and report["grades"][-1]["counts"]["GOOD"] == 1


def test_filters_are_strict(aw: AuditWorld) -> None:
    programme(aw)
    client = api(aw.lead)
    assert client.get("/api/v1/audits/?status=maybe").status_code == 400
    assert client.get("/api/v1/audits/?programme_id=x").status_code == 400
    assert client.get("/api/v1/audits/?team=1").status_code == 400
    assert client.get("/api/v1/audit-actions/?done=maybe").status_code == 400
    assert client.get("/api/v1/audits/?status=SUBMITTED").json()["count"] == 1


def test_partners_and_others_see_nothing(aw: AuditWorld) -> None:
    p = programme(aw)
    audit = p.audits.order_by("pk").first()
    assert audit is not None
    other = f.user(f.agency(name="Another LA"), "AUDITOR", username="api_other")
    for user in (aw.partner, other):
        client = api(user)
        assert client.get("/api/v1/audit-programmes/").json()["count"] == 0
        assert client.get("/api/v1/audits/").json()["count"] == 0
        for url in (
            f"/api/v1/audit-programmes/{p.pk}/",
            f"/api/v1/audit-programmes/{p.pk}/report/",
            f"/api/v1/audits/{audit.pk}/",
        ):
            answer = client.get(url)
            assert answer.status_code == 404 and answer["Content-Type"].startswith(
                "application/problem+json"
            )
    # The worker sees their own audit but not the board report.
    assert audit.worker is not None
    worker = api(audit.worker)
    assert worker.get(f"/api/v1/audits/{audit.pk}/").status_code == 200
    assert worker.get(f"/api/v1/audit-programmes/{p.pk}/report/").status_code == 404
