"""Oversight pages: personas (entitled 200 with an access-log row where a child is shown, others
404), bad input through the forms, and query counts independent of the data size."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from diogelu.access.models import AccessLog
from diogelu.conferences.tests.test_journey import at
from diogelu.oversight import services
from diogelu.oversight.models import (
    Allocation,
    AllocationReason,
    Approval,
    CaseStage,
    ContractKind,
    JobRole,
    PracticeStep,
    Supervision,
)
from diogelu.oversight.services import ActionSpec, ChildDiscussion
from diogelu.oversight.tests.conftest import Org
from tests import factories as f


def client(user: Any) -> Client:
    c = Client()
    c.force_login(user)
    return c


def allocate(org: Org, person: Any, worker: Any) -> Allocation:
    case = services.open_case_of(person)
    return services.allocate_child(
        actor=org.world.manager,
        person=person,
        worker=worker,
        team=org.team,
        reason=AllocationReason.NEW_CASE,
        stage=CaseStage.ASSESSMENT if case is None else None,
        expected_version=case.version if case else None,
    )


def supervise(org: Org) -> Supervision:
    w = org.world
    for child in (w.child, w.sibling, w.mother):
        allocate(org, child, w.social_worker)
    return services.record_case_supervision(
        actor=w.manager,
        worker=w.social_worker,
        held_on=datetime.date(2026, 3, 2),
        children=[
            ChildDiscussion(person=c, decisions="Carry on") for c in (w.child, w.sibling, w.mother)
        ],
        actions=[
            ActionSpec(
                step=PracticeStep.VISIT,
                description="See Siân alone",
                owner=w.social_worker,
                due_on=datetime.date(2026, 3, 6),
                person=w.child,
            )
        ],
    )


def test_partners_and_other_authorities_get_404_everywhere(org: Org) -> None:
    w = org.world
    s = supervise(org)
    urls = [
        reverse("oversight_home"),
        reverse("team_dashboard", args=[org.team.pk]),
        reverse("oversight_list") + "?figure=unallocated",
        reverse("workforce"),
        reverse("child_oversight", args=[w.child.pk]),
        reverse("allocate_child", args=[w.child.pk]),
        reverse("rate_child", args=[w.child.pk]),
        reverse("propose_end_allocation", args=[w.child.pk]),
        reverse("show_supervision", args=[s.pk]),
        reverse("supervision_file", args=[org.workers["sw"].pk]),
        reverse("show_worker", args=[org.workers["sw"].pk]),
        reverse("new_supervision"),
        reverse("my_supervision"),
    ]
    before = AccessLog.objects.count()
    for user in (w.police_officer, w.school_lead, w.health_practitioner, w.other_la_worker):
        c = client(user)
        for url in urls:
            assert c.get(url).status_code == 404, (user.username, url)
            assert c.post(url, {}).status_code in (404, 405), (user.username, url)
    assert AccessLog.objects.count() == before


def test_a_worker_proposes_ending_their_allocation_and_a_manager_approves(org: Org) -> None:
    w = org.world
    allocate(org, w.child, w.social_worker)
    sw = client(w.social_worker)
    page = sw.get(reverse("child_oversight", args=[w.child.pk])).content.decode()
    assert reverse("propose_end_allocation", args=[w.child.pk]) in page
    url = reverse("propose_end_allocation", args=[w.child.pk])
    assert sw.get(url).status_code == 200
    assert AccessLog.objects.filter(person=w.child, route="propose_end_allocation").exists()
    assert sw.post(url, {"reason": ""}).status_code == 400
    assert sw.post(url, {"reason": "Moving to another team"}).status_code == 302
    approval = Approval.objects.get(kind="END_ALLOCATION")
    approval_url = reverse("show_approval", args=[approval.pk])
    assert sw.post(approval_url, {"decision": "approve", "note": ""}).status_code == 404
    done = client(w.manager).post(approval_url, {"decision": "approve", "note": ""})
    assert done.status_code == 302
    current = Allocation.objects.get(case__person=w.child, ended_at__isnull=True)
    assert current.worker is None


def test_team_manager_allocates_seeing_each_workers_load(org: Org) -> None:
    w = org.world
    allocate(org, w.sibling, w.social_worker)
    c = client(w.manager)
    page = c.get(reverse("allocate_child", args=[w.child.pk]))
    body = page.content.decode()
    assert page.status_code == 200
    assert "6 of 100 points, 1 children" in body  # the social worker's load, before choosing
    assert "0 of 45 points" in body  # the newly qualified worker at 0.5 FTE
    assert AccessLog.objects.filter(person=w.child, route="allocate_child").exists()
    response = c.post(
        reverse("allocate_child", args=[w.child.pk]),
        {
            "worker": str(org.newly.pk),
            "reason": "NEW_CASE",
            "stage": "CHILD_PROTECTION",
            "team": org.team.pk,
        },
    )
    assert response.status_code == 302
    assert Allocation.objects.get(case__person=w.child, ended_at__isnull=True).worker == org.newly


def test_allocation_to_a_leaver_shows_a_clear_error(org: Org) -> None:
    w = org.world
    c = client(w.manager)
    url = reverse("allocate_child", args=[w.child.pk])
    services.record_leaving(
        actor=org.head,
        worker=org.workers["agency"],
        expected_version=1,
        left_on=datetime.date(2026, 2, 27),
        reason="END_OF_CONTRACT",
    )
    # A leaver is not offered; posting their id anyway is refused.
    assert str(org.agency.pk) not in c.get(url).content.decode().split('name="worker"')[1][:2000]
    response = c.post(
        url, {"worker": str(org.agency.pk), "reason": "NEW_CASE", "stage": "ASSESSMENT"}
    )
    assert response.status_code == 400
    assert not Allocation.objects.exists()


def test_a_stale_allocation_form_is_refused(org: Org) -> None:
    w = org.world
    allocate(org, w.child, w.social_worker)
    case = services.open_case_of(w.child)
    assert case is not None
    seen = case.version
    allocate(org, w.child, org.newly)
    response = client(w.manager).post(
        reverse("allocate_child", args=[w.child.pk]),
        {"worker": "", "reason": "OTHER", "expected_version": seen},
    )
    assert response.status_code == 409
    assert "Someone else changed" in response.content.decode()


def test_supervision_form_records_three_children_with_actions(org: Org, clock: Any) -> None:
    w = org.world
    for child in (w.child, w.sibling, w.mother):
        allocate(org, child, w.social_worker)
    c = client(w.manager)
    data: dict[str, Any] = {
        "kind": "CASE",
        "worker": str(w.social_worker.pk),
        "held_on_0": "2",
        "held_on_1": "3",
        "held_on_2": "2026",
    }
    for i, child in enumerate((w.child, w.sibling, w.mother)):
        data[f"c{i}_person"] = str(child.pk)
        data[f"c{i}_decisions"] = f"Decision {i}"
        data[f"a{i}_description"] = f"Action {i}"
        data[f"a{i}_step"] = "VISIT"
        data[f"a{i}_person"] = str(child.pk)
        data[f"a{i}_owner"] = str(w.social_worker.pk)
        data[f"a{i}_due_on_0"], data[f"a{i}_due_on_1"], data[f"a{i}_due_on_2"] = "6", "3", "2026"
    response = c.post(reverse("new_supervision"), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    s = Supervision.objects.get()
    assert s.children.count() == 3 and s.actions.count() == 3
    # A week later the visits have not happened: overdue on My work and the dashboard.
    clock.move_to(at(2026, 3, 9, 9))
    c = client(w.manager)  # signed in again: the idle timeout ended the session
    my_work = c.get(reverse("my_work")).content.decode()
    assert "Supervision actions not done by their due date (3)" in my_work
    dashboard = c.get(reverse("team_dashboard", args=[org.team.pk])).content.decode()
    assert "figure=actions_overdue&amp;team=" in dashboard
    page = c.get(reverse("show_supervision", args=[s.pk]))
    assert page.status_code == 200 and "Overdue" in page.content.decode()
    assert AccessLog.objects.filter(route="show_supervision").count() == 3


def test_supervision_of_a_child_not_offered_is_refused(org: Org) -> None:
    w = org.world
    response = client(w.manager).post(
        reverse("new_supervision"),
        {
            "kind": "CASE",
            "worker": str(w.social_worker.pk),
            "held_on_0": "2",
            "held_on_1": "3",
            "held_on_2": "2026",
            "c0_person": str(w.other_child.pk),
            "c0_decisions": "x",
        },
    )
    assert response.status_code == 400
    assert not Supervision.objects.exists()


def test_reflective_supervision_pages_only_for_the_worker_and_their_line(org: Org) -> None:
    w = org.world
    s = services.record_reflective_supervision(
        actor=w.manager,
        worker=w.social_worker,
        held_on=datetime.date(2026, 3, 2),
        wellbeing="Tired",
    )
    url = reverse("show_supervision", args=[s.pk])
    for user in (w.social_worker, w.manager, org.head):
        assert client(user).get(url).status_code == 200, user.username
    for user in (org.other_manager, org.newly, w.police_officer):
        assert client(user).get(url).status_code == 404, user.username
    # Never on a child's record.
    allocate(org, w.child, w.social_worker)
    chronology = client(w.manager).get(reverse("person_chronology", args=[w.child.pk]))
    assert "Tired" not in chronology.content.decode()


def test_head_of_service_sees_the_service_view_and_the_children_behind_unallocated(
    org: Org,
) -> None:
    w = org.world
    allocate(org, w.child, None)
    allocate(org, w.sibling, w.social_worker)
    c = client(org.head)
    body = c.get(reverse("oversight_home")).content.decode()
    assert "Agency rate (FTE)" in body and "Turnover" in body
    assert "figure=unallocated" in body
    listing = c.get(reverse("oversight_list") + f"?figure=unallocated&team={org.team.pk}")
    text = listing.content.decode()
    assert listing.status_code == 200 and w.child.la_reference in text
    assert w.sibling.la_reference not in text
    assert AccessLog.objects.filter(person=w.child, route="oversight_list").exists()
    assert c.get(reverse("workforce")).status_code == 200
    # A team manager sees only their own team.
    assert (
        client(org.other_manager).get(reverse("team_dashboard", args=[org.team.pk])).status_code
        == 404
    )


def test_worker_record_page_and_stale_edit(org: Org) -> None:
    sw = org.workers["sw"]
    c = client(org.head)
    url = reverse("show_worker", args=[sw.pk])
    assert c.get(url).status_code == 200
    data = {
        "expected_version": 1,
        "job_role": "SENIOR_PRACTITIONER",
        "scw_number": "SCW101",
        "extra_duty_points": 5,
    }
    assert c.post(url, data).status_code == 302
    stale = c.post(url, {**data, "scw_number": "CHANGED"})
    assert stale.status_code == 409
    sw.refresh_from_db()
    assert sw.scw_number == "SCW101"
    # A manager reads the record but cannot change it.
    assert client(org.world.manager).post(url, data).status_code == 404


def _grow(org: Org, n: int) -> None:
    la = org.world.authority
    for i in range(n):
        user = f.user(la, "SOCIAL_WORKER", team=org.team)
        services.record_worker(
            actor=org.head,
            user=user,
            team=org.team,
            job_role=JobRole.SOCIAL_WORKER,
            started_on=datetime.date(2025, 1, 1),
            scw_number=f"G{i}",
            contract_kind=ContractKind.AGENCY if i % 2 else ContractKind.PERMANENT,
            fte=1,
            line_manager=org.world.manager,
        )
        child = f.person(la)
        allocate(org, child, user if i % 3 else None)
        services.record_case_supervision(
            actor=org.world.manager,
            worker=user,
            held_on=datetime.date(2026, 2, 2),
            children=[ChildDiscussion(person=child, decisions="ok")],
            actions=[
                ActionSpec(
                    step=PracticeStep.VISIT,
                    description="v",
                    owner=user,
                    due_on=datetime.date(2026, 2, 9),
                    person=child,
                )
            ],
        )


@pytest.mark.parametrize("name", ["team_dashboard", "oversight_home"])
def test_dashboard_queries_do_not_grow_with_the_data(
    org: Org, name: str, django_assert_max_num_queries: Any, monkeypatch: Any
) -> None:
    from diogelu.oversight import dashboard

    monkeypatch.setattr(dashboard, "FIGURES_CACHE_SECONDS", 0)  # count on every request
    viewer = org.world.manager if name == "team_dashboard" else org.head
    url = reverse(name, args=[org.team.pk]) if name == "team_dashboard" else reverse(name)
    c = client(viewer)
    _grow(org, 2)
    c.get(url)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as small:
        assert c.get(url).status_code == 200
    _grow(org, 12)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert c.get(url).status_code == 200


def test_workforce_pages_refuse_bad_input_and_write_nothing(org: Org) -> None:
    from diogelu.oversight.models import Contract, Post

    sw = org.workers["sw"]
    c = client(org.head)
    url = reverse("add_contract", args=[sw.pk])
    assert c.get(url).status_code == 200
    over = c.post(
        url,
        {
            "kind": "PERMANENT",
            "fte": "1.5",
            "starts_on_0": "1",
            "starts_on_1": "4",
            "starts_on_2": "2026",
        },
    )
    assert over.status_code == 400 and "no more than 1" in over.content.decode()
    overlap = c.post(
        url,
        {
            "kind": "AGENCY",
            "fte": "0.5",
            "starts_on_0": "1",
            "starts_on_1": "4",
            "starts_on_2": "2026",
        },
    )
    assert overlap.status_code == 400 and "overlaps" in overlap.content.decode()
    assert Contract.objects.filter(worker=sw).count() == 1
    leaving = c.post(
        reverse("record_leaving", args=[sw.pk]),
        {
            "expected_version": 1,
            "left_on_0": "31",
            "left_on_1": "3",
            "left_on_2": "2026",
            "reason": "RETIRED",
        },
    )
    assert leaving.status_code == 302
    sw.refresh_from_db()
    assert sw.left_on == datetime.date(2026, 3, 31)
    posts = reverse("team_posts", args=[org.team.pk])
    assert (
        c.post(
            posts,
            {
                "title": "Senior practitioner",
                "fte": "1",
                "established_on_0": "1",
                "established_on_1": "3",
                "established_on_2": "2026",
            },
        ).status_code
        == 302
    )
    assert "Vacant" in c.get(posts).content.decode()
    assert Post.objects.count() == 1
    # A team manager reads the posts but changes nothing; partners see nothing.
    assert client(org.world.manager).post(posts, {"title": "x"}).status_code == 404
    assert client(org.world.police_officer).get(posts).status_code == 404
    assert client(org.world.manager).get(reverse("new_worker")).status_code == 404
    assert c.get(reverse("new_worker")).status_code == 200


def test_weighting_page_makes_a_new_version_and_keeps_the_old(org: Org) -> None:
    from diogelu.oversight.models import WeightingTable

    c = client(org.head)
    url = reverse("weighting")
    assert "version 0" in c.get(url).content.decode().lower()
    data = {
        "ceiling": "80",
        "first_year_ceiling": "60",
        "note": "Agreed at the service meeting",
        **{
            f"p_{s}": "5"
            for s in (
                "assessment",
                "early_help",
                "care_and_support",
                "looked_after",
                "registered",
                "s47_open",
                "proceedings",
            )
        },
    }
    assert c.post(url, data).status_code == 302
    assert c.post(url, {**data, "ceiling": "90"}).status_code == 302
    assert list(WeightingTable.objects.values_list("version", "ceiling")) == [(2, 90), (1, 80)]
    bad = c.post(url, {**data, "first_year_ceiling": "95"})
    assert bad.status_code == 400 and WeightingTable.objects.count() == 2
    # A team manager reads it but cannot change it; a social worker does not see it.
    assert client(org.world.manager).get(url).status_code == 200
    assert client(org.world.manager).post(url, data).status_code == 404
    assert client(org.world.social_worker).get(url).status_code == 404


def test_the_person_page_links_to_allocation_for_staff_only(org: Org) -> None:
    w = org.world
    url = reverse("show_person", args=[w.child.pk])
    target = reverse("child_oversight", args=[w.child.pk])
    assert target in client(w.manager).get(url).content.decode()
    assert target not in client(w.police_officer).get(url).content.decode()


def test_amending_a_supervision_refuses_a_stale_edit(org: Org) -> None:
    w = org.world
    s = supervise(org)
    child = s.children.get(person=w.child)
    url = reverse("amend_supervision", args=[s.pk])
    data = {"expected_version": 1, **{f"d{c.pk}": "Carry on" for c in s.children.all()}}
    data[f"d{child.pk}"] = "Escalate to a strategy discussion"
    c = client(w.manager)
    assert c.get(url).status_code == 200
    assert c.post(url, data).status_code == 302
    child.refresh_from_db()
    assert child.decisions == "Escalate to a strategy discussion"
    stale = c.post(url, {**data, f"d{child.pk}": "Something else"})
    assert stale.status_code == 409 and "Someone else changed" in stale.content.decode()
    child.refresh_from_db()
    assert child.decisions == "Escalate to a strategy discussion"
    # Only the supervisor amends: the worker reads the record but cannot change it.
    assert client(w.social_worker).get(url).status_code == 404
    assert client(w.police_officer).get(url).status_code == 404


def test_a_restricted_child_is_not_counted_for_a_viewer_who_may_not_see_them(org: Org) -> None:
    """The dashboard's figures count only the children the viewer may see; it checks the
    authority's few hidden records rather than listing everyone visible (issue 17)."""
    from diogelu.oversight import dashboard
    from diogelu.people.models import Person

    w = org.world
    allocate(org, w.child, None)
    allocate(org, w.sibling, None)
    before = dashboard.team_figures(w.manager, [org.team])[org.team.pk].unallocated
    assert {w.child.pk, w.sibling.pk} <= before
    Person.objects.filter(pk=w.child.pk).update(is_restricted=True)
    for viewer in (w.manager, org.head):
        figures = dashboard.team_figures(viewer, [org.team])[org.team.pk]
        assert w.child.pk not in figures.unallocated, viewer.username
        assert w.sibling.pk in figures.unallocated
    listing = client(org.head).get(reverse("oversight_list") + "?figure=unallocated")
    assert w.child.la_reference not in listing.content.decode()


def test_a_restricted_childs_case_and_supervision_stay_hidden_from_who_may_not_see_them(
    org: Org,
) -> None:
    """Cases and supervisions are filtered through the authority's hidden records (issue 17:
    "not in every visible person" read the whole authority on every supervision file)."""
    from diogelu.oversight import access
    from diogelu.people.models import Person

    w = org.world
    allocate(org, w.child, w.social_worker)
    allocate(org, w.sibling, w.social_worker)
    about_child = services.record_case_supervision(
        actor=w.manager,
        worker=w.social_worker,
        held_on=datetime.date(2026, 2, 2),
        children=[ChildDiscussion(person=w.child, decisions="Keep going")],
    )
    about_sibling = services.record_case_supervision(
        actor=w.manager,
        worker=w.social_worker,
        held_on=datetime.date(2026, 2, 3),
        children=[ChildDiscussion(person=w.sibling, decisions="Keep going")],
    )
    seen = set(access.supervisions_visible_to(org.head).values_list("pk", flat=True))
    assert {about_child.pk, about_sibling.pk} <= seen
    Person.objects.filter(pk=w.child.pk).update(is_restricted=True)
    for viewer in (w.manager, org.head):
        seen = set(access.supervisions_visible_to(viewer).values_list("pk", flat=True))
        assert about_child.pk not in seen and about_sibling.pk in seen, viewer.username
        cases = set(access.cases_visible_to(viewer).values_list("person_id", flat=True))
        assert w.child.pk not in cases and w.sibling.pk in cases, viewer.username
    worker = org.workers["sw"]
    page = client(w.manager).get(reverse("supervision_file", args=[worker.pk])).content.decode()
    assert "3 February 2026" in page and "2 February 2026" not in page


def test_the_service_view_is_counted_once_in_five_minutes_and_says_when(org: Org) -> None:
    """Issue 17: every figure of the service view together took 0.3 s a request at a county.
    They are counted at most every FIGURES_CACHE_SECONDS for the same teams and the same sight,
    the page and the lists behind its figures say when, and then they are counted again."""
    import time_machine
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from diogelu.oversight import dashboard

    cache.clear()
    w = org.world
    allocate(org, w.child, None)
    c = client(org.head)
    start = at(2026, 3, 2, 12)

    def page(moment: datetime.datetime, url: str = reverse("oversight_home")) -> tuple[str, int]:
        with time_machine.travel(moment, tick=False), CaptureQueriesContext(connection) as ctx:
            body = c.get(url).content.decode()
        counted = [q for q in ctx.captured_queries if "oversight_allocation" in q["sql"]]
        return body, len(counted)

    first, counted = page(start)
    assert counted > 0
    assert "Counted on 2 March 2026 at 12:00" in first
    allocate(org, w.sibling, None)
    second, counted = page(start + datetime.timedelta(minutes=2))
    assert counted == 0 and "Counted on 2 March 2026 at 12:00" in second
    listing, _ = page(
        start + datetime.timedelta(minutes=3),
        reverse("oversight_list") + f"?figure=unallocated&team={org.team.pk}",
    )
    assert "Counted on 2 March 2026 at 12:00" in listing
    assert w.child.la_reference in listing and w.sibling.la_reference not in listing
    later = start + datetime.timedelta(seconds=dashboard.FIGURES_CACHE_SECONDS + 1)
    listing, counted = page(
        later, reverse("oversight_list") + f"?figure=unallocated&team={org.team.pk}"
    )
    assert counted > 0 and "Counted on 2 March 2026 at 12:05" in listing
    assert w.child.la_reference in listing and w.sibling.la_reference in listing


def test_figures_are_shared_only_by_viewers_who_see_the_same_children(org: Org) -> None:
    """A restricted child is counted for a viewer named on the record and not for one who is
    not: their figures are kept apart, whoever opens the service view first."""
    from django.core.cache import cache

    from diogelu.access.models import RestrictedAccessGrant
    from diogelu.accounts.models import Role
    from diogelu.oversight import dashboard

    cache.clear()
    w = org.world
    allocate(org, w.child, None)
    w.child.is_restricted = True
    w.child.save(update_fields=["is_restricted"])
    named = f.user(w.authority, Role.HEAD_OF_SERVICE)
    RestrictedAccessGrant.objects.create(
        person=w.child, user=named, granted_by=w.manager, reason="Named on the record"
    )
    teams = [org.team]
    sees = dashboard.counted_figures(named, teams).figures[org.team.pk].unallocated
    assert w.child.pk in sees
    hidden = dashboard.counted_figures(org.head, teams).figures[org.team.pk].unallocated
    assert w.child.pk not in hidden


def test_the_children_behind_a_figure_are_paged_by_name_and_only_those_shown_are_logged(
    org: Org,
) -> None:
    """Issue 17: at Wales scale one figure named thousands of children on one page. The list is
    paged 50 at a time, by name, and only the children on the page are read and logged."""
    w = org.world
    children = [
        f.person(w.authority, given_name="Plentyn", family_name=f"Prawf{n:03d}") for n in range(52)
    ]
    for child in children:
        allocate(org, child, None)
    c = client(org.head)
    url = reverse("oversight_list") + f"?figure=unallocated&team={org.team.pk}"
    first = c.get(url).content.decode()
    assert "52 children" in first
    assert children[0].la_reference in first and children[49].la_reference in first
    assert children[50].la_reference not in first and children[51].la_reference not in first
    assert "page=2" in first
    logged = set(
        AccessLog.objects.filter(route="oversight_list").values_list("person_id", flat=True)
    )
    assert logged == {child.pk for child in children[:50]}
    second = c.get(url + "&page=2").content.decode()
    assert children[50].la_reference in second and children[51].la_reference in second
    assert children[49].la_reference not in second
