"""Two local authorities with their partner agencies, users of every role and case objects in
every app, built through the services — the fixture of ``tests/test_idor_matrix.py``.

Each side mirrors ``tests/conftest.py``'s ``world`` (so the journey helpers of the sharing and
conference tests run unchanged on it), plus: a conference chair, a head of service, an auditor,
an information governance lead, an administrator, a police safeguarding lead, the lead of a partner
school never involved with any child, and an inactive social worker (with a live session and
token). Only synthetic people.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

import time_machine

from diogelu.access import services as access_services
from diogelu.access.models import Part
from diogelu.accounts.models import Agency, AgencyKind, Role, User
from diogelu.chronology.models import Audience
from diogelu.conferences import services as conferences
from diogelu.conferences.models import Conference
from diogelu.conferences.tests.test_documents import publish_outline_plan
from diogelu.conferences.tests.test_journey import at, held
from diogelu.notifications.delivery import deliver_pending
from diogelu.people.merging import merge_people
from diogelu.people.models import Person, RelationshipKind
from diogelu.plans.models import Plan
from diogelu.referrals import services as referrals
from diogelu.referrals.models import Report
from tests import factories as f
from tests.conftest import World

#: The moment the requests are made (the day after the conferences are held).
NOW = at(2026, 1, 20, 12)


@dataclass
class Side(World):
    """One local authority's ``World`` plus the extra personas and objects of the matrix."""

    tag: str
    school2: Agency
    chair: User
    head: User
    auditor: User
    ig_lead: User
    administrator: User
    police_lead: User
    school2_lead: User
    inactive: User
    restricted: Person
    duplicate: Person
    conference: Conference | None = None
    draft: Report | None = None
    tokens: dict[int, str] = field(default_factory=dict)

    def actors(self) -> dict[str, User]:
        names = (
            "social_worker",
            "manager",
            "mash",
            "chair",
            "head",
            "auditor",
            "ig_lead",
            "administrator",
            "police_officer",
            "police_lead",
            "health_practitioner",
            "school_lead",
            "school2_lead",
            "inactive",
        )
        return {f"{self.tag}.{name}": getattr(self, name) for name in names}


def _side(tag: str, nhs_number: str) -> Side:
    la = f.agency(AgencyKind.LOCAL_AUTHORITY, f"{tag} Children's Services")
    police = f.agency(AgencyKind.POLICE, f"{tag} Police")
    school = f.agency(AgencyKind.SCHOOL, f"Ysgol {tag}")
    health = f.agency(AgencyKind.HEALTH, f"{tag} Health Board")
    school2 = f.agency(AgencyKind.SCHOOL, f"Ysgol Arall {tag}")
    for partner in (police, school, health, school2):
        partner.partner_of.add(la)
    child = f.person(la, given_name="Siân", family_name="Prydderch", nhs_number=nhs_number, upn="")
    sibling = f.person(la, given_name="Dafydd", family_name="Prydderch")
    mother = f.person(la, given_name="Rhian", family_name="Prydderch", date_of_birth=None)
    f.address(child, "CF31 4AB")
    f.relate(child, mother, RelationshipKind.MOTHER, has_parental_responsibility=True)
    f.relate(child, sibling, RelationshipKind.SIBLING)
    f.involve(child, police, [Part.SUMMARY, Part.FAMILY, Part.CHRONOLOGY])
    f.involve(child, school, [Part.SUMMARY, Part.CHRONOLOGY])
    f.event(child, la, Audience.LOCAL_AUTHORITY, "LA only note")
    f.event(child, police, Audience.SOURCE_AGENCY, "Police intelligence")
    f.event(child, school, Audience.ALL_INVOLVED, "Attendance concern")
    other_child = f.person(la, given_name="Osian", family_name="Beynon")
    restricted = f.person(la, given_name="Cadi", family_name="Morgan", is_restricted=True)
    duplicate = f.person(la, given_name="Osian", family_name="Beinon")
    t = tag.lower()

    def u(agency: Agency, role: str, name: str) -> User:
        return f.user(agency, role, username=f"{t}-{name}")

    return Side(
        tag=tag,
        authority=la,
        other_authority=la,  # set to the other side's authority by build()
        police=police,
        school=school,
        health=health,
        school2=school2,
        social_worker=u(la, Role.SOCIAL_WORKER, "sw"),
        manager=u(la, Role.TEAM_MANAGER, "manager"),
        mash=u(la, Role.MASH_PRACTITIONER, "mash"),
        chair=u(la, Role.CONFERENCE_CHAIR, "chair"),
        head=u(la, Role.HEAD_OF_SERVICE, "head"),
        auditor=u(la, Role.AUDITOR, "auditor"),
        ig_lead=u(la, Role.IG_LEAD, "ig"),
        administrator=u(la, Role.ADMINISTRATOR, "admin"),
        police_officer=u(police, Role.POLICE_OFFICER, "police"),
        police_lead=u(police, Role.AGENCY_SAFEGUARDING_LEAD, "police-lead"),
        school_lead=u(school, Role.SCHOOL_DSP, "school"),
        health_practitioner=u(health, Role.HEALTH_PRACTITIONER, "health"),
        school2_lead=u(school2, Role.SCHOOL_DSP, "school2"),
        inactive=u(la, Role.SOCIAL_WORKER, "leaver"),
        other_la_worker=u(la, Role.SOCIAL_WORKER, "placeholder"),  # replaced by build()
        child=child,
        sibling=sibling,
        mother=mother,
        other_child=other_child,
        restricted=restricted,
        duplicate=duplicate,
    )


def _casework(side: Side, clock: Any) -> None:
    """The whole MASH → conference → plan journey, then the odds and ends with their own ids."""
    clock.move_to(at(2026, 1, 5, 8))
    conference, _invites = held(side, clock)
    side.conference = conference
    # A report the police officer is still writing: only its writer may see it.
    draft = referrals.start_report(actor=side.police_officer, authority=side.authority)
    referrals.add_child(
        actor=side.police_officer,
        report=draft,
        fields={"given_name": "Tomos", "family_name": "Rees"},
    )
    side.draft = draft
    clock.move_to(at(2026, 1, 20, 9))
    publish_outline_plan(side, Plan.objects.get(person=side.child))
    conferences.circulate_record(actor=side.social_worker, conference=conference)
    merge_people(
        actor=side.manager,
        survivor=side.other_child,
        duplicate=side.duplicate,
        reason="Same child: a typing slip in the surname",
    )
    access_services.break_glass(
        actor=side.social_worker,
        person=side.restricted,
        reason_code="IMMEDIATE_RISK",
        reason="Police report a child at the address tonight; checking the record.",
    )


def _oversight(side: Side) -> None:
    """Oversight objects: a team, worker records, an allocation, a vacant post, case and
    reflective supervision with an action, and a case closure waiting for approval."""
    import datetime

    from diogelu.accounts.models import Team
    from diogelu.oversight import services as oversight
    from diogelu.oversight.models import AllocationReason, CaseStage, PracticeStep

    team = Team.objects.create(agency=side.authority, name=f"{side.tag} locality team")
    for user in (side.manager, side.social_worker):
        user.team = team
        user.save(update_fields=["team"])
    for user, manager in ((side.manager, side.head), (side.social_worker, side.manager)):
        oversight.record_worker(
            actor=side.head,
            user=user,
            team=team,
            job_role="SOCIAL_WORKER",
            started_on=datetime.date(2024, 1, 1),
            scw_number="SCW1",
            contract_kind="PERMANENT",
            fte=1,
            line_manager=manager,
        )
    # The workflow opened the child's case when the work started (unallocated): allocate it.
    opened = oversight.open_case_of(side.child)
    oversight.allocate_child(
        actor=side.manager,
        person=side.child,
        worker=side.social_worker,
        team=team,
        reason=AllocationReason.NEW_CASE,
        stage=CaseStage.CHILD_PROTECTION,
        expected_version=opened.version if opened is not None else None,
    )
    oversight.establish_post(
        actor=side.head,
        team=team,
        title="Social worker",
        fte=1,
        established_on=datetime.date(2025, 1, 1),
    )
    held_on = datetime.date(2026, 1, 20)
    oversight.record_case_supervision(
        actor=side.manager,
        worker=side.social_worker,
        held_on=held_on,
        children=[oversight.ChildDiscussion(person=side.child, decisions="Visit weekly")],
        actions=[
            oversight.ActionSpec(
                step=PracticeStep.OTHER,
                description="Book training",
                owner=side.social_worker,
                due_on=held_on,
            )
        ],
    )
    oversight.record_reflective_supervision(
        actor=side.manager, worker=side.social_worker, held_on=held_on, wellbeing="Tired"
    )
    case = oversight.open_case_of(side.child)
    assert case is not None
    oversight.propose_case_closure(actor=side.social_worker, case=case, reason="Needs met")


def _improvement_plan(side: Side) -> None:
    """An inspection with one finding, one action owned by the team manager (with a RAG it
    proposed), and a report."""
    import datetime

    from diogelu.measures.models import (
        CabinetReport,
        Finding,
        ImprovementAction,
        Inspection,
        RagProposal,
        ReportLayout,
    )

    inspection = Inspection.objects.create(
        authority=side.authority,
        kind="IMPROVEMENT_CHECK",
        title=f"Improvement check ({side.tag})",
        held_from=datetime.date(2025, 11, 3),
        held_to=datetime.date(2025, 11, 6),
        lead=side.head,
    )
    finding = Finding.objects.create(
        inspection=inspection, number=1, area="Workforce", text="The workforce is fragile."
    )
    action = ImprovementAction.objects.create(
        finding=finding,
        number="1.1",
        description="Reduce agency social workers",
        owner=side.manager,
        due_on=datetime.date(2026, 6, 30),
    )
    RagProposal.objects.create(
        action=action, rag="AMBER", reason="Two posts still vacant", proposed_by=side.manager
    )
    CabinetReport.objects.create(
        inspection=inspection,
        meeting_on=datetime.date(2026, 1, 15),
        committee="Cabinet",
        layout=ReportLayout.SIDE_BY_SIDE,
        produced_by=side.head,
        snapshot={"findings": [], "measures": [], "evidence": []},
    )


def _audit(side: Side) -> None:
    """A monthly case-file audit of the child's file: drawn, graded by the auditor, submitted,
    with an action for the worker (the moderator is the conference chair)."""
    import datetime

    from diogelu.accounts.models import Team
    from diogelu.audit import services as audit

    team = Team.objects.get(agency=side.authority, name=f"{side.tag} locality team")
    programme = audit.create_programme(
        actor=side.head,
        kind="MONTHLY",
        title=f"January audit ({side.tag})",
        period_start=datetime.date(2026, 1, 1),
        period_end=datetime.date(2026, 1, 31),
        auditors=[side.auditor],
        moderators=[side.chair],
        strata=[(team, "OPEN", 1)],
    )
    (made,) = audit.draw_sample(actor=side.head, programme=programme, seed=1)
    sections = list(programme.form.sections.all())
    audit.save_audit(
        actor=side.auditor,
        audit=made,
        grades={s.pk: ("GOOD", "") for s in sections},
        answers={},
        overall_grade="GOOD",
        overall_reason="Steady",
        submit=True,
    )
    audit.raise_action(
        actor=side.auditor,
        audit=made,
        description="See the child alone",
        owner=side.social_worker,
        due_on=datetime.date(2026, 6, 30),
    )


def _exploitation(side: Side) -> None:
    """A flat linked to the child (whom the police and the school see) and the sibling (whom no
    partner sees), police intelligence on it, a screening of the child and an NRM referral."""
    from diogelu.exploitation import services as exploitation
    from diogelu.exploitation.models import IntelHandling, LinkNature, LinkSource

    flat = exploitation.create_context(
        side.mash, kind="ADDRESS", name=f"Flat 3 {side.tag}", identifier=f"flat 3 {side.tag}"
    )
    for person in (side.child, side.sibling):
        exploitation.link_child(
            side.mash, flat, person, nature=LinkNature.SEEN_AT, source=LinkSource.POLICE
        )
    exploitation.add_intelligence(
        side.police_officer, flat, text="Drug line", handling=IntelHandling.POLICE_ONLY
    )
    exploitation.record_screening(side.social_worker, side.child, answers=["missing"])
    # A concern flagged by the school (whom the police also see, so it is visible to agencies
    # that may not withdraw it): the withdraw page is in the matrix.
    exploitation.flag_concern(side.school_lead, side.child, concern="CCE", note="Older youths")
    exploitation.refer_to_nrm(
        side.social_worker,
        side.child,
        referred_on=datetime.date(2026, 1, 2),
        first_responder=side.police,
        reasons="Holding drugs for an older man",
    )
    # A multi-agency meeting on the flat, the police invited (not the schools): ADR 0700.
    from diogelu.exploitation import meetings

    meeting = meetings.convene(
        side.mash,
        context=flat,
        scheduled_at=NOW,
        venue=f"Civic Centre {side.tag}",
        chair=side.manager,
        agencies=[side.police],
    )
    # Held the same day, with one action for the police officer (the meeting action routes).
    from diogelu.exploitation.models import RiskLevel

    meetings.record_held(
        side.mash,
        meeting,
        meetings.HeldRecord(
            attended=[side.police.pk],
            risk_level=RiskLevel.MEDIUM,
            risk_reasons="Children seen at the flat",
            actions=[
                meetings.ActionDraft(
                    "Visit the flat", side.police, datetime.date(2026, 2, 3), side.police_officer
                )
            ],
        ),
    )


def build(clock: time_machine.Traveller) -> tuple[Side, Side]:
    """Both sides with their casework; every actor holds an API token; inbox items delivered."""
    a = _side("Glanrafon", "9990000018")
    b = _side("Aberdewi", "")
    a.other_authority, b.other_authority = b.authority, a.authority
    a.other_la_worker, b.other_la_worker = b.social_worker, a.social_worker
    for side in (a, b):
        _casework(side, clock)
        _oversight(side)
        _improvement_plan(side)
        _audit(side)
        _exploitation(side)
    clock.move_to(NOW)
    deliver_pending(limit=10_000)
    for side in (a, b):
        for user in side.actors().values():
            side.tokens[user.pk] = f.token(user, days=365)
        # A leaver: the account is switched off, but the session and token are still held.
        side.inactive.is_active = False
        side.inactive.save(update_fields=["is_active"])
    return a, b


__all__ = ["NOW", "Side", "build"]
