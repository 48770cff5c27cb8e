"""Serializers of the measures API (read only)."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers


class MeasureSerializer(serializers.Serializer[Any]):
    key = serializers.CharField()
    version = serializers.CharField()
    group = serializers.CharField()
    kind = serializers.ChoiceField(choices=["rate", "count", "average"])
    name_en = serializers.CharField()
    name_cy = serializers.CharField()
    counts_en = serializers.CharField()
    numerator_en = serializers.CharField()
    denominator_en = serializers.CharField()
    units = serializers.ListField(child=serializers.ChoiceField(choices=["child", "event"]))
    rule = serializers.CharField(allow_null=True)
    citation = serializers.CharField(source="source", help_text="Its source in DOMAIN.md §6")
    higher_is_better = serializers.BooleanField()


class FigureSerializer(serializers.Serializer[Any]):
    start = serializers.DateField()
    end = serializers.DateField()
    value = serializers.FloatField(allow_null=True, help_text="Per-child rate, count or average")
    children = serializers.IntegerField(help_text="Rows counted (one child at one event)")
    children_met = serializers.IntegerField()
    child_rate = serializers.FloatField(allow_null=True)
    events = serializers.IntegerField(help_text="Distinct events counted")
    events_met = serializers.IntegerField(help_text="Events where every child met the standard")
    event_rate = serializers.FloatField(allow_null=True)
    average = serializers.FloatField(allow_null=True)
    excluded = serializers.IntegerField()
    exclusions = serializers.DictField(child=serializers.IntegerField())


class MeasureValuesSerializer(serializers.Serializer[Any]):
    measure = MeasureSerializer()
    target = serializers.FloatField(allow_null=True)
    rag = serializers.CharField(help_text="GREEN, AMBER, RED or empty without a target")
    current = FigureSerializer()
    previous = FigureSerializer()
    trend = FigureSerializer(many=True, help_text="The twelve months to the end of the period")


class MeasureRowSerializer(serializers.Serializer[Any]):
    event_id = serializers.IntegerField()
    person_id = serializers.IntegerField(
        allow_null=True, help_text="Null when the child is not linked or not visible to you"
    )
    person_visible = serializers.BooleanField()
    at = serializers.DateTimeField()
    due = serializers.CharField(allow_null=True)
    done = serializers.DateTimeField(allow_null=True)
    met = serializers.BooleanField()
    excluded_reason = serializers.CharField(allow_blank=True)
    value = serializers.IntegerField(allow_null=True)
