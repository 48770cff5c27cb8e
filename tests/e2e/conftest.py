"""Browser tests: Debian's chromium driven by Playwright against pytest-django's live server.

Playwright cannot download its own browsers here, so the tests launch ``/usr/bin/chromium``; they
are skipped (with the reason shown) only when that binary is missing, and never under CI (``CI`` or
``DIOGELU_REQUIRE_BROWSER=1`` set): there a missing browser is a failure, since CI installs it.

Every test gets a fresh database (``live_server`` needs ``transactional_db``) holding a small demo
authority plus the Pengelli family, a worked example made for these tests.
"""

from __future__ import annotations

import datetime
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from .helpers import World

# Playwright's sync API runs an asyncio event loop in this thread; the ORM calls the fixtures make
# here would otherwise be refused as "async unsafe".
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
]
# Each browser action waits at most this long: generous, because on a loaded two-core CI machine
# a page that takes 1 s alone can take 10 s or more (a wait only costs time when it fails).
TIMEOUT_MS = 30_000


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if CHROMIUM.exists():
        return
    if os.environ.get("DIOGELU_REQUIRE_BROWSER") == "1" or os.environ.get("CI"):
        raise pytest.UsageError(
            f"{CHROMIUM} is required under CI (CI or DIOGELU_REQUIRE_BROWSER=1) but missing"
        )
    skip = pytest.mark.skip(reason=f"{CHROMIUM} is not installed (apt-get install chromium)")
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(skip)


# --- The browser --------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def _new_page(browser: Any, **context_options: Any) -> Iterator[Any]:
    context = browser.new_context(
        viewport={"width": 1280, "height": 900}, locale="en-GB", **context_options
    )
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    problems: list[str] = []
    page.on("pageerror", lambda error: problems.append(f"uncaught: {error}"))

    def on_console(msg: Any) -> None:
        # Pages answering 400 or 404 on purpose are logged as failed loads: those are judged by
        # on_response, which only counts assets.
        if msg.type in ("error", "warning") and "Failed to load resource" not in msg.text:
            problems.append(f"console {msg.type}: {msg.text}")

    def on_response(response: Any) -> None:
        if response.status >= 400 and response.request.resource_type != "document":
            problems.append(f"{response.status} for {response.url}")

    page.on("console", on_console)
    page.on("response", on_response)
    yield page
    context.close()
    # A script blocked by the CSP, a 404 for an asset or a JavaScript error shows up here.
    assert not problems, "the browser reported problems:\n" + "\n".join(problems)


@pytest.fixture
def page(browser: Any, live_server: Any, e2e_world: World) -> Iterator[Any]:
    """A fresh browser context (no cookies) with JavaScript on."""
    yield from _new_page(browser)


@pytest.fixture
def page_without_js(browser: Any, live_server: Any, e2e_world: World) -> Iterator[Any]:
    """A fresh browser context with JavaScript off, as some users and assistive set-ups have."""
    yield from _new_page(browser, java_script_enabled=False)


# --- Data ---------------------------------------------------------------------------------------


@pytest.fixture
def e2e_world(transactional_db: None, settings: Any) -> World:
    """The demo authority (12 households) plus the Pengelli family."""
    # Argon2 is deliberately slow; the demo loader hashes twenty passwords for every test.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    from django.utils import timezone

    from diogelu.access.models import Involvement, InvolvementReason, Part
    from diogelu.accounts.models import Agency, User
    from diogelu.chronology.models import Audience, ChronologyEvent, EventKind
    from diogelu.demo import data
    from diogelu.demo.loader import load_demo
    from diogelu.people.models import Address, Person, Relationship, RelationshipKind, Sex

    load_demo(households=12)
    authority = Agency.objects.get(code=data.AUTHORITY_CODE)
    police = Agency.objects.get(code="dyffryn-police")
    school = Agency.objects.get(code="ysgol-y-dderwen")
    recorder = User.objects.get(username="mash.practitioner")

    def person(ref: str, given: str, born: datetime.date, sex: str) -> Person:
        made = Person(
            authority=authority,
            la_reference=f"E2E-{ref}",
            given_name=given,
            family_name="Pengelli",
            date_of_birth=born,
            sex=sex,
            nhs_number="",
        )
        made.save()
        Address.objects.create(
            person=made, line_1="7 Heol y Nant", town="Glanrafon", postcode="CF31 4QX"
        )
        return made

    mother = person("0001", "Rhiannon", datetime.date(1988, 6, 2), Sex.FEMALE)
    dafydd = person("0002", "Dafydd", datetime.date(2015, 3, 27), Sex.MALE)
    sian = person("0003", "Siân", datetime.date(2017, 9, 14), Sex.FEMALE)
    tomos = person("0004", "Tomos", datetime.date(2012, 1, 9), Sex.MALE)
    for child in (dafydd, sian, tomos):
        Relationship.objects.create(
            person=child,
            relative=mother,
            kind=RelationshipKind.MOTHER,
            has_parental_responsibility=True,
            lives_with=True,
        )
    for older, younger in ((tomos, dafydd), (tomos, sian), (dafydd, sian)):
        Relationship.objects.create(
            person=older, relative=younger, kind=RelationshipKind.SIBLING, lives_with=True
        )
    now = timezone.now()
    everyone, la_only = Audience.ALL_INVOLVED, Audience.LOCAL_AUTHORITY
    for days, kind, title, source, audience in [
        (40, EventKind.SCHOOL, "Attendance below 80% this term", school, everyone),
        (12, EventKind.CONTACT, "Contact from a neighbour", authority, la_only),
        (3, EventKind.NOTE, "Family support offered and accepted", authority, everyone),
    ]:
        ChronologyEvent.objects.create(
            person=dafydd,
            occurred_at=now - datetime.timedelta(days=days),
            kind=kind,
            title=title,
            source_agency=source,
            audience=audience,
        )
    Involvement.objects.create(
        person=tomos,
        agency=police,
        reason=InvolvementReason.ASKED_FOR_INFORMATION,
        parts=[Part.SUMMARY, Part.FAMILY, Part.CHRONOLOGY],
        recorded_by=recorder,
    )
    return World(
        password=data.DEMO_PASSWORD,
        dafydd=dafydd.pk,
        sian=sian.pk,
        tomos=tomos.pk,
        mother=mother.pk,
    )


def pytest_terminal_summary(terminalreporter: Any) -> None:
    """List what axe-core found on each page checked, even when none of it failed a test."""
    from .helpers import AXE_SEEN

    if not AXE_SEEN:
        return
    terminalreporter.section("axe-core (WCAG 2.2 AA)")
    for page_name, violations in AXE_SEEN.items():
        found = ", ".join(f"{v['id']} ({v['impact']}, {len(v['nodes'])})" for v in violations)
        terminalreporter.write_line(f"{page_name}: {found or 'no violations'}")
