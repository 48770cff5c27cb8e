"""The chronology API's representations."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from diogelu.api.fields import ModelSerializer, PlausibleDateTimeField
from diogelu.chronology.models import Audience, ChronologyEvent, EventKind


class ChronologyEventSerializer(ModelSerializer[ChronologyEvent]):
    source_agency = serializers.CharField(source="source_agency.name", read_only=True)
    title = serializers.CharField(
        source="reader_title", read_only=True, help_text="In the caller's language."
    )
    detail = serializers.CharField(
        source="reader_detail", read_only=True, help_text="In the caller's language."
    )

    class Meta:
        model = ChronologyEvent
        fields = [
            "id",
            "occurred_at",
            "recorded_at",
            "kind",
            "title",
            "detail",
            "source_agency",
            "audience",
            "is_significant",
        ]
        read_only_fields = ["id", "recorded_at", "source_agency"]


class ChronologyEventInputSerializer(serializers.Serializer[dict[str, Any]]):
    occurred_at = PlausibleDateTimeField()
    kind = serializers.ChoiceField(choices=EventKind.choices)
    title = serializers.CharField(max_length=200)
    detail = serializers.CharField(max_length=20_000, required=False, allow_blank=True)
    audience = serializers.ChoiceField(choices=Audience.choices, default=Audience.ALL_INVOLVED)
    is_significant = serializers.BooleanField(default=False)
