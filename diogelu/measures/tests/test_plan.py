"""The improvement plan: RAG computed or agreed, history, stocktake, the report to Cabinet."""

from __future__ import annotations

import datetime
from datetime import date
from decimal import Decimal

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from diogelu.accounts.models import AgencyKind, Role, User
from diogelu.core.exceptions import DomainError, NotPermittedError
from diogelu.measures import cabinet, planning
from diogelu.measures.models import (
    ActionHistory,
    Finding,
    ImprovementAction,
    Inspection,
    ReportLayout,
)
from diogelu.measures.tests.builders import Case, at
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _clock(settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    with time_machine.travel(at(date(2026, 4, 20)), tick=False):
        yield


class PlanCase(Case):
    owner: User
    inspection: Inspection
    measured: ImprovementAction
    plain: ImprovementAction


@pytest.fixture
def plan():
    case = PlanCase()
    case.owner = f.user(case.authority, Role.TEAM_MANAGER, username="owner")
    inspection = Inspection.objects.create(
        authority=case.authority,
        kind="PEI",
        title="Performance evaluation inspection",
        title_cy="Arolygiad gwerthuso perfformiad",
        held_from=date(2025, 11, 3),
        held_to=date(2025, 11, 7),
        lead=case.head,
    )
    finding = Finding.objects.create(
        inspection=inspection, number=1, area="Timeliness", area_cy="Amseroldeb", text="Late."
    )
    measured = ImprovementAction.objects.create(
        finding=finding,
        number="1.1",
        description="ICPC in time",
        owner=case.owner,
        due_on=date(2026, 6, 30),
    )
    plain = ImprovementAction.objects.create(
        finding=finding,
        number="1.2",
        description="Recruit",
        description_cy="Recriwtio",
        owner=case.owner,
        due_on=date(2026, 9, 30),
    )
    # Q4 2025-26 (the last complete quarter on 20 April 2026): one ICPC late, one on time = 50%.
    strategy = at(date(2026, 2, 2))
    case.conference([case.child()], clock_start=strategy, held=at(date(2026, 2, 24)))
    case.conference([case.child()], clock_start=strategy, held=at(date(2026, 2, 20)))
    case.inspection, case.measured, case.plain = inspection, measured, plain
    return case


def client(user) -> Client:
    cl = Client()
    cl.force_login(user)
    return cl


def _state(case, action):
    (state,) = planning.action_states([action], authority_id=case.authority.pk)
    return state


def test_rag_computed_from_a_linked_measure_against_its_target(plan):
    planning.link_measure(
        actor=plan.head, action=plan.measured, measure_key="icpc_15wd", target=Decimal(90)
    )
    state = _state(plan, plan.measured)
    assert (state.rag, state.computed) == ("RED", True)  # 50% against 90%
    planning.link_measure(
        actor=plan.head, action=plan.measured, measure_key="icpc_15wd", target=Decimal(52)
    )
    assert _state(plan, plan.measured).rag == "AMBER"  # within 5 points
    planning.link_measure(
        actor=plan.head, action=plan.measured, measure_key="icpc_15wd", target=Decimal(50)
    )
    assert _state(plan, plan.measured).rag == "GREEN"


def test_rag_from_milestones_overdue_red_due_soon_amber(plan):
    milestone = planning.add_milestone(
        actor=plan.owner, action=plan.plain, description="Advert out", due_on=date(2026, 4, 30)
    )
    assert _state(plan, plan.plain).rag == "AMBER"
    planning.add_milestone(
        actor=plan.owner, action=plan.plain, description="Late one", due_on=date(2026, 4, 1)
    )
    assert _state(plan, plan.plain).rag == "RED"
    planning.complete_milestone(actor=plan.owner, milestone=milestone)
    assert _state(plan, plan.plain).rag == "RED"


def test_owner_proposes_the_plan_lead_agrees(plan):
    proposal = planning.propose_rag(
        actor=plan.owner, action=plan.plain, rag="AMBER", reason="Two posts still vacant."
    )
    plan.plain.refresh_from_db()
    assert plan.plain.rag == "" and proposal.agreed is None
    with pytest.raises(NotPermittedError):
        planning.decide_rag_proposal(actor=plan.owner, proposal=proposal, agree=True)
    planning.decide_rag_proposal(actor=plan.head, proposal=proposal, agree=True)
    plan.plain.refresh_from_db()
    assert (plan.plain.rag, plan.plain.rag_reason) == ("AMBER", "Two posts still vacant.")
    assert _state(plan, plan.plain).rag == "AMBER"
    with pytest.raises(DomainError):
        planning.decide_rag_proposal(actor=plan.head, proposal=proposal, agree=False)
    # The lead's own proposal is agreed at once.
    own = planning.propose_rag(
        actor=plan.head, action=plan.plain, rag="GREEN", reason="All posts filled in April."
    )
    assert own.agreed is True
    whats = list(ActionHistory.objects.filter(action=plan.plain).values_list("what", flat=True))
    assert whats == ["rag_proposed", "rag_agreed", "rag_proposed", "rag_agreed"]


def test_no_owner_rag_where_it_is_computed(plan):
    planning.add_milestone(
        actor=plan.owner, action=plan.plain, description="Advert", due_on=date(2026, 8, 1)
    )
    with pytest.raises(DomainError):
        planning.propose_rag(
            actor=plan.owner, action=plan.plain, rag="GREEN", reason="Looks fine to me now."
        )


def test_stale_edit_is_refused(plan):
    version = plan.plain.version
    planning.update_action_progress(
        actor=plan.owner, action=plan.plain, version=version, note="Advert out", completed=False
    )
    with pytest.raises(DomainError):
        planning.update_action_progress(
            actor=plan.owner, action=plan.plain, version=version, note="Again", completed=True
        )


def test_auditor_reads_but_changes_nothing_partners_and_others_404(plan):
    auditor = f.user(plan.authority, Role.AUDITOR, username="aud")
    url = reverse("action_show", args=[plan.plain.pk])
    cl = client(auditor)
    assert cl.get(url).status_code == 200
    assert cl.get(reverse("plan_show", args=[plan.inspection.pk])).status_code == 200
    response = cl.post(url, {"form": "progress", "progress-version": "1", "progress-note": "x"})
    assert response.status_code == 404
    assert not ActionHistory.objects.exists()
    assert cl.get(reverse("plan_report_new", args=[plan.inspection.pk])).status_code == 404
    police = f.agency(AgencyKind.POLICE, "Heddlu")
    sw = f.user(plan.authority, Role.SOCIAL_WORKER, username="sw9")
    for user in (f.user(police, Role.AGENCY_SAFEGUARDING_LEAD, username="pl"), sw):
        for target in (
            url,
            reverse("plan_show", args=[plan.inspection.pk]),
            reverse("improvement_plans"),
        ):
            assert client(user).get(target).status_code == 404


def test_owner_updates_their_action_through_the_page(plan):
    cl = client(plan.owner)
    url = reverse("action_show", args=[plan.plain.pk])
    assert cl.get(reverse("plan_show", args=[plan.inspection.pk])).status_code == 200
    response = cl.post(
        url,
        {
            "form": "progress",
            "progress-version": str(plan.plain.version),
            "progress-note": "Advert placed",
            "progress-completed": "on",
        },
    )
    assert response.status_code == 302
    plan.plain.refresh_from_db()
    assert plan.plain.status == "COMPLETED"
    bad = cl.post(
        url, {"form": "measure", "measure-measure": "registrations", "measure-target": "50"}
    )
    assert bad.status_code == 400
    ok = cl.post(url, {"form": "measure", "measure-measure": "icpc_15wd", "measure-target": "90"})
    assert ok.status_code == 302
    assert plan.plain.measures.get().measure == "icpc_15wd"


def test_stocktake_lists_changes_since_the_last_report(plan):
    planning.add_evidence(
        actor=plan.owner, action=plan.plain, kind="NOTE", title="Before the report", detail=""
    )
    with time_machine.travel(at(date(2026, 4, 21)), tick=False):
        planning.produce_cabinet_report(
            actor=plan.head,
            inspection=plan.inspection,
            meeting_on=date(2026, 4, 28),
            committee="Cabinet",
            layout=ReportLayout.SIDE_BY_SIDE,
        )
    with time_machine.travel(at(date(2026, 4, 22)), tick=False):
        planning.add_evidence(
            actor=plan.owner, action=plan.plain, kind="NOTE", title="After the report", detail=""
        )
    data = planning.stocktake(plan.inspection)
    ((_finding, changes),) = data["findings"]
    assert [c.detail for c in changes] == ["After the report"]


def test_cabinet_report_snapshot_page_and_bilingual_pdf(plan):
    planning.link_measure(
        actor=plan.head, action=plan.measured, measure_key="icpc_15wd", target=Decimal(90)
    )
    report = planning.produce_cabinet_report(
        actor=plan.head,
        inspection=plan.inspection,
        meeting_on=date(2026, 5, 12),
        committee="Cabinet",
        layout=ReportLayout.SIDE_BY_SIDE,
    )
    snap = report.snapshot
    assert snap["findings"][0]["counts"] == {"GREEN": 0, "AMBER": 0, "RED": 1}
    assert snap["measures"][0]["key"] == "icpc_15wd" and snap["measures"][0]["value"] == 50.0
    html = cabinet.report_html(plan.head, report)
    assert 'lang="cy"' in html and 'lang="en"' in html
    assert "Amseroldeb" in html and "Timeliness" in html
    assert "Cynllun gwella: adroddiad ar gynnydd" in html
    assert "Improvement plan: report on progress" in html
    assert "12 Mai 2026" in html and "12 May 2026" in html
    report.layout = ReportLayout.ENGLISH_FIRST
    html = cabinet.report_html(plan.head, report)
    assert html.index('class="part part-en"') < html.index('class="part part-cy"')
    pdf = cabinet.report_pdf(plan.head, report)
    assert pdf.startswith(b"%PDF")
    cl = client(plan.head)
    page = cl.get(reverse("cabinet_report", args=[report.pk]))
    assert page.status_code == 200 and "Amseroldeb" in page.content.decode()
    # The PDF asks for a step-up first, as every document download does.
    assert cl.get(reverse("cabinet_pdf", args=[report.pk])).status_code == 302


def test_produce_report_through_the_page(plan):
    cl = client(plan.head)
    url = reverse("plan_report_new", args=[plan.inspection.pk])
    assert cl.get(url).status_code == 200
    assert cl.post(url, {"committee": "", "layout": "SIDE_BY_SIDE"}).status_code == 400
    response = cl.post(
        url,
        {
            "committee": "Scrutiny",
            "meeting_on_0": "19",
            "meeting_on_1": "5",
            "meeting_on_2": "2026",
            "layout": "WELSH_FIRST",
        },
    )
    assert response.status_code == 302
    assert plan.inspection.reports.get().committee == "Scrutiny"
    assert datetime.date(2026, 5, 19) == plan.inspection.reports.get().meeting_on


def test_head_of_service_records_an_inspection_its_findings_and_actions(plan):
    cl = client(plan.head)
    response = cl.post(
        reverse("inspection_new"),
        {
            "kind": "JICPA",
            "title": "JICPA 2026",
            "held_from_0": "2",
            "held_from_1": "3",
            "held_from_2": "2026",
            "held_to_0": "6",
            "held_to_1": "3",
            "held_to_2": "2026",
            "lead": str(plan.head.pk),
        },
    )
    assert response.status_code == 302
    inspection = Inspection.objects.get(title="JICPA 2026")
    url = reverse("finding_new", args=[inspection.pk])
    assert cl.post(url, {"area": "", "text": ""}).status_code == 400
    assert cl.post(url, {"area": "Workforce", "text": "Fragile."}).status_code == 302
    finding = inspection.findings.get()
    assert finding.number == 1
    response = cl.post(
        reverse("improvement_action_new", args=[inspection.pk]),
        {
            "finding": str(finding.pk),
            "description": "Recruit",
            "owner": str(plan.owner.pk),
            "due_on_0": "1",
            "due_on_1": "9",
            "due_on_2": "2026",
        },
    )
    assert response.status_code == 302
    action = finding.actions.get()
    assert (action.number, action.owner_id) == ("1.1", plan.owner.pk)
    # An owner or an auditor does not shape the plan.
    auditor = f.user(plan.authority, Role.AUDITOR, username="aud2")
    for user in (plan.owner, auditor):
        assert client(user).get(url).status_code == 404
        assert client(user).get(reverse("inspection_new")).status_code == 404
