"""Printable exports of a person's record, made with WeasyPrint.

An export is a read like any other: the view fetches the person through ``access_person`` with the
EXPORT channel, so the access log records it, and the document holds only the parts the viewer may
see. Each page is marked with who produced it and when.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.template.loader import render_to_string
from django.utils import timezone

from diogelu.access.models import Part
from diogelu.chronology.services import visible_events
from diogelu.people.presenters import PersonPresenter
from diogelu.people.services import family_of

if TYPE_CHECKING:
    from django.http import HttpRequest

    from diogelu.access.services import PersonAccess
    from diogelu.accounts.models import User


def person_summary_pdf(viewer: User, access: PersonAccess, request: HttpRequest) -> bytes:
    """The person's summary (and family and chronology where the viewer may see them) as PDF."""
    from weasyprint import HTML

    context = {
        "person": PersonPresenter(access),
        "family": family_of(viewer, access) if access.may_see(Part.FAMILY) else [],
        "events": list(visible_events(viewer, access)[:200])
        if access.may_see(Part.CHRONOLOGY)
        else [],
        "viewer": viewer,
        "produced_at": timezone.now(),
    }
    html = render_to_string("people/person_summary_pdf.jinja", context, request=request)
    return bytes(HTML(string=html, base_url=request.build_absolute_uri("/")).write_pdf())
