"""The API against its own OpenAPI schema (issue 11, "The API contract"): schemathesis generates
requests for every operation, as two roles (a MASH practitioner of the authority and a police
officer of a partner agency), and every answer must be no server error and conform to the schema
(status code, content type, headers, body).

Bounded for ``make test`` (``SCHEMATHESIS_EXAMPLES``, 12 a role and operation by default); raise it
for a deeper run. Runs in-process against the WSGI application inside the test's transaction.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis import GenerationMode, checks

from diogelu.wsgi import application
from tests import factories as f

EXAMPLES = int(os.environ.get("SCHEMATHESIS_EXAMPLES", "12"))


def _raw_schema() -> dict[str, Any]:
    """The schema the API serves, generated without a request (collection has no database)."""
    from drf_spectacular.generators import SchemaGenerator

    generated = SchemaGenerator(api_version="v1").get_schema(request=None, public=True)
    return json.loads(json.dumps(generated, default=str))


schema = schemathesis.openapi.from_dict(_raw_schema())
schema.app = application
# Valid requests only (what a partner's developer sends by the schema): the server must answer
# each without a server error and as documented. Hostile input has its own tests.
schema.config.generation.update(
    modes=[GenerationMode.POSITIVE], max_examples=EXAMPLES, deterministic=True
)
schema.config.phases.update(phases=["examples", "fuzzing"])

#: RFC 3339 date-time: always with an offset (``Z`` or ``±hh:mm``).
RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")
DATETIME_LIKE = re.compile(r"^\d{4}-\d{2}-\d{2}T")


def _strings(value: Any) -> Any:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


@schemathesis.check
def datetimes_have_offsets(ctx: Any, response: Any, case: Any) -> bool | None:
    """Every date-time the API sends is RFC 3339 with an offset."""
    try:
        body = response.json()
    except Exception:
        return None
    for text in _strings(body):
        if DATETIME_LIKE.match(text):
            assert RFC3339.match(text), f"{text!r} is not an RFC 3339 date-time with an offset"
    return None


CHECKS = [
    datetimes_have_offsets,
    checks.not_a_server_error,
    checks.status_code_conformance,
    checks.content_type_conformance,
    checks.response_headers_conformance,
    checks.response_schema_conformance,
]


@pytest.fixture
def tokens(world: Any, monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, str]]:
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections
    from rest_framework.throttling import UserRateThrottle

    monkeypatch.setattr(UserRateThrottle, "THROTTLE_RATES", {"user": "1000000/hour"})
    # The WSGI application closes "old" connections at each request's start and end; inside the
    # test's transaction that would close it (PostgreSQL), as Django's own test client knows.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield {"mash": f.token(world.mash), "police": f.token(world.police_officer)}
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.mark.slow(seconds=80)
@pytest.mark.parametrize("role", ["mash", "police"])
@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,
)
def test_the_api_keeps_its_contract(case: Any, role: str, tokens: dict[str, str]) -> None:
    case.headers = {**(case.headers or {}), "Authorization": f"Bearer {tokens[role]}"}
    case.call_and_validate(checks=CHECKS)
