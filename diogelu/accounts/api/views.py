"""``/api/v1/me/``: the signed-in user; ``/agencies/`` and ``/users/``: whom they may name."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.exceptions import ValidationError
from rest_framework.generics import GenericAPIView
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from diogelu.accounts import directory
from diogelu.accounts.api import serializers as accounts_s
from diogelu.accounts.api.actor import actor
from diogelu.accounts.models import Agency, User


class MeView(APIView):
    @extend_schema(
        summary="The signed-in user: ids, agency, team, roles and the authorities they work with",
        responses=accounts_s.MeSerializer,
    )
    def get(self, request: Request) -> Response:
        return Response(accounts_s.MeSerializer(actor(request)).data)


class AgencyListView(GenericAPIView[Agency]):
    serializer_class = accounts_s.AgencyEntrySerializer

    @extend_schema(
        summary="The agencies you may name (your authority and its partners), with their teams",
        responses={200: accounts_s.AgencyEntrySerializer(many=True)},
    )
    def get(self, request: Request) -> Response:
        agencies = directory.nameable_agencies(actor(request)).prefetch_related("teams")
        page = self.paginate_queryset(agencies)
        assert page is not None
        return self.get_paginated_response(accounts_s.AgencyEntrySerializer(page, many=True).data)


class UserListView(GenericAPIView[User]):
    serializer_class = accounts_s.UserEntrySerializer
    FILTERS = {"agency_id": None}  # for the paginator's check of query parameters

    @extend_schema(
        summary="The people you may name (a chair, an action owner, a lead social worker)",
        parameters=[
            OpenApiParameter("agency_id", OpenApiTypes.INT, description="Only this agency's")
        ],
        responses={200: accounts_s.UserEntrySerializer(many=True)},
    )
    def get(self, request: Request) -> Response:
        users = directory.nameable_users(actor(request))
        # Strict like every list (diogelu/api/filters.py, which accounts, below the shared API
        # package, does not import): unknown parameters and a bad agency_id are 400.
        unknown = set(request.query_params) - {"agency_id", "limit", "offset"}
        if unknown:
            raise ValidationError({name: ["Unknown query parameter."] for name in sorted(unknown)})
        agency_id = request.query_params.get("agency_id")
        if agency_id is not None:
            if not agency_id.isdigit():
                raise ValidationError({"agency_id": ["Enter an agency id (a whole number)."]})
            users = users.filter(agency_id=int(agency_id))
        page = self.paginate_queryset(users)
        assert page is not None
        return self.get_paginated_response(accounts_s.UserEntrySerializer(page, many=True).data)
