"""``Idempotency-Key`` for API POSTs (draft-ietf-httpapi-idempotency-key-header).

A POST sent with the header is done once: a retry with the same key and body replays the first
response (with ``Idempotent-Replayed: true``); the same key with a different body gets 422; a retry
while the first is still running gets 409. The record is written in the request's transaction, so it
commits only with the change it protects.
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Callable
from typing import Any

from django.db import IntegrityError, transaction
from django.http import HttpRequest
from rest_framework.request import Request
from rest_framework.response import Response

from diogelu.api.authentication import actor
from diogelu.api.problems import problem
from diogelu.core.models import IdempotencyRecord

HEADER = "Idempotency-Key"
MAX_KEY = 255

View = Callable[..., Response]


def _request_hash(request: HttpRequest) -> str:
    digest = hashlib.sha256()
    digest.update(request.method.encode() if request.method else b"")
    digest.update(request.path.encode())
    digest.update(request.body if hasattr(request, "body") else b"")
    return digest.hexdigest()


def _replay(record: IdempotencyRecord) -> Response:
    response = Response(record.response_body, status=record.status_code)
    response["Idempotent-Replayed"] = "true"
    return response


def idempotent(view: View) -> View:
    """Decorate a DRF ``post`` method to honour ``Idempotency-Key``."""

    @functools.wraps(view)
    def wrapper(self: Any, request: Request, *args: Any, **kwargs: Any) -> Response:
        key = request.headers.get(HEADER)
        if key is None:
            return view(self, request, *args, **kwargs)
        key = key.strip()
        if not key or len(key) > MAX_KEY:
            return problem(400, f"{HEADER} must be 1 to {MAX_KEY} characters")
        request_hash = _request_hash(request._request)  # the raw body, before parsing
        user = actor(request)
        existing = IdempotencyRecord.objects.filter(user=user, key=key).first()
        if existing is None:
            try:
                with transaction.atomic():
                    existing = IdempotencyRecord.objects.create(
                        user=user,
                        key=key,
                        method=request.method or "POST",
                        path=request.path[:500],
                        request_hash=request_hash,
                    )
            except IntegrityError:
                existing = IdempotencyRecord.objects.filter(user=user, key=key).first()
                if existing is None or existing.status_code is None:
                    return problem(409, "A request with this Idempotency-Key is in progress")
            else:
                try:
                    response = view(self, request, *args, **kwargs)
                except Exception:
                    existing.delete()
                    raise
                if response.status_code < 500:
                    existing.status_code = response.status_code
                    existing.response_body = response.data
                    existing.save(update_fields=["status_code", "response_body"])
                else:
                    existing.delete()
                return response
        if existing.request_hash != request_hash:
            return problem(422, f"This {HEADER} was used with a different request")
        if existing.status_code is None:
            return problem(409, "A request with this Idempotency-Key is in progress")
        return _replay(existing)

    return wrapper
