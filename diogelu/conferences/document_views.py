"""The conference record and outline plan as a PDF download (``?lang=en|cy|both``).

Thin: the record comes through ``documents.access_conference_record`` (the authority's social
work staff who may see the whole conference, or a recipient it was circulated to; 404 otherwise),
which logs the export of each child.
"""

from __future__ import annotations

from django.http import HttpResponse

from diogelu.accounts.stepup import step_up_required
from diogelu.conferences import documents
from diogelu.core.views import AuthedRequest


@step_up_required
def record_pdf_view(request: AuthedRequest, pk: int) -> HttpResponse:
    conference = documents.access_conference_record(
        request.user, pk, route="conference_record_pdf", request=request
    )
    langs = documents.document_languages(request.GET.get("lang"))
    pdf = documents.conference_record_pdf(request.user, conference, langs=langs)
    label = "both" if len(langs) > 1 else langs[0]
    filename = f"diogelu-{documents.conference_reference(conference)}-record-{label}.pdf"
    return documents.pdf_response(pdf, filename=filename)
