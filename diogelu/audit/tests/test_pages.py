"""The audit pages, persona by persona: who may, who may not (404 alike), and the access log."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from diogelu.access.models import AccessLog, Basis
from diogelu.accounts.models import Role, User
from diogelu.audit import services
from diogelu.audit.models import (
    Audit,
    AuditRead,
    AuditStatus,
    Grade,
    ModeratedGrade,
    Programme,
    ProgrammeKind,
    Stage,
    Theme,
)
from diogelu.audit.tests.world import PERIOD, AuditWorld, make_world
from diogelu.measures.tests.builders import at
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def aw() -> Any:
    with time_machine.travel(at(datetime.date(2026, 4, 2), 9), tick=False):
        yield make_world(north_closed=4, south_closed=2)


def client(user: Any) -> Client:
    c = Client()
    c.force_login(user)
    return c


def setup_programme(aw: AuditWorld) -> Programme:
    p = services.create_programme(
        actor=aw.lead,
        kind=ProgrammeKind.THEMED,
        theme=Theme.VOICE,
        title="Voice of the child, March",
        period_start=PERIOD[0],
        period_end=PERIOD[1],
        auditors=[aw.auditor],
        moderators=[aw.moderator],
        strata=[(aw.north, Stage.CLOSED, 3), (aw.south, Stage.CLOSED, 1)],
        moderation_percent=100,
    )
    services.draw_sample(actor=aw.lead, programme=p, seed=4)
    return p


def grade_post(audit: Audit, action: str = "submit", grade: str = Grade.GOOD) -> dict[str, str]:
    data = {"action": action, "overall_grade": grade, "overall_reason": "Steady", "summary": "Ok"}
    for s in audit.programme.form.sections.all():
        data[f"grade_{s.pk}"] = grade
        data[f"comment_{s.pk}"] = "Seen"
        for q in s.questions.all():
            data[f"answer_{q.pk}"] = "Yes"
    return data


def test_the_quality_lead_sets_up_a_programme_and_draws_the_sample(aw: AuditWorld) -> None:
    c = client(aw.lead)
    assert c.get(reverse("audit_home")).status_code == 200
    page = c.get(reverse("audit_programme_new"))
    assert page.status_code == 200 and "Tîm Gogledd" in page.content.decode()
    response = c.post(
        reverse("audit_programme_new"),
        {
            "kind": "THEMED",
            "theme": "VOICE",
            "title": "Voice, March",
            "period_start_0": "1",
            "period_start_1": "3",
            "period_start_2": "2026",
            "period_end_0": "31",
            "period_end_1": "3",
            "period_end_2": "2026",
            "auditors": [str(aw.auditor.pk), str(aw.tm_south.pk)],
            "moderators": [str(aw.moderator.pk)],
            "moderation_percent": "25",
            f"size_{aw.north.pk}_CLOSED": "3",
            f"size_{aw.south.pk}_CLOSED": "2",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    programme = Programme.objects.get(title="Voice, March")
    assert programme.strata.count() == 2
    response = c.post(
        reverse("audit_programme", args=[programme.pk]), {"action": "draw", "seed": "77"}
    )
    assert response.status_code == 302
    programme.refresh_from_db()
    assert programme.seed == 77 and programme.audits.count() == 5
    html = c.get(reverse("audit_programme", args=[programme.pk])).content.decode()
    assert "with seed 77" in html
    # Naming the sampled children is logged, with the audit as the basis.
    assert AccessLog.objects.filter(user=aw.lead, basis=Basis.AUDIT).count() == 5
    assert AuditRead.objects.filter(audit__programme=programme).count() == 5


def test_people_who_may_not_set_up_or_draw_get_404(aw: AuditWorld) -> None:
    p = setup_programme(aw)
    for user in (aw.auditor, aw.tm_north, aw.sw_n1, aw.partner):
        assert client(user).get(reverse("audit_programme_new")).status_code == 404
    assert (
        client(aw.auditor)
        .post(reverse("audit_programme", args=[p.pk]), {"action": "moderate"})
        .status_code
        == 404
    )


def test_the_auditor_grades_with_the_facts_beside_and_the_read_is_logged_as_audit(
    aw: AuditWorld,
) -> None:
    p = setup_programme(aw)
    audit = p.audits.order_by("pk").first()
    assert audit is not None
    c = client(aw.auditor)
    page = c.get(reverse("audit_grade", args=[audit.pk]))
    html = page.content.decode()
    assert page.status_code == 200
    assert "Timeliness against the procedures" in html and "words on the record" in html
    row = AccessLog.objects.filter(user=aw.auditor, person=audit.person).latest("id")
    assert row.basis == Basis.AUDIT and row.route == "audit_grade"
    assert AuditRead.objects.get(access_log=row).audit == audit
    response = c.post(reverse("audit_grade", args=[audit.pk]), grade_post(audit))
    assert response.status_code == 302
    audit.refresh_from_db()
    assert audit.status == AuditStatus.SUBMITTED
    # Another auditor (or the moderator before moderation) cannot grade it.
    assert client(aw.moderator).get(reverse("audit_grade", args=[audit.pk])).status_code == 404


def test_who_sees_an_audit(aw: AuditWorld) -> None:
    p = setup_programme(aw)
    audit = p.audits.filter(team=aw.north).order_by("pk").first()
    assert audit is not None and audit.worker is not None
    url = reverse("audit_show", args=[audit.pk])
    allowed = [aw.lead, aw.head, aw.auditor, aw.moderator, audit.worker, aw.tm_north]
    other_worker = aw.sw_n2 if audit.worker == aw.sw_n1 else aw.sw_n1
    other_la = f.user(f.agency(name="Other LA"), Role.AUDITOR, username="a_other")
    refused = [aw.partner, aw.sw_s1, aw.tm_south, other_worker, other_la]
    for user in allowed:
        assert client(user).get(url).status_code == 200, user.username
    for user in refused:
        assert client(user).get(url).status_code == 404, user.username
    for user in (aw.partner, other_la, aw.sw_s1):
        assert client(user).get(reverse("audit_report", args=[p.pk])).status_code == 404
        assert client(user).get(reverse("audit_report_pdf", args=[p.pk])).status_code == 404


def test_worker_responds_moderator_changes_a_grade_and_the_report_shows_the_rate(
    aw: AuditWorld,
) -> None:
    p = setup_programme(aw)
    for each in p.audits.all():
        client(aw.auditor).post(reverse("audit_grade", args=[each.pk]), grade_post(each))
    audit = p.audits.filter(team=aw.north).order_by("pk").first()
    assert audit is not None and audit.worker is not None
    response = client(audit.worker).post(
        reverse("audit_show", args=[audit.pk]), {"response": "I agree with the findings"}
    )
    assert response.status_code == 302
    assert (
        client(aw.lead)
        .post(reverse("audit_programme", args=[p.pk]), {"action": "moderate"})
        .status_code
        == 302
    )
    audit.refresh_from_db()
    assert audit.status == AuditStatus.IN_MODERATION
    sections = list(p.form.sections.all())
    data: dict[str, str] = {f"mod_{s.pk}": Grade.GOOD for s in sections}
    data["mod_overall"] = Grade.GOOD
    data[f"mod_{sections[0].pk}"] = Grade.REQUIRES_IMPROVEMENT
    page = client(aw.moderator).post(reverse("audit_moderate", args=[audit.pk]), data)
    assert (
        page.status_code == 200
        and "Give the reason for changing this grade" in page.content.decode()
    )
    data[f"mod_{sections[0].pk}_reason"] = "The child's words are not used in the plan"
    assert (
        client(aw.moderator).post(reverse("audit_moderate", args=[audit.pk]), data).status_code
        == 302
    )
    assert ModeratedGrade.objects.filter(
        moderation__audit=audit, grade=Grade.REQUIRES_IMPROVEMENT
    ).exists()
    report = client(aw.lead).get(reverse("audit_report", args=[p.pk])).content.decode()
    assert "1 of 9 moderated grades were changed." in report
    pdf = client(aw.lead).get(reverse("audit_report_pdf", args=[p.pk]) + "?lang=both")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    shown = client(audit.worker).get(reverse("audit_show", args=[audit.pk])).content.decode()
    assert "Changed" in shown and "The child&#39;s words are not used in the plan" in shown


def test_welsh_pages(aw: AuditWorld) -> None:
    p = setup_programme(aw)
    audit = p.audits.order_by("pk").first()
    assert audit is not None
    c = client(aw.auditor)
    c.cookies["django_language"] = "cy"
    html = c.get(
        reverse("audit_grade", args=[audit.pk]), HTTP_ACCEPT_LANGUAGE="cy"
    ).content.decode()
    assert "Llais a phrofiad bywyd y plentyn" in html
    assert "Amseroldeb yn erbyn y gweithdrefnau" in html and "Cyflwyno'r archwiliad" in html


def test_the_set_up_page_reads_the_staff_and_their_roles_once(aw: AuditWorld) -> None:
    """Issue 17: the auditors and moderators lists asked for each member of staff's agency
    and roles, one query each (493 statements for a county's 249 staff)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    c = client(aw.lead)
    path = reverse("audit_programme_new")
    c.get(path)
    with CaptureQueriesContext(connection) as before:
        assert c.get(path).status_code == 200
    for i in range(12):
        f.user(aw.authority, Role.TEAM_MANAGER, username=f"extra.manager{i}")
        f.user(aw.authority, Role.SOCIAL_WORKER, username=f"extra.worker{i}")
    with CaptureQueriesContext(connection) as after:
        page = c.get(path)
    assert len(after) == len(before)
    body = page.content.decode()
    # the managers may be named auditors; a social worker alone may not on this page
    manager = User.objects.get(username="extra.manager3")
    worker = User.objects.get(username="extra.worker3")
    assert f'value="{manager.pk}"' in body
    assert f'value="{worker.pk}"' not in body
