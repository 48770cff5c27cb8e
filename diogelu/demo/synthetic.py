"""A synthetic authority at scale: ``manage.py load_synthetic --people N --years Y --seed S``.

People in whole households from the matching engine's generator (``matching.synth``), and Y years
of MASH casework in the proportions documented in ``docs/synthetic-data.md``. Rows are written
with ``bulk_create`` in batches (the services would take hours at this size), but every row is
one the services could have written: due dates from the procedures rules, statuses consistent
with the steps taken, involvements for the partner agencies asked or at a strategy discussion.

Reproducible from the seed (one ``random.Random``; times from a fixed end date, not the clock).
It refuses to run on a database that holds anything but synthetic data (the demo authority is
synthetic), and refuses a second run.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterable

from django.db import transaction
from django.utils.translation import gettext_noop

from diogelu import procedures
from diogelu.access.models import Involvement
from diogelu.accounts.models import Agency, AgencyKind, User
from diogelu.core.texts import choice_of, msg, written
from diogelu.demo import data
from diogelu.demo.loader import LoadResult, load_agencies, load_users
from diogelu.demo.synthetic_base import (
    Counts,
    Progress,
    _at,
    _bulk,
    _later,
    _pick,
    _working_days,
)
from diogelu.demo.synthetic_later import Casework, Family, load_later_workflow
from diogelu.demo.synthetic_workforce import load_cases, load_supervision, load_workforce
from diogelu.enquiries.models import (
    Section47Enquiry,
    StrategyChildDecision,
    StrategyDiscussion,
    StrategyParticipant,
)
from diogelu.matching import synth
from diogelu.matching.normalise import fold
from diogelu.people.models import Address, Person, Relationship, RelationshipKind, Sex
from diogelu.referrals.models import Decision, Outcome, Report, ReportChild, ReportStatus
from diogelu.sharing.models import (
    InformationAnswer,
    InformationRequest,
    OutcomeNotification,
    OutcomeSource,
    Priority,
    RequestStatus,
)

PREFIX = "SYN-"
REPORT_PREFIX = "S"
LONDON = procedures.LONDON
# The last day of the generated history, unless one is given: the day before the load, so that a
# page opened after loading sees the authority as it is today (visits due, reviews coming up) and
# not as it was on a fixed day that recedes (a fixed end left 74% of the registered children of a
# county with an overdue visit a week later). The same seed and end give the same rows.


def default_end() -> dt.date:
    """Yesterday in the UK: the last day of a history loaded today."""
    from django.utils import timezone

    return timezone.localdate() - dt.timedelta(days=1)


# Rates: see docs/synthetic-data.md for the source or the assumption behind each.
REPORTS_PER_CHILD_YEAR = 0.10
SECOND_CHILD_ON_REPORT = 0.35
OUTCOME_WEIGHTS = {
    Outcome.NO_FURTHER_ACTION: 30,
    Outcome.INFORMATION_ADVICE: 25,
    Outcome.EARLY_HELP: 17,
    Outcome.ASSESSMENT: 15,
    Outcome.STRATEGY_DISCUSSION: 13,
}
REQUEST_SHARE = 0.6  # of reports, asked of 1-3 partner agencies
STRATEGY_TO_S47 = 0.9
DETERMINATION_WEIGHTS = {"1": 25, "2": 30, "3": 45}
DECIDED_LATE = 0.08
ACKNOWLEDGED = 0.92
# Outcomes not acknowledged in time are escalated by the next reminders tick and, once chased,
# acknowledged within ten days; requests answered late were escalated the same way. History holds
# what those ticks did, so a service's first tick after a load escalates only what fell due since.
LATE_ACKNOWLEDGED_HOURS = (2, 240)
TICK_MINUTES = 15
OPEN_DAYS = 3  # reports in the last working days are still in the MASH


class RefusedError(Exception):
    """The database holds data this generator did not make, or a previous run."""


def check_database() -> None:
    """Refuse anything but an empty database or one holding only the demo authority and
    synthetic people."""
    demo_codes = {spec["code"] for spec in data.AGENCIES}
    if Person.objects.filter(la_reference__startswith=PREFIX).exists():
        raise RefusedError(
            "A synthetic authority is already loaded here; load into a fresh database."
        )
    if Agency.objects.exclude(code__in=demo_codes).exists():
        raise RefusedError("This database has agencies that are not the demo's: refusing.")
    if Person.objects.exclude(authority__code=data.AUTHORITY_CODE).exists():
        raise RefusedError("This database has people outside the demo authority: refusing.")


def load_synthetic(
    people: int,
    years: int,
    seed: int,
    progress: Progress | None = None,
    end: dt.date | None = None,
) -> Counts:
    say = progress or (lambda _m: None)
    end = end or default_end()
    check_database()
    rng = random.Random(seed)
    counts = Counts()
    with transaction.atomic():
        result = LoadResult()
        agencies = load_agencies(result)
        users = load_users(agencies, result)
        authority = agencies[data.AUTHORITY_CODE]
        partners = [a for a in agencies.values() if a.kind != AgencyKind.LOCAL_AUTHORITY]
        partner_users: dict[int, User] = {}
        for u in users.values():
            if u.agency_id is not None and u.agency_id not in partner_users:
                partner_users[u.agency_id] = u
        say(f"Agencies {len(agencies)}, users {len(users)} (the demo's); history to {end}")
        children, family = _load_people(people, seed, authority, counts, say, end)
        # The workforce from its own stream, so the casework's draws do not depend on its size.
        staff_rng = random.Random(seed + 1)
        workforce = load_workforce(
            staff_rng,
            authority=authority,
            users=users,
            people=people,
            start=history_start(years, end),
            end=end,
            counts=counts,
            say=say,
        )
        casework = _load_casework(
            rng,
            years,
            end,
            authority,
            partners,
            partner_users,
            users,
            children,
            family,
            counts,
            say,
            practitioners=workforce.leads,
        )
        load_later_workflow(
            rng,
            authority=authority,
            partners=partners,
            partner_users=partner_users,
            users=users,
            family=family,
            casework=casework,
            end=end,
            counts=counts,
            say=say,
            practitioners=workforce.leads,
        )
        load_cases(staff_rng, workforce, authority=authority, end=end, counts=counts, say=say)
        load_supervision(staff_rng, workforce, authority=authority, end=end, counts=counts, say=say)
        # Bulk inserts send no signals: forget any visit deadlines kept for this authority.
        from diogelu.plans.due import visit_deadlines_changed

        transaction.on_commit(lambda: visit_deadlines_changed(authority.pk))
    return counts


def history_start(years: int, end: dt.date) -> dt.date:
    """The first day of a history of ``years`` years ending on ``end``."""
    return end - dt.timedelta(days=365 * years - 1)


def _load_people(
    n: int, seed: int, authority: Agency, counts: Counts, say: Progress, end: dt.date
) -> tuple[list[Person], Family]:
    truth = synth.generate_people(n, seed=seed, today=end)
    say(f"Generated {len(truth)} people in households")
    sexes = {"f": Sex.FEMALE, "m": Sex.MALE}
    rows = []
    for i, p in enumerate(truth):
        rows.append(
            Person(
                authority=authority,
                la_reference=f"{PREFIX}{i:08d}",
                given_name=p.given,
                family_name=p.family,
                date_of_birth=None if p.unborn else p.dob,
                is_unborn=p.unborn,
                expected_date_of_birth=p.dob if p.unborn else None,
                sex=sexes.get(p.sex, Sex.NOT_KNOWN),
                nhs_number="" if p.unborn else p.nhs,
                upn=p.upn,
                given_folded=fold(p.given),
                family_folded=fold(p.family),
            )
        )
    made = _bulk(Person, rows, counts, say)
    addresses = []
    for p, row in zip(truth, made, strict=True):
        line_1, _, town = p.address.rpartition(", ")
        addresses.append(
            Address(
                person=row,
                line_1=line_1 or p.address,
                town=town or "Glanrafon",
                postcode=p.postcode,
            )
        )
    _bulk(Address, addresses, counts, say)
    relations = []
    households: dict[int, list[tuple[synth.Person, Person]]] = {}
    for p, row in zip(truth, made, strict=True):
        households.setdefault(p.household, []).append((p, row))
    for members in households.values():
        parents = [(p, r) for p, r in members if p.role == "parent"]
        kids = [(p, r) for p, r in members if p.role == "child"]
        for kp, kr in kids:
            for i, (pp, pr) in enumerate(parents):
                if i == 0:
                    kind = RelationshipKind.MOTHER
                elif pp.family == kp.family:
                    kind = RelationshipKind.FATHER
                else:
                    kind = RelationshipKind.STEP_PARENT
                relations.append(
                    Relationship(
                        person=kr,
                        relative=pr,
                        kind=kind,
                        has_parental_responsibility=kind != RelationshipKind.STEP_PARENT,
                        lives_with=True,
                    )
                )
            for _op, orow in kids:
                if orow is not kr:
                    relations.append(
                        Relationship(person=kr, relative=orow, kind=RelationshipKind.SIBLING)
                    )
    _bulk(Relationship, relations, counts, say)
    family = Family()
    for members in households.values():
        kids_rows = [r for p, r in members if p.role == "child"]
        parent_rows = [r for p, r in members if p.role == "parent"]
        for kr in kids_rows:
            family.siblings[kr.pk] = [o for o in kids_rows if o is not kr]
            family.parents[kr.pk] = parent_rows
    return [r for p, r in zip(truth, made, strict=True) if p.role == "child"], family


def _load_casework(
    rng: random.Random,
    years: int,
    end: dt.date,
    authority: Agency,
    partners: list[Agency],
    partner_users: dict[int, User],
    users: dict[str, User],
    children: list[Person],
    family: Family,
    counts: Counts,
    say: Progress,
    practitioners: list[User] | None = None,
) -> Casework:
    mash = users["mash.practitioner"]
    manager = users["mash.manager"]
    # Enquiries are led by the workforce's practitioners in turn (the demo's social worker alone
    # led 12,851 at a county before the workforce was generated).
    leads = practitioners or [users["social.worker"]]
    police = next(a for a in partners if a.kind == AgencyKind.POLICE)
    health = next(a for a in partners if a.kind == AgencyKind.HEALTH)
    start = history_start(years, end)
    days = _working_days(start, end)
    open_from = days[-OPEN_DAYS]
    n_reports = round(len(children) * REPORTS_PER_CHILD_YEAR * years)
    say(f"Casework: {n_reports} reports over {len(days)} working days")
    reporters = [a for a in partners if a.pk in partner_users]
    # --- reports and their children
    reports: list[Report] = []
    report_children: list[list[Person]] = []
    per_year: dict[int, int] = {}
    for day in sorted(rng.choice(days) for _ in range(n_reports)):
        received = _at(day, rng)
        year = received.year
        per_year[year] = per_year.get(year, 0) + 1
        due = procedures.due("report.decision", received)
        agency = rng.choice(reporters)
        open_case = day >= open_from
        reports.append(
            Report(
                reference=f"{REPORT_PREFIX}{year}-{per_year[year]:06d}",
                authority=authority,
                status=ReportStatus.IN_MASH if open_case else ReportStatus.DECIDED,
                channel=rng.choice(["ONLINE", "PHONE", "EMAIL"]),
                reporter_kind="PRACTITIONER",
                created_by=partner_users[agency.pk],
                reporter_agency=agency,
                reporter_user=partner_users[agency.pk],
                received_at=received,
                what_happened="Synthetic report.",
                decision_due_at=due.due_at,
                due_rule_version=due.rule.version,
            )
        )
        child = rng.choice(children)
        kids = [child]
        # A second child on a report is a brother or sister from the same household (so siblings
        # reach one strategy discussion and one conference together).
        if rng.random() < SECOND_CHILD_ON_REPORT and family.siblings.get(child.pk):
            kids.append(rng.choice(family.siblings[child.pk]))
        report_children.append(kids)
    reports = _bulk(Report, reports, counts, say)
    rc_rows = []
    for report, kids in zip(reports, report_children, strict=True):
        for person in kids:
            rc_rows.append(
                ReportChild(
                    report=report,
                    given_name=person.given_name,
                    family_name=person.family_name,
                    date_of_birth=person.date_of_birth,
                    person=person,
                    linked_by=mash,
                    linked_at=_later(report.received_at, rng, 0.2, 2),  # type: ignore[arg-type]
                )
            )
    rc_rows = _bulk(ReportChild, rc_rows, counts, say)
    first_child: dict[int, ReportChild] = {}
    for rc in rc_rows:
        first_child.setdefault(rc.report_id, rc)
    # --- information requests, answers, involvements
    requests: list[InformationRequest] = []
    involvements: list[Involvement] = []
    asked: dict[int, set[int]] = {}
    for report, kids in zip(reports, report_children, strict=True):
        if rng.random() >= REQUEST_SHARE:
            continue
        asked_at: dt.datetime = report.received_at  # type: ignore[assignment]
        for agency in rng.sample(partners, k=rng.randint(1, min(3, len(partners)))):
            urgent = rng.random() < 0.2
            rule = "mash.request.urgent" if urgent else "mash.request.standard"
            requested = _later(asked_at, rng, 0.5, 3)
            due = procedures.due(rule, requested)
            requests.append(
                InformationRequest(
                    report=report,
                    child=first_child[report.pk],
                    agency=agency,
                    priority=Priority.URGENT if urgent else Priority.STANDARD,
                    question="What do you know of this child and family?",
                    requested_by=mash,
                    requested_at=requested,
                    due_at=due.due_at,
                    due_rule=rule,
                    due_rule_version=due.rule.version,
                    status=RequestStatus.OPEN,
                )
            )
            asked.setdefault(report.pk, set()).add(agency.pk)
            for person in kids:
                involvements.append(
                    Involvement(
                        person=person,
                        agency=agency,
                        reason="ASKED_FOR_INFORMATION",
                        # who the child is, as the request itself shows: an involvement that
                        # shares no part gives no sight of the child (access.visibility)
                        parts=["SUMMARY"],
                        started_at=requested,
                        recorded_by=mash,
                    )
                )
    answers = []
    end_moment = dt.datetime(end.year, end.month, end.day, 18, 0, tzinfo=LONDON)
    for req in requests:
        answered = _later(req.requested_at, rng, 0.5, 30)
        req.escalated_at = _escalated(req.due_at, answered, end_moment, rng)
        if answered > end_moment:
            continue
        holds = rng.random() < 0.55
        req.status = RequestStatus.ANSWERED if holds else RequestStatus.NOTHING_HELD
        answers.append((req, answered, holds))
    requests = _bulk(InformationRequest, requests, counts, say)
    _bulk(
        InformationAnswer,
        [
            InformationAnswer(
                request=req,
                answered_by=partner_users.get(req.agency_id, mash),
                answered_at=answered,
                holds_information=holds,
                summary="Synthetic answer." if holds else "",
            )
            for req, answered, holds in answers
        ],
        counts,
        say,
    )
    # --- decisions
    decisions = []
    for report in reports:
        if report.status != ReportStatus.DECIDED:
            continue
        outcome = _pick(rng, OUTCOME_WEIGHTS)
        due_at: dt.datetime = report.decision_due_at  # type: ignore[assignment]
        received_at: dt.datetime = report.received_at  # type: ignore[assignment]
        if rng.random() < DECIDED_LATE:
            decided = _later(due_at, rng, 1, 48)
        else:
            decided = received_at + (due_at - received_at) * rng.uniform(0.1, 0.9)
        needs = outcome in (Outcome.NO_FURTHER_ACTION, Outcome.STRATEGY_DISCUSSION)
        decisions.append(
            Decision(
                report=report,
                outcome=outcome,
                rationale="Synthetic decision.",
                decided_by=mash,
                decided_at=decided,
                needs_authorisation=needs,
                authorised_by=manager if needs else None,
                authorised_at=_later(decided, rng, 0.1, 3) if needs else None,
            )
        )
    decisions = _bulk(Decision, decisions, counts, say)
    # --- strategy discussions, s47 enquiries
    strategies = []
    strategy_decisions = [d for d in decisions if d.outcome == Outcome.STRATEGY_DISCUSSION]
    for d in strategy_decisions:
        strategies.append(
            StrategyDiscussion(
                report_id=d.report_id,
                kind="DISCUSSION",
                medium=rng.choice(["PHONE", "VIDEO"]),
                held_at=_later(d.authorised_at, rng, 2, 30),  # type: ignore[arg-type]
                chair=manager,
                information_shared="Synthetic strategy discussion.",
                recorded_by=mash,
            )
        )
    strategies = _bulk(StrategyDiscussion, strategies, counts, say)
    participants = []
    for s in strategies:
        for agency in (police, health):
            participants.append(
                StrategyParticipant(strategy=s, agency=agency, name=f"{agency.name} officer")
            )
    _bulk(StrategyParticipant, participants, counts, say)
    kids_of = {r.pk: k for r, k in zip(reports, report_children, strict=True)}
    for s in strategies:
        for person in kids_of[s.report_id]:
            for agency in (police, health):
                involvements.append(
                    Involvement(
                        person=person,
                        agency=agency,
                        reason="STRATEGY_PARTICIPANT",
                        # as enquiries.services records a strategy discussion's partners
                        parts=["SUMMARY", "FAMILY", "CHRONOLOGY"],
                        started_at=s.held_at,
                        recorded_by=mash,
                    )
                )
    _bulk(Involvement, involvements, counts, say)
    rcs_of: dict[int, list[ReportChild]] = {}
    for rc in rc_rows:
        rcs_of.setdefault(rc.report_id, []).append(rc)
    child_decisions = []
    for strategy in strategies:
        for rc in rcs_of[strategy.report_id]:
            joint = rng.random() < STRATEGY_TO_S47
            child_decisions.append(
                StrategyChildDecision(
                    strategy=strategy,
                    child=rc,
                    person=rc.person,
                    s47="JOINT" if joint else "NONE",
                    reasons="Synthetic strategy decision.",
                )
            )
    child_decisions = _bulk(StrategyChildDecision, child_decisions, counts, say)
    enquiries: list[Section47Enquiry] = []
    held_of = {st.pk: st.held_at for st in strategies}
    report_of_strategy = {st.pk: st.report_id for st in strategies}
    for cd in child_decisions:
        if cd.s47 != "JOINT":
            continue
        held: dt.datetime = held_of[cd.strategy_id]
        if True:
            started = held.date()
            due = procedures.due("s47.assessment", started)
            determined = _at(started + dt.timedelta(days=rng.randrange(5, 40)), rng)
            e = Section47Enquiry(
                decision=cd,
                person_id=cd.person_id,
                report_id=report_of_strategy[cd.strategy_id],
                kind="JOINT",
                lead_social_worker=leads[len(enquiries) % len(leads)],
                started_on=started,
                due_at=due.due_at,
                due_rule_version=due.rule.version,
            )
            if determined.date() <= end:
                det = _pick(rng, DETERMINATION_WEIGHTS)
                e.determination = det
                e.determination_rationale = "Synthetic determination."
                e.determined_by = e.lead_social_worker
                e.determined_at = determined
                if det == "1":
                    e.ratified_by = manager
                    e.ratified_at = _later(determined, rng, 1, 24)
                if det == "3":
                    e.conference_due_at = procedures.due("icpc.convene", held).due_at
            enquiries.append(e)
    enquiries = _bulk(Section47Enquiry, enquiries, counts, say)
    # --- outcomes shared with every recipient (reporter, agencies asked, strategy partners)
    strategy_of = {s.report_id: s for s in strategies}
    report_of = {r.pk: r for r in reports}
    events: list[tuple[int, str, int, dt.datetime]] = []
    for d in decisions:
        final = d.authorised_at if d.needs_authorisation else d.decided_at
        events.append((d.report_id, OutcomeSource.DECISION, d.pk, final))  # type: ignore[arg-type]
    for s in strategies:
        events.append((s.report_id, OutcomeSource.STRATEGY, s.pk, s.held_at))
    for e in enquiries:
        if e.determination and (e.determination != "1" or e.ratified_at is not None):
            when = e.ratified_at or e.determined_at
            events.append((e.report_id, OutcomeSource.DETERMINATION, e.pk, when))  # type: ignore[arg-type]
    agency_by_id = {a.pk: a for a in partners}
    decision_of = {d.pk: d for d in decisions}
    enquiry_of = {e.pk: e for e in enquiries}
    outcomes = []
    for report_id, source, source_id, when in events:
        report = report_of[report_id]
        title = _outcome_title(
            report, source, decision_of.get(source_id), enquiry_of.get(source_id), kids_of
        )
        shared = _later(when, rng, 0.1, 4)
        due = procedures.due("outcome.acknowledge", shared)
        targets: list[tuple[Agency | None, User | None, str, bool]] = [
            (None, report.reporter_user, str(report.reporter_user), True)
        ]
        agency_ids = set(asked.get(report_id, set()))
        if report_id in strategy_of:
            agency_ids |= {police.pk, health.pk}
        for aid in sorted(agency_ids):
            targets.append((agency_by_id[aid], None, agency_by_id[aid].name, False))
        for target, user, label, is_reporter in targets:
            if rng.random() < ACKNOWLEDGED:
                ack_at: dt.datetime | None = _later(shared, rng, 1, 40)
            else:
                ack_at = _later(due.due_at, rng, *LATE_ACKNOWLEDGED_HOURS)
            escalated_at = _escalated(due.due_at, ack_at, end_moment, rng)
            if ack_at is not None and ack_at > end_moment:
                ack_at = None
            outcomes.append(
                OutcomeNotification(
                    report=report,
                    authority_id=report.authority_id,
                    source=source,
                    source_id=source_id,
                    recipient_agency=target,
                    recipient_user=user,
                    recipient_label=label,
                    is_reporter=is_reporter,
                    title=written(title)[:200],
                    title_text=title,
                    content="Synthetic outcome.",
                    shared_at=shared,
                    acknowledge_by=due.due_at,
                    due_rule_version=due.rule.version,
                    acknowledged_at=ack_at,
                    acknowledged_by=_acknowledger(target, user, partner_users) if ack_at else None,
                    escalated_at=escalated_at,
                )
            )
    _bulk(OutcomeNotification, outcomes, counts, say)
    return Casework(
        reports=reports,
        report_children=rc_rows,
        decisions=decisions,
        strategies=strategies,
        enquiries=enquiries,
        mash=mash,
    )


def _outcome_title(
    report: Report,
    source: str,
    decision: Decision | None,
    enquiry: Section47Enquiry | None,
    kids_of: dict[int, list[Person]],
) -> dict[str, object]:
    """An outcome's title as ``sharing.services.outcomes`` writes it for each source (kept as a
    message, so it reads in each reader's language)."""
    if source == OutcomeSource.DECISION and decision is not None:
        return msg(
            gettext_noop("Report %(ref)s: %(outcome)s"),
            ref=report.reference,
            outcome=choice_of(decision, "outcome"),
        )
    if source == OutcomeSource.DETERMINATION and enquiry is not None:
        child = next(
            (
                f"{p.given_name} {p.family_name}"
                for p in kids_of[report.pk]
                if p.pk == enquiry.person_id
            ),
            "",
        )
        return msg(
            gettext_noop("Section 47 determination for %(child)s (%(ref)s)"),
            child=child,
            ref=report.reference,
        )
    return msg(gettext_noop("Strategy discussion on %(ref)s"), ref=report.reference)


def _escalated(
    due: dt.datetime, done: dt.datetime | None, end_moment: dt.datetime, rng: random.Random
) -> dt.datetime | None:
    """When the reminders tick escalated something due at ``due`` and done at ``done`` (or not
    yet): the first tick after it fell due, if it was not done by then and the tick came before
    the end of the history."""
    tick = due + dt.timedelta(minutes=rng.randrange(1, TICK_MINUTES + 1))
    if tick > end_moment or (done is not None and done <= due):
        return None
    return tick


def _acknowledger(
    agency: Agency | None, user: User | None, partner_users: dict[int, User]
) -> User | None:
    if user is not None:
        return user
    return partner_users.get(agency.pk) if agency is not None else None


def row_counts(counts: Counts) -> Iterable[tuple[str, int]]:
    return sorted(counts.rows.items())


__all__ = ["RefusedError", "check_database", "load_synthetic", "row_counts"]
