"""PDF export: WeasyPrint renders the parts the viewer may see; the export is access-logged."""

from __future__ import annotations

import shutil
import subprocess

import pytest
from django.urls import reverse

from diogelu.access.models import AccessLog, Channel


@pytest.fixture(autouse=True)
def _recent_step_up(monkeypatch):
    """These tests are about the document; the step-up before a download (password re-entered
    within STEP_UP_SECONDS) is tested in tests/test_step_up.py."""
    monkeypatch.setattr("diogelu.accounts.stepup.has_recent_step_up", lambda request: True)


def test_export_is_a_pdf_and_is_logged(world, tmp_path):
    response = world.client_for(world.police_officer).get(
        reverse("export_person", args=[world.child.pk])
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response.content.startswith(b"%PDF")
    row = AccessLog.objects.get(user=world.police_officer)
    assert row.channel == Channel.EXPORT
    pdf = tmp_path / "record.pdf"
    pdf.write_bytes(response.content)
    if shutil.which("pdftotext"):
        text = subprocess.run(
            ["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True
        ).stdout
        assert "Siân Prydderch" in text
        assert "Police intelligence" in text
        assert "LA only note" not in text
        assert "Attendance concern" in text


def test_export_for_school_excludes_family_part(world, tmp_path):
    response = world.client_for(world.school_lead).get(
        reverse("export_person", args=[world.child.pk])
    )
    pdf = tmp_path / "record.pdf"
    pdf.write_bytes(response.content)
    if shutil.which("pdftotext"):
        text = subprocess.run(
            ["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True
        ).stdout
        assert "Rhian" not in text
        assert "Police intelligence" not in text


def test_export_renders_welsh_and_to_png(world, tmp_path):
    if not shutil.which("pdftoppm"):
        pytest.fail(
            "pdftoppm (poppler-utils) is needed to check PDFs as images; .ci/run installs it"
        )
    client = world.client_for(world.social_worker)
    client.post(reverse("set_language"), {"language": "cy", "next": "/"})
    response = client.get(reverse("export_person", args=[world.child.pk]))
    pdf = tmp_path / "record.pdf"
    pdf.write_bytes(response.content)
    subprocess.run(["pdftoppm", "-png", "-r", "60", str(pdf), str(tmp_path / "page")], check=True)
    pages = sorted(tmp_path.glob("page*.png"))
    assert pages
    assert pages[0].stat().st_size > 5_000
    text = subprocess.run(
        ["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "Siân Prydderch" in text
    assert "Crynodeb" in text
    # Dates for the reader, never ISO (the chronology and the summary included).
    import re

    assert not re.search(r"\b(19|20)\d\d-\d\d-\d\d\b", text), text[:600]


def test_export_not_entitled_is_404(world):
    response = world.client_for(world.health_practitioner).get(
        reverse("export_person", args=[world.child.pk])
    )
    assert response.status_code == 404
    assert AccessLog.objects.count() == 0
