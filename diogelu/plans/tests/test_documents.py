"""The family copy of a published care and support protection plan as a PDF, in Welsh or
English: plain words, nothing agency-internal, for the authority's staff only, access-logged,
and a file name made of the reference. Page 1 goes to ``test-results/documents/``."""

from __future__ import annotations

import pytest
import time_machine
from django.urls import reverse

from diogelu.access.models import AccessLog, Channel, Part
from diogelu.conferences.tests.test_documents import first_page_png, flat, pdf_text
from diogelu.conferences.tests.test_documents import publish_outline_plan as publish
from diogelu.conferences.tests.test_journey import at, held
from diogelu.plans import documents
from diogelu.plans.models import Plan


@pytest.fixture(autouse=True)
def _recent_step_up(monkeypatch):
    """These tests are about the document; the step-up before a download (password re-entered
    within STEP_UP_SECONDS) is tested in tests/test_step_up.py."""
    monkeypatch.setattr("diogelu.accounts.stepup.has_recent_step_up", lambda request: True)


@pytest.fixture
def clock():
    with time_machine.travel(at(2026, 1, 5, 8), tick=False) as traveller:
        yield traveller


@pytest.fixture
def plan(world, clock):
    held(world, clock)
    clock.move_to(at(2026, 1, 20, 9))
    return Plan.objects.get(person=world.child)


def download(world, persona, plan, lang=None):
    url = reverse("plan_family_copy_pdf", args=[plan.pk])
    return world.client_for(getattr(world, persona)).get(url, {"lang": lang} if lang else {})


def test_family_copy_in_english_in_plain_words(world, plan, tmp_path):
    version = publish(world, plan)
    response = download(world, "social_worker", plan, "en")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = flat(pdf_text(response.content, tmp_path))
    for expected in (
        "Care and support protection plan for Siân Prydderch",
        "Family copy",
        "Version 1 of the plan, from 20 January 2026",
        "What needs to change",
        "1. Siân is not hurt at home",
        "How we will know things are better: No injuries seen at visits or school",
        "Mother attends the Freedom programme",
        "Mrs Jones, DSP",
        "1 March 2026",
        "2. Siân goes to school every day, fed and rested",
        "What Siân told us",
        "Dw i eisiau i Mam fod yn hapus a neb i weiddi.",
        "If things do not get better",
        "If any new injury: strategy discussion the same day.",
        "Who to contact",
        str(world.social_worker),
        "The next review conference is on 14 April 2026.",
        "OFFICIAL-SENSITIVE",
        f"{world.child.la_reference}-v{version.number}",
        "Page 1 of",
    ):
        assert expected in text, expected
    # Nothing agency-internal and nobody else's child.
    for absent in (
        "Quality score",
        f"{version.quality_score}%",
        "Physical abuse",
        "Emotional or psychological abuse",
        "Likely to suffer physical and emotional harm",  # the conference's reasons
        "step-father shouts",  # the child's views as recorded by the conference
        "Dafydd",
        "Osian",
        "Police intelligence",
    ):
        assert absent not in text, absent
    first_page_png(response.content, "plan-family-copy-en")


def test_family_copy_in_welsh(world, plan, tmp_path):
    publish(world, plan)
    response = download(world, "social_worker", plan, "cy")
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith('-family-copy-cy.pdf"')
    text = flat(pdf_text(response.content, tmp_path))
    assert "SWYDDOGOL-SENSITIF" in text
    assert "Tudalen 1 o" in text
    assert "1 Mawrth 2026" in text  # dates in Welsh
    assert "Siân Prydderch" in text
    assert "OFFICIAL-SENSITIVE" not in text
    html = documents.plan_family_copy_html(
        world.social_worker, plan, plan.current_version(), langs=("cy",)
    )
    assert '<html lang="cy">' in html and '<section class="part part-cy" lang="cy">' in html
    assert "Cynllun gofal a chymorth amddiffyn" in html  # the title, already translated
    first_page_png(response.content, "plan-family-copy-cy")


def test_no_iso_date_in_the_family_copy(world, plan, tmp_path):
    """Dates in letters are written for the reader, in English and in Welsh."""
    import re

    publish(world, plan)
    for lang in ("en", "cy"):
        text = flat(pdf_text(download(world, "social_worker", plan, lang).content, tmp_path))
        assert not re.search(r"\b(19|20)\d\d-\d\d-\d\d\b", text), (lang, text[:400])


def test_family_copy_is_one_language_only(world, plan, tmp_path):
    publish(world, plan)
    response = download(world, "social_worker", plan, "both")  # not offered: page language
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith('-family-copy-en.pdf"')
    text = flat(pdf_text(response.content, tmp_path))
    assert "OFFICIAL-SENSITIVE" in text and "SWYDDOGOL-SENSITIF" not in text


def test_latest_published_version_not_the_draft(world, plan, tmp_path):
    from diogelu.plans import services as plans

    v1 = publish(world, plan)
    plans.edit_plan(
        actor=world.social_worker,
        version=v1,
        expected_version=v1.version,
        child_words="A draft not yet agreed.",
        contingency=v1.contingency,
        outcomes=[{"what_must_change": "Draft outcome only", "measure": "", "actions": []}],
    )
    text = flat(pdf_text(download(world, "social_worker", plan, "en").content, tmp_path))
    assert "Siân is not hurt at home" in text
    assert "Draft outcome only" not in text and "A draft not yet agreed." not in text


def test_nothing_published_is_404(world, plan):
    from diogelu.plans import services as plans

    plans.draft_plan(actor=world.social_worker, plan=plan)
    assert download(world, "social_worker", plan, "en").status_code == 404
    assert not AccessLog.objects.filter(channel=Channel.EXPORT).exists()


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("social_worker", 200),
        ("manager", 200),
        ("police_officer", 404),  # a core group member reads the plan, but not the family copy
        ("school_lead", 404),
        ("health_practitioner", 404),
        ("mash", 404),
        ("other_la_worker", 404),
    ],
)
def test_family_copy_is_for_authority_staff_only(world, plan, persona, expected):
    publish(world, plan)
    user = getattr(world, persona)
    assert download(world, persona, plan, "en").status_code == expected
    rows = AccessLog.objects.filter(user=user, channel=Channel.EXPORT)
    assert rows.count() == (1 if expected == 200 else 0)


def test_download_is_logged_and_named_by_reference(world, plan):
    version = publish(world, plan)
    response = download(world, "social_worker", plan, "en")
    assert response["Content-Disposition"] == (
        f'attachment; filename="diogelu-{world.child.la_reference}-v{version.number}'
        '-family-copy-en.pdf"'
    )
    assert "Prydderch" not in response["Content-Disposition"]
    row = AccessLog.objects.get(channel=Channel.EXPORT)
    assert (row.user_id, row.person_id, row.part, row.route) == (
        world.social_worker.pk,
        world.child.pk,
        Part.SUMMARY,
        "plan_family_copy_pdf",
    )


def test_plan_page_links_to_the_family_copy_for_staff(world, plan):
    url = reverse("plan_family_copy_pdf", args=[plan.pk])
    page = world.client_for(world.social_worker).get(reverse("show_plan", args=[plan.pk]))
    assert url not in page.content.decode()  # nothing published yet
    publish(world, plan)
    page = world.client_for(world.social_worker).get(reverse("show_plan", args=[plan.pk]))
    body = page.content.decode()
    assert f"{url}?lang=cy" in body and f"{url}?lang=en" in body
    member = world.client_for(world.police_officer).get(reverse("show_plan", args=[plan.pk]))
    assert member.status_code == 200
    assert url not in member.content.decode()


def test_without_a_choice_the_family_copy_is_in_the_childs_preferred_language(world, plan):
    publish(world, plan)
    world.child.preferred_language = "cy"
    world.child.save(update_fields=["preferred_language"])
    response = download(world, "social_worker", plan)  # an English page, no ?lang=
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith('-family-copy-cy.pdf"')
    world.child.preferred_language = "en"
    world.child.save(update_fields=["preferred_language"])
    assert download(world, "social_worker", plan)["Content-Disposition"].endswith(
        '-family-copy-en.pdf"'
    )
    page = world.client_for(world.social_worker).get(reverse("show_plan", args=[plan.pk]))
    assert "preferred language" in page.content.decode()
    assert f'href="{reverse("plan_family_copy_pdf", args=[plan.pk])}"' in page.content.decode()
