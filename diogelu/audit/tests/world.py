"""A small authority for the audit tests: two teams, their managers and workers, a quality lead,
an auditor and a moderator, and children whose cases closed (or had a section 47 enquiry) in
March 2026. Rows are written directly, as the measures' builders do."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from diogelu.accounts.models import Agency, Role, Team, User
from diogelu.measures.tests.builders import at
from diogelu.oversight.models import Allocation, AllocationReason, Case, CaseStage, JobRole, Worker
from diogelu.people.models import Person
from tests import factories as f

PERIOD = (datetime.date(2026, 3, 1), datetime.date(2026, 3, 31))


@dataclass
class AuditWorld:
    authority: Agency
    north: Team
    south: Team
    head: User
    lead: User
    auditor: User
    moderator: User
    tm_north: User
    tm_south: User
    sw_n1: User
    sw_n2: User
    sw_s1: User
    partner: User
    children: dict[str, list[Person]] = field(default_factory=dict)
    cases: dict[int, Case] = field(default_factory=dict)

    def case_for(
        self, child: Person, team: Team, worker: User, *, closed: datetime.datetime | None
    ) -> Case:
        case = Case.objects.create(
            person=child,
            authority=self.authority,
            team=team,
            stage=CaseStage.CHILD_PROTECTION,
            opened_at=at(datetime.date(2025, 11, 3)),
            opened_by=self.head,
            closed_at=closed,
            closed_by=self.head if closed else None,
        )
        Allocation.objects.create(
            case=case,
            worker=worker,
            team=team,
            started_at=at(datetime.date(2025, 11, 3)),
            ended_at=closed,
            reason=AllocationReason.NEW_CASE,
            made_by=self.head,
        )
        self.cases[child.pk] = case
        return case


def _worker(
    user: User, team: Team, manager: User | None, role: str = JobRole.SOCIAL_WORKER
) -> Worker:
    assert user.agency is not None
    return Worker.objects.create(
        user=user,
        authority=user.agency,
        team=team,
        job_role=role,
        line_manager=manager,
        started_on=datetime.date(2024, 1, 8),
        scw_number=f"SCW{user.pk}",
    )


def make_world(north_closed: int = 12, south_closed: int = 8) -> AuditWorld:
    la = f.agency(name="Sir Archwilio Children's Services")
    police = f.agency("POLICE", "Heddlu Prawf")
    police.partner_of.add(la)
    north = Team.objects.create(agency=la, name="Tîm Gogledd")
    south = Team.objects.create(agency=la, name="Tîm De")
    head = f.user(la, Role.HEAD_OF_SERVICE, username="a_head")
    lead = f.user(la, Role.PERFORMANCE_OFFICER, username="a_lead")
    auditor = f.user(la, Role.AUDITOR, username="a_auditor")
    moderator = f.user(la, Role.AUDITOR, username="a_moderator")
    tm_north = f.user(la, Role.TEAM_MANAGER, username="a_tmn", team=north)
    tm_south = f.user(la, Role.TEAM_MANAGER, username="a_tms", team=south)
    sw_n1 = f.user(la, Role.SOCIAL_WORKER, username="a_swn1", team=north)
    sw_n2 = f.user(la, Role.SOCIAL_WORKER, username="a_swn2", team=north)
    sw_s1 = f.user(la, Role.SOCIAL_WORKER, username="a_sws1", team=south)
    partner = f.user(police, Role.POLICE_OFFICER, username="a_police")
    _worker(tm_north, north, head, JobRole.TEAM_MANAGER)
    _worker(tm_south, south, head, JobRole.TEAM_MANAGER)
    _worker(sw_n1, north, tm_north)
    _worker(sw_n2, north, tm_north)
    _worker(sw_s1, south, tm_south)
    world = AuditWorld(
        la,
        north,
        south,
        head,
        lead,
        auditor,
        moderator,
        tm_north,
        tm_south,
        sw_n1,
        sw_n2,
        sw_s1,
        partner,
    )
    closed = at(datetime.date(2026, 3, 16))
    world.children["north"] = []
    for i in range(north_closed):
        child = f.person(la, given_name=f"Gogledd{i}", family_name="Prawf")
        world.case_for(child, north, sw_n1 if i % 2 == 0 else sw_n2, closed=closed)
        world.children["north"].append(child)
    world.children["south"] = []
    for i in range(south_closed):
        child = f.person(la, given_name=f"De{i}", family_name="Prawf")
        world.case_for(child, south, sw_s1, closed=closed)
        world.children["south"].append(child)
    return world
