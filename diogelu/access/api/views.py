"""``/api/v1/agencies/`` and ``/users/``: whom the caller may name, from the same rules every
write is checked against (``diogelu.access.naming``), so a listed id is an accepted id."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.exceptions import ValidationError
from rest_framework.generics import GenericAPIView
from rest_framework.request import Request
from rest_framework.response import Response

from diogelu.access import naming
from diogelu.accounts.api import serializers as accounts_s
from diogelu.accounts.api.actor import actor
from diogelu.accounts.models import Agency, User
from diogelu.core.api_filters import list_filters


class AgencyListView(GenericAPIView[Agency]):
    serializer_class = accounts_s.AgencyEntrySerializer

    @extend_schema(
        summary="The agencies you may name (your authority and its partners), with their teams",
        responses={200: accounts_s.AgencyEntrySerializer(many=True)},
    )
    def get(self, request: Request) -> Response:
        agencies = naming.nameable_agencies_for(actor(request)).prefetch_related("teams")
        page = self.paginate_queryset(agencies)
        assert page is not None
        return self.get_paginated_response(accounts_s.AgencyEntrySerializer(page, many=True).data)


class UserListView(GenericAPIView[User]):
    serializer_class = accounts_s.UserEntrySerializer
    FILTERS = {"agency_id": None}

    @extend_schema(
        summary="The people you may name (a chair, an action owner, a lead social worker)",
        parameters=[
            OpenApiParameter("agency_id", OpenApiTypes.INT, description="Only this agency's")
        ],
        responses={200: accounts_s.UserEntrySerializer(many=True)},
    )
    def get(self, request: Request) -> Response:
        users = naming.nameable_users_for(actor(request))
        agency_id = list_filters(request, self.FILTERS).get("agency_id")
        if agency_id is not None:
            if not agency_id.isdigit():
                raise ValidationError({"agency_id": ["Enter an agency id (a whole number)."]})
            users = users.filter(agency_id=int(agency_id))
        page = self.paginate_queryset(users)
        assert page is not None
        return self.get_paginated_response(accounts_s.UserEntrySerializer(page, many=True).data)
