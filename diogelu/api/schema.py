"""Schema pieces every app's API shares: the problem+json responses, the Idempotency-Key
header, the POST schema and validating input at the edge."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    inline_serializer,
)
from rest_framework import serializers
from rest_framework.request import Request

PROBLEM = OpenApiResponse(description="application/problem+json")

F = TypeVar("F", bound=Callable[..., Any])

PROBLEM_BODY = inline_serializer(
    "Problem",
    {
        "type": serializers.CharField(),
        "title": serializers.CharField(),
        "status": serializers.IntegerField(),
        "detail": serializers.CharField(),
        "request_id": serializers.CharField(),
        "errors": serializers.DictField(
            required=False, help_text="Field name → messages (bad input only)"
        ),
    },
)


def problem(description: str) -> OpenApiResponse:
    return OpenApiResponse(response=PROBLEM_BODY, description=f"{description} (problem+json)")


BAD = problem("Bad input or a practice rule broken; `errors` names the fields")
FORBIDDEN = problem("You may see this record but not take this action")
NOT_FOUND = problem("Missing, or not yours to see (the same answer)")
CONFLICT = problem("Someone else changed the record, or the same Idempotency-Key is in progress")
KEY_REUSED = problem("This Idempotency-Key was used with a different request")
IDEMPOTENCY_KEY = OpenApiParameter(
    "Idempotency-Key",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    description="A unique value per intended action: a retry with the same key and body does the "
    "action once and replays the first answer (`Idempotent-Replayed: true`).",
)
POST_ERRORS = {400: BAD, 403: FORBIDDEN, 404: NOT_FOUND, 409: CONFLICT, 422: KEY_REUSED}


def post_schema(
    *, summary: str, request: Any, response: Any, status: int = 200, **kw: Any
) -> Callable[[F], F]:
    return extend_schema(
        summary=summary,
        request=request,
        responses={status: response, **POST_ERRORS},
        parameters=[IDEMPOTENCY_KEY],
        **kw,
    )


def validated(serializer_class: type[serializers.Serializer[Any]], request: Request) -> Any:
    data = serializer_class(data=request.data)
    data.is_valid(raise_exception=True)
    return data.validated_data
