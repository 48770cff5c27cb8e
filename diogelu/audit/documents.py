"""The programme report for the quality assurance board as a PDF (English, Welsh or both)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from diogelu.audit import reports
from diogelu.audit.forms import section_title, team_title
from diogelu.audit.models import GRADE_ORDER, Grade
from diogelu.core.documents import render_document, write_pdf

if TYPE_CHECKING:
    from diogelu.accounts.models import User
    from diogelu.audit.models import Programme

TITLE = _("Case-file audit: report to the quality assurance board")


def report_html(programme: Programme, *, langs: Sequence[str], viewer: User) -> str:
    return render_document(
        body_template="audit/pdf/report.jinja",
        context={
            "r": reports.build(programme),
            "programme": programme,
            "section_title": section_title,
            "team_title": team_title,
            "grades": GRADE_ORDER,
            "grade_labels": dict(Grade.choices),
        },
        langs=langs,
        title=TITLE,
        reference=f"AUD-{programme.pk}",
        viewer=viewer,
        produced_at=timezone.now(),
    )


def report_pdf(programme: Programme, *, langs: Sequence[str], viewer: User) -> bytes:
    return write_pdf(report_html(programme, langs=langs, viewer=viewer))
