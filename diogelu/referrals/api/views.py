"""``/api/v1/reports/``: reports made and sent in one call, intake (candidates and linking), the
decision and its authorisation, and closing.

Views are thin: they fetch through the access functions (404 alike for missing and not
allowed), validate input at the edge, and call the services, whose domain errors become
problem+json (400, 403 or 409).
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import (
    OpenApiExample,
    extend_schema,
)
from rest_framework.exceptions import ValidationError
from rest_framework.generics import GenericAPIView
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from diogelu.access.models import Channel as AccessChannel
from diogelu.access.services import log_search_results
from diogelu.accounts.models import Agency, AgencyKind, User
from diogelu.api.authentication import actor
from diogelu.api.idempotency import idempotent
from diogelu.api.pagination import LimitOffsetPage
from diogelu.api.schema import (
    BAD,
    CONFLICT,
    FORBIDDEN,
    NOT_FOUND,
    post_schema,
    validated,
)
from diogelu.core.api_filters import Filters, filter_parameters, list_filters
from diogelu.core.exceptions import DomainError, NotPermittedError
from diogelu.people.models import Person
from diogelu.referrals import services as referrals
from diogelu.referrals.access import visible_reports_count
from diogelu.referrals.api import access as report_access
from diogelu.referrals.api import serializers as referrals_s
from diogelu.referrals.intake import candidates_for
from diogelu.referrals.models import Channel, Report, ReportStatus

# --- Reports -------------------------------------------------------------------------------------


def _report_response(
    user: User, report: Report, request: Request, *, route: str, status: int = 200
) -> Response:
    la_view = report_access.is_authority_staff(user, report)
    report_access.log_report(user, report, route=route, request=request)
    data = referrals_s.ReportSerializer(report, context={"la_view": la_view, "user": user}).data
    return Response(data, status=status)


def _authority_for(user: User, authority_id: int | None) -> Agency:
    if authority_id is not None:
        authority = Agency.objects.filter(
            pk=authority_id, kind=AgencyKind.LOCAL_AUTHORITY, is_active=True
        ).first()
        if authority is None:
            raise ValidationError({"authority_id": ["Choose a local authority"]})
        return authority
    assert user.agency is not None
    if user.agency.kind == AgencyKind.LOCAL_AUTHORITY:
        return user.agency
    authorities = list(
        user.agency.partner_of.filter(kind=AgencyKind.LOCAL_AUTHORITY, is_active=True)[:2]
    )
    if len(authorities) != 1:
        raise ValidationError(
            {"authority_id": ["Give the local authority the report goes to (authority_id)"]}
        )
    return authorities[0]


REPORT_EXAMPLE = {
    "children": [
        {"given_name": "Siân", "family_name": "Prydderch", "date_of_birth": "2015-03-27"},
        {"given_name": "Dafydd", "family_name": "Prydderch"},
    ],
    "what_happened": "Bruises on both arms; said her step-dad grabbed her.",
    "categories": ["PHYSICAL"],
    "flags": ["DOMESTIC_ABUSE"],
    "immediate_danger": "NO",
    "family_aware": "NO",
    "lawful_basis": "SAFEGUARDING",
}


class VisibleReportsPage(LimitOffsetPage):
    """The reports list's paging: unfiltered, its ``count`` is
    :func:`~diogelu.referrals.access.visible_reports_count`, the same number as counting the
    list's query, without reading every report of the authority (issue 17)."""

    def paginate_queryset(self, queryset: Any, request: Request, view: Any = None) -> Any:
        self._counted_for = actor(request)
        self._filtered = bool(request.query_params.get("status"))
        return super().paginate_queryset(queryset, request, view)

    def get_count(self, queryset: Any) -> int:
        if self._filtered:
            return int(queryset.count())
        return visible_reports_count(self._counted_for)


class ReportListView(GenericAPIView[Report]):
    serializer_class = referrals_s.ReportListSerializer
    pagination_class = VisibleReportsPage
    FILTERS: Filters = {"status": ReportStatus.values}

    def get_queryset(self) -> Any:
        reports = (
            report_access.visible_reports(actor(self.request))
            .select_related("decision")
            .prefetch_related("children")
            .order_by("-received_at", "-created_at", "-pk")
        )
        status = list_filters(self.request, self.FILTERS).get("status")
        return reports.filter(status=status) if status else reports

    @extend_schema(
        summary="Reports you may see: your own, and (local authority staff) your authority's",
        parameters=filter_parameters(FILTERS, {"status": "Only reports with this status"}),
        responses={200: referrals_s.ReportListSerializer(many=True)},
    )
    def get(self, request: Request) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        assert page is not None
        return self.get_paginated_response(referrals_s.ReportListSerializer(page, many=True).data)

    @post_schema(
        summary="Make a report of a child at risk and send it (or keep it as a draft)",
        description="The typical agency-system call: the children (a sibling group in one "
        "report; unborn children allowed) and the answers, sent at once. Every missing or "
        "invalid answer is named in `errors`, and nothing is kept. Send an `Idempotency-Key` so "
        'that a retry makes one report. `"draft": true` keeps it as a draft to send later '
        "(`POST /reports/{id}/submit/`).",
        request=referrals_s.ReportCreateSerializer,
        response=referrals_s.ReportSerializer,
        status=201,
        examples=[OpenApiExample("Two siblings", value=REPORT_EXAMPLE, request_only=True)],
    )
    @idempotent
    def post(self, request: Request) -> Response:
        user = actor(request)
        data = dict(validated(referrals_s.ReportCreateSerializer, request))
        authority = _authority_for(user, data.pop("authority_id", None))
        draft = data.pop("draft", False)
        children = data.pop("children", [])
        received_at = data.pop("received_at", None)
        channel = data.pop("channel", Channel.API)
        report = referrals.start_report(actor=user, authority=authority, channel=channel)
        for child in children:
            referrals.add_child(actor=user, report=report, fields=child)
        if draft and received_at is not None:
            data["received_at"] = received_at  # kept on the draft, used when it is sent
        if data:
            report = referrals.save_report_answers(
                actor=user, report=report, expected_version=report.version, answers=data
            )
        if not draft:
            missing = referrals.missing_answers(report)
            if missing:
                raise ValidationError({k: [str(v)] for k, v in missing.items()})
            report = referrals.submit_report(actor=user, report=report, received_at=received_at)
        return _report_response(user, report, request, route="api:report_create", status=201)


class ReportDetailView(APIView):
    @extend_schema(
        summary="A report and its progress",
        description="Reference, status, when it was received and the decision is due, and the "
        "outcomes meant for you. The local authority also sees the decision, the information "
        "requests, strategy discussions and enquiries, and every outcome shared.",
        responses={200: referrals_s.ReportSerializer, 404: NOT_FOUND},
    )
    def get(self, request: Request, report_id: int) -> Response:
        user = actor(request)
        report = report_access.access_report(user, report_id)
        return _report_response(user, report, request, route="api:report_detail")

    @extend_schema(
        summary="Change a draft report: some answers, and the children if given",
        description="Send the `version` you read (a stale version is 409). `children`, when "
        "given, replaces the children named so far. Only the draft's maker changes it.",
        request=referrals_s.ReportDraftUpdateSerializer,
        responses={
            200: referrals_s.ReportSerializer,
            400: BAD,
            403: FORBIDDEN,
            404: NOT_FOUND,
            409: CONFLICT,
        },
    )
    def patch(self, request: Request, report_id: int) -> Response:
        user = actor(request)
        report = report_access.access_report(user, report_id)
        data = dict(validated(referrals_s.ReportDraftUpdateSerializer, request))
        version = data.pop("expected_version")
        children = data.pop("children", None)
        report = referrals.save_report_answers(
            actor=user, report=report, expected_version=version, answers=data
        )
        if children is not None:
            for child in list(report.children.all()):
                referrals.remove_child(actor=user, child=child)
            for fields in children:
                referrals.add_child(actor=user, report=report, fields=fields)
        return _report_response(user, report, request, route="api:report_update")

    @extend_schema(
        summary="Delete a draft report you are writing",
        description="Only a draft, and only by its maker (403 for someone else's draft you can "
        "see; a sent report is 400: it is never deleted). 204 with no body.",
        responses={204: None, 400: BAD, 403: FORBIDDEN, 404: NOT_FOUND},
    )
    def delete(self, request: Request, report_id: int) -> Response:
        user = actor(request)
        report = report_access.access_report(user, report_id)
        referrals.discard_draft(actor=user, report=report)
        return Response(status=204)


class ReportSubmitView(APIView):
    @post_schema(
        summary="Send a draft report",
        description="Sending twice makes one report: the second call answers with the report.",
        request=None,
        response=referrals_s.ReportSerializer,
    )
    @idempotent
    def post(self, request: Request, report_id: int) -> Response:
        user = actor(request)
        report = report_access.access_report(user, report_id)
        if report.created_by_id != user.pk:
            raise NotPermittedError("Only the person writing this report can send it.")
        missing = referrals.missing_answers(report) if report.reference is None else {}
        if missing:
            raise ValidationError({k: [str(v)] for k, v in missing.items()})
        report = referrals.submit_report(actor=user, report=report)
        return _report_response(user, report, request, route="api:report_submit")


class ReportCandidatesView(GenericAPIView[Any]):
    serializer_class = referrals_s.ChildCandidatesSerializer

    @extend_schema(
        summary="Intake: the people each child of the report may be, with the reasons",
        description="For the MASH of the report's authority: a page of the report's children "
        "(in the report's order), each with its candidates. Identifiers first (NHS number, "
        "UPN), then name, date of birth and postcode similarity. Each candidate shown is "
        "access-logged.",
        responses={200: referrals_s.ChildCandidatesSerializer(many=True), 404: NOT_FOUND},
    )
    def get(self, request: Request, report_id: int) -> Response:
        user = actor(request)
        list_filters(request, {})
        report = report_access.access_mash_report(user, report_id)
        out = []
        page = self.paginate_queryset(report.children.order_by("pk"))
        assert page is not None
        for child in page:
            found = candidates_for(child, user)
            shown = {
                a.person.pk
                for a in log_search_results(
                    user,
                    [c.person for c in found],
                    channel=AccessChannel.API,
                    route="api:report_candidates",
                    request=request._request,
                )
            }
            out.append(
                {
                    "child": referrals_s.ReportChildSerializer(
                        child, context={"la_view": True}
                    ).data,
                    "candidates": [
                        {
                            "person_id": c.person.pk,
                            "la_reference": c.person.la_reference,
                            "full_name": c.person.full_name,
                            "date_of_birth": c.person.date_of_birth,
                            "score": c.score,
                            "reasons": list(c.reasons),
                        }
                        for c in found
                        if c.person.pk in shown
                    ],
                }
            )
        return self.get_paginated_response(
            referrals_s.ChildCandidatesSerializer(out, many=True).data
        )


class LinkChildView(APIView):
    @post_schema(
        summary="Intake: link a child of the report to an existing person, or create a new one",
        request=referrals_s.LinkChildSerializer,
        response=referrals_s.LinkResultSerializer,
        examples=[
            OpenApiExample("Existing person", value={"person_id": 42}, request_only=True),
            OpenApiExample("New person", value={"create_new": True}, request_only=True),
        ],
    )
    @idempotent
    def post(self, request: Request, report_id: int, child_id: int) -> Response:
        user = actor(request)
        report = report_access.access_report(user, report_id)
        child = report_access.access_report_child(report, child_id)
        data = validated(referrals_s.LinkChildSerializer, request)
        if data.get("create_new"):
            person = referrals.create_person_for_child(actor=user, child=child)
            created = True
        else:
            found = Person.objects.visible_to(user).filter(pk=data["person_id"]).first()
            if found is None:
                raise DomainError("Choose a person known to this authority.", field="person_id")
            referrals.link_child(actor=user, child=child, person=found)
            person, created = found, False
        child.refresh_from_db()
        report_access.log_reads(user, [person.pk], route="api:report_link", request=request)
        return Response(
            {
                "child": referrals_s.ReportChildSerializer(child, context={"la_view": True}).data,
                "person_id": person.pk,
                "created": created,
            },
            status=201 if created else 200,
        )


class DecisionView(APIView):
    @post_schema(
        summary="Record the decision on a report (within 1 working day of receipt)",
        description="No further action and strategy discussion wait for a manager's "
        "authorisation unless a manager decides. A final decision is shared with the reporter and "
        "every agency involved.",
        request=referrals_s.DecisionInputSerializer,
        response=referrals_s.DecisionSerializer,
        status=201,
    )
    @idempotent
    def post(self, request: Request, report_id: int) -> Response:
        user = actor(request)
        report = report_access.access_report(user, report_id)
        data = validated(referrals_s.DecisionInputSerializer, request)
        decision = referrals.record_decision(
            actor=user, report=report, outcome=data["outcome"], rationale=data["rationale"]
        )
        return Response(referrals_s.DecisionSerializer(decision).data, status=201)


class AuthoriseDecisionView(APIView):
    @post_schema(
        summary="A manager authorises the proposed decision (not their own)",
        request=referrals_s.AuthoriseInputSerializer,
        response=referrals_s.DecisionSerializer,
    )
    @idempotent
    def post(self, request: Request, report_id: int) -> Response:
        user = actor(request)
        report = report_access.access_report(user, report_id)
        data = validated(referrals_s.AuthoriseInputSerializer, request)
        decision = getattr(report, "decision", None)
        if decision is None:
            raise DomainError("There is no decision to authorise on this report.")
        decision = referrals.authorise_decision(
            actor=user, decision=decision, note=data.get("note", "")
        )
        return Response(referrals_s.DecisionSerializer(decision).data)


class ReturnDecisionView(APIView):
    @post_schema(
        summary="A manager returns the proposed decision (not their own) with a reason",
        description="Instead of authorising it: the proposal is kept with the reason "
        "(the response), the practitioner who proposed it is told, and a "
        "new decision can be recorded. The decision clock keeps running. Only a decision "
        "waiting for authorisation can be returned (400); not a manager, or your own, is 403.",
        request=referrals_s.ReturnDecisionInputSerializer,
        response=referrals_s.ReturnedDecisionSerializer,
    )
    @idempotent
    def post(self, request: Request, report_id: int) -> Response:
        user = actor(request)
        report = report_access.access_report(user, report_id)
        data = validated(referrals_s.ReturnDecisionInputSerializer, request)
        decision = getattr(report, "decision", None)
        if decision is None:
            raise DomainError("There is no decision to return on this report.")
        returned = referrals.return_decision(actor=user, decision=decision, reason=data["reason"])
        return Response(referrals_s.ReturnedDecisionSerializer(returned).data)


class CloseReportView(APIView):
    @post_schema(
        summary="Close a report",
        description="Not while a request is open, an enquiry undetermined, or an outcome not "
        "shared with and acknowledged by every recipient. Send the `version` you read: a stale "
        "version is 409.",
        request=referrals_s.CloseInputSerializer,
        response=referrals_s.ReportSerializer,
    )
    @idempotent
    def post(self, request: Request, report_id: int) -> Response:
        user = actor(request)
        report = report_access.access_report(user, report_id)
        data = validated(referrals_s.CloseInputSerializer, request)
        report = referrals.close_report(
            actor=user,
            report=report,
            expected_version=data["expected_version"],
            note=data.get("note", ""),
        )
        return _report_response(user, report, request, route="api:report_close")
