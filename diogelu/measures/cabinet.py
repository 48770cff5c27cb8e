"""The report to Cabinet and Scrutiny, as a page and as a bilingual PDF.

It is drawn from the report's frozen snapshot, so it reads as it was presented. Welsh and English
are side by side (two columns, each section paired) or in sequence (each language on pages of its
own, Welsh or English first), as the authority chooses (``AuthoritySettings.report_layout``, kept
on each report). The PDF follows the conventions of the conference record
(``core/documents.py``): protective marking and "page x of y" on every page, produced by
whom and when, self-contained, downloaded after a step-up. It names no child (figures only), so
it writes no access-log row.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from markupsafe import Markup

from diogelu.core.documents import (
    _page_counter,
    css_string,
    render_document,
    write_pdf,
)
from diogelu.core.presenters import format_date, format_datetime
from diogelu.measures.charts import trend_svg
from diogelu.measures.models import CabinetReport, ReportLayout

if TYPE_CHECKING:
    from diogelu.accounts.models import User

_LABELS = {
    "title": gettext_lazy("Improvement plan: report on progress"),
    "meeting": gettext_lazy("Meeting"),
    "inspection": gettext_lazy("Inspection"),
    "summary": gettext_lazy("Summary of progress by finding"),
    "finding": gettext_lazy("Finding"),
    "area": gettext_lazy("Area"),
    "on_track": gettext_lazy("On track"),
    "at_risk": gettext_lazy("At risk"),
    "off_track": gettext_lazy("Off track"),
    "completed": gettext_lazy("Completed"),
    "completed_actions": gettext_lazy("Actions completed"),
    "off_track_actions": gettext_lazy("Actions off track"),
    "due_actions": gettext_lazy("Actions due by the next quarter"),
    "action": gettext_lazy("Action"),
    "owner": gettext_lazy("Owner"),
    "due": gettext_lazy("Due"),
    "why": gettext_lazy("Why"),
    "measures": gettext_lazy("Linked measures"),
    "target": gettext_lazy("Target"),
    "latest": gettext_lazy("Latest quarter"),
    "evidence": gettext_lazy("Evidence"),
    "evidence_added": gettext_lazy("Date added"),
    "none": gettext_lazy("None"),
    "rag_note": gettext_lazy(
        "RAG is computed from an action's linked measures and milestones where it has them, and "
        "otherwise set by its owner with a reason and agreed by the plan lead."
    ),
}


def _labels(lang: str) -> dict[str, str]:
    with translation.override(lang):
        return {k: str(v) for k, v in _LABELS.items()}


def _order(layout: str) -> tuple[str, ...]:
    return ("en", "cy") if layout == ReportLayout.ENGLISH_FIRST else ("cy", "en")


def context(report: CabinetReport, *, charts: bool = True) -> dict[str, Any]:
    data = report.snapshot
    findings = data.get("findings", [])
    actions = [a for f in findings for a in f["actions"]]
    measures = []
    for m in data.get("measures", []):
        points = [(d[5:7] + "/" + d[2:4], v) for d, v in m["trend"]]
        measures.append(
            {
                **m,
                "chart": trend_svg(points, title=m["name"], target=m["target"]) if charts else "",
            }
        )
    inspection = report.inspection
    return {
        "report": report,
        "inspection": inspection,
        "findings": findings,
        "completed": [a for a in actions if a["completed"]],
        "off_track": [a for a in actions if a["rag"] == "RED" and not a["completed"]],
        "due": [a for a in actions if a["due_soon"]],
        "measures": measures,
        "evidence": data.get("evidence", []),
        "langs": _order(report.layout),
        "D": _date_in,
        "side_by_side": report.layout == ReportLayout.SIDE_BY_SIDE,
        "L": {lang: _labels(lang) for lang in ("cy", "en")},
        "meeting": {
            lang: _in(lang, lambda: format_date(report.meeting_on)) for lang in ("cy", "en")
        },
        "inspection_kind": {
            lang: _in(lang, lambda: str(inspection.get_kind_display())) for lang in ("cy", "en")
        },
    }


def _date_in(lang: str, iso: str) -> str:
    """An ISO date from the snapshot as words, in ``lang`` ("4 Mehefin 2026")."""
    import datetime

    return _in(lang, lambda: format_date(datetime.date.fromisoformat(iso)))


def _in(lang: str, fn: Any) -> str:
    with translation.override(lang):
        return str(fn())


def report_reference(report: CabinetReport) -> str:
    return f"CAB-{report.meeting_on.isoformat()}-{report.pk}"


def report_html(viewer: User, report: CabinetReport) -> str:
    produced_at = timezone.now()
    ctx = {**context(report), "pdf": True}
    if ctx["side_by_side"]:
        body = render_to_string("measures/pdf/cabinet.jinja", {**ctx, "lang": "cy"})
        markings, footers, pages = [], [], []
        for lang in ("cy", "en"):
            with translation.override(lang):
                markings.append(_("OFFICIAL-SENSITIVE"))
                footers.append(
                    _("Produced by %(name)s on %(date)s")
                    % {"name": viewer, "date": format_datetime(produced_at)}
                )
                pages.append(_page_counter())
        part = {
            "lang": "cy",
            "title": " / ".join(ctx["L"][x]["title"] for x in ("cy", "en")),
            "body": Markup(body),  # noqa: S704 - the output of an autoescaped template
            "marking_css": Markup(css_string(" / ".join(markings))),  # noqa: S704 - escaped
            "footer_css": Markup(  # noqa: S704 - css_string escapes
                css_string(f"{report_reference(report)} · {' / '.join(markings)}\n{footers[1]}")
            ),
            "page_css": Markup(f"{pages[0]} {css_string(' / ')} {pages[1]}"),  # noqa: S704
        }
        return render_to_string(
            "pdf/_document.jinja",
            {"parts": [part], "lang": "cy", "title": part["title"]},
        )
    return render_document(
        body_template="measures/pdf/cabinet.jinja",
        context=ctx,
        langs=ctx["langs"],
        title=_LABELS["title"],
        reference=report_reference(report),
        viewer=viewer,
        produced_at=produced_at,
    )


def report_pdf(viewer: User, report: CabinetReport) -> bytes:
    return write_pdf(report_html(viewer, report))
