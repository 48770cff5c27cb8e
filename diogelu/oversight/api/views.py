"""``/api/v1/oversight/``: workforce measures and caseloads (read), supervision records and
allocations (write). Partner agencies get 404 on every endpoint; objects only through
``oversight.access``; each change is one service call whose domain errors become problem+json."""

from __future__ import annotations

import datetime
from typing import Any

from django.http import Http404
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.generics import GenericAPIView
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from diogelu.access.models import Channel, Part
from diogelu.access.services import access_person, log_reads
from diogelu.accounts.models import Team, User
from diogelu.api.authentication import actor
from diogelu.api.idempotency import idempotent
from diogelu.core.exceptions import DomainError
from diogelu.oversight import access, services
from diogelu.oversight.api import serializers as s
from diogelu.oversight.caseloads import WorkerLoad, worker_loads
from diogelu.oversight.models import Allocation, Supervision, SupervisionKind
from diogelu.oversight.workforce_measures import AUTHORITY, Measures, workforce_measures

DATES = [
    OpenApiParameter("start", OpenApiTypes.DATE, description="First day (default: a year ago)"),
    OpenApiParameter("end", OpenApiTypes.DATE, description="Last day (default: today)"),
]
ERRORS = {400: OpenApiTypes.OBJECT, 403: OpenApiTypes.OBJECT, 404: OpenApiTypes.OBJECT}


def _staff(user: User) -> None:
    if not access.is_oversight_staff(user):
        raise Http404


def _date(request: Request, name: str, default: datetime.date) -> datetime.date:
    raw = request.query_params.get(name)
    if not raw:
        return default
    try:
        return datetime.date.fromisoformat(raw)
    except ValueError:
        raise DomainError(f"{name} must be a date like 2026-03-31", field=name) from None


def _measures(team_id: int | None, m: Measures) -> dict[str, Any]:
    return {"team_id": team_id, **m.as_dict()}


class WorkforceView(APIView):
    @extend_schema(
        summary="Workforce measures by team and for the authority, for a period",
        parameters=DATES,
        responses={200: s.WorkforceSerializer, 404: OpenApiTypes.OBJECT},
    )
    def get(self, request: Request) -> Response:
        user = actor(request)
        if not (access.sees_all_teams(user) or access.may_manage_workforce(user)):
            raise Http404
        today = timezone.localdate()
        start = _date(request, "start", today - datetime.timedelta(days=364))
        end = _date(request, "end", today)
        if end < start:
            raise DomainError("end must be on or after start", field="end")
        measures = workforce_measures(user.agency_id or 0, start=start, end=end)
        data = {
            "start": start,
            "end": end,
            "teams": [_measures(k, m) for k, m in measures.items() if isinstance(k, int)],
            "authority": _measures(None, measures[AUTHORITY]),
        }
        return Response(s.WorkforceSerializer(data).data)


def _load(load: WorkerLoad) -> dict[str, Any]:
    return {
        "worker_id": load.worker.pk,
        "user_id": load.worker.user_id,
        "name": load.worker.user.get_full_name(),
        "team_id": load.team_id,
        "fte": load.fte,
        "first_year": load.first_year,
        "children": load.cases,
        "points": load.points,
        "ceiling": load.ceiling,
        "over_ceiling": load.over,
    }


class CaseloadListView(GenericAPIView[Any]):
    serializer_class = s.CaseloadSerializer

    @extend_schema(
        summary="Each worker's weighted caseload against their ceiling, in the teams you oversee",
        parameters=[OpenApiParameter("team", OpenApiTypes.INT, description="One team's id")],
        responses={200: s.CaseloadSerializer(many=True), 404: OpenApiTypes.OBJECT},
    )
    def get(self, request: Request) -> Response:
        user = actor(request)
        _staff(user)
        teams = access.teams_visible_to(user)
        team = request.query_params.get("team")
        if team:
            teams = teams.filter(pk=int(team)) if team.isdigit() else teams.none()
        ids = list(teams.values_list("pk", flat=True))
        if not ids:
            raise Http404
        loads = [_load(x) for x in worker_loads(user.agency_id or 0, team_ids=ids)]
        page = self.paginate_queryset(loads)  # type: ignore[arg-type]
        assert page is not None
        return self.get_paginated_response(s.CaseloadSerializer(page, many=True).data)


def _person(user: User, person_id: int, route: str) -> Any:
    return access_person(user, person_id, route=route, channel=Channel.API).person


def _user(user: User, user_id: int, field: str) -> User:
    found = User.objects.filter(pk=user_id, agency_id=user.agency_id or 0).first()
    if found is None:
        raise DomainError("Choose a member of staff of your authority", field=field)
    return found


class SupervisionListView(GenericAPIView[Supervision]):
    serializer_class = s.SupervisionSerializer

    def get_queryset(self) -> Any:
        return (
            access.supervisions_visible_to(actor(self.request))
            .prefetch_related("children__person", "actions")
            .order_by("-held_on", "-pk")
        )

    @extend_schema(
        summary="Supervision records you may see (reflective only in your own line)",
        responses={200: s.SupervisionSerializer(many=True), 404: OpenApiTypes.OBJECT},
    )
    def get(self, request: Request) -> Response:
        user = actor(request)
        _staff(user)
        page = self.paginate_queryset(self.get_queryset())
        assert page is not None
        # Each child discussed in a supervision on this page is a read of the child's record.
        people = {c.person_id: c.person for sup in page for c in sup.children.all()}
        if people:
            log_reads(
                user,
                list(people.values()),
                part=Part.SUMMARY,
                route="api_supervision_list",
                channel=Channel.API,
                request=request,
            )
        return self.get_paginated_response(s.SupervisionSerializer(page, many=True).data)

    @extend_schema(
        summary="Record a case supervision (children discussed, decisions, actions) or a "
        "reflective supervision",
        request=s.SupervisionInSerializer,
        responses={201: s.SupervisionSerializer, **ERRORS},
    )
    @idempotent
    def post(self, request: Request) -> Response:
        user = actor(request)
        _staff(user)
        data = s.SupervisionInSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        d = data.validated_data
        worker = _user(user, d["worker_id"], "worker_id")
        actions = [
            services.ActionSpec(
                step=a["step"],
                description=a["description"],
                owner=_user(user, a["owner_id"], "actions"),
                due_on=a["due_on"],
                person=_person(user, a["person_id"], "api_supervisions")
                if a["person_id"]
                else None,
            )
            for a in d["actions"]
        ]
        if d["kind"] == SupervisionKind.REFLECTIVE:
            made = services.record_reflective_supervision(
                actor=user,
                worker=worker,
                held_on=d["held_on"],
                wellbeing=d["wellbeing"],
                workload=d["workload"],
                learning=d["learning"],
                actions=actions,
            )
        else:
            children = [
                services.ChildDiscussion(
                    person=_person(user, c["person_id"], "api_supervisions"),
                    decisions=c["decisions"],
                    risk=c["risk"],
                    lived_experience=c["lived_experience"],
                    plan_progress=c["plan_progress"],
                    drift=c["drift"],
                )
                for c in d["children"]
            ]
            made = services.record_case_supervision(
                actor=user, worker=worker, held_on=d["held_on"], children=children, actions=actions
            )
        return Response(s.SupervisionSerializer(made).data, status=201)


class SupervisionDetailView(APIView):
    @extend_schema(
        summary="One supervision record", responses={200: s.SupervisionSerializer, **ERRORS}
    )
    def get(self, request: Request, pk: int) -> Response:
        user = actor(request)
        _staff(user)
        supervision = access.access_supervision(
            user, pk, route="api_supervision", channel=Channel.API
        )
        return Response(s.SupervisionSerializer(supervision).data)


class AllocationView(APIView):
    @extend_schema(
        summary="Allocate a child to a worker (or leave them unallocated), opening the case if "
        "needed; a stale expected_version is refused (409)",
        request=s.AllocationInSerializer,
        responses={201: s.AllocationSerializer, 409: OpenApiTypes.OBJECT, **ERRORS},
    )
    @idempotent
    def post(self, request: Request) -> Response:
        user = actor(request)
        if not access.is_manager(user):
            raise Http404
        data = s.AllocationInSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        d = data.validated_data
        person = _person(user, d["person_id"], "api_allocations")
        team = access.teams_visible_to(user).filter(pk=d["team_id"]).first()
        if team is None:
            team = Team.objects.filter(pk=d["team_id"], agency_id=user.agency_id or 0).first()
        if team is None:
            raise DomainError("Choose a team of your authority", field="team_id")
        worker = _user(user, d["worker_id"], "worker_id") if d["worker_id"] else None
        made: Allocation = services.allocate_child(
            actor=user,
            person=person,
            worker=worker,
            team=team,
            reason=d["reason"],
            stage=d["stage"],
            note=d["note"],
            expected_version=d["expected_version"],
        )
        body = {
            "id": made.pk,
            "case_id": made.case_id,
            "case_version": made.case.version,
            "person_id": person.pk,
            "worker_id": made.worker_id,
            "previous_worker_id": made.previous_worker_id,
            "team_id": made.team_id,
            "reason": made.reason,
            "started_at": made.started_at,
        }
        return Response(s.AllocationSerializer(body).data, status=201)
