"""The synthetic authority after the MASH: conferences, the register, plans, core groups, visits,
review conferences and de-registrations, the chronology and the access log (ADR 0740, ADR 0760).

``load_later_workflow`` continues from the casework ``diogelu.demo.synthetic`` wrote (joint s47
enquiries with determination 3 and their conference due dates), drawing from the same seeded
``random.Random`` in a fixed order, and writes every row with the batched ``_bulk``. Rows are the
ones the services would have written (``conferences/services``, ``plans/services``): due dates
from the ``procedures`` rules with their versions stored, one open register episode per child,
categories ended with the episode, core-group members ended with it, an involvement for every
partner agency invited or in a core group, a chronology event per step with the services' own
message keys, access-log rows sealed once at the end by the access app's ``seal_pending``.

Rates are constants below; docs/synthetic-data.md gives the source or the assumption for each.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext_noop

from diogelu import procedures
from diogelu.access import chain
from diogelu.access.models import AccessLog, Basis, Channel, Involvement, Part
from diogelu.accounts.models import Agency, AgencyKind, User
from diogelu.chronology.models import Audience, ChronologyEvent, EventKind
from diogelu.conferences.models import (
    Attendance,
    Category,
    Circulation,
    Conference,
    ConferenceChild,
    ConferenceDecision,
    ConferenceKind,
    ConferenceStatus,
    CoreGroupMember,
    EndReason,
    Invitation,
    InviteeKind,
    RecipientKind,
    RegisterCategory,
    RegisterEpisode,
    ViewsMethod,
)
from diogelu.core.texts import choice, lines, msg, written
from diogelu.demo.synthetic_base import BATCH, Counts, Progress, _at, _bulk, _later, _pick
from diogelu.enquiries.models import Section47Enquiry, StrategyDiscussion
from diogelu.people.models import Person
from diogelu.plans.models import (
    CoreGroupAttendance,
    CoreGroupMeeting,
    Plan,
    PlanAction,
    PlanOutcome,
    PlanVersion,
    VersionStatus,
    Visit,
)
from diogelu.plans.services import quality_threshold
from diogelu.referrals.models import Decision, Outcome, Report, ReportChild

# --- rates (docs/synthetic-data.md: source or assumption for each) ---------------------------
#: Children at an initial conference who are registered (assumption).
REGISTERED_AT_ICPC = 0.85
#: Initial conferences held more than 15 working days after the strategy discussion (assumption).
ICPC_LATE = 0.12
#: Categories: neglect highest (43-48%), sexual abuse lowest (5-8%): DOMAIN.md §6.4 [S58];
#: emotional and physical split the rest (assumption).
CATEGORY_WEIGHTS = {
    Category.NEGLECT: 45,
    Category.EMOTIONAL: 30,
    Category.PHYSICAL: 18,
    Category.SEXUAL: 7,
}
#: A second category on a registration (assumption; §6.4: "may have more than one").
SECOND_CATEGORY = 0.15
#: De-registered at the first review (3 months) and at each later one (6-monthly): chosen so the
#: mean time on the register is about 10 months, as Wales's ~3,000 on the register at 31 March
#: over 3,670 added a year imply (DOMAIN.md §6.4).
DEREGISTER_AT_FIRST_REVIEW = 0.25
DEREGISTER_AT_LATER_REVIEW = 0.55
#: Conferences quorate (assumption), records circulated late (assumption), reviews late.
QUORATE = 0.95
RECORD_LATE = 0.1
REVIEW_LATE = 0.06
#: Statutory visits every 6-10 working days (rule visit.seen_alone: 10); a visit that did not see
#: the child alone is followed within 1-4 working days; 4% of gaps run to 11-15 working days
#: (sickness, a vacancy not covered). Inspectors found "nearly all children visited in line with
#: the WSP" (DOMAIN.md §7, Bridgend 2023 and 2025): the rates before (every 7-12 working days, no return
#: visit) left 42% of a county's registered children with an overdue visit at a day's end.
#: Seen alone / at home / bedroom: assumptions.
VISIT_GAP_WD = (6, 10)
RETURN_VISIT_WD = (1, 4)
LATE_VISIT = 0.04
LATE_VISIT_GAP_WD = (11, 15)
SEEN = 0.96
SEEN_ALONE = 0.8
SEEN_AT_HOME = 0.75
BEDROOM_SEEN = 0.3
#: Core groups: first within 10 working days (core_group.first), then every 5-7 weeks.
CORE_GROUP_FIRST_WD = (5, 12)
CORE_GROUP_GAP_DAYS = (35, 48)
MEMBER_ATTENDED = 0.85
#: Reads of a child's record logged per chronology event, by local authority staff (1-3), and by
#: an involved partner agency once per involvement (assumptions).
STAFF_READS_PER_EVENT = (1, 3)

WEEK = dt.timedelta(days=7)


@dataclass
class Family:
    """Each child's brothers and sisters and parents in the household (Person rows)."""

    siblings: dict[int, list[Person]] = field(default_factory=dict)
    parents: dict[int, list[Person]] = field(default_factory=dict)


@dataclass
class Casework:
    """What the MASH stage wrote, for the later stages to continue from."""

    reports: list[Report]
    report_children: list[ReportChild]
    decisions: list[Decision]
    strategies: list[StrategyDiscussion]
    enquiries: list[Section47Enquiry]
    mash: User


@dataclass
class _Event:
    person_id: int
    at: dt.datetime
    kind: str
    title: dict[str, Any]
    agency_id: int
    user: User
    audience: str
    significant: bool = False


@dataclass
class _Episode:
    """A registration being simulated: its row, and the conferences it was kept at."""

    row: RegisterEpisode
    reviews: list[Conference] = field(default_factory=list)
    categories: list[str] = field(default_factory=list)


def _wd(day: dt.date, n: int) -> dt.date:
    return procedures.add_working_days(day, n)


def _day(moment: dt.datetime) -> dt.date:
    return procedures.local_date(moment)


def _eighteenth(person: Person) -> dt.datetime | None:
    dob = person.date_of_birth
    if dob is None:
        return None
    try:
        day = dob.replace(year=dob.year + 18)
    except ValueError:  # 29 February
        day = dob.replace(year=dob.year + 18, day=28)
    return dt.datetime(day.year, day.month, day.day, 9, 0, tzinfo=procedures.LONDON)


def load_later_workflow(
    rng: random.Random,
    *,
    authority: Agency,
    partners: list[Agency],
    partner_users: dict[int, User],
    users: dict[str, User],
    family: Family,
    casework: Casework,
    end: dt.date,
    counts: Counts,
    say: Progress,
    practitioners: list[User] | None = None,
) -> None:
    end_moment = dt.datetime(end.year, end.month, end.day, 18, 0, tzinfo=procedures.LONDON)
    # Lead practitioners: the workforce's (``synthetic_workforce``), or the demo's two.
    workers = practitioners or [users["social.worker"], users["social.worker2"]]
    chair = users["conference.chair"]
    manager = users["team.manager"]
    police = next(a for a in partners if a.kind == AgencyKind.POLICE)
    health = next(a for a in partners if a.kind == AgencyKind.HEALTH)
    schools = [a for a in partners if a.kind == AgencyKind.SCHOOL]
    person_of: dict[int, Person] = {
        rc.person.pk: rc.person for rc in casework.report_children if rc.person is not None
    }
    strategy_of = {s.pk: s for s in casework.strategies}
    events: list[_Event] = []
    involvements: list[Involvement] = []
    parts = [Part.SUMMARY, Part.CHRONOLOGY]

    def involve(person_id: int, agency: Agency, reason: str, at: dt.datetime) -> Involvement:
        inv = Involvement(
            person_id=person_id,
            agency=agency,
            reason=reason,
            parts=parts,
            started_at=at,
            recorded_by=chair,
        )
        involvements.append(inv)
        return inv

    # --- initial conferences: the children of one strategy discussion (siblings of one
    # household, reported together) with determination 3, in one conference
    groups: dict[int, list[Section47Enquiry]] = defaultdict(list)
    for e in casework.enquiries:
        if e.determination == "3" and e.determined_at is not None:
            groups[e.decision.strategy_id].append(e)
    initial: list[tuple[Conference, list[Section47Enquiry]]] = []
    for strategy_id in sorted(groups):
        group = groups[strategy_id]
        held_strategy = strategy_of[strategy_id].held_at
        due = procedures.due("icpc.convene", held_strategy)
        last_determined = max(e.determined_at for e in group)  # type: ignore[type-var]
        if rng.random() < ICPC_LATE:
            day = _wd(_day(due.due_at), rng.randint(1, 10))
        else:
            day = _wd(_day(last_determined), rng.randint(1, 4))  # type: ignore[arg-type]
            day = min(day, _day(due.due_at))
            day = max(day, _wd(_day(last_determined), 1))  # type: ignore[arg-type]
        moment = _at(day, rng, 9, 16)
        c = Conference(
            authority=authority,
            kind=ConferenceKind.INITIAL,
            due_at=due.due_at,
            due_rule="icpc.convene",
            due_rule_version=due.rule.version,
            scheduled_for=moment,
            venue="Glanrafon Civic Centre",
            chair=chair,
            convened_by=rng.choice(workers),
            notified_at=last_determined,
        )
        _hold(c, moment, end_moment, rng)
        initial.append((c, group))
    confs = _bulk(Conference, [c for c, _ in initial], counts, say)
    through = Conference.enquiries.through
    _bulk(
        through,
        [
            through(conference_id=c.pk, section47enquiry_id=e.pk)
            for c, (_, group) in zip(confs, initial, strict=True)
            for e in group
        ],
        counts,
        say,
    )

    # --- invitations, attendance, reports, involvements; the register decision per child
    invitations: list[Invitation] = []
    circulations: list[Circulation] = []
    registered: list[tuple[Conference, Section47Enquiry]] = []
    not_registered: list[tuple[Conference, Section47Enquiry]] = []
    for c, group in initial:
        invited_at = _later(c.notified_at, rng, 1, 24)  # type: ignore[arg-type]
        school = rng.choice(schools)
        agencies = [police, health, school]
        for agency in agencies:
            attended = c.held_at is not None and rng.random() < 0.9
            report_at = _later(c.scheduled_for, rng, -72, -2)  # type: ignore[arg-type]
            invitations.append(
                Invitation(
                    conference=c,
                    invitee_kind=InviteeKind.AGENCY,
                    agency=agency,
                    user=partner_users.get(agency.pk),
                    name=agency.name,
                    professional_group=str(agency.get_kind_display()),
                    invited_at=invited_at,
                    invited_by=c.convened_by,
                    attendance=(
                        ""
                        if c.held_at is None
                        else Attendance.ATTENDED
                        if attended
                        else Attendance.APOLOGIES
                    ),
                    report_text="Synthetic conference report.",
                    report_submitted_at=report_at if report_at <= end_moment else None,
                    report_submitted_by=partner_users.get(agency.pk)
                    if report_at <= end_moment
                    else None,
                )
            )
            for e in group:
                involve(e.person_id, agency, "CONFERENCE_INVITEE", invited_at)
            if c.record_circulated_at is not None:
                circulations.append(
                    Circulation(
                        conference=c,
                        recipient_kind=RecipientKind.AGENCY,
                        recipient_agency=agency,
                        recipient_label=agency.name,
                        sent_at=c.record_circulated_at,
                        due_at=c.record_due_at,  # type: ignore[misc]
                        acknowledged_at=_later(c.record_circulated_at, rng, 2, 60),
                        acknowledged_by=partner_users.get(agency.pk),
                    )
                )
        parents = family.parents.get(group[0].person_id, [])
        if parents:
            mother = parents[0]
            invitations.append(
                Invitation(
                    conference=c,
                    invitee_kind=InviteeKind.FAMILY,
                    person=mother,
                    name=f"{mother.given_name} {mother.family_name}",
                    invited_at=invited_at,
                    invited_by=c.convened_by,
                    attendance=Attendance.ATTENDED if c.held_at is not None else "",
                )
            )
        for e in group:
            child = person_of[e.person_id]
            invitations.append(
                Invitation(
                    conference=c,
                    invitee_kind=InviteeKind.CHILD,
                    person=child,
                    name=f"{child.given_name} {child.family_name}",
                    invited_at=invited_at,
                    invited_by=c.convened_by,
                    advocacy_offered_at=invited_at,
                    advocacy_accepted=rng.random() < 0.3,
                )
            )
            if c.held_at is None:
                continue
            if rng.random() < REGISTERED_AT_ICPC:
                registered.append((c, e))
            else:
                not_registered.append((c, e))
    _bulk(Invitation, invitations, counts, say)
    _bulk(Circulation, circulations, counts, say)

    # --- registrations simulated forward: reviews every 3 then 6 months, de-registration at a
    # review (the siblings of one conference together) or at 18
    episodes: list[_Episode] = []
    reviews: list[tuple[Conference, list[_Episode]]] = []
    ended_at: dict[int, dt.datetime | None] = {}  # each child's latest episode's end (None: open)
    last_episode: dict[int, _Episode] = {}
    registering: dict[int, list[Section47Enquiry]] = defaultdict(list)
    for c, e in registered:
        registering[id(c)].append(e)
    for c, _group in sorted(initial, key=lambda cg: cg[0].scheduled_for):  # type: ignore[arg-type,return-value]
        held: dt.datetime = c.held_at  # type: ignore[assignment]
        live: list[_Episode] = []
        for e in registering.get(id(c), []):
            if e.person_id in ended_at:
                end_of_last = ended_at[e.person_id]
                if end_of_last is None or end_of_last > held:
                    not_registered.append((c, e))  # still on the register: no second episode
                    continue
            previous = last_episode.get(e.person_id)
            ep = _Episode(
                RegisterEpisode(
                    person_id=e.person_id,
                    authority=authority,
                    started_at=held,
                    conference=c,
                    lead_practitioner=rng.choice(workers),
                    previous_episode=previous.row if previous else None,
                )
            )
            episodes.append(ep)
            live.append(ep)
            last_episode[e.person_id] = ep
        _simulate_reviews(c, live, rng, authority, chair, end_moment, person_of, reviews)
        for ep in live:
            ended_at[ep.row.person_id] = ep.row.ended_at
    _bulk(Conference, [c for c, _ in reviews], counts, say)
    for ep in episodes:
        if ep.row.ending_conference is not None:
            ep.row.ending_conference_id = ep.row.ending_conference.pk
    _insert_episodes(episodes)
    counts.add(RegisterEpisode._meta.label, len(episodes))
    say(f"{RegisterEpisode._meta.label}: {len(episodes)} rows")

    # --- conference children and decisions (initial and review conferences)
    cchildren: list[ConferenceChild] = []
    decisions: list[tuple[ConferenceChild, ConferenceDecision]] = []
    episode_of = {(id(ep.row.conference), ep.row.person_id): ep for ep in episodes}
    categories: list[RegisterCategory] = []
    for c, group in initial:
        for e in group:
            found = episode_of.get((id(c), e.person_id))
            cc = ConferenceChild(
                conference=c,
                person_id=e.person_id,
                enquiry=e,
                episode=found.row if found else None,
                child_views="Synthetic: what the child said." if c.held_at else "",
                views_method=_pick(
                    rng,
                    {
                        ViewsMethod.SOCIAL_WORKER: 4,
                        ViewsMethod.ADVOCATE: 2,
                        ViewsMethod.OBSERVATION: 2,
                        ViewsMethod.ATTENDED: 1,
                    },
                )
                if c.held_at
                else "",
                parents_views="Synthetic: what the parents said." if c.held_at else "",
            )
            cchildren.append(cc)
            if c.held_at is None:
                continue
            held = c.held_at
            if found is not None:
                cats = [_pick(rng, CATEGORY_WEIGHTS)]
                if rng.random() < SECOND_CATEGORY:
                    other = _pick(rng, CATEGORY_WEIGHTS)
                    if other not in cats:
                        cats.append(other)
                for cat in cats:
                    categories.append(
                        RegisterCategory(
                            episode=found.row,
                            category=cat,
                            from_at=held,
                            to_at=found.row.ended_at,
                            conference=c,
                        )
                    )
                found.categories = [str(x) for x in cats]
                decisions.append(
                    (
                        cc,
                        ConferenceDecision(
                            register=True,
                            categories=[str(x) for x in cats],
                            reasons="Synthetic: the child is at risk of significant harm.",
                            lead_practitioner=found.row.lead_practitioner,
                            first_core_group_on=_day(
                                procedures.due("core_group.first", held).due_at
                            ),
                            review_on=_day(procedures.due("review.first", held).due_at),
                            contingency_plan="Synthetic contingency plan.",
                        ),
                    )
                )
            else:
                decisions.append(
                    (
                        cc,
                        ConferenceDecision(
                            register=False, reasons="Synthetic: not at continuing risk."
                        ),
                    )
                )
    for review, live in reviews:
        for ep in live:
            cc = ConferenceChild(
                conference=review,
                person_id=ep.row.person_id,
                episode=ep.row,
                child_views="Synthetic: what the child said." if review.held_at else "",
                views_method=ViewsMethod.SOCIAL_WORKER if review.held_at else "",
            )
            cchildren.append(cc)
            if review.held_at is None:
                continue
            keep = ep.row.ending_conference_id != review.pk
            decisions.append(
                (
                    cc,
                    ConferenceDecision(
                        register=keep,
                        categories=list(ep.categories) if keep else [],
                        reasons="Synthetic review decision.",
                        progress="Synthetic progress against the plan.",
                        lead_practitioner=ep.row.lead_practitioner if keep else None,
                        review_on=_day(procedures.due("review.interval", review.held_at).due_at)
                        if keep
                        else None,
                        contingency_plan="Synthetic contingency plan." if keep else "",
                    ),
                )
            )
    _bulk(ConferenceChild, cchildren, counts, say)
    for cc, d in decisions:
        d.child = cc
    _bulk(ConferenceDecision, [d for _, d in decisions], counts, say)
    _bulk(RegisterCategory, categories, counts, say)

    # --- plans (a version at the conference, a new one after each review), core groups, visits
    plans: list[Plan] = []
    for ep in episodes:
        plans.append(Plan(person_id=ep.row.person_id, episode=ep.row))
    plans = _bulk(Plan, plans, counts, say)
    threshold = quality_threshold()
    versions: list[tuple[_Episode, PlanVersion]] = []
    for ep, plan in zip(episodes, plans, strict=True):
        moments: list[dt.datetime | None] = [
            ep.row.started_at,
            *[r.held_at for r in ep.reviews if r.pk != ep.row.ending_conference_id],
        ]
        for n, when in enumerate(moments, start=1):
            assert when is not None
            published = _later(when, rng, 2, 72)
            if published > end_moment or (ep.row.ended_at and published > ep.row.ended_at):
                break
            versions.append(
                (
                    ep,
                    PlanVersion(
                        plan=plan,
                        number=n,
                        status=VersionStatus.PUBLISHED,
                        child_words="Synthetic: the child's words.",
                        contingency="Synthetic contingency plan.",
                        created_by=ep.row.lead_practitioner,
                        last_edited_by=ep.row.lead_practitioner,
                        published_at=published,
                        published_by=ep.row.lead_practitioner,
                        quality_score=rng.randint(max(threshold, 50), 100),
                        quality_issues=[],
                        quality_threshold=threshold,
                    ),
                )
            )
    made_versions = _bulk(PlanVersion, [v for _, v in versions], counts, say)
    outcomes: list[PlanOutcome] = []
    for v in made_versions:
        for pos in range(rng.randint(2, 3)):
            outcomes.append(
                PlanOutcome(
                    version=v,
                    position=pos,
                    what_must_change="Synthetic: what must change for the child.",
                    measure="Synthetic: how progress is measured.",
                )
            )
    outcomes = _bulk(PlanOutcome, outcomes, counts, say)
    actions: list[PlanAction] = []
    owners = [police, health]
    for o in outcomes:
        for pos in range(rng.randint(1, 2)):
            agency = rng.choice(owners)
            actions.append(
                PlanAction(
                    outcome=o,
                    position=pos,
                    description="Synthetic action.",
                    responsible_name=agency.name,
                    responsible_agency=agency,
                    target_date=_day(o.version.published_at) + dt.timedelta(weeks=6),  # type: ignore[arg-type]
                )
            )
    _bulk(PlanAction, actions, counts, say)
    versions_of: dict[int, list[PlanVersion]] = defaultdict(list)
    for (ep, _v), made in zip(versions, made_versions, strict=True):
        versions_of[id(ep)].append(made)

    members: list[tuple[_Episode, CoreGroupMember]] = []
    for ep in episodes:
        row = ep.row
        start, stop = row.started_at, row.ended_at
        lead = row.lead_practitioner
        members.append(
            (
                ep,
                CoreGroupMember(
                    episode=row,
                    named_by=row.conference,
                    user=lead,
                    agency=authority,
                    name=f"{lead.first_name} {lead.last_name}",
                    role="Lead practitioner",
                    started_at=start,
                    ended_at=stop,
                ),
            )
        )
        for agency in (police, health):
            inv = involve(row.person_id, agency, "CORE_GROUP_MEMBER", start)
            inv.ended_at = stop
            members.append(
                (
                    ep,
                    CoreGroupMember(
                        episode=row,
                        named_by=row.conference,
                        agency=agency,
                        user=partner_users.get(agency.pk),
                        name=agency.name,
                        role=str(agency.get_kind_display()),
                        started_at=start,
                        ended_at=stop,
                        involvement=inv,
                    ),
                )
            )
        parents = family.parents.get(row.person_id, [])
        if parents:
            members.append(
                (
                    ep,
                    CoreGroupMember(
                        episode=row,
                        named_by=row.conference,
                        person=parents[0],
                        name=f"{parents[0].given_name} {parents[0].family_name}",
                        role="Parent",
                        started_at=start,
                        ended_at=stop,
                    ),
                )
            )
    # Conference-invitee involvements end with the child's last registration (as ending one does).
    for inv in involvements:
        if inv.reason == "CONFERENCE_INVITEE" and inv.person_id in last_episode:
            last = last_episode[inv.person_id].row
            if last.ended_at is not None and last.ended_at > inv.started_at:
                inv.ended_at = last.ended_at
    _bulk(Involvement, involvements, counts, say)
    for _ep, m in members:
        if m.involvement is not None:
            m.involvement_id = m.involvement.pk
    made_members = _bulk(CoreGroupMember, [m for _, m in members], counts, say)
    members_of: dict[int, list[CoreGroupMember]] = defaultdict(list)
    for (ep, _m), made_m in zip(members, made_members, strict=True):
        members_of[id(ep)].append(made_m)

    meetings: list[tuple[_Episode, CoreGroupMeeting]] = []
    visits: list[Visit] = []
    for ep in episodes:
        row = ep.row
        stop = min(row.ended_at or end_moment, end_moment)
        start_day = _day(row.started_at)
        clock, rule = row.started_at, "core_group.first"
        day = _wd(start_day, rng.randint(*CORE_GROUP_FIRST_WD))
        while True:
            held = _at(day, rng, 9, 17)
            if held >= stop:
                break
            due = procedures.due(rule, clock)
            current = [v for v in versions_of[id(ep)] if v.published_at <= held]  # type: ignore[operator]
            meetings.append(
                (
                    ep,
                    CoreGroupMeeting(
                        episode=row,
                        plan_version=current[-1] if current else None,
                        held_at=held,
                        due_at=due.due_at,
                        due_rule=rule,
                        due_rule_version=due.rule.version,
                        child_attended=rng.random() < 0.3,
                        child_views="Synthetic: the child's views.",
                        notes="Synthetic core group notes.",
                        recorded_by=row.lead_practitioner,
                    ),
                )
            )
            clock, rule = held, "core_group.interval"
            day = day + dt.timedelta(days=rng.randint(*CORE_GROUP_GAP_DAYS))
        day = _wd(start_day, rng.randint(*VISIT_GAP_WD))
        while True:
            at = _at(day, rng, 9, 18)
            if at >= stop:
                break
            seen = rng.random() < SEEN
            alone = seen and rng.random() < SEEN_ALONE
            visits.append(
                Visit(
                    person_id=row.person_id,
                    episode=row,
                    visited_at=at,
                    visitor=row.lead_practitioner,
                    child_seen=seen,
                    seen_alone=alone,
                    not_alone_reason="" if alone or not seen else "Synthetic: a parent stayed.",
                    seen_at_home=seen and rng.random() < SEEN_AT_HOME,
                    bedroom_seen=seen and rng.random() < BEDROOM_SEEN,
                    child_words="Synthetic: the child's words." if seen else "",
                    observations="Synthetic observations.",
                    recorded_by=row.lead_practitioner,
                    recorded_at=_later(at, rng, 1, 30),
                )
            )
            if not alone:
                gap = RETURN_VISIT_WD
            elif rng.random() < LATE_VISIT:
                gap = LATE_VISIT_GAP_WD
            else:
                gap = VISIT_GAP_WD
            day = _wd(day, rng.randint(*gap))
    made_meetings = _bulk(CoreGroupMeeting, [m for _, m in meetings], counts, say)
    attendance = [
        CoreGroupAttendance(meeting=meeting, member=member, attended=rng.random() < MEMBER_ATTENDED)
        for (ep, _m), meeting in zip(meetings, made_meetings, strict=True)
        for member in members_of[id(ep)]
    ]
    _bulk(CoreGroupAttendance, attendance, counts, say)
    _bulk(Visit, visits, counts, say)

    # --- chronology: one event per step, with the services' message keys
    mash = casework.mash
    report_of = {r.pk: r for r in casework.reports}
    decision_of = {d.report_id: d for d in casework.decisions}
    for rc in casework.report_children:
        report = report_of[rc.report_id]
        events.append(
            _Event(
                rc.person_id,  # type: ignore[arg-type]
                report.received_at,  # type: ignore[arg-type]
                EventKind.REPORT,
                msg(gettext_noop("Report %(ref)s received"), ref=report.reference),
                authority.pk,
                mash,
                Audience.LOCAL_AUTHORITY,
                True,
            )
        )
        decided = decision_of.get(rc.report_id)
        if decided is not None:
            events.append(
                _Event(
                    rc.person_id,  # type: ignore[arg-type]
                    decided.authorised_at or decided.decided_at,
                    EventKind.DECISION,
                    msg(
                        gettext_noop("Decision on %(ref)s: %(outcome)s"),
                        ref=report.reference,
                        outcome=choice(Outcome(decided.outcome).label),
                    ),
                    authority.pk,
                    mash,
                    Audience.LOCAL_AUTHORITY,
                )
            )
    for e in casework.enquiries:
        if e.determined_at is not None:
            events.append(
                _Event(
                    e.person_id,
                    e.determined_at,
                    EventKind.ENQUIRY,
                    msg(gettext_noop("Section 47 determination %(det)s"), det=e.determination),
                    authority.pk,
                    e.lead_social_worker,
                    Audience.LOCAL_AUTHORITY,
                    True,
                )
            )
    for cc in cchildren:
        c = cc.conference
        if c.held_at is not None:
            events.append(
                _Event(
                    cc.person_id,
                    c.held_at,
                    EventKind.CONFERENCE,
                    msg(gettext_noop("%(kind)s held"), kind=choice(ConferenceKind(c.kind).label)),
                    authority.pk,
                    chair,
                    Audience.LOCAL_AUTHORITY,
                )
            )
    for ep in episodes:
        row = ep.row
        cats = ep.categories
        events.append(
            _Event(
                row.person_id,
                row.started_at,
                EventKind.REGISTER,
                msg(
                    gettext_noop("Re-registered on the child protection register: %(categories)s")
                    if row.previous_episode_id
                    else gettext_noop("Placed on the child protection register: %(categories)s"),
                    categories=lines(*(choice(Category(x).label) for x in cats), sep=", "),
                ),
                authority.pk,
                chair,
                Audience.ALL_INVOLVED,
                True,
            )
        )
        if row.ended_at is not None:
            events.append(
                _Event(
                    row.person_id,
                    row.ended_at,
                    EventKind.REGISTER,
                    msg(
                        gettext_noop("Removed from the child protection register: %(reason)s"),
                        reason=choice(EndReason(row.end_reason).label),
                    ),
                    authority.pk,
                    chair,
                    Audience.ALL_INVOLVED,
                    True,
                )
            )
        for v in versions_of[id(ep)]:
            events.append(
                _Event(
                    row.person_id,
                    v.published_at,  # type: ignore[arg-type]
                    EventKind.PLAN,
                    msg(
                        gettext_noop("Care and support protection plan version %(n)s published"),
                        n=v.number,
                    ),
                    authority.pk,
                    row.lead_practitioner,
                    Audience.LOCAL_AUTHORITY,
                )
            )
    for ep, meeting in meetings:
        events.append(
            _Event(
                ep.row.person_id,
                meeting.held_at,
                EventKind.CORE_GROUP,
                msg(gettext_noop("Core group meeting")),
                authority.pk,
                ep.row.lead_practitioner,
                Audience.LOCAL_AUTHORITY,
            )
        )
    for visit in visits:
        events.append(
            _Event(
                visit.person_id,
                visit.visited_at,
                EventKind.VISIT,
                msg(
                    gettext_noop("Statutory visit: child seen")
                    if visit.child_seen
                    else gettext_noop("Statutory visit: child not seen")
                ),
                authority.pk,
                visit.visitor,
                Audience.LOCAL_AUTHORITY,
            )
        )
    _bulk(
        ChronologyEvent,
        [
            ChronologyEvent(
                person_id=ev.person_id,
                occurred_at=ev.at,
                recorded_at=ev.at,
                kind=ev.kind,
                title=written(ev.title)[:200],
                title_text=ev.title,
                source_agency_id=ev.agency_id,
                recorded_by=ev.user,
                audience=ev.audience,
                is_significant=ev.significant,
            )
            for ev in events
        ],
        counts,
        say,
    )

    # --- the access log: staff reads after each event, a partner's read per involvement;
    # inserted in time order (the chain's order), then sealed once
    # Kept as plain tuples until each batch is written: at Wales scale there are 2.7 million
    # reads, and as model instances they alone held several GB.
    staff = [mash, chair, manager, *workers]
    reads: list[_Read] = []
    for ev in events:
        for _ in range(rng.randint(*STAFF_READS_PER_EVENT)):
            at = _later(ev.at, rng, 0.1, 24 * 10)
            if at > end_moment:
                continue
            reader = rng.choice(staff)
            route = rng.choice(["show_person", "person_chronology"])
            reads.append(
                (
                    at,
                    reader,
                    authority.pk,
                    ev.person_id,
                    route,
                    Part.CHRONOLOGY,
                    Basis.AUTHORITY_STAFF,
                    None,
                )
            )
    for inv in involvements:
        at = _later(inv.started_at, rng, 1, 24 * 5)
        user = partner_users.get(inv.agency_id)
        if at > end_moment or user is None:
            continue
        reads.append(
            (
                at,
                user,
                inv.agency_id,
                inv.person_id,
                "show_person",
                Part.SUMMARY,
                Basis.INVOLVEMENT,
                inv,
            )
        )
    reads.sort(key=lambda r: r[0])
    for i in range(0, len(reads), BATCH):
        AccessLog.objects.bulk_create(
            [
                AccessLog(
                    at=at,
                    user=user,
                    agency_id=agency_id,
                    person_id=person_id,
                    channel=Channel.PAGE,
                    route=route,
                    part=part,
                    basis=basis,
                    involvement=involvement,
                )
                for at, user, agency_id, person_id, route, part, basis, involvement in reads[
                    i : i + BATCH
                ]
            ]
        )
    counts.add(AccessLog._meta.label, len(reads))
    say(f"{AccessLog._meta.label}: {len(reads)} rows")
    del reads
    sealed = 0
    while True:
        n = chain.seal_pending(limit=20_000, tail_only=True)
        if not n:
            break
        sealed += n
    counts.add("access.AccessLogSeal", sealed)
    say(f"access.AccessLogSeal: {sealed} rows (the access log's hash chain)")


# An access-log read before it is written: at, user, agency id, person id, route, part, basis,
# involvement.
_Read = tuple[dt.datetime, Any, int, int, str, str, str, Any]


def _simulate_reviews(
    c: Conference,
    group: list[_Episode],
    rng: random.Random,
    authority: Agency,
    chair: User,
    end_moment: dt.datetime,
    person_of: dict[int, Person],
    reviews: list[tuple[Conference, list[_Episode]]],
) -> None:
    """Review conferences for the children ``c`` registered, every 3 then 6 months, until a review
    de-registers them (siblings together), they reach 18, or the history ends."""
    if not group:
        return
    prev_at: dt.datetime = c.held_at  # type: ignore[assignment]
    rule = "review.first"
    live = list(group)
    while live:
        due = procedures.due(rule, prev_at)
        for ep in list(live):
            eighteen = _eighteenth(person_of[ep.row.person_id])
            if eighteen is not None and eighteen <= min(due.due_at, end_moment):
                ep.row.ended_at = max(eighteen, ep.row.started_at + dt.timedelta(hours=1))
                ep.row.end_reason = EndReason.AGE_18
                ep.row.end_note = "Reached 18."
                live.remove(ep)
        if not live:
            return
        if rng.random() < REVIEW_LATE:
            day = _wd(_day(due.due_at), rng.randint(1, 8))
        else:
            day = _wd(_day(due.due_at), -rng.randint(1, 10))
        moment = _at(day, rng, 9, 16)
        if moment <= prev_at:
            moment = prev_at + WEEK
        review = Conference(
            authority=authority,
            kind=ConferenceKind.REVIEW,
            due_at=due.due_at,
            due_rule=rule,
            due_rule_version=due.rule.version,
            scheduled_for=moment,
            venue="Glanrafon Civic Centre",
            chair=chair,
            convened_by=live[0].row.lead_practitioner,
        )
        _hold(review, moment, end_moment, rng)
        reviews.append((review, list(live)))
        if review.held_at is None:
            return  # convened, not yet held: the children stay on the register
        p = DEREGISTER_AT_FIRST_REVIEW if rule == "review.first" else DEREGISTER_AT_LATER_REVIEW
        deregister = rng.random() < p
        for ep in live:
            ep.reviews.append(review)
            if deregister:
                ep.row.ended_at = review.held_at
                ep.row.end_reason = EndReason.REVIEW_DECISION
                ep.row.end_note = "Synthetic review decision."
                ep.row.ended_by = chair
                ep.row.ending_conference = review
        if deregister:
            return
        prev_at, rule = review.held_at, "review.interval"


def _hold(c: Conference, moment: dt.datetime, end_moment: dt.datetime, rng: random.Random) -> None:
    """Hold ``c`` at ``moment`` if that is within the history, else leave it convened."""
    if moment > end_moment:
        c.status = ConferenceStatus.CONVENED
        return
    c.status = ConferenceStatus.HELD
    c.held_at = moment
    c.quorum_groups = 3
    c.is_quorate = rng.random() < QUORATE
    c.summary = "Synthetic conference summary."
    record = procedures.due("icpc.circulate_record", moment)
    c.record_due_at = record.due_at
    c.record_due_rule_version = record.rule.version
    sent = (
        _later(record.due_at, rng, 2, 72)
        if rng.random() < RECORD_LATE
        else _later(moment, rng, 4, 48)
    )
    c.record_circulated_at = sent if sent <= end_moment else None


def _insert_episodes(episodes: list[_Episode]) -> None:
    """In start order, in rounds: an episode goes in once its previous episode has an id."""
    waiting = list(episodes)
    while waiting:
        ready = [
            ep
            for ep in waiting
            if ep.row.previous_episode is None or ep.row.previous_episode.pk is not None
        ]
        ready_ids = {id(ep) for ep in ready}
        waiting = [ep for ep in waiting if id(ep) not in ready_ids]
        for ep in ready:
            if ep.row.previous_episode is not None:
                ep.row.previous_episode_id = ep.row.previous_episode.pk
        for i in range(0, len(ready), 5000):
            RegisterEpisode.objects.bulk_create([ep.row for ep in ready[i : i + 5000]])
