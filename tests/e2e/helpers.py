"""Helpers for the browser tests: signing in, searching, screenshots and axe-core checks."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
AXE_JS = HERE / "vendor" / "axe.min.js"
SCREENSHOTS = ROOT / "test-results" / "screenshots"
WELSH_MO = ROOT / "diogelu" / "locale" / "cy" / "LC_MESSAGES" / "django.mo"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
BLOCKING_IMPACTS = {"serious", "critical"}


@dataclass(frozen=True)
class World:
    """What the browser tests look for, by primary key."""

    password: str
    dafydd: int  # a child with family and chronology; no police involvement
    sian: int  # Dafydd's sister, "Siân"
    tomos: int  # Dafydd's brother, whom Dyffryn Police are involved with
    mother: int


# Every axe violation seen in this run, blocking or not, for the summary at the end.
AXE_SEEN: dict[str, list[dict[str, Any]]] = {}


def sign_in(page: Any, base_url: str, username: str, password: str) -> None:
    """Sign in through the form and land on My work (MFA is off in DEBUG without a device)."""
    page.goto(f"{base_url}/sign-in/")
    page.fill("#username", username)
    page.fill("#password", password)
    page.get_by_role("button", name="Sign in", exact=True).click()
    page.wait_for_url(f"{base_url}/")


def search(page: Any, base_url: str, name: str = "") -> None:
    """Search for a person by name on the search page (an empty name submits an empty form)."""
    if page.url != f"{base_url}/people/":
        page.goto(f"{base_url}/people/")
    page.fill("#name", name)
    with page.expect_navigation():
        page.locator("form.app-search-form button").click()


def result_names(page: Any) -> list[str]:
    """The names in the search results table, in order."""
    links = page.locator("main table.govuk-table tbody td:first-child a")
    return [text.strip() for text in links.all_inner_texts()]


def screenshot(page: Any, name: str) -> Path:
    """Save a full-page screenshot to ``test-results/screenshots/<name>.png``."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{re.sub(r'[^A-Za-z0-9_.-]+', '-', name)}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


_axe_source: list[str] = []


def check_axe(page: Any, name: str = "") -> list[dict[str, Any]]:
    """Run axe-core on the page; fail on any serious or critical WCAG 2.2 AA violation.

    The app's CSP (``script-src 'self'``) blocks inline script tags, so axe is evaluated through
    ``page.evaluate`` (the DevTools protocol), which CSP does not apply to. It needs JavaScript on
    in the browser context. Returns the minor and moderate violations.
    """
    if not _axe_source:
        _axe_source.append(AXE_JS.read_text(encoding="utf-8"))
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(_axe_source[0])
    violations: list[dict[str, Any]] = page.evaluate(
        """async (tags) => {
            const result = await axe.run(document, {runOnly: {type: 'tag', values: tags}});
            return result.violations.map(v => ({
                id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.map(n => ({target: n.target, html: n.html})),
            }));
        }""",
        AXE_TAGS,
    )
    label = name or page.url
    AXE_SEEN[label] = violations
    blocking = [v for v in violations if v["impact"] in BLOCKING_IMPACTS]
    if blocking:
        report = json.dumps(blocking, indent=2, ensure_ascii=False)
        pytest.fail(f"axe found serious or critical violations on {label}:\n{report}")
    return [v for v in violations if v["impact"] not in BLOCKING_IMPACTS]


@contextmanager
def signed_in(
    browser: Any, base: str, username: str, password: str, *, prefix: str
) -> Iterator[Any]:
    """A fresh browser context (no cookies) signed in as ``username``; fails on any console error,
    CSP violation or asset 404, as the ``page`` fixture does. On failure, the page is saved as
    ``<prefix>-failed-<username>.png`` and ``.html`` beside the step screenshots."""
    from .conftest import TIMEOUT_MS

    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    problems: list[str] = []
    page.on("pageerror", lambda error: problems.append(f"uncaught: {error}"))
    page.on(
        "console",
        lambda msg: (
            problems.append(f"console {msg.type}: {msg.text}")
            if msg.type in ("error", "warning") and "Failed to load resource" not in msg.text
            else None
        ),
    )
    page.on(
        "response",
        lambda r: (
            problems.append(f"{r.status} for {r.url}")
            if r.status >= 400 and r.request.resource_type != "document"
            else None
        ),
    )
    try:
        sign_in(page, base, username, password)
        yield page
    except Exception:
        screenshot(page, f"{prefix}-failed-{username}")
        (SCREENSHOTS / f"{prefix}-failed-{username}.html").write_text(
            page.content(), encoding="utf-8"
        )
        raise
    finally:
        context.close()
    assert not problems, f"the browser reported problems for {username}:\n" + "\n".join(problems)


# --- Filling GOV.UK forms -----------------------------------------------------------------------


def group(page: Any, name: str) -> Any:
    """A fieldset (radios, checkboxes, a date) by its legend."""
    return page.get_by_role("group", name=name, exact=True)


def fill_date(page: Any, legend: str, day: Any) -> None:
    """Fill a GOV.UK date input (Day, Month, Year) found by its legend."""
    found = group(page, legend)
    found.get_by_label("Day").fill(str(day.day))
    found.get_by_label("Month").fill(str(day.month))
    found.get_by_label("Year").fill(str(day.year))


def submit(page: Any, button: str) -> None:
    """Press a button and wait for the page it leads to."""
    with page.expect_navigation():
        page.get_by_role("button", name=button, exact=True).click()


def success(page: Any, text: str) -> None:
    from playwright.sync_api import expect

    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(text)


def errors(page: Any, text: str) -> None:
    from playwright.sync_api import expect

    expect(page.locator(".govuk-error-summary")).to_contain_text(text)
