"""A modest case history for the demo authority, so every measure has figures.

``build_history`` writes reports, decisions, strategy discussions, section 47 enquiries, initial
and review conferences, registrations, core groups and visits for children who already exist,
spread over ``years`` up to now, with due dates computed from the procedures rules as the
services store them. Rows are bulk-inserted (the services have their own tests); seeded, so the
demo is reproducible. The benchmark (``bench/measures``) uses it for a county's five years.
"""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import Max
from django.utils import timezone

from diogelu import procedures
from diogelu.accounts.models import Agency, User
from diogelu.conferences.models import (
    Conference,
    ConferenceChild,
    ConferenceKind,
    ConferenceStatus,
    Invitation,
    InviteeKind,
    RegisterCategory,
    RegisterEpisode,
)
from diogelu.enquiries.models import (
    S47Kind,
    Section47Enquiry,
    StrategyChildDecision,
    StrategyDiscussion,
    StrategyParticipant,
)
from diogelu.people.models import Person
from diogelu.plans.models import CoreGroupMeeting, Visit
from diogelu.procedures import LONDON
from diogelu.referrals.models import Decision, Report, ReportChild, ReportStatus
from diogelu.sharing.models import OutcomeNotification, OutcomeSource

CATEGORIES = ["NEGLECT", "EMOTIONAL", "PHYSICAL", "SEXUAL"]


def _at(day: date, hour: int = 10) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=LONDON)


def _wd(day: date, n: int) -> date:
    return procedures.add_working_days(day, n)


def _top(model: type[Any]) -> int:
    """The largest id so far: rows this run makes are those above it."""
    return int(model.objects.aggregate(top=Max("pk"))["top"] or 0)


def build_history(
    county: Agency,
    workers: list[User],
    people: list[Person],
    rng: random.Random,
    n: int,
    years: int,
) -> None:
    """About ``n`` reports over ``years`` about ``people``, and all that follows from them."""
    today = timezone.localdate()
    first = today - timedelta(days=365 * years)
    span = (today - first).days

    reports: list[Report] = []
    for _i in range(n):
        day = first + timedelta(days=rng.randint(0, span))
        received = _at(day, rng.randint(8, 17))
        phone = rng.random() < 0.25
        confirm_due = procedures.due("report.written_confirmation", received).due_at
        confirmed = received + timedelta(hours=rng.choice([3, 20, 50])) if phone else None
        reports.append(
            Report(
                authority=county,
                status=ReportStatus.DECIDED,
                channel="PHONE" if phone else "ONLINE",
                reporter_kind="PRACTITIONER",
                created_by=rng.choice(workers),
                received_at=received,
                decision_due_at=procedures.due("report.decision", received).due_at,
                confirmation_due_at=confirm_due if phone else None,
                confirmation_received_at=confirmed
                if confirmed and confirmed < timezone.now()
                else None,
            )
        )
    _number(reports)
    top = _top(Report)
    Report.objects.bulk_create(reports, batch_size=2000)
    reports = list(Report.objects.filter(authority=county, pk__gt=top).order_by("pk"))

    children: list[ReportChild] = []
    kids: dict[int, list[Person]] = {}
    for r in reports:
        group = rng.sample(people, 1 if rng.random() < 0.75 else rng.randint(2, 3))
        kids[r.pk] = group
        for p in group:
            children.append(ReportChild(report=r, given_name=p.given_name, person=p))
    top = _top(ReportChild)
    ReportChild.objects.bulk_create(children, batch_size=5000)
    rc_by_report: dict[int, list[ReportChild]] = {}
    for rc in ReportChild.objects.filter(report__authority=county, pk__gt=top).order_by("pk"):
        rc_by_report.setdefault(rc.report_id, []).append(rc)

    decisions: list[Decision] = []
    strategic: list[Report] = []
    for r in reports:
        assert r.received_at is not None
        assert r.decision_due_at is not None
        late = rng.random() < 0.08
        decided = (
            r.decision_due_at + timedelta(hours=5) if late else r.received_at + timedelta(hours=3)
        )
        outcome = "STRATEGY" if rng.random() < 0.3 else rng.choice(["NFA", "IAA", "ASSESSMENT"])
        decisions.append(
            Decision(
                report=r,
                outcome=outcome,
                rationale="x",
                decided_by=rng.choice(workers),
                decided_at=decided,
            )
        )
        if outcome == "STRATEGY":
            strategic.append(r)
    Decision.objects.bulk_create(decisions, batch_size=5000)

    strategies = []
    for r in strategic:
        assert r.received_at is not None
        held = _at(_wd(procedures.local_date(r.received_at), 1))
        strategies.append(
            StrategyDiscussion(
                report=r,
                kind="DISCUSSION",
                medium="PHONE",
                held_at=held,
                chair=rng.choice(workers),
                information_shared="x",
                recorded_by=rng.choice(workers),
            )
        )
    top = _top(StrategyDiscussion)
    StrategyDiscussion.objects.bulk_create(strategies, batch_size=5000)
    strategies = list(
        StrategyDiscussion.objects.filter(report__authority=county, pk__gt=top).order_by("pk")
    )
    _partners(county, strategies, rng)
    scd = []
    for s in strategies:
        for rc in rc_by_report[s.report_id]:
            assert rc.person is not None
            scd.append(
                StrategyChildDecision(
                    strategy=s, child=rc, person=rc.person, s47=S47Kind.SINGLE, reasons="x"
                )
            )
    top = _top(StrategyChildDecision)
    StrategyChildDecision.objects.bulk_create(scd, batch_size=5000)
    scd = list(
        StrategyChildDecision.objects.filter(strategy__report__authority=county, pk__gt=top)
        .select_related("strategy")
        .order_by("pk")
    )
    enquiries = []
    now = timezone.now()
    managers = _managers(county)
    for d in scd:
        if rng.random() < 0.2:
            continue
        started = procedures.local_date(d.strategy.held_at)
        due = procedures.due("s47.assessment", started)
        determined = _at(_wd(started, rng.randint(10, 48)), 15)
        if determined > now:
            determined = None  # type: ignore[assignment]
        lead = rng.choice(workers)
        determination = ("3" if rng.random() < 0.35 else "1") if determined else ""
        # A manager ratifies a determination 1 within a few working days, as the service asks;
        # only the last few days' are still waiting (My work lists them).
        ratified = (
            _at(_wd(procedures.local_date(determined), rng.randint(1, 3)), 11)
            if determination == "1" and determined is not None and managers
            else None
        )
        if ratified is not None and ratified > now:
            ratified = None
        enquiries.append(
            Section47Enquiry(
                decision=d,
                person_id=d.person_id,
                report_id=d.strategy.report_id,
                kind=S47Kind.SINGLE,
                lead_social_worker=lead,
                started_on=started,
                due_at=due.due_at,
                due_rule_version=due.rule.version,
                determination=determination,
                determined_by=lead if determined else None,
                determined_at=determined,
                ratified_by=rng.choice(managers) if ratified else None,
                ratified_at=ratified,
            )
        )
    top = _top(Section47Enquiry)
    Section47Enquiry.objects.bulk_create(enquiries, batch_size=5000)
    _conferences(county, workers, rng, now, top)


def _number(reports: list[Report]) -> None:
    """References as the service gives them, a sequence a year in the order received, with a
    prefix of their own ("H2025-000012") so that they never meet the service's ("R…")."""
    counters: dict[int, int] = {}
    for r in sorted(reports, key=lambda r: (r.received_at, id(r))):
        assert r.received_at is not None
        year = timezone.localtime(r.received_at).year
        if year not in counters:
            last = Report.objects.filter(reference__startswith=f"H{year}-").aggregate(
                m=Max("reference")
            )["m"]
            counters[year] = int(last.split("-")[1]) if last else 0
        counters[year] += 1
        r.reference = f"H{year}-{counters[year]:06d}"


def _managers(county: Agency) -> list[User]:
    """The authority's team managers and heads of service: who ratifies a determination 1."""
    from diogelu.accounts.models import MANAGER_ROLES

    return [
        u
        for u in User.objects.filter(agency=county, is_active=True).order_by("pk")
        if u.has_role(*MANAGER_ROLES)
    ]


def _reregister(
    county: Agency, episodes: list[RegisterEpisode], rng: random.Random, now: datetime
) -> list[RegisterEpisode]:
    """Some children come back onto the register 5 to 15 months after they left it."""
    made = []
    latest: dict[int, RegisterEpisode] = {}
    for ep in episodes:
        if ep.person_id not in latest or ep.started_at > latest[ep.person_id].started_at:
            latest[ep.person_id] = ep
    for ep in latest.values():
        if ep.ended_at is None or rng.random() > 0.3:
            continue
        day = _wd(procedures.local_date(ep.ended_at), rng.randint(110, 330))
        held = _at(day, 11)
        if held > now:
            continue
        due = procedures.due("icpc.convene", held - timedelta(days=14))
        conference = Conference.objects.create(
            authority=county,
            kind=ConferenceKind.INITIAL,
            status=ConferenceStatus.HELD,
            due_at=due.due_at,
            due_rule="icpc.convene",
            due_rule_version=due.rule.version,
            held_at=held,
            convened_by=ep.lead_practitioner,
            is_quorate=True,
            record_due_at=procedures.due("icpc.circulate_record", held).due_at,
            record_circulated_at=held + timedelta(days=2),
        )
        ConferenceChild.objects.create(
            conference=conference, person_id=ep.person_id, child_views="x"
        )
        made.append(
            RegisterEpisode.objects.create(
                person_id=ep.person_id,
                authority=county,
                started_at=held,
                conference=conference,
                lead_practitioner=ep.lead_practitioner,
                previous_episode=ep,
            )
        )
    return made


def _partners(county: Agency, strategies: list[StrategyDiscussion], rng: random.Random) -> None:
    """The police take part in every strategy discussion; most outcomes are shared with them."""
    police = Agency.objects.filter(kind="POLICE", partner_of=county).first()
    if police is None:
        return
    StrategyParticipant.objects.bulk_create(
        [
            StrategyParticipant(strategy=s, agency=police, name="Duty sergeant", role="Police")
            for s in strategies
        ]
    )
    OutcomeNotification.objects.bulk_create(
        [
            OutcomeNotification(
                report_id=s.report_id,
                authority=county,
                source=OutcomeSource.STRATEGY,
                source_id=s.pk,
                recipient_agency=police,
                recipient_label=police.name,
                title="Strategy discussion outcome",
                content="Outcome shared.",
                shared_at=s.held_at,
                acknowledge_by=s.held_at + timedelta(days=3),
                due_rule_version="demo",
                acknowledged_at=s.held_at + timedelta(days=1),
            )
            for s in strategies
            if rng.random() < 0.85
        ]
    )


def _conferences(
    county: Agency, workers: list[User], rng: random.Random, now: datetime, top: int
) -> None:
    by_strategy: dict[int, list[Section47Enquiry]] = {}
    for e in (
        Section47Enquiry.objects.filter(report__authority=county, determination="3", pk__gt=top)
        .select_related("decision__strategy")
        .order_by("pk")
    ):
        by_strategy.setdefault(e.decision.strategy_id, []).append(e)
    confs: list[tuple[Conference, list[Section47Enquiry]]] = []
    for group in by_strategy.values():
        held_strategy = group[0].decision.strategy.held_at
        due = procedures.due("icpc.convene", held_strategy)
        held_day = _wd(procedures.local_date(held_strategy), rng.randint(8, 18))
        held = _at(held_day, 11)
        if held > now:
            continue
        circulated = _at(_wd(held_day, rng.randint(1, 7)), 12)
        confs.append(
            (
                Conference(
                    authority=county,
                    kind=ConferenceKind.INITIAL,
                    status=ConferenceStatus.HELD,
                    due_at=due.due_at,
                    due_rule="icpc.convene",
                    due_rule_version=due.rule.version,
                    held_at=held,
                    convened_by=rng.choice(workers),
                    is_quorate=rng.random() < 0.95,
                    record_due_at=procedures.due("icpc.circulate_record", held).due_at,
                    record_circulated_at=circulated if circulated < now else None,
                ),
                group,
            )
        )
    Conference.objects.bulk_create([c for c, _ in confs], batch_size=2000)
    cchildren = [
        ConferenceChild(
            conference=c, person_id=e.person_id, child_views="said" if rng.random() < 0.8 else ""
        )
        for c, group in confs
        for e in group
    ]
    ConferenceChild.objects.bulk_create(cchildren, batch_size=5000)
    Invitation.objects.bulk_create(
        [
            Invitation(
                conference=c,
                invitee_kind=InviteeKind.CHILD,
                person_id=e.person_id,
                name="Child",
                invited_by=c.convened_by,
                advocacy_offered_at=c.held_at if rng.random() < 0.8 else None,
            )
            for c, group in confs
            for e in group
        ],
        batch_size=5000,
    )
    episodes: list[RegisterEpisode] = []
    open_people: set[int] = set()
    for c, group in confs:
        assert c.held_at is not None
        for e in group:
            if rng.random() < 0.15 or e.person_id in open_people:
                continue
            length = timedelta(days=rng.randint(90, 730))
            ended = c.held_at + length
            if ended > now:
                ended = None  # type: ignore[assignment]
                open_people.add(e.person_id)
            episodes.append(
                RegisterEpisode(
                    person_id=e.person_id,
                    authority=county,
                    started_at=c.held_at,
                    conference=c,
                    lead_practitioner=rng.choice(workers),
                    ended_at=ended,
                    end_reason="REVIEW_DECISION" if ended else "",
                )
            )
    # A child re-registered while still open would break the one-open-episode rule: drop overlaps.
    episodes.sort(key=lambda e: (e.person_id, e.started_at))
    kept: list[RegisterEpisode] = []
    last_end: dict[int, datetime | None] = {}
    for ep in episodes:
        if ep.person_id in last_end:
            prev = last_end[ep.person_id]
            if prev is None or prev > ep.started_at:
                continue
        kept.append(ep)
        last_end[ep.person_id] = ep.ended_at
    top_episode = _top(RegisterEpisode)
    RegisterEpisode.objects.bulk_create(kept, batch_size=2000)
    kept = list(RegisterEpisode.objects.filter(authority=county, pk__gt=top_episode).order_by("pk"))
    kept.extend(_reregister(county, kept, rng, now))
    cats, groups, visits, reviews = [], [], [], []
    for ep in kept:
        cats.append(
            RegisterCategory(
                episode=ep,
                category=rng.choice(CATEGORIES),
                from_at=ep.started_at,
                conference_id=ep.conference_id,
            )
        )
        stop = ep.ended_at or now
        start_day = procedures.local_date(ep.started_at)
        day = _wd(start_day, rng.randint(6, 12))
        first = True
        clock = ep.started_at
        while _at(day) < stop:
            rule = "core_group.first" if first else "core_group.interval"
            due = procedures.due(rule, clock)
            held = _at(day, 14)
            groups.append(
                CoreGroupMeeting(
                    episode=ep,
                    held_at=held,
                    due_at=due.due_at,
                    due_rule=rule,
                    due_rule_version=due.rule.version,
                    recorded_by=ep.lead_practitioner,
                )
            )
            clock, first = held, False
            day = day + timedelta(days=rng.randint(35, 46))
        day = _wd(start_day, rng.randint(5, 11))
        while _at(day) < stop:
            visits.append(
                Visit(
                    person_id=ep.person_id,
                    episode=ep,
                    visited_at=_at(day, 15),
                    visitor=ep.lead_practitioner,
                    child_seen=True,
                    seen_alone=rng.random() < 0.85,
                    seen_at_home=rng.random() < 0.5,
                    observations="x",
                    recorded_by=ep.lead_practitioner,
                )
            )
            day = _wd(day, rng.randint(7, 11))
        review_day = procedures.local_date(procedures.due("review.first", ep.started_at).due_at)
        rule = "review.first"
        prev_at = ep.started_at
        while _at(review_day) < stop:
            due = procedures.due(rule, prev_at)
            held = _at(_wd(review_day, rng.randint(-5, 3)), 10)
            reviews.append(
                (
                    ep,
                    Conference(
                        authority=county,
                        kind=ConferenceKind.REVIEW,
                        status=ConferenceStatus.HELD,
                        due_at=due.due_at,
                        due_rule=rule,
                        due_rule_version=due.rule.version,
                        held_at=held,
                        convened_by=ep.lead_practitioner,
                        is_quorate=True,
                    ),
                )
            )
            prev_at, rule = held, "review.interval"
            review_day = procedures.local_date(procedures.due(rule, held).due_at)
    RegisterCategory.objects.bulk_create(cats, batch_size=5000)
    CoreGroupMeeting.objects.bulk_create(groups, batch_size=5000)
    Visit.objects.bulk_create(visits, batch_size=5000)
    Conference.objects.bulk_create([c for _, c in reviews], batch_size=5000)
    ConferenceChild.objects.bulk_create(
        [
            ConferenceChild(conference=c, person_id=ep.person_id, episode=ep, child_views="x")
            for ep, c in reviews
        ],
        batch_size=5000,
    )
