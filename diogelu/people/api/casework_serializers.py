"""Case notes and missing episodes in the API."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from diogelu.api.fields import ModelSerializer, PlausibleDateTimeField
from diogelu.chronology.models import Audience, CaseNote, NoteKind
from diogelu.people.models import EpisodeKind, MissingEpisode


class CaseNoteSerializer(ModelSerializer[CaseNote]):
    agency = serializers.CharField(source="agency.name", read_only=True)
    is_significant = serializers.BooleanField(source="event.is_significant", read_only=True)

    class Meta:
        model = CaseNote
        fields = [
            "id",
            "replaces",
            "kind",
            "contact_at",
            "what_happened",
            "child_seen",
            "childs_words",
            "audience",
            "correction_reason",
            "agency",
            "recorded_at",
            "is_significant",
        ]
        read_only_fields = fields


class CaseNoteInputSerializer(serializers.Serializer[dict[str, Any]]):
    kind = serializers.ChoiceField(choices=NoteKind.choices)
    contact_at = PlausibleDateTimeField()
    what_happened = serializers.CharField(max_length=20_000)
    child_seen = serializers.BooleanField(default=False)
    childs_words = serializers.CharField(max_length=20_000, required=False, allow_blank=True)
    audience = serializers.ChoiceField(choices=Audience.choices, default=Audience.ALL_INVOLVED)


class MissingEpisodeSerializer(ModelSerializer[MissingEpisode]):
    agency = serializers.CharField(source="agency.name", read_only=True)

    class Meta:
        model = MissingEpisode
        fields = [
            "id",
            "version",
            "kind",
            "started_at",
            "ended_at",
            "reported_to_police",
            "police_reference",
            "where_found",
            "debrief_offered_on",
            "debrief_accepted",
            "debrief_held_on",
            "debrief_by",
            "childs_account",
            "agency",
        ]
        read_only_fields = fields


class MissingEpisodeInputSerializer(serializers.Serializer[dict[str, Any]]):
    kind = serializers.ChoiceField(choices=EpisodeKind.choices)
    started_at = PlausibleDateTimeField()
    ended_at = PlausibleDateTimeField(required=False, allow_null=True, default=None)
    reported_to_police = serializers.BooleanField(default=False)
    police_reference = serializers.CharField(max_length=40, required=False, default="")
    where_found = serializers.CharField(max_length=300, required=False, default="")
    debrief_offered_on = serializers.DateField(required=False, allow_null=True, default=None)
    debrief_accepted = serializers.BooleanField(required=False, allow_null=True, default=None)
    debrief_held_on = serializers.DateField(required=False, allow_null=True, default=None)
    debrief_by = serializers.CharField(max_length=200, required=False, default="")
    childs_account = serializers.CharField(max_length=20_000, required=False, default="")
