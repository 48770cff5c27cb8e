"""``/api/v1/measures/``: the measures' definitions, values and rows, read only.

The same readers as the pages (the authority's head of service and auditors); everyone else gets
404 as problem+json. Each child in a rows page is access-logged (channel API); children the
reader may not see are returned without their id.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.generics import GenericAPIView
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from diogelu.access.models import Channel
from diogelu.accounts.api.actor import actor
from diogelu.measures import compute, reading
from diogelu.measures.access import require_reader
from diogelu.measures.api.serializers import (
    MeasureRowSerializer,
    MeasureSerializer,
    MeasureValuesSerializer,
)
from diogelu.measures.definitions import MEASURES, Measure

PROBLEM = OpenApiResponse(description="application/problem+json")
PERIOD = OpenApiParameter(
    "period",
    str,
    description="fy-2025 (1 April 2025 – 31 March 2026), q-2025-4 (its fourth quarter), "
    "m-2026-01, or r-2026-01-01-2026-03-31; the current quarter when left out",
)


def _definition(m: Measure) -> dict[str, Any]:
    return {
        "key": m.key,
        "version": m.version,
        "group": str(m.group),
        "kind": str(m.kind),
        "name_en": m.name_en,
        "name_cy": m.name_cy,
        "counts_en": m.counts_en,
        "numerator_en": m.numerator_en,
        "denominator_en": m.denominator_en,
        "units": [str(u) for u in m.units],
        "rule": m.rule,
        "source": m.source,
        "higher_is_better": m.higher_is_better,
    }


class MeasureListView(GenericAPIView[Any]):
    serializer_class = MeasureSerializer

    @extend_schema(
        summary="Every measure's definition",
        operation_id="measures_list",
        responses={200: MeasureSerializer(many=True), 404: PROBLEM},
    )
    def get(self, request: Request) -> Response:
        require_reader(actor(request))
        page = self.paginate_queryset([_definition(m) for m in MEASURES])  # type: ignore[arg-type]
        assert page is not None
        return self.get_paginated_response(MeasureSerializer(page, many=True).data)


class MeasureValuesView(APIView):
    @extend_schema(
        summary="A measure for a period, the previous period and the twelve-month trend",
        operation_id="measures_values",
        parameters=[PERIOD],
        responses={200: MeasureValuesSerializer, 404: PROBLEM},
    )
    def get(self, request: Request, measure: str) -> Response:
        user = actor(request)
        require_reader(user)
        definition = reading.measure_or_404(measure)
        period = reading.period_from(request.query_params.get("period"))
        (series,) = compute.compute_series(reading.scope_for(user), period, (definition,))
        line = reading.Line(series, reading.targets_for(int(user.agency_id or 0)).get(measure))
        body = {
            "measure": _definition(definition),
            "target": float(line.target.target) if line.target else None,
            "rag": line.rag,
            "current": series.current.as_dict(),
            "previous": series.previous.as_dict(),
            "trend": [f.as_dict() for f in series.trend],
        }
        return Response(MeasureValuesSerializer(body).data)


class MeasureRowsView(GenericAPIView[Any]):
    serializer_class = MeasureRowSerializer
    #: The query parameters this list takes besides paging (diogelu/core/api_filters.py).
    FILTERS = {"period": None, "show": tuple(reading.SHOW_CHOICES)}

    @extend_schema(
        summary="The rows behind a measure (each child shown is access-logged)",
        operation_id="measures_rows",
        parameters=[
            PERIOD,
            OpenApiParameter(
                "show",
                str,
                enum=list(reading.SHOW_CHOICES),
                description="missed (default), met, excluded or all",
            ),
        ],
        responses={200: MeasureRowSerializer(many=True), 404: PROBLEM},
    )
    def get(self, request: Request, measure: str) -> Response:
        user = actor(request)
        require_reader(user)
        definition = reading.measure_or_404(measure)
        period = reading.period_from(request.query_params.get("period"))
        show = request.query_params.get("show", "missed")
        if show not in reading.SHOW_CHOICES:
            from django.http import Http404

            raise Http404
        page = self.paginate_queryset(reading.filtered_rows(user, definition, period, show))
        assert page is not None
        shown = reading.present_rows(
            user,
            definition,
            list(page),
            route="api:measures_rows",
            channel=Channel.API,
            request=request._request,
        )
        data = [
            {
                "event_id": r["event"],
                "person_id": r["person"].pk if r["person"] else None,
                "person_visible": r["person"] is not None,
                "at": r["at"],
                "due": _iso(r["due"]),
                "done": r["done"],
                "met": r["met"],
                "excluded_reason": r["excluded_code"],
                "value": r["value"],
            }
            for r in shown
        ]
        return self.get_paginated_response(MeasureRowSerializer(data, many=True).data)


def _iso(value: Any) -> str | None:
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return None
