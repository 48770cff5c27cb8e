"""An oversight team around the persona ``world``: the manager leads team "Tîm Gogledd", the
social worker and two more practitioners work in it (one agency, one newly qualified), and a
second manager (head of service) sits above the team manager."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

import pytest
import time_machine

from diogelu.accounts.models import Role, Team, User
from diogelu.conferences.tests.test_journey import at
from diogelu.oversight import services
from diogelu.oversight.models import ContractKind, JobRole, Worker
from tests import factories as f
from tests.conftest import World, world

__all__ = ["world"]


@dataclass
class Org:
    world: World
    team: Team
    other_team: Team
    head: User
    admin: User
    newly: User
    agency: User
    other_manager: User
    workers: dict[str, Worker]


@pytest.fixture
def clock() -> Any:
    with time_machine.travel(at(2026, 3, 2, 9), tick=False) as traveller:
        yield traveller


def make_org(world: World) -> Org:
    la = world.authority
    team = Team.objects.create(agency=la, name="Tîm Gogledd")
    other_team = Team.objects.create(agency=la, name="Tîm De")
    head = f.user(la, Role.HEAD_OF_SERVICE, username="head")
    admin = f.user(la, Role.ADMINISTRATOR, username="admin")
    newly = f.user(la, Role.SOCIAL_WORKER, username="newly", team=team)
    agency = f.user(la, Role.SOCIAL_WORKER, username="agencysw", team=team)
    other_manager = f.user(la, Role.TEAM_MANAGER, username="othertm", team=other_team)
    world.manager.team = team
    world.manager.save(update_fields=["team"])
    world.social_worker.team = team
    world.social_worker.save(update_fields=["team"])
    start = datetime.date(2024, 1, 8)
    workers = {
        "manager": services.record_worker(
            actor=head,
            user=world.manager,
            team=team,
            job_role=JobRole.TEAM_MANAGER,
            started_on=start,
            scw_number="SCW100",
            contract_kind=ContractKind.PERMANENT,
            fte=1,
            line_manager=head,
        ),
        "sw": services.record_worker(
            actor=head,
            user=world.social_worker,
            team=team,
            job_role=JobRole.SOCIAL_WORKER,
            started_on=start,
            scw_number="SCW101",
            contract_kind=ContractKind.PERMANENT,
            fte=1,
            line_manager=world.manager,
        ),
        "newly": services.record_worker(
            actor=head,
            user=newly,
            team=team,
            job_role=JobRole.SOCIAL_WORKER,
            started_on=datetime.date(2025, 9, 1),
            scw_number="SCW102",
            contract_kind=ContractKind.PERMANENT,
            fte="0.5",
            first_year_until=datetime.date(2026, 8, 31),
            line_manager=world.manager,
        ),
        "agency": services.record_worker(
            actor=head,
            user=agency,
            team=team,
            job_role=JobRole.SOCIAL_WORKER,
            started_on=datetime.date(2025, 6, 2),
            scw_number="SCW103",
            contract_kind=ContractKind.AGENCY,
            fte=1,
            line_manager=world.manager,
            scw_renewal_on=datetime.date(2026, 4, 1),
        ),
    }
    return Org(world, team, other_team, head, admin, newly, agency, other_manager, workers)


@pytest.fixture
def org(world: World, clock: Any) -> Org:
    return make_org(world)
