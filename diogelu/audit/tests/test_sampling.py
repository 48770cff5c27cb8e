"""The sample: reproducible from its seed, true to its strata, and free of conflicts."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
import time_machine

from diogelu.audit import sampling, services
from diogelu.audit.models import Audit, ProgrammeKind, Stage, Theme
from diogelu.audit.tests.world import PERIOD, AuditWorld, make_world
from diogelu.core.exceptions import DomainError, NotPermittedError
from diogelu.measures.tests.builders import at
from diogelu.oversight.models import Allocation, AllocationReason

pytestmark = pytest.mark.django_db


@pytest.fixture
def clock() -> Any:
    with time_machine.travel(at(datetime.date(2026, 4, 2), 9), tick=False) as traveller:
        yield traveller


@pytest.fixture
def aw(clock: Any) -> AuditWorld:
    return make_world()


def programme(aw: AuditWorld, auditors: list[Any] | None = None, **kw: Any) -> Any:
    return services.create_programme(
        actor=aw.lead,
        kind=kw.pop("kind", ProgrammeKind.MONTHLY),
        theme=kw.pop("theme", Theme.GENERAL),
        title=kw.pop("title", "March 2026"),
        period_start=PERIOD[0],
        period_end=PERIOD[1],
        auditors=auditors if auditors is not None else [aw.auditor, aw.tm_north, aw.tm_south],
        moderators=[aw.moderator],
        strata=kw.pop(
            "strata",
            [(aw.north, Stage.CLOSED, 5), (aw.south, Stage.CLOSED, 3)],
        ),
        **kw,
    )


def drawn(p: Any) -> list[tuple[int, int | None, str, int]]:
    return [
        (a.person_id, a.auditor_id, a.stage, a.team_id)
        for a in Audit.objects.filter(programme=p).order_by("pk")
    ]


def test_the_same_seed_draws_the_same_sample_and_auditors(aw: AuditWorld) -> None:
    first = programme(aw, title="one")
    services.draw_sample(actor=aw.lead, programme=first, seed=20260401)
    second = programme(aw, title="two")
    services.draw_sample(actor=aw.lead, programme=second, seed=20260401)
    third = programme(aw, title="three")
    services.draw_sample(actor=aw.lead, programme=third, seed=7)

    assert drawn(first) == drawn(second)
    first.refresh_from_db()
    assert first.seed == 20260401 and first.drawn_by == aw.lead
    assert {p for p, *_ in drawn(first)} != {p for p, *_ in drawn(third)}


def test_a_seed_is_chosen_and_recorded_when_none_is_given(aw: AuditWorld) -> None:
    p = programme(aw)
    services.draw_sample(actor=aw.lead, programme=p)
    p.refresh_from_db()
    assert p.seed is not None
    again = programme(aw, title="again")
    services.draw_sample(actor=aw.lead, programme=again, seed=p.seed)
    assert drawn(p) == drawn(again)


def test_each_stratum_gets_its_size_from_its_own_team_and_stage(aw: AuditWorld) -> None:
    p = programme(aw)
    services.draw_sample(actor=aw.lead, programme=p, seed=1)
    north = {c.pk for c in aw.children["north"]}
    south = {c.pk for c in aw.children["south"]}
    audits = list(Audit.objects.filter(programme=p))
    assert sum(1 for a in audits if a.team_id == aw.north.pk) == 5
    assert sum(1 for a in audits if a.team_id == aw.south.pk) == 3
    assert all(a.stage == Stage.CLOSED for a in audits)
    assert all(a.person_id in (north if a.team_id == aw.north.pk else south) for a in audits)
    populations = {s.team_id: s.population for s in p.strata.all()}
    assert populations == {aw.north.pk: 12, aw.south.pk: 8}
    # Each stratum's draw is the seeded shuffle of its sorted population, in order.
    expected = sampling.shuffled(
        1,
        aw.north.pk,
        Stage.CLOSED,
        sampling.population(aw.authority.pk, Stage.CLOSED, *PERIOD)[aw.north.pk],
    )[:5]
    got = [
        a.person_id
        for a in sorted(audits, key=lambda a: a.draw_rank or 0)
        if a.team_id == aw.north.pk
    ]
    assert got == [c.person_id for c in expected]


def test_a_small_stratum_gives_what_it_has_and_the_shortfall_is_logged(aw: AuditWorld) -> None:
    p = programme(aw, strata=[(aw.south, Stage.CLOSED, 10), (aw.north, Stage.S47, 2)])
    services.draw_sample(actor=aw.lead, programme=p, seed=3)
    p.refresh_from_db()
    assert Audit.objects.filter(programme=p).count() == 8
    shorts = sorted(entry["short"] for entry in p.draw_log if "short" in entry)
    assert shorts == [2, 2]


def test_no_manager_audits_their_own_workers_case_and_no_worker_audits_their_own(
    aw: AuditWorld,
) -> None:
    # Everyone could audit in principle: the team managers and a worker too.
    p = programme(
        aw,
        auditors=[aw.tm_north, aw.tm_south, aw.sw_n1],
        strata=[(aw.north, Stage.CLOSED, 12), (aw.south, Stage.CLOSED, 8)],
    )
    services.draw_sample(actor=aw.lead, programme=p, seed=11)
    for audit in Audit.objects.filter(programme=p):
        assert audit.auditor_id != audit.worker_id
        if audit.team_id == aw.north.pk:
            # sw_n1's and sw_n2's manager is tm_north; sw_n1 may audit sw_n2's files as a peer.
            assert audit.auditor_id in {aw.tm_south.pk, aw.sw_n1.pk}
            assert audit.auditor_id != aw.sw_n1.pk or audit.worker_id == aw.sw_n2.pk
        else:
            assert audit.auditor_id in {aw.tm_north.pk, aw.sw_n1.pk}
    assert Audit.objects.filter(programme=p).count() == 20


def test_a_child_no_auditor_may_audit_is_skipped_and_logged(aw: AuditWorld) -> None:
    # The auditor once held the first northern child's case.
    child = aw.children["north"][0]
    Allocation.objects.create(
        case=aw.cases[child.pk],
        worker=aw.auditor,
        team=aw.north,
        started_at=at(datetime.date(2025, 10, 1)),
        ended_at=at(datetime.date(2025, 11, 3)),
        reason=AllocationReason.NEW_CASE,
        made_by=aw.head,
    )
    p = programme(aw, auditors=[aw.auditor, aw.tm_north], strata=[(aw.north, Stage.CLOSED, 12)])
    services.draw_sample(actor=aw.lead, programme=p, seed=5)
    p.refresh_from_db()
    people = set(Audit.objects.filter(programme=p).values_list("person_id", flat=True))
    assert child.pk not in people
    assert len(people) == 11
    assert {"person": child.pk, "stratum": p.strata.get().pk, "skip": "conflict"} in p.draw_log
    assert set(Audit.objects.filter(programme=p).values_list("auditor_id", flat=True)) == {
        aw.auditor.pk
    }


def test_manual_addition_needs_a_reason_and_a_free_auditor(aw: AuditWorld) -> None:
    p = programme(aw, strata=[(aw.south, Stage.CLOSED, 1)])
    services.draw_sample(actor=aw.lead, programme=p, seed=2)
    child = aw.children["north"][3]
    with pytest.raises(DomainError):
        services.add_to_sample(actor=aw.lead, programme=p, person=child, reason=" ")
    with pytest.raises(DomainError):
        services.add_to_sample(
            actor=aw.lead, programme=p, person=child, reason="Complaint", auditor=aw.tm_north
        )
    audit = services.add_to_sample(
        actor=aw.lead, programme=p, person=child, reason="Complaint from the family"
    )
    assert audit.is_manual and audit.added_reason == "Complaint from the family"
    assert audit.auditor_id in {aw.auditor.pk, aw.tm_south.pk}
    assert audit.team_id == aw.north.pk and audit.stage == Stage.CLOSED
    with pytest.raises(DomainError):
        services.add_to_sample(actor=aw.lead, programme=p, person=child, reason="again")


def test_only_the_quality_lead_sets_up_and_draws(aw: AuditWorld) -> None:
    with pytest.raises(NotPermittedError):
        services.create_programme(
            actor=aw.auditor,
            kind=ProgrammeKind.MONTHLY,
            title="x",
            period_start=PERIOD[0],
            period_end=PERIOD[1],
            auditors=[aw.auditor],
        )
    p = programme(aw)
    with pytest.raises(NotPermittedError):
        services.draw_sample(actor=aw.tm_north, programme=p, seed=1)
    services.draw_sample(actor=aw.head, programme=p, seed=1)
    with pytest.raises(DomainError):
        services.draw_sample(actor=aw.head, programme=p, seed=1)


def test_a_themed_programme_gets_the_standard_form_with_its_theme_question(aw: AuditWorld) -> None:
    p = programme(aw, kind=ProgrammeKind.THEMED, theme=Theme.VOICE)
    sections = list(p.form.sections.all())
    assert [s.key for s in sections] == [
        "voice",
        "risk",
        "plan",
        "multi_agency",
        "oversight",
        "timeliness",
        "recording",
        "impact",
    ]
    assert all(
        set(s.descriptors) == {"OUTSTANDING", "GOOD", "REQUIRES_IMPROVEMENT", "INADEQUATE"}
        for s in sections
    )
    assert sections[0].questions.count() == 3
    plain = programme(aw, title="plain")
    assert plain.form.sections.get(key="voice").questions.count() == 2
    assert programme(aw, title="again", kind=ProgrammeKind.THEMED, theme=Theme.VOICE).form == p.form
