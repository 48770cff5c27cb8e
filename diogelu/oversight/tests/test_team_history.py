"""Dated team moves: a worker's figures for a past day count in the team they were in then.

The worked example of docs/oversight.md, with A4 (0.8 FTE, sick 25 March – 5 April 2026) moved
from team A to team B on 1 January 2026."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
import time_machine

from diogelu.accounts.models import Role, Team, User
from diogelu.conferences.tests.test_journey import at
from diogelu.core.exceptions import DomainError, StaleEditError
from diogelu.oversight import services
from diogelu.oversight.caseloads import worker_loads
from diogelu.oversight.models import TeamMembership, Worker
from diogelu.oversight.tests.test_workforce_measures import END, START, worked_example
from diogelu.oversight.workforce_measures import AUTHORITY, workforce_measures

D = datetime.date


def _a4(a: Team) -> Worker:
    return Worker.objects.get(team=a, contracts__fte=Decimal("0.8"))


@pytest.fixture
def moved(world: Any) -> tuple[Team, Team, Worker, User]:
    a, b = worked_example(world)
    head = User.objects.get(agency=world.authority, role_assignments__role=Role.HEAD_OF_SERVICE)
    a4 = _a4(a)
    services.move_worker(
        actor=head, worker=a4, expected_version=a4.version, team=b, moved_on=D(2026, 1, 1)
    )
    return a, b, a4, head


@pytest.mark.django_db
def test_the_history_of_a_move(moved: Any) -> None:
    a, b, a4, _ = moved
    periods = list(
        TeamMembership.objects.filter(worker=a4).values_list("team_id", "starts_on", "ends_on")
    )
    assert periods == [(a.pk, D(2022, 1, 1), D(2025, 12, 31)), (b.pk, D(2026, 1, 1), None)]
    a4.refresh_from_db()
    assert a4.team_id == b.pk


@pytest.mark.django_db
def test_measures_for_the_year_use_the_team_of_each_day(moved: Any) -> None:
    a, b, _, _ = moved
    m = workforce_measures(a.agency_id, start=START, end=END)
    # 31 March 2026: A4 is in B. 1 April 2025: A4 was in A.
    assert (m[a.pk].headcount, m[a.pk].fte) == (2, Decimal("2.00"))
    assert (m[b.pk].headcount, m[b.pk].fte) == (3, Decimal("2.40"))  # 0.6 + 1 + 0.8
    assert (m[a.pk].headcount_at_start, m[b.pk].headcount_at_start) == (3, 2)
    # A4's sickness (25 March – ...) began in team B: 7 days clipped to the year, with B1's 2.
    assert (m[a.pk].absence_days, m[b.pk].absence_days) == (0, 9)
    # The authority's figures do not move.
    assert (m[AUTHORITY].headcount, m[AUTHORITY].absence_days) == (5, 9)


@pytest.mark.django_db
def test_measures_for_a_past_day_use_the_team_then(moved: Any) -> None:
    a, b, _, _ = moved
    day = D(2025, 12, 31)
    m = workforce_measures(a.agency_id, start=day, end=day)
    # A1, A2, A3 (her last day) and A4, still in A; B1 and B3 in B.
    assert (m[a.pk].headcount, m[b.pk].headcount) == (4, 2)
    only_b = workforce_measures(a.agency_id, start=day, end=day, team_ids=[b.pk])
    assert only_b[AUTHORITY].headcount == 2


@pytest.mark.django_db
def test_caseloads_on_a_past_day_use_the_team_then(moved: Any) -> None:
    a, _b, a4, _ = moved
    before = worker_loads(a.agency_id, team_ids=[a.pk], on=D(2025, 12, 1))
    after = worker_loads(a.agency_id, team_ids=[a.pk], on=D(2026, 2, 1))
    assert a4.pk in {x.worker.pk for x in before}
    assert a4.pk not in {x.worker.pk for x in after}
    (load,) = [x for x in worker_loads(a.agency_id, on=D(2025, 12, 1)) if x.worker.pk == a4.pk]
    assert load.team_id == a.pk


@pytest.mark.django_db
def test_bad_moves_write_nothing(moved: Any) -> None:
    a, b, a4, head = moved
    a4.refresh_from_db()
    with pytest.raises(DomainError, match="after 01/01/2026"):
        services.move_worker(
            actor=head, worker=a4, expected_version=a4.version, team=a, moved_on=D(2025, 6, 1)
        )
    with pytest.raises(DomainError, match="already in this team"):
        services.move_worker(
            actor=head, worker=a4, expected_version=a4.version, team=b, moved_on=D(2026, 3, 1)
        )
    with pytest.raises(StaleEditError):
        services.move_worker(
            actor=head, worker=a4, expected_version=a4.version - 1, team=a, moved_on=D(2026, 3, 1)
        )
    assert TeamMembership.objects.filter(worker=a4).count() == 2
    a4.refresh_from_db()
    assert a4.team_id == b.pk


@pytest.mark.django_db
def test_a_team_change_through_the_worker_record_is_dated_today(moved: Any) -> None:
    a, _b, a4, head = moved
    a4.refresh_from_db()
    with time_machine.travel(at(2026, 4, 10, 9), tick=False):
        services.update_worker(
            actor=head, worker=a4, expected_version=a4.version, team=a, extra_duty_points=5
        )
    a4.refresh_from_db()
    assert (a4.team_id, a4.extra_duty_points) == (a.pk, 5)
    current = TeamMembership.objects.get(worker=a4, ends_on__isnull=True)
    assert (current.team_id, current.starts_on) == (a.pk, D(2026, 4, 10))


@pytest.mark.django_db
def test_one_teams_measures_read_only_its_workers_and_match_the_whole_authoritys(
    moved: Any,
) -> None:
    """Issue 17: a team's dashboard read the whole authority's workforce. For some teams only
    the workers who are or ever were in them are read, and every figure is the same as the
    whole authority's figure for that team, on days before and after a move."""
    from dataclasses import asdict

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    a, b, _a4, _ = moved
    for start, end in [(START, END), (D(2025, 12, 31), D(2025, 12, 31)), (END, END)]:
        whole = workforce_measures(a.agency_id, start=start, end=end)
        for team in (a, b):
            with CaptureQueriesContext(connection) as ctx:
                one = workforce_measures(a.agency_id, start=start, end=end, team_ids=[team.pk])
            assert asdict(one[team.pk]) == asdict(whole[team.pk]), (team.name, start, end)
            assert asdict(one[AUTHORITY]) == asdict(one[team.pk])
            headcounts = [
                q["sql"] for q in ctx.captured_queries if 'FROM "oversight_contract"' in q["sql"]
            ]
            # Both head counts (start and end) are limited to the team's workers, past and
            # present; for a single day they are one read.
            assert len(headcounts) == (1 if start == end else 2)
            assert all(f'"team_id" IN ({team.pk})' in sql for sql in headcounts)
