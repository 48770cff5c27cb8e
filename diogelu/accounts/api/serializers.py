"""The accounts app's API representations: the signed-in user and who they may name."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from diogelu.accounts.models import Agency, User


class TeamRefSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    name = serializers.CharField()


class NamedRefSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    name = serializers.CharField()


class AgencyEntrySerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    name = serializers.CharField()
    name_cy = serializers.CharField()
    kind = serializers.CharField()
    code = serializers.CharField()
    teams = serializers.SerializerMethodField()

    @extend_schema_field(TeamRefSerializer(many=True))
    def get_teams(self, obj: Agency) -> list[dict[str, Any]]:
        return [{"id": t.pk, "name": t.name} for t in obj.teams.all()]


class UserEntrySerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    name = serializers.CharField(source="__str__")
    job_title = serializers.CharField()
    agency_id = serializers.IntegerField()
    team = TeamRefSerializer(allow_null=True)
    roles = serializers.SerializerMethodField()

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_roles(self, obj: User) -> list[str]:
        return sorted(r.role for r in obj.role_assignments.all())


class MeSerializer(serializers.Serializer[User]):
    id = serializers.IntegerField()
    username = serializers.CharField()
    name = serializers.CharField(source="__str__")
    agency = serializers.SerializerMethodField()
    agency_id = serializers.IntegerField(allow_null=True)
    agency_kind = serializers.SerializerMethodField()
    team = TeamRefSerializer(allow_null=True)
    roles = serializers.SerializerMethodField()
    authorities = serializers.SerializerMethodField()
    may_name = serializers.SerializerMethodField()

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_agency(self, obj: User) -> str | None:
        """The agency's name (as before); its id is ``agency_id``."""
        return obj.agency.name if obj.agency is not None else None

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_agency_kind(self, obj: User) -> str | None:
        return obj.agency.kind if obj.agency is not None else None

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_roles(self, obj: User) -> list[str]:
        return sorted(obj.roles)

    @extend_schema_field(NamedRefSerializer(many=True))
    def get_authorities(self, obj: User) -> list[dict[str, Any]]:
        from diogelu.accounts.directory import authorities_of

        return [{"id": a.pk, "name": a.name} for a in authorities_of(obj)]

    @extend_schema_field(serializers.DictField(child=serializers.CharField()))
    def get_may_name(self, obj: User) -> dict[str, str]:
        """Where to list the agencies (with their teams) and the users you may name."""
        return {"agencies": "/api/v1/agencies/", "users": "/api/v1/users/"}
