"""Paging for every API list: ``limit``/``offset`` with a maximum page size.

A ``limit`` above ``API_MAX_PAGE_SIZE`` (or not a positive whole number) is refused with 400
problem+json instead of being honoured, so one call cannot list every visible child.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from drf_spectacular.utils import OpenApiParameter
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import LimitOffsetPagination
from rest_framework.request import Request

from diogelu.core.api_filters import PAGING, check_query


class LimitOffsetPage(LimitOffsetPagination):
    """DRF's limit/offset paging with a documented, enforced maximum."""

    @property
    def max_limit(self) -> int:  # type: ignore[override]
        return int(settings.API_MAX_PAGE_SIZE)

    def _whole(self, request: Request, name: str, minimum: int, maximum: int | None) -> int | None:
        raw = request.query_params.get(name)
        if raw is None or raw == "":
            return None
        try:
            value = int(raw)
        except ValueError:
            raise ValidationError({name: ["Enter a whole number."]}) from None
        if value < minimum or (maximum is not None and value > maximum):
            top = f" and {maximum}" if maximum is not None else " or more"
            raise ValidationError({name: [f"Enter a number between {minimum}{top}."]})
        return value

    def paginate_queryset(self, queryset: Any, request: Request, view: Any = None) -> Any:
        # A list that declares no filters takes only limit and offset (see api/filters.py).
        allowed = PAGING | set(getattr(view, "FILTERS", {}) or {})
        check_query(request, allowed)
        if isinstance(queryset, QuerySet) and queryset.query.select_related:
            queryset = _CutThenJoin(queryset)
        return super().paginate_queryset(queryset, request, view)

    def get_limit(self, request: Request) -> int | None:
        value = self._whole(request, self.limit_query_param, 1, self.max_limit)
        return self.default_limit if value is None else value

    def get_offset(self, request: Request) -> int:
        value = self._whole(request, self.offset_query_param, 0, None)
        return 0 if value is None else value

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.limit_query_param:
                parameter["schema"].update({"minimum": 1, "maximum": self.max_limit})
                parameter["description"] = (
                    f"Number of results to return per page (1 to {self.max_limit})."
                )
            elif parameter["name"] == self.offset_query_param:
                parameter["schema"]["minimum"] = 0
        return parameters


def page_then_join(queryset: QuerySet[Any], offset: int, limit: int) -> list[Any]:
    """The rows ``offset`` to ``offset + limit`` of ``queryset``, in its order: first their ids
    alone (the filters and the order, without the joins ``select_related`` asks for), then those
    rows with their joins, by id. As one query PostgreSQL joined every row the list's filters
    let through to its related rows and only then sorted and cut the page: a police force's
    outcomes in the API, 67,000 at a county, took 240 ms, almost all of it joining reports and
    users to rows that were not on the page (issue 17). One statement more, and each costs a
    page's rows."""
    ids = list(dict.fromkeys(queryset.values_list("pk", flat=True)[offset : offset + limit]))
    if not ids:
        return []
    found = {row.pk: row for row in queryset.order_by().filter(pk__in=ids)}
    return [found[pk] for pk in ids if pk in found]


class _CutThenJoin:
    """A joining queryset as DRF's paging sees it: counted as itself, its page sliced by
    :func:`page_then_join`."""

    def __init__(self, queryset: QuerySet[Any]) -> None:
        self.queryset = queryset

    def count(self) -> int:
        return self.queryset.count()

    def __getitem__(self, window: slice) -> list[Any]:
        start = window.start or 0
        return page_then_join(self.queryset, start, window.stop - start)


class DisjointParts:
    """A list that is the union of disjoint parts, as DRF's paging sees it, for a list whose
    filter is an OR that no one index serves in order (an outcome meant for me, or for my agency
    with no one named): counted part by part, and its page's ids read from the top of each
    part's own index (``order`` must be what that index is sorted by, ending in the key) and
    merged, then joined as :func:`page_then_join` does. As one OR, PostgreSQL read and sorted
    every row of every part for each page (a police force's 67,000 outcomes at a county: 57 ms
    for 25 ids). ``queryset`` is the whole list, with its joins; the parts must not overlap and
    together make it."""

    def __init__(
        self, queryset: QuerySet[Any], parts: list[QuerySet[Any]], order: tuple[str, ...]
    ) -> None:
        self.queryset = queryset
        self.parts = parts
        self.order = order

    def count(self) -> int:
        return sum(part.order_by().count() for part in self.parts)

    def __getitem__(self, window: slice) -> list[Any]:
        start = window.start or 0
        stop = window.stop
        fields = [name.lstrip("-") for name in self.order]
        descending = [name.startswith("-") for name in self.order]
        if len(set(descending)) != 1:
            raise ValueError("DisjointParts merges one direction of order only")
        rows: list[tuple[Any, ...]] = []
        for part in self.parts:
            rows += part.order_by(*self.order).values_list(*fields)[:stop]
        rows.sort(reverse=descending[0])
        key = fields.index("pk") if "pk" in fields else fields.index("id")
        ids = [row[key] for row in rows[start:stop]]
        if not ids:
            return []
        found = {row.pk: row for row in self.queryset.order_by().filter(pk__in=ids)}
        return [found[pk] for pk in ids if pk in found]


def paged(request: Request, view: Any, items: Any) -> tuple[LimitOffsetPage, list[Any]]:
    """Page a queryset or list for a view that is not a GenericAPIView (a POST search)."""
    paginator = LimitOffsetPage()
    page = paginator.paginate_queryset(items, request, view=view)
    return paginator, list(page or [])


def page_of(name: str, serializer: Any) -> Any:
    """The schema of a page of ``serializer`` items, for views drf-spectacular does not page."""
    from drf_spectacular.utils import inline_serializer
    from rest_framework import serializers

    return inline_serializer(
        name,
        {
            "count": serializers.IntegerField(),
            "next": serializers.URLField(allow_null=True),
            "previous": serializers.URLField(allow_null=True),
            "results": serializer(many=True),
        },
    )


LIMIT = OpenApiParameter(
    "limit", int, description="Number of results to return per page (1 to 100).", required=False
)
OFFSET = OpenApiParameter(
    "offset", int, description="The initial index from which to return the results.", required=False
)
