"""The demo authority's workforce, allocations and six months of supervision (issue 12).

About 40 practitioners in four teams (a quarter agency, newly qualified workers, two vacant posts,
leavers and starters in the last year, registrations due for renewal, some absence), every demo
child open to a team and most allocated (some reallocated, a few unallocated past the limit), and
six months of case and reflective supervision with actions, most done on time, some overdue. Built
through the oversight services at the moments they happen (a fixed seed; dates relative to the day
of loading, so the dashboards show something true whenever the demo is loaded). Only synthetic
people. Loads once: a second run adds nothing.
"""

from __future__ import annotations

import datetime
import random
from typing import Any

from django.utils import timezone

from diogelu import procedures
from diogelu.accounts.models import Agency, Role, RoleAssignment, Team, User
from diogelu.demo import data
from diogelu.oversight import services
from diogelu.oversight.models import (
    AllocationReason,
    CaseStage,
    ContractKind,
    JobRole,
    LeavingReason,
    Post,
    PostHolding,
    PracticeStep,
    Rating,
    Service,
    TeamProfile,
    Worker,
)
from diogelu.people.models import Person

SEED = 20261204
TEAM_NAMES = [
    ("North Locality Team", "Tîm Ardal y Gogledd"),
    ("South Locality Team", "Tîm Ardal y De"),
    ("East Locality Team", "Tîm Ardal y Dwyrain"),
    ("Court and Proceedings Team", "Tîm Llys ac Achosion"),
]
PER_TEAM = 10  # practitioners per team, besides its manager
MONTHS = 6


def _at(day: datetime.date, hour: int = 10) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=procedures.LONDON)


def safeguarding_service(authority: Agency) -> Service:
    """The authority's children's safeguarding service (the parent of its locality teams),
    made once."""
    service, _ = Service.objects.get_or_create(
        authority=authority,
        name="Children's Safeguarding Service",
        defaults={
            "name_cy": "Gwasanaeth Diogelu Plant",
            "directorate": "Social Services and Wellbeing",
            "directorate_cy": "Gwasanaethau Cymdeithasol a Llesiant",
        },
    )
    return service


def staff_user(
    rng: random.Random, authority: Agency, team: Team, username: str, title: str, *, domain: str
) -> User:
    """An unsaved account for a synthetic member of staff, with a name drawn from the demo's."""
    pool = data.WELSH_GIVEN_FEMALE + data.WELSH_GIVEN_MALE + data.ADULT_FEMALE
    return User(
        username=username,
        first_name=rng.choice(pool),
        last_name=rng.choice(data.FAMILY_NAMES),
        email=f"{username}@{domain}",
        agency=authority,
        team=team,
        job_title=title,
    )


def _user(
    rng: random.Random, authority: Agency, team: Team, username: str, role: str, title: str
) -> User:
    user = User.objects.filter(username=username).first()
    if user is None:
        user = staff_user(rng, authority, team, username, title, domain="demo.invalid")
        user.set_password(data.DEMO_PASSWORD)
        user.save()
    RoleAssignment.objects.get_or_create(user=user, role=role)
    return user


def load_oversight_case(
    authority: Agency, agencies: dict[str, Agency], users: dict[str, User]
) -> list[str]:
    """Make the workforce and its history once; returns lines for the loader to print."""
    if Worker.objects.filter(authority=authority).exists():
        return []
    head = users.get("head.of.service")
    if head is None:
        return []
    rng = random.Random(SEED)
    today = timezone.localdate()
    start = today - datetime.timedelta(days=183)
    from time_machine import travel

    with travel(_at(start - datetime.timedelta(days=1), 9), tick=False) as clock:
        # Glanrafon's own weighting table: fewer, heavier cases than the defaults assume.
        services.set_weighting(
            actor=head,
            points={"early_help": 5, "assessment": 7, "care_and_support": 7, "registered": 10},
            ceiling=70,
            first_year_ceiling=55,
            note="Glanrafon's table, agreed by the service's managers",
        )
        teams, managers, workers = _workforce(rng, authority, users, head, today)
        children = _children(authority, today)
        clock.move_to(_at(start, 9))
        _allocate(rng, clock, teams, managers, workers, children, start, today)
        _supervise(rng, clock, managers, workers, start, today)
        clock.move_to(_at(today, 8))
        _finish(rng, clock, teams, managers, workers, users, today)
    unallocated = sum(1 for c in children if services.open_case_of(c) is not None)
    return [
        f"Oversight: {len(workers)} practitioners in {len(teams)} teams, "
        f"{unallocated} children open to the teams, {MONTHS} months of supervision"
    ]


def _workforce(
    rng: random.Random,
    authority: Agency,
    users: dict[str, User],
    head: User,
    today: datetime.date,
) -> tuple[list[Team], dict[int, User], list[Worker]]:
    service = safeguarding_service(authority)
    teams: list[Team] = []
    managers: dict[int, User] = {}
    workers: list[Worker] = []
    n = 0
    for t, (name, name_cy) in enumerate(TEAM_NAMES):
        team, _ = Team.objects.get_or_create(
            agency=authority, name=name, defaults={"name_cy": name_cy}
        )
        TeamProfile.objects.get_or_create(team=team, defaults={"service": service})
        teams.append(team)
        if t == 0 and "team.manager" in users:
            manager = users["team.manager"]
        else:
            manager = _user(
                rng, authority, team, f"ov.manager{t + 1}", Role.TEAM_MANAGER, "Team manager"
            )
        managers[team.pk] = manager
        services.record_worker(
            actor=head,
            user=manager,
            team=team,
            job_role=JobRole.TEAM_MANAGER,
            started_on=datetime.date(2015 + t, 4, 1),
            scw_number=f"M{100000 + t}",
            contract_kind=ContractKind.PERMANENT,
            fte=1,
            scw_renewal_on=today + datetime.timedelta(days=400 + 30 * t),
            line_manager=head,
        )
        manager_worker = Worker.objects.get(user=manager)
        Worker.objects.filter(pk=manager_worker.pk).update(holds_cases=False)
        for i in range(PER_TEAM):
            n += 1
            existing = (
                {0: "social.worker", 1: "social.worker2"}.get(n - 1) if t < 2 and i == 0 else None
            )
            if existing and existing in users:
                user = users[existing]
                if user.team_id != team.pk:
                    user.team = team
                    user.save(update_fields=["team"])
            else:
                user = _user(
                    rng, authority, team, f"ov.sw{n:02d}", Role.SOCIAL_WORKER, "Social worker"
                )
            agency = n % 4 == 2 or user.username == "social.worker2"
            newly = n % 9 == 4
            started = (
                today - datetime.timedelta(days=rng.randint(200, 300))
                if newly
                else datetime.date(2012 + n % 12, 1 + n % 12, 1)
            )
            if n % 13 == 7:  # a starter this year
                started = today - datetime.timedelta(days=rng.randint(40, 150))
            renewal = today + datetime.timedelta(days=rng.randint(80, 900))
            if n % 11 == 3:  # renewal coming up
                renewal = today + datetime.timedelta(days=rng.randint(10, 55))
            worker = services.record_worker(
                actor=head,
                user=user,
                team=team,
                job_role=JobRole.SENIOR_PRACTITIONER if n % 7 == 0 else JobRole.SOCIAL_WORKER,
                started_on=started,
                scw_number=f"S{200000 + n}",
                contract_kind=ContractKind.AGENCY if agency else ContractKind.PERMANENT,
                fte="0.6" if n % 10 == 5 else ("0.8" if n % 10 == 8 else 1),
                scw_renewal_on=renewal,
                first_year_until=started + datetime.timedelta(days=364) if newly else None,
                line_manager=manager,
            )
            workers.append(worker)
            post = Post.objects.create(
                team=team, title="Social worker", fte=1, established_on=datetime.date(2012, 1, 1)
            )
            PostHolding.objects.create(
                post=post,
                worker=worker,
                starts_on=started,
                kind=ContractKind.AGENCY if agency else ContractKind.PERMANENT,
            )
            if n % 6 == 1:
                services.record_absence(
                    actor=head,
                    worker=worker,
                    kind="SICKNESS",
                    starts_on=today - datetime.timedelta(days=rng.randint(20, 150)),
                    ends_on=today - datetime.timedelta(days=rng.randint(5, 15)),
                )
        # Leavers this year (their posts are vacant now in two teams, refilled in the others).
        leaver_user = _user(
            rng, authority, team, f"ov.leaver{t + 1}", Role.SOCIAL_WORKER, "Social worker"
        )
        leaver = services.record_worker(
            actor=head,
            user=leaver_user,
            team=team,
            job_role=JobRole.SOCIAL_WORKER,
            started_on=datetime.date(2019, 9, 1),
            scw_number=f"L{300000 + t}",
            contract_kind=ContractKind.AGENCY if t % 2 else ContractKind.PERMANENT,
            fte=1,
            line_manager=manager,
        )
        left = today - datetime.timedelta(days=40 + 50 * t)
        post = Post.objects.create(
            team=team, title="Social worker", fte=1, established_on=datetime.date(2012, 1, 1)
        )
        PostHolding.objects.create(
            post=post,
            worker=leaver,
            starts_on=leaver.started_on,
            kind=ContractKind.AGENCY if t % 2 else ContractKind.PERMANENT,
        )
        services.record_leaving(
            actor=head,
            worker=leaver,
            expected_version=1,
            left_on=left,
            reason=LeavingReason.RESIGNED if t % 2 == 0 else LeavingReason.END_OF_CONTRACT,
        )
        leaver_user.is_active = t >= 2  # the two most recent leavers' accounts are closed
        leaver_user.save(update_fields=["is_active"])
        if t >= 2:  # refilled by a starter; the other two teams' posts stay vacant
            starter_user = _user(
                rng, authority, team, f"ov.starter{t + 1}", Role.SOCIAL_WORKER, "Social worker"
            )
            starter = services.record_worker(
                actor=head,
                user=starter_user,
                team=team,
                job_role=JobRole.SOCIAL_WORKER,
                started_on=left + datetime.timedelta(days=14),
                scw_number=f"N{400000 + t}",
                contract_kind=ContractKind.PERMANENT,
                fte=1,
                scw_renewal_on=today + datetime.timedelta(days=700),
                line_manager=manager,
            )
            services.fill_post(actor=head, post=post, worker=starter, starts_on=starter.started_on)
            workers.append(starter)
    return teams, managers, workers


def _children(authority: Agency, today: datetime.date) -> list[Person]:
    eighteen = today.replace(year=today.year - 18)
    return list(
        Person.objects.filter(
            authority=authority,
            is_restricted=False,
            merged_into__isnull=True,
            date_of_birth__gt=eighteen,
        ).order_by("la_reference")
    )


def _allocate(
    rng: random.Random,
    clock: Any,
    teams: list[Team],
    managers: dict[int, User],
    workers: list[Worker],
    children: list[Person],
    start: datetime.date,
    today: datetime.date,
) -> None:
    from diogelu.conferences.models import RegisterEpisode

    registered = dict(
        RegisterEpisode.objects.filter(ended_at__isnull=True).values_list(
            "person_id", "lead_practitioner_id"
        )
    )
    by_user = {w.user_id: w for w in workers}
    holders = [w for w in workers if w.user.is_active]
    # Some workers carry heavier loads than others.
    weights = [3 if i % 5 == 0 else 1 for i in range(len(holders))]
    stages = [
        CaseStage.ASSESSMENT,
        CaseStage.CARE_AND_SUPPORT,
        CaseStage.EARLY_HELP,
        CaseStage.LOOKED_AFTER,
    ]
    plan: list[tuple[Person, Worker | None]] = []
    for child in children:
        if child.pk in registered and registered[child.pk] in by_user:
            worker: Worker | None = by_user[registered[child.pk]]
        else:
            worker = rng.choices(holders, weights=weights)[0]
        plan.append((child, worker))
    began = _at(start, 9)
    for i, (child, worker) in enumerate(plan):
        assert worker is not None
        manager = managers[worker.team_id]
        # The workflow opened the case of a child whose work started in the demo's history
        # (unallocated, in the team of whoever started it): the manager allocates it then.
        opened = services.open_case_of(child)
        if opened is not None and opened.opened_at >= began:
            clock.move_to(opened.opened_at + datetime.timedelta(hours=2))
        services.allocate_child(
            actor=manager,
            person=child,
            worker=worker.user,
            team=worker.team,
            reason=AllocationReason.NEW_CASE,
            stage=CaseStage.CHILD_PROTECTION if child.pk in registered else stages[i % len(stages)],
            expected_version=opened.version if opened is not None else None,
        )
        clock.move_to(began)
    # Three months in: some children change worker.
    clock.move_to(_at(start + datetime.timedelta(days=90), 11))
    for child, worker in plan[::7]:
        assert worker is not None
        team_workers = [w for w in holders if w.team_id == worker.team_id and w.pk != worker.pk]
        if not team_workers or child.pk in registered:
            continue
        other = rng.choice(team_workers)
        case = services.open_case_of(child)
        assert case is not None
        if _last_change(case) >= timezone.now():
            continue
        services.allocate_child(
            actor=managers[worker.team_id],
            person=child,
            worker=other.user,
            team=other.team,
            reason=AllocationReason.CASELOAD,
            expected_version=case.version,
        )
    # Recently: a few children left unallocated (two past the limit).
    for days_ago, (child, worker) in zip((12, 9, 2, 1), plan[3::17], strict=False):
        assert worker is not None
        if child.pk in registered:
            continue
        clock.move_to(_at(today - datetime.timedelta(days=days_ago), 12))
        case = services.open_case_of(child)
        assert case is not None
        if _last_change(case) >= timezone.now():
            continue
        services.unallocate_child(
            actor=managers[worker.team_id],
            case=case,
            reason=AllocationReason.CASELOAD,
            note="Waiting for capacity in the team",
            expected_version=case.version,
        )


def _last_change(case: Any) -> datetime.datetime:
    """When the case's allocation last changed (the demo never changes it before that)."""
    from diogelu.oversight.models import Allocation

    last = Allocation.objects.filter(case=case).order_by("-started_at").first()
    return last.started_at if last is not None else case.opened_at


def _supervise(
    rng: random.Random,
    clock: Any,
    managers: dict[int, User],
    workers: list[Worker],
    start: datetime.date,
    today: datetime.date,
) -> None:
    from diogelu.oversight.models import Allocation, SupervisionAction

    for w in workers:
        if not w.user.is_active:
            continue
        manager = managers[w.team_id]
        interval = 14 if w.first_year_until else 28
        day = max(start, w.started_on) + datetime.timedelta(days=rng.randint(3, 12))
        # Most are supervised within the standard; every sixth worker's supervision has lapsed.
        stop = today - datetime.timedelta(
            days=rng.randint(35, 50) if w.pk % 6 == 0 else rng.randint(1, 8)
        )
        n = 0
        while day <= stop:
            if day.weekday() >= 5:
                day += datetime.timedelta(days=7 - day.weekday())
            clock.move_to(_at(day, 14))
            children = [
                a.case.person
                for a in Allocation.objects.filter(
                    worker=w.user, ended_at__isnull=True, case__closed_at__isnull=True
                ).select_related("case__person")[:3]
            ]
            due = day + datetime.timedelta(days=7)
            if n % 3 == 2 or not children:
                services.record_reflective_supervision(
                    actor=manager,
                    worker=w.user,
                    held_on=day,
                    wellbeing="Managing well; talked through a difficult home visit.",
                    workload="Caseload discussed against the team's capacity.",
                    learning="Agreed to attend the neglect toolkit training.",
                    actions=[
                        services.ActionSpec(
                            step=PracticeStep.OTHER,
                            description="Book the neglect toolkit training",
                            owner=w.user,
                            due_on=due,
                        )
                    ],
                )
            else:
                services.record_case_supervision(
                    actor=manager,
                    worker=w.user,
                    held_on=day,
                    children=[
                        services.ChildDiscussion(
                            person=c,
                            risk="Risks reviewed against the latest information.",
                            lived_experience="The child's own words from the last visit discussed.",
                            plan_progress="Plan on track; one action behind.",
                            drift="No drift found."
                            if k
                            else "Assessment a week behind: agreed a date.",
                            decisions="Continue the plan; see the child alone before the next supervision.",
                        )
                        for k, c in enumerate(children)
                    ],
                    actions=[
                        services.ActionSpec(
                            step=PracticeStep.OTHER,
                            description="Update the chronology and share it with the core group",
                            owner=w.user,
                            due_on=due,
                        )
                    ],
                )
            # Most actions are done, a few late, and the latest ones not yet (some overdue).
            for action in SupervisionAction.objects.filter(
                supervision__worker=w.user, done_at__isnull=True, due_on__lt=day
            ):
                if rng.random() < 0.95:
                    clock.move_to(
                        _at(action.due_on - datetime.timedelta(days=rng.randint(0, 3)), 16)
                    )
                    if action.due_on <= today and rng.random() < 0.9:
                        services.mark_action_done(
                            actor=w.user, action=action, note="Done and recorded"
                        )
                    clock.move_to(_at(day, 15))
            day += datetime.timedelta(days=interval + rng.randint(-3, 6))
            n += 1


def _finish(
    rng: random.Random,
    clock: Any,
    teams: list[Team],
    managers: dict[int, User],
    workers: list[Worker],
    users: dict[str, User],
    today: datetime.date,
) -> None:
    from diogelu.oversight.models import Allocation

    # Oversight ratings: some red children, two of them now overdue for review.
    current = list(
        Allocation.objects.filter(ended_at__isnull=True, worker__isnull=False).select_related(
            "case__person", "team"
        )[:40]
    )
    for k, a in enumerate(current[:12]):
        rating = [Rating.RED, Rating.AMBER, Rating.GREEN][k % 3]
        clock.move_to(_at(today - datetime.timedelta(days=10 if k < 4 else 2), 10))
        services.set_oversight_rating(
            actor=managers[a.team_id],
            person=a.case.person,
            rating=rating,
            reason="Reviewed at the team's risk meeting.",
        )
    clock.move_to(_at(today, 8))
    # A closure proposed by a social worker, waiting for a manager.
    sw = users.get("social.worker")
    if sw is not None:
        mine = Allocation.objects.filter(worker=sw, ended_at__isnull=True).select_related("case")
        for a in mine:
            from diogelu.conferences.models import RegisterEpisode

            if RegisterEpisode.objects.filter(
                person_id=a.case.person_id, ended_at__isnull=True
            ).exists():
                continue
            services.propose_case_closure(
                actor=sw, case=a.case, reason="Needs met through universal services; family agrees."
            )
            break
    assert teams
