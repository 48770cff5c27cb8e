"""The conference record and outline plan as a PDF (WeasyPrint), in Welsh, English or both.

An export is a read like any other (ADR 0008): ``access_conference_record`` lets through the
authority's social work staff who may see the whole conference and every recipient the record was
circulated to (the same checks as the conference page and the acknowledge page), and writes one
access-log row per child with the EXPORT channel. The document holds the record every recipient
is sent: no agency report text, nothing from the children's wider records.

Documents are *bilingual-capable*: the body is rendered once per language with
``translation.override`` (Welsh first, then English, when both are asked for, as Welsh public bodies
publish them), each part on pages of its own whose header and footer are in that part's language.
The frame (``render_document``, ``write_pdf``, ``pdf_response``) is shared with the plan's family
copy (``diogelu/plans/documents.py``) and lives in ``diogelu/core/documents.py``.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from django.http import Http404, HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy

from diogelu.access.models import Basis, Channel, Part
from diogelu.access.services import log_reads
from diogelu.access.visibility import decide
from diogelu.conferences import access, hooks
from diogelu.conferences.models import (
    Category,
    Conference,
    ConferenceChild,
    ConferenceStatus,
    CoreGroupMember,
    Invitation,
    InviteeKind,
)
from diogelu.core.documents import DOCUMENT_LANGUAGES as DOCUMENT_LANGUAGES
from diogelu.core.documents import document_languages as document_languages
from diogelu.core.documents import pdf_response as pdf_response
from diogelu.core.documents import render_document, write_pdf

if TYPE_CHECKING:
    from diogelu.accounts.models import User
    from diogelu.plans.models import PlanVersion

# --- who may download the record ------------------------------------------------------------


def conference_reference(conference: Conference) -> str:
    """The conference's reference on documents and file names (``CPC-000042``)."""
    return f"CPC-{conference.pk:06d}"


def access_conference_record(
    user: User, pk: object, *, route: str, request: HttpRequest | None = None
) -> Conference:
    """A held conference's record for the authority's social work staff who may see the whole
    conference, or for a recipient it was circulated to; 404 alike for missing and not allowed.

    Writes one EXPORT access-log row per child. A recipient whose involvement with a child has
    since ended (a child not registered) is still logged, on the basis of the involvement the
    circulated record came from; a restricted child they may not see closes the record to them.
    """
    try:
        conference_id = int(str(pk))
    except (TypeError, ValueError):
        raise Http404 from None
    found = access.visible_conferences(user).filter(pk=conference_id).first()
    circulated = False
    if found is None:
        found = Conference.objects.filter(pk=conference_id).select_related("authority").first()
        circulated = found is not None and bool(access.my_circulations(user, found))
        if found is None or not circulated:
            raise Http404
    if found.status != ConferenceStatus.HELD:
        raise Http404
    people = [c.person for c in found.children.select_related("person", "person__authority")]
    if circulated and any(
        decide(user, p) is None and (p.is_restricted or user.is_local_authority_staff)
        for p in people
    ):
        # Nobody reaches a restricted child they may not see through a copy sent to them or
        # to a family member (whose acknowledgement any social worker records).
        raise Http404
    log_reads(
        user,
        people,
        part=Part.SUMMARY,
        route=route,
        channel=Channel.EXPORT,
        request=request,
        fallback_basis=Basis.INVOLVEMENT if circulated else None,
    )
    return found


# --- the record ----------------------------------------------------------------------------------


def _group_order(invitation: Invitation) -> tuple[int, str]:
    if invitation.invitee_kind == InviteeKind.AGENCY:
        return (0, invitation.agency.name if invitation.agency else "")
    return (1 if invitation.invitee_kind == InviteeKind.FAMILY else 2, "")


def _attendance_groups(invitations: list[Invitation]) -> list[dict[str, Any]]:
    """Invitations grouped by agency (then family members, then the child)."""
    groups: dict[tuple[int, str], dict[str, Any]] = {}
    for i in sorted(invitations, key=lambda i: (_group_order(i), i.pk)):
        key = _group_order(i)
        group = groups.setdefault(
            key, {"kind": i.invitee_kind, "agency": i.agency, "invitations": []}
        )
        group["invitations"].append(i)
    return list(groups.values())


def _published_plan(child: ConferenceChild) -> PlanVersion | None:
    """The outline plan as the record went out (given by the plans app, ADR 0405)."""
    found: PlanVersion | None = hooks.outline_plan(child)
    return found


def _core_group(conference: Conference, child: ConferenceChild) -> list[CoreGroupMember]:
    if child.episode is None:
        return []
    members = child.episode.core_group.select_related("agency", "user", "person")
    named = [m for m in members if m.named_by_id == conference.pk]
    return named or [m for m in members if m.ended_at is None]


def category_label(code: str) -> str:
    """A category's name in the active language (called while rendering each part)."""
    return str(Category(code).label) if code in Category.values else code


def record_context(conference: Conference) -> dict[str, Any]:
    """Everything the record shows; labels are translated while each language part renders."""
    invitations = list(conference.invitations.select_related("agency", "user", "person"))
    children = []
    for c in conference.children.select_related("person", "episode"):
        decision = getattr(c, "decision", None)
        children.append(
            {
                "child": c,
                "decision": decision,
                "lead": decision.lead_practitioner if decision else None,
                "core_group": _core_group(conference, c) if decision and decision.register else [],
                "plan": _published_plan(c) if decision and decision.register else None,
            }
        )
    counts = {
        kind: sum(1 for i in invitations if i.attendance == kind)
        for kind in ("ATTENDED", "APOLOGIES", "NOT_ATTENDED")
    }
    return {
        "c": conference,
        "reference": conference_reference(conference),
        "groups": _attendance_groups(invitations),
        "counts": counts,
        "reports": [i for i in invitations if i.report_submitted_at is not None],
        "children": children,
        "category_label": category_label,
    }


def conference_record_pdf(
    viewer: User,
    conference: Conference,
    *,
    langs: Sequence[str] = ("en",),
    produced_at: datetime.datetime | None = None,
) -> bytes:
    """The conference record and outline plan as PDF, in ``langs`` (``("cy", "en")`` for both)."""
    return write_pdf(
        conference_record_html(viewer, conference, langs=langs, produced_at=produced_at)
    )


def conference_record_html(
    viewer: User,
    conference: Conference,
    *,
    langs: Sequence[str] = ("en",),
    produced_at: datetime.datetime | None = None,
) -> str:
    """The HTML WeasyPrint renders (tests read its ``lang`` attributes)."""
    return render_document(
        body_template="conferences/pdf/record.jinja",
        context=record_context(conference),
        langs=langs,
        title=gettext_lazy("Conference record"),
        reference=conference_reference(conference),
        viewer=viewer,
        produced_at=produced_at or timezone.now(),
    )
