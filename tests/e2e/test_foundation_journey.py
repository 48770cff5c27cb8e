"""The foundation journeys, in a real browser: sign in, find a child, read the record, in English
and Welsh, with axe-core checking every page and nobody seeing a child they are not involved with.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import expect

from .helpers import (
    WELSH_MO,
    World,
    check_axe,
    result_names,
    screenshot,
    search,
    sign_in,
)

pytestmark = [pytest.mark.browser, pytest.mark.slow(seconds=75)]


def test_mash_practitioner_finds_a_child_and_reads_the_record(
    page: Any, live_server: Any, e2e_world: World
) -> None:
    base = live_server.url

    page.goto(f"{base}/sign-in/")
    expect(page.locator("h1")).to_have_text("Sign in to Diogelu")
    check_axe(page, "sign-in")
    screenshot(page, "01-sign-in")

    sign_in(page, base, "mash.practitioner", e2e_world.password)
    expect(page.locator("h1")).to_have_text("My work")
    expect(page.locator(".app-utility-bar__who")).to_contain_text("Ffion Prydderch")
    check_axe(page, "my-work")
    screenshot(page, "02-my-work")

    page.get_by_role("button", name="Find a person").click()
    expect(page.locator("h1")).to_have_text("Find a person")
    search(page, base, "")
    expect(page).to_have_title(re.compile(r"^Error: Find a person"))
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_contain_text("Enter a name, date of birth, NHS number, UPN or postcode")
    check_axe(page, "search-errors")
    screenshot(page, "03-search-errors")

    # The English form of a Welsh name finds the Welsh one.
    search(page, base, "David Pengelli")
    assert result_names(page) == ["Dafydd Pengelli"]
    expect(page.locator("main table caption")).to_have_text("1 person found")
    check_axe(page, "search-results")
    screenshot(page, "04-search-results")

    # Accents are folded: "Sian" finds "Siân".
    search(page, base, "Sian Pengelli")
    assert result_names(page) == ["Siân Pengelli"]

    search(page, base, "David Pengelli")
    page.get_by_role("link", name="Dafydd Pengelli").click()
    page.wait_for_url(f"{base}/people/{e2e_world.dafydd}/")
    expect(page.locator("h1")).to_contain_text("Dafydd Pengelli")
    expect(page.locator("main")).to_contain_text("E2E-0002")
    check_axe(page, "person-summary")
    screenshot(page, "05-person-summary")

    tabs = page.get_by_role("navigation", name="Sections of the record")
    tabs.get_by_role("link", name="Family").click()
    page.wait_for_url(f"{base}/people/{e2e_world.dafydd}/family/")
    family = page.locator("main table.govuk-table")
    expect(family).to_contain_text("Rhiannon Pengelli")
    expect(family).to_contain_text("Siân Pengelli")
    expect(family).to_contain_text("Tomos Pengelli")
    check_axe(page, "person-family")
    screenshot(page, "06-person-family")

    tabs.get_by_role("link", name="Chronology").click()
    page.wait_for_url(f"{base}/people/{e2e_world.dafydd}/chronology/")
    main = page.locator("main")
    expect(main).to_contain_text("Family support offered and accepted")
    expect(main).to_contain_text("Contact from a neighbour")
    expect(main).to_contain_text("Attendance below 80% this term")
    check_axe(page, "person-chronology")
    screenshot(page, "07-person-chronology")

    # Cymraeg: the same page, in Welsh.
    expect(page.locator("html")).to_have_attribute("lang", "en")
    with page.expect_navigation():
        page.get_by_role("button", name="Cymraeg").click()
    assert page.url == f"{base}/people/{e2e_world.dafydd}/chronology/"
    expect(page.locator("html")).to_have_attribute("lang", "cy")
    expect(page.get_by_role("button", name="English")).to_be_visible()
    assert WELSH_MO.exists(), f"{WELSH_MO} is missing: compile the translations (make messages)"
    expect(page.locator("main h2").first).to_have_text("Cronoleg")
    tabs_cy = page.get_by_role("navigation", name="Adrannau'r cofnod")
    expect(tabs_cy.get_by_role("link")).to_have_text(
        ["Crynodeb", "Teulu", "Cronoleg", "Nodiadau achos", "Cyfnodau ar goll"]
    )
    expect(page.locator(".govuk-service-navigation__service-name")).to_have_text("Diogelu plant")
    expect(page.get_by_role("button", name="Allgofnodi")).to_be_visible()
    check_axe(page, "person-chronology-cy")
    screenshot(page, "08-person-chronology-cy")

    tabs_cy.get_by_role("link", name="Crynodeb").click()
    page.wait_for_url(f"{base}/people/{e2e_world.dafydd}/")
    expect(page.locator("main h2").first).to_have_text("Crynodeb")
    check_axe(page, "person-summary-cy")
    screenshot(page, "08b-person-summary-cy")

    # And back to English.
    with page.expect_navigation():
        page.get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("main h2").first).to_have_text("Summary")


def test_team_manager_reads_the_access_log(page: Any, live_server: Any, e2e_world: World) -> None:
    base = live_server.url
    sign_in(page, base, "team.manager", e2e_world.password)
    page.goto(f"{base}/people/{e2e_world.dafydd}/")
    tabs = page.get_by_role("navigation", name="Sections of the record")
    tabs.get_by_role("link", name="Access log").click()
    page.wait_for_url(f"{base}/people/{e2e_world.dafydd}/access-log/")
    expect(page.locator("h2").first).to_have_text("Who has looked at this record")
    rows = page.locator("main table.govuk-table tbody tr")
    # Opening the summary, then the access log: both are recorded, newest first.
    assert rows.count() >= 2
    expect(rows.first).to_contain_text("Carys Huws")
    check_axe(page, "person-access-log")
    screenshot(page, "09-person-access-log")


def test_police_see_only_children_they_are_involved_with(
    page: Any, live_server: Any, e2e_world: World
) -> None:
    base = live_server.url
    sign_in(page, base, "police.officer", e2e_world.password)

    # Dyffryn Police are involved with Tomos, not with his brother or sister.
    search(page, base, "Pengelli")
    assert result_names(page) == ["Tomos Pengelli"]

    search(page, base, "Dafydd Pengelli")
    expect(page.locator("main h2")).to_have_text("No people found")
    assert result_names(page) == []
    check_axe(page, "search-no-results")
    screenshot(page, "10-police-search-no-results")

    response = page.goto(f"{base}/people/{e2e_world.dafydd}/")
    assert response is not None
    assert response.status == 404
    expect(page.locator("h1")).to_have_text("Page not found")
    expect(page.locator("main")).not_to_contain_text("Dafydd")
    check_axe(page, "not-found")
    screenshot(page, "11-police-not-found")

    for part in ("family/", "chronology/", "access-log/"):
        response = page.goto(f"{base}/people/{e2e_world.dafydd}/{part}")
        assert response is not None
        assert response.status == 404, part

    # The child they are involved with opens, without the access log they are not shown.
    response = page.goto(f"{base}/people/{e2e_world.tomos}/")
    assert response is not None
    assert response.status == 200
    tabs = page.get_by_role("navigation", name="Sections of the record")
    expect(tabs.get_by_role("link")).to_have_text(
        ["Summary", "Family", "Chronology", "Case notes", "Missing episodes"]
    )

    # Tomos's brother is on his family tab, but is not a link the police can follow.
    tabs.get_by_role("link", name="Family").click()
    page.wait_for_url(f"{base}/people/{e2e_world.tomos}/family/")
    family = page.locator("main table.govuk-table")
    expect(family).to_contain_text("Dafydd Pengelli")
    expect(family.get_by_role("link", name="Dafydd Pengelli")).to_have_count(0)
    expect(family.locator(f"a[href^='/people/{e2e_world.dafydd}/']")).to_have_count(0)
    check_axe(page, "person-family-police")
    screenshot(page, "12-police-family")


def test_user_with_no_involvements_sees_nobody(
    page: Any, live_server: Any, e2e_world: World
) -> None:
    base = live_server.url
    sign_in(page, base, "health.nurse", e2e_world.password)
    expect(page.locator("h1")).to_have_text("My work")

    for name in ("Pengelli", "Dafydd Pengelli", "Tomos"):
        search(page, base, name)
        expect(page.locator("main h2")).to_have_text("No people found")
        assert result_names(page) == [], name

    for person_id in (e2e_world.dafydd, e2e_world.tomos, e2e_world.mother):
        response = page.goto(f"{base}/people/{person_id}/")
        assert response is not None
        assert response.status == 404


def test_everything_works_without_javascript(
    page_without_js: Any, live_server: Any, e2e_world: World
) -> None:
    page = page_without_js
    base = live_server.url
    sign_in(page, base, "mash.practitioner", e2e_world.password)
    # GOV.UK Frontend marks the body when its JavaScript runs; here it must not have.
    expect(page.locator("body.govuk-frontend-supported")).to_have_count(0)
    expect(page.locator("h1")).to_have_text("My work")

    search(page, base, "David Pengelli")
    assert result_names(page) == ["Dafydd Pengelli"]
    page.get_by_role("link", name="Dafydd Pengelli").click()
    page.wait_for_url(f"{base}/people/{e2e_world.dafydd}/")
    expect(page.locator("h1")).to_contain_text("Dafydd Pengelli")

    tabs = page.get_by_role("navigation", name="Sections of the record")
    tabs.get_by_role("link", name="Family").click()
    page.wait_for_url(f"{base}/people/{e2e_world.dafydd}/family/")
    expect(page.locator("main table.govuk-table")).to_contain_text("Rhiannon Pengelli")
    screenshot(page, "13-no-js-family")

    with page.expect_navigation():
        page.get_by_role("button", name="Cymraeg").click()
    expect(page.locator("html")).to_have_attribute("lang", "cy")
    expect(page.locator("main h2").first).to_have_text("Teulu ac aelwyd")

    with page.expect_navigation():
        page.get_by_role("button", name="Allgofnodi").click()
    assert page.url == f"{base}/sign-in/"


def test_check_axe_fails_on_a_serious_violation(browser: Any) -> None:
    """The axe helper itself: a page with an unlabelled input and an image with no alt fails."""
    context = browser.new_context()
    try:
        page = context.new_page()
        page.set_content(
            '<html lang="en"><head><title>Broken</title></head><body><main><h1>Broken</h1>'
            '<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw="><input type="text">'
            "</main></body></html>"
        )
        with pytest.raises(pytest.fail.Exception, match=r"image-alt[\s\S]*label"):
            check_axe(page, "self-test: deliberately broken page")
    finally:
        context.close()
