"""``/api/v1/me/``: the signed-in user."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from diogelu.accounts.api.actor import actor


class MeView(APIView):
    @extend_schema(
        summary="The signed-in user",
        responses=inline_serializer(
            "Me",
            {
                "username": serializers.CharField(),
                "agency": serializers.CharField(),
                "roles": serializers.ListField(child=serializers.CharField()),
            },
        ),
    )
    def get(self, request: Request) -> Response:
        user = actor(request)
        return Response(
            {
                "username": user.username,
                "agency": user.agency.name if user.agency else None,
                "roles": sorted(user.roles),
            }
        )
