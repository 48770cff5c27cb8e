"""Credentials in a real browser, with axe-core on every page: an administrator adds a user, who
sets their own password through the emailed link; "Forgot your password?"; changing a password;
the pages in Welsh."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import expect

from .helpers import World, check_axe, screenshot, sign_in

pytestmark = pytest.mark.browser

LINK = re.compile(r"http://[^/\s]+(/set-password/[0-9a-f]+\.[0-9a-f]+/)")
NEW_PASSWORD = "Glanrafon-river-otter-19"


def _emailed_link(to: str) -> str:
    from django.core import mail

    from diogelu.notifications.delivery import deliver_pending

    # CI runs with Redis, where no worker delivers during the test: deliver the whole backlog (the
    # demo leaves more than one batch pending).
    while deliver_pending(limit=1000):
        pass
    bodies = [m.body for m in mail.outbox if to in m.to]
    assert bodies, f"no email to {to}"
    match = LINK.search(bodies[-1])
    assert match
    return match.group(1)


def test_a_new_user_sets_their_own_password_and_changes_it(
    page: Any, live_server: Any, e2e_world: World
) -> None:
    base = live_server.url
    sign_in(page, base, "admin", e2e_world.password)
    page.goto(f"{base}/admin/agencies/")
    page.get_by_role("link", name=re.compile("Dyffryn")).first.click()
    page.get_by_role("button", name="Add a user").click()
    expect(page.locator("h1")).to_have_text("Add a user")
    expect(page.locator("main")).to_contain_text("We will email them a link")
    check_axe(page, "add-user")
    page.fill("#first_name", "Elin")
    page.fill("#last_name", "Morgan")
    page.fill("#username", "elin.morgan")
    page.fill("#email", "elin.morgan@police.invalid")
    page.get_by_label("Police officer").check()
    page.get_by_role("button", name="Add user").click()
    expect(page.locator("main")).to_contain_text("emailed a link to set their password")
    page.get_by_role("button", name="Sign out").first.click()

    page.goto(base + _emailed_link("elin.morgan@police.invalid"))
    expect(page).to_have_url(f"{base}/set-password/")
    expect(page.locator("h1")).to_have_text("Set your password")
    check_axe(page, "set-password")
    screenshot(page, "credentials-01-set-password")
    page.fill("#new_password", "Password2026!")
    page.fill("#confirm_password", "Password2026!")
    page.get_by_role("button", name="Set password").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("published after a data breach")
    check_axe(page, "set-password-errors")
    screenshot(page, "credentials-02-set-password-errors")
    page.fill("#new_password", NEW_PASSWORD)
    page.fill("#confirm_password", NEW_PASSWORD)
    page.get_by_role("button", name="Set password").click()
    expect(page.locator("h1")).to_have_text("My work")

    page.goto(f"{base}/account/")
    page.get_by_role("link", name="Change your password").click()
    expect(page.locator("h1")).to_have_text("Change your password")
    check_axe(page, "change-password")
    page.fill("#current_password", NEW_PASSWORD)
    page.fill("#new_password", NEW_PASSWORD + "-2")
    page.fill("#confirm_password", NEW_PASSWORD + "-3")
    page.get_by_role("button", name="Change password").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("The passwords do not match")
    check_axe(page, "change-password-errors")
    screenshot(page, "credentials-03-change-password-errors")
    page.fill("#current_password", NEW_PASSWORD)
    page.fill("#new_password", NEW_PASSWORD + "-2")
    page.fill("#confirm_password", NEW_PASSWORD + "-2")
    page.get_by_role("button", name="Change password").click()
    expect(page.locator("h1")).to_have_text("Your account")
    expect(page.locator("main")).to_contain_text("Your password has been changed")


def test_forgot_password_in_english_and_welsh(
    page: Any, live_server: Any, e2e_world: World
) -> None:
    base = live_server.url
    page.goto(f"{base}/sign-in/")
    page.get_by_role("link", name="Forgot your password?").click()
    expect(page.locator("h1")).to_have_text("Forgot your password?")
    check_axe(page, "forgot-password")
    page.get_by_role("button", name="Send the link").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Enter your username or email address"
    )
    check_axe(page, "forgot-password-errors")
    page.fill("#identifier", "nobody-at-all")
    page.get_by_role("button", name="Send the link").click()
    expect(page.locator("h1")).to_have_text("Check your email")
    check_axe(page, "forgot-password-sent")
    screenshot(page, "credentials-04-check-your-email")

    page.goto(f"{base}/set-password/not-a-real-link/")
    expect(page.locator("h1")).to_have_text("This link does not work")
    check_axe(page, "link-invalid")

    page.goto(f"{base}/forgot-password/")
    with page.expect_navigation():
        page.get_by_role("button", name="Cymraeg").click()
    expect(page.locator("html")).to_have_attribute("lang", "cy")
    expect(page.locator("h1")).to_have_text("Wedi anghofio eich cyfrinair?")
    check_axe(page, "forgot-password-cy")
    screenshot(page, "credentials-05-forgot-password-cy")
