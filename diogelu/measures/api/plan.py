"""``/api/v1/improvement/``: the improvement plan, as on its pages (``planning``; ADR 0730).

Readers are those of the plan pages (``planning.visible_inspections``: the authority's performance
readers, and action owners for their inspections); everyone else — a partner agency above all —
gets 404. Writes are the pages' service calls: the owner, the plan lead or an editor change an
action; a reader who may not (an auditor) gets 403. A stale ``expected_version`` is 409, and every
POST honours ``Idempotency-Key``. The Cabinet report's PDF stays on the pages (step-up).
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.generics import GenericAPIView
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from diogelu.accounts.api.actor import actor
from diogelu.api.idempotency import idempotent
from diogelu.api.schema import validated
from diogelu.measures import planning
from diogelu.measures.api import serializers as s
from diogelu.measures.models import ImprovementAction, Inspection

PROBLEM = OpenApiResponse(description="application/problem+json")
WRITE_ERRORS = {400: PROBLEM, 403: PROBLEM, 404: PROBLEM, 409: PROBLEM}


def _action_summary(state: planning.ActionState) -> dict[str, Any]:
    a = state.action
    return {
        "id": a.pk,
        "number": a.number,
        "finding_id": a.finding_id,
        "description": a.description,
        "description_cy": a.description_cy,
        "owner": str(a.owner),
        "partner_agency": a.partner_agency.name if a.partner_agency else None,
        "due_on": a.due_on,
        "status": a.status,
        "completed_on": a.completed_on,
        "rag": state.rag,
        "rag_computed": state.computed,
        "rag_reasons": [str(r) for r in state.reasons],
        "version": a.version,
    }


def _action_data(action: ImprovementAction) -> Any:
    (state,) = planning.action_states([action], authority_id=action.finding.inspection.authority_id)
    detail = planning.action_detail(action)
    body = {
        **_action_summary(state),
        "measures": [
            {
                "measure": f["link"].measure,
                "name_en": f["measure"].name_en,
                "name_cy": f["measure"].name_cy,
                "target": f["link"].target,
                "value": f["series"].current.value,
                "rag": f["rag"],
            }
            for f in state.measures
        ],
        "milestones": [
            {"id": m.pk, "description": m.description, "due_on": m.due_on, "done_on": m.done_on}
            for m in detail["milestones"]
        ],
        "evidence": [
            {
                "id": e.pk,
                "kind": e.kind,
                "title": e.title,
                "detail": e.detail,
                "added_by": str(e.added_by),
                "added_at": e.added_at,
            }
            for e in detail["evidence"]
        ],
        "proposals": [_proposal(p) for p in detail["proposals"]],
        "history": [
            {"at": h.at, "by": str(h.by), "what": h.what, "detail": h.detail}
            for h in detail["history"]
        ],
    }
    return s.ImprovementActionSerializer(body).data


def _proposal(p: Any) -> dict[str, Any]:
    return {
        "id": p.pk,
        "rag": p.rag,
        "reason": p.reason,
        "proposed_by": str(p.proposed_by),
        "proposed_at": p.proposed_at,
        "decided_at": p.decided_at,
        "agreed": p.agreed,
    }


def _report(r: Any) -> dict[str, Any]:
    return {
        "id": r.pk,
        "inspection_id": r.inspection_id,
        "meeting_on": r.meeting_on,
        "committee": r.committee,
        "layout": r.layout,
        "produced_by": str(r.produced_by),
        "produced_at": r.produced_at,
    }


def _inspection_summary(i: Inspection) -> dict[str, Any]:
    return {
        "id": i.pk,
        "kind": i.kind,
        "title": i.title,
        "title_cy": i.title_cy,
        "held_from": i.held_from,
        "held_to": i.held_to,
        "published_on": i.published_on,
        "report_url": i.report_url,
        "lead": str(i.lead),
    }


class InspectionListView(GenericAPIView[Any]):
    serializer_class = s.InspectionSummarySerializer

    @extend_schema(
        summary="The inspections whose improvement plan you may read",
        operation_id="improvement_inspections_list",
        responses={200: s.InspectionSummarySerializer(many=True)},
    )
    def get(self, request: Request) -> Response:
        user = actor(request)
        rows = list(planning.visible_inspections(user).select_related("lead").order_by("pk"))
        page = self.paginate_queryset(rows)  # type: ignore[arg-type]
        assert page is not None
        data = [_inspection_summary(i) for i in page]
        return self.get_paginated_response(s.InspectionSummarySerializer(data, many=True).data)


class InspectionView(APIView):
    @extend_schema(
        summary="An inspection's plan: findings, each action's RAG, and its Cabinet reports",
        operation_id="improvement_inspections_retrieve",
        responses={200: s.InspectionSerializer, 404: PROBLEM},
    )
    def get(self, request: Request, inspection_id: int) -> Response:
        user = actor(request)
        inspection = planning.access_inspection(user, inspection_id)
        shown = planning.plan(user, inspection)
        body = {
            **_inspection_summary(inspection),
            "findings": [
                {
                    "id": row["finding"].pk,
                    "number": row["finding"].number,
                    "area": row["finding"].area,
                    "area_cy": row["finding"].area_cy,
                    "text": row["finding"].text,
                    "text_cy": row["finding"].text_cy,
                    "actions": [_action_summary(st) for st in row["states"]],
                }
                for row in shown["findings"]
            ],
            "reports": [_report(r) for r in shown["reports"]],
        }
        return Response(s.InspectionSerializer(body).data)


class ActionView(APIView):
    @extend_schema(
        summary="An improvement action: RAG, linked measures, milestones, evidence, history",
        operation_id="improvement_actions_retrieve",
        responses={200: s.ImprovementActionSerializer, 404: PROBLEM},
    )
    def get(self, request: Request, improvement_action_id: int) -> Response:
        action = planning.access_action(actor(request), improvement_action_id)
        return Response(_action_data(action))


class ActionProgressView(APIView):
    @extend_schema(
        summary="Record progress on an action (a note, a new due date, completed or reopened)",
        operation_id="improvement_actions_progress",
        description="Send the `expected_version` you read: a stale one is 409 and changes nothing.",
        request=s.ActionProgressInputSerializer,
        responses={200: s.ImprovementActionSerializer, **WRITE_ERRORS},
    )
    @idempotent
    def post(self, request: Request, improvement_action_id: int) -> Response:
        user = actor(request)
        action = planning.access_action(user, improvement_action_id)
        data = validated(s.ActionProgressInputSerializer, request)
        planning.update_action_progress(
            actor=user,
            action=action,
            version=data["expected_version"],
            note=data["note"],
            completed=data["completed"],
            due_on=data.get("due_on"),
        )
        return Response(_action_data(planning.access_action(user, improvement_action_id)))


class ActionRagProposalView(APIView):
    @extend_schema(
        summary="Propose a RAG for an action with no linked measure or milestone",
        operation_id="improvement_actions_propose_rag",
        description="The plan lead's own proposal is agreed at once; others wait for the lead.",
        request=s.RagProposalInputSerializer,
        responses={201: s.RagProposalSerializer, **WRITE_ERRORS},
    )
    @idempotent
    def post(self, request: Request, improvement_action_id: int) -> Response:
        user = actor(request)
        action = planning.access_action(user, improvement_action_id)
        data = validated(s.RagProposalInputSerializer, request)
        proposal = planning.propose_rag(
            actor=user, action=action, rag=data["rag"], reason=data["reason"]
        )
        return Response(s.RagProposalSerializer(_proposal(proposal)).data, status=201)


class RagDecisionView(APIView):
    @extend_schema(
        summary="The plan lead agrees or declines a proposed RAG",
        operation_id="improvement_rag_proposals_decide",
        request=s.RagDecisionInputSerializer,
        responses={200: s.RagProposalSerializer, **WRITE_ERRORS},
    )
    @idempotent
    def post(self, request: Request, rag_proposal_id: int) -> Response:
        user = actor(request)
        proposal = planning.access_proposal(user, rag_proposal_id)
        data = validated(s.RagDecisionInputSerializer, request)
        planning.decide_rag_proposal(actor=user, proposal=proposal, agree=data["agree"])
        return Response(s.RagProposalSerializer(_proposal(proposal)).data)


class ActionMilestoneView(APIView):
    @extend_schema(
        summary="Add a milestone to an action",
        operation_id="improvement_actions_add_milestone",
        request=s.MilestoneInputSerializer,
        responses={201: s.ImprovementMilestoneSerializer, **WRITE_ERRORS},
    )
    @idempotent
    def post(self, request: Request, improvement_action_id: int) -> Response:
        user = actor(request)
        action = planning.access_action(user, improvement_action_id)
        data = validated(s.MilestoneInputSerializer, request)
        m = planning.add_milestone(
            actor=user, action=action, description=data["description"], due_on=data["due_on"]
        )
        body = {"id": m.pk, "description": m.description, "due_on": m.due_on, "done_on": None}
        return Response(s.ImprovementMilestoneSerializer(body).data, status=201)


class ActionEvidenceView(APIView):
    @extend_schema(
        summary="Add evidence to an action (a document, an audit result or a note)",
        operation_id="improvement_actions_add_evidence",
        request=s.EvidenceInputSerializer,
        responses={201: s.ImprovementEvidenceSerializer, **WRITE_ERRORS},
    )
    @idempotent
    def post(self, request: Request, improvement_action_id: int) -> Response:
        user = actor(request)
        action = planning.access_action(user, improvement_action_id)
        data = validated(s.EvidenceInputSerializer, request)
        e = planning.add_evidence(
            actor=user,
            action=action,
            kind=data["kind"],
            title=data["title"],
            detail=data["detail"],
        )
        body = {
            "id": e.pk,
            "kind": e.kind,
            "title": e.title,
            "detail": e.detail,
            "added_by": str(user),
            "added_at": e.added_at,
        }
        return Response(s.ImprovementEvidenceSerializer(body).data, status=201)


class ActionMeasureView(APIView):
    @extend_schema(
        summary="Link a percentage measure to an action with the target it aims at",
        operation_id="improvement_actions_link_measure",
        description="Linking the same measure again changes its target. The action's RAG is "
        "then computed from its linked measures (last complete quarter) and milestones.",
        request=s.LinkMeasureInputSerializer,
        responses={200: s.ImprovementActionSerializer, **WRITE_ERRORS},
    )
    @idempotent
    def post(self, request: Request, improvement_action_id: int) -> Response:
        user = actor(request)
        action = planning.access_action(user, improvement_action_id)
        data = validated(s.LinkMeasureInputSerializer, request)
        planning.link_measure(
            actor=user, action=action, measure_key=data["measure"], target=data["target"]
        )
        return Response(_action_data(planning.access_action(user, improvement_action_id)))


class CabinetReportView(APIView):
    @extend_schema(
        summary="A report to Cabinet or Scrutiny: when, for whom, and who produced it",
        operation_id="improvement_cabinet_reports_retrieve",
        description="The report itself (page and PDF) is on the pages: /performance/cabinet/{id}/.",
        responses={200: s.CabinetReportMetaSerializer, 404: PROBLEM},
    )
    def get(self, request: Request, cabinet_id: int) -> Response:
        report = planning.access_report(actor(request), cabinet_id)
        return Response(s.CabinetReportMetaSerializer(_report(report)).data)
