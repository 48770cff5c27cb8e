"""Demo casework: reports at each stage of the MASH workflow, made through the real services."""

from __future__ import annotations

import datetime

from django.utils import timezone

from diogelu.accounts.models import Agency, User
from diogelu.enquiries import services as enquiries
from diogelu.enquiries.models import S47Kind
from diogelu.people.models import Person, RelationshipKind
from diogelu.referrals import services as referrals
from diogelu.referrals.models import Outcome, Report
from diogelu.sharing import services as sharing
from diogelu.sharing.models import InformationRequest, Priority


def _children_of(mother: Person) -> list[Person]:
    return [
        r.person
        for r in mother.relationships_as_relative.filter(
            kind=RelationshipKind.MOTHER
        ).select_related("person")
    ]


def submit_report_about(
    reporter: User,
    authority: Agency,
    kids: list[Person],
    what: str,
    categories: list[str],
    flags: list[str],
) -> Report:
    """A report about ``kids`` sent by ``reporter`` through the services, as the report pages
    would (not in immediate danger, the family not told, shared to safeguard a child)."""
    report = referrals.start_report(actor=reporter, authority=authority)
    for kid in kids:
        referrals.add_child(
            actor=reporter,
            report=report,
            fields={
                "given_name": kid.given_name,
                "family_name": kid.family_name,
                "date_of_birth": kid.date_of_birth,
                "is_unborn": kid.is_unborn,
                "expected_date_of_birth": kid.expected_date_of_birth,
                "nhs_number": kid.nhs_number,
                "upn": kid.upn,
            },
        )
    report = referrals.save_report_answers(
        actor=reporter,
        report=report,
        expected_version=report.version,
        answers={
            "what_happened": what,
            "categories": categories,
            "flags": flags,
            "immediate_danger": "NO",
            "family_aware": "NO",
            "lawful_basis": "SAFEGUARDING",
        },
    )
    return referrals.submit_report(actor=reporter, report=report)


def load_casework(
    authority: Agency, agencies: dict[str, Agency], users: dict[str, User], mothers: list[Person]
) -> list[str]:
    """Four reports: awaiting decision with checks out, decided and shared, in s47, and a draft."""
    mash, manager = users["mash.practitioner"], users["mash.manager"]
    police, health, school = (
        agencies["dyffryn-police"],
        agencies["glanrafon-health"],
        agencies["ysgol-y-dderwen"],
    )
    families = [
        m
        for m in mothers
        if len([c for c in _children_of(m) if c.date_of_birth]) >= 2 and not m.is_restricted
    ]
    made: list[str] = []
    if len(families) < 3:
        return made  # a very small demo (tests) has too few families for the worked examples

    # 1. Awaiting decision: checks sent, police answered, health overdue.
    kids = [c for c in _children_of(families[0]) if c.date_of_birth][:2]
    r1 = submit_report_about(
        users["school.dsp"],
        authority,
        kids,
        "Both children arrived without coats in the rain; the older said there was no food at home since Friday.",
        ["NEGLECT"],
        [],
    )
    for child, kid in zip(r1.children.all(), kids, strict=True):
        referrals.link_child(actor=mash, child=child, person=kid)
    first = r1.children.first()
    assert first is not None
    q_police = sharing.request_information(
        actor=mash,
        report=r1,
        child=first,
        agency=police,
        priority=Priority.STANDARD,
        question="Any incidents at the home address in the last 12 months?",
    )
    q_health = sharing.request_information(
        actor=mash,
        report=r1,
        child=first,
        agency=health,
        priority=Priority.STANDARD,
        question="Are immunisations and health visiting up to date?",
    )
    sharing.answer_request(
        actor=users["police.officer"],
        request=q_police,
        holds_information=True,
        summary="One domestic incident attended in August; no arrests.",
        known_to_agency="YES",
    )
    past = timezone.now() - datetime.timedelta(days=4)
    InformationRequest.objects.filter(pk=q_health.pk).update(
        requested_at=past, due_at=past + datetime.timedelta(days=1)
    )
    made.append(f"Awaiting decision: {r1.reference}")

    # 2. Decided (information, advice and assistance) and shared; the school has acknowledged.
    kids2 = [c for c in _children_of(families[1]) if c.date_of_birth][:1]
    r2 = submit_report_about(
        users["school.dsp"],
        authority,
        kids2,
        "Child disclosed that mum has been very low and stays in bed; child is doing the shopping.",
        ["NEGLECT"],
        ["PARENTAL_MENTAL_HEALTH"],
    )
    child2 = r2.children.first()
    assert child2 is not None
    referrals.link_child(actor=mash, child=child2, person=kids2[0])
    referrals.record_decision(
        actor=manager,
        report=r2,
        outcome=Outcome.INFORMATION_ADVICE,
        rationale="Young carer: refer to the young carers' service and adult mental health; no safeguarding threshold met.",
    )
    for outcome in r2.outcomes.filter(recipient_user=users["school.dsp"]):
        sharing.acknowledge_outcome(actor=users["school.dsp"], notification=outcome)
    made.append(f"Decided and shared: {r2.reference}")

    # 3. Strategy discussion held; joint s47 enquiry under way.
    kids3 = [c for c in _children_of(families[2]) if c.date_of_birth][:2]
    r3 = submit_report_about(
        users["police.officer"],
        authority,
        kids3,
        "Officers attended a domestic incident; the children were present and the younger one had a cut lip.",
        ["PHYSICAL", "EMOTIONAL"],
        ["DOMESTIC_ABUSE"],
    )
    for child, kid in zip(r3.children.all(), kids3, strict=True):
        referrals.link_child(actor=mash, child=child, person=kid)
    decision = referrals.record_decision(
        actor=mash,
        report=r3,
        outcome=Outcome.STRATEGY_DISCUSSION,
        rationale="Injury to a child during a domestic incident: reasonable cause to suspect significant harm.",
    )
    referrals.authorise_decision(
        actor=manager, decision=decision, note="Agreed: strategy meeting today."
    )
    enquiries.record_strategy_discussion(
        actor=mash,
        report=r3,
        kind="MEETING",
        medium="VIDEO",
        held_at=timezone.now(),
        chair=manager,
        information_shared="Police: third domestic incident this year. School: younger child quiet and withdrawn.",
        participants=[
            {"agency": authority, "name": str(manager), "role": "MASH team manager"},
            {"agency": police, "name": str(users["police.officer"]), "role": "Detective constable"},
            {
                "agency": school,
                "name": str(users["school.dsp"]),
                "role": "Designated safeguarding person",
            },
        ],
        child_decisions=[
            {
                "child": c,
                "s47": S47Kind.JOINT,
                "reasons": "Present during domestic abuse; injury to the younger child.",
            }
            for c in r3.children.all()
        ],
        actions=[
            {
                "description": "Joint visit with police and medical for the younger child",
                "owner_agency": police,
                "due_on": timezone.localdate() + datetime.timedelta(days=1),
            }
        ],
        lead_social_worker=users["social.worker"],
    )
    made.append(f"Section 47 enquiries under way: {r3.reference}")

    # 4. A draft the school has not finished.
    draft = referrals.start_report(actor=users["school.dsp"], authority=authority)
    referrals.save_report_answers(
        actor=users["school.dsp"],
        report=draft,
        expected_version=draft.version,
        answers={"what_happened": "(draft) Concern about a Year 3 pupil's weight loss."},
    )
    made.append("A draft report by school.dsp")
    return made
