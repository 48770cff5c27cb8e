"""Every Diogelu PDF document's frame: languages, the page header and footer, WeasyPrint.

Documents are *bilingual-capable*: the body is rendered once per language with
``translation.override`` (Welsh first, then English, when both are asked for, as Welsh public bodies
publish them), each part on pages of its own whose header and footer are in that part's language
(template ``pdf/_document.jinja``). WeasyPrint fetches nothing: a document is self-contained.
Used by the conference record (``conferences/documents.py``) and the plan's family copy
(``plans/documents.py``), which decide who may download what and log the read.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from markupsafe import Markup

from diogelu.core.presenters import format_datetime

if TYPE_CHECKING:
    from diogelu.accounts.models import User

#: What ``?lang=`` may ask for, and the languages rendered (Welsh first when both).
DOCUMENT_LANGUAGES: dict[str, tuple[str, ...]] = {
    "en": ("en",),
    "cy": ("cy",),
    "both": ("cy", "en"),
}

_SAFE_CSS = frozenset(" .,:-/")
_N, _TOTAL = "\x00n\x00", "\x00t\x00"


def document_languages(
    value: str | None, *, allowed: Sequence[str] = ("en", "cy", "both")
) -> tuple[str, ...]:
    """The languages to render for ``?lang=``; the page's language when missing or unknown."""
    key = (value or "").strip().lower()
    if key not in allowed:
        key = "cy" if (translation.get_language() or "en").startswith("cy") else "en"
    return DOCUMENT_LANGUAGES[key]


def css_string(text: str) -> str:
    """``text`` as a CSS string literal, every character that could end it escaped."""
    out = [ch if ch.isalnum() or ch in _SAFE_CSS else f"\\{ord(ch):x} " for ch in text]
    return '"' + "".join(out) + '"'


def _page_counter() -> str:
    """CSS ``content`` for "Page x of y" in the active language (its word order kept)."""
    text = _("Page %(n)s of %(total)s") % {"n": _N, "total": _TOTAL}
    pieces = []
    for piece in re.split(f"({re.escape(_N)}|{re.escape(_TOTAL)})", text):
        if piece == _N:
            pieces.append("counter(page)")
        elif piece == _TOTAL:
            pieces.append("counter(pages)")
        elif piece:
            pieces.append(css_string(piece))
    return " ".join(pieces)


def render_document(
    *,
    body_template: str,
    context: Mapping[str, Any],
    langs: Sequence[str],
    title: str | Promise,
    reference: str,
    viewer: User,
    produced_at: datetime.datetime,
) -> str:
    """The whole HTML document: ``body_template`` once per language, each part on its own pages.

    ``title`` is a lazy translation, made a string in each part's language. Every page carries
    the protective marking, the reference, who produced the document and when, and "page x of
    y", in its part's language.
    """
    parts = []
    for lang in langs:
        with translation.override(lang):
            marking = _("OFFICIAL-SENSITIVE")
            produced = _("Produced by %(name)s on %(date)s") % {
                "name": viewer,
                "date": format_datetime(produced_at),
            }
            body = render_to_string(body_template, {**context, "lang": lang})
            parts.append(
                {
                    "lang": lang,
                    "title": str(title),
                    "body": Markup(body),  # noqa: S704 - the output of an autoescaped template
                    "marking_css": Markup(css_string(marking)),  # noqa: S704 - css_string escapes
                    "footer_css": Markup(  # noqa: S704 - css_string escapes
                        css_string(f"{reference} · {marking}\n{produced}")
                    ),
                    "page_css": Markup(_page_counter()),  # noqa: S704 - css_string escapes
                }
            )
    return render_to_string(
        "pdf/_document.jinja",
        {"parts": parts, "lang": langs[0], "title": " / ".join(str(p["title"]) for p in parts)},
    )


def _refuse_fetch(url: str, *args: Any, **kwargs: Any) -> dict[str, Any]:
    """Documents are self-contained: WeasyPrint may fetch nothing (no images, no stylesheets)."""
    raise ValueError("Documents do not load external resources")


def write_pdf(html: str) -> bytes:
    from weasyprint import HTML

    return bytes(HTML(string=html, url_fetcher=_refuse_fetch).write_pdf())


def pdf_response(pdf: bytes, *, filename: str) -> HttpResponse:
    """The PDF as a download; ``filename`` is made of references only, never a name."""
    safe = re.sub(r"[^A-Za-z0-9._-]", "-", filename)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{safe}"'
    return response
