"""The people API's representations.

Input serializers validate at the edge; services do the rest.
"""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from diogelu.api.fields import ModelSerializer
from diogelu.people.models import Address, Person, current_address_of
from diogelu.people.validators import (
    nhs_number_is_valid,
    normalise_nhs_number,
    normalise_postcode,
    normalise_upn,
    upn_is_valid,
    validate_postcode,
)


class AddressSerializer(ModelSerializer[Address]):
    class Meta:
        model = Address
        fields = ["line_1", "line_2", "town", "county", "postcode", "moved_in_on"]


class PersonSerializer(ModelSerializer[Person]):
    full_name = serializers.CharField(read_only=True)
    other_names = serializers.SerializerMethodField()
    current_address = serializers.SerializerMethodField()
    url = serializers.SerializerMethodField()

    class Meta:
        model = Person
        fields = [
            "id",
            "url",
            "la_reference",
            "full_name",
            "given_name",
            "family_name",
            "preferred_name",
            "other_names",
            "date_of_birth",
            "is_unborn",
            "expected_date_of_birth",
            "sex",
            "nhs_number",
            "upn",
            "preferred_language",
            "current_address",
            "is_restricted",
        ]
        read_only_fields = fields

    def get_other_names(self, obj: Person) -> list[dict[str, str]]:
        return [
            {"kind": n.kind, "given_name": n.given_name, "family_name": n.family_name}
            for n in obj.other_names.all()
        ]

    def get_current_address(self, obj: Person) -> dict[str, Any] | None:
        address = current_address_of(obj)
        return AddressSerializer(address).data if address else None

    def get_url(self, obj: Person) -> str:
        return f"/api/v1/people/{obj.pk}/"


class PersonSearchSerializer(serializers.Serializer[dict[str, Any]]):
    name = serializers.CharField(required=False, allow_blank=True, max_length=100)
    date_of_birth = serializers.DateField(required=False, allow_null=True)
    nhs_number = serializers.CharField(required=False, allow_blank=True, max_length=14)
    upn = serializers.CharField(required=False, allow_blank=True, max_length=16)
    postcode = serializers.CharField(required=False, allow_blank=True, max_length=10)

    def validate_name(self, value: str) -> str:
        if any(ord(c) < 32 or ord(c) == 127 for c in value):
            raise serializers.ValidationError("Name must not contain control characters")
        return value.strip()

    def validate_nhs_number(self, value: str) -> str:
        if value and not nhs_number_is_valid(value):
            raise serializers.ValidationError("Enter a real 10-digit NHS number")
        return normalise_nhs_number(value)

    def validate_upn(self, value: str) -> str:
        if value and not upn_is_valid(value):
            raise serializers.ValidationError("Enter a real 13-character Unique Pupil Number")
        return normalise_upn(value)

    def validate_postcode(self, value: str) -> str:
        if value:
            try:
                validate_postcode(value)
            except Exception as exc:
                raise serializers.ValidationError("Enter a real postcode") from exc
            return normalise_postcode(value)
        return ""

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if not any(
            attrs.get(k) for k in ("name", "date_of_birth", "nhs_number", "upn", "postcode")
        ):
            raise serializers.ValidationError(
                "Give at least one of name, date_of_birth, nhs_number, upn, postcode"
            )
        return attrs


class RelativeSerializer(serializers.Serializer[Any]):
    relationship = serializers.CharField()
    name = serializers.CharField()
    date_of_birth = serializers.CharField(source="date_of_birth_text")
    person_id = serializers.SerializerMethodField()
    has_parental_responsibility = serializers.BooleanField()
    lives_with = serializers.BooleanField()

    def get_person_id(self, obj: Any) -> int | None:
        return obj.person.pk if obj.person is not None else None
