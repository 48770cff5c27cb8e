"""The workforce measures against the hand-computed worked example in docs/oversight.md."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest

from diogelu.accounts.models import Role, Team
from diogelu.oversight import services
from diogelu.oversight.models import AbsenceKind, ContractKind, JobRole, Post, PostHolding, Worker
from diogelu.oversight.workforce_measures import AUTHORITY, workforce_measures
from tests import factories as f

D = datetime.date
START, END = D(2025, 4, 1), D(2026, 3, 31)


def worked_example(world: Any) -> tuple[Team, Team]:
    la = world.authority
    head = f.user(la, Role.HEAD_OF_SERVICE)
    a = Team.objects.create(agency=la, name="Team A")
    b = Team.objects.create(agency=la, name="Team B")

    def worker(team: Team, started: D, kind: str, fte: str, **kw: Any) -> Worker:
        left = kw.pop("left_on", None)
        w = services.record_worker(
            actor=head,
            user=f.user(la, Role.SOCIAL_WORKER),
            team=team,
            job_role=JobRole.SOCIAL_WORKER,
            started_on=started,
            scw_number="SCW",
            contract_kind=kind,
            fte=fte,
            **kw,
        )
        if left:
            services.record_leaving(
                actor=head, worker=w, expected_version=1, left_on=left, reason="RESIGNED"
            )
        return w

    a1 = worker(a, D(2020, 1, 1), ContractKind.PERMANENT, "1", scw_renewal_on=D(2026, 5, 15))
    a2 = worker(a, D(2025, 6, 1), ContractKind.AGENCY, "1")
    a3 = worker(a, D(2019, 1, 1), ContractKind.PERMANENT, "0.5", left_on=D(2025, 12, 31))
    a4 = worker(a, D(2022, 1, 1), ContractKind.PERMANENT, "0.8")
    services.record_absence(
        actor=head,
        worker=a4,
        kind=AbsenceKind.SICKNESS,
        starts_on=D(2026, 3, 25),
        ends_on=D(2026, 4, 5),
    )
    b1 = worker(b, D(2021, 1, 1), ContractKind.AGENCY, "0.6")
    services.record_absence(
        actor=head,
        worker=b1,
        kind=AbsenceKind.OTHER,
        starts_on=D(2025, 3, 30),
        ends_on=D(2025, 4, 2),
    )
    worker(b, D(2018, 1, 1), ContractKind.PERMANENT, "1", left_on=D(2025, 9, 30))
    b3 = worker(b, D(2025, 10, 1), ContractKind.PERMANENT, "1", scw_renewal_on=D(2026, 6, 30))

    def post(
        team: Team,
        fte: str,
        holder: Worker | None,
        since: D,
        until: D | None = None,
        established: D | None = None,
    ) -> None:
        p = Post.objects.create(
            team=team,
            title="Social worker",
            fte=Decimal(fte),
            established_on=established or D(2018, 1, 1),
        )
        if holder is not None:
            PostHolding.objects.create(post=p, worker=holder, starts_on=since, ends_on=until)

    post(a, "1", a1, D(2020, 1, 1))
    post(a, "1", a2, D(2025, 6, 1))
    post(a, "1", a3, D(2019, 1, 1), D(2025, 12, 31))
    post(a, "0.8", a4, D(2022, 1, 1))
    post(b, "1", b3, D(2025, 10, 1))
    post(b, "0.6", b1, D(2021, 1, 1))
    post(b, "1", None, D(2026, 1, 1), established=D(2026, 1, 1))
    return a, b


@pytest.mark.django_db
def test_the_worked_example(world: Any) -> None:
    a, b = worked_example(world)
    m = workforce_measures(world.authority.pk, start=START, end=END)
    ta, tb, la = m[a.pk], m[b.pk], m[AUTHORITY]
    assert (ta.headcount, ta.fte, ta.agency_headcount, ta.agency_fte) == (
        3,
        Decimal("2.8"),
        1,
        Decimal("1"),
    )
    assert (tb.headcount, tb.fte, tb.agency_headcount, tb.agency_fte) == (
        2,
        Decimal("1.6"),
        1,
        Decimal("0.6"),
    )
    assert (la.headcount, la.fte) == (5, Decimal("4.4"))
    assert (la.agency_rate_fte, la.agency_rate_headcount) == (Decimal("36.4"), Decimal("40.0"))
    assert (ta.starters, ta.leavers, tb.starters, tb.leavers) == (1, 1, 1, 1)
    assert (ta.turnover, tb.turnover, la.turnover) == (
        Decimal("33.3"),
        Decimal("50.0"),
        Decimal("40.0"),
    )
    assert (ta.absence_days, tb.absence_days, la.absence_days) == (7, 2, 9)
    assert (ta.absence_days_per_fte, la.absence_days_per_fte) == (Decimal("2.5"), Decimal("2.0"))
    assert (ta.established_fte, ta.vacant_fte, ta.vacancy_rate) == (
        Decimal("3.8"),
        Decimal("1"),
        Decimal("26.3"),
    )
    assert (la.established_fte, la.vacant_fte, la.vacancy_rate) == (
        Decimal("6.4"),
        Decimal("2"),
        Decimal("31.3"),
    )
    assert (ta.registrations_lapsing, tb.registrations_lapsing, la.registrations_lapsing) == (
        1,
        0,
        1,
    )


@pytest.mark.django_db
def test_a_single_date_and_a_team_filter(world: Any) -> None:
    _a, b = worked_example(world)
    # On 1 April 2025: A1, A3 (0.5), A4 (0.8) in team A; B1 (agency 0.6), B2 in team B.
    m = workforce_measures(world.authority.pk, start=START, end=START, team_ids=[b.pk])
    assert set(m) == {b.pk, AUTHORITY}
    assert (m[b.pk].headcount, m[b.pk].fte, m[AUTHORITY].agency_rate_fte) == (
        2,
        Decimal("1.6"),
        Decimal("37.5"),
    )


@pytest.mark.django_db
def test_measures_take_a_fixed_number_of_queries(
    world: Any, django_assert_max_num_queries: Any
) -> None:
    worked_example(world)
    with django_assert_max_num_queries(8):
        workforce_measures(world.authority.pk, start=START, end=END)
