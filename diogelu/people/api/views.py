"""``/api/v1/people/``: people search and read, and the family, through the same access rules.

Every person returned is access-logged (channel API); one person is fetched only through
``access_person``, so a person who is missing and one who is not visible both answer 404.
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework.generics import GenericAPIView
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from diogelu.access.models import Channel, Part
from diogelu.access.services import access_person, log_search_results
from diogelu.api.authentication import actor
from diogelu.api.pagination import LIMIT, OFFSET, LimitOffsetPage, page_of, paged
from diogelu.api.schema import (
    PROBLEM,
)
from diogelu.people.api import serializers as people_s
from diogelu.people.counts import visible_people_count
from diogelu.people.models import Person, prefetch_current_addresses
from diogelu.people.search import SearchCriteria, search_people
from diogelu.people.services import family_of


class VisiblePeoplePage(LimitOffsetPage):
    """The people list's paging: its ``count`` is :func:`visible_people_count`, the same number
    as counting the list's query, without reading every person of the authority (issue 17)."""

    def paginate_queryset(self, queryset: Any, request: Request, view: Any = None) -> Any:
        self._counted_for = actor(request)
        return super().paginate_queryset(queryset, request, view)

    def get_count(self, queryset: Any) -> int:
        return visible_people_count(self._counted_for)


class PersonListView(GenericAPIView[Person]):
    serializer_class = people_s.PersonSerializer
    pagination_class = VisiblePeoplePage

    def get_queryset(self) -> Any:
        return Person.objects.visible_to(actor(self.request)).order_by(
            "family_name", "given_name", "pk"
        )

    @extend_schema(
        summary="People visible to you (each one listed is access-logged)",
        description="A page of people (`limit`, `offset`; `count`, `next`, `previous`, `results`).",
        operation_id="people_list",
        responses={200: people_s.PersonSerializer(many=True)},
    )
    def get(self, request: Request) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        assert page is not None
        shown = log_search_results(
            actor(request),
            page,
            channel=Channel.API,
            route="api:person_list",
            request=request._request,
        )
        people = [s.person for s in shown]
        prefetch_current_addresses(people, other_names=True)
        data = people_s.PersonSerializer(people, many=True).data
        return self.get_paginated_response(data)


class PersonSearchView(APIView):
    @extend_schema(
        summary="Search people by name, date of birth, NHS number, UPN or postcode",
        description="POST so that names and identifiers never appear in URLs. Results are "
        "limited to people you may see; each result is access-logged.",
        request=people_s.PersonSearchSerializer,
        parameters=[LIMIT, OFFSET],
        responses={200: page_of("PaginatedPersonSearchList", people_s.PersonSerializer)},
    )
    def post(self, request: Request) -> Response:
        criteria_in = people_s.PersonSearchSerializer(data=request.data)
        criteria_in.is_valid(raise_exception=True)
        criteria = SearchCriteria(**{k: v for k, v in criteria_in.validated_data.items() if v})
        people = search_people(actor(request), criteria)
        paginator, page = paged(request, self, list(people))
        shown = log_search_results(
            actor(request),
            page,
            channel=Channel.API,
            route="api:person_search",
            request=request._request,
        )
        people = [s.person for s in shown]
        prefetch_current_addresses(people, other_names=True)
        return paginator.get_paginated_response(people_s.PersonSerializer(people, many=True).data)


class PersonDetailView(APIView):
    @extend_schema(
        summary="One person's summary", responses={200: people_s.PersonSerializer, 404: PROBLEM}
    )
    def get(self, request: Request, person_id: int) -> Response:
        access = access_person(
            actor(request),
            person_id,
            part=Part.SUMMARY,
            channel=Channel.API,
            route="api:person_detail",
            request=request._request,
        )
        return Response(people_s.PersonSerializer(access.person).data)


class PersonFamilyView(GenericAPIView[Any]):
    serializer_class = people_s.RelativeSerializer

    @extend_schema(
        summary="A person's family (a page of relatives)",
        responses={200: people_s.RelativeSerializer(many=True), 404: PROBLEM},
    )
    def get(self, request: Request, person_id: int) -> Response:
        access = access_person(
            actor(request),
            person_id,
            part=Part.FAMILY,
            channel=Channel.API,
            route="api:person_family",
            request=request._request,
        )
        page = self.paginate_queryset(list(family_of(actor(request), access)))  # type: ignore[arg-type]
        assert page is not None
        return self.get_paginated_response(people_s.RelativeSerializer(page, many=True).data)
