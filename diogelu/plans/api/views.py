"""``/api/v1/plans/``: care and support protection plans and review conferences.

Plan versions (draft, edit with the expected version, quality preview, publish), core group
meetings, visits and the visits due; convening the review conference from the plan.

Views are thin: records are fetched only through the access functions (404 alike for missing
and not allowed; each read logged on the API channel); input is checked at the edge; every change
is one service call, whose domain errors become problem+json naming the field (400, 403 or 409).
Every POST (and the PUT of a plan version) honours ``Idempotency-Key``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import (
    extend_schema,
)
from rest_framework.exceptions import ValidationError
from rest_framework.generics import GenericAPIView
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from diogelu.access.models import Channel
from diogelu.accounts.models import User
from diogelu.api.authentication import actor
from diogelu.api.idempotency import idempotent
from diogelu.api.schema import (
    BAD,
    IDEMPOTENCY_KEY,
    NOT_FOUND,
    POST_ERRORS,
    post_schema,
    validated,
)
from diogelu.conferences import services as conferences
from diogelu.conferences.api import serializers as conferences_s
from diogelu.conferences.api.views import (
    _agencies,
    _conference_response,
    _is_staff,
    _person,
    _users,
)
from diogelu.core.api_filters import list_filters
from diogelu.core.exceptions import DomainError, NotPermittedError
from diogelu.plans import services as plans
from diogelu.plans.access import access_plan, plans_visible_to
from diogelu.plans.api import serializers as plans_s
from diogelu.plans.child_protection import child_protection_for
from diogelu.plans.due import core_group_due, review_due, visits_due
from diogelu.plans.models import Plan, PlanVersion
from diogelu.plans.quality import plan_quality
from diogelu.procedures import timeliness
from diogelu.sharing.access import log_report_reads

API = Channel.API


#: A core group member may read a plan but not change it.
NOT_STAFF = gettext_lazy("Only the authority's social work staff can change the plan.")


def _plan(user: User, plan_id: int, request: Request, route: str, *, staff: bool = False) -> Plan:
    """A plan the user may read (staff: one they may change), or 404."""
    plan = access_plan(user, plan_id, route=route, request=request._request, channel=API)
    if staff and not _is_staff(user, plan.episode.authority_id):
        if request.method in ("GET", "HEAD"):
            raise Http404  # the staff's own view of a plan (drafts, what is due) stays hidden
        # A core group member can read the plan but not change it: 403, not 404.
        raise NotPermittedError(str(NOT_STAFF))
    return plan


def _version(plan: Plan, version_id: int, *, staff: bool) -> PlanVersion:
    """A version of the plan: published ones for every reader, the draft for staff only."""
    version = plan.versions.filter(pk=version_id).first()
    if version is None or (not version.is_published and not staff):
        raise Http404
    return version


class ConveneReviewView(APIView):
    @post_schema(
        summary="Convene the review conference of a registered child, from the child's plan",
        description="Due `review.first` after the registering conference, then "
        "`review.interval` after the last review held.",
        request=conferences_s.ReviewConveneInputSerializer,
        response=conferences_s.ConferenceSerializer,
        status=201,
    )
    @idempotent
    def post(self, request: Request, plan_id: int) -> Response:
        user = actor(request)
        plan = _plan(user, plan_id, request, "api:conference_review", staff=True)
        data = validated(conferences_s.ReviewConveneInputSerializer, request)
        conference = conferences.convene_review_conference(
            actor=user, episodes=[plan.episode], scheduled_for=data.get("scheduled_for")
        )
        return _conference_response(conference, status=201)


# --- Plans ---------------------------------------------------------------------------------------


def _version_data(version: PlanVersion | None) -> Any:
    if version is None:
        return None
    context = {"statuses": plans.latest_action_statuses(version) if version.is_published else {}}
    return plans_s.PlanVersionSerializer(version, context=context).data


def _plan_data(user: User, plan: Plan) -> Any:
    staff = _is_staff(user, plan.episode.authority_id)
    episode = plan.episode
    meetings = episode.core_groups.prefetch_related(
        "attendance", "progress__outcome", "action_updates__action"
    ).order_by("-held_at")
    dues: dict[str, Any] = {"next_review": None, "next_core_group": None}
    if staff and episode.is_open:
        now = timezone.now()
        dues = {
            "next_review": plans_s.due_data(timeliness(review_due(episode), now)),
            "next_core_group": plans_s.due_data(timeliness(core_group_due(episode), now)),
        }
    data = {
        "id": plan.pk,
        "url": f"/api/v1/plans/{plan.pk}/",
        "person_id": plan.person_id,
        "child": plan.person.full_name,
        "may_edit": staff and episode.is_open,
        "episode": plans_s.PlanEpisodeSerializer(episode).data,
        "current": _version_data(plan.current_version()),
        "draft": _version_data(plan.draft()) if staff else None,
        "versions": plans_s.PlanVersionSummarySerializer(
            plan.versions.select_related("published_by").order_by("number"), many=True
        ).data,
        "core_group_meetings": plans_s.CoreGroupMeetingSerializer(
            meetings, many=True, context={"staff": staff}
        ).data,
        **dues,
    }
    return data


class PlanListView(GenericAPIView[Plan]):
    serializer_class = plans_s.PlanSummarySerializer

    @extend_schema(
        summary="Care and support protection plans you may read",
        description="A page of plans, newest first: the authority's staff see its plans, a core "
        "group member the plans of the children whose core group they are in. Each listed "
        "child's read is access-logged.",
        responses={200: plans_s.PlanSummarySerializer(many=True)},
    )
    def get(self, request: Request) -> Response:
        user = actor(request)
        page = self.paginate_queryset(plans_visible_to(user).order_by("-created_at", "-pk"))
        assert page is not None
        log_report_reads(
            user,
            [p.person_id for p in page],
            route="api:plan_list",
            request=request._request,
            channel=API,
        )
        return self.get_paginated_response(plans_s.PlanSummarySerializer(page, many=True).data)


class PlanDetailView(APIView):
    @extend_schema(
        summary="A care and support protection plan: the current version and the list of versions",
        description="For the authority's staff and the child's current core group members. "
        "Each action shows its status at the latest core group meeting. Staff also get the open "
        "draft and when the next review and core group are due.",
        responses={200: plans_s.PlanSerializer, 404: NOT_FOUND},
    )
    def get(self, request: Request, plan_id: int) -> Response:
        user = actor(request)
        plan = _plan(user, plan_id, request, "api:plan_detail")
        return Response(_plan_data(user, plan))


class PlanVersionsView(APIView):
    @post_schema(
        summary="Start the draft: the open draft, else a copy of the current version, else an "
        "empty version 1",
        description="201 when a draft is made, 200 with the draft already open (one per plan).",
        request=None,
        response=plans_s.PlanVersionSerializer,
        status=201,
    )
    @idempotent
    def post(self, request: Request, plan_id: int) -> Response:
        user = actor(request)
        plan = _plan(user, plan_id, request, "api:plan_draft", staff=True)
        before = plan.draft()
        draft = plans.draft_plan(actor=user, plan=plan)
        made = before is None or before.pk != draft.pk
        return Response(_version_data(draft), status=201 if made else 200)


class PlanVersionView(APIView):
    @extend_schema(
        summary="One version of the plan with its outcomes and actions",
        description="Published versions for every reader of the plan; the draft for staff.",
        responses={200: plans_s.PlanVersionSerializer, 404: NOT_FOUND},
    )
    def get(self, request: Request, plan_id: int, version_id: int) -> Response:
        user = actor(request)
        plan = _plan(user, plan_id, request, "api:plan_version")
        version = _version(plan, version_id, staff=_is_staff(user, plan.episode.authority_id))
        return Response(_version_data(version))

    @extend_schema(
        summary="Save the plan's content (a draft in place; a published version into a new draft)",
        description="Send the `expected_version` you read: a stale one is 409 and changes "
        "nothing. `outcomes` replace the draft's outcomes. A published version is never changed: "
        "saving it makes a new draft copied from it (201), or is refused (400) while another "
        "draft is open. Honours `Idempotency-Key`.",
        request=plans_s.PlanEditInputSerializer,
        responses={
            200: plans_s.PlanVersionSerializer,
            201: plans_s.PlanVersionSerializer,
            **POST_ERRORS,
        },
        parameters=[IDEMPOTENCY_KEY],
    )
    @idempotent
    def put(self, request: Request, plan_id: int, version_id: int) -> Response:
        user = actor(request)
        plan = _plan(user, plan_id, request, "api:plan_edit")
        # A draft is the authority's (404 to others); a version the caller can see: 403.
        staff = _is_staff(user, plan.episode.authority_id)
        version = _version(plan, version_id, staff=staff)
        if not staff:
            raise NotPermittedError(
                _("Only the authority's social work staff can change the plan.")
            )
        data = validated(plans_s.PlanEditInputSerializer, request)
        saved = plans.edit_plan(
            actor=user,
            version=version,
            expected_version=data["expected_version"],
            child_words=data.get("child_words", ""),
            contingency=data.get("contingency", ""),
            outcomes=_outcomes(data["outcomes"]),
        )
        return Response(_version_data(saved), status=200 if saved.pk == version.pk else 201)


def _outcomes(outcomes: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """Outcomes and actions as the service takes them; unknown people or agencies are named by
    position (``outcomes`` → n → ``actions`` → m → field)."""
    actions = [a for o in outcomes for a in o.get("actions") or []]
    users = _users({a.get("responsible_user_id") for a in actions})
    agencies = _agencies({a.get("responsible_agency_id") for a in actions})
    errors: dict[str, Any] = {}
    out = []
    for o_index, o in enumerate(outcomes):
        clean_actions = []
        for a_index, a in enumerate(o.get("actions") or []):
            user_id, agency_id = a.get("responsible_user_id"), a.get("responsible_agency_id")
            problems: dict[str, list[str]] = {}
            if user_id and user_id not in users:
                problems["responsible_user_id"] = [_("Choose the responsible person")]
            if agency_id and agency_id not in agencies:
                problems["responsible_agency_id"] = [_("Choose the responsible agency")]
            if problems:
                errors.setdefault(str(o_index), {}).setdefault("actions", {})[str(a_index)] = (
                    problems
                )
                continue
            clean_actions.append(
                {
                    "description": a["description"],
                    "responsible_name": a.get("responsible_name", ""),
                    "responsible_user": users.get(user_id or 0),
                    "responsible_agency": agencies.get(agency_id or 0),
                    "target_date": a.get("target_date"),
                }
            )
        out.append(
            {
                "what_must_change": o["what_must_change"],
                "measure": o.get("measure", ""),
                "actions": clean_actions,
            }
        )
    if errors:
        raise ValidationError({"outcomes": errors})
    return out


class PlanQualityView(APIView):
    @extend_schema(
        summary="The quality check of the draft: what it is missing, and its score",
        description="Outcomes with a measure and actions; every action with an owner (person and "
        "agency) and a target date; the child's own words; a contingency plan; an action for "
        "every agency named in the core group. Issues do not stop publishing; the score and the "
        "issues are kept on the version when it is published. Staff only; drafts only (a "
        "published version shows the `quality_score` and `quality_issues` it was published with).",
        responses={200: plans_s.QualitySerializer, 400: BAD, 404: NOT_FOUND},
    )
    def get(self, request: Request, plan_id: int, version_id: int) -> Response:
        user = actor(request)
        plan = _plan(user, plan_id, request, "api:plan_quality", staff=True)
        version = _version(plan, version_id, staff=True)
        if version.is_published:
            raise DomainError(
                _("A published version keeps the quality it was published with."),
                field="version_id",
            )
        report = plan_quality(version)
        return Response(
            plans_s.QualitySerializer(
                {
                    "version_id": version.pk,
                    "number": version.number,
                    "score": report.score,
                    "checks": report.checks,
                    "passed": report.passed,
                    "is_complete": report.is_complete,
                    "issues": [i.as_dict() for i in report.issues],
                }
            ).data
        )


class PublishPlanView(APIView):
    @post_schema(
        summary="Publish the draft (its quality score and issues are kept with it)",
        description="Every core group member is told. An empty plan is refused; a stale "
        "`expected_version` is 409. A draft whose quality score is below the authority's "
        "threshold (`PLAN_QUALITY_THRESHOLD`) is published only by a team manager or head of "
        "service with a `sign_off_reason` (403 for anyone else, 400 without a reason).",
        request=plans_s.PublishInputSerializer,
        response=plans_s.PlanVersionSerializer,
    )
    @idempotent
    def post(self, request: Request, plan_id: int, version_id: int) -> Response:
        user = actor(request)
        plan = _plan(user, plan_id, request, "api:plan_publish")
        # A draft is the authority's (404 to others); a version the caller can see: 403.
        staff = _is_staff(user, plan.episode.authority_id)
        version = _version(plan, version_id, staff=staff)
        if not staff:
            raise NotPermittedError(
                _("Only the authority's social work staff can change the plan.")
            )
        data = validated(plans_s.PublishInputSerializer, request)
        published = plans.publish_plan(
            actor=user,
            version=version,
            expected_version=data["expected_version"],
            sign_off_reason=data.get("sign_off_reason", ""),
        )
        return Response(_version_data(published))


class CoreGroupView(APIView):
    @post_schema(
        summary="Record a core group meeting: who came, the child's views, progress and actions",
        description="`attended`: member ids from `GET /people/{id}/register/`. `progress` rates "
        "outcomes and `action_updates` update actions of the current published version. A "
        "denial of access to the child or home tells the lead practitioner and the team "
        "managers. The meeting answers the deadline `core_group.first` (then "
        "`core_group.interval`).",
        request=plans_s.CoreGroupInputSerializer,
        response=plans_s.CoreGroupMeetingSerializer,
        status=201,
    )
    @idempotent
    def post(self, request: Request, plan_id: int) -> Response:
        user = actor(request)
        plan = _plan(user, plan_id, request, "api:plan_core_group", staff=True)
        episode = plan.episode
        data = validated(plans_s.CoreGroupInputSerializer, request)
        members = {m.pk: m for m in episode.core_group.filter(ended_at__isnull=True)}
        current = plan.current_version()
        outcomes = {o.pk: o for o in current.outcomes.all()} if current else {}
        actions = {a.pk: a for o in outcomes.values() for a in o.actions.all()} if current else {}
        errors: dict[str, Any] = {}
        unknown = [i for i in data["attended"] if i not in members]
        if unknown:
            errors["attended"] = [_("Choose members of this core group")]
        for index, p in enumerate(data.get("progress") or []):
            if p["outcome_id"] not in outcomes:
                errors.setdefault("progress", {})[str(index)] = {
                    "outcome_id": [_("Rate progress against the plan's outcomes")]
                }
        for index, u in enumerate(data.get("action_updates") or []):
            if u["action_id"] not in actions:
                errors.setdefault("action_updates", {})[str(index)] = {
                    "action_id": [_("Update the plan's actions")]
                }
        if errors:
            raise ValidationError(errors)
        meeting = plans.record_core_group(
            actor=user,
            episode=episode,
            held_at=data["held_at"],
            attended=[members[i] for i in data["attended"]],
            child_attended=data["child_attended"],
            child_views=data.get("child_views", ""),
            risks=data.get("risks", ""),
            access_denied=data["access_denied"],
            notes=data.get("notes", ""),
            progress=[
                {
                    "outcome": outcomes[p["outcome_id"]],
                    "rating": p["rating"],
                    "note": p.get("note", ""),
                }
                for p in data.get("progress") or []
            ],
            action_updates=[
                {
                    "action": actions[u["action_id"]],
                    "status": u["status"],
                    "note": u.get("note", ""),
                }
                for u in data.get("action_updates") or []
            ],
        )
        return Response(
            plans_s.CoreGroupMeetingSerializer(meeting, context={"staff": True}).data, status=201
        )


class VisitsView(GenericAPIView[Any]):
    serializer_class = plans_s.VisitSerializer

    @extend_schema(
        summary="The statutory visits recorded in this registration (staff), newest first",
        responses={200: plans_s.VisitSerializer(many=True), 404: NOT_FOUND},
    )
    def get(self, request: Request, plan_id: int) -> Response:
        user = actor(request)
        plan = _plan(user, plan_id, request, "api:plan_visits", staff=True)
        visits = plan.episode.visits.select_related("visitor", "recorded_by").order_by(
            "-visited_at", "-pk"
        )
        page = self.paginate_queryset(visits)
        assert page is not None
        return self.get_paginated_response(plans_s.VisitSerializer(page, many=True).data)

    @post_schema(
        summary="Record a statutory visit",
        description="Not in the future, and while the child is on the register. A child seen "
        "alone or at home must have been seen; seen but not alone needs `not_alone_reason`; "
        "seen needs `child_words`; every visit needs `observations`.",
        request=plans_s.VisitInputSerializer,
        response=plans_s.VisitSerializer,
        status=201,
    )
    @idempotent
    def post(self, request: Request, plan_id: int) -> Response:
        user = actor(request)
        plan = _plan(user, plan_id, request, "api:plan_visit", staff=True)
        data = validated(plans_s.VisitInputSerializer, request)
        visitor = None
        if data.get("visitor_id"):
            visitor = _users({data["visitor_id"]}).get(data["visitor_id"])
            if visitor is None:
                raise ValidationError({"visitor_id": [_("Choose who visited")]})
        visit = plans.record_visit(
            actor=user,
            episode=plan.episode,
            visited_at=data["visited_at"],
            child_seen=data["child_seen"],
            observations=data.get("observations", ""),
            seen_alone=data["seen_alone"],
            not_alone_reason=data.get("not_alone_reason", ""),
            seen_at_home=data["seen_at_home"],
            bedroom_seen=data["bedroom_seen"],
            child_words=data.get("child_words", ""),
            visitor=visitor,
        )
        return Response(plans_s.VisitSerializer(visit).data, status=201)


class VisitsDueView(GenericAPIView[Any]):
    serializer_class = plans_s.VisitDueSerializer

    @extend_schema(
        summary="When the next statutory visits are due (staff, while registered)",
        description="`visit.seen_alone` and `visit.seen_at_home` from the last such visit (or "
        "registration); `visit.bedroom` once per review cycle. A page like every list (issue "
        "11); empty after the child leaves the register.",
        responses={200: plans_s.VisitDueSerializer(many=True), 404: NOT_FOUND},
    )
    def get(self, request: Request, plan_id: int) -> Response:
        user = actor(request)
        list_filters(request, {})
        plan = _plan(user, plan_id, request, "api:plan_visits_due", staff=True)
        episode = plan.episode
        dues = visits_due(episode) if episode.is_open else []
        page = self.paginate_queryset(
            [{**plans_s.due_data(d.timeliness), "last": d.last} for d in dues]  # type: ignore[arg-type]
        )
        assert page is not None
        return self.get_paginated_response(plans_s.VisitDueSerializer(page, many=True).data)


class PersonRegisterView(APIView):
    @extend_schema(
        summary="A child's periods on the register, with the history of their categories",
        description="For the authority's staff (every period) and current core group members "
        "(the period whose plan they may read); everyone else, and a member after the child "
        "leaves the register, gets 404.",
        responses={200: conferences_s.PersonRegisterSerializer, 404: NOT_FOUND},
    )
    def get(self, request: Request, person_id: int) -> Response:
        user = actor(request)
        person = _person(user, person_id, request, "api:person_register")
        found = child_protection_for(user, person)
        if found is None:
            raise Http404
        pairs = list(found["episodes"])
        plans_by_episode = {e.pk: p.pk for e, p in pairs if p is not None}
        data = {
            "person_id": person.pk,
            "on_register": found["current"] is not None,
            "episodes": [e for e, _plan in pairs],
        }
        return Response(
            conferences_s.PersonRegisterSerializer(data, context={"plans": plans_by_episode}).data
        )
