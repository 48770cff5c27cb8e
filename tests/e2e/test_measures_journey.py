"""Performance measures and the improvement plan, in a real browser, on the demo authority.

A head of service opens Performance, picks last quarter, reads initial-conference timeliness per
child and per conference, opens the children behind the late ones (the Hanes-Ffigur siblings,
one conference and three children) and downloads the CSV. As plan lead, they record progress on
an action, link a measure to it, and produce the report to Cabinet; its PDF (Welsh and English
side by side) is downloaded after the step-up and its first pages rendered to PNG. Key pages are
checked with axe-core and screenshotted (``test-results/screenshots/measures-NN-*.png``).
"""

from __future__ import annotations

import re
import subprocess
from typing import Any

import pytest
from playwright.sync_api import expect

from .helpers import SCREENSHOTS, World, check_axe, screenshot, signed_in
from .helpers import fill_date as _fill_date
from .helpers import group as _group
from .helpers import submit as _submit
from .helpers import success as _success

pytestmark = pytest.mark.browser


def test_head_of_service_reads_measures_and_reports_to_cabinet(
    browser: Any, live_server: Any, e2e_world: World
) -> None:
    from django.utils import timezone

    from diogelu.measures.planning import last_complete_quarter

    base = live_server.url
    quarter = last_complete_quarter(timezone.localdate())
    with signed_in(browser, base, "head.of.service", e2e_world.password, prefix="measures") as page:
        # --- 1. Performance, last quarter ------------------------------------------------------
        page.goto(f"{base}/")
        page.get_by_role("link", name="Performance", exact=True).click()
        expect(page.locator("h1")).to_have_text("Performance")
        page.get_by_label("Period", exact=True).select_option(quarter.token)
        _submit(page, "Show this period")
        expect(page.locator(".govuk-caption-l").first).to_have_text(quarter.label)
        check_axe(page, "measures-dashboard")
        screenshot(page, "measures-01-dashboard")

        # --- 2. Initial conferences: per child and per conference -------------------------------
        page.get_by_role("link", name="Initial conferences held within 15 working days").click()
        expect(page.locator("h1")).to_have_text("Initial conferences held within 15 working days")
        expect(page.get_by_role("heading", name="Per child")).to_be_visible()
        expect(page.get_by_role("heading", name="Per event")).to_be_visible()
        body = page.locator("main").inner_text()
        per_child = re.search(r"(\d+) of (\d+) children", body)
        per_event = re.search(r"(\d+) of (\d+) conferences", body)
        assert per_child and per_event, body[:2000]
        # Three siblings at one late conference: the children outnumber the conferences.
        assert int(per_child[2]) - int(per_child[1]) >= 3
        assert int(per_event[2]) - int(per_event[1]) >= 1
        check_axe(page, "measures-icpc")
        screenshot(page, "measures-02-icpc")

        # --- 3. The children behind the late ones ---------------------------------------------
        page.get_by_role("link", name=re.compile(r"^Missed the standard")).click()
        expect(page.locator("h1")).to_have_text("Missed the standard")
        rows = page.locator("tbody tr")
        expect(rows.filter(has_text="Hanes-Ffigur")).to_have_count(3)
        check_axe(page, "measures-rows")
        screenshot(page, "measures-03-late-children")
        page.get_by_role("link", name="Initial conferences held within 15 working days").click()

        # --- 4. The CSV, after "Confirm it's you" (an export of children's names) ----------------
        page.get_by_role("link", name="Download the figure and its rows (CSV)").click()
        page.wait_for_url(re.compile(r"/confirm-identity/\?next="))
        page.fill("#password", e2e_world.password)
        with page.expect_download() as info:
            page.get_by_role("button", name="Continue").click()
        download = info.value
        assert download.suggested_filename == f"diogelu-icpc_15wd-{quarter.token}.csv"
        csv = open(download.path(), encoding="utf-8").read()  # noqa: SIM115
        assert csv.startswith("measure,icpc_15wd,version,")
        assert csv.count("Hanes-Ffigur") == 3

        # --- 5. The plan lead updates an action and links a measure ---------------------------
        page.goto(f"{base}/performance/plans/")
        page.get_by_role("link", name=re.compile("Improvement check")).click()
        expect(page.locator("h1")).to_contain_text("Improvement check")
        check_axe(page, "measures-plan")
        screenshot(page, "measures-04-plan")
        page.get_by_role("link", name="2.1", exact=True).click()
        expect(page.locator("h1")).to_have_text("Action 2.1")
        page.get_by_label("What has changed").fill(
            "Outcome letters now go out the same day; checked on 20 reports."
        )
        _submit(page, "Save progress")
        _success(page, "Progress recorded")
        page.get_by_label("Measure", exact=True).select_option("report_decision")
        page.get_by_label("Target (per cent)").fill("95")
        _submit(page, "Link the measure")
        _success(page, "Measure linked")
        expect(page.locator("main")).to_contain_text("Computed from the linked measures")
        check_axe(page, "measures-action")
        screenshot(page, "measures-05-action")

        # --- 6. The report to Cabinet -------------------------------------------------------------
        page.get_by_role("link", name="The plan").click()
        page.get_by_role("link", name="Produce a report to Cabinet or Scrutiny").click()
        page.get_by_label("Committee").fill("Cabinet")
        meeting = timezone.localdate() + timezone.timedelta(days=14)
        _fill_date(page, "Meeting date", meeting)
        _group(page, "Welsh and English").get_by_label("Welsh and English side by side").check()
        check_axe(page, "measures-report-new")
        _submit(page, "Produce the report")
        _success(page, "Report produced")
        expect(page.locator("main")).to_contain_text("Summary of progress by finding")
        expect(page.locator("main")).to_contain_text("Crynodeb o gynnydd fesul canfyddiad")
        check_axe(page, "measures-cabinet")
        screenshot(page, "measures-06-cabinet")

        # The step-up of the CSV still holds: the PDF downloads at once.
        with page.expect_download() as info:
            page.get_by_role("link", name="Download the report (PDF, Welsh and English)").click()
        pdf = open(info.value.path(), "rb").read()  # noqa: SIM115
        assert pdf.startswith(b"%PDF")
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOTS / "measures-07-cabinet.pdf"
        path.write_bytes(pdf)
        subprocess.run(
            [
                "pdftoppm",
                "-png",
                "-r",
                "70",
                "-f",
                "1",
                "-l",
                "2",
                str(path),
                str(SCREENSHOTS / "measures-07-cabinet"),
            ],
            check=True,
        )
        text = subprocess.run(
            ["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True, text=True
        ).stdout
        assert "Cynllun gwella" in text and "Improvement plan" in text
        assert "SWYDDOGOL-SENSITIF / OFFICIAL-SENSITIVE" in text
