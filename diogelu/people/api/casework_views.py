"""``/api/v1/people/<id>/case-notes/`` and ``/missing-episodes/``: read (paged) and record, through
the same services and access rules as the pages. Every read is access-logged (channel API)."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework.generics import GenericAPIView
from rest_framework.request import Request
from rest_framework.response import Response

from diogelu.access.models import Channel, Part
from diogelu.access.services import PersonAccess, access_person
from diogelu.api.authentication import actor
from diogelu.api.idempotency import idempotent
from diogelu.api.schema import PROBLEM
from diogelu.chronology import notes
from diogelu.people import missing
from diogelu.people.api import casework_serializers as s


def _access(request: Request, person_id: int, route: str) -> PersonAccess:
    return access_person(
        actor(request),
        person_id,
        part=Part.CHRONOLOGY,
        channel=Channel.API,
        route=route,
        request=request._request,
    )


class CaseNotesView(GenericAPIView[Any]):
    serializer_class = s.CaseNoteSerializer

    @extend_schema(
        summary="A child's case notes you may see, every version, newest contact first",
        responses={200: s.CaseNoteSerializer(many=True), 404: PROBLEM},
    )
    def get(self, request: Request, person_id: int) -> Response:
        access = _access(request, person_id, "api:case_notes")
        rows: Any = notes.visible_notes(actor(request), access)
        page = self.paginate_queryset(rows)
        assert page is not None
        return self.get_paginated_response(s.CaseNoteSerializer(page, many=True).data)

    @extend_schema(
        summary="Record a case note on a child as your agency (it lands in the chronology)",
        description="Send an Idempotency-Key header so a retry records the note once.",
        request=s.CaseNoteInputSerializer,
        responses={201: s.CaseNoteSerializer, 400: PROBLEM, 403: PROBLEM, 404: PROBLEM},
    )
    @idempotent
    def post(self, request: Request, person_id: int) -> Response:
        access = _access(request, person_id, "api:case_note_add")
        data = s.CaseNoteInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        note = notes.record_case_note(
            actor=actor(request), access=access, details=notes.NoteDetails(**data.validated_data)
        )
        return Response(s.CaseNoteSerializer(note).data, status=201)


class MissingEpisodesView(GenericAPIView[Any]):
    serializer_class = s.MissingEpisodeSerializer

    @extend_schema(
        summary="A child's missing episodes, newest first",
        responses={200: s.MissingEpisodeSerializer(many=True), 404: PROBLEM},
    )
    def get(self, request: Request, person_id: int) -> Response:
        access = _access(request, person_id, "api:missing_episodes")
        rows: Any = missing.episodes_of(actor(request), access)
        page = self.paginate_queryset(rows)
        assert page is not None
        return self.get_paginated_response(s.MissingEpisodeSerializer(page, many=True).data)

    @extend_schema(
        summary="Record a missing episode (and, when known, the return and return interview)",
        description="Send an Idempotency-Key header so a retry records the episode once.",
        request=s.MissingEpisodeInputSerializer,
        responses={201: s.MissingEpisodeSerializer, 400: PROBLEM, 403: PROBLEM, 404: PROBLEM},
    )
    @idempotent
    def post(self, request: Request, person_id: int) -> Response:
        access = _access(request, person_id, "api:missing_episode_add")
        data = s.MissingEpisodeInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        episode = missing.record_missing_episode(
            actor=actor(request),
            access=access,
            details=missing.EpisodeDetails(**data.validated_data),
        )
        return Response(s.MissingEpisodeSerializer(episode).data, status=201)
