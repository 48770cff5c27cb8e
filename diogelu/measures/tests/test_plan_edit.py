"""Shaping the plan on pages: a finding and an action changed or withdrawn, stale edits refused,
owner and partner agency checked by ``access/naming.py``, every change in the history."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from diogelu.accounts.models import AgencyKind, Role
from diogelu.measures import planning
from diogelu.measures.models import ActionHistory, ActionStatus, Finding
from diogelu.measures.tests.builders import reader
from diogelu.measures.tests.test_plan import _clock, client, plan  # noqa: F401 (fixtures)
from tests import factories as f

pytestmark = pytest.mark.django_db


def _action_post(plan, **changes):  # noqa: F811
    a = plan.plain
    body = {
        "which": "edit",
        "description": a.description,
        "description_cy": a.description_cy,
        "owner": a.owner_id,
        "partner_agency": "",
        "due_on_0": "31",
        "due_on_1": "10",
        "due_on_2": "2026",
        "version": a.version,
    }
    body.update(changes)
    return body


def test_plan_lead_changes_an_action_owner_partner_and_due_date(plan):  # noqa: F811
    police = f.agency(AgencyKind.POLICE, name="Heddlu De Cymru")
    police.partner_of.add(plan.authority)
    other = f.user(plan.authority, Role.TEAM_MANAGER, username="other-owner")
    url = f"/performance/actions/{plan.plain.pk}/edit/"
    page = client(plan.head).get(url)
    assert page.status_code == 200
    response = client(plan.head).post(
        url, _action_post(plan, owner=other.pk, partner_agency=police.pk)
    )
    assert response.status_code == 302
    plan.plain.refresh_from_db()
    assert (plan.plain.owner_id, plan.plain.partner_agency_id) == (other.pk, police.pk)
    assert plan.plain.due_on == date(2026, 10, 31)
    (h,) = ActionHistory.objects.filter(action=plan.plain, what="edited")
    assert "Heddlu De Cymru" in h.detail and "2026-09-30" in h.detail
    # the stocktake shows it (changes after the inspection was recorded; the clock is frozen)
    ActionHistory.objects.filter(pk=h.pk).update(at=h.at + timedelta(minutes=1))
    stock = planning.stocktake(plan.inspection)
    assert any(c.what == "edited" for _f, changes in stock["findings"] for c in changes)


def test_stale_action_edit_is_refused_and_changes_nothing(plan):  # noqa: F811
    url = f"/performance/actions/{plan.plain.pk}/edit/"
    stale = _action_post(plan)
    planning.update_action_progress(
        actor=plan.owner, action=plan.plain, version=plan.plain.version, note="x", completed=False
    )
    response = client(plan.head).post(url, {**stale, "description": "Changed"})
    assert response.status_code == 409
    assert "Someone else changed this action" in response.content.decode()
    plan.plain.refresh_from_db()
    assert plan.plain.description == "Recruit"


def test_an_agency_the_authority_does_not_work_with_is_refused(plan):  # noqa: F811
    stranger = f.agency(AgencyKind.POLICE, name="Heddlu Arall")
    other_la = f.user(f.agency(AgencyKind.LOCAL_AUTHORITY, name="Cyngor Arall"), Role.TEAM_MANAGER)
    for agency, owner in ((stranger, plan.owner), (None, other_la)):
        with pytest.raises(Exception) as exc:
            planning.edit_action(
                actor=plan.head,
                action=plan.plain,
                version=plan.plain.version,
                description="Recruit",
                description_cy="",
                owner=owner,
                partner_agency=agency,
                due_on=date(2026, 9, 30),
            )
        assert exc.value.field in ("owner", "partner_agency")  # type: ignore[attr-defined]


def test_withdrawn_action_leaves_the_plan_and_keeps_its_history(plan):  # noqa: F811
    url = f"/performance/actions/{plan.plain.pk}/edit/"
    short = {"which": "withdraw", "reason": "dup", "version": plan.plain.version}
    assert client(plan.head).post(url, short).status_code == 400
    body = {"which": "withdraw", "reason": "Recorded twice by mistake", "version": 1}
    assert client(plan.head).post(url, body).status_code == 302
    plan.plain.refresh_from_db()
    assert plan.plain.status == ActionStatus.WITHDRAWN
    shown = planning.plan(plan.head, plan.inspection)
    assert [s.action.number for s in shown["findings"][0]["states"]] == ["1.1"]
    assert ActionHistory.objects.filter(action=plan.plain, what="withdrawn").exists()
    assert client(plan.head).get(url).status_code == 404  # nothing left to change


def test_finding_changed_then_withdrawn_with_its_actions(plan):  # noqa: F811
    finding = plan.measured.finding
    url = f"/performance/findings/{finding.pk}/edit/"
    edit = {
        "which": "edit",
        "area": "Timeliness of conferences",
        "area_cy": "Amseroldeb cynadleddau",
        "text": "Conferences late.",
        "text_cy": "",
        "version": finding.version,
    }
    assert client(plan.head).post(url, edit).status_code == 302
    assert client(plan.head).post(url, edit).status_code == 409  # the version moved on
    finding.refresh_from_db()
    assert finding.area == "Timeliness of conferences"
    body = {"which": "withdraw", "reason": "Merged into finding 2", "version": finding.version}
    assert client(plan.head).post(url, body).status_code == 302
    assert not list(planning.live_findings(plan.inspection))
    assert planning.snapshot(plan.inspection, date(2026, 5, 1))["findings"] == []
    assert ActionHistory.objects.filter(what="finding_withdrawn").count() == 2


def test_only_the_lead_and_editors_shape_the_plan(plan):  # noqa: F811
    finding = Finding.objects.get(pk=plan.measured.finding_id)
    for user in (plan.owner, reader(plan)):
        assert client(user).get(f"/performance/findings/{finding.pk}/edit/").status_code == 404
        assert client(user).get(f"/performance/actions/{plan.plain.pk}/edit/").status_code == 404
