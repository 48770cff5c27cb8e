"""The family copy of a care and support protection plan as a PDF download (``?lang=en|cy``).

Thin: the plan and its latest published version come through
``documents.access_plan_family_copy`` (the child's authority's social work staff only; 404
otherwise, and when nothing is published), which logs the export.
"""

from __future__ import annotations

from django.http import HttpResponse

from diogelu.accounts.stepup import step_up_required
from diogelu.core.documents import document_languages, pdf_response
from diogelu.core.views import AuthedRequest
from diogelu.plans import documents


@step_up_required
def family_copy_pdf_view(request: AuthedRequest, pk: int) -> HttpResponse:
    plan, version = documents.access_plan_family_copy(
        request.user, pk, route="plan_family_copy_pdf", request=request
    )
    langs = document_languages(request.GET.get("lang"), allowed=documents.FAMILY_COPY_LANGUAGES)
    pdf = documents.plan_family_copy_pdf(request.user, plan, version, langs=langs)
    reference = documents.family_copy_reference(plan, version)
    return pdf_response(pdf, filename=f"diogelu-{reference}-family-copy-{langs[0]}.pdf")
