"""``/api/v1/me/``: the signed-in user (whom they may name: ``diogelu.access.api``)."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from diogelu.accounts.api import serializers as accounts_s
from diogelu.accounts.api.actor import actor


class MeView(APIView):
    @extend_schema(
        summary="The signed-in user: ids, agency, team, roles and the authorities they work with",
        responses=accounts_s.MeSerializer,
    )
    def get(self, request: Request) -> Response:
        return Response(accounts_s.MeSerializer(actor(request)).data)
