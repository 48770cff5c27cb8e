"""Daily casework in a real browser (issue 10): a social worker corrects a child's date of birth,
adds the mother (found, not duplicated) and the mother's partner (new), writes a case note,
records a missing episode with its return interview and finds a registered child from the register
list; then the same pages in Cymraeg, with no English label and no ISO date left on them. axe
checks every page; screenshots go to test-results/screenshots/record-*.png."""

from __future__ import annotations

import datetime
import re
from typing import Any

import pytest
from playwright.sync_api import expect

from .helpers import World, check_axe, fill_date, screenshot, sign_in, submit, success

pytestmark = pytest.mark.browser

ISO_DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")
#: English labels of the new pages that must not remain once the page is in Welsh.
ENGLISH = [
    "Change details",
    "Date of birth",
    "Why are you making this change?",
    "Changes to this record",
    "Missing episodes",
    "Case notes",
    "Write a case note",
    "Record a missing episode",
    "Add a family member",
    "Children on the child protection register",
    "Registered on",
    "Next review conference",
    "Lead practitioner",
    "Apply filters",
    "What the child said",
    "Return interview",
    "Save",
]


def _shot(page: Any, name: str) -> None:
    check_axe(page, f"record-{name}")
    screenshot(page, f"record-{name}")


def test_daily_casework_journey(page: Any, live_server: Any, e2e_world: World) -> None:
    from django.utils import timezone

    from diogelu.conferences.models import RegisterEpisode
    from diogelu.people.models import Person, Relationship

    base = live_server.url
    today = timezone.localdate()
    # Tomos's mother is known to the authority but not yet linked to him.
    Relationship.objects.filter(person_id=e2e_world.tomos, relative_id=e2e_world.mother).delete()
    registered = RegisterEpisode.objects.filter(ended_at__isnull=True).select_related("person")
    child = registered.first()
    assert child is not None
    sign_in(page, base, "social.worker", e2e_world.password)

    # 1. Correct Dafydd's date of birth (27 March 2015 → 28 March 2015), with a reason.
    page.goto(f"{base}/people/{e2e_world.dafydd}/")
    page.get_by_role("link", name="Change details").click()
    expect(page.locator("main h2").first).to_have_text("Change details")
    found = page.get_by_role("group", name="Date of birth", exact=True)
    found.get_by_label("Day").fill("28")
    page.get_by_label("Why are you making this change?").fill("Birth certificate seen at visit")
    _shot(page, "01-change-details")
    submit(page, "Save changes")
    success(page, "The record has been changed")
    changes = page.locator("#changes + table")
    expect(changes).to_contain_text("27 March 2015")
    expect(changes).to_contain_text("28 March 2015")
    expect(changes).to_contain_text("Birth certificate seen at visit")
    _shot(page, "02-change-history")

    # 1b. Every name and address, past and current: correct an address, with a reason.
    page.get_by_role("link", name="Every name and address, past and current").click()
    expect(page.locator("main h2").first).to_have_text("Names and addresses")
    _shot(page, "02b-names-addresses")
    page.locator("main a[href*='/addresses/change/']").first.click()
    expect(page.locator("main h2").first).to_have_text("Change an address")
    page.get_by_label("Address line 2").fill("Fflat 2")
    page.get_by_label("Why are you making this change?").fill("Flat number missing")
    _shot(page, "02c-change-address")
    submit(page, "Save the change")
    success(page, "The address has been changed")
    expect(page.locator("main table").last).to_contain_text("Fflat 2")

    # 2. Add Tomos's mother: the search finds Rhiannon, so nobody is recorded twice.
    people_before = Person.objects.count()
    page.goto(f"{base}/people/{e2e_world.tomos}/family/")
    page.get_by_role("link", name="Add a family member or household member").click()
    page.get_by_label("Given name").fill("Rhiannon")
    page.get_by_label("Family name").fill("Pengelli")
    page.get_by_label("What are they to this person?").select_option(label="Mother")
    page.get_by_label("Has parental responsibility").check()
    page.get_by_label("Lives in the same household").check()
    page.get_by_label("Why are you adding them?").fill("Mother confirmed at the home visit")
    submit(page, "Search for this person")
    choices = page.get_by_role("group", name="Is it one of these people?")
    expect(choices).to_contain_text("Rhiannon Pengelli")
    _shot(page, "03-relative-search")
    page.get_by_role("radio", name=re.compile("^Rhiannon Pengelli")).check()
    submit(page, "Add to the family")
    success(page, "The family member has been added")
    assert Person.objects.count() == people_before

    # ... and the mother's partner, who is new: created only after the search found nobody.
    page.get_by_role("link", name="Add a family member or household member").click()
    page.get_by_label("Given name").fill("Idris")
    page.get_by_label("Family name").fill("Cadwaladr-Thomas")
    page.get_by_label("What are they to this person?").select_option(label="Parent's partner")
    page.get_by_label("Lives in the same household").check()
    page.get_by_label("Why are you adding them?").fill("Mother's partner, living at the address")
    submit(page, "Search for this person")
    expect(page.get_by_role("group", name="Nobody matching was found")).to_be_visible()
    submit(page, "Add to the family")
    success(page, "The family member has been added")
    family = page.locator("main table")
    expect(family).to_contain_text("Rhiannon Pengelli")
    expect(family).to_contain_text("Idris Cadwaladr-Thomas")
    expect(family).to_contain_text("Parent's partner")
    assert Person.objects.count() == people_before + 1
    _shot(page, "04-family")

    # 3. A case note on Dafydd, with his words.
    page.goto(f"{base}/people/{e2e_world.dafydd}/notes/")
    page.get_by_role("link", name="Write a case note").click()
    page.get_by_label("Visit", exact=True).check()
    yesterday = today - datetime.timedelta(days=1)
    fill_date(page, "Date of the contact", yesterday)
    page.get_by_label("Time of the contact").fill("16:15")
    page.get_by_label("What happened").fill("After-school visit. Dafydd showed me his room.")
    page.get_by_label("The child was seen or spoken to").check()
    page.get_by_label("The child's words").fill("I like it when Nain picks me up.")
    page.get_by_label("Every involved agency").check()
    _shot(page, "05-case-note-form")
    submit(page, "Save the case note")
    success(page, "The case note has been saved")
    expect(page.locator("main")).to_contain_text("I like it when Nain picks me up.")
    _shot(page, "06-case-notes")

    # 4. A missing episode for Tomos, then his return and the return interview.
    page.goto(f"{base}/people/{e2e_world.tomos}/missing/")
    page.get_by_role("link", name="Record a missing episode").click()
    page.get_by_role("radio", name="Missing – whereabouts not known").check()
    two_days = today - datetime.timedelta(days=2)
    fill_date(page, "Date they went missing", two_days)
    page.get_by_label("Time they went missing").fill("21:30")
    page.get_by_label("Reported to the police").check()
    page.get_by_label("Police reference").fill("DP-2026-0412")
    submit(page, "Save the missing episode")
    success(page, "The missing episode has been saved")
    page.get_by_role("link", name="Record the return and the return interview").click()
    fill_date(page, "Date they returned or were found", yesterday)
    page.get_by_label("Time they returned or were found").fill("07:10")
    page.get_by_label("Where they were found").fill("A friend's flat in Aberdewi")
    fill_date(page, "Return interview offered on", yesterday)
    page.get_by_role("group", name="Did the child accept the return interview?").get_by_label(
        "Yes"
    ).check()
    fill_date(page, "Return interview held on", today)
    page.get_by_label("Who held the return interview").fill("Independent return interviewer")
    page.get_by_label("What the child said", exact=True).fill("I went because I was scared.")
    _shot(page, "07-missing-return")
    submit(page, "Save the missing episode")
    success(page, "The missing episode has been saved")
    expect(page.locator("main")).to_contain_text("I went because I was scared.")
    _shot(page, "08-missing-episodes")
    page.goto(f"{base}/people/{e2e_world.tomos}/")
    expect(page.locator("#missing + p")).to_contain_text("1 missing or absent episode recorded")

    # 5. Find the registered child from the register list.
    page.get_by_role("link", name="Register", exact=True).click()
    expect(page.locator("h1")).to_have_text("Children on the child protection register")
    _shot(page, "09-register-list")
    page.get_by_role("link", name=child.person.full_name, exact=True).click()
    expect(page.locator("h1")).to_contain_text(child.person.full_name)
    expect(page.locator("#child-protection")).to_be_visible()

    # The same pages in Cymraeg: no English label and no ISO date left on them.
    with page.expect_navigation():
        page.get_by_role("button", name="Cymraeg").click()
    expect(page.locator("html")).to_have_attribute("lang", "cy")
    welsh_pages = {
        "10-cy-change-details": f"/people/{e2e_world.dafydd}/edit/",
        "11-cy-summary": f"/people/{e2e_world.dafydd}/",
        "11b-cy-names-addresses": f"/people/{e2e_world.dafydd}/names-and-addresses/",
        "12-cy-add-relative": f"/people/{e2e_world.tomos}/family/add/",
        "13-cy-case-notes": f"/people/{e2e_world.dafydd}/notes/",
        "14-cy-case-note-form": f"/people/{e2e_world.dafydd}/notes/write/",
        "15-cy-missing": f"/people/{e2e_world.tomos}/missing/",
        "16-cy-missing-form": f"/people/{e2e_world.tomos}/missing/record/",
        "17-cy-register": "/register/",
    }
    for name, path in welsh_pages.items():
        page.goto(f"{base}{path}")
        expect(page.locator("html")).to_have_attribute("lang", "cy")
        text = page.locator("main").inner_text()
        left = [phrase for phrase in ENGLISH if phrase in text]
        assert not left, f"{path} still says {left} in Cymraeg"
        assert not ISO_DATE.search(text), f"{path} shows an ISO date in Cymraeg"
        _shot(page, name)
