"""Team oversight in a real browser: allocation, supervision, an overdue action, the service view.

The team manager of the North Locality Team allocates Dafydd Pengelli, seeing each worker's load
before choosing → records a case supervision of Nia Pritchard covering Dafydd, Siân and Tomos with
three actions → a week later (the clock moved with time_machine) the visit Nia did not make shows as
overdue on the manager's My work and the team dashboard → the head of service sees the agency rate
and turnover for the year and opens the children behind "unallocated" → the team dashboard in
Welsh → the head of service fills a vacant post with a new agency worker. Screenshots: ``test-results/screenshots/ov-NN-*.png``; axe-core on every page.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from playwright.sync_api import expect

from .helpers import World, check_axe, screenshot, signed_in
from .helpers import fill_date as _fill_date
from .helpers import submit as _submit
from .helpers import success as _success

pytestmark = pytest.mark.browser

LONDON = ZoneInfo("Europe/London")


@pytest.fixture
def start() -> datetime.datetime:
    """A Monday at 09:00 at least a week ahead (cookies never look expired to the browser)."""
    from diogelu import procedures as calendar

    day = datetime.datetime.now(LONDON).date() + datetime.timedelta(days=7)
    day += datetime.timedelta(days=(7 - day.weekday()) % 7)
    while not calendar.is_working_day(day):
        day += datetime.timedelta(days=7)
    return datetime.datetime(day.year, day.month, day.day, 9, tzinfo=LONDON)


@pytest.fixture
def clock(start: datetime.datetime) -> Iterator[Any]:
    with time_machine.travel(start, tick=True) as traveller:
        yield traveller


def _shot(page: Any, n: int, name: str) -> None:
    screenshot(page, f"ov-{n:02d}-{name}")
    check_axe(page, f"oversight: {name}")


def test_oversight_journey(
    browser: Any, live_server: Any, e2e_world: World, clock: Any, start: datetime.datetime
) -> None:
    from diogelu.accounts.models import User
    from diogelu.oversight import services
    from diogelu.oversight.models import Allocation, AllocationReason, CaseStage, Supervision

    base = live_server.url
    password = e2e_world.password
    users = {
        u.username: u for u in User.objects.filter(username__in=["team.manager", "social.worker"])
    }
    manager, nia = users["team.manager"], users["social.worker"]
    team = manager.team
    assert team is not None

    with signed_in(browser, base, "team.manager", password, prefix="ov") as page:
        # 1. Allocate Dafydd, seeing each worker's load first.
        page.goto(f"{base}/oversight/people/{e2e_world.dafydd}/allocate/")
        expect(page.get_by_role("heading", name="Allocate a worker")).to_be_visible()
        loads = page.locator("table.govuk-table").first
        expect(loads).to_contain_text("Nia Pritchard")
        expect(loads).to_contain_text("Room left")
        _shot(page, 1, "allocate-with-loads")
        page.get_by_label("Worker", exact=True).select_option(str(nia.pk))
        page.get_by_label("New to the team").check()
        page.get_by_label("Kind of work").select_option("ASSESSMENT")
        _submit(page, "Save the allocation")
        _success(page, "Allocation recorded")
        expect(page.locator("main")).to_contain_text("Nia Pritchard")
        _shot(page, 2, "child-allocated")
        current = Allocation.objects.get(case__person_id=e2e_world.dafydd, ended_at__isnull=True)
        assert current.worker == nia

        # Siân and Tomos were allocated to Nia earlier.
        for pk in (e2e_world.sian, e2e_world.tomos):
            from diogelu.people.models import Person

            services.allocate_child(
                actor=manager,
                person=Person.objects.get(pk=pk),
                worker=nia,
                team=team,
                reason=AllocationReason.NEW_CASE,
                stage=CaseStage.CARE_AND_SUPPORT,
            )

        # 2. A case supervision covering the three children, with actions.
        page.goto(f"{base}/oversight/supervisions/new/")
        page.get_by_role("radio", name="Case supervision").check()
        page.get_by_label("Worker supervised").select_option(str(nia.pk))
        _fill_date(page, "Date of the supervision", start.date())
        children = [e2e_world.dafydd, e2e_world.sian, e2e_world.tomos]
        for i, pk in enumerate(children):
            page.locator(f"#c{i}_person").select_option(str(pk))
            page.locator(f"#c{i}_risk").fill("Risks at home reviewed.")
            page.locator(f"#c{i}_decisions").fill("Carry on with the plan; see the child alone.")
        due = start.date() + datetime.timedelta(days=3)
        later = start.date() + datetime.timedelta(days=14)
        actions = [
            ("See Dafydd alone at school", "VISIT", e2e_world.dafydd, due),
            ("Convene Siân's review", "CONVENE_REVIEW", e2e_world.sian, later),
            ("Book Tomos's advocacy", "OTHER", e2e_world.tomos, later),
        ]
        for i, (text, step, pk, when) in enumerate(actions):
            page.locator(f"#a{i}_description").fill(text)
            page.locator(f"#a{i}_step").select_option(step)
            page.locator(f"#a{i}_person").select_option(str(pk))
            page.locator(f"#a{i}_owner").select_option(str(nia.pk))
            page.locator(f"input[name=a{i}_due_on_0]").fill(str(when.day))
            page.locator(f"input[name=a{i}_due_on_1]").fill(str(when.month))
            page.locator(f"input[name=a{i}_due_on_2]").fill(str(when.year))
        _shot(page, 3, "supervision-form")
        _submit(page, "Save the supervision")
        _success(page, "Supervision recorded")
        expect(page.locator("main")).to_contain_text("See Dafydd alone at school")
        _shot(page, 4, "supervision-recorded")
        supervision = Supervision.objects.get(worker=nia, held_on=start.date())
        assert supervision.children.count() == 3 and supervision.actions.count() == 3

    # 3. A week later the visit has not happened.
    clock.move_to(start + datetime.timedelta(days=7))
    with signed_in(browser, base, "team.manager", password, prefix="ov") as page:
        mine = page.locator("main")
        expect(mine).to_contain_text("Supervision actions not done by their due date")
        expect(mine).to_contain_text("See Dafydd alone at school")
        expect(mine).not_to_contain_text("Book Tomos's advocacy")
        _shot(page, 5, "my-work-overdue-action")
        page.get_by_role("link", name="Team oversight").click()
        expect(page.get_by_role("heading", name=team.name)).to_be_visible()
        row = page.locator(".govuk-summary-list__row", has_text="Supervision actions overdue")
        row.get_by_role("link").click()
        expect(page.locator("main")).to_contain_text("Dafydd Pengelli")
        _shot(page, 6, "children-behind-actions-overdue")
        page.go_back()
        _shot(page, 7, "team-dashboard")
        # The same dashboard in Welsh.
        with page.expect_navigation():
            page.get_by_role("button", name="Cymraeg").click()
        expect(page.locator("main")).to_contain_text("Llwythi achosion yn erbyn nenfydau")
        _shot(page, 8, "team-dashboard-cy")
        # The team's allocated children (issue 10), read in Welsh: Dafydd, allocated to Nia.
        page.goto(f"{base}/oversight/teams/{team.pk}/children/")
        expect(page.locator("html")).to_have_attribute("lang", "cy")
        expect(page.locator("main")).to_contain_text("Dafydd Pengelli")
        _shot(page, 9, "team-children-cy")

    # 4. The head of service: agency rate and turnover, and the children behind "unallocated".
    with signed_in(browser, base, "head.of.service", password, prefix="ov") as page:
        page.get_by_role("link", name="Team oversight").click()
        main = page.locator("main")
        expect(main).to_contain_text("Agency rate (FTE)")
        expect(main).to_contain_text("Turnover")
        _shot(page, 9, "service-view")
        totals = page.locator("tr", has_text="All teams")
        totals.locator("td").nth(1).get_by_role("link").click()
        expect(page.get_by_role("heading", name="Unallocated children")).to_be_visible()
        assert page.locator("main table tbody tr").count() >= 1
        _shot(page, 10, "unallocated-children")

        # 5. A vacant post filled: a new agency social worker covers it from today.
        from diogelu.accounts.models import Role, RoleAssignment
        from diogelu.oversight.models import ContractKind, JobRole, Post, PostHolding

        head = User.objects.get(username="head.of.service")
        vacant = next(
            p
            for p in Post.objects.select_related("team").order_by("team__name", "pk")
            if not p.holdings.filter(ends_on__isnull=True).exists()
        )
        cover = User.objects.create(
            username="ov.cover",
            agency=head.agency,
            team=vacant.team,
            first_name="Elin",
            last_name="Rowlands",
        )
        RoleAssignment.objects.create(user=cover, role=Role.SOCIAL_WORKER)
        worker = services.record_worker(
            actor=head,
            user=cover,
            team=vacant.team,
            job_role=JobRole.SOCIAL_WORKER,
            started_on=datetime.datetime.now(LONDON).date(),
            scw_number="E2E-COVER",
            contract_kind=ContractKind.AGENCY,
            fte=1,
        )
        page.goto(f"{base}/oversight/teams/{vacant.team_id}/posts/")
        expect(page.get_by_role("heading", name="Established posts")).to_be_visible()
        _shot(page, 11, "posts-with-vacancy")
        page.locator(f"a[href='/oversight/posts/{vacant.pk}/fill/']").click()
        expect(page.get_by_role("heading", name="Fill the post: Social worker")).to_be_visible()
        page.get_by_label("Who fills the post").select_option(str(worker.pk))
        page.get_by_label("Agency", exact=True).check()
        _fill_date(page, "First day in the post", datetime.datetime.now(LONDON).date())
        _shot(page, 12, "fill-post")
        _submit(page, "Fill the post")
        _success(page, "Post filled")
        expect(page.locator("main")).to_contain_text("Elin Rowlands (Agency)")
        _shot(page, 13, "post-filled")
        holding = PostHolding.objects.get(post=vacant, ends_on__isnull=True)
        assert (holding.worker, holding.kind) == (worker, ContractKind.AGENCY)

    # 5. Ending Dafydd's allocation needs a manager other than the one who proposes it (issue 12).
    with signed_in(browser, base, "team.manager", password, prefix="ov") as page:
        page.goto(f"{base}/oversight/people/{e2e_world.dafydd}/end-allocation/")
        expect(page.get_by_role("heading", name="Propose ending the allocation")).to_be_visible()
        page.get_by_label("Why should the allocation end?").fill(
            "Nia moves to the court team; Dafydd to be reallocated within the team."
        )
        _shot(page, 14, "end-allocation-form")
        _submit(page, "Send for approval")
        _success(page, "Proposal sent to a manager for approval")
        _shot(page, 15, "end-allocation-proposed")
