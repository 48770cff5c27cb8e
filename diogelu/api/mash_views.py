"""``/api/v1/``: the MASH workflow for agency systems and the local authority.

Reports (made and sent in one call), intake (candidates and linking), information requests and
answers, the decision and its authorisation, strategy discussions, section 47 enquiries and their
determinations, outcomes and their acknowledgement, and closing. Views are thin: they fetch
through the access functions (404 alike for missing and not allowed), validate input at the edge,
and call the services, whose domain errors become problem+json (400, 403 or 409).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django.db.models import QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    inline_serializer,
)
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.generics import GenericAPIView
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from diogelu.access.models import Channel as AccessChannel
from diogelu.access.services import log_search_results
from diogelu.accounts.models import Agency, AgencyKind, User
from diogelu.api import mash_access as access
from diogelu.api import mash_serializers as s
from diogelu.api.authentication import actor
from diogelu.api.idempotency import idempotent
from diogelu.core.exceptions import DomainError, NotPermittedError
from diogelu.enquiries import services as enquiries
from diogelu.people.models import Person
from diogelu.referrals import services as referrals
from diogelu.referrals.intake import candidates_for
from diogelu.referrals.models import Channel, Report
from diogelu.sharing import services as sharing
from diogelu.sharing.models import InformationRequest, OutcomeNotification

F = TypeVar("F", bound=Callable[..., Any])

PROBLEM_BODY = inline_serializer(
    "Problem",
    {
        "type": serializers.CharField(),
        "title": serializers.CharField(),
        "status": serializers.IntegerField(),
        "detail": serializers.CharField(),
        "request_id": serializers.CharField(),
        "errors": serializers.DictField(
            required=False, help_text="Field name → messages (bad input only)"
        ),
    },
)


def _problem(description: str) -> OpenApiResponse:
    return OpenApiResponse(response=PROBLEM_BODY, description=f"{description} (problem+json)")


BAD = _problem("Bad input or a practice rule broken; `errors` names the fields")
FORBIDDEN = _problem("You may see this record but not take this action")
NOT_FOUND = _problem("Missing, or not yours to see (the same answer)")
CONFLICT = _problem("Someone else changed the record, or the same Idempotency-Key is in progress")
KEY_REUSED = _problem("This Idempotency-Key was used with a different request")
IDEMPOTENCY_KEY = OpenApiParameter(
    "Idempotency-Key",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    description="A unique value per intended action: a retry with the same key and body does the "
    "action once and replays the first answer (`Idempotent-Replayed: true`).",
)
POST_ERRORS = {400: BAD, 403: FORBIDDEN, 404: NOT_FOUND, 409: CONFLICT, 422: KEY_REUSED}


def _post_schema(
    *, summary: str, request: Any, response: Any, status: int = 200, **kw: Any
) -> Callable[[F], F]:
    return extend_schema(
        summary=summary,
        request=request,
        responses={status: response, **POST_ERRORS},
        parameters=[IDEMPOTENCY_KEY],
        **kw,
    )


def _valid(serializer_class: type[serializers.Serializer[Any]], request: Request) -> Any:
    data = serializer_class(data=request.data)
    data.is_valid(raise_exception=True)
    return data.validated_data


# --- Reports -------------------------------------------------------------------------------------


def _report_response(
    user: User, report: Report, request: Request, *, route: str, status: int = 200
) -> Response:
    la_view = access.is_authority_staff(user, report)
    outcomes: QuerySet[OutcomeNotification]
    if la_view:
        outcomes = report.outcomes.select_related("report", "acknowledged_by").order_by("pk")
    else:
        outcomes = access.outcomes_for(user).filter(report=report).order_by("pk")
    access.log_report(user, report, route=route, request=request)
    data = s.ReportSerializer(report, context={"la_view": la_view, "outcomes": outcomes}).data
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


class ReportListView(GenericAPIView[Report]):
    serializer_class = s.ReportListSerializer

    def get_queryset(self) -> Any:
        reports = (
            access.visible_reports(actor(self.request))
            .select_related("decision")
            .prefetch_related("children")
            .order_by("-received_at", "-created_at", "-pk")
        )
        status = self.request.query_params.get("status")
        return reports.filter(status=status) if status else reports

    @extend_schema(
        summary="Reports you may see: your own, and (local authority staff) your authority's",
        parameters=[OpenApiParameter("status", OpenApiTypes.STR, description="e.g. SUBMITTED")],
        responses={200: s.ReportListSerializer(many=True)},
    )
    def get(self, request: Request) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        assert page is not None
        return self.get_paginated_response(s.ReportListSerializer(page, many=True).data)

    @_post_schema(
        summary="Make a report of a child at risk and send it (or keep it as a draft)",
        description="The typical agency-system call: the children (a sibling group in one "
        "report; unborn children allowed) and the answers, sent at once. Every missing or "
        "invalid answer is named in `errors`, and nothing is kept. Send an `Idempotency-Key` so "
        'that a retry makes one report. `"draft": true` keeps it as a draft to send later '
        "(`POST /reports/{id}/submit/`).",
        request=s.ReportCreateSerializer,
        response=s.ReportSerializer,
        status=201,
        examples=[OpenApiExample("Two siblings", value=REPORT_EXAMPLE, request_only=True)],
    )
    @idempotent
    def post(self, request: Request) -> Response:
        user = actor(request)
        data = dict(_valid(s.ReportCreateSerializer, request))
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
        responses={200: s.ReportSerializer, 404: NOT_FOUND},
    )
    def get(self, request: Request, report_id: int) -> Response:
        user = actor(request)
        report = access.access_report(user, report_id)
        return _report_response(user, report, request, route="api:report_detail")

    @extend_schema(
        summary="Change a draft report: some answers, and the children if given",
        description="Send the `version` you read (a stale version is 409). `children`, when "
        "given, replaces the children named so far. Only the draft's maker changes it.",
        request=s.ReportDraftUpdateSerializer,
        responses={
            200: s.ReportSerializer,
            400: BAD,
            403: FORBIDDEN,
            404: NOT_FOUND,
            409: CONFLICT,
        },
    )
    def patch(self, request: Request, report_id: int) -> Response:
        user = actor(request)
        report = access.access_report(user, report_id)
        data = dict(_valid(s.ReportDraftUpdateSerializer, request))
        version = data.pop("version")
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


class ReportSubmitView(APIView):
    @_post_schema(
        summary="Send a draft report",
        description="Sending twice makes one report: the second call answers with the report.",
        request=None,
        response=s.ReportSerializer,
    )
    @idempotent
    def post(self, request: Request, report_id: int) -> Response:
        user = actor(request)
        report = access.access_report(user, report_id)
        if report.created_by_id != user.pk:
            raise NotPermittedError("Only the person writing this report can send it.")
        missing = referrals.missing_answers(report) if report.reference is None else {}
        if missing:
            raise ValidationError({k: [str(v)] for k, v in missing.items()})
        report = referrals.submit_report(actor=user, report=report)
        return _report_response(user, report, request, route="api:report_submit")


class ReportCandidatesView(APIView):
    @extend_schema(
        summary="Intake: the people each child of the report may be, with the reasons",
        description="For the MASH of the report's authority. Identifiers first (NHS number, "
        "UPN), then name, date of birth and postcode similarity. Each candidate shown is "
        "access-logged.",
        responses={200: s.ChildCandidatesSerializer(many=True), 404: NOT_FOUND},
    )
    def get(self, request: Request, report_id: int) -> Response:
        user = actor(request)
        report = access.access_mash_report(user, report_id)
        out = []
        for child in report.children.all():
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
                    "child": s.ReportChildSerializer(child, context={"la_view": True}).data,
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
        return Response(s.ChildCandidatesSerializer(out, many=True).data)


class LinkChildView(APIView):
    @_post_schema(
        summary="Intake: link a child of the report to an existing person, or create a new one",
        request=s.LinkChildSerializer,
        response=s.LinkResultSerializer,
        examples=[
            OpenApiExample("Existing person", value={"person_id": 42}, request_only=True),
            OpenApiExample("New person", value={"create_new": True}, request_only=True),
        ],
    )
    @idempotent
    def post(self, request: Request, report_id: int, child_id: int) -> Response:
        user = actor(request)
        report = access.access_report(user, report_id)
        child = access.access_report_child(report, child_id)
        data = _valid(s.LinkChildSerializer, request)
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
        access.log_reads(user, [person.pk], route="api:report_link", request=request)
        return Response(
            {
                "child": s.ReportChildSerializer(child, context={"la_view": True}).data,
                "person_id": person.pk,
                "created": created,
            },
            status=201 if created else 200,
        )


class ReportRequestsView(APIView):
    @_post_schema(
        summary="MASH check: ask a partner agency what it holds about one child of the report",
        description="The due time comes from the priority's procedures rule "
        "(`mash.request.urgent` / `mash.request.standard`). The agency sees the child's identity "
        "and the question only.",
        request=s.RequestInputSerializer,
        response=s.InformationRequestSerializer,
        status=201,
    )
    @idempotent
    def post(self, request: Request, report_id: int) -> Response:
        user = actor(request)
        report = access.access_report(user, report_id)
        data = _valid(s.RequestInputSerializer, request)
        child = report.children.filter(pk=data["child_id"]).first()
        if child is None:
            raise DomainError("Choose a child named in this report.", field="child_id")
        agency = Agency.objects.filter(pk=data["agency_id"]).first()
        if agency is None:
            raise DomainError("Choose a partner agency.", field="agency_id")
        made = sharing.request_information(
            actor=user,
            report=report,
            child=child,
            agency=agency,
            priority=data["priority"],
            question=data["question"],
            lawful_basis=data["lawful_basis"],
        )
        return Response(
            s.InformationRequestSerializer(made, context={"la_view": True}).data, status=201
        )


class DecisionView(APIView):
    @_post_schema(
        summary="Record the decision on a report (within 1 working day of receipt)",
        description="No further action and strategy discussion wait for a manager's "
        "authorisation unless a manager decides. A final decision is shared with the reporter and "
        "every agency involved.",
        request=s.DecisionInputSerializer,
        response=s.DecisionSerializer,
        status=201,
    )
    @idempotent
    def post(self, request: Request, report_id: int) -> Response:
        user = actor(request)
        report = access.access_report(user, report_id)
        data = _valid(s.DecisionInputSerializer, request)
        decision = referrals.record_decision(
            actor=user, report=report, outcome=data["outcome"], rationale=data["rationale"]
        )
        return Response(s.DecisionSerializer(decision).data, status=201)


class AuthoriseDecisionView(APIView):
    @_post_schema(
        summary="A manager authorises the proposed decision (not their own)",
        request=s.AuthoriseInputSerializer,
        response=s.DecisionSerializer,
    )
    @idempotent
    def post(self, request: Request, report_id: int) -> Response:
        user = actor(request)
        report = access.access_report(user, report_id)
        data = _valid(s.AuthoriseInputSerializer, request)
        decision = getattr(report, "decision", None)
        if decision is None:
            raise DomainError("There is no decision to authorise on this report.")
        decision = referrals.authorise_decision(
            actor=user, decision=decision, note=data.get("note", "")
        )
        return Response(s.DecisionSerializer(decision).data)


class CloseReportView(APIView):
    @_post_schema(
        summary="Close a report",
        description="Not while a request is open, an enquiry undetermined, or an outcome not "
        "shared with and acknowledged by every recipient. Send the `version` you read: a stale "
        "version is 409.",
        request=s.CloseInputSerializer,
        response=s.ReportSerializer,
    )
    @idempotent
    def post(self, request: Request, report_id: int) -> Response:
        user = actor(request)
        report = access.access_report(user, report_id)
        data = _valid(s.CloseInputSerializer, request)
        report = referrals.close_report(
            actor=user, report=report, expected_version=data["version"], note=data.get("note", "")
        )
        return _report_response(user, report, request, route="api:report_close")


# --- Strategy discussions and section 47 enquiries -----------------------------------------------


def _users(ids: set[int]) -> dict[int, User]:
    return {u.pk: u for u in User.objects.filter(pk__in=ids, is_active=True)}


class StrategyDiscussionsView(APIView):
    @_post_schema(
        summary="Record a strategy discussion or meeting, a decision per child, and actions",
        description="Police and social services at least take part. A section 47 enquiry starts "
        "for each child decided (the 42-working-day clock from `s47.assessment`), and the "
        "outcome is shared with every agency involved and the reporter.",
        request=s.StrategyInputSerializer,
        response=s.StrategyDiscussionSerializer,
        status=201,
    )
    @idempotent
    def post(self, request: Request, report_id: int) -> Response:
        user = actor(request)
        report = access.access_report(user, report_id)
        data = _valid(s.StrategyInputSerializer, request)
        agency_ids = {p["agency_id"] for p in data["participants"]} | {
            a["owner_agency_id"] for a in data.get("actions", [])
        }
        agencies = {a.pk: a for a in Agency.objects.filter(pk__in=agency_ids, is_active=True)}
        user_ids = {data["chair_id"], *(p.get("user_id") for p in data["participants"])}
        if data.get("lead_social_worker_id"):
            user_ids.add(data["lead_social_worker_id"])
        users = _users({i for i in user_ids if i})
        children = {c.pk: c for c in report.children.all()}
        errors: dict[str, list[str]] = {}
        if data["chair_id"] not in users:
            errors["chair_id"] = ["Choose the chair from the local authority's staff"]
        lead_id = data.get("lead_social_worker_id")
        if lead_id and lead_id not in users:
            errors["lead_social_worker_id"] = ["Choose a social worker of the authority"]
        for p in data["participants"]:
            if p["agency_id"] not in agencies:
                errors.setdefault("participants", []).append(f"Unknown agency {p['agency_id']}")
            if p.get("user_id") and p["user_id"] not in users:
                errors.setdefault("participants", []).append(f"Unknown user {p['user_id']}")
        for a in data.get("actions", []):
            if a["owner_agency_id"] not in agencies:
                errors.setdefault("actions", []).append(f"Unknown agency {a['owner_agency_id']}")
        for d in data["child_decisions"]:
            if d["child_id"] not in children:
                errors.setdefault("child_decisions", []).append(
                    f"Child {d['child_id']} is not named in this report"
                )
        if errors:
            raise ValidationError(errors)
        strategy = enquiries.record_strategy_discussion(
            actor=user,
            report=report,
            kind=data["kind"],
            medium=data["medium"],
            held_at=data["held_at"],
            chair=users[data["chair_id"]],
            information_shared=data["information_shared"],
            participants=[
                {
                    "agency": agencies[p["agency_id"]],
                    "name": p["name"],
                    "role": p.get("role", ""),
                    "user": users.get(p["user_id"]) if p.get("user_id") else None,
                }
                for p in data["participants"]
            ],
            child_decisions=[
                {
                    "child": children[d["child_id"]],
                    "s47": d["s47"],
                    "reasons": d["reasons"],
                    "other_actions": d.get("other_actions", ""),
                }
                for d in data["child_decisions"]
            ],
            actions=[
                {
                    "description": a["description"],
                    "owner_agency": agencies[a["owner_agency_id"]],
                    "due_on": a["due_on"],
                }
                for a in data.get("actions", [])
            ],
            lead_social_worker=users[lead_id] if lead_id else None,
        )
        return Response(s.StrategyDiscussionSerializer(strategy).data, status=201)


class EnquiryDetailView(APIView):
    @extend_schema(
        summary="A section 47 enquiry: the child seen, the clock and the determination",
        responses={200: s.EnquirySerializer, 404: NOT_FOUND},
    )
    def get(self, request: Request, enquiry_id: int) -> Response:
        user = actor(request)
        enquiry = access.access_enquiry(user, enquiry_id)
        access.log_reads(user, [enquiry.person_id], route="api:enquiry_detail", request=request)
        return Response(s.EnquirySerializer(enquiry).data)


class ChildSeenView(APIView):
    @_post_schema(
        summary="Record that the child was seen, whether alone, and their wishes and feelings",
        request=s.ChildSeenInputSerializer,
        response=s.EnquirySerializer,
    )
    @idempotent
    def post(self, request: Request, enquiry_id: int) -> Response:
        user = actor(request)
        enquiry = access.access_enquiry(user, enquiry_id)
        data = _valid(s.ChildSeenInputSerializer, request)
        enquiry = enquiries.record_child_seen(
            actor=user,
            enquiry=enquiry,
            seen_at=data["seen_at"],
            seen_alone=data["seen_alone"],
            child_views=data["child_views"],
            not_alone_reason=data.get("not_alone_reason", ""),
        )
        return Response(s.EnquirySerializer(enquiry).data)


class DeterminationView(APIView):
    @_post_schema(
        summary="Record the determination of a section 47 enquiry (1, 2 or 3)",
        description="The child must have been seen. Determination 3 sets the initial child "
        "protection conference due (rule `icpc.convene`); determination 1 is shared once a "
        "manager ratifies it.",
        request=s.DeterminationInputSerializer,
        response=s.EnquirySerializer,
    )
    @idempotent
    def post(self, request: Request, enquiry_id: int) -> Response:
        user = actor(request)
        enquiry = access.access_enquiry(user, enquiry_id)
        data = _valid(s.DeterminationInputSerializer, request)
        enquiry = enquiries.record_determination(
            actor=user,
            enquiry=enquiry,
            determination=data["determination"],
            rationale=data["rationale"],
            agency_contributions=data.get("agency_contributions", ""),
        )
        return Response(s.EnquirySerializer(enquiry).data)


class RatifyView(APIView):
    @_post_schema(
        summary="A manager ratifies determination 1 (not substantiated); then it is shared",
        request=None,
        response=s.EnquirySerializer,
    )
    @idempotent
    def post(self, request: Request, enquiry_id: int) -> Response:
        user = actor(request)
        enquiry = access.access_enquiry(user, enquiry_id)
        enquiry = enquiries.ratify_determination(actor=user, enquiry=enquiry)
        return Response(s.EnquirySerializer(enquiry).data)


# --- Information requests: the agency's queue ----------------------------------------------------


def _request_context(user: User) -> dict[str, Any]:
    return {"la_view": user.is_local_authority_staff}


class RequestListView(GenericAPIView[InformationRequest]):
    serializer_class = s.InformationRequestSerializer

    def get_queryset(self) -> Any:
        requests = (
            access.requests_for(actor(self.request))
            .select_related("answer", "child", "agency")
            .order_by("due_at", "pk")
        )
        status = self.request.query_params.get("status")
        return requests.filter(status=status) if status else requests

    @extend_schema(
        summary="Your agency's queue of information requests (the MASH: your authority's)",
        description="Each shows the child's identity as reported and the question, never the "
        "child's file, with the time it is due.",
        parameters=[OpenApiParameter("status", OpenApiTypes.STR, description="e.g. OPEN")],
        responses={200: s.InformationRequestSerializer(many=True)},
    )
    def get(self, request: Request) -> Response:
        user = actor(request)
        page = self.paginate_queryset(self.get_queryset())
        assert page is not None
        access.log_reads(
            user, [r.child.person_id for r in page], route="api:request_list", request=request
        )
        data = s.InformationRequestSerializer(page, many=True, context=_request_context(user))
        return self.get_paginated_response(data.data)


class RequestDetailView(APIView):
    @extend_schema(
        summary="One information request",
        responses={200: s.InformationRequestSerializer, 404: NOT_FOUND},
    )
    def get(self, request: Request, request_id: int) -> Response:
        user = actor(request)
        found = access.access_request(user, request_id)
        access.log_reads(user, [found.child.person_id], route="api:request_detail", request=request)
        return Response(s.InformationRequestSerializer(found, context=_request_context(user)).data)


class AnswerRequestView(APIView):
    @_post_schema(
        summary="Answer an information request for your agency (once)",
        description="Say what your agency holds, or that it holds nothing "
        '(`"holds_information": false`). A request for another agency is 404; an answered '
        "request is 400.",
        request=s.AnswerInputSerializer,
        response=s.InformationRequestSerializer,
        status=201,
    )
    @idempotent
    def post(self, request: Request, request_id: int) -> Response:
        user = actor(request)
        found = access.access_request(user, request_id)
        data = _valid(s.AnswerInputSerializer, request)
        sharing.answer_request(
            actor=user,
            request=found,
            holds_information=data["holds_information"],
            summary=data.get("summary", ""),
            known_to_agency=data.get("known_to_agency", ""),
            last_contact_on=data.get("last_contact_on"),
            current_concerns=data.get("current_concerns", ""),
            risk_indicators=data.get("risk_indicators", []),
        )
        found = access.access_request(user, request_id)
        return Response(
            s.InformationRequestSerializer(found, context=_request_context(user)).data, status=201
        )


class CancelRequestView(APIView):
    @_post_schema(
        summary="The MASH cancels an open information request",
        request=None,
        response=s.InformationRequestSerializer,
    )
    @idempotent
    def post(self, request: Request, request_id: int) -> Response:
        user = actor(request)
        found = access.access_request(user, request_id)
        found = sharing.cancel_request(actor=user, request=found)
        return Response(s.InformationRequestSerializer(found, context=_request_context(user)).data)


# --- Outcomes ------------------------------------------------------------------------------------


def _outcome_people(outcomes: list[OutcomeNotification]) -> list[int | None]:
    return [pid for o in outcomes for pid in o.report.children.values_list("person_id", flat=True)]


class OutcomeListView(GenericAPIView[OutcomeNotification]):
    serializer_class = s.OutcomeSerializer

    def get_queryset(self) -> Any:
        outcomes = access.outcomes_for(actor(self.request)).order_by("-shared_at", "-pk")
        acknowledged = self.request.query_params.get("acknowledged")
        if acknowledged in ("true", "false"):
            outcomes = outcomes.filter(acknowledged_at__isnull=acknowledged == "false")
        return outcomes

    @extend_schema(
        summary="Outcomes meant for you or your agency, to acknowledge",
        parameters=[
            OpenApiParameter(
                "acknowledged", OpenApiTypes.BOOL, description="false: those still to acknowledge"
            )
        ],
        responses={200: s.OutcomeSerializer(many=True)},
    )
    def get(self, request: Request) -> Response:
        user = actor(request)
        page = self.paginate_queryset(self.get_queryset())
        assert page is not None
        access.log_reads(user, _outcome_people(page), route="api:outcome_list", request=request)
        return self.get_paginated_response(s.OutcomeSerializer(page, many=True).data)


class OutcomeDetailView(APIView):
    @extend_schema(
        summary="One outcome meant for you or your agency",
        responses={200: s.OutcomeSerializer, 404: NOT_FOUND},
    )
    def get(self, request: Request, outcome_id: int) -> Response:
        user = actor(request)
        outcome = access.access_outcome(user, outcome_id)
        access.log_reads(user, _outcome_people([outcome]), route="api:outcome", request=request)
        return Response(s.OutcomeSerializer(outcome).data)


class AcknowledgeOutcomeView(APIView):
    @_post_schema(
        summary="Acknowledge an outcome (a second acknowledgement changes nothing)",
        request=None,
        response=s.OutcomeSerializer,
    )
    @idempotent
    def post(self, request: Request, outcome_id: int) -> Response:
        user = actor(request)
        outcome = access.access_outcome(user, outcome_id)
        outcome = sharing.acknowledge_outcome(actor=user, notification=outcome)
        return Response(s.OutcomeSerializer(outcome).data)
