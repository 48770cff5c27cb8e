"""``/api/v1/``: information requests and answers (a report's requests and the agency's queue),
outcomes and their acknowledgement.

Views are thin: they fetch through the access functions (404 alike for missing and not
allowed), validate input at the edge, and call the services, whose domain errors become
problem+json (400, 403 or 409).
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from drf_spectacular.utils import (
    extend_schema,
)
from rest_framework.exceptions import ValidationError
from rest_framework.generics import GenericAPIView
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from diogelu.accounts.models import Agency, User
from diogelu.api.authentication import actor
from diogelu.api.idempotency import idempotent
from diogelu.api.pagination import DisjointParts
from diogelu.api.schema import (
    NOT_FOUND,
    post_schema,
    validated,
)
from diogelu.core.api_filters import BOOLEAN, Filters, filter_parameters, list_filters
from diogelu.core.exceptions import DomainError
from diogelu.referrals.api import access as report_access
from diogelu.sharing import services as sharing
from diogelu.sharing.api import access as sharing_access
from diogelu.sharing.api import serializers as sharing_s
from diogelu.sharing.models import InformationRequest, OutcomeNotification, RequestStatus


class ReportRequestsView(APIView):
    @post_schema(
        summary="MASH check: ask a partner agency what it holds about one child of the report",
        description="The due time comes from the priority's procedures rule "
        "(`mash.request.urgent` / `mash.request.standard`). The agency sees the child's identity "
        "and the question only.",
        request=sharing_s.RequestInputSerializer,
        response=sharing_s.InformationRequestSerializer,
        status=201,
    )
    @idempotent
    def post(self, request: Request, report_id: int) -> Response:
        user = actor(request)
        report = report_access.access_report(user, report_id)
        data = validated(sharing_s.RequestInputSerializer, request)
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
            sharing_s.InformationRequestSerializer(made, context={"la_view": True}).data, status=201
        )


# --- Information requests: the agency's queue ----------------------------------------------------


def _request_context(user: User) -> dict[str, Any]:
    return {"la_view": user.is_local_authority_staff}


class RequestListView(GenericAPIView[InformationRequest]):
    serializer_class = sharing_s.InformationRequestSerializer
    FILTERS: Filters = {"status": RequestStatus.values}

    def get_queryset(self) -> Any:
        from django.db.models import Prefetch

        from diogelu.sharing.models import AnswerVersion

        # Each answer with who gave and amended it, and its earlier versions, read for the page
        # at once (one query a row each before: 74 statements for a page of 25; issue 17).
        requests = (
            sharing_access.requests_for(actor(self.request))
            .select_related("answer__answered_by", "answer__amended_by", "child", "agency")
            .prefetch_related(
                Prefetch(
                    "answer__versions",
                    queryset=AnswerVersion.objects.select_related("answered_by"),
                )
            )
            .order_by("due_at", "pk")
        )
        status = list_filters(self.request, self.FILTERS).get("status")
        return requests.filter(status=status) if status else requests

    @extend_schema(
        summary="Your agency's queue of information requests (the MASH: your authority's)",
        description="Each shows the child's identity as reported and the question, never the "
        "child's file, with the time it is due.",
        parameters=filter_parameters(FILTERS, {"status": "Only requests with this status"}),
        responses={200: sharing_s.InformationRequestSerializer(many=True)},
    )
    def get(self, request: Request) -> Response:
        user = actor(request)
        page = self.paginate_queryset(self.get_queryset())
        assert page is not None
        sharing_access.log_reads(
            user, [r.child.person_id for r in page], route="api:request_list", request=request
        )
        data = sharing_s.InformationRequestSerializer(
            page, many=True, context=_request_context(user)
        )
        return self.get_paginated_response(data.data)


class RequestDetailView(APIView):
    @extend_schema(
        summary="One information request",
        responses={200: sharing_s.InformationRequestSerializer, 404: NOT_FOUND},
    )
    def get(self, request: Request, request_id: int) -> Response:
        user = actor(request)
        found = sharing_access.access_request(user, request_id)
        sharing_access.log_reads(
            user, [found.child.person_id], route="api:request_detail", request=request
        )
        return Response(
            sharing_s.InformationRequestSerializer(found, context=_request_context(user)).data
        )


class AnswerRequestView(APIView):
    @post_schema(
        summary="Answer an information request for your agency (once)",
        description="Say what your agency holds, or that it holds nothing "
        '(`"holds_information": false`). A request for another agency is 404; an answered '
        "request is 400.",
        request=sharing_s.AnswerInputSerializer,
        response=sharing_s.InformationRequestSerializer,
        status=201,
    )
    @idempotent
    def post(self, request: Request, request_id: int) -> Response:
        user = actor(request)
        found = sharing_access.access_request(user, request_id)
        data = validated(sharing_s.AnswerInputSerializer, request)
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
        found = sharing_access.access_request(user, request_id)
        return Response(
            sharing_s.InformationRequestSerializer(found, context=_request_context(user)).data,
            status=201,
        )


class AmendAnswerView(APIView):
    @post_schema(
        summary="Amend your agency's answer, with a reason, until the MASH's decision",
        description="The version it replaces is kept (the first version always) and shown in "
        "`answer.earlier_versions`. A request not answered yet, or one whose report has a final "
        "decision, is 400; a request for another agency is 404.",
        request=sharing_s.AmendAnswerInputSerializer,
        response=sharing_s.InformationRequestSerializer,
    )
    @idempotent
    def post(self, request: Request, request_id: int) -> Response:
        user = actor(request)
        found = sharing_access.access_request(user, request_id)
        answer = getattr(found, "answer", None)
        if answer is None:
            raise DomainError(_("This request has not been answered yet: answer it first."))
        data = validated(sharing_s.AmendAnswerInputSerializer, request)
        sharing.amend_answer(
            actor=user,
            answer=answer,
            reason=data["reason"],
            holds_information=data["holds_information"],
            summary=data.get("summary", ""),
            known_to_agency=data.get("known_to_agency", ""),
            last_contact_on=data.get("last_contact_on"),
            current_concerns=data.get("current_concerns", ""),
            risk_indicators=data.get("risk_indicators", []),
        )
        found = sharing_access.access_request(user, request_id)
        return Response(
            sharing_s.InformationRequestSerializer(found, context=_request_context(user)).data
        )


class CancelRequestView(APIView):
    @post_schema(
        summary="The MASH cancels an open information request",
        request=None,
        response=sharing_s.InformationRequestSerializer,
    )
    @idempotent
    def post(self, request: Request, request_id: int) -> Response:
        user = actor(request)
        found = sharing_access.access_request(user, request_id)
        found = sharing.cancel_request(actor=user, request=found)
        return Response(
            sharing_s.InformationRequestSerializer(found, context=_request_context(user)).data
        )


# --- Outcomes ------------------------------------------------------------------------------------


class OutcomeListView(GenericAPIView[OutcomeNotification]):
    serializer_class = sharing_s.OutcomeSerializer
    #: ``status`` (``TO_ACKNOWLEDGE``/``ACKNOWLEDGED``) is the older name of ``acknowledged``.
    FILTERS: Filters = {"acknowledged": BOOLEAN}

    def get_queryset(self) -> Any:
        outcomes = sharing_access.outcomes_for(actor(self.request)).order_by("-shared_at", "-pk")
        acknowledged = list_filters(self.request, self.FILTERS).get("acknowledged")
        if acknowledged is not None:
            outcomes = outcomes.filter(acknowledged_at__isnull=acknowledged == "false")
        return outcomes

    @extend_schema(
        summary="Outcomes meant for you or your agency, to acknowledge",
        parameters=filter_parameters(
            FILTERS, {"acknowledged": "false: those still to acknowledge; true: those done"}
        ),
        responses={200: sharing_s.OutcomeSerializer(many=True)},
    )
    def get(self, request: Request) -> Response:
        user = actor(request)
        # Its two disjoint parts (meant for me; for my agency, no one named), each read newest
        # first from its own index: as one OR a police force's 67,000 outcomes at a county were
        # all read and sorted for each page of 25 (issue 17).
        parts = sharing_access.outcome_parts(user)
        acknowledged = list_filters(request, self.FILTERS).get("acknowledged")
        if acknowledged is not None:
            parts = [p.filter(acknowledged_at__isnull=acknowledged == "false") for p in parts]
        listed: Any = DisjointParts(self.get_queryset(), parts, ("-shared_at", "-pk"))
        assert self.paginator is not None
        page: list[OutcomeNotification] | None = self.paginator.paginate_queryset(
            listed, request, view=self
        )
        assert page is not None
        sharing_access.log_reads(
            user, sharing_access.outcome_people(page), route="api:outcome_list", request=request
        )
        return self.get_paginated_response(sharing_s.OutcomeSerializer(page, many=True).data)


class OutcomeDetailView(APIView):
    @extend_schema(
        summary="One outcome meant for you or your agency",
        responses={200: sharing_s.OutcomeSerializer, 404: NOT_FOUND},
    )
    def get(self, request: Request, outcome_id: int) -> Response:
        user = actor(request)
        outcome = sharing_access.access_outcome(user, outcome_id)
        sharing_access.log_reads(
            user, sharing_access.outcome_people([outcome]), route="api:outcome", request=request
        )
        return Response(sharing_s.OutcomeSerializer(outcome).data)


class AcknowledgeOutcomesView(APIView):
    @post_schema(
        summary="Acknowledge several outcomes at once (all or none)",
        operation_id="outcomes_acknowledge_many",
        description="Each is checked as one would be. An id that is not an outcome meant for you "
        "or your agency (missing or someone else's, alike) is 400 naming it, and nothing is "
        "acknowledged. Already acknowledged outcomes stay as they were.",
        request=sharing_s.AcknowledgeOutcomesInputSerializer,
        response=sharing_s.AcknowledgedOutcomesSerializer,
    )
    @idempotent
    def post(self, request: Request) -> Response:
        user = actor(request)
        data = validated(sharing_s.AcknowledgeOutcomesInputSerializer, request)
        ids = list(dict.fromkeys(data["outcome_ids"]))
        found = {o.pk: o for o in sharing_access.outcomes_for(user).filter(pk__in=ids)}
        unknown = [i for i in ids if i not in found]
        if unknown:
            raise ValidationError(
                {
                    "outcome_ids": [
                        f"Not an outcome meant for you or your agency: {i}" for i in unknown
                    ]
                }
            )
        done = sharing.acknowledge_outcomes(actor=user, notifications=[found[i] for i in ids])
        sharing_access.log_reads(
            user,
            sharing_access.outcome_people(done),
            route="api:outcome_acknowledge_many",
            request=request,
        )
        return Response({"acknowledged": sharing_s.OutcomeSerializer(done, many=True).data})


class AcknowledgeOutcomeView(APIView):
    @post_schema(
        summary="Acknowledge an outcome (a second acknowledgement changes nothing)",
        request=None,
        response=sharing_s.OutcomeSerializer,
    )
    @idempotent
    def post(self, request: Request, outcome_id: int) -> Response:
        user = actor(request)
        outcome = sharing_access.access_outcome(user, outcome_id)
        outcome = sharing.acknowledge_outcome(actor=user, notification=outcome)
        return Response(sharing_s.OutcomeSerializer(outcome).data)
