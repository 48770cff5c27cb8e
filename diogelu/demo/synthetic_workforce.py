"""The workforce of a synthetic authority, its cases and their allocation, and a year of
supervision (issue 17): what the oversight dashboards read, at the size of the authority.

``load_workforce`` runs before the later workflow, so every registration's lead practitioner is a
practitioner of a locality team; ``load_cases`` and ``load_supervision`` run after it, from what
the casework wrote: a case for every child whose report was decided for assessment, a strategy
discussion or early help, and for every registration, allocated within a team, some reallocated,
a few unallocated now. Rows are bulk-inserted as in ``synthetic``; each is one the oversight
services could have written (``services.record_worker``, ``allocate_child``,
``record_case_supervision``, ``set_oversight_rating``), except that a case supervision's entry in
the child's chronology is not written (the chronology volumes are the casework's).

Rates and their sources are in docs/synthetic-data.md ("The workforce").
"""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.auth.hashers import make_password

from diogelu import procedures
from diogelu.accounts.models import Agency, Role, RoleAssignment, Team, User
from diogelu.demo import data
from diogelu.demo.oversight_case import safeguarding_service, staff_user
from diogelu.demo.synthetic_base import Counts, Progress, _bulk
from diogelu.oversight.models import (
    RATING_RULES,
    Absence,
    AbsenceKind,
    Allocation,
    AllocationReason,
    Case,
    CaseStage,
    Contract,
    ContractKind,
    JobRole,
    LeavingReason,
    OversightRating,
    Post,
    PostHolding,
    PracticeStep,
    Rating,
    Supervision,
    SupervisionAction,
    SupervisionChild,
    SupervisionKind,
    TeamMembership,
    TeamProfile,
    Worker,
)

LONDON = procedures.LONDON

# Rates: docs/synthetic-data.md ("The workforce") gives the source or the assumption of each.
PRACTITIONERS_PER_100K = 70  # case-holding practitioners per 100,000 people (assumption)
TEAM_SIZE = 10  # practitioners per locality team, besides its manager
AGENCY_SHARE = 0.10  # Social Care Wales, 2022 (OVERSIGHT.md §2)
VACANCY_SHARE = 0.079  # Social Care Wales, 2022 (OVERSIGHT.md §2)
LEAVERS_SHARE = 0.12  # of the headcount, in the last year (assumption)
FIRST_YEAR_SHARE = 0.08  # newly qualified, in their first year of practice (assumption)
SENIOR_SHARE = 0.15
PART_TIME_SHARE = 0.15
ABSENCE_SHARE = 0.2  # a sickness absence in the last six months (assumption)
ASSESSMENT_WORKING_DAYS = 42  # the statutory assessment's length (Part 3 code of practice)
TO_CARE_AND_SUPPORT = 0.3  # of assessments, a care and support plan follows (assumption)
TO_LOOKED_AFTER = 0.10  # of registrations ended, the child is looked after (assumption)
REALLOCATED = 0.15  # a case changes worker for caseload once (assumption)
UNALLOCATED_NOW = 0.03  # open cases waiting for a worker at the end date (assumption)
RATED = 0.2  # open cases with a manager's oversight rating in the last four months
SUPERVISION_MONTHS = 12
LAPSED = 1 / 6  # workers whose supervision has lapsed (last one 5-7 weeks before the end)
ACTION_DONE = 0.9
ACTIONS_LATE = 0.1  # of those done, done after their due date (assumption)
STAGE_RANK = {
    CaseStage.EARLY_HELP: 0,
    CaseStage.ASSESSMENT: 1,
    CaseStage.CARE_AND_SUPPORT: 2,
    CaseStage.CHILD_PROTECTION: 3,
    CaseStage.LOOKED_AFTER: 4,
}


@dataclass
class Workforce:
    teams: list[Team]
    managers: dict[int, User]  # team id -> its manager
    workers: list[Worker]  # practitioners, leavers included
    leads: list[User]  # practitioners in post since before the history began
    head: User
    user_of: dict[int, User] = field(default_factory=dict)  # user id -> user

    def holders_on(self, team_id: int, day: dt.date) -> list[Worker]:
        return [
            w
            for w in self.workers
            if w.team_id == team_id
            and w.started_on <= day
            and (w.left_on is None or w.left_on > day)
        ]


def _moment(day: dt.date, hour: int = 10) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, tzinfo=LONDON)


def load_workforce(
    rng: random.Random,
    *,
    authority: Agency,
    users: dict[str, User],
    people: int,
    start: dt.date,
    end: dt.date,
    counts: Counts,
    say: Progress,
) -> Workforce:
    """Locality teams of practitioners with their managers, contracts, posts (some vacant),
    leavers and starters in the last year, and absences."""
    head = users["head.of.service"]
    n_practitioners = max(2 * TEAM_SIZE, round(people * PRACTITIONERS_PER_100K / 100_000))
    n_teams = max(2, round(n_practitioners / TEAM_SIZE))
    service = safeguarding_service(authority)
    # The demo's North and South locality teams first (its team manager and social workers work
    # there), then numbered locality teams.
    names = [
        ("North Locality Team", "Tîm Ardal y Gogledd"),
        ("South Locality Team", "Tîm Ardal y De"),
    ]
    # Numbered with leading zeros so that the teams list in order ("Locality Team 03" before 10).
    names += [(f"Locality Team {k:02d}", f"Tîm Ardal {k:02d}") for k in range(3, n_teams + 1)]
    teams = []
    for name, name_cy in names[:n_teams]:
        team, _ = Team.objects.get_or_create(
            agency=authority, name=name, defaults={"name_cy": name_cy}
        )
        TeamProfile.objects.get_or_create(team=team, defaults={"service": service})
        teams.append(team)
    # One password hash for every generated account (hashing each would take minutes).
    password = make_password(data.DEMO_PASSWORD)
    new_users: list[User] = []
    roles: list[tuple[User, str]] = []

    def account(username: str, team: Team, title: str, role: str) -> User:
        u = staff_user(rng, authority, team, username, title, domain="synthetic.invalid")
        u.password = password
        new_users.append(u)
        roles.append((u, role))
        return u

    managers: dict[int, User] = {}
    for k, team in enumerate(teams):
        if k == 0:
            managers[team.pk] = users["team.manager"]
        else:
            managers[team.pk] = account(
                f"syn.manager{k + 1:03d}", team, "Team manager", Role.TEAM_MANAGER
            )
    # Practitioners, leavers of the last year and the starters who replaced some of them.
    plan: list[tuple[User, Team, str]] = []  # (user, team, kind): kind "in post" / "leaver"
    demo_workers = {0: users.get("social.worker"), 1: users.get("social.worker2")}
    n = 0
    for k, team in enumerate(teams):
        for i in range(TEAM_SIZE):
            n += 1
            demo = demo_workers.get(k) if i == 0 else None
            user = demo or account(f"syn.sw{n:05d}", team, "Social worker", Role.SOCIAL_WORKER)
            if demo is not None and demo.team_id != team.pk:
                User.objects.filter(pk=demo.pk).update(team=team)
            plan.append((user, team, "in post"))
        for _ in range(max(1, round(TEAM_SIZE * LEAVERS_SHARE))):
            n += 1
            user = account(f"syn.sw{n:05d}", team, "Social worker", Role.SOCIAL_WORKER)
            user.is_active = False
            plan.append((user, team, "leaver"))
    _bulk(User, new_users, counts, say)
    RoleAssignment.objects.bulk_create([RoleAssignment(user=u, role=r) for u, r in roles])
    counts.add("accounts.RoleAssignment", len(roles))

    history_days = (end - start).days
    year_ago = end - dt.timedelta(days=365)
    workers: list[Worker] = []
    contracts: list[Contract] = []
    memberships: list[TeamMembership] = []
    posts: list[Post] = []
    holdings: list[tuple[int, Worker, str, dt.date, dt.date | None]] = []
    absences: list[Absence] = []
    on_agency: list[bool] = []  # aligned with ``workers``
    for k, team in enumerate(teams):
        manager = managers[team.pk]
        w = Worker(
            user=manager,
            authority=authority,
            team=team,
            job_role=JobRole.TEAM_MANAGER,
            line_manager=head,
            started_on=dt.date(2010 + k % 10, 4, 1),
            scw_number=f"SM{100000 + k}",
            scw_renewal_on=end + dt.timedelta(days=rng.randint(60, 1000)),
            holds_cases=False,
        )
        workers.append(w)
        on_agency.append(False)
    for seq, (user, team, kind) in enumerate(plan, start=1):
        newly = kind == "in post" and rng.random() < FIRST_YEAR_SHARE
        if newly:
            started = end - dt.timedelta(days=rng.randint(30, 330))
        elif kind == "leaver":
            started = start - dt.timedelta(days=rng.randint(100, 2000))
        else:
            # Most started before the history began; some during it.
            started = start - dt.timedelta(days=rng.randint(30, 3000))
            if rng.random() < 0.25:
                started = start + dt.timedelta(days=rng.randint(0, max(1, history_days - 365)))
        left = None
        if kind == "leaver":
            left = year_ago + dt.timedelta(days=rng.randint(0, 350))
        agency = user.username == "social.worker2" or (
            user.username != "social.worker" and rng.random() < AGENCY_SHARE
        )
        renewal = end + dt.timedelta(days=rng.randint(10, 1100))
        w = Worker(
            user=user,
            authority=authority,
            team=team,
            job_role=JobRole.SENIOR_PRACTITIONER
            if rng.random() < SENIOR_SHARE
            else JobRole.SOCIAL_WORKER,
            line_manager=managers[team.pk],
            started_on=started,
            left_on=left,
            leaving_reason=(
                (LeavingReason.END_OF_CONTRACT if agency else LeavingReason.RESIGNED)
                if left
                else ""
            ),
            scw_number=f"SW{200000 + seq}",
            scw_renewal_on=renewal,
            first_year_until=started + dt.timedelta(days=364) if newly else None,
        )
        workers.append(w)
        on_agency.append(agency)
        if left is None and rng.random() < ABSENCE_SHARE:
            begin = end - dt.timedelta(days=rng.randint(20, 180))
            absences.append(
                Absence(
                    worker=w,
                    kind=AbsenceKind.SICKNESS,
                    starts_on=begin,
                    ends_on=min(end, begin + dt.timedelta(days=rng.randint(2, 30))),
                )
            )
    workers = _bulk(Worker, workers, counts, say)
    for w, agency in zip(workers, on_agency, strict=True):
        kind = ContractKind.AGENCY if agency else ContractKind.PERMANENT
        fte = Decimal("0.6") if rng.random() < PART_TIME_SHARE else Decimal("1")
        contracts.append(
            Contract(worker=w, kind=kind, fte=fte, starts_on=w.started_on, ends_on=w.left_on)
        )
        memberships.append(
            TeamMembership(
                worker=w,
                team_id=w.team_id,
                starts_on=w.started_on,
                ends_on=w.left_on,
                recorded_by=head,
            )
        )
        if w.job_role != JobRole.TEAM_MANAGER:
            posts.append(
                Post(team_id=w.team_id, title="Social worker", fte=1, established_on=start)
            )
            holdings.append((len(posts) - 1, w, kind, w.started_on, w.left_on))
    # A leaver's post passes to a practitioner of the team who started after they left (their
    # own post then was the leaver's); the others stay vacant. Then vacant posts to bring the
    # establishment's vacancy rate to VACANCY_SHARE.
    post_of = {id(w): i for i, w, _k, _s, _e in holdings}
    taken: set[int] = set()
    vacated = 0
    for i, w, _k, _s, left in holdings:
        if left is None:
            continue
        starter = next(
            (
                o
                for _i, o, _k2, started, ended in holdings
                if ended is None
                and o.team_id == w.team_id
                and started > left
                and id(o) not in taken
            ),
            None,
        )
        if starter is None:
            vacated += 1
            continue
        taken.add(id(starter))
        post_of[id(starter)] = i
    holdings = [(post_of[id(w)], w, k, st, en) for _i, w, k, st, en in holdings]
    in_use = {i for i, *_rest in holdings}
    posts = [p for i, p in enumerate(posts) if i in in_use]
    renumber = {old: new for new, old in enumerate(sorted(in_use))}
    holdings = [(renumber[i], w, k, st, en) for i, w, k, st, en in holdings]
    filled = len(posts) - vacated
    vacant = max(0, round(filled * VACANCY_SHARE / (1 - VACANCY_SHARE)) - vacated)
    for team in rng.choices(teams, k=vacant):
        posts.append(Post(team=team, title="Social worker", fte=1, established_on=start))
    vacant += vacated
    _bulk(Contract, contracts, counts, say)
    _bulk(TeamMembership, memberships, counts, say)
    posts = _bulk(Post, posts, counts, say)
    _bulk(
        PostHolding,
        [
            PostHolding(
                post=posts[i], worker=w, kind=kind, starts_on=s, ends_on=e, recorded_by=head
            )
            for i, w, kind, s, e in holdings
        ],
        counts,
        say,
    )
    _bulk(Absence, absences, counts, say)
    practitioners = [w for w in workers if w.job_role != JobRole.TEAM_MANAGER]
    leads = [w.user for w in practitioners if w.left_on is None and w.started_on <= start] or [
        w.user for w in practitioners if w.left_on is None
    ]
    say(
        f"Workforce: {len(practitioners)} practitioners ({len(leads)} in post since the history "
        f"began) in {len(teams)} teams, {vacant} vacant posts"
    )
    return Workforce(
        teams=teams,
        managers=managers,
        workers=practitioners,
        leads=leads,
        head=head,
        user_of={w.user_id: w.user for w in workers},
    )


@dataclass
class _Span:
    person_id: int
    start: dt.datetime
    end: dt.datetime | None
    stage: str
    lead: int | None = None  # the registration's lead practitioner (a user id)


def _spans(rng: random.Random, end_moment: dt.datetime) -> list[_Span]:
    """Each child's periods of work, from the decisions and registrations written before."""
    from diogelu.conferences.models import RegisterEpisode
    from diogelu.referrals.models import Decision, Outcome, ReportChild

    spans: list[_Span] = []
    stage_of: dict[str, str] = {
        Outcome.ASSESSMENT: CaseStage.ASSESSMENT,
        Outcome.STRATEGY_DISCUSSION: CaseStage.ASSESSMENT,
        Outcome.EARLY_HELP: CaseStage.EARLY_HELP,
    }
    decided = dict(
        Decision.objects.filter(outcome__in=list(stage_of)).values_list("report_id", "outcome")
    )
    at = dict(
        Decision.objects.filter(outcome__in=list(stage_of)).values_list("report_id", "decided_at")
    )
    for report_id, person_id in (
        ReportChild.objects.filter(report_id__in=list(decided), person__isnull=False)
        .order_by("report_id", "pk")
        .values_list("report_id", "person_id")
    ):
        begin: dt.datetime = at[report_id]
        stage = stage_of[decided[report_id]]
        if stage == CaseStage.EARLY_HELP:
            finish = begin + dt.timedelta(days=rng.randint(60, 180))
        else:
            finish = _moment(procedures.add_working_days(begin.date(), ASSESSMENT_WORKING_DAYS))
            if rng.random() < TO_CARE_AND_SUPPORT:
                stage = CaseStage.CARE_AND_SUPPORT
                finish += dt.timedelta(days=rng.randint(90, 450))
        spans.append(_Span(person_id, begin, finish if finish < end_moment else None, stage))
    for person_id, started, ended, lead in RegisterEpisode.objects.order_by(
        "person_id", "started_at"
    ).values_list("person_id", "started_at", "ended_at", "lead_practitioner_id"):
        spans.append(_Span(person_id, started, ended, CaseStage.CHILD_PROTECTION, lead))
        if ended is not None and rng.random() < TO_LOOKED_AFTER:
            finish = ended + dt.timedelta(days=rng.randint(180, 1100))
            spans.append(
                _Span(
                    person_id,
                    ended,
                    finish if finish < end_moment else None,
                    CaseStage.LOOKED_AFTER,
                    lead,
                )
            )
    return spans


def _merged(spans: list[_Span]) -> list[_Span]:
    """One case per child at a time: overlapping periods of one child are one case at the
    highest stage reached (a registration's lead practitioner kept)."""
    by_person: dict[int, list[_Span]] = defaultdict(list)
    for s in spans:
        by_person[s.person_id].append(s)
    cases: list[_Span] = []
    for person_id in sorted(by_person):
        current: _Span | None = None
        for s in sorted(by_person[person_id], key=lambda x: x.start):
            if current is not None and (current.end is None or s.start <= current.end):
                if current.end is not None:
                    current.end = None if s.end is None else max(current.end, s.end)
                if STAGE_RANK[CaseStage(s.stage)] > STAGE_RANK[CaseStage(current.stage)]:
                    current.stage = s.stage
                current.lead = s.lead or current.lead
                continue
            current = _Span(person_id, s.start, s.end, s.stage, s.lead)
            cases.append(current)
    return cases


def load_cases(
    rng: random.Random,
    workforce: Workforce,
    *,
    authority: Agency,
    end: dt.date,
    counts: Counts,
    say: Progress,
) -> None:
    """Cases and their allocations: a registered child with the lead practitioner, the others
    with a practitioner of a team, some changed for caseload or a leaver, a few unallocated."""
    end_moment = _moment(end, 18)
    cases_made = _merged(_spans(rng, end_moment))
    team_of_user = {w.user_id: w.team_id for w in workforce.workers}
    worker_of_user = {w.user_id: w for w in workforce.workers}
    by_team_holders: dict[int, list[Worker]] = defaultdict(list)
    for w in workforce.workers:
        by_team_holders[w.team_id].append(w)
    teams = workforce.teams
    rows: list[Case] = []
    plans: list[list[tuple[dt.datetime, Worker | None, str, dt.datetime | None]]] = []
    for span in cases_made:
        team_id = team_of_user.get(span.lead) if span.lead else None
        if team_id is None:
            team_id = rng.choice(teams).pk
        manager = workforce.managers[team_id]
        opened = span.start
        rows.append(
            Case(
                person_id=span.person_id,
                authority=authority,
                team_id=team_id,
                stage=span.stage,
                opened_at=opened,
                opened_by=manager,
                closed_at=span.end,
                closed_by=manager if span.end else None,
                close_reason="Work completed." if span.end else "",
            )
        )
        # Who held the case, in turn.
        finish = span.end or end_moment
        lead = worker_of_user.get(span.lead) if span.lead else None
        candidates = [
            w
            for w in by_team_holders[team_id]
            if w.started_on <= opened.date() and (w.left_on is None or w.left_on > opened.date())
        ] or [w for w in by_team_holders[team_id] if w.left_on is None]
        first = lead if lead is not None else rng.choice(candidates)
        turns: list[tuple[dt.datetime, Worker | None, str, dt.datetime | None]] = [
            (opened, first, AllocationReason.NEW_CASE, None)
        ]
        if first.left_on is not None and _moment(first.left_on) < finish:
            stayers = [w for w in by_team_holders[team_id] if w.left_on is None] or [first]
            turns.append(
                (_moment(first.left_on, 9), rng.choice(stayers), AllocationReason.LEAVER, None)
            )
        elif lead is None and rng.random() < REALLOCATED:
            moment = opened + (finish - opened) * rng.uniform(0.3, 0.8)
            others = [
                w
                for w in by_team_holders[team_id]
                if w is not first
                and w.started_on <= moment.date()
                and (w.left_on is None or w.left_on > moment.date())
            ]
            if others:
                turns.append((moment, rng.choice(others), AllocationReason.CASELOAD, None))
        if span.end is None and lead is None and rng.random() < UNALLOCATED_NOW:
            turns.append(
                (
                    end_moment - dt.timedelta(days=rng.randint(1, 25)),
                    None,
                    AllocationReason.CASELOAD,
                    None,
                )
            )
        plans.append(turns)
    rows = _bulk(Case, rows, counts, say)
    allocations: list[Allocation] = []
    for case, turns in zip(rows, plans, strict=True):
        previous: Worker | None = None
        for i, (began, worker, reason, _e) in enumerate(turns):
            ended = turns[i + 1][0] if i + 1 < len(turns) else case.closed_at
            allocations.append(
                Allocation(
                    case=case,
                    worker=worker.user if worker else None,
                    previous_worker=previous.user if previous else None,
                    team_id=case.team_id,
                    started_at=began,
                    ended_at=ended,
                    reason=reason,
                    note="Waiting for capacity in the team" if worker is None else "",
                    made_by=workforce.managers[case.team_id],
                )
            )
            if worker is not None:
                previous = worker
    _bulk(Allocation, allocations, counts, say)
    # Oversight ratings of some open cases, set by the team's manager in the last four months.
    ratings = []
    for case in rows:
        if case.closed_at is not None or rng.random() >= RATED:
            continue
        rating = rng.choice([Rating.RED, Rating.AMBER, Rating.AMBER, Rating.GREEN])
        set_at = end_moment - dt.timedelta(days=rng.randint(1, 120), hours=rng.randint(0, 6))
        due = procedures.due(RATING_RULES[Rating(rating)], set_at)
        ratings.append(
            OversightRating(
                person_id=case.person_id,
                authority=authority,
                rating=rating,
                reason="Reviewed at the team's risk meeting.",
                set_by=workforce.managers[case.team_id],
                set_at=set_at,
                review_due_at=due.due_at,
                rule_version=due.rule.version,
            )
        )
    _bulk(OversightRating, ratings, counts, say)
    open_now = sum(1 for c in rows if c.closed_at is None)
    say(f"Cases: {len(rows)} ({open_now} open at the end date), {len(allocations)} allocations")


def load_supervision(
    rng: random.Random,
    workforce: Workforce,
    *,
    authority: Agency,
    end: dt.date,
    counts: Counts,
    say: Progress,
) -> None:
    """A year of supervision of every practitioner: case supervision of up to three of their
    children, every third one reflective, each with an action, most done by their due date."""
    start = end - dt.timedelta(days=round(SUPERVISION_MONTHS * 30.4))
    held_by: dict[int, list[int]] = defaultdict(list)  # worker user id -> children open now
    for user_id, person_id in (
        Allocation.objects.filter(
            ended_at__isnull=True,
            worker__isnull=False,
            case__closed_at__isnull=True,
            case__authority=authority,
        )
        .order_by("case__person_id")
        .values_list("worker_id", "case__person_id")
    ):
        held_by[user_id].append(person_id)
    supervisions: list[Supervision] = []
    discussed: list[list[int]] = []
    for w in workforce.workers:
        manager = workforce.managers[w.team_id]
        interval = 14 if w.first_year_until else 28
        day = max(start, w.started_on) + dt.timedelta(days=rng.randint(3, 12))
        stop = w.left_on or end
        if w.left_on is None and rng.random() < LAPSED:
            stop = end - dt.timedelta(days=rng.randint(35, 50))
        n = 0
        while day <= stop:
            if day.weekday() >= 5:
                day += dt.timedelta(days=7 - day.weekday())
                continue
            children = rng.sample(held_by[w.user_id], k=min(3, len(held_by[w.user_id])))
            reflective = n % 3 == 2 or not children or w.left_on is not None
            supervisions.append(
                Supervision(
                    authority=authority,
                    kind=SupervisionKind.REFLECTIVE if reflective else SupervisionKind.CASE,
                    held_on=day,
                    supervisor=manager,
                    worker=w.user,
                    recorded_by=manager,
                    wellbeing="Managing well." if reflective else "",
                    workload="Caseload discussed against the team's capacity."
                    if reflective
                    else "",
                    learning="Agreed a training course." if reflective else "",
                )
            )
            discussed.append([] if reflective else children)
            day += dt.timedelta(days=interval + rng.randint(-3, 6))
            n += 1
    supervisions = _bulk(Supervision, supervisions, counts, say)
    kids: list[SupervisionChild] = []
    actions: list[SupervisionAction] = []
    for s, children in zip(supervisions, discussed, strict=True):
        for person_id in children:
            kids.append(
                SupervisionChild(
                    supervision=s,
                    person_id=person_id,
                    risk="Risks reviewed against the latest information.",
                    lived_experience="The child's own words from the last visit discussed.",
                    plan_progress="Plan on track.",
                    drift="No drift found.",
                    decisions="Continue the plan; see the child alone before the next supervision.",
                )
            )
        due = s.held_on + dt.timedelta(days=7)
        done_at = None
        if due < end and rng.random() < ACTION_DONE:
            # most by the due date, some up to a week late
            late = rng.random() < ACTIONS_LATE
            done_day = due + dt.timedelta(days=rng.randint(1, 7) if late else -rng.randint(0, 5))
            done_at = _moment(min(done_day, end), 16)
        actions.append(
            SupervisionAction(
                supervision=s,
                person_id=children[0] if children else None,
                step=PracticeStep.OTHER,
                description="Update the chronology and share it with the core group"
                if children
                else "Book the training agreed",
                owner=s.worker,
                due_on=due,
                done_at=done_at,
                evidence="Done and recorded" if done_at else "",
            )
        )
    _bulk(SupervisionChild, kids, counts, say)
    _bulk(SupervisionAction, actions, counts, say)
    say(f"Supervision: {len(supervisions)} sessions, {len(kids)} children discussed")
