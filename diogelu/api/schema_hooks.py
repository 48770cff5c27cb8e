"""drf-spectacular post-processing: the schema describes the errors the API really sends.

Every error the API answers is RFC 9457 ``application/problem+json`` (``diogelu/api/problems.py``).
This hook, run on the whole generated schema (``SPECTACULAR_SETTINGS["POSTPROCESSING_HOOKS"]``):

* documents every 4xx/5xx response as ``application/problem+json`` with the ``Problem`` schema
  (views may still name their own error codes; their media type is corrected here);
* says that ids in paths are positive 64-bit integers;
* adds the answers any operation can give whatever the view: 401 (no or bad token), 429 (rate
  limit) and 503 (database unreachable) everywhere, 404 where the path names an object, 400 where
  the operation takes query parameters or a body, and for writes 403 (an action the caller may not
  take on a record they can see), 409 (a stale ``expected_version``), 415 (a body that is not
  JSON) and, for POSTs, 422 (an Idempotency-Key reused with another body).
"""

from __future__ import annotations

from typing import Any

PROBLEM_MEDIA = "application/problem+json"
WRITES = {"post", "put", "patch", "delete"}

PROBLEM_SCHEMA: dict[str, Any] = {
    "type": "object",
    "description": "An error, as RFC 9457 problem details.",
    "properties": {
        "type": {"type": "string", "description": "A URI naming the kind of problem."},
        "title": {"type": "string", "description": "A short summary of the kind of problem."},
        "status": {"type": "integer", "description": "The HTTP status code."},
        "detail": {
            "description": "What went wrong, for a person to read.",
            "oneOf": [{"type": "string"}, {"type": "object"}, {"type": "array"}],
        },
        "request_id": {"type": "string", "description": "Quote it when reporting a problem."},
        "errors": {
            "type": "object",
            "description": (
                "For a request with errors: each field (or `non_field_errors`) with every "
                "message about it. Nested objects and lists follow the shape of the request."
            ),
            "additionalProperties": True,
        },
    },
    "required": ["type", "title", "status", "detail"],
    "additionalProperties": True,
}

DESCRIPTIONS = {
    "400": "The request has errors (every bad field is named in `errors`).",
    "401": "No token, or the token is unknown, expired or revoked.",
    "403": "The caller can see the record but may not take this action on it.",
    "404": "Not found, or not visible to the caller (the same answer for both).",
    "409": "A stale `expected_version`: the record changed since you read it.",
    "415": "The body is not `application/json`.",
    "422": "The Idempotency-Key was used before with a different request.",
    "429": "Too many requests: wait for the number of seconds in `Retry-After`.",
    "503": "The service cannot reach its database: retry after `Retry-After` seconds.",
}

PROBLEM_REF = {"$ref": "#/components/schemas/Problem"}


def _problem_response(code: str) -> dict[str, Any]:
    return {
        "description": DESCRIPTIONS.get(code, "An error."),
        "content": {PROBLEM_MEDIA: {"schema": PROBLEM_REF}},
    }


def _as_problem(response: dict[str, Any], code: str) -> None:
    content = response.get("content") or {}
    schema = None
    for media in list(content):
        if media != PROBLEM_MEDIA:
            schema = content.pop(media).get("schema")
    if PROBLEM_MEDIA not in content:
        content[PROBLEM_MEDIA] = {"schema": schema or PROBLEM_REF}
    response["content"] = content
    response.setdefault("description", DESCRIPTIONS.get(code, "An error."))


def document_problems(
    result: dict[str, Any], generator: Any, request: Any, public: bool
) -> dict[str, Any]:
    """The post-processing hook (drf-spectacular's signature)."""
    result.setdefault("components", {}).setdefault("schemas", {})["Problem"] = PROBLEM_SCHEMA
    for item in result.get("paths", {}).values():
        shared = item.get("parameters", [])
        for method, operation in item.items():
            if method not in {"get", "post", "put", "patch", "delete"}:
                continue
            responses = operation.setdefault("responses", {})
            parameters = [*shared, *operation.get("parameters", [])]
            for parameter in parameters:
                if parameter.get("in") == "path" and parameter.get("schema", {}).get("type") == (
                    "integer"
                ):
                    # Ids are positive 64-bit integers (anything else is not a route at all).
                    parameter["schema"].update({"minimum": 1, "maximum": 2**63 - 1})
            wanted = {"401", "429", "503"}
            if any(p.get("in") == "path" for p in parameters):
                wanted.add("404")
            if any(p.get("in") == "query" for p in parameters) or "requestBody" in operation:
                wanted.add("400")
            if method in WRITES:
                wanted |= {"400", "403", "409"}
                if "requestBody" in operation:
                    wanted.add("415")
                if method == "post":
                    wanted.add("422")
            # In code order: iterating the set would order them by the string hash, which
            # changes with PYTHONHASHSEED, so the same code gave different schemas (issue 9).
            for code in sorted(wanted):
                responses.setdefault(code, _problem_response(code))
            for code, response in responses.items():
                if str(code)[0] in "45":
                    _as_problem(response, str(code))
    return result
