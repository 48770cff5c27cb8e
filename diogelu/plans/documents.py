"""The family copy of a care and support protection plan as a PDF, in Welsh or English.

The copy the social worker gives the family: the latest *published* version in plain words —
what must change, who will do what by when, how everyone will know, the child's own words, what
happens if things do not get better, and whom to contact. It holds nothing agency-internal: no
quality score or issues, no agency reports, no register categories or conference reasoning, and
nothing about any other child.

Only the child's local authority staff (social work roles) may produce it
(``access_plan_family_copy``); each one is an EXPORT read in the access log.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from django.db.models import Prefetch, QuerySet
from django.http import Http404, HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy

from diogelu.access.models import Channel, Part
from diogelu.access.services import log_reads
from diogelu.access.visibility import decide
from diogelu.accounts.roles import is_conference_staff
from diogelu.conferences.models import ConferenceChild, ConferenceDecision, RegisterEpisode
from diogelu.core.documents import render_document, write_pdf
from diogelu.plans.access import plans_visible_to
from diogelu.plans.models import Plan, PlanAction, PlanOutcome, PlanVersion, VersionStatus

if TYPE_CHECKING:
    from diogelu.accounts.models import User

#: The family copy is in one language: the family's, Welsh or English.
FAMILY_COPY_LANGUAGES = ("en", "cy")


def published_versions() -> QuerySet[PlanVersion]:
    """Published plan versions, latest first, with their outcomes and actions."""
    return (
        PlanVersion.objects.filter(status=VersionStatus.PUBLISHED)
        .order_by("-number")
        .prefetch_related(
            Prefetch(
                "outcomes",
                queryset=PlanOutcome.objects.prefetch_related(
                    Prefetch(
                        "actions",
                        queryset=PlanAction.objects.select_related("responsible_agency"),
                    )
                ),
            )
        )
    )


def access_plan_family_copy(
    user: User, pk: object, *, route: str, request: HttpRequest | None = None
) -> tuple[Plan, PlanVersion]:
    """The plan and its latest published version, for the child's authority's social work
    staff; 404 alike for missing, not allowed and nothing published. Logs the export."""
    try:
        plan_id = int(str(pk))
    except (TypeError, ValueError):
        raise Http404 from None
    plan = (
        plans_visible_to(user)
        .filter(pk=plan_id)
        .select_related("person", "episode", "episode__authority", "episode__lead_practitioner")
        .first()
    )
    if plan is None or not is_conference_staff(user) or user.agency_id != plan.episode.authority_id:
        raise Http404
    decision = decide(user, plan.person)
    if decision is None or not decision.may_see(Part.SUMMARY):
        raise Http404
    version = published_versions().filter(plan=plan).first()
    if version is None:
        raise Http404
    log_reads(
        user, [plan.person], part=Part.SUMMARY, route=route, channel=Channel.EXPORT, request=request
    )
    return plan, version


def family_copy_reference(plan: Plan, version: PlanVersion) -> str:
    """The copy's reference on its pages and file name: the child's LA reference and version."""
    return f"{plan.person.la_reference}-v{version.number}"


def _next_review(plan: Plan) -> datetime.date | None:
    """The review conference date set by the latest conference that kept the child registered."""
    decision = (
        ConferenceDecision.objects.filter(child__episode_id=plan.episode_id, register=True)
        .exclude(review_on=None)
        .order_by("-child__conference__held_at")
        .first()
    )
    if decision is None or decision.review_on is None:
        return None
    return decision.review_on if decision.review_on >= timezone.localdate() else None


def family_copy_context(plan: Plan, version: PlanVersion) -> dict[str, Any]:
    episode = plan.episode
    child = plan.person
    return {
        "plan": plan,
        "version": version,
        "child": child,
        "child_name": child.preferred_name or child.given_name or child.full_name,
        "outcomes": list(version.outcomes.all()),
        "lead": episode.lead_practitioner,
        "authority": episode.authority,
        "next_review": _next_review(plan) if episode.is_open else None,
        "reference": family_copy_reference(plan, version),
    }


def plan_family_copy_html(
    viewer: User,
    plan: Plan,
    version: PlanVersion,
    *,
    langs: Sequence[str] = ("en",),
    produced_at: datetime.datetime | None = None,
) -> str:
    """The HTML WeasyPrint renders (tests read its ``lang`` attribute)."""
    return render_document(
        body_template="plans/pdf/family_copy.jinja",
        context=family_copy_context(plan, version),
        langs=langs,
        title=gettext_lazy("Care and support protection plan"),
        reference=family_copy_reference(plan, version),
        viewer=viewer,
        produced_at=produced_at or timezone.now(),
    )


def plan_family_copy_pdf(
    viewer: User,
    plan: Plan,
    version: PlanVersion,
    *,
    langs: Sequence[str] = ("en",),
    produced_at: datetime.datetime | None = None,
) -> bytes:
    """The family copy of ``version`` (a published version of ``plan``) as PDF."""
    if version.plan_id != plan.pk or not version.is_published:
        raise ValueError("The family copy is made from a published version of the plan")
    return write_pdf(
        plan_family_copy_html(viewer, plan, version, langs=langs, produced_at=produced_at)
    )


def outline_plan_for(child: ConferenceChild) -> PlanVersion | None:
    """The outline plan as a conference record went out: the latest version of the child's plan
    published by the time the record was first circulated (the latest so far, before it is
    circulated), so a record does not change with later versions. None if there is none.
    Registered with conferences (``conferences.hooks.register_outline_plan``)."""
    if child.episode_id is None:
        return None
    versions = published_versions().filter(plan__episode_id=child.episode_id)
    circulated_at = child.conference.record_circulated_at
    if circulated_at is not None:
        versions = versions.filter(published_at__lte=circulated_at)
    return versions.first()


def make_plan(episode: RegisterEpisode) -> None:
    """Registering a child makes its plan (``conferences.hooks.register_on_registered``)."""
    Plan.objects.create(person_id=episode.person_id, episode=episode)
