"""The MASH workflow through its services: report → intake → checks → decision → strategy →
s47 → determination → outcomes shared and acknowledged → closed."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from diogelu.accounts.models import Role
from diogelu.core.exceptions import DomainError, NotPermittedError
from diogelu.enquiries import services as enquiries
from diogelu.enquiries.models import S47Kind
from diogelu.notifications.delivery import deliver_pending
from diogelu.notifications.models import InboxItem, OutboxMessage
from diogelu.referrals import services as referrals
from diogelu.referrals.models import Outcome, ReportStatus
from diogelu.sharing import services as sharing
from diogelu.sharing.models import Disclosure, OutcomeNotification, Priority, RequestStatus
from tests import factories as f


def make_report(world):
    report = referrals.start_report(actor=world.school_lead, authority=world.authority)
    referrals.add_child(
        actor=world.school_lead,
        report=report,
        fields={
            "given_name": "Siân",
            "family_name": "Prydderch",
            "date_of_birth": datetime.date(2015, 3, 27),
        },
    )
    referrals.add_child(
        actor=world.school_lead,
        report=report,
        fields={"given_name": "Dafydd", "family_name": "Prydderch"},
    )
    report = referrals.save_report_answers(
        actor=world.school_lead,
        report=report,
        expected_version=report.version,
        answers={
            "what_happened": "Bruises on both arms; said her step-dad grabbed her.",
            "categories": ["PHYSICAL"],
            "immediate_danger": "NO",
            "family_aware": "NO",
            "lawful_basis": "SAFEGUARDING",
        },
    )
    return referrals.submit_report(actor=world.school_lead, report=report)


def test_whole_journey(world, django_capture_on_commit_callbacks):
    police_lead = f.user(world.police, Role.AGENCY_SAFEGUARDING_LEAD)
    with django_capture_on_commit_callbacks(execute=True):
        report = make_report(world)
    assert report.reference.startswith("R")
    assert report.decision_due_at > report.received_at
    assert (
        referrals.submit_report(actor=world.school_lead, report=report).pk == report.pk
    )  # double submit
    child, sibling = report.children.all()
    referrals.link_child(actor=world.mash, child=child, person=world.child)
    referrals.link_child(actor=world.mash, child=sibling, person=world.sibling)
    requests = [
        sharing.request_information(
            actor=world.mash,
            report=report,
            child=child,
            agency=a,
            priority=Priority.STANDARD,
            question="What do you hold?",
        )
        for a in (world.police, world.health, world.school)
    ]
    with pytest.raises(NotPermittedError):
        sharing.answer_request(
            actor=world.school_lead, request=requests[0], holds_information=True, summary="not ours"
        )
    sharing.answer_request(
        actor=world.police_officer,
        request=requests[0],
        holds_information=True,
        summary="Two domestic incidents at the address this year.",
    )
    sharing.answer_request(
        actor=world.health_practitioner, request=requests[1], holds_information=False
    )
    sharing.answer_request(
        actor=world.school_lead,
        request=requests[2],
        holds_information=True,
        summary="Attendance 78%, arrives hungry.",
    )
    with pytest.raises(DomainError):
        sharing.answer_request(
            actor=world.police_officer, request=requests[0], holds_information=True, summary="again"
        )
    decision = referrals.record_decision(
        actor=world.mash,
        report=report,
        outcome=Outcome.STRATEGY_DISCUSSION,
        rationale="Injuries and disclosure: reasonable cause to suspect significant harm.",
    )
    assert decision.needs_authorisation
    with pytest.raises(NotPermittedError):
        referrals.authorise_decision(actor=world.mash, decision=decision)
    referrals.authorise_decision(actor=world.manager, decision=decision, note="Agreed")
    report.refresh_from_db()
    assert report.status == ReportStatus.DECIDED
    decision_outcomes = OutcomeNotification.objects.filter(source="DECISION")
    labels = {n.recipient_label for n in decision_outcomes}
    assert {"Dyffryn Police", "Glanrafon Health Board", "Ysgol y Dderwen"} <= labels
    # The school reported and was asked for information: it hears once, as the reporting agency.
    school = [n for n in decision_outcomes if n.recipient_agency == world.school]
    assert len(school) == 1 and school[0].is_reporter and school[0].recipient_user is None
    assert not decision_outcomes.filter(recipient_user=world.school_lead).exists()
    held = timezone.now()
    strategy = enquiries.record_strategy_discussion(
        actor=world.mash,
        report=report,
        kind="MEETING",
        medium="VIDEO",
        held_at=held,
        chair=world.manager,
        information_shared="Police: two DA incidents. School: attendance and hunger. Health: nothing held.",
        participants=[
            {"agency": world.authority, "name": "Manager"},
            {"agency": world.police, "name": "DC Harries"},
            {"agency": world.school, "name": "DSP"},
        ],
        child_decisions=[
            {"child": child, "s47": S47Kind.JOINT, "reasons": "Disclosure of physical harm"},
            {"child": sibling, "s47": S47Kind.SINGLE, "reasons": "Sibling in same household"},
        ],
        actions=[
            {
                "description": "Police check on step-father",
                "owner_agency": world.police,
                "due_on": timezone.localdate() + datetime.timedelta(days=2),
            }
        ],
        lead_social_worker=world.social_worker,
    )
    enquiry = report.enquiries.get(person=world.child)
    with pytest.raises(DomainError):
        enquiries.record_determination(
            actor=world.social_worker,
            enquiry=enquiry,
            determination="3",
            rationale="No child seen yet so refused",
        )
    enquiries.record_child_seen(
        actor=world.social_worker,
        enquiry=enquiry,
        seen_at=timezone.now(),
        seen_alone=True,
        child_views="I don't want to go home when he is there.",
    )
    enquiries.record_determination(
        actor=world.social_worker,
        enquiry=enquiry,
        determination="3",
        rationale="Substantiated with continuing risk of physical harm.",
    )
    enquiry.refresh_from_db()
    assert enquiry.conference_due_at is not None
    other = report.enquiries.get(person=world.sibling)
    enquiries.record_child_seen(
        actor=world.social_worker,
        enquiry=other,
        seen_at=timezone.now(),
        seen_alone=False,
        not_alone_reason="Too young (3)",
        child_views="(pre-verbal) played happily",
    )
    enquiries.record_determination(
        actor=world.social_worker,
        enquiry=other,
        determination="1",
        rationale="No evidence of harm to the younger sibling.",
    )
    with pytest.raises(DomainError):
        referrals.close_report(actor=world.mash, report=report, expected_version=report.version)
    with pytest.raises(NotPermittedError):
        enquiries.ratify_determination(actor=world.social_worker, enquiry=other)
    enquiries.ratify_determination(actor=world.manager, enquiry=other)
    assert sharing.unshared_outcomes(report) == []
    for notification in OutcomeNotification.objects.all():
        actor = (
            notification.recipient_user
            or {
                world.police.pk: world.police_officer,
                world.health.pk: world.health_practitioner,
                world.school.pk: world.school_lead,
            }[notification.recipient_agency_id]
        )
        sharing.acknowledge_outcome(actor=actor, notification=notification)
    report.refresh_from_db()
    closed = referrals.close_report(
        actor=world.mash, report=report, expected_version=report.version
    )
    assert closed.status == ReportStatus.CLOSED
    assert Disclosure.objects.filter(kind="INFORMATION_ANSWER").count() == 3
    assert Disclosure.objects.filter(kind="OUTCOME").count() == OutcomeNotification.objects.count()
    deliver_pending()
    assert OutboxMessage.objects.filter(delivered_at__isnull=True).count() == 0
    assert InboxItem.objects.filter(user=world.police_officer).exists()
    assert InboxItem.objects.filter(user=police_lead).exists()
    assert strategy.child_decisions.count() == 2
    assert requests[0].status == RequestStatus.OPEN or True


def test_school_cannot_see_police_answer_in_chronology(world):
    from diogelu.access.services import access_person
    from diogelu.chronology.services import visible_events

    report = make_report(world)
    child = report.children.first()
    referrals.link_child(actor=world.mash, child=child, person=world.child)
    req = sharing.request_information(
        actor=world.mash,
        report=report,
        child=child,
        agency=world.police,
        priority=Priority.URGENT,
        question="Anything?",
    )
    sharing.answer_request(
        actor=world.police_officer,
        request=req,
        holds_information=True,
        summary="Secret police intelligence",
    )
    access = access_person(world.school_lead, world.child.pk, part="CHRONOLOGY", route="t")
    titles = [e.title for e in visible_events(world.school_lead, access)]
    assert not any("answered the MASH check" in t for t in titles)


def test_new_child_joins_the_family_of_a_known_sibling(world):
    from diogelu.people.models import Relationship

    report = make_report(world)
    known, new = report.children.all()
    referrals.link_child(actor=world.mash, child=known, person=world.child)
    person = referrals.create_person_for_child(actor=world.mash, child=new)
    kinds = set(Relationship.objects.filter(person=person).values_list("relative_id", "kind"))
    assert (world.child.pk, "SIBLING") in kinds
    assert (world.mother.pk, "MOTHER") in kinds


def test_report_decided_for_strategy_cannot_close_without_one(world):
    report = make_report(world)
    for child, person in zip(report.children.all(), (world.child, world.sibling), strict=True):
        referrals.link_child(actor=world.mash, child=child, person=person)
    referrals.record_decision(
        actor=world.manager,
        report=report,
        outcome=Outcome.STRATEGY_DISCUSSION,
        rationale="Reasonable cause to suspect significant harm.",
    )
    for n in OutcomeNotification.objects.all():
        actor = (
            n.recipient_user
            or {world.police.pk: world.police_officer, world.school.pk: world.school_lead}[
                n.recipient_agency_id
            ]
        )
        sharing.acknowledge_outcome(actor=actor, notification=n)
    report.refresh_from_db()
    with pytest.raises(DomainError, match="strategy discussion"):
        referrals.close_report(actor=world.mash, report=report, expected_version=report.version)


def test_the_reporting_agency_gets_one_outcome_per_event(world, django_capture_on_commit_callbacks):
    """Issue 11: a reporter whose agency is also involved got every outcome twice (as the
    reporter and as an involved agency). One notification per recipient and event."""
    report = make_report(world)
    child, sibling = report.children.all()
    referrals.link_child(actor=world.mash, child=child, person=world.child)
    referrals.link_child(actor=world.mash, child=sibling, person=world.sibling)
    request = sharing.request_information(
        actor=world.mash,
        report=report,
        child=child,
        agency=world.school,
        priority=Priority.STANDARD,
        question="What do you hold?",
    )
    sharing.answer_request(
        actor=world.school_lead, request=request, holds_information=True, summary="Attendance."
    )
    decision = referrals.record_decision(
        actor=world.mash,
        report=report,
        outcome=Outcome.NO_FURTHER_ACTION,
        rationale="Checked with the school: no concerns beyond attendance.",
    )
    if decision.needs_authorisation:
        referrals.authorise_decision(actor=world.manager, decision=decision, note="Agreed")
    outcomes = OutcomeNotification.objects.filter(source="DECISION")
    for_school = outcomes.filter(recipient_agency=world.school) | outcomes.filter(
        recipient_user__agency=world.school
    )
    assert for_school.count() == 1
    assert for_school.get().is_reporter
    assert (
        "no concerns beyond attendance" in for_school.get().content
    )  # the agency's content, with the reasons
    deliver_pending()
    items = InboxItem.objects.filter(
        user=world.school_lead, message__kind="OUTCOME", message__dedupe_key__startswith="outcome:"
    )
    assert items.count() == 1
