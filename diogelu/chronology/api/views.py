"""``/api/v1/people/<id>/chronology/``: a person's chronology as the caller may see it."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from diogelu.access.models import Channel, Part
from diogelu.access.services import access_person
from diogelu.api.authentication import actor
from diogelu.api.idempotency import idempotent
from diogelu.api.schema import (
    PROBLEM,
)
from diogelu.chronology.api import serializers as chronology_s
from diogelu.chronology.services import record_event, visible_events


class PersonChronologyView(APIView):
    @extend_schema(
        summary="A person's chronology, as you may see it",
        responses={200: chronology_s.ChronologyEventSerializer(many=True), 404: PROBLEM},
    )
    def get(self, request: Request, person_id: int) -> Response:
        access = access_person(
            actor(request),
            person_id,
            part=Part.CHRONOLOGY,
            channel=Channel.API,
            route="api:person_chronology",
            request=request._request,
        )
        events = visible_events(actor(request), access)[:500]
        return Response(chronology_s.ChronologyEventSerializer(events, many=True).data)

    @extend_schema(
        summary="Record an event in a person's chronology as your agency",
        description="Send an Idempotency-Key header so a retry records the event once.",
        request=chronology_s.ChronologyEventInputSerializer,
        responses={
            201: chronology_s.ChronologyEventSerializer,
            400: PROBLEM,
            404: PROBLEM,
            409: PROBLEM,
            422: PROBLEM,
        },
    )
    @idempotent
    def post(self, request: Request, person_id: int) -> Response:
        access = access_person(
            actor(request),
            person_id,
            part=Part.CHRONOLOGY,
            channel=Channel.API,
            route="api:person_chronology_add",
            request=request._request,
        )
        data = chronology_s.ChronologyEventInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        event = record_event(actor=actor(request), access=access, **data.validated_data)
        return Response(chronology_s.ChronologyEventSerializer(event).data, status=201)
