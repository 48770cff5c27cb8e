"""Strict list filters: an unknown query parameter or a value outside the allowed ones is 400
problem+json naming it, never silently ignored (``?reference=`` used to list everything and
``?acknowledged=maybe`` to mean "all").

A list view declares its filters (``FILTERS``: name → allowed values, or None for free text) and
calls :func:`list_filters`; the paginator checks ``limit``/``offset`` and, for views that declare
nothing, refuses every other parameter (:data:`PAGING`).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request

#: The paging parameters every list takes.
PAGING = frozenset({"limit", "offset"})
#: The values of a boolean filter.
BOOLEAN = ("true", "false")

Filters = Mapping[str, Collection[str] | None]


def check_query(request: Request, allowed: Collection[str]) -> None:
    """400 for any query parameter not in ``allowed``."""
    unknown = sorted(set(request.query_params) - set(allowed))
    if unknown:
        names = ", ".join(sorted(allowed)) or "none"
        raise ValidationError(
            {name: [f"Unknown query parameter. This list takes: {names}."] for name in unknown}
        )


def list_filters(request: Request, filters: Filters) -> dict[str, str]:
    """The filters given, each checked: unknown names and bad values are one 400 naming each."""
    errors: dict[str, list[str]] = {}
    unknown = sorted(set(request.query_params) - set(filters) - PAGING)
    names = ", ".join(sorted({*filters, *PAGING}))
    for name in unknown:
        errors[name] = [f"Unknown query parameter. This list takes: {names}."]
    values: dict[str, str] = {}
    for name, choices in filters.items():
        given = request.query_params.getlist(name)
        if not given:
            continue
        if len(given) > 1:
            errors[name] = ["Give this filter once."]
            continue
        value = given[0]
        if choices is not None and value not in choices:
            errors[name] = [f"Choose one of: {', '.join(choices)}."]
            continue
        values[name] = value
    if errors:
        raise ValidationError(errors)
    return values


def filter_parameters(filters: Filters, descriptions: Mapping[str, str]) -> list[Any]:
    """The OpenAPI description of a list's filters (an enum where the values are fixed)."""
    parameters = []
    for name, choices in filters.items():
        kind = OpenApiTypes.BOOL if tuple(choices or ()) == BOOLEAN else OpenApiTypes.STR
        parameters.append(
            OpenApiParameter(
                name,
                kind,
                description=descriptions.get(name, ""),
                enum=list(choices) if choices is not None and kind is OpenApiTypes.STR else None,
            )
        )
    return parameters
