"""Grading, the worker's response, the family's feedback, moderation (both grades kept), actions and
evidence for the improvement plan."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
import time_machine

from diogelu.audit import hooks, services
from diogelu.audit.models import (
    Audit,
    AuditStatus,
    EvidenceLink,
    Grade,
    ModeratedGrade,
    ProgrammeKind,
    SectionGrade,
    Stage,
)
from diogelu.audit.tests.world import PERIOD, AuditWorld, make_world
from diogelu.core.exceptions import DomainError, NotPermittedError
from diogelu.measures.models import Finding, ImprovementAction, Inspection
from diogelu.measures.tests.builders import at
from diogelu.notifications.models import OutboxMessage

pytestmark = pytest.mark.django_db


@pytest.fixture
def aw() -> Any:
    with time_machine.travel(at(datetime.date(2026, 4, 2), 9), tick=False):
        yield make_world(north_closed=4, south_closed=0)


def drawn(aw: AuditWorld) -> list[Audit]:
    p = services.create_programme(
        actor=aw.lead,
        kind=ProgrammeKind.MONTHLY,
        title="March",
        period_start=PERIOD[0],
        period_end=PERIOD[1],
        auditors=[aw.auditor],
        moderators=[aw.moderator],
        strata=[(aw.north, Stage.CLOSED, 4)],
        moderation_percent=50,
    )
    return services.draw_sample(actor=aw.lead, programme=p, seed=9)


def grade_all(aw: AuditWorld, audit: Audit, grade: str = Grade.GOOD, submit: bool = True) -> Audit:
    sections = list(audit.programme.form.sections.all())
    return services.save_audit(
        actor=aw.auditor,
        audit=audit,
        grades={s.pk: (grade, f"seen {s.key}") for s in sections},
        answers={q.pk: "yes" for s in sections for q in s.questions.all()},
        overall_grade=grade,
        overall_reason="Steady practice",
        summary="Visits regular; plan vague.",
        submit=submit,
    )


def test_only_the_auditor_grades_and_submitting_needs_every_grade(aw: AuditWorld) -> None:
    audit = drawn(aw)[0]
    with pytest.raises(NotPermittedError):
        services.save_audit(actor=aw.moderator, audit=audit, grades={}, answers={})
    first = audit.programme.form.sections.first()
    assert first is not None
    with pytest.raises(DomainError):
        services.save_audit(
            actor=aw.auditor,
            audit=audit,
            grades={first.pk: (Grade.GOOD, "")},
            answers={},
            overall_grade=Grade.GOOD,
            overall_reason="x",
            submit=True,
        )
    saved = grade_all(aw, audit, submit=False)
    assert saved.status == AuditStatus.IN_PROGRESS
    with pytest.raises(DomainError):
        services.save_audit(
            actor=aw.auditor,
            audit=saved,
            grades={},
            answers={},
            overall_grade=Grade.GOOD,
            overall_reason="",
            submit=True,
        )
    done = grade_all(aw, saved)
    assert done.status == AuditStatus.SUBMITTED and done.submitted_at is not None
    assert OutboxMessage.objects.filter(recipient_user=done.worker, kind="audit.findings").exists()


def test_worker_responds_and_family_feedback_is_recorded_by_the_auditor(aw: AuditWorld) -> None:
    audit = drawn(aw)[0]
    with pytest.raises(DomainError):
        services.respond_to_findings(actor=audit.worker, audit=audit, response="Early")  # type: ignore[arg-type]
    audit = grade_all(aw, audit)
    with pytest.raises(NotPermittedError):
        services.respond_to_findings(actor=aw.tm_north, audit=audit, response="Not mine")
    audit = services.respond_to_findings(actor=audit.worker, audit=audit, response="Agreed")  # type: ignore[arg-type]
    assert audit.worker_response == "Agreed" and audit.worker_responded_at is not None
    with pytest.raises(DomainError):
        services.record_family_feedback(
            actor=aw.auditor, audit=audit, asked=True, feedback="", given_by="Mam"
        )
    audit = services.record_family_feedback(
        actor=aw.auditor, audit=audit, asked=True, feedback="The worker listens", given_by="Mother"
    )
    assert audit.family_feedback == "The worker listens"


def test_family_feedback_recorded_on_a_stale_copy_keeps_the_submission(aw: AuditWorld) -> None:
    """Regression: the feedback used to save the caller's whole (stale) row, undoing the
    submission made since it was read."""
    stale = drawn(aw)[0]
    grade_all(aw, Audit.objects.get(pk=stale.pk))
    services.record_family_feedback(
        actor=aw.auditor, audit=stale, asked=True, feedback="Listened to", given_by="Father"
    )
    fresh = Audit.objects.get(pk=stale.pk)
    assert fresh.status == AuditStatus.SUBMITTED and fresh.family_feedback == "Listened to"


def test_moderation_keeps_both_grades_and_needs_a_reason_to_change(aw: AuditWorld) -> None:
    audits = drawn(aw)
    for audit in audits:
        grade_all(aw, audit)
    programme = audits[0].programme
    chosen = services.select_for_moderation(actor=aw.lead, programme=programme)
    assert len(chosen) == 2  # 50% of 4
    assert all(m.moderator_id == aw.moderator.pk for m in chosen)
    audit = chosen[0].audit
    sections = list(programme.form.sections.all())
    grades: dict[int | None, tuple[str, str]] = {s.pk: (Grade.GOOD, "") for s in sections}
    grades[sections[2].pk] = (Grade.REQUIRES_IMPROVEMENT, "")
    grades[None] = (Grade.GOOD, "")
    with pytest.raises(DomainError):
        services.moderate(actor=aw.moderator, audit=audit, grades=grades)
    with pytest.raises(NotPermittedError):
        services.moderate(actor=aw.auditor, audit=audit, grades=grades)
    grades[sections[2].pk] = (Grade.REQUIRES_IMPROVEMENT, "Outcomes have no dates")
    services.moderate(actor=aw.moderator, audit=audit, grades=grades, note="Sound otherwise")
    audit.refresh_from_db()
    assert audit.status == AuditStatus.MODERATED
    kept = SectionGrade.objects.get(audit=audit, section=sections[2])
    assert kept.grade == Grade.GOOD  # the auditor's grade is unchanged
    changed = ModeratedGrade.objects.get(moderation__audit=audit, section=sections[2])
    assert (changed.auditor_grade, changed.grade, changed.changed) == (
        Grade.GOOD,
        Grade.REQUIRES_IMPROVEMENT,
        True,
    )
    assert ModeratedGrade.objects.filter(moderation__audit=audit).count() == 9
    assert sum(g.changed for g in ModeratedGrade.objects.filter(moderation__audit=audit)) == 1
    with pytest.raises(DomainError):
        services.moderate(actor=aw.moderator, audit=audit, grades=grades)


def test_a_moderator_never_moderates_their_own_audit(aw: AuditWorld) -> None:
    p = services.create_programme(
        actor=aw.lead,
        kind=ProgrammeKind.MONTHLY,
        title="Peers",
        period_start=PERIOD[0],
        period_end=PERIOD[1],
        auditors=[aw.auditor],
        moderators=[aw.auditor],
        strata=[(aw.north, Stage.CLOSED, 2)],
        moderation_percent=100,
    )
    for audit in services.draw_sample(actor=aw.lead, programme=p, seed=1):
        grade_all(aw, audit)
    assert services.select_for_moderation(actor=aw.lead, programme=p) == []


def _plan_action(aw: AuditWorld, audit: Audit, worker: Any) -> Any:
    """The auditor's action for the worker: update the plan, due 16 April 2026."""
    return services.raise_action(
        actor=aw.auditor,
        audit=audit,
        description="Update the plan with dated outcomes",
        owner=worker,
        due_on=datetime.date(2026, 4, 16),
    )


def test_actions_are_tracked_on_my_work_and_linked_to_the_improvement_plan(aw: AuditWorld) -> None:
    audit = grade_all(aw, drawn(aw)[0])
    worker = audit.worker
    assert worker is not None
    with pytest.raises(DomainError):
        services.raise_action(
            actor=aw.auditor,
            audit=audit,
            description="Update the plan",
            owner=worker,
            due_on=datetime.date(2026, 4, 1),
        )
    action = _plan_action(aw, audit, worker)
    section = hooks.my_work_section(worker, at(datetime.date(2026, 4, 2), 9))
    assert section is not None and section["my_actions"] == [action]
    assert section["to_respond"] == [audit]
    # Late: the worker's manager sees it, and the sweep tells them once.
    late = hooks.my_work_section(aw.tm_north, at(datetime.date(2026, 4, 20), 9))
    assert late is not None and late["late_actions"] == [action]
    assert hooks.flag_overdue_actions(at(datetime.date(2026, 4, 20), 9)) == 1
    assert hooks.flag_overdue_actions(at(datetime.date(2026, 4, 21), 9)) == 0
    assert (
        OutboxMessage.objects.filter(
            recipient_user=aw.tm_north, kind="audit.action_overdue"
        ).count()
        == 1
    )
    with pytest.raises(NotPermittedError):
        services.mark_action_done(actor=aw.sw_s1, action=action, note="x")
    services.mark_action_done(actor=worker, action=action, note="Plan v3 published")

    inspection = Inspection.objects.create(
        authority=aw.authority,
        kind="PEI",
        title="CIW inspection",
        held_from=datetime.date(2025, 11, 1),
        held_to=datetime.date(2025, 11, 5),
        lead=aw.head,
    )
    finding = Finding.objects.create(inspection=inspection, number=1, area="Plans", text="Variable")
    improvement = ImprovementAction.objects.create(
        finding=finding,
        number="1.1",
        description="Improve plans",
        owner=aw.head,
        due_on=datetime.date(2026, 9, 30),
    )
    with pytest.raises(NotPermittedError):
        services.link_evidence(actor=worker, improvement_action=improvement, audit_action=action)
    link = services.link_evidence(
        actor=aw.lead, improvement_action=improvement, audit_action=action, note="Plan audit"
    )
    assert EvidenceLink.objects.get() == link
    evidence = improvement.evidence.get()
    assert evidence.kind == "AUDIT" and "Update the plan" in evidence.title
    assert audit.person.given_name not in evidence.title


def test_a_manager_with_many_actions_of_their_own_still_sees_the_late_ones_below(
    aw: AuditWorld, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The actions a manager owns and the late ones of the people below them are read together
    (issue 17); when the manager's own fill that read, each list is read on its own, so neither
    crowds the other out."""
    from diogelu.audit.models import AuditAction

    audit = grade_all(aw, drawn(aw)[0])
    worker = audit.worker
    assert worker is not None
    late = _plan_action(aw, audit, worker)
    monkeypatch.setattr(hooks, "BOTH", 4)
    when = at(datetime.date(2026, 4, 20), 9)
    section = hooks.my_work_section(aw.tm_north, when)
    assert section is not None and section["late_actions"] == [late]
    assert section["my_actions"] == []
    AuditAction.objects.bulk_create(
        AuditAction(
            audit=audit,
            description=f"Own action {i}",
            owner=aw.tm_north,
            raised_by=aw.auditor,
            due_on=datetime.date(2026, 4, 1 + i),
        )
        for i in range(5)
    )
    section = hooks.my_work_section(aw.tm_north, when)
    assert section is not None
    assert [a.description for a in section["my_actions"]] == [f"Own action {i}" for i in range(5)]
    assert section["late_actions"] == [late]


def test_files_to_audit_and_findings_to_read_are_one_read_of_the_audits(
    aw: AuditWorld, monkeypatch: pytest.MonkeyPatch
) -> None:
    """My work's two lists of audits (files to audit, findings about one's own work to read) are
    read together (issue 17: each read of the audits a user may see is a DISTINCT over several
    joins, planned afresh); when that read fills, each list is read on its own."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    audits = drawn(aw)
    submitted = grade_all(aw, audits[0])
    Audit.objects.filter(pk=submitted.pk).update(worker=aw.auditor)  # their own work, audited
    when = at(datetime.date(2026, 4, 3), 9)

    def read() -> tuple[dict[str, Any], int]:
        with CaptureQueriesContext(connection) as ctx:
            section = hooks.my_work_section(aw.auditor, when)
        assert section is not None
        reads = [q for q in ctx.captured_queries if 'FROM "audit_audit"' in q["sql"]]
        return section, len(reads)

    section, reads = read()
    assert reads == 1
    assert [a.pk for a in section["to_audit"]] == sorted(a.pk for a in audits[1:])
    assert [a.pk for a in section["to_respond"]] == [submitted.pk]
    monkeypatch.setattr(hooks, "BOTH", 2)
    section, reads = read()
    assert reads == 3
    assert [a.pk for a in section["to_audit"]] == sorted(a.pk for a in audits[1:])
    assert [a.pk for a in section["to_respond"]] == [submitted.pk]
