"""From a determination 3 to de-registration, in a real browser, one signed-in browser per person.

Siân Pengelli's section 47 enquiry ends in determination 3 (set up through the services: the MASH
journey drives those pages) → the social worker convenes the initial conference from the enquiry
and invites the police, the health visitor, the school, the mother and Siân (with the offer of an
advocate) → the police and the health visitor send their reports from My work → on the day, the
quorum check asks for a third agency → the conference registers Siân under two categories (after
refusing a registration with none) → the record is circulated, its PDF downloaded and looked at,
and the police acknowledge it from My work → a health practitioner checks the register → the plan
is drafted, the quality check lists what is missing, it is fixed and published → the first core
group rates progress → visits; one falls overdue and shows on the team manager's My work → the
review conference refuses to de-register without reasons, then de-registers → the police can no
longer read the plan.

The clock is moved with time_machine (forward from today, so the browser keeps its cookies).
Each step is screenshotted (``test-results/screenshots/conf-NN-*.png``), the PDF's first pages are
rendered to PNG beside them, and the key pages are checked with axe-core.
"""

from __future__ import annotations

import datetime
import re
import subprocess
from collections.abc import Iterator
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from playwright.sync_api import expect

from .helpers import SCREENSHOTS, World, check_axe, screenshot, signed_in
from .helpers import errors as _errors
from .helpers import fill_date as _fill_date
from .helpers import group as _group
from .helpers import submit as _submit
from .helpers import success as _success

pytestmark = [pytest.mark.browser, pytest.mark.slow(seconds=90)]

LONDON = ZoneInfo("Europe/London")
CHILD = "Siân Pengelli"
MOTHER = "Rhiannon Pengelli"


def _at(day: datetime.date, hh: int, mm: int = 0) -> datetime.datetime:
    return datetime.datetime(day.year, day.month, day.day, hh, mm, tzinfo=LONDON)


@pytest.fixture
def start() -> datetime.datetime:
    """A Monday at 07:00 at least a week ahead: every moment of the journey is after the real
    now, so the cookies the server sets do not look expired to the browser."""
    from diogelu import procedures as calendar

    day = datetime.datetime.now(LONDON).date() + datetime.timedelta(days=7)
    day += datetime.timedelta(days=(7 - day.weekday()) % 7)
    while not calendar.is_working_day(day):
        day += datetime.timedelta(days=7)
    return _at(day, 7)


@pytest.fixture
def clock(start: datetime.datetime) -> Iterator[Any]:
    with time_machine.travel(start, tick=True) as traveller:
        yield traveller


def _determination_3(world: World, clock: Any, start: datetime.datetime) -> int:
    """The police report Siân; strategy meeting; joint s47; seen alone; determination 3."""
    from diogelu.accounts.models import Agency, User
    from diogelu.demo import data
    from diogelu.demo.casework import submit_report_about
    from diogelu.enquiries import services as enquiries
    from diogelu.enquiries.models import S47Kind
    from diogelu.people.models import Person
    from diogelu.referrals import services as referrals
    from diogelu.referrals.models import Outcome

    users = {u.username: u for u in User.objects.all()}
    authority = Agency.objects.get(code=data.AUTHORITY_CODE)
    police = Agency.objects.get(code="dyffryn-police")
    sian = Person.objects.get(pk=world.sian)
    report = submit_report_about(
        users["police.officer"],
        authority,
        [sian],
        "Officers attended a domestic incident; Siân had a bruise on her arm.",
        ["PHYSICAL", "EMOTIONAL"],
        ["DOMESTIC_ABUSE"],
    )
    child = report.children.get()
    referrals.link_child(actor=users["mash.practitioner"], child=child, person=sian)
    decision = referrals.record_decision(
        actor=users["mash.practitioner"],
        report=report,
        outcome=Outcome.STRATEGY_DISCUSSION,
        rationale="Injury to a child during a domestic incident.",
    )
    referrals.authorise_decision(actor=users["mash.manager"], decision=decision, note="Agreed.")
    clock.move_to(start + datetime.timedelta(hours=1))
    enquiries.record_strategy_discussion(
        actor=users["mash.practitioner"],
        report=report,
        kind="MEETING",
        medium="VIDEO",
        held_at=start + datetime.timedelta(minutes=30),
        chair=users["mash.manager"],
        information_shared="Police: third incident this year. School: Siân quiet and withdrawn.",
        participants=[
            {"agency": authority, "name": "Gareth Llewelyn", "role": "MASH manager"},
            {"agency": police, "name": "DC Dylan Harries", "role": "Detective constable"},
        ],
        child_decisions=[
            {"child": child, "s47": S47Kind.JOINT, "reasons": "Injury during domestic abuse."}
        ],
        lead_social_worker=users["social.worker"],
    )
    enquiry = report.enquiries.get()
    enquiries.record_child_seen(
        actor=users["social.worker"],
        enquiry=enquiry,
        seen_at=start + datetime.timedelta(minutes=50),
        seen_alone=True,
        child_views="I don't like it when they shout. I hide in my room.",
    )
    enquiries.record_determination(
        actor=users["social.worker"],
        enquiry=enquiry,
        determination="3",
        rationale="Substantiated, with a continuing risk of physical and emotional harm.",
    )
    return int(enquiry.pk)


def _confirm_then_download(page: Any, link: Any, password: str, shot: str = "") -> Any:
    """Click a PDF link: the download first asks "Confirm it's you" (step-up before export), then
    the password brings the download."""
    link.click()
    page.wait_for_url(re.compile(r"/confirm-identity/\?next="))
    expect(page.locator("h1")).to_have_text("Confirm it’s you")
    if shot:
        check_axe(page, "confirm-identity")
        screenshot(page, shot)
    page.fill("#password", password)
    with page.expect_download() as download_info:
        page.get_by_role("button", name="Continue").click()
    return download_info.value


def _pdf_to_png(pdf: bytes, name: str) -> list[str]:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.pdf"
    path.write_bytes(pdf)
    subprocess.run(
        ["pdftoppm", "-png", "-r", "70", "-f", "1", "-l", "3", str(path), str(SCREENSHOTS / name)],
        check=True,
    )
    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True, text=True
    ).stdout
    return [text]


def test_conference_journey_from_determination_3_to_deregistration(
    browser: Any, live_server: Any, e2e_world: World, start: datetime.datetime, clock: Any
) -> None:
    from diogelu import procedures
    from diogelu import procedures as calendar

    base = live_server.url
    password = e2e_world.password

    def as_user(username: str) -> Any:
        return signed_in(browser, base, username, password, prefix="conf")

    enquiry_id = _determination_3(e2e_world, clock, start)
    day0 = start.date()
    clock.move_to(_at(day0, 9))
    booked = calendar.add_working_days(day0, 7)

    # --- 1. The social worker convenes the conference and invites everyone --------------------
    with as_user("social.worker") as page:
        page.goto(f"{base}/enquiries/{enquiry_id}/")
        page.get_by_role("button", name="Convene the conference").click()
        expect(page.locator("h1")).to_have_text("Convene a child protection conference")
        _group(page, "Kind of conference").get_by_label(
            "Initial child protection conference"
        ).check()
        _fill_date(page, "Date booked (optional)", booked)
        page.get_by_label("Time booked (optional)").fill("10:00")
        _submit(page, "Convene the conference")
        _success(page, "Conference convened")
        expect(page.locator("h1")).to_have_text("Initial child protection conference")
        conference_url = page.url
        screenshot(page, "conf-01-convened")

        invitations = [
            ("Agency or professional", "Dyffryn Police", "Dylan Harries (Dyffryn Police)", ""),
            (
                "Agency or professional",
                "Glanrafon University Health Board",
                "Angharad Vaughan (Glanrafon University Health Board)",
                "Health visitor",
            ),
            ("Agency or professional", "Ysgol Gynradd y Dderwen", "", ""),
            (
                "Agency or professional",
                "Glanrafon County Borough Council Children's Services",
                "Nia Pritchard (Glanrafon County Borough Council Children's Services)",
                "Social work",
            ),
            ("Family member", "", "", ""),
            ("The child", "", "", ""),
        ]
        for kind, agency, user, group in invitations:
            page.get_by_role("link", name="Invite an agency, family member or the child").click()
            expect(page.locator("h1")).to_have_text("Invite to the conference")
            _group(page, "Who is invited?").get_by_label(kind, exact=True).check()
            if agency:
                page.get_by_label("Agency", exact=True).select_option(label=agency)
            if user:
                page.get_by_label("Named practitioner (optional)").select_option(label=user)
            if group:
                page.get_by_label("Professional group (optional)").fill(group)
            if kind == "Family member":
                page.get_by_label("Child or family member").select_option(label=MOTHER)
            if kind == "The child":
                page.get_by_label("Child or family member").select_option(label=CHILD)
                page.get_by_label(
                    "An independent professional advocate was offered to the child"
                ).check()
                page.get_by_label("Did the child accept an advocate?").select_option(label="Yes")
                check_axe(page, "conference-invite")
                screenshot(page, "conf-02-invite-the-child")
            _submit(page, "Record the invitation")
            _success(page, "Invitation recorded")
        table = page.locator("#invitations + table, #invitations ~ table").first
        expect(table).to_contain_text("Dyffryn Police")
        expect(table).to_contain_text(MOTHER)
        expect(table).to_contain_text("advocate offered: accepted")
        check_axe(page, "conference-show-convened")
        screenshot(page, "conf-03-invitations")

    # --- 2. The police and the health visitor send their reports from My work ----------------
    for username, shot, text in (
        (
            "police.officer",
            "04",
            "Three domestic incidents at the address this year; the step-father was arrested once.",
        ),
        (
            "health.visitor",
            "05",
            "Siân's growth is on track; two missed appointments; mother low in mood.",
        ),
    ):
        with as_user(username) as page:
            page.get_by_role(
                "link", name="Send your report for the initial child protection conference"
            ).click()
            page.get_by_role("link", name="Submit your agency's report").click()
            expect(page.locator("h1")).to_have_text("Report for the conference")
            _submit(page, "Submit the report")
            _errors(page, "Write your agency's report")
            page.get_by_label("Your agency's report for the conference").fill(text)
            _submit(page, "Submit the report")
            _success(page, "Report submitted")
            screenshot(page, f"conf-{shot}-{username.split('.')[0]}-report-sent")

    # --- 3. The day of the conference: attendance, the quorum, the decision -----------------------
    clock.move_to(_at(booked, 12))
    first_core_group = calendar.add_working_days(booked, 8)
    review_on = booked + datetime.timedelta(days=60)
    with as_user("social.worker") as page:
        page.goto(conference_url)
        attendance = {
            "Dylan Harries": "Attended",
            "Angharad Vaughan": "Sent apologies",
            "Ysgol Gynradd y Dderwen": "Sent apologies",
            "Nia Pritchard": "Attended",
            MOTHER: "Attended",
            CHILD: "Sent apologies",
        }
        for name, answer in attendance.items():
            page.get_by_role("link", name=f"Record attendance for {name}").click()
            _group(page, "Did they attend?").get_by_label(answer, exact=True).check()
            _submit(page, "Record attendance")
            _success(page, "Attendance recorded")
        expect(page.locator("main")).to_contain_text("Needs the chair's reason")
        screenshot(page, "conf-06-quorum-two-agencies")
        # The health visitor joined by phone after all: three agencies.
        page.get_by_role("link", name="Record attendance for Angharad Vaughan").click()
        _group(page, "Did they attend?").get_by_label("Attended", exact=True).check()
        _submit(page, "Record attendance")
        expect(page.locator("main")).to_contain_text("Quorate")

        page.get_by_role("link", name="Record the conference held").click()
        expect(page.locator("h1")).to_have_text("Record the conference held")
        _fill_date(page, "Date held", booked)
        page.get_by_label("Time it started").fill("10:00")
        page.get_by_label("Chair", exact=True).select_option(label="Bethan Rowlands")
        page.get_by_label(f"{CHILD}'s views").fill(
            "Siân told her advocate she is scared when the adults shout and wants it to stop."
        )
        _group(page, f"How were {CHILD}'s views obtained?").get_by_label(
            "Through an advocate"
        ).check()
        page.get_by_label("The parents' views").fill("Mother accepts help; wants Siân safe.")
        _group(page, f"Is {CHILD} placed on the register?").get_by_label("Yes").check()
        page.get_by_label("Reasons for the decision").fill(
            "Siân is likely to suffer significant physical and emotional harm without a plan."
        )
        page.get_by_label("Lead practitioner (if registered)").select_option(label="Nia Pritchard")
        for member in ("Dylan Harries", "Angharad Vaughan", "Ysgol Gynradd y Dderwen", MOTHER):
            page.locator(".govuk-checkboxes__item", has_text=member).locator("input").check()
        _fill_date(page, "Date of the first core group (if registered)", first_core_group)
        _fill_date(page, "Date of the review conference (if registered)", review_on)
        page.get_by_label("Contingency plan (if registered)").fill(
            "Any new injury or incident: a strategy discussion the same day."
        )
        page.get_by_label("Summary of decisions and outline plan").fill(
            "Registered under physical and emotional abuse; outline plan agreed."
        )
        # Registering with no category is refused and nothing is saved.
        _submit(page, "Record the conference")
        _errors(page, "Choose at least one category of abuse or neglect to register the child")
        check_axe(page, "conference-hold-error")
        screenshot(page, "conf-07-hold-no-category")
        categories = _group(page, "Categories of abuse or neglect (if registered)")
        categories.get_by_label("Physical abuse").check()
        categories.get_by_label("Emotional or psychological abuse").check()
        _submit(page, "Record the conference")
        _success(page, "Conference recorded")
        expect(page.locator("#decisions ~ dl").first).to_contain_text("On the register")
        expect(page.locator("main")).to_contain_text(
            "Emotional or psychological abuse, Physical abuse"
        )
        screenshot(page, "conf-08-registered")

        # --- 4. The record is circulated; its PDF is downloaded and looked at ------------------
        _submit(page, "Circulate the record")
        _success(page, "Record sent to")
        expect(page.locator("#circulation ~ table").first).to_contain_text("Dylan Harries")
        screenshot(page, "conf-09-circulated")
        download = _confirm_then_download(
            page,
            page.locator("#record-pdf").get_by_role("link", name="Welsh and English"),
            password,
            "conf-09b-confirm-identity",
        )
        assert download.suggested_filename.endswith(".pdf")
        assert "Pengelli" not in download.suggested_filename
        pdf = open(download.path(), "rb").read()  # noqa: SIM115
        text = _pdf_to_png(pdf, "conf-10-record-pdf")[0]
        assert CHILD in text
        assert "Physical abuse" in text
        assert "SWYDDOGOL-SENSITIF" in text  # the Welsh half comes first
        assert text.index("SWYDDOGOL-SENSITIF") < text.index("OFFICIAL-SENSITIVE")

    with as_user("police.officer") as page:
        page.get_by_role(
            "link",
            name="Read and acknowledge the record of the initial child protection conference",
        ).click()
        expect(page.locator("h1")).to_have_text("Record of the initial child protection conference")
        check_axe(page, "conference-record")
        _submit(page, "Acknowledge that I have read the record")
        _success(page, "Record acknowledged")
        screenshot(page, "conf-11-police-acknowledged")

    # --- 5. A health practitioner checks the register ------------------------------------------
    with as_user("health.nurse") as page:
        page.goto(f"{base}/register/check/")
        page.get_by_label("Why are you checking?").fill("Attending the emergency department.")
        page.get_by_label("First name").fill("Siân")
        page.get_by_label("Last name").fill("Pengelli")
        _fill_date(page, "Date of birth", datetime.date(2017, 9, 14))
        _submit(page, "Check the register")
        expect(page.locator(".govuk-panel")).to_contain_text("On the child protection register")
        expect(page.locator("main")).not_to_contain_text("Physical abuse")
        check_axe(page, "register-check-answer")
        screenshot(page, "conf-12-register-check")

    # --- 6. The plan: drafted, the quality check, fixed, published -----------------------------
    clock.move_to(_at(calendar.add_working_days(booked, 1), 10))
    with as_user("social.worker") as page:
        page.goto(conference_url)
        page.get_by_role(
            "link", name=re.compile("Open the care and support protection plan")
        ).click()
        plan_url = page.url
        page.get_by_role("link", name="Edit the plan").click()
        _submit(page, "Start the plan")
        page.get_by_label("Outcome 1: what must change, in plain words").fill(
            "Siân is not hurt or frightened at home"
        )
        page.get_by_label("Outcome 1, action 1: what is to be done").fill(
            "Domestic abuse safety plan with Rhiannon"
        )
        _submit(page, "Save the draft")
        issues = page.locator("#quality-issues")
        expect(issues).to_contain_text("measure")
        expect(issues).to_contain_text(
            "Dyffryn Police was named at the conference but has no action"
        )
        check_axe(page, "plan-quality-check")
        screenshot(page, "conf-13-plan-quality-flags")

        page.get_by_label("Outcome 1: how progress is measured").fill(
            "No incidents reported by the police; Siân says she feels safe at each visit"
        )
        rows = [
            (1, 1, "Nia Pritchard", "Glanrafon County Borough Council Children's Services"),
            (1, 2, "Dylan Harries", "Dyffryn Police"),
            (1, 3, "Angharad Vaughan", "Glanrafon University Health Board"),
        ]
        # Only the outcomes and actions in use, and one spare each, are open: the rest are folded.
        expect(page.get_by_label("Outcome 1, action 3: what is to be done")).to_be_hidden()
        page.get_by_text("Add another action to outcome 1").click()
        for o, a, person, agency in rows:
            if a > 1:
                page.get_by_label(f"Outcome {o}, action {a}: what is to be done").fill(
                    {
                        2: "Tell the social worker of any call-out within a day",
                        3: "Health visitor visits every fortnight",
                    }[a]
                )
            page.get_by_label(f"Outcome {o}, action {a}: person responsible").select_option(
                label=f"{person} ({agency})"
            )
            page.get_by_label(f"Outcome {o}, action {a}: agency responsible").select_option(
                label=agency
            )
            _fill_date(page, f"Outcome {o}, action {a}: target date", review_on)
        page.get_by_label("Outcome 2: what must change, in plain words").fill(
            "Siân goes to school every day, fed and ready to learn"
        )
        page.get_by_label("Outcome 2: how progress is measured").fill("Attendance above 95%")
        page.get_by_label("Outcome 2, action 1: what is to be done").fill(
            "Breakfast club place and a weekly check-in with the DSP"
        )
        page.get_by_label("Outcome 2, action 1: agency responsible").select_option(
            label="Ysgol Gynradd y Dderwen"
        )
        page.get_by_label("Outcome 2, action 1: person responsible").select_option(
            label="Iestyn Penry (Ysgol Gynradd y Dderwen)"
        )
        _fill_date(page, "Outcome 2, action 1: target date", review_on)
        page.get_by_label("The child's own words").fill("I want Mam to be happy and no shouting.")
        page.get_by_label("Contingency plan").fill(
            "Any new injury or incident: a strategy discussion the same day."
        )
        _submit(page, "Save the draft")
        expect(page.locator("main")).to_contain_text("Nothing is missing.")
        expect(page.locator("#quality")).to_contain_text("100%")
        # Publishing starts from the saved draft and is confirmed on its own page.
        _submit(page, "Save and check before publishing")
        expect(page.locator("#quality")).to_contain_text("100%")
        check_axe(page, "plan-publish-confirm")
        _submit(page, "Publish version 1")
        _success(page, "Version 1 published")
        expect(page.locator("main")).to_contain_text("Siân is not hurt or frightened at home")
        check_axe(page, "plan-show")
        screenshot(page, "conf-14-plan-published")
        family_download = _confirm_then_download(
            page, page.locator("#family-copy").get_by_role("link", name="Cymraeg"), password
        )
        family = open(family_download.path(), "rb").read()  # noqa: SIM115
        text = _pdf_to_png(family, "conf-14b-family-copy-cy")[0]
        assert "Siân is not hurt or frightened at home" in text
        assert "Tudalen 1 o" in text
        assert "Beth sydd angen newid" in text  # "What needs to change", in Welsh

    # --- 7. The first core group, and a visit ---------------------------------------------------
    clock.move_to(_at(first_core_group, 12))
    with as_user("social.worker") as page:
        page.goto(plan_url)
        page.get_by_role("link", name="Record a core group meeting").click()
        _fill_date(page, "Date of the meeting", first_core_group)
        page.get_by_label("Time of the meeting").fill("10:00")
        for member in ("Dylan Harries", "Angharad Vaughan"):
            page.locator(".govuk-checkboxes__item", has_text=member).locator("input").check()
        page.get_by_label("The child's views, or how they were sought").fill(
            "Siân says it is quieter at home."
        )
        _submit(page, "Record the meeting")
        _errors(page, "Rate the progress against outcome 1")
        _group(page, "Outcome 1: Siân is not hurt or frightened at home").get_by_label(
            "Some progress"
        ).check()
        _group(
            page, "Outcome 2: Siân goes to school every day, fed and ready to learn"
        ).get_by_label("Good progress").check()
        page.get_by_label("Domestic abuse safety plan with Rhiannon").select_option(label="Done")
        check_axe(page, "core-group-form")
        _submit(page, "Record the meeting")
        _success(page, "Core group meeting recorded")
        expect(page.locator("#core-groups ~ .app-card").first).to_contain_text("Some progress")
        screenshot(page, "conf-15-core-group")

        page.get_by_role("link", name="Record a visit").click()
        _fill_date(page, "Date of the visit", first_core_group)
        page.get_by_label("Time of the visit").fill("11:30")
        _group(page, "Was the child seen?").get_by_label("Yes").check()
        page.get_by_label("Seen alone", exact=True).check()
        page.get_by_label("Seen at home", exact=True).check()
        page.get_by_label("Bedroom seen", exact=True).check()
        page.get_by_label("What the child said or showed, in their own words").fill(
            "Showed me her drawings; said nobody shouted this week."
        )
        page.get_by_label("What you saw").fill("Warm, tidy home; food in the cupboards.")
        _submit(page, "Record the visit")
        _success(page, "Visit recorded")

    # Three weeks on, Siân has not been seen alone again: the visit is overdue.
    clock.move_to(_at(first_core_group + datetime.timedelta(days=21), 9))
    with as_user("team.manager") as page:
        expect(page.locator("#overdue-visits")).to_be_visible()
        expect(page.locator("#overdue-visits + ul")).to_contain_text(CHILD)
        check_axe(page, "manager-my-work-overdue-visit")
        screenshot(page, "conf-16-manager-overdue-visit")

    # --- 8. The review conference: no de-registration without reasons ---------------------------
    review_day = review_on - datetime.timedelta(days=7)
    while not calendar.is_working_day(review_day):
        review_day -= datetime.timedelta(days=1)
    clock.move_to(_at(review_day - datetime.timedelta(days=14), 9))
    with as_user("social.worker") as page:
        page.goto(plan_url)
        page.get_by_role("link", name="Convene the review conference").click()
        _fill_date(page, "Date booked (optional)", review_day)
        page.get_by_label("Time booked (optional)").fill("10:00")
        _submit(page, "Convene the review conference")
        _success(page, "Review conference convened")
        review_url = page.url
        for agency, user in (
            ("Dyffryn Police", "Dylan Harries (Dyffryn Police)"),
            (
                "Glanrafon University Health Board",
                "Angharad Vaughan (Glanrafon University Health Board)",
            ),
            (
                "Glanrafon County Borough Council Children's Services",
                "Nia Pritchard (Glanrafon County Borough Council Children's Services)",
            ),
        ):
            page.get_by_role("link", name="Invite an agency, family member or the child").click()
            _group(page, "Who is invited?").get_by_label("Agency or professional").check()
            page.get_by_label("Agency", exact=True).select_option(label=agency)
            page.get_by_label("Named practitioner (optional)").select_option(label=user)
            _submit(page, "Record the invitation")

    clock.move_to(_at(review_day, 12))
    with as_user("social.worker") as page:
        page.goto(review_url)
        for name in ("Dylan Harries", "Angharad Vaughan", "Nia Pritchard"):
            page.get_by_role("link", name=f"Record attendance for {name}").click()
            _group(page, "Did they attend?").get_by_label("Attended", exact=True).check()
            _submit(page, "Record attendance")
        page.get_by_role("link", name="Record the conference held").click()
        _fill_date(page, "Date held", review_day)
        page.get_by_label("Time it started").fill("10:00")
        page.get_by_label("Chair", exact=True).select_option(label="Bethan Rowlands")
        page.get_by_label(f"{CHILD}'s views").fill("Siân says home is calm and she feels safe.")
        _group(page, f"How were {CHILD}'s views obtained?").get_by_label(
            "The child attended and spoke"
        ).check()
        _group(page, f"Does {CHILD} stay on the register?").get_by_label("No").check()
        page.get_by_label("Progress against the plan").fill(
            "Both outcomes achieved: no incidents since the conference; attendance 97%."
        )
        _submit(page, "Record the conference")
        _errors(page, "Give the reasons for the decision")
        screenshot(page, "conf-17-review-no-reasons")
        page.get_by_label("Reasons for the decision").fill(
            "Siân's lived experience has changed: no incidents in two months, the step-father "
            "has left, and she says she feels safe."
        )
        _submit(page, "Record the conference")
        _success(page, "Conference recorded")
        page.goto(plan_url)
        expect(page.locator("main")).to_contain_text("Left the register on")
        check_axe(page, "plan-after-deregistration")
        screenshot(page, "conf-18-deregistered")

    # --- 9. The police's sight of the plan ended with the registration ----------------------------
    with as_user("police.officer") as page:
        response = page.goto(plan_url)
        assert response is not None
        assert response.status == 404
        screenshot(page, "conf-19-police-plan-404")

    # The dates above came from the rules, not from the test: the conference was due within 15
    # working days of the strategy discussion, and it was held within them.
    due = procedures.due("icpc.convene", start + datetime.timedelta(minutes=30))
    assert booked <= due.due_on
