"""Serializer pieces every app's API shares: references to agencies and users, optional text,
and whether a deadline has passed."""

from __future__ import annotations

import datetime
from typing import Any, TypeVar

from django.db import models
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


#: Datetimes written through the API must fall in this range (a chronology event in 1457 is a typo).
EARLIEST = datetime.datetime(1900, 1, 1, tzinfo=datetime.UTC)
LATEST = datetime.datetime(2100, 1, 1, tzinfo=datetime.UTC)


class PlausibleDateTimeField(serializers.DateTimeField):
    """A datetime in RFC 3339 with an offset, refused on input before 1900 or from 2100 on and
    without an offset when the input carries none is read in the service's time zone."""

    default_error_messages = {
        **serializers.DateTimeField.default_error_messages,
        "implausible": "Enter a date and time between 1900 and 2100.",
    }

    def to_internal_value(self, value: Any) -> datetime.datetime:
        parsed = super().to_internal_value(value)
        if not EARLIEST <= parsed < LATEST:
            self.fail("implausible")
        return parsed

    def to_representation(self, value: Any) -> Any:
        if value is None or value == "":
            return None
        if isinstance(value, datetime.datetime):
            value = self.enforce_timezone(value)  # aware, in the service's time zone
            if timezone.is_naive(value):
                value = timezone.make_aware(value, datetime.UTC)
            text = value.isoformat()
            return text[:-6] + "Z" if text.endswith("+00:00") else text
        return str(super().to_representation(value))


def rule_version(version: str) -> str | None:
    """A stored rule version, or None when nothing was due (never ``""``)."""
    return version or None


def optional_text(max_length: int = MAX_TEXT, **kw: Any) -> serializers.CharField:
    return serializers.CharField(
        max_length=max_length, required=False, allow_blank=True, trim_whitespace=True, **kw
    )


_M = TypeVar("_M", bound=models.Model)


class ModelSerializer(serializers.ModelSerializer[_M]):
    """DRF's ModelSerializer, with the API's conventions for model fields:

    * a choice field the model allows to be blank comes back as ``null`` (never ``""``, which no
      enum allows) and is documented as nullable;
    * datetimes come back as RFC 3339 with an offset (``PlausibleDateTimeField``) and are refused
      outside 1900 to 2100 when written.
    """

    serializer_field_mapping = {
        **serializers.ModelSerializer.serializer_field_mapping,
        models.DateTimeField: PlausibleDateTimeField,
    }

    def build_standard_field(
        self, field_name: str, model_field: models.Field[Any, Any]
    ) -> tuple[type[serializers.Field[Any, Any, Any, Any]], dict[str, Any]]:
        field_class, kwargs = super().build_standard_field(field_name, model_field)
        if "choices" in kwargs and model_field.blank and not model_field.null:
            kwargs["allow_null"] = True
        return field_class, kwargs

    def to_representation(self, instance: _M) -> Any:
        data = super().to_representation(instance)
        for name, field in self.fields.items():
            if (
                isinstance(field, serializers.ChoiceField)
                and not isinstance(field, serializers.MultipleChoiceField)
                and field.allow_null
                and data.get(name) == ""
            ):
                data[name] = None
        return data


class ExpectedVersionMixin(serializers.Serializer[dict[str, Any]]):
    """``expected_version``: the record's version as the caller read it (a stale one is 409).
    ``version`` is the older name of the same field, still accepted."""

    expected_version = serializers.IntegerField(
        required=False,
        min_value=0,
        help_text="The record's version as you read it; a stale version is 409.",
    )
    version = serializers.IntegerField(
        required=False,
        min_value=0,
        help_text="Deprecated: the older name of `expected_version`.",
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        attrs = super().validate(attrs)
        old = attrs.pop("version", None)
        if "expected_version" not in attrs:
            if old is None:
                raise serializers.ValidationError(
                    {"expected_version": ["Send the version you read, as expected_version."]}
                )
            attrs["expected_version"] = old
        return attrs
