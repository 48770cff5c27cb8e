"""Base models shared by every app."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils import timezone


class TimeStampedModel(models.Model):
    """A row that knows when it was created and last changed."""

    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class VersionedModel(TimeStampedModel):
    """A row edited with optimistic concurrency: every save through a service bumps ``version``.

    Services call :func:`diogelu.core.concurrency.save_versioned`, which updates only when the
    version the editor saw is still current, so two people editing at once cannot lose a change.
    """

    version = models.PositiveIntegerField(default=1)

    class Meta:
        abstract = True


class IdempotencyRecord(models.Model):
    """The stored response to an API POST sent with an ``Idempotency-Key`` header.

    A retry with the same key and the same body replays this response; the same key with a different
    body is refused (422). Keys are scoped per user.
    """

    user = models.ForeignKey("accounts.User", on_delete=models.CASCADE)
    key = models.CharField(max_length=255)
    method = models.CharField(max_length=10)
    path = models.CharField(max_length=500)
    request_hash = models.CharField(max_length=64)
    status_code = models.PositiveSmallIntegerField(null=True)
    response_body = models.JSONField(null=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="idempotency_unique_user_key")
        ]

    def __str__(self) -> str:
        return f"idempotency {self.pk}"

    def as_dict(self) -> dict[str, Any]:
        return {"status": self.status_code, "body": self.response_body}
