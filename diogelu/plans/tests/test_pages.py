"""Plan, core group and visit pages, for each persona, with their validation."""

from __future__ import annotations

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from diogelu.conferences.tests.test_journey import at, held
from diogelu.plans.models import CoreGroupMeeting, Plan, PlanVersion, Visit


@pytest.fixture
def clock():
    with time_machine.travel(at(2026, 1, 5, 8), tick=False) as traveller:
        yield traveller


@pytest.fixture
def plan(world, clock):
    held(world, clock)
    clock.move_to(at(2026, 1, 20, 12))
    return Plan.objects.get()


def client(world, persona):
    return world.client_for(getattr(world, persona))


def plan_data(version=0, **overrides):
    data = {
        "expected_version": str(version),
        "o0_what": "Siân is safe from being hit at home",
        "o0_measure": "",
        "o0a0_description": "Police check on the step-father",
        "o0a0_agency": "",
        "child_words": "",
        "contingency": "",
    }
    data.update(overrides)
    return data


def test_anonymous_is_sent_to_sign_in(db):
    for name in ("show_plan", "edit_plan", "record_visit", "record_core_group"):
        response = Client().get(reverse(name, args=[1]))
        assert response.status_code == 302, name
        assert response["Location"].startswith(reverse("sign_in"))


@pytest.mark.parametrize(
    ("persona", "show", "edit"),
    [
        ("social_worker", 200, 200),
        ("manager", 200, 200),
        ("police_officer", 200, 404),  # a core group member reads, never edits
        ("school_lead", 200, 404),
        ("other_la_worker", 404, 404),
    ],
)
def test_plan_pages_by_persona(world, plan, persona, show, edit):
    c = client(world, persona)
    assert c.get(reverse("show_plan", args=[plan.pk])).status_code == show
    for name in ("edit_plan", "record_visit", "record_core_group"):
        assert c.get(reverse(name, args=[plan.pk])).status_code == edit, name


def test_draft_check_publish_and_edit_published_makes_a_new_draft(world, plan):
    sw = client(world, "social_worker")
    assert "Start the plan" in sw.get(reverse("edit_plan", args=[plan.pk])).content.decode()
    assert sw.post(reverse("start_plan", args=[plan.pk])).status_code == 302
    draft = plan.draft()
    response = sw.post(
        reverse("edit_plan", args=[plan.pk]),
        plan_data(draft.version, o0a0_agency=str(world.police.pk)),
    )
    assert response.status_code == 302
    page = sw.get(reverse("edit_plan", args=[plan.pk])).content.decode()
    assert "Before you publish, this plan is missing" in page
    draft.refresh_from_db()
    # below the quality threshold: a manager signs it off with a reason (test_publish.py)
    published = client(world, "manager").post(
        reverse("publish_plan", args=[plan.pk]),
        {
            "expected_version": str(draft.version),
            "action": "publish",
            "sign_off_reason": "Agreed at the conference; completed at the first core group.",
        },
    )
    assert published.status_code == 302
    v1 = PlanVersion.objects.get()
    assert v1.is_published and v1.quality_score is not None and v1.quality_score < 100
    show = sw.get(reverse("show_plan", args=[plan.pk])).content.decode()
    assert "Siân is safe from being hit at home" in show and f"{v1.quality_score}%" in show

    edited = sw.post(
        reverse("edit_plan", args=[plan.pk]),
        plan_data(v1.version, o0_measure="No injuries seen at visits or school"),
    )
    assert edited.status_code == 302
    v1.refresh_from_db()
    assert v1.is_published and v1.outcomes.get().measure == ""
    v2 = plan.draft()
    assert v2.number == 2 and v2.outcomes.get().measure == "No injuries seen at visits or school"


def test_plan_form_errors_show_the_summary_and_save_nothing(world, plan):
    sw = client(world, "social_worker")
    sw.post(reverse("start_plan", args=[plan.pk]))
    draft = plan.draft()
    response = sw.post(
        reverse("edit_plan", args=[plan.pk]),
        plan_data(draft.version, o0_what="", o0a0_agency=str(world.police.pk)),
    )
    assert response.status_code == 400
    assert "govuk-error-summary" in response.content.decode()
    assert not draft.outcomes.exists()


def visit_data(day, month, year, **overrides):
    data = {
        "visited_on_0": str(day),
        "visited_on_1": str(month),
        "visited_on_2": str(year),
        "visited_time": "10:00",
        "child_seen": "yes",
        "seen_alone": "on",
        "seen_at_home": "on",
        "child_words": "I like my new bed.",
        "observations": "Home warm and tidy; food in the fridge.",
    }
    data.update(overrides)
    return data


def test_visit_in_the_future_is_refused(world, plan):
    response = client(world, "social_worker").post(
        reverse("record_visit", args=[plan.pk]), visit_data(21, 1, 2026)
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "govuk-error-summary" in body
    assert not Visit.objects.exists()


def test_visit_through_the_page(world, plan):
    response = client(world, "social_worker").post(
        reverse("record_visit", args=[plan.pk]), visit_data(20, 1, 2026)
    )
    assert response.status_code == 302
    visit = Visit.objects.get()
    assert visit.seen_alone and visit.seen_at_home


def test_core_group_through_the_page(world, plan):
    members = list(plan.episode.core_group.filter(ended_at__isnull=True))
    response = client(world, "social_worker").post(
        reverse("record_core_group", args=[plan.pk]),
        {
            "held_on_0": "20",
            "held_on_1": "1",
            "held_on_2": "2026",
            "held_time": "09:30",
            "attended": [str(members[0].pk)],
            "child_views": "Siân says things are calmer.",
        },
    )
    assert response.status_code == 302
    assert CoreGroupMeeting.objects.get().attendance.filter(attended=True).count() == 1
    bad = client(world, "social_worker").post(reverse("record_core_group", args=[plan.pk]), {})
    assert bad.status_code == 400
    assert CoreGroupMeeting.objects.count() == 1


def test_overdue_visits_show_in_my_work(world, plan, clock):
    clock.move_to(at(2026, 2, 9, 12))
    for persona in ("manager", "social_worker"):
        body = client(world, persona).get(reverse("my_work")).content.decode()
        assert "Overdue statutory visits" in body, persona
        assert reverse("show_plan", args=[plan.pk]) in body
    body = client(world, "police_officer").get(reverse("my_work")).content.decode()
    assert "Overdue statutory visits" not in body


def test_overdue_visits_in_my_work_come_a_page_at_a_time(world, plan, clock, monkeypatch):
    """A manager's overdue visits are the whole authority's: a page at a time, most overdue
    first, with the count of all of them (issue 17: thousands of rows on one page at a county)."""
    import re

    from diogelu import my_work
    from diogelu.plans.due import overdue_visits_for_worker

    clock.move_to(at(2026, 4, 20, 12))
    overdue = overdue_visits_for_worker(world.manager, team=True)
    assert len(overdue) >= 2
    monkeypatch.setattr(my_work, "VISITS_PER_PAGE", 1)
    c = client(world, "manager")
    first = c.get(reverse("my_work")).content.decode()
    assert f"Overdue statutory visits ({len(overdue)})" in first
    assert f"Showing 1 to 1 of {len(overdue)}" in first
    assert "visits_page=2#overdue-visits" in first
    # My work pages several lists; each pagination landmark has its own name
    assert 'aria-label="Pages of overdue statutory visits"' in first
    assert 'aria-label="Pages of the list"' not in first
    last = c.get(reverse("my_work"), {"visits_page": len(overdue)}).content.decode()
    assert f"Showing {len(overdue)} to {len(overdue)} of {len(overdue)}" in last

    def rules(body: str) -> list[str]:
        section = body.split('id="overdue-visits"')[1].split("</ul>")[0]
        return re.findall(r"<li>", section)

    assert len(rules(first)) == len(rules(last)) == 1


def test_core_group_records_progress_per_outcome_and_actions(world, plan):
    from diogelu.plans import services as plans

    draft = plans.draft_plan(actor=world.social_worker, plan=plan)
    draft = plans.edit_plan(
        actor=world.social_worker,
        version=draft,
        expected_version=draft.version,
        child_words="I want nobody to shout.",
        contingency="If any new injury: strategy discussion the same day.",
        outcomes=[
            {
                "what_must_change": "Siân is not hurt at home",
                "measure": "No injuries seen at school or by the health visitor",
                "actions": [{"description": "Parenting course", "responsible_name": "Rhian"}],
            }
        ],
    )
    published = plans.publish_plan(
        actor=world.manager,
        version=draft,
        expected_version=draft.version,
        sign_off_reason="Agreed at the conference; the plan is completed at the first core group.",
    )
    outcome = published.outcomes.get()
    action = outcome.actions.get()
    members = list(plan.episode.core_group.filter(ended_at__isnull=True))
    url = reverse("record_core_group", args=[plan.pk])
    sw = client(world, "social_worker")
    form = sw.get(url).content.decode()
    assert "Siân is not hurt at home" in form
    assert f'name="o{outcome.pk}_rating"' in form
    base = {
        "held_on_0": "20",
        "held_on_1": "1",
        "held_on_2": "2026",
        "held_time": "09:30",
        "attended": [str(m.pk) for m in members],
        "child_views": "Siân says things are calmer.",
        f"a{action.pk}_status": "IN_PROGRESS",
    }
    missing = sw.post(url, base)
    assert missing.status_code == 400
    assert "Rate the progress against outcome 1" in missing.content.decode()
    assert not CoreGroupMeeting.objects.exists()
    response = sw.post(
        url, base | {f"o{outcome.pk}_rating": "SOME", f"o{outcome.pk}_note": "Attending."}
    )
    assert response.status_code == 302
    meeting = CoreGroupMeeting.objects.get()
    assert meeting.progress.get().rating == "SOME"
    assert meeting.action_updates.get().status == "IN_PROGRESS"
    page = sw.get(reverse("show_plan", args=[plan.pk])).content.decode()
    assert "Progress against each outcome" in page
    assert "Some progress" in page
    assert "In progress" in page
    # A core group member reads the progress too.
    member_page = client(world, "police_officer").get(reverse("show_plan", args=[plan.pk]))
    assert "Some progress" in member_page.content.decode()


def _another_registration(plan):
    """A copy of ``plan``'s child, registration and plan (a second child the same lead
    practitioner leads), without replaying the whole journey."""
    from diogelu.conferences.models import RegisterEpisode
    from diogelu.people.models import Person

    person = Person.objects.get(pk=plan.person_id)
    person.pk = None
    person.la_reference = f"{person.la_reference}-{Person.objects.count()}"
    person.save()
    episode = RegisterEpisode.objects.get(pk=plan.episode_id)
    episode.pk = None
    episode.person = person
    episode.save()
    copy = Plan.objects.get(pk=plan.pk)
    copy.pk = None
    copy.person = person
    copy.episode = episode
    copy.save()
    return copy


def test_registered_children_in_my_work_come_a_page_at_a_time(
    world, plan, clock, monkeypatch, django_assert_max_num_queries
):
    """A lead practitioner's registered children a page at a time, longest registered first,
    with the count of all; the page's cost does not grow with the caseload (issue 17: 1.6 MB
    on one page on generated data)."""
    from diogelu import my_work

    url = reverse("my_work")
    c = client(world, "social_worker")
    with django_assert_max_num_queries(200) as one:
        c.get(url)
    plans = [plan, _another_registration(plan), _another_registration(plan)]
    with django_assert_max_num_queries(len(one.captured_queries)):
        body = c.get(url).content.decode()
    assert "Registered children you lead (3)" in body
    monkeypatch.setattr(my_work, "REGISTERED_PER_PAGE", 2)
    first = c.get(url).content.decode()
    assert "Showing 1 to 2 of 3." in first
    assert "registered_page=2#registered" in first
    second = c.get(url, {"registered_page": 2}).content.decode()
    assert "Showing 3 to 3 of 3." in second
    section = second.split('id="registered"')[1].split("</table>")[0]
    assert reverse("show_plan", args=[plans[2].pk]) in section
    assert reverse("show_plan", args=[plans[0].pk]) not in section


def _person_options(page: str) -> set[str]:
    """The ids offered in the first "person responsible" list of the plan's form."""
    import re

    select = re.search(r'<select[^>]*name="o0a0_user".*?</select>', page, re.S)
    assert select is not None
    return set(re.findall(r'<option value="(\d+)"', select.group(0)))


def test_the_person_responsible_is_chosen_from_who_works_with_the_child(world, plan):
    """ADR 0844: of the local authority's staff, the lead practitioner and their team, the core
    group and the editor; every partner's staff as before. Not the authority's whole workforce
    in each of twelve lists (460 KB at a county)."""
    from diogelu.accounts.models import Role, Team
    from tests import factories as f

    team = Team.objects.create(agency=world.authority, name="Locality team north")
    world.social_worker.team = team
    world.social_worker.save(update_fields=["team"])
    teammate = f.user(world.authority, Role.SOCIAL_WORKER, team=team)
    elsewhere = Team.objects.create(agency=world.authority, name="Locality team south")
    others = [f.user(world.authority, Role.SOCIAL_WORKER, team=elsewhere) for _ in range(20)]
    others += [f.user(world.authority, Role.SOCIAL_WORKER) for _ in range(20)]
    partner = f.user(world.police, Role.POLICE_OFFICER)
    sw = client(world, "social_worker")
    sw.post(reverse("start_plan", args=[plan.pk]))
    page = sw.get(reverse("edit_plan", args=[plan.pk])).content.decode()
    offered = _person_options(page)
    assert {
        str(u.pk)
        for u in (
            world.social_worker,
            teammate,
            world.police_officer,
            world.health_practitioner,
            world.school_lead,
            partner,
        )
    } <= offered
    assert not offered & {str(u.pk) for u in (*others, world.manager, world.mash)}
    assert str(world.other_la_worker.pk) not in offered
    assert "the local authority, the child" in page
    # the page does not grow with the authority's workforce
    for _ in range(100):
        f.user(world.authority, Role.SOCIAL_WORKER, team=elsewhere)
    assert len(sw.get(reverse("edit_plan", args=[plan.pk])).content) == len(page.encode())


def test_anyone_of_the_authority_or_a_partner_may_still_be_named(world, plan):
    """A member of the authority's staff who is not listed is accepted (read by key), listed
    again when the form is shown, and saved; a worker of another authority is
    refused and nothing is saved."""
    from diogelu.accounts.models import Role
    from diogelu.plans.models import PlanAction
    from tests import factories as f

    colleague = f.user(world.authority, Role.SOCIAL_WORKER)
    sw = client(world, "social_worker")
    sw.post(reverse("start_plan", args=[plan.pk]))
    draft = plan.draft()
    refused = sw.post(
        reverse("edit_plan", args=[plan.pk]),
        plan_data(draft.version, o0a0_user=str(world.other_la_worker.pk)),
    )
    assert refused.status_code == 400 and not PlanAction.objects.exists()
    for nonsense in ("9" * 40, "-1", "1e3", "x"):
        assert (
            sw.post(
                reverse("edit_plan", args=[plan.pk]), plan_data(draft.version, o0a0_user=nonsense)
            ).status_code
            == 400
        ), nonsense
    saved = sw.post(
        reverse("edit_plan", args=[plan.pk]),
        plan_data(draft.version, o0a0_user=str(colleague.pk)),
    )
    assert saved.status_code == 302
    action = PlanAction.objects.get()
    assert action.responsible_user == colleague and action.responsible_agency == world.authority
    page = sw.get(reverse("edit_plan", args=[plan.pk])).content.decode()
    assert str(colleague.pk) in _person_options(page)
