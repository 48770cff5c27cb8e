"""The MASH workflow built through its services, step by step, for the page tests."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from diogelu.enquiries.models import StrategyDiscussion
from diogelu.referrals import services as referrals
from diogelu.referrals.models import Decision, Outcome, Report, ReportChild
from diogelu.sharing import services as sharing
from diogelu.sharing.models import InformationRequest, Priority
from tests.test_mash_workflow_services import make_report


@dataclass
class Journey:
    report: Report
    child: ReportChild
    sibling: ReportChild
    requests: dict[str, InformationRequest] = field(default_factory=dict)
    decision: Decision | None = None
    strategy: StrategyDiscussion | None = None


def linked_report(world: Any) -> Journey:
    """A school lead's report of the two siblings, both linked by the MASH."""
    report = make_report(world)
    child, sibling = report.children.all()
    referrals.link_child(actor=world.mash, child=child, person=world.child)
    referrals.link_child(actor=world.mash, child=sibling, person=world.sibling)
    report.refresh_from_db()
    return Journey(report=report, child=child, sibling=sibling)


def with_requests(world: Any) -> Journey:
    """...and MASH checks sent to the police, health and the school about the first child."""
    j = linked_report(world)
    for name, agency in (
        ("police", world.police),
        ("health", world.health),
        ("school", world.school),
    ):
        j.requests[name] = sharing.request_information(
            actor=world.mash,
            report=j.report,
            child=j.child,
            agency=agency,
            priority=Priority.STANDARD,
            question="What do you hold about this child and the household?",
        )
    return j


def answered(world: Any) -> Journey:
    """...each answered (the police with intelligence, health with nothing)."""
    j = with_requests(world)
    sharing.answer_request(
        actor=world.police_officer,
        request=j.requests["police"],
        holds_information=True,
        summary="Two domestic incidents at the address this year.",
    )
    sharing.answer_request(
        actor=world.health_practitioner, request=j.requests["health"], holds_information=False
    )
    sharing.answer_request(
        actor=world.school_lead,
        request=j.requests["school"],
        holds_information=True,
        summary="Attendance 78%, arrives hungry.",
    )
    return j


def decided_for_strategy(world: Any) -> Journey:
    """...and a decision to hold a strategy discussion, authorised by the manager."""
    return decide_for_strategy(world, answered(world))


def decide_for_strategy(world: Any, j: Journey) -> Journey:
    """The MASH decides ``j``'s report for a strategy discussion; the manager authorises it."""
    decision = referrals.record_decision(
        actor=world.mash,
        report=j.report,
        outcome=Outcome.STRATEGY_DISCUSSION,
        rationale="Injuries and disclosure: reasonable cause to suspect significant harm.",
    )
    referrals.authorise_decision(actor=world.manager, decision=decision, note="Agreed")
    j.report.refresh_from_db()
    j.decision = decision
    return j
