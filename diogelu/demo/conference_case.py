"""Demo casework: a child taken from a report through an initial child protection conference onto
the register, with a plan, a core group and visits, made through the real services.

The story happens in the past, so the services run with the clock set back (``time_machine``,
installed with the development requirements that ``make run`` and ``make demo`` use), and every
record, chronology event and notification carries the time it would have had. Dates count back in
working days from today, so whenever the demo is loaded:

* the initial conference was held 25 working days ago (registered: neglect, emotional abuse);
* the record went out 2 working days later; the school has not acknowledged it yet;
* plan version 1 is published (quality score kept with it) and version 2 is a draft;
* the first core group met 8 working days after the conference;
* the child was last seen alone the day after the conference, so that visit is overdue and
  shows on the social worker's and the team managers' *My work*.

It is added once: nothing is added when the authority already has a conference.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from diogelu import procedures
from diogelu.accounts.models import PARTNER_WORK_ROLES, Agency, User
from diogelu.conferences import services as conferences
from diogelu.conferences.models import (
    Attendance,
    Category,
    Circulation,
    Conference,
    InviteeKind,
    RegisterEpisode,
    ViewsMethod,
)
from diogelu.demo import data
from diogelu.demo.casework import submit_report_about
from diogelu.enquiries import services as enquiries
from diogelu.enquiries.models import S47Kind
from diogelu.people.models import Person, RelationshipKind
from diogelu.plans import services as plans
from diogelu.plans.models import ActionStatus, Progress
from diogelu.referrals import services as referrals
from diogelu.referrals.models import Outcome
from diogelu.sharing import services as sharing

#: Working days from the initial conference to today.
CONFERENCE_AGO = 25
#: Working days from the report (and strategy meeting) to the conference.
REPORT_TO_CONFERENCE = 12
SCHOOL_USERS = {
    "ysgol-y-dderwen": "school.dsp",
    "afonwen-primary": "school.dsp2",
    "glanrafon-high": "school.dsp3",
}


def _back(day: datetime.date, n: int) -> datetime.date:
    """The working day ``n`` working days before ``day``."""
    for _ in range(n):
        day -= datetime.timedelta(days=1)
        while not procedures.is_working_day(day):
            day -= datetime.timedelta(days=1)
    return day


def _on(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=procedures.LONDON)


def _pick_family(authority: Agency, today: datetime.date) -> tuple[Person, Person] | None:
    """A child of 5 to 14 with a Welsh given name, and their mother, from a household with no
    report yet."""
    welsh = set(data.WELSH_GIVEN_FEMALE) | set(data.WELSH_GIVEN_MALE)
    children = (
        Person.objects.filter(
            authority=authority,
            la_reference__startswith=f"{data.REFERENCE_PREFIX}-",
            is_restricted=False,
            is_unborn=False,
            merged_into__isnull=True,
            date_of_birth__isnull=False,
            relationships__kind=RelationshipKind.MOTHER,
        )
        .distinct()
        .order_by("la_reference")
    )
    for child in children:
        age = child.age_on(today)
        if age is None or not 5 <= age <= 14 or child.given_name not in welsh:
            continue
        link = child.relationships.filter(kind=RelationshipKind.MOTHER).select_related("relative")
        mother = link.first()
        if mother is None or mother.relative.is_restricted:
            continue
        household = [r.person for r in mother.relative.relationships_as_relative.all()]
        if any(p.reports.exists() for p in [*household, mother.relative]):
            continue
        return child, mother.relative
    return None


def _acknowledge_outcomes(report: Any) -> None:
    """Every agency acknowledges the MASH outcomes in time, so the demo shows no escalations."""
    for notification in report.outcomes.filter(acknowledged_at__isnull=True):
        if notification.recipient_user is not None:
            candidates = [notification.recipient_user]
        else:
            candidates = list(
                User.objects.filter(
                    agency=notification.recipient_agency,
                    is_active=True,
                    role_assignments__role__in=sorted(PARTNER_WORK_ROLES),
                )
                .distinct()
                .order_by("username")
            )
        actor = next((u for u in candidates if sharing.may_act_for(u, notification)), None)
        if actor is not None:
            sharing.acknowledge_outcome(actor=actor, notification=notification)


def load_conference_case(
    authority: Agency, agencies: dict[str, Agency], users: dict[str, User]
) -> list[str]:
    """Make the registered child's story once; returns lines for the loader to print."""
    if Conference.objects.filter(authority=authority).exists():
        return []
    today = procedures.local_date(timezone.now())
    if not procedures.is_working_day(today):
        today = _back(today, 1)
    picked = _pick_family(authority, today)
    if picked is None:
        return []  # a very small demo has no suitable family
    from time_machine import travel

    child, mother = picked
    conference_day = _back(today, CONFERENCE_AGO)
    report_day = _back(conference_day, REPORT_TO_CONFERENCE)
    with travel(_on(report_day, 8, 30), tick=False) as clock:
        return _story(clock, authority, agencies, users, child, mother, report_day, conference_day)


def _story(
    clock: Any,
    authority: Agency,
    agencies: dict[str, Agency],
    users: dict[str, User],
    child: Person,
    mother: Person,
    report_day: datetime.date,
    conference_day: datetime.date,
) -> list[str]:
    def day(n: int) -> datetime.date:
        """``n`` working days after the conference (negative: before it)."""
        if n < 0:
            return _back(conference_day, -n)
        return procedures.add_working_days(conference_day, n)

    mash, manager = users["mash.practitioner"], users["mash.manager"]
    worker, chair = users["social.worker"], users["conference.chair"]
    police_officer, health_visitor = users["police.officer"], users["health.visitor"]
    police, health = agencies["dyffryn-police"], agencies["glanrafon-health"]
    school_involvement = (
        child.involvements.filter(agency__code__in=list(SCHOOL_USERS)).order_by("pk").first()
    )
    school = school_involvement.agency if school_involvement else agencies["ysgol-y-dderwen"]

    # The report, the MASH decision and the strategy meeting (report day).
    report = submit_report_about(
        health_visitor,
        authority,
        [child],
        "Home visit: no heating or food in the house; the child said they hide upstairs when mum's partner shouts.",
        ["NEGLECT", "EMOTIONAL"],
        ["DOMESTIC_ABUSE"],
    )
    clock.move_to(_on(report_day, 9, 15))
    report_child = report.children.get()
    referrals.link_child(actor=mash, child=report_child, person=child)
    decision = referrals.record_decision(
        actor=mash,
        report=report,
        outcome=Outcome.STRATEGY_DISCUSSION,
        rationale="Persistent neglect and a child frightened at home: reasonable cause to suspect significant harm.",
    )
    referrals.authorise_decision(actor=manager, decision=decision, note="Agreed: strategy meeting.")
    clock.move_to(_on(report_day, 12))
    enquiries.record_strategy_discussion(
        actor=mash,
        report=report,
        kind="MEETING",
        medium="VIDEO",
        held_at=_on(report_day, 11),
        chair=manager,
        information_shared="Police: two domestic incidents at the address this year. Health: missed immunisations, home cold on two visits. School: attendance 81%, often hungry.",
        participants=[
            {"agency": authority, "name": str(manager), "role": "MASH team manager"},
            {"agency": police, "name": str(police_officer), "role": "Detective constable"},
            {"agency": health, "name": str(health_visitor), "role": "Health visitor"},
        ],
        child_decisions=[
            {
                "child": report_child,
                "s47": S47Kind.SINGLE,
                "reasons": "Neglect and emotional harm from living with domestic abuse.",
            }
        ],
        lead_social_worker=worker,
    )
    enquiry = report.enquiries.get(person=child)

    # Seen alone, then determination 3 (continuing risk).
    clock.move_to(_on(day(-REPORT_TO_CONFERENCE + 1), 16))
    enquiries.record_child_seen(
        actor=worker,
        enquiry=enquiry,
        seen_at=_on(day(-REPORT_TO_CONFERENCE + 1), 15),
        seen_alone=True,
        child_views="I get cold at night. When they shout I go under my bed with my tablet.",
    )
    clock.move_to(_on(day(-REPORT_TO_CONFERENCE + 2), 16))
    enquiries.record_determination(
        actor=worker,
        enquiry=enquiry,
        determination="3",
        rationale="Neglect substantiated; continuing risk of significant harm from neglect and domestic abuse.",
    )
    clock.move_to(_on(day(-REPORT_TO_CONFERENCE + 2), 17))
    _acknowledge_outcomes(report)

    # Convened, invitations, agency reports.
    clock.move_to(_on(day(-REPORT_TO_CONFERENCE + 3), 10))
    enquiry.refresh_from_db()
    conference = conferences.convene_conference(
        actor=worker, enquiries=[enquiry], scheduled_for=_on(conference_day, 10)
    )
    invite: dict[str, Any] = {
        "la": {"agency": authority, "user": worker, "professional_group": "Social work"},
        "police": {"agency": police, "user": police_officer, "professional_group": "Police"},
        "health": {
            "agency": health,
            "user": health_visitor,
            "professional_group": "Health visitor",
        },
        "school": {"agency": school, "professional_group": "Education"},
    }
    invites = {
        name: conferences.invite(
            actor=worker, conference=conference, invitee_kind=InviteeKind.AGENCY, **fields
        )
        for name, fields in invite.items()
    }
    invites["mother"] = conferences.invite(
        actor=worker, conference=conference, invitee_kind=InviteeKind.FAMILY, person=mother
    )
    invites["child"] = conferences.invite(
        actor=worker,
        conference=conference,
        invitee_kind=InviteeKind.CHILD,
        person=child,
        advocacy_offered=True,
        advocacy_accepted=True,
    )
    clock.move_to(_on(day(-1), 14))
    conferences.submit_agency_report(
        actor=police_officer,
        invitation=invites["police"],
        text="Two domestic incidents attended this year; no arrests; the child was present at the second.",
    )
    conferences.submit_agency_report(
        actor=health_visitor,
        invitation=invites["health"],
        text="Immunisations overdue; weight on the 9th centile; home cold and without food on two visits.",
    )

    # The initial conference: registered under neglect and emotional abuse.
    clock.move_to(_on(conference_day, 12, 30))
    for name in ("la", "police", "health", "mother"):
        conferences.record_attendance(
            actor=worker, invitation=invites[name], attendance=Attendance.ATTENDED
        )
    for name in ("school", "child"):
        conferences.record_attendance(
            actor=worker, invitation=invites[name], attendance=Attendance.APOLOGIES
        )
    held_at = _on(conference_day, 10)
    place = conference.children.get()
    conferences.hold_conference(
        actor=worker,
        conference=conference,
        held_at=held_at,
        chair=chair,
        decisions=[
            {
                "child": place,
                "child_views": "Through an advocate: a warm house, no more shouting, and to stay with mum.",
                "views_method": ViewsMethod.ADVOCATE,
                "parents_views": "Mother agrees there have been problems and wants help with money and the house; her partner did not attend.",
                "register": True,
                "categories": [Category.NEGLECT, Category.EMOTIONAL],
                "reasons": "Likely to suffer significant harm from neglect and from living with domestic abuse without a plan.",
                "lead_practitioner": worker,
                "core_group": [
                    {"user": police_officer, "role": "Police"},
                    {"user": health_visitor, "role": "Health visitor"},
                    {"agency": school, "role": "School"},
                    {"person": mother, "role": "Mother"},
                ],
                "first_core_group_on": day(8),
                "review_on": procedures.due("review.first", held_at).due_on,
                "contingency_plan": "Any new incident or a home without heat or food: strategy discussion the same day.",
            }
        ],
        summary="Registered under neglect and emotional abuse. Outline plan: a warm and safe home, food every day, and no shouting or violence at home.",
    )
    episode = RegisterEpisode.objects.get(person=child, ended_at__isnull=True)

    # The first visit: seen alone, at home, bedroom seen (the day after the conference).
    clock.move_to(_on(day(1), 17))
    plans.record_visit(
        actor=worker,
        episode=episode,
        visited_at=_on(day(1), 15, 30),
        child_seen=True,
        seen_alone=True,
        seen_at_home=True,
        bedroom_seen=True,
        child_words="The heater works now. I want my own duvet.",
        observations="Heating on; food in the fridge; bedroom cold with one thin blanket.",
    )

    # The record circulated; everyone but the school acknowledges it.
    clock.move_to(_on(day(2), 11))
    conferences.circulate_record(actor=worker, conference=conference)
    clock.move_to(_on(day(3), 10))
    for circulation in Circulation.objects.filter(conference=conference).exclude(
        recipient_agency=school
    ):
        conferences.acknowledge_record(
            actor=circulation.recipient_user or worker, circulation=circulation
        )

    # Plan version 1, published with the school still without an action (the quality check
    # says so; the score is kept with the version).
    clock.move_to(_on(day(3), 15))
    plan = episode.plan
    draft = plans.draft_plan(actor=worker, plan=plan)
    outcomes: list[dict[str, Any]] = [
        {
            "what_must_change": "The house is warm and there is food every day.",
            "measure": "Heating on and food in the house at every visit.",
            "actions": [
                {
                    "description": "Help mother claim the benefits she is owed and apply for the fuel grant",
                    "responsible_user": worker,
                    "responsible_agency": authority,
                    "target_date": day(15),
                },
                {
                    "description": "Catch up immunisations and weigh monthly",
                    "responsible_user": health_visitor,
                    "responsible_agency": health,
                    "target_date": day(20),
                },
            ],
        },
        {
            "what_must_change": "No shouting or violence at home.",
            "measure": "No police call-outs; the child says home is calmer.",
            "actions": [
                {
                    "description": "Share any call-out to the address with the social worker the same day",
                    "responsible_user": police_officer,
                    "responsible_agency": police,
                    "target_date": day(60),
                },
            ],
        },
    ]
    draft = plans.edit_plan(
        actor=worker,
        version=draft,
        expected_version=draft.version,
        child_words="I want a warm house and I want the shouting to stop.",
        contingency="Any new incident or a home without heat or food: strategy discussion the same day.",
        outcomes=outcomes,
    )
    published = plans.publish_plan(actor=worker, version=draft, expected_version=draft.version)

    # The first core group, within core_group.first.
    clock.move_to(_on(day(8), 12))
    current = plan.current_version()
    assert current is not None
    plan_outcomes = list(current.outcomes.all())
    plans.record_core_group(
        actor=worker,
        episode=episode,
        held_at=_on(day(8), 10),
        attended=list(episode.core_group.filter(ended_at__isnull=True).exclude(agency=school)),
        child_views="Told to the social worker: the house is warmer, but still hides upstairs during arguments.",
        risks="Mother's partner still visits most evenings.",
        progress=[
            {"outcome": plan_outcomes[0], "rating": Progress.SOME, "note": "Heating fixed."},
            {
                "outcome": plan_outcomes[1],
                "rating": Progress.NONE,
                "note": "One argument reported.",
            },
        ],
        action_updates=[
            {"action": action, "status": ActionStatus.IN_PROGRESS}
            for outcome in plan_outcomes
            for action in outcome.actions.all()
        ],
    )

    # A second visit: seen at home, but not alone; the bedroom not seen.
    clock.move_to(_on(day(15), 18))
    plans.record_visit(
        actor=worker,
        episode=episode,
        visited_at=_on(day(15), 16),
        child_seen=True,
        seen_alone=False,
        not_alone_reason="Mother stayed in the room; the child was unwell and wanted her there.",
        seen_at_home=True,
        child_words="I've got a cold. Mum made soup.",
        observations="Home warm; food in the cupboards; mother calm and welcoming.",
    )

    # Version 2 in draft: an action for the school.
    clock.move_to(_on(day(16), 11))
    outcomes[0]["actions"].append(
        {
            "description": "Breakfast club every school day and a weekly check-in with the child",
            "responsible_name": "Designated safeguarding person",
            "responsible_agency": school,
            "target_date": day(30),
        }
    )
    plans.edit_plan(
        actor=worker,
        version=published,
        expected_version=published.version,
        child_words=published.child_words,
        contingency=published.contingency,
        outcomes=outcomes,
    )
    return [
        f"Registered child (conference, plan, core group, visits): {child.la_reference}"
        f" (report {report.reference}, conference {conference.pk}, plan {plan.pk})"
    ]
