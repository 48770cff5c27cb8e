"""``/api/v1/audit-programmes/``, ``/api/v1/audits/`` and ``/api/v1/audit-actions/``, read only.

The same readers as the pages (``diogelu.audit.access``): the quality team, the programme's
auditors and moderators, the worker and the managers above them; partner agencies and other
authorities get 404 as problem+json. Reading an audit names its child: the read is access-logged
(channel API) with the audit as its basis.
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.exceptions import ValidationError
from rest_framework.generics import GenericAPIView
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from diogelu.access.models import Channel, Part
from diogelu.accounts.api.actor import actor
from diogelu.audit import access, reports
from diogelu.audit.api import serializers as s
from diogelu.audit.models import Audit, AuditStatus
from diogelu.core.api_filters import BOOLEAN, Filters, filter_parameters, list_filters

PROBLEM = OpenApiResponse(OpenApiTypes.OBJECT, description="application/problem+json")


class ProgrammeListView(GenericAPIView[Any]):
    serializer_class = s.ProgrammeSerializer

    @extend_schema(
        summary="Audit programmes you may see, newest period first",
        operation_id="audit_programmes_list",
        responses={200: s.ProgrammeSerializer(many=True)},
    )
    def get(self, request: Request) -> Response:
        rows = (
            access.visible_programmes(actor(request))
            .select_related("form")
            .prefetch_related("strata", "members")
            .order_by("-period_end", "-pk")
        )
        page = self.paginate_queryset(rows)
        assert page is not None
        return self.get_paginated_response(s.ProgrammeSerializer(page, many=True).data)


class ProgrammeView(APIView):
    @extend_schema(
        summary="One audit programme: its sample rule, seed, auditors and moderators",
        operation_id="audit_programmes_retrieve",
        responses={200: s.ProgrammeSerializer, 404: PROBLEM},
    )
    def get(self, request: Request, programme_id: int) -> Response:
        programme = access.access_programme(actor(request), programme_id)
        return Response(s.ProgrammeSerializer(programme).data)


class ReportView(APIView):
    @extend_schema(
        summary="The programme's figures for the quality assurance board (quality team only)",
        operation_id="audit_programmes_report",
        responses={200: s.AuditReportSerializer, 404: PROBLEM},
    )
    def get(self, request: Request, programme_id: int) -> Response:
        user = actor(request)
        programme = access.access_programme(user, programme_id)
        if not access.is_quality_team(user):
            from django.http import Http404

            raise Http404
        r = reports.build(programme)
        keys = {sec.title: sec.key for sec in r.sections}
        data = {
            "programme_id": programme.pk,
            "files": r.files,
            "grades": [{"section_key": sec.key, "counts": d.counts} for sec, d in r.by_section]
            + [{"section_key": None, "counts": r.overall.counts}],
            "moderation": [
                {
                    "section_key": keys.get(title) if title else None,
                    "moderated": rate.moderated,
                    "changed": rate.changed,
                    "percent": rate.percent,
                }
                for title, rate in r.moderation_by_section
            ],
            "auditors": [
                {
                    "auditor": a.name,
                    "files": a.files,
                    "mean_score": a.mean_score,
                    "moderated": a.moderation.moderated,
                    "changed": a.moderation.changed,
                }
                for a in r.auditors
            ],
            "spread": r.spread,
            "recurring_section_keys": [sec.key for sec, _d in r.recurring],
        }
        return Response(s.AuditReportSerializer(data).data)


class AuditListView(GenericAPIView[Any]):
    serializer_class = s.AuditSerializer
    FILTERS: Filters = {"programme_id": None, "status": AuditStatus.values}

    @extend_schema(
        summary="Audits you may see (each audit's child read is access-logged)",
        operation_id="audits_list",
        parameters=filter_parameters(
            FILTERS,
            {
                "programme_id": "Only this programme's audits",
                "status": "Only audits at this status",
            },
        ),
        responses={200: s.AuditSerializer(many=True), 400: PROBLEM},
    )
    def get(self, request: Request) -> Response:
        user = actor(request)
        given = list_filters(request, self.FILTERS)
        rows = access.visible_audits(user).select_related("person", "moderation").order_by("pk")
        if "programme_id" in given:
            value = given["programme_id"]
            if not value.isdigit() or len(value) > 18:
                raise ValidationError({"programme_id": ["Enter a programme's id."]})
            rows = rows.filter(programme_id=int(value))
        if "status" in given:
            rows = rows.filter(status=given["status"])
        page = self.paginate_queryset(rows)
        assert page is not None
        shown = {
            a.pk
            for a in access.log_sample_reads(user, list(page), route="api_audits", request=request)
        }
        data = s.AuditSerializer(
            [a for a in page if a.pk in shown], many=True, context={"viewer": user}
        ).data
        return self.get_paginated_response(data)


class AuditView(APIView):
    @extend_schema(
        summary="One audit: its grades, the moderated grades beside them, the worker's response",
        operation_id="audits_retrieve",
        responses={200: s.AuditSerializer, 404: PROBLEM},
    )
    def get(self, request: Request, audit_id: int) -> Response:
        user = actor(request)
        audit: Audit = access.access_audit(user, audit_id)
        access.log_audit_read(
            user, audit, route="api_audit", part=Part.SUMMARY, channel=Channel.API, request=request
        )
        return Response(s.AuditSerializer(audit, context={"viewer": user}).data)


class ActionListView(GenericAPIView[Any]):
    serializer_class = s.AuditActionSerializer
    FILTERS: Filters = {"done": BOOLEAN}

    @extend_schema(
        summary="Audit actions you may see: those you own, and those of audits you may see",
        operation_id="audit_actions_list",
        parameters=filter_parameters(FILTERS, {"done": "false: still open; true: done"}),
        responses={200: s.AuditActionSerializer(many=True), 400: PROBLEM},
    )
    def get(self, request: Request) -> Response:
        done = list_filters(request, self.FILTERS).get("done")
        rows = access.visible_actions(actor(request)).order_by("due_on", "pk")
        if done is not None:
            rows = rows.filter(done_at__isnull=done == "false")
        page = self.paginate_queryset(rows)
        assert page is not None
        return self.get_paginated_response(s.AuditActionSerializer(page, many=True).data)
