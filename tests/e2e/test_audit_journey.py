"""Case-file audit in a real browser, following issue 14's story.

The quality lead (head of service) sets up a themed programme on the voice of the child, draws a
stratified random sample of 32 with a recorded seed and the auditors named → an auditor grades a
file with the facts from the record beside the questions → the other files are graded (by the
services, off screen) and the lead sends a share for moderation → the moderator changes the plan
grade with a reason → the board report shows the change rate, and its PDF (rendered to PNG) →
the auditor raises an action and cites it as evidence on the improvement plan, where it shows →
the report in Welsh. Screenshots: ``test-results/screenshots/au-NN-*.png``; axe on every page.
"""

from __future__ import annotations

import datetime
import subprocess
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from .helpers import SCREENSHOTS, World, check_axe, group, screenshot, signed_in
from .helpers import fill_date as _fill_date
from .helpers import submit as _submit
from .helpers import success as _success

pytestmark = pytest.mark.browser

AUDITORS = ["auditor", "team.manager", "ov.manager2", "ov.manager3", "ov.manager4", "mash.manager"]


def _shot(page: Any, n: int, name: str) -> None:
    screenshot(page, f"au-{n:02d}-{name}")
    check_axe(page, f"audit: {name}")


def test_audit_journey(browser: Any, live_server: Any, e2e_world: World) -> None:
    from django.utils import timezone

    from diogelu.accounts.models import Team, User
    from diogelu.audit import sampling, services
    from diogelu.audit.models import Audit, Grade, Programme, Stage

    base = live_server.url
    password = e2e_world.password
    today = timezone.localdate()
    end = today.replace(day=1) - datetime.timedelta(days=1)
    start = end.replace(day=1)
    lead = User.objects.get(username="head.of.service")
    la = lead.agency
    assert la is not None
    # The sample rule: every file of each stage and team in turn (a child counted once, in the
    # first stratum that holds it), the last stratum cut so that the sample is 32.
    sizes: dict[tuple[int, str], int] = {}
    seen: set[int] = set()
    left = 32
    for stage in sampling.STAGE_ORDER:
        for team_id, rows in sorted(sampling.population(la.pk, stage, start, end).items()):
            fresh = [c.person_id for c in rows if c.person_id not in seen]
            take = min(len(fresh), left)
            if take:
                sizes[(team_id, stage)] = take
                seen.update(fresh)
                left -= take
    assert left == 0, f"the e2e demo has only {32 - left} files to sample"
    teams = {t.pk: t for t in Team.objects.filter(pk__in={t for t, _s in sizes})}
    labels = dict(Stage.choices)

    with signed_in(browser, base, "head.of.service", password, prefix="au") as page:
        # 1. The quality lead sets up a themed programme.
        page.goto(f"{base}/audits/")
        expect(page.get_by_role("heading", name="Case-file audit", exact=True)).to_be_visible()
        _shot(page, 1, "home-with-the-monthly-programme")
        page.get_by_role("link", name="Set up an audit programme").click()
        page.get_by_label("Themed audit").check()
        page.get_by_label("Voice of the child").check()
        page.get_by_label("Title").fill("Voice of the child: themed audit")
        _fill_date(page, "Period from", start)
        _fill_date(page, "Period to", end)
        auditors = group(page, "Auditors")
        for username in AUDITORS:
            user = User.objects.get(username=username)
            auditors.get_by_label(user.get_full_name(), exact=True).check()
        chair = User.objects.get(username="chair.manager")
        group(page, "Moderators").get_by_label(chair.get_full_name(), exact=True).check()
        for (team_id, stage), size in sizes.items():
            group(page, teams[team_id].name).get_by_label(str(labels[stage])).fill(str(size))
        _shot(page, 2, "set-up-a-themed-programme")
        _submit(page, "Set up the programme")
        _success(page, "Programme set up")
        # 2. Draw the stratified sample with a recorded seed.
        page.get_by_label("Seed (optional)").fill("2026")
        _submit(page, "Draw the sample")
        _success(page, "Sample drawn: 32 files")
        expect(page.get_by_role("heading", name="Files in the sample (32)")).to_be_visible()
        expect(page.locator("main")).to_contain_text("with seed 2026")
        _shot(page, 3, "sample-of-32-drawn")
    programme = Programme.objects.get(title="Voice of the child: themed audit")
    assert programme.seed == 2026 and programme.audits.count() == 32

    # 3. An auditor grades one file with the facts beside the questions.
    mine = programme.audits.filter(auditor__username="auditor").order_by("pk").first()
    assert mine is not None
    sections = list(programme.form.sections.all())
    with signed_in(browser, base, "auditor", password, prefix="au") as page:
        page.goto(f"{base}/")
        expect(page.get_by_role("heading", name="Files for you to audit")).to_be_visible()
        page.goto(f"{base}/audits/{mine.pk}/grade/")
        expect(
            page.get_by_role("heading", name="Timeliness against the procedures").first
        ).to_be_visible()
        expect(page.get_by_role("complementary").first).to_contain_text("Visits")
        _shot(page, 4, "grading-with-facts-beside")
        for s in sections:
            page.get_by_role("group", name=f"Grade for {s.title}").get_by_label(
                "Good", exact=True
            ).check()
        page.get_by_role("group", name="Overall grade").get_by_label("Good", exact=True).check()
        page.get_by_label("Reason for the overall grade").fill("Safe, steady practice.")
        page.get_by_label("Summary of findings").fill("The child is heard; the plan is vague.")
        _submit(page, "Submit the audit")
        _success(page, "Audit submitted")
        _shot(page, 5, "audit-submitted")

    # The other 31 files are graded off screen.
    for audit in programme.audits.exclude(pk=mine.pk).select_related("auditor"):
        assert audit.auditor is not None
        services.save_audit(
            actor=audit.auditor,
            audit=audit,
            grades={s.pk: (Grade.GOOD, "Seen") for s in sections},
            answers={},
            overall_grade=Grade.GOOD,
            overall_reason="Steady",
            summary="",
            submit=True,
        )

    # 4. The lead sends a quarter of the audits for moderation.
    with signed_in(browser, base, "head.of.service", password, prefix="au") as page:
        page.goto(f"{base}/audits/programmes/{programme.pk}/")
        _submit(page, "Send 32 submitted audits for moderation")
        _success(page, "8 audits sent for moderation")
    moderated = Audit.objects.filter(programme=programme, moderation__isnull=False).first()
    assert moderated is not None

    # 5. The moderator changes the plan grade, with the reason.
    with signed_in(browser, base, "chair.manager", password, prefix="au") as page:
        page.goto(f"{base}/audits/{moderated.pk}/moderate/")
        plan = next(s for s in sections if s.key == "plan")
        page.get_by_role("group", name=f"Moderated grade for {plan.title}").get_by_label(
            "Requires improvement"
        ).check()
        _submit(page, "Record the moderation")
        expect(page.locator(".govuk-error-summary")).to_contain_text(
            "Give the reason for changing this grade"
        )
        page.get_by_role("group", name=f"Moderated grade for {plan.title}").get_by_label(
            "Requires improvement"
        ).check()
        page.locator(f"textarea[name=mod_{plan.pk}_reason]").fill("The outcomes have no dates.")
        _shot(page, 6, "moderator-changes-a-grade")
        _submit(page, "Record the moderation")
        _success(page, "Moderation recorded")
        expect(page.locator("main")).to_contain_text("The outcomes have no dates.")
        _shot(page, 7, "both-grades-kept")

    # 6. The board report shows the change rate; the PDF is produced.
    with signed_in(browser, base, "head.of.service", password, prefix="au") as page:
        page.goto(f"{base}/audits/programmes/{programme.pk}/report/")
        expect(page.locator("main")).to_contain_text("1 of 9 moderated grades were changed.")
        _shot(page, 8, "board-report")
        response = page.request.get(f"{base}/audits/programmes/{programme.pk}/report.pdf?lang=both")
        assert response.status == 200 and response.headers["content-type"] == "application/pdf"
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        pdf = SCREENSHOTS / "au-09-board-report.pdf"
        pdf.write_bytes(response.body())
        subprocess.run(
            [
                "/usr/bin/pdftoppm",
                "-png",
                "-r",
                "60",
                str(pdf),
                str(SCREENSHOTS / "au-09-board-report"),
            ],
            check=False,
        )
        with page.expect_navigation():
            page.get_by_role("button", name="Cymraeg").click()
        expect(page.locator("main")).to_contain_text("Llais a phrofiad bywyd y plentyn")
        _shot(page, 10, "board-report-in-welsh")

    # 7. The auditor raises an action and cites it on the improvement plan.
    with signed_in(browser, base, "auditor", password, prefix="au") as page:
        page.goto(f"{base}/audits/{mine.pk}/")
        page.get_by_role("link", name="Raise an action").click()
        page.get_by_label("Action", exact=True).fill(
            "Rewrite the plan's outcomes as SMART outcomes"
        )
        _fill_date(page, "Due date", today + datetime.timedelta(days=14))
        _submit(page, "Raise the action")
        _success(page, "Action raised")
        page.get_by_role("link", name="Use as evidence for the improvement plan").click()
        page.get_by_label("Improvement plan action").select_option(
            label=next(
                o
                for o in page.get_by_label("Improvement plan action")
                .locator("option")
                .all_inner_texts()
                if "Quarterly audit of plans" in o
            )
        )
        page.get_by_label("Rewrite the plan's outcomes as SMART outcomes").check()
        _submit(page, "Link as evidence")
        _success(page, "Linked to the improvement plan as evidence")
        from diogelu.audit.models import EvidenceLink

        link = EvidenceLink.objects.get(audit_action__audit=mine)
        page.goto(f"{base}/performance/actions/{link.improvement_action_id}/")
        expect(page.locator("main")).to_contain_text(
            "Rewrite the plan's outcomes as SMART outcomes"
        )
        _shot(page, 11, "evidence-on-the-improvement-plan")
    assert Path(SCREENSHOTS / "au-09-board-report-1.png").exists()
