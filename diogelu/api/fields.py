"""Serializer pieces every app's API shares: references to agencies and users, optional text,
and whether a deadline has passed."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone
from rest_framework import serializers

from diogelu.accounts.models import User

MAX_TEXT = 20_000


def name_of(user: User | None) -> str | None:
    return str(user) if user is not None else None


def is_overdue(due: datetime.datetime | None, done: bool) -> bool:
    return bool(due is not None and not done and due < timezone.now())


class AgencyRefSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    name = serializers.CharField()
    kind = serializers.CharField()


class UserRefSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    name = serializers.CharField(source="__str__")


def optional_text(max_length: int = MAX_TEXT, **kw: Any) -> serializers.CharField:
    return serializers.CharField(
        max_length=max_length, required=False, allow_blank=True, trim_whitespace=True, **kw
    )
