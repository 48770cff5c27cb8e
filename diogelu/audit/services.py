"""Case-file audit: everything that changes state (programmes, sample, grades, moderation, actions).

Each service checks who may act and raises :class:`DomainError` (shown beside the field) or
:class:`NotPermittedError`; pages and the API call these and nothing else to change audits.
"""

from __future__ import annotations

import datetime
import random
import secrets
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from diogelu.audit import sampling
from diogelu.audit.access import (
    is_moderator_of,
    is_quality_lead,
    may_audit,
    reports_below,
    visible_audits,
)
from diogelu.audit.models import (
    Answer,
    Audit,
    AuditAction,
    AuditForm,
    AuditStatus,
    EvidenceLink,
    FormQuestion,
    FormSection,
    Grade,
    MemberRole,
    ModeratedGrade,
    Moderation,
    Programme,
    ProgrammeKind,
    ProgrammeMember,
    ProgrammeStatus,
    SectionGrade,
    Stage,
    Stratum,
    Theme,
)
from diogelu.audit.standard import SECTIONS, STANDARD_KEY, STANDARD_TITLE, THEME_QUESTIONS
from diogelu.core.exceptions import DomainError, NotPermittedError
from diogelu.notifications.services import enqueue

if TYPE_CHECKING:
    from diogelu.accounts.models import Agency, Team, User
    from diogelu.measures.models import ImprovementAction
    from diogelu.people.models import Person

MAX_TEXT = 20_000
MAX_SAMPLE = 200


def _require(condition: bool, message: str, field: str | None = None) -> None:
    if not condition:
        raise DomainError(message, field=field)


def _permit(condition: bool) -> None:
    if not condition:
        raise NotPermittedError(_("You cannot do this."))


# --- forms -------------------------------------------------------------------------------------


@transaction.atomic
def form_for(authority: Agency, theme: str = Theme.GENERAL, actor: User | None = None) -> AuditForm:
    """The latest version of the standard form (with the theme's question added for a themed
    programme), made as version 1 the first time it is asked for."""
    key = STANDARD_KEY if theme == Theme.GENERAL else f"{STANDARD_KEY}-{theme.lower()}"
    existing = AuditForm.objects.filter(authority=authority, key=key).order_by("-version").first()
    if existing is not None:
        return existing
    title, title_cy = STANDARD_TITLE
    if theme != Theme.GENERAL:
        title = f"{title}: {Theme(theme).label}"
    form = AuditForm.objects.create(
        authority=authority, key=key, version=1, title=title, title_cy=title_cy, created_by=actor
    )
    extra = THEME_QUESTIONS.get(theme)
    for number, spec in enumerate(SECTIONS, start=1):
        section = FormSection.objects.create(
            form=form,
            number=number,
            key=spec["key"],
            title=spec["title"][0],
            title_cy=spec["title"][1],
            descriptors=spec["descriptors"],
            facts=spec["facts"],
        )
        questions = list(spec["questions"])
        if extra is not None and extra[0] == spec["key"]:
            questions.append(extra[1])
        for q_number, (text, text_cy) in enumerate(questions, start=1):
            FormQuestion.objects.create(
                section=section, number=q_number, text=text, text_cy=text_cy
            )
    return form


# --- programmes --------------------------------------------------------------------------------


def _check_members(actor: User, users: Iterable[User]) -> list[User]:
    found = list(users)
    for user in found:
        _require(
            user.agency_id == actor.agency_id and user.is_active and may_audit(user),
            _("Auditors and moderators must be active auditors or managers of your authority."),
            "auditors",
        )
    return found


@transaction.atomic
def create_programme(
    *,
    actor: User,
    kind: str,
    title: str,
    period_start: datetime.date,
    period_end: datetime.date,
    auditors: Iterable[User],
    moderators: Iterable[User] = (),
    strata: Iterable[tuple[Team, str, int]] = (),
    theme: str = Theme.GENERAL,
    moderation_percent: int = 25,
    due_on: datetime.date | None = None,
) -> Programme:
    _permit(is_quality_lead(actor))
    assert actor.agency is not None
    _require(kind in ProgrammeKind.values, _("Choose the kind of audit."), "kind")
    _require(theme in Theme.values, _("Choose the theme."), "theme")
    _require(bool(title.strip()), _("Enter a title."), "title")
    _require(period_start <= period_end, _("The period must end after it starts."), "period_end")
    _require(
        0 <= moderation_percent <= 100, _("Enter a share between 0 and 100."), "moderation_percent"
    )
    audit_users = _check_members(actor, auditors)
    _require(bool(audit_users), _("Name at least one auditor."), "auditors")
    moderator_users = _check_members(actor, moderators)
    programme = Programme.objects.create(
        authority=actor.agency,
        kind=kind,
        theme=theme,
        title=title.strip()[:200],
        period_start=period_start,
        period_end=period_end,
        form=form_for(actor.agency, theme, actor),
        moderation_percent=moderation_percent,
        due_on=due_on,
        created_by=actor,
    )
    for user in audit_users:
        ProgrammeMember.objects.create(programme=programme, user=user, role=MemberRole.AUDITOR)
    for user in moderator_users:
        ProgrammeMember.objects.create(programme=programme, user=user, role=MemberRole.MODERATOR)
    set_strata(actor=actor, programme=programme, strata=strata)
    return programme


@transaction.atomic
def set_strata(
    *, actor: User, programme: Programme, strata: Iterable[tuple[Team, str, int]]
) -> None:
    """Replace the sample rule (only before the sample is drawn)."""
    _permit(is_quality_lead(actor) and programme.authority_id == actor.agency_id)
    _require(programme.status == ProgrammeStatus.DRAFT, _("The sample has been drawn already."))
    rows = list(strata)
    total = 0
    for team, stage, size in rows:
        _require(
            team.agency_id == programme.authority_id, _("Choose teams of your authority."), "strata"
        )
        _require(stage in Stage.values, _("Choose a stage."), "strata")
        _require(0 <= size <= MAX_SAMPLE, _("Enter a size of at most 200."), "strata")
        total += size
    _require(total <= MAX_SAMPLE, _("A sample can hold at most 200 files."), "strata")
    programme.strata.all().delete()
    for team, stage, size in rows:
        if size:
            Stratum.objects.create(programme=programme, team=team, stage=stage, size=size)


def _auditor_ids(programme: Programme) -> list[int]:
    return sorted(
        programme.members.filter(role=MemberRole.AUDITOR).values_list("user_id", flat=True)
    )


@transaction.atomic
def draw_sample(*, actor: User, programme: Programme, seed: int | None = None) -> list[Audit]:
    """Draw the stratified random sample with ``seed`` (a new random seed when none is given),
    record the seed, the population of each stratum and each skip, and assign auditors."""
    _permit(is_quality_lead(actor) and programme.authority_id == actor.agency_id)
    programme = Programme.objects.select_for_update().get(pk=programme.pk)
    _require(programme.status == ProgrammeStatus.DRAFT, _("The sample has been drawn already."))
    strata = list(programme.strata.select_related("team"))
    _require(bool(strata), _("Set the sample rule first."), "strata")
    if seed is None:
        seed = secrets.randbits(48)
    _require(0 <= seed < 2**62, _("Enter a seed between 0 and 2⁶²."), "seed")
    auditors = _auditor_ids(programme)
    load: dict[int, int] = dict.fromkeys(auditors, 0)
    drawn: set[int] = set(programme.audits.values_list("person_id", flat=True))
    log: list[dict[str, object]] = []
    made: list[Audit] = []
    populations: dict[str, dict[int, list[sampling.Candidate]]] = {}
    order = {s: i for i, s in enumerate(sampling.STAGE_ORDER)}
    for stratum in sorted(strata, key=lambda s: (order[Stage(s.stage)], s.team_id)):
        if stratum.stage not in populations:
            populations[stratum.stage] = sampling.population(
                programme.authority_id, stratum.stage, programme.period_start, programme.period_end
            )
        candidates = populations[stratum.stage].get(stratum.team_id, [])
        stratum.population = len(candidates)
        stratum.save(update_fields=["population"])
        rank = 0
        for candidate in sampling.shuffled(seed, stratum.team_id, stratum.stage, candidates):
            if rank >= stratum.size:
                break
            if candidate.person_id in drawn:
                continue
            conflicted = sampling.conflicted_users(candidate.person_id, programme.authority_id)
            auditor = sampling.pick_auditor(auditors, load, conflicted)
            if auditor is None:
                log.append(
                    {"person": candidate.person_id, "stratum": stratum.pk, "skip": "conflict"}
                )
                continue
            rank += 1
            load[auditor] += 1
            drawn.add(candidate.person_id)
            made.append(
                Audit.objects.create(
                    programme=programme,
                    person_id=candidate.person_id,
                    case=candidate.case,
                    team_id=candidate.team_id,
                    stage=stratum.stage,
                    stratum=stratum,
                    draw_rank=rank,
                    worker_id=candidate.worker_id,
                    auditor_id=auditor,
                )
            )
        if rank < stratum.size:
            log.append({"stratum": stratum.pk, "short": stratum.size - rank})
    programme.seed = seed
    programme.drawn_at = timezone.now()
    programme.drawn_by = actor
    programme.draw_log = log
    programme.status = ProgrammeStatus.SAMPLED
    programme.version += 1
    programme.save()
    for audit in made:
        _tell_auditor(audit)
    return made


def _tell_auditor(audit: Audit) -> None:
    if audit.auditor_id is None:
        return
    enqueue(
        kind="audit.assigned",
        dedupe_key=f"audit.assigned:{audit.pk}:{audit.auditor_id}",
        subject=_("A case file has been given to you to audit"),
        link=f"/audits/{audit.pk}/",
        user=audit.auditor,
    )


@transaction.atomic
def add_to_sample(
    *,
    actor: User,
    programme: Programme,
    person: Person,
    reason: str,
    auditor: User | None = None,
) -> Audit:
    """Add a child's file by hand, with the reason; the auditor must be free of conflict."""
    _permit(is_quality_lead(actor) and programme.authority_id == actor.agency_id)
    _require(programme.status != ProgrammeStatus.COMPLETE, _("The programme is complete."))
    _require(
        person.authority_id == programme.authority_id,
        _("Choose a child of your authority."),
        "person",
    )
    _require(bool(reason.strip()), _("Say why this file is added."), "reason")
    _require(
        not programme.audits.filter(person=person).exists(),
        _("This child's file is in the sample already."),
        "person",
    )
    stage = _stage_of(person.pk, programme)
    case = sampling.case_at(person.pk, programme.period_end)
    if case is not None:
        team_id, worker_id = int(case.team_id), sampling.worker_at(case, programme.period_end)
    else:
        held = sampling.stage_holder(person.pk, stage, programme.period_start, programme.period_end)
        _require(held is not None, _("This child has no case with a team to audit."), "person")
        assert held is not None
        team_id, worker_id = held
    conflicted = sampling.conflicted_users(person.pk, programme.authority_id)
    auditors = _auditor_ids(programme)
    if auditor is not None:
        _require(auditor.pk in auditors, _("Choose one of the programme's auditors."), "auditor")
        _require(auditor.pk not in conflicted, _conflict_message(), "auditor")
        auditor_id: int | None = auditor.pk
    else:
        load = _loads(programme)
        auditor_id = sampling.pick_auditor(auditors, load, conflicted)
        _require(
            auditor_id is not None,
            _("No auditor of this programme is free of conflict."),
            "auditor",
        )
    audit = Audit.objects.create(
        programme=programme,
        person=person,
        case=case,
        team_id=team_id,
        stage=stage,
        added_reason=reason.strip()[:MAX_TEXT],
        added_by=actor,
        worker_id=worker_id,
        auditor_id=auditor_id,
    )
    _tell_auditor(audit)
    return audit


def _conflict_message() -> str:
    return _(
        "This auditor worked on the child's file or manages its worker: choose another auditor."
    )


def _loads(programme: Programme) -> dict[int, int]:
    load: dict[int, int] = {}
    for auditor_id in programme.audits.values_list("auditor_id", flat=True):
        if auditor_id is not None:
            load[int(auditor_id)] = load.get(int(auditor_id), 0) + 1
    return load


def _stage_of(person_id: int, programme: Programme) -> str:
    for stage in sampling.STAGE_ORDER:
        if person_id in sampling.stage_people(
            programme.authority_id, stage, programme.period_start, programme.period_end
        ):
            return str(stage)
    return str(Stage.CLOSED if programme.kind == ProgrammeKind.CLOSURE else Stage.OPEN)


@transaction.atomic
def assign_auditor(*, actor: User, audit: Audit, auditor: User) -> Audit:
    _permit(is_quality_lead(actor) and audit.programme.authority_id == actor.agency_id)
    _require(
        audit.status in (AuditStatus.ASSIGNED, AuditStatus.IN_PROGRESS),
        _("This audit has been submitted."),
    )
    _require(
        auditor.pk in _auditor_ids(audit.programme),
        _("Choose one of the programme's auditors."),
        "auditor",
    )
    _require(
        auditor.pk not in sampling.conflicted_users(audit.person_id, audit.programme.authority_id),
        _conflict_message(),
        "auditor",
    )
    Audit.objects.filter(pk=audit.pk).update(auditor=auditor, version=audit.version + 1)
    audit.auditor = auditor
    audit.version += 1
    _tell_auditor(audit)
    return audit


# --- auditing ----------------------------------------------------------------------------------


def _check_grade(value: str, field: str) -> None:
    _require(value in Grade.values, _("Choose a grade."), field)


@transaction.atomic
def save_audit(
    *,
    actor: User,
    audit: Audit,
    grades: Mapping[int, tuple[str, str]],
    answers: Mapping[int, str],
    overall_grade: str = "",
    overall_reason: str = "",
    summary: str = "",
    submit: bool = False,
) -> Audit:
    """Save the auditor's grades (section id → (grade, commentary)) and answers; with
    ``submit`` every section and the overall grade (with its reason) must be given."""
    _permit(audit.auditor_id == actor.pk)
    audit = Audit.objects.select_for_update().get(pk=audit.pk)
    _require(
        audit.status in (AuditStatus.ASSIGNED, AuditStatus.IN_PROGRESS),
        _("This audit has been submitted."),
    )
    sections = {s.pk: s for s in audit.programme.form.sections.all()}
    questions = set(
        FormQuestion.objects.filter(section__form_id=audit.programme.form_id).values_list(
            "pk", flat=True
        )
    )
    for section_id, (grade, commentary) in grades.items():
        _require(section_id in sections, _("Unknown section."))
        if not grade:
            SectionGrade.objects.filter(audit=audit, section_id=section_id).delete()
            continue
        _check_grade(grade, f"grade_{section_id}")
        SectionGrade.objects.update_or_create(
            audit=audit,
            section_id=section_id,
            defaults={"grade": grade, "commentary": commentary.strip()[:MAX_TEXT]},
        )
    for question_id, text in answers.items():
        _require(question_id in questions, _("Unknown question."))
        Answer.objects.update_or_create(
            audit=audit, question_id=question_id, defaults={"text": text.strip()[:MAX_TEXT]}
        )
    if overall_grade:
        _check_grade(overall_grade, "overall_grade")
    audit.overall_grade = overall_grade
    audit.overall_reason = overall_reason.strip()[:MAX_TEXT]
    audit.summary = summary.strip()[:MAX_TEXT]
    audit.status = AuditStatus.IN_PROGRESS
    if submit:
        graded = set(audit.grades.values_list("section_id", flat=True))
        for section_id in sections:
            _require(section_id in graded, _("Grade every section."), f"grade_{section_id}")
        _require(bool(audit.overall_grade), _("Choose the overall grade."), "overall_grade")
        _require(
            bool(audit.overall_reason),
            _("Give the reason for the overall grade."),
            "overall_reason",
        )
        audit.status = AuditStatus.SUBMITTED
        audit.submitted_at = timezone.now()
        if audit.worker_id is not None:
            enqueue(
                kind="audit.findings",
                dedupe_key=f"audit.findings:{audit.pk}",
                subject=_("An audit of a child's file you hold is ready for you to read"),
                link=f"/audits/{audit.pk}/",
                user=audit.worker,
            )
    audit.version += 1
    audit.save()
    return audit


@transaction.atomic
def record_family_feedback(
    *, actor: User, audit: Audit, asked: bool, feedback: str, given_by: str
) -> Audit:
    """The auditor records whether the family was asked and what they said."""
    _permit(audit.auditor_id == actor.pk)
    audit = Audit.objects.select_for_update().get(pk=audit.pk)
    _require(audit.status != AuditStatus.MODERATED, _("This audit is closed."))
    _require(
        not asked or bool(feedback.strip()), _("Record what the family said."), "family_feedback"
    )
    _require(
        not asked or bool(given_by.strip()), _("Say who gave the feedback."), "family_feedback_from"
    )
    audit.family_asked = asked
    audit.family_feedback = feedback.strip()[:MAX_TEXT] if asked else ""
    audit.family_feedback_from = given_by.strip()[:200] if asked else ""
    audit.version += 1
    audit.save(update_fields=["family_asked", "family_feedback", "family_feedback_from", "version"])
    return audit


@transaction.atomic
def respond_to_findings(*, actor: User, audit: Audit, response: str) -> Audit:
    """The worker whose file it is responds to the findings (once submitted)."""
    _permit(audit.worker_id == actor.pk)
    audit = Audit.objects.select_for_update().get(pk=audit.pk)
    _require(
        audit.status in (AuditStatus.SUBMITTED, AuditStatus.IN_MODERATION, AuditStatus.MODERATED),
        _("The findings are not ready yet."),
    )
    _require(bool(response.strip()), _("Enter your response."), "response")
    audit.worker_response = response.strip()[:MAX_TEXT]
    audit.worker_responded_at = timezone.now()
    audit.version += 1
    audit.save(update_fields=["worker_response", "worker_responded_at", "version"])
    return audit


# --- moderation --------------------------------------------------------------------------------


def _moderators(programme: Programme) -> list[int]:
    return sorted(
        programme.members.filter(role=MemberRole.MODERATOR).values_list("user_id", flat=True)
    )


@transaction.atomic
def select_for_moderation(*, actor: User, programme: Programme) -> list[Moderation]:
    """Send the programme's share of submitted audits to moderators: chosen at random with the
    programme's seed (reproducible), each to a moderator who is not its auditor and has no
    conflict with the child, spread evenly."""
    _permit(is_quality_lead(actor) and programme.authority_id == actor.agency_id)
    moderators = _moderators(programme)
    _require(bool(moderators), _("Name at least one moderator."), "moderators")
    submitted = list(
        programme.audits.filter(status=AuditStatus.SUBMITTED, moderation__isnull=True).order_by(
            "pk"
        )
    )
    _require(bool(submitted), _("No submitted audits are waiting for moderation."))
    already = programme.audits.filter(moderation__isnull=False).count()
    total = programme.audits.exclude(
        status__in=[AuditStatus.ASSIGNED, AuditStatus.IN_PROGRESS]
    ).count()
    share = -(-total * programme.moderation_percent // 100)  # rounded up
    wanted = (max(1, share) if programme.moderation_percent else 0) - already
    rng = random.Random(f"{programme.seed or 0}|moderation|{already}")  # noqa: S311 - a sample
    chosen = rng.sample(submitted, min(max(wanted, 0), len(submitted)))
    load: dict[int, int] = {}
    for moderator_id in Moderation.objects.filter(audit__programme=programme).values_list(
        "moderator_id", flat=True
    ):
        load[moderator_id] = load.get(moderator_id, 0) + 1
    made: list[Moderation] = []
    for audit in sorted(chosen, key=lambda a: a.pk):
        conflicted = sampling.conflicted_users(audit.person_id, programme.authority_id)
        conflicted.add(int(audit.auditor_id or 0))
        moderator = sampling.pick_auditor(moderators, load, conflicted)
        if moderator is None:
            continue
        load[moderator] = load.get(moderator, 0) + 1
        made.append(Moderation.objects.create(audit=audit, moderator_id=moderator))
        audit.status = AuditStatus.IN_MODERATION
        audit.version += 1
        audit.save(update_fields=["status", "version"])
        enqueue(
            kind="audit.moderate",
            dedupe_key=f"audit.moderate:{audit.pk}",
            subject=_("An audit has been sent to you to moderate"),
            link=f"/audits/{audit.pk}/moderate/",
            user=made[-1].moderator,
        )
    if programme.status == ProgrammeStatus.SAMPLED:
        programme.status = ProgrammeStatus.MODERATION
        programme.version += 1
        programme.save(update_fields=["status", "version"])
    return made


@transaction.atomic
def moderate(
    *,
    actor: User,
    audit: Audit,
    grades: Mapping[int | None, tuple[str, str]],
    note: str = "",
) -> Moderation:
    """The moderator confirms or changes each grade (section id, or None for the overall grade);
    a changed grade needs a reason. The auditor's grades are kept unchanged beside."""
    moderation = Moderation.objects.select_for_update().filter(audit=audit).first()
    _permit(moderation is not None and moderation.moderator_id == actor.pk)
    assert moderation is not None
    _require(moderation.completed_at is None, _("This moderation is complete."))
    auditor_grades: dict[int | None, str] = {g.section_id: g.grade for g in audit.grades.all()}
    auditor_grades[None] = audit.overall_grade
    for key in auditor_grades:
        field = f"mod_{key}" if key is not None else "mod_overall"
        _require(key in grades, _("Confirm or change every grade."), field)
    for key, (grade, reason) in grades.items():
        _require(key in auditor_grades, _("Unknown section."))
        field = f"mod_{key}" if key is not None else "mod_overall"
        _check_grade(grade, field)
        changed = grade != auditor_grades[key]
        _require(
            not changed or bool(reason.strip()),
            _("Give the reason for changing this grade."),
            f"{field}_reason",
        )
    for key, (grade, reason) in grades.items():
        ModeratedGrade.objects.create(
            moderation=moderation,
            section_id=key,
            auditor_grade=auditor_grades[key],
            grade=grade,
            reason=reason.strip()[:MAX_TEXT],
        )
    moderation.completed_at = timezone.now()
    moderation.note = note.strip()[:MAX_TEXT]
    moderation.save()
    audit.status = AuditStatus.MODERATED
    audit.version += 1
    audit.save(update_fields=["status", "version"])
    return moderation


@transaction.atomic
def complete_programme(*, actor: User, programme: Programme, summary: str) -> Programme:
    _permit(is_quality_lead(actor) and programme.authority_id == actor.agency_id)
    programme = Programme.objects.select_for_update().get(pk=programme.pk)
    open_audits = programme.audits.filter(
        status__in=[AuditStatus.ASSIGNED, AuditStatus.IN_PROGRESS, AuditStatus.IN_MODERATION]
    ).exists()
    _require(not open_audits, _("Some audits are not submitted or moderated yet."))
    _require(bool(summary.strip()), _("Enter the programme's summary for the board."), "summary")
    programme.summary = summary.strip()[:MAX_TEXT]
    programme.status = ProgrammeStatus.COMPLETE
    programme.version += 1
    programme.save()
    return programme


# --- actions and evidence ----------------------------------------------------------------------


@transaction.atomic
def raise_action(
    *,
    actor: User,
    audit: Audit,
    description: str,
    owner: User,
    due_on: datetime.date,
    for_team: bool = False,
) -> AuditAction:
    """The auditor, a moderator or the quality lead raises an action for the worker or the team."""
    _permit(
        audit.auditor_id == actor.pk
        or is_moderator_of(actor, audit.programme)
        or (is_quality_lead(actor) and audit.programme.authority_id == actor.agency_id)
    )
    _require(bool(description.strip()), _("Describe the action."), "description")
    _require(
        owner.agency_id == audit.programme.authority_id and owner.is_active,
        _("Choose an owner from your authority."),
        "owner",
    )
    _require(due_on >= timezone.localdate(), _("The due date must be today or later."), "due_on")
    action = AuditAction.objects.create(
        audit=audit,
        description=description.strip()[:500],
        owner=owner,
        due_on=due_on,
        for_team=for_team,
        raised_by=actor,
    )
    enqueue(
        kind="audit.action",
        dedupe_key=f"audit.action:{action.pk}",
        subject=_("An audit has raised an action for you"),
        link="/my-work/",
        user=owner,
    )
    return action


@transaction.atomic
def mark_action_done(*, actor: User, action: AuditAction, note: str) -> AuditAction:
    """The owner (or a manager above them, or the quality lead) marks the action done."""
    _permit(
        action.owner_id == actor.pk
        or action.owner_id in reports_below(actor)
        or (is_quality_lead(actor) and action.audit.programme.authority_id == actor.agency_id)
    )
    _require(action.done_at is None, _("This action is done already."))
    _require(bool(note.strip()), _("Say what was done."), "note")
    action.done_at = timezone.now()
    action.done_note = note.strip()[:500]
    action.save(update_fields=["done_at", "done_note"])
    return action


@transaction.atomic
def link_evidence(
    *,
    actor: User,
    improvement_action: ImprovementAction,
    audit: Audit | None = None,
    audit_action: AuditAction | None = None,
    note: str = "",
) -> EvidenceLink:
    """Cite an audit or an audit action as evidence for an improvement plan action.

    The link is kept here; the plan shows it through its own evidence list, written by the
    improvement plan's own service (so only who may change that action may link to it). The
    evidence names the programme and the audit's number, never the child.
    """
    from diogelu.measures import planning
    from diogelu.measures.models import EvidenceKind

    _require(audit is not None or audit_action is not None, _("Choose an audit or an action."))
    target = audit if audit is not None else audit_action.audit  # type: ignore[union-attr]
    _permit(
        visible_audits(actor).filter(pk=target.pk).exists()
        and planning.may_change_action(actor, improvement_action)
    )
    if audit_action is not None:
        title = _("Audit action %(n)s (%(programme)s): %(what)s") % {
            "n": audit_action.pk,
            "programme": target.programme.title,
            "what": audit_action.description,
        }
    else:
        title = _("Case-file audit %(n)s (%(programme)s): overall %(grade)s") % {
            "n": target.pk,
            "programme": target.programme.title,
            "grade": target.get_overall_grade_display() or "—",
        }
    planning.add_evidence(
        actor=actor,
        action=improvement_action,
        kind=EvidenceKind.AUDIT,
        title=title[:300],
        detail="\n".join(x for x in [note.strip(), f"/audits/{target.pk}/"] if x),
    )
    return EvidenceLink.objects.create(
        improvement_action=improvement_action,
        audit=audit,
        audit_action=audit_action,
        note=note.strip()[:500],
        linked_by=actor,
    )
