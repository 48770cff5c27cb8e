"""The conference record and outline plan as a PDF: WeasyPrint renders it in English, Welsh or
both; only staff and the recipients it was circulated to may download it; each download is
access-logged per child; the file name carries the reference, never a name.

Page 1 of each rendered PDF is written to ``test-results/documents/`` to be looked at.
"""

from __future__ import annotations

import datetime
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import time_machine
from django.conf import settings
from django.urls import reverse

from diogelu.access.models import AccessLog, Basis, Channel, Part
from diogelu.access.visibility import decide
from diogelu.accounts.models import Role
from diogelu.conferences import documents
from diogelu.conferences import services as conferences
from diogelu.conferences.tests.test_journey import at, held
from diogelu.plans import services as plans
from diogelu.plans.models import Plan
from tests import factories as f

D = datetime.date
PNG_DIR = Path(settings.BASE_DIR) / "test-results" / "documents"


@pytest.fixture(autouse=True)
def _recent_step_up(monkeypatch):
    """These tests are about the document; the step-up before a download (password re-entered
    within STEP_UP_SECONDS) is tested in tests/test_step_up.py."""
    monkeypatch.setattr("diogelu.accounts.stepup.has_recent_step_up", lambda request: True)


def poppler(tool: str) -> str:
    """The full path of a poppler-utils tool (pdftotext, pdftoppm, pdfinfo, pdffonts)."""
    path = shutil.which(tool)
    if path is None:
        pytest.fail(f"{tool} (poppler-utils) is needed to check PDFs; .ci/run installs it")
    return path


def run(tool: str, *args: str) -> str:
    return subprocess.run([poppler(tool), *args], capture_output=True, text=True, check=True).stdout


def pdf_text(content: bytes, tmp_path: Path, name: str = "doc") -> str:
    pdf = tmp_path / f"{name}.pdf"
    pdf.write_bytes(content)
    return run("pdftotext", str(pdf), "-")


def flat(text: str) -> str:
    """pdftotext's text with runs of white space (line ends, table gaps) made one space."""
    return re.sub(r"\s+", " ", text)


def first_page_png(content: bytes, name: str) -> Path:
    """Render page 1 at 60 dpi into test-results/documents/<name>.png (to be looked at)."""
    PNG_DIR.mkdir(parents=True, exist_ok=True)
    pdf = PNG_DIR / f"{name}.pdf"
    pdf.write_bytes(content)
    run(
        "pdftoppm",
        "-png",
        "-r",
        "60",
        "-f",
        "1",
        "-l",
        "1",
        "-singlefile",
        str(pdf),
        str(PNG_DIR / name),
    )
    png = PNG_DIR / f"{name}.png"
    assert png.stat().st_size > 5_000
    return png


def page_count(content: bytes, tmp_path: Path) -> int:
    pdf = tmp_path / "count.pdf"
    pdf.write_bytes(content)
    found = re.search(r"Pages:\s+(\d+)", run("pdfinfo", str(pdf)))
    assert found is not None
    return int(found.group(1))


@pytest.fixture
def clock():
    with time_machine.travel(at(2026, 1, 5, 8), tick=False) as traveller:
        yield traveller


def publish_outline_plan(world, episode_plan: Plan):
    draft = plans.draft_plan(actor=world.social_worker, plan=episode_plan)
    draft = plans.edit_plan(
        actor=world.social_worker,
        version=draft,
        expected_version=draft.version,
        child_words="Dw i eisiau i Mam fod yn hapus a neb i weiddi.",
        contingency="If any new injury: strategy discussion the same day.",
        outcomes=[
            {
                "what_must_change": "Siân is not hurt at home",
                "measure": "No injuries seen at visits or school; Siân says she feels safe",
                "actions": [
                    {
                        "description": "Mother attends the Freedom programme",
                        "responsible_user": world.social_worker,
                        "target_date": D(2026, 3, 1),
                    },
                    {
                        "description": "Share any call-out to the address within a day",
                        "responsible_user": world.police_officer,
                        "target_date": D(2026, 4, 14),
                    },
                    {
                        "description": "Daily check-in with the school nurse",
                        "responsible_name": "Mrs Jones, DSP",
                        "responsible_agency": world.school,
                        "target_date": D(2026, 2, 1),
                    },
                ],
            },
            {
                "what_must_change": "Siân goes to school every day, fed and rested",
                "measure": "Attendance above 95% each half term",
                "actions": [
                    {
                        "description": "Breakfast club place from the first week of February",
                        "responsible_agency": world.school,
                        "responsible_name": "Ysgol y Dderwen",
                        "target_date": D(2026, 2, 2),
                    }
                ],
            },
        ],
    )
    return plans.publish_plan(
        actor=world.social_worker, version=draft, expected_version=draft.version
    )


@pytest.fixture
def record(world, clock):
    """A held initial conference (chaired by someone with ŵ and ŷ in their name), the outline
    plan published, agency reports in; not yet circulated."""
    chair = f.user(world.authority, Role.CONFERENCE_CHAIR)
    chair.first_name, chair.last_name = "Gwŷn", "Ŵatcyn"
    chair.save(update_fields=["first_name", "last_name"])
    # held() makes its own chair; give ours the conference afterwards through the record.
    conference, invites = held(world, clock)
    conference.chair = chair
    conference.save(update_fields=["chair"])
    clock.move_to(at(2026, 1, 20, 9))
    plan = Plan.objects.get(person=world.child)
    publish_outline_plan(world, plan)
    return conference, invites


def download(world, persona, conference, lang=None):
    url = reverse("conference_record_pdf", args=[conference.pk])
    return world.client_for(getattr(world, persona)).get(url, {"lang": lang} if lang else {})


# --- what the record says -----------------------------------------------------------------------


def test_record_in_english_has_every_part(world, record, tmp_path):
    conference, _ = record
    response = download(world, "social_worker", conference, "en")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    text = flat(pdf_text(response.content, tmp_path))
    for expected in (
        "Glanrafon Children's Services",
        "Record of the initial child protection conference",
        f"CPC-{conference.pk:06d}",
        "Gwŷn Ŵatcyn",  # the chair
        "Siân Prydderch",
        "19 January 2026 at 10:00",  # held
        "3 agencies or professional groups attended.",
        "Dyffryn Police",
        "Sent apologies",
        "Attended: 3 · Sent apologies: 3 · Did not attend: 0",
        "Siân said she is frightened when her step-father shouts.",
        "Through an advocate",
        "Mother accepts help; step-father disputes the concerns.",
        "On the register",
        "Emotional or psychological abuse, Physical abuse",
        "Likely to suffer physical and emotional harm without a plan.",
        "Core group members",
        "Health visitor",
        "30 January 2026",  # first core group
        "14 April 2026",  # review
        "Contingency plan",
        "If any new injury: strategy discussion the same day.",
        "Outline plan",
        "Outcome 1: Siân is not hurt at home",
        "Mother attends the Freedom programme",
        "Mrs Jones, DSP",
        "1 March 2026",
        "Outcome 2: Siân goes to school every day",
        "OFFICIAL-SENSITIVE",
        "Page 1 of",
    ):
        assert expected in text, expected
    assert f"Produced by {world.social_worker} on 20 January 2026 at 09:00" in text
    assert "Cynllun wrth gefn" not in text


def test_agency_reports_are_listed_not_copied(world, clock, tmp_path):
    from diogelu.conferences.tests.test_journey import convened

    conference, invites = convened(world, clock)
    conferences.submit_agency_report(
        actor=world.police_officer,
        invitation=invites["police"],
        text="Two domestic incidents at the address; step-father arrested once.",
    )
    clock.move_to(at(2026, 1, 19, 12))
    from diogelu.conferences.models import Attendance
    from diogelu.conferences.tests.test_journey import decision

    for name in ("la", "police", "health"):
        conferences.record_attendance(
            actor=world.social_worker, invitation=invites[name], attendance=Attendance.ATTENDED
        )
    for name in ("school", "mother", "child"):
        conferences.record_attendance(
            actor=world.social_worker, invitation=invites[name], attendance=Attendance.APOLOGIES
        )
    conferences.hold_conference(
        actor=world.social_worker,
        conference=conference,
        held_at=at(2026, 1, 19, 10),
        chair=f.user(world.authority, Role.CONFERENCE_CHAIR),
        decisions=[decision(conference.children.get(), world)],
        summary="Registered under physical and emotional abuse; outline plan agreed.",
    )
    text = flat(pdf_text(download(world, "social_worker", conference, "en").content, tmp_path))
    assert "Reports received" in text
    assert "before the conference" in text
    assert "step-father arrested once" not in text
    assert "No version of the plan has been published yet." in text


def test_record_in_welsh(world, record, tmp_path):
    conference, _ = record
    response = download(world, "social_worker", conference, "cy")
    assert response.status_code == 200
    text = flat(pdf_text(response.content, tmp_path))
    # Strings already in the Welsh catalogue.
    assert "Cynllun wrth gefn" in text  # Contingency plan
    assert "SWYDDOGOL-SENSITIF" in text
    assert "Tudalen 1 o" in text
    assert "Ar y gofrestr" in text  # On the register
    assert "Barn y plentyn" in text  # The child's views
    assert "19 Ionawr 2026" in text  # dates in Welsh
    # The record itself is not translated.
    assert "If any new injury: strategy discussion the same day." in text
    assert "Gwŷn Ŵatcyn" in text and "Siân Prydderch" in text
    assert "Contingency plan" not in text
    assert "OFFICIAL-SENSITIVE" not in text
    first_page_png(response.content, "conference-record-cy")


def test_no_iso_date_in_either_language(world, record, tmp_path):
    """Dates in documents are written for the reader ("19 January 2026", "19 Ionawr 2026")."""
    conference, _ = record
    response = download(world, "social_worker", conference, "both")
    text = flat(pdf_text(response.content, tmp_path))
    assert not re.search(r"\b(19|20)\d\d-\d\d-\d\d\b", text), re.findall(
        r".{30}\b(?:19|20)\d\d-\d\d-\d\d\b.{10}", text
    )


def test_record_in_both_languages_is_welsh_first(world, record, tmp_path):
    conference, _ = record
    html = documents.conference_record_html(
        world.social_worker, conference, langs=documents.DOCUMENT_LANGUAGES["both"]
    )
    assert html.index('<section class="part part-cy" lang="cy">') < html.index(
        '<section class="part part-en" lang="en">'
    )
    assert '<html lang="cy">' in html
    single = download(world, "social_worker", conference, "en").content
    response = download(world, "social_worker", conference, "both")
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith('-record-both.pdf"')
    text = flat(pdf_text(response.content, tmp_path))
    assert text.index("Cynllun wrth gefn") < text.index("Contingency plan")
    assert text.index("SWYDDOGOL-SENSITIF") < text.index("OFFICIAL-SENSITIVE")
    # Each language starts on a page of its own: twice the pages of one language.
    assert page_count(response.content, tmp_path) == 2 * page_count(single, tmp_path)


def test_page_language_is_the_default(world, record, tmp_path):
    conference, _ = record
    client = world.client_for(world.social_worker)
    client.post(reverse("set_language"), {"language": "cy", "next": "/"})
    response = client.get(reverse("conference_record_pdf", args=[conference.pk]))
    assert response["Content-Disposition"].endswith('-record-cy.pdf"')
    assert "Cynllun wrth gefn" in flat(pdf_text(response.content, tmp_path))
    odd = client.get(reverse("conference_record_pdf", args=[conference.pk]), {"lang": "fr"})
    assert odd.status_code == 200
    assert odd["Content-Disposition"].endswith('-record-cy.pdf"')


def test_welsh_letters_use_the_embedded_dejavu_font(world, record, tmp_path):
    """ŵ, ŷ and â come from DejaVu (no fallback font, no missing glyph boxes)."""
    conference, _ = record
    pdf = tmp_path / "fonts.pdf"
    pdf.write_bytes(download(world, "social_worker", conference, "both").content)
    fonts = run("pdffonts", str(pdf))
    names = [line.split()[0] for line in fonts.splitlines()[2:] if line.strip()]
    assert names
    assert all("DejaVu" in name for name in names), names


def test_english_png_for_looking_at(world, record):
    conference, _ = record
    first_page_png(
        download(world, "social_worker", conference, "en").content, "conference-record-en"
    )
    first_page_png(
        download(world, "social_worker", conference, "both").content, "conference-record-both"
    )


# --- who may download it --------------------------------------------------------------------


def test_download_is_logged_per_child_with_a_reference_filename(world, record):
    conference, _ = record
    before = AccessLog.objects.filter(channel=Channel.EXPORT).count()
    response = download(world, "social_worker", conference, "en")
    disposition = response["Content-Disposition"]
    assert disposition == (f'attachment; filename="diogelu-CPC-{conference.pk:06d}-record-en.pdf"')
    for name in ("Siân", "Sia", "Prydderch", world.child.la_reference):
        assert name not in disposition
    rows = AccessLog.objects.filter(channel=Channel.EXPORT).order_by("pk")[before:]
    assert [(r.person_id, r.user_id, r.part, r.route) for r in rows] == [
        (world.child.pk, world.social_worker.pk, Part.SUMMARY, "conference_record_pdf")
    ]


@pytest.mark.parametrize(
    ("persona", "before", "after"),
    [
        ("social_worker", 200, 200),
        ("manager", 200, 200),
        ("police_officer", 404, 200),  # invited by name, then sent the record
        ("school_lead", 404, 200),  # the school was sent the record
        ("health_practitioner", 404, 200),
        ("mash", 404, 404),
        ("other_la_worker", 404, 404),
    ],
)
def test_only_staff_and_recipients_may_download(world, record, persona, before, after):
    conference, _ = record
    logged = AccessLog.objects.filter(user=getattr(world, persona), channel=Channel.EXPORT)
    assert download(world, persona, conference, "en").status_code == before
    assert logged.count() == (1 if before == 200 else 0)
    conferences.circulate_record(actor=world.social_worker, conference=conference)
    assert download(world, persona, conference, "en").status_code == after
    assert logged.count() == (1 if before == 200 else 0) + (1 if after == 200 else 0)


def test_partner_colleague_not_sent_the_record_gets_404(world, record):
    """The record went to the police officer by name, not to the whole police agency."""
    conference, _ = record
    conferences.circulate_record(actor=world.social_worker, conference=conference)
    colleague = f.user(world.police, Role.POLICE_OFFICER, username="police2")
    response = world.client_for(colleague).get(
        reverse("conference_record_pdf", args=[conference.pk])
    )
    assert response.status_code == 404
    assert not AccessLog.objects.filter(user=colleague).exists()


def test_restricted_child_is_not_reached_through_a_family_copy(world, record):
    """Nobody who may not see a restricted child gets the record through a copy sent to them or
    to a family member (whose acknowledgement any social worker records)."""
    conference, _ = record
    conferences.circulate_record(actor=world.social_worker, conference=conference)
    world.child.is_restricted = True
    world.child.save()
    for persona in ("manager", "social_worker", "police_officer", "school_lead"):
        assert download(world, persona, conference, "en").status_code == 404, persona
    assert not AccessLog.objects.filter(channel=Channel.EXPORT).exists()


def test_recipient_is_logged_even_after_their_involvement_ended(world, clock):
    """A child not registered: the invitees' involvement ends when the record is due, yet the
    recipient can still read what was sent to them, and that read is logged."""
    from diogelu.conferences.models import Attendance
    from diogelu.conferences.tests.test_journey import convened, decision

    conference, invites = convened(world, clock)
    clock.move_to(at(2026, 1, 19, 12))
    for name in ("la", "police", "health"):
        conferences.record_attendance(
            actor=world.social_worker, invitation=invites[name], attendance=Attendance.ATTENDED
        )
    for name in ("school", "mother", "child"):
        conferences.record_attendance(
            actor=world.social_worker, invitation=invites[name], attendance=Attendance.APOLOGIES
        )
    conferences.hold_conference(
        actor=world.social_worker,
        conference=conference,
        held_at=at(2026, 1, 19, 10),
        chair=f.user(world.authority, Role.CONFERENCE_CHAIR),
        decisions=[
            decision(
                conference.children.get(),
                world,
                register=False,
                categories=[],
                reasons="Risks reduced: the step-father has left and will not return.",
            )
        ],
        summary="Not registered; support under a care and support plan.",
    )
    conferences.circulate_record(actor=world.social_worker, conference=conference)
    clock.move_to(at(2026, 2, 10, 9))  # after the record was due: involvement over
    assert decide(world.health_practitioner, world.child) is None
    response = download(world, "health_practitioner", conference, "en")
    assert response.status_code == 200
    row = AccessLog.objects.get(user=world.health_practitioner, channel=Channel.EXPORT)
    assert (row.person_id, row.basis, row.involvement_id) == (
        world.child.pk,
        Basis.INVOLVEMENT,
        None,
    )


def test_not_held_is_404_for_staff_too(world, clock):
    from diogelu.conferences.tests.test_journey import convened

    conference, _ = convened(world, clock)
    assert download(world, "social_worker", conference).status_code == 404
    assert not AccessLog.objects.filter(channel=Channel.EXPORT).exists()


def test_links_on_the_conference_and_record_pages(world, record):
    conference, _ = record
    url = reverse("conference_record_pdf", args=[conference.pk])
    page = world.client_for(world.social_worker).get(
        reverse("show_conference", args=[conference.pk])
    )
    body = page.content.decode()
    for lang in ("en", "cy", "both"):
        assert f"{url}?lang={lang}" in body
    conferences.circulate_record(actor=world.social_worker, conference=conference)
    circulation = conference.circulations.get(recipient_user=world.police_officer)
    record_page = world.client_for(world.police_officer).get(
        reverse("acknowledge_record", args=[circulation.pk])
    )
    assert f"{url}?lang=cy" in record_page.content.decode()


def test_the_record_keeps_the_plan_it_went_out_with(world, record, clock):
    """A later version of the plan does not change a record already circulated."""
    from diogelu.conferences.documents import conference_record_html

    conference, _invites = record
    conferences.circulate_record(actor=world.social_worker, conference=conference)
    conference.refresh_from_db()
    before = conference_record_html(world.social_worker, conference, langs=("en",))
    assert "Siân is not hurt at home" in before
    clock.move_to(at(2026, 1, 27, 9))
    plan = Plan.objects.get(person=world.child)
    current = plan.current_version()
    assert current is not None
    later = plans.edit_plan(
        actor=world.social_worker,
        version=current,
        expected_version=current.version,
        child_words=current.child_words,
        contingency=current.contingency,
        outcomes=[
            {"what_must_change": "A new outcome agreed later", "measure": "x", "actions": []}
        ],
    )
    plans.publish_plan(
        actor=world.manager,
        version=later,
        expected_version=later.version,
        sign_off_reason="A new outcome agreed at the core group.",
    )
    after = conference_record_html(world.social_worker, conference, langs=("en",))
    assert "A new outcome agreed later" not in after
    assert "Siân is not hurt at home" in after
