"""Daily casework in a real browser (issue 10): the police acknowledge six outcomes at once from
their outcomes list, and a social worker publishes a plan through its confirmation page.

Each step is screenshotted (``test-results/screenshots/casework-NN-*.png``) and each page checked
with axe-core (no serious or critical WCAG 2.2 AA violation).
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import expect

from .helpers import World, check_axe, screenshot, signed_in, submit, success

pytestmark = pytest.mark.browser


def _six_outcomes_for_the_police() -> list[int]:
    """Six reports by the police officer, each decided (information, advice and assistance) by
    the MASH manager: six outcomes for the officer, as the person who reported, to acknowledge."""
    from django.db.models import Q

    from diogelu.accounts.models import Agency, User
    from diogelu.demo import data
    from diogelu.demo.casework import submit_report_about
    from diogelu.people.models import Person
    from diogelu.referrals import services as referrals
    from diogelu.referrals.models import Outcome
    from diogelu.sharing.models import OutcomeNotification

    police = User.objects.get(username="police.officer")
    manager = User.objects.get(username="mash.manager")
    authority = Agency.objects.get(code=data.AUTHORITY_CODE)
    children = list(
        Person.objects.filter(
            authority=authority, is_restricted=False, date_of_birth__year__gte=2010
        ).order_by("pk")[:6]
    )
    assert len(children) == 6
    made = []
    for child in children:
        report = submit_report_about(
            police,
            authority,
            [child],
            "Officers attended a noise complaint; the child was up late and unsupervised.",
            ["NEGLECT"],
            [],
        )
        referrals.link_child(
            actor=User.objects.get(username="mash.practitioner"),
            child=report.children.get(),
            person=child,
        )
        referrals.record_decision(
            actor=manager,
            report=report,
            outcome=Outcome.INFORMATION_ADVICE,
            rationale="Advice to the family about supervision; no further action.",
        )
        # The reporter's agency is involved with the child too, so it hears once, as the agency
        # (one notification per recipient and event, issue 11): the officer acknowledges it.
        made.extend(
            OutcomeNotification.objects.filter(report=report)
            .filter(Q(recipient_user=police) | Q(recipient_agency_id=police.agency_id))
            .values_list("pk", flat=True)
        )
    assert len(made) == 6
    return made


def test_police_acknowledge_six_outcomes_at_once(
    browser: Any, live_server: Any, e2e_world: World
) -> None:
    from diogelu.sharing.models import OutcomeNotification

    made = _six_outcomes_for_the_police()
    base = live_server.url
    with signed_in(browser, base, "police.officer", e2e_world.password, prefix="casework") as page:
        page.goto(f"{base}/outcomes/")
        expect(page.locator("h1")).to_have_text("Outcomes")
        check_axe(page, "outcomes list (to acknowledge)")
        for pk in made:
            page.locator(f"#outcome-{pk}").check()
        screenshot(page, "casework-01-police-six-outcomes-ticked")
        submit(page, "Acknowledge selected outcomes")
        success(page, "You have acknowledged 6 outcomes")
        screenshot(page, "casework-02-police-six-outcomes-acknowledged")
        check_axe(page, "outcomes list (acknowledged)")
        for pk in made:
            expect(page.locator(f"#outcome-{pk}")).to_have_count(0)
        # Nothing ticked: a clear error, and nothing changes.
        if page.locator("input[name=outcomes]").count():
            submit(page, "Acknowledge selected outcomes")
            expect(page.locator(".govuk-error-summary")).to_contain_text("Select")
            screenshot(page, "casework-03-police-nothing-ticked")
            check_axe(page, "outcomes list (error)")
    acknowledged = OutcomeNotification.objects.filter(pk__in=made, acknowledged_at__isnull=False)
    assert acknowledged.count() == 6


def test_social_worker_publishes_a_plan_after_confirming(
    browser: Any, live_server: Any, e2e_world: World
) -> None:
    from diogelu.plans.models import Plan, VersionStatus

    plan = Plan.objects.get()
    draft = plan.draft()
    assert draft is not None
    base = live_server.url
    with signed_in(browser, base, "social.worker", e2e_world.password, prefix="casework") as page:
        page.goto(f"{base}/plans/{plan.pk}/edit/")
        check_axe(page, "plan edit")
        words = page.get_by_label("The child's own words")
        words.fill("I like it when Mam walks me to school. I don't like shouting.")
        screenshot(page, "casework-04-plan-edited")
        submit(page, "Save and check before publishing")
        expect(page.locator("h1")).to_contain_text(re.compile(r"Check and publish version \d+"))
        expect(page.locator("#quality")).to_contain_text("Quality check")
        screenshot(page, "casework-05-plan-confirm")
        check_axe(page, "plan publish confirmation")
        draft.refresh_from_db()
        assert draft.status == VersionStatus.DRAFT  # saved, not yet published
        assert draft.child_words.startswith("I like it when Mam walks me to school")
        button = page.get_by_role("button", name=re.compile(r"^(Sign off and p|P)ublish version"))
        if "Sign off" in button.inner_text():
            page.get_by_label(re.compile("Why should this plan be published")).fill(
                "Agreed at the core group; gaps filled at the next one."
            )
        with page.expect_navigation():
            button.click()
        success(page, "published")
        screenshot(page, "casework-06-plan-published")
        check_axe(page, "plan page after publishing")
    draft.refresh_from_db()
    assert draft.status == VersionStatus.PUBLISHED
