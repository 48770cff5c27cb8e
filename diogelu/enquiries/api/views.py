"""``/api/v1/``: strategy discussions and section 47 enquiries with their determinations.

Views are thin: they fetch through the access functions (404 alike for missing and not
allowed), validate input at the edge, and call the services, whose domain errors become
problem+json (400, 403 or 409).
"""

from __future__ import annotations

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
from diogelu.api.schema import (
    NOT_FOUND,
    post_schema,
    validated,
)
from diogelu.core.api_filters import BOOLEAN, Filters, filter_parameters, list_filters
from diogelu.core.exceptions import NotPermittedError
from diogelu.enquiries import services as enquiries
from diogelu.enquiries.api import access as enquiry_access
from diogelu.enquiries.api import serializers as enquiries_s
from diogelu.enquiries.models import Section47Enquiry, StrategyDiscussion
from diogelu.referrals.api import access as report_access

# --- Strategy discussions and section 47 enquiries -----------------------------------------------


def _works_enquiries(user: User) -> None:
    """A partner agency reads strategy discussions and enquiries but does not work them: 403 on
    a record it can see (ADR 0640)."""
    if not enquiry_access.reads_whole(user):
        raise NotPermittedError(_("Only the authority's social work staff can do this."))


def _users(ids: set[int]) -> dict[int, User]:
    return {u.pk: u for u in User.objects.filter(pk__in=ids, is_active=True)}


class StrategyDiscussionsView(GenericAPIView[StrategyDiscussion]):
    serializer_class = enquiries_s.StrategyDiscussionSerializer

    @extend_schema(
        summary="The strategy discussions of a report (social services), newest first",
        responses={200: enquiries_s.StrategyDiscussionSerializer(many=True), 404: NOT_FOUND},
    )
    def get(self, request: Request, report_id: int) -> Response:
        user = actor(request)
        report = report_access.access_report(user, report_id)
        found = enquiry_access.strategies_for(user).filter(report=report)
        found = found.prefetch_related(*enquiries_s.strategy_prefetches())
        page = self.paginate_queryset(found.order_by("-held_at", "-pk"))
        assert page is not None
        report_access.log_reads(
            user,
            [d.person_id for s in page for d in s.child_decisions.all()],
            route="api:report_strategy_list",
            request=request,
        )
        return self.get_paginated_response(
            enquiries_s.StrategyDiscussionSerializer(
                page, many=True, context=enquiries_s.reader_context(user)
            ).data
        )

    @post_schema(
        summary="Record a strategy discussion or meeting, a decision per child, and actions",
        description="Police and social services at least take part. A section 47 enquiry starts "
        "for each child decided (the 42-working-day clock from `s47.assessment`), and the "
        "outcome is shared with every agency involved and the reporter.",
        request=enquiries_s.StrategyInputSerializer,
        response=enquiries_s.StrategyDiscussionSerializer,
        status=201,
    )
    @idempotent
    def post(self, request: Request, report_id: int) -> Response:
        user = actor(request)
        report = report_access.access_report(user, report_id)
        data = validated(enquiries_s.StrategyInputSerializer, request)
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
        return Response(enquiries_s.StrategyDiscussionSerializer(strategy).data, status=201)


class StrategyListView(GenericAPIView[StrategyDiscussion]):
    serializer_class = enquiries_s.StrategyDiscussionSerializer

    @extend_schema(
        summary="Strategy discussions you may read back, newest first",
        description="The authority's social work staff: every discussion of the authority. A "
        "partner agency: those its agency took part in, in the partner view (fields it is not "
        "entitled to are null and named in `withheld`). Each listed child's read is "
        "access-logged.",
        responses={200: enquiries_s.StrategyDiscussionSerializer(many=True)},
    )
    def get(self, request: Request) -> Response:
        user = actor(request)
        list_filters(request, {})
        found = (
            enquiry_access.strategies_for(user)
            .prefetch_related(*enquiries_s.strategy_prefetches())
            .order_by("-held_at", "-pk")
        )
        page = self.paginate_queryset(found)
        assert page is not None
        report_access.log_reads(
            user,
            [d.person_id for s in page for d in s.child_decisions.all()],
            route="api:strategy_list",
            request=request,
        )
        return self.get_paginated_response(
            enquiries_s.StrategyDiscussionSerializer(
                page, many=True, context=enquiries_s.reader_context(user)
            ).data
        )


class StrategyDetailView(APIView):
    @extend_schema(
        summary="A strategy discussion or meeting, read back: participants, decisions, actions",
        responses={200: enquiries_s.StrategyDiscussionSerializer, 404: NOT_FOUND},
    )
    def get(self, request: Request, strategy_id: int) -> Response:
        user = actor(request)
        strategy = enquiry_access.access_strategy(user, strategy_id)
        report_access.log_reads(
            user,
            strategy.child_decisions.values_list("person_id", flat=True),
            route="api:strategy_detail",
            request=request,
        )
        return Response(
            enquiries_s.StrategyDiscussionSerializer(
                strategy, context=enquiries_s.reader_context(user)
            ).data
        )


class EnquiryListView(GenericAPIView[Section47Enquiry]):
    serializer_class = enquiries_s.EnquirySerializer
    FILTERS: Filters = {"determined": BOOLEAN}

    @extend_schema(
        summary="Section 47 enquiries you may see (social work staff; partners: the partner view)",
        description="A page of enquiries, those due soonest first. Each listed child's read is "
        "access-logged.",
        parameters=filter_parameters(
            FILTERS, {"determined": "false: still open; true: determined"}
        ),
        responses={200: enquiries_s.EnquirySerializer(many=True)},
    )
    def get(self, request: Request) -> Response:
        user = actor(request)
        enquiries_qs = enquiry_access.enquiries_for(user).order_by("due_at", "pk")
        determined = list_filters(request, self.FILTERS).get("determined")
        if determined == "true":
            enquiries_qs = enquiries_qs.exclude(determination="")
        elif determined == "false":
            enquiries_qs = enquiries_qs.filter(determination="")
        page = self.paginate_queryset(enquiries_qs)
        assert page is not None
        report_access.log_reads(
            user, [e.person_id for e in page], route="api:enquiry_list", request=request
        )
        return self.get_paginated_response(
            enquiries_s.EnquirySerializer(
                page, many=True, context=enquiries_s.reader_context(user, page)
            ).data
        )


class EnquiryDetailView(APIView):
    @extend_schema(
        summary="A section 47 enquiry: the child seen, the clock and the determination",
        responses={200: enquiries_s.EnquirySerializer, 404: NOT_FOUND},
    )
    def get(self, request: Request, enquiry_id: int) -> Response:
        user = actor(request)
        enquiry = enquiry_access.access_enquiry(user, enquiry_id)
        report_access.log_reads(
            user, [enquiry.person_id], route="api:enquiry_detail", request=request
        )
        return Response(
            enquiries_s.EnquirySerializer(enquiry, context=enquiries_s.reader_context(user)).data
        )


class ChildSeenView(APIView):
    @post_schema(
        summary="Record that the child was seen, whether alone, and their wishes and feelings",
        request=enquiries_s.ChildSeenInputSerializer,
        response=enquiries_s.EnquirySerializer,
    )
    @idempotent
    def post(self, request: Request, enquiry_id: int) -> Response:
        user = actor(request)
        enquiry = enquiry_access.access_enquiry(user, enquiry_id)
        _works_enquiries(user)
        data = validated(enquiries_s.ChildSeenInputSerializer, request)
        enquiry = enquiries.record_child_seen(
            actor=user,
            enquiry=enquiry,
            seen_at=data["seen_at"],
            seen_alone=data["seen_alone"],
            child_views=data["child_views"],
            not_alone_reason=data.get("not_alone_reason", ""),
        )
        return Response(enquiries_s.EnquirySerializer(enquiry).data)


class DeterminationView(APIView):
    @post_schema(
        summary="Record the determination of a section 47 enquiry (1, 2 or 3)",
        description="The child must have been seen. Determination 3 sets the initial child "
        "protection conference due (rule `icpc.convene`); determination 1 is shared once a "
        "manager ratifies it.",
        request=enquiries_s.DeterminationInputSerializer,
        response=enquiries_s.EnquirySerializer,
    )
    @idempotent
    def post(self, request: Request, enquiry_id: int) -> Response:
        user = actor(request)
        enquiry = enquiry_access.access_enquiry(user, enquiry_id)
        _works_enquiries(user)
        data = validated(enquiries_s.DeterminationInputSerializer, request)
        enquiry = enquiries.record_determination(
            actor=user,
            enquiry=enquiry,
            determination=data["determination"],
            rationale=data["rationale"],
            agency_contributions=data.get("agency_contributions", ""),
        )
        return Response(enquiries_s.EnquirySerializer(enquiry).data)


class RatifyView(APIView):
    @post_schema(
        summary="A manager ratifies determination 1 (not substantiated); then it is shared",
        request=None,
        response=enquiries_s.EnquirySerializer,
    )
    @idempotent
    def post(self, request: Request, enquiry_id: int) -> Response:
        user = actor(request)
        enquiry = enquiry_access.access_enquiry(user, enquiry_id)
        _works_enquiries(user)
        enquiry = enquiries.ratify_determination(actor=user, enquiry=enquiry)
        return Response(enquiries_s.EnquirySerializer(enquiry).data)
