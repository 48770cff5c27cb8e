"""Demo: one completed monthly case-file audit programme of 32 files (as CIW read in Wrexham),
drawn by stratified random sample, graded, moderated, with the workers' responses, the family's
feedback, actions, and one action cited as evidence on the improvement plan.

Everything goes through the audit services, at the dates it would have happened (the clock is
moved as the oversight demo does). Idempotent: nothing is made when the authority has a
programme already. Only synthetic people.
"""

from __future__ import annotations

import datetime
import random
from typing import Any

from django.utils import timezone

from diogelu.accounts.models import Agency, User
from diogelu.audit import sampling, services
from diogelu.audit.models import (
    Audit,
    Grade,
    Programme,
    ProgrammeKind,
    Stage,
    Theme,
)
from diogelu.core.exceptions import DomainError
from diogelu.procedures import LONDON

SEED = 20261
SAMPLE = 32
LEAD = "head.of.service"
AUDITORS = ["auditor", "ov.manager2", "ov.manager3", "ov.manager4", "team.manager", "mash.manager"]
MODERATORS = ["chair.manager"]

#: How each section tends to go in Glanrafon (weights for outstanding, good, RI, inadequate):
#: the child's voice and the plan recur as weaker, as the inspectors found.
TENDENCY = {
    "voice": (1, 4, 6, 2),
    "risk": (1, 7, 4, 1),
    "plan": (0, 4, 7, 2),
    "multi_agency": (1, 8, 3, 1),
    "oversight": (1, 6, 5, 1),
    "timeliness": (2, 7, 3, 1),
    "recording": (1, 7, 4, 1),
    "impact": (1, 6, 5, 1),
}
GRADES = [Grade.OUTSTANDING, Grade.GOOD, Grade.REQUIRES_IMPROVEMENT, Grade.INADEQUATE]
COMMENT = {
    Grade.OUTSTANDING: "Consistently strong: the record shows it, not only says it.",
    Grade.GOOD: "Sound practice, clearly recorded.",
    Grade.REQUIRES_IMPROVEMENT: "Present but thin; the analysis does not follow through.",
    Grade.INADEQUATE: "Missing from the record for most of the period.",
}
SUMMARIES = [
    "Regular visits and a clear analysis of risk; the plan's outcomes need dates and measures.",
    "The child is seen, but rarely alone; their words are not used in the plan.",
    "Good multi-agency work; supervision actions were not followed up.",
    "Timely steps throughout; recording fell behind after the change of worker.",
    "A well-understood plan with a real contingency; the family felt listened to.",
]
ACTIONS = [
    "See the child alone at the next visit and record their words",
    "Rewrite the plan's outcomes as SMART outcomes with dates",
    "Follow up the supervision actions left open",
    "Bring the case recording up to date",
]


def _at(day: datetime.date, hour: int = 10) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=LONDON)


def _pick(rng: random.Random, key: str) -> str:
    return str(rng.choices(GRADES, weights=TENDENCY.get(key, (1, 6, 4, 1)))[0])


def _strata(authority: Agency, start: datetime.date, end: datetime.date) -> list[Any]:
    """Sizes per team × stage: the specific stages first (a few each), then files open to each
    team to make the sample up to 32."""
    from diogelu.accounts.models import Team

    sizes: dict[tuple[int, str], int] = {}
    per_stage = {Stage.MASH_DECISION: 2, Stage.S47: 1, Stage.REGISTER: 2, Stage.CLOSED: 2}
    for stage, cap in per_stage.items():
        for team_id, rows in sampling.population(authority.pk, stage, start, end).items():
            sizes[(team_id, stage)] = min(cap, len(rows))
    open_teams = sampling.population(authority.pk, Stage.OPEN, start, end)
    left = SAMPLE - sum(sizes.values())
    teams = sorted(open_teams)
    i = 0
    while left > 0 and teams:
        team_id = teams[i % len(teams)]
        if sizes.get((team_id, Stage.OPEN), 0) < len(open_teams[team_id]):
            sizes[(team_id, Stage.OPEN)] = sizes.get((team_id, Stage.OPEN), 0) + 1
            left -= 1
        i += 1
        if i > 10 * SAMPLE:
            break
    by_pk = {t.pk: t for t in Team.objects.filter(pk__in={k[0] for k in sizes})}
    return [(by_pk[t], stage, n) for (t, stage), n in sorted(sizes.items()) if n]


def load_audit_case(authority: Agency, users: dict[str, User]) -> list[str]:
    if Programme.objects.filter(authority=authority).exists():
        return []
    lead = users.get(LEAD)
    staff = {u.username: u for u in User.objects.filter(username__in=AUDITORS + MODERATORS)}
    auditors = [staff[u] for u in AUDITORS if u in staff and staff[u].is_active]
    moderators = [staff[u] for u in MODERATORS if u in staff and staff[u].is_active]
    if lead is None or not auditors or not moderators:
        return []
    from time_machine import travel

    rng = random.Random(SEED)
    today = timezone.localdate()
    end = today.replace(day=1) - datetime.timedelta(days=1)
    start = end.replace(day=1)
    began = today - datetime.timedelta(days=20)
    with travel(_at(began, 9), tick=False) as clock:
        programme = services.create_programme(
            actor=lead,
            kind=ProgrammeKind.MONTHLY,
            theme=Theme.GENERAL,
            title=f"Monthly case-file audit: {end:%B %Y}",
            period_start=start,
            period_end=end,
            due_on=began + datetime.timedelta(days=14),
            auditors=auditors,
            moderators=moderators,
            strata=_strata(authority, start, end),
            moderation_percent=25,
        )
        audits = services.draw_sample(actor=lead, programme=programme, seed=SEED)
        audits += _make_up(rng, programme, lead, SAMPLE - len(audits))
        clock.move_to(_at(began + datetime.timedelta(days=7), 14))
        sections = list(programme.form.sections.prefetch_related("questions"))
        for n, audit in enumerate(audits):
            _grade(rng, audit, sections, n)
        clock.move_to(_at(began + datetime.timedelta(days=10), 10))
        chosen = services.select_for_moderation(actor=lead, programme=programme)
        changed = 0
        for m, moderation in enumerate(chosen):
            changed += _moderate(rng, moderation.audit, sections, m)
        clock.move_to(_at(began + datetime.timedelta(days=12), 11))
        actions = _respond_and_act(rng, audits, users)
        _evidence(users, actions)
        clock.move_to(_at(began + datetime.timedelta(days=15), 16))
        services.complete_programme(
            actor=lead,
            programme=programme,
            summary=(
                "32 files read across the four locality and court teams. Practice is safe in "
                "most files; the child's voice and the quality of plans recur as the weakest "
                "sections, as the inspectors found. Moderation changed a small share of grades, "
                "mostly where auditors were generous on the plan."
            ),
        )
    return [
        f"Case-file audit: '{programme.title}', {len(audits)} files (seed {SEED}), "
        f"{len(chosen)} moderated ({changed} grades changed), {len(actions)} actions"
    ]


def _make_up(rng: random.Random, programme: Programme, lead: User, missing: int) -> list[Audit]:
    """Add files by hand (with the reason) where a stratum came up short."""
    from diogelu.people.models import Person

    drawn = set(programme.audits.values_list("person_id", flat=True))

    # Files open to a team first; if those run short (the demo's dates move with the day it is
    # loaded, so a case can fall either side of the month's edge), any file of the period.
    def people(stage: str) -> set[int]:
        return {
            c.person_id
            for rows in sampling.population(
                programme.authority_id, stage, programme.period_start, programme.period_end
            ).values()
            for c in rows
        }

    made: list[Audit] = []
    tried: set[int] = set(drawn)

    def add(candidates: set[int]) -> None:
        pool = sorted(candidates - tried)
        for person_id in rng.sample(pool, len(pool)):
            if len(made) >= missing:
                return
            tried.add(person_id)
            try:
                made.append(
                    services.add_to_sample(
                        actor=lead,
                        programme=programme,
                        person=Person.objects.get(pk=person_id),
                        reason="A stratum had fewer files than asked for: added to make up the 32.",
                    )
                )
            except DomainError:
                continue

    add(people(Stage.OPEN))
    for stage in (Stage.REGISTER, Stage.S47, Stage.MASH_DECISION, Stage.CLOSED):
        if len(made) >= missing:
            break
        add(people(stage))
    return made


def _grade(rng: random.Random, audit: Audit, sections: list[Any], n: int) -> None:
    assert audit.auditor is not None
    grades = {s.pk: (_pick(rng, s.key), "") for s in sections}
    grades = {pk: (g, COMMENT[Grade(g)]) for pk, (g, _c) in grades.items()}
    scores = sorted(grades.values(), key=lambda x: GRADES.index(Grade(x[0])))
    overall = scores[len(scores) // 2][0]
    services.save_audit(
        actor=audit.auditor,
        audit=audit,
        grades=grades,
        answers={
            q.pk: "See the facts beside and the commentary."
            for s in sections
            for q in s.questions.all()
        },
        overall_grade=overall,
        overall_reason="The overall grade follows the sections, weighted to the child's safety.",
        summary=SUMMARIES[n % len(SUMMARIES)],
        submit=True,
    )
    if n % 4 == 0:
        services.record_family_feedback(
            actor=audit.auditor,
            audit=audit,
            asked=True,
            feedback="The social worker explains things and comes when she says she will.",
            given_by="Parent",
        )


def _moderate(rng: random.Random, audit: Audit, sections: list[Any], m: int) -> int:
    moderation = audit.moderation
    own = {g.section_id: g.grade for g in audit.grades.all()}
    grades: dict[int | None, tuple[str, str]] = {pk: (g, "") for pk, g in own.items()}
    grades[None] = (audit.overall_grade, "")
    changed = 0
    if m % 2 == 0:
        plan = next(s for s in sections if s.key == "plan")
        before = own[plan.pk]
        after = GRADES[min(GRADES.index(Grade(before)) + 1, len(GRADES) - 1)]
        if after != before:
            grades[plan.pk] = (
                str(after),
                "The outcomes have no dates or measures: this is not yet good.",
            )
            changed += 1
    services.moderate(
        actor=moderation.moderator,
        audit=audit,
        grades=grades,
        note="Moderated against the descriptors with the file open.",
    )
    return changed


def _respond_and_act(rng: random.Random, audits: list[Audit], users: dict[str, User]) -> list[Any]:
    actions = []
    for n, audit in enumerate(audits):
        audit.refresh_from_db()
        if audit.worker is None or not audit.worker.is_active:
            continue
        if n % 3 == 0:
            services.respond_to_findings(
                actor=audit.worker,
                audit=audit,
                response="I agree with the findings and have started on the action.",
            )
        if n % 3 == 1:
            assert audit.auditor is not None
            action = services.raise_action(
                actor=audit.auditor,
                audit=audit,
                description=ACTIONS[n % len(ACTIONS)],
                owner=audit.worker,
                due_on=timezone.localdate() + datetime.timedelta(days=7 + n % 14),
            )
            actions.append(action)
            if n % 2 == 0:
                services.mark_action_done(
                    actor=audit.worker, action=action, note="Done and recorded on the file."
                )
    return actions


def _evidence(users: dict[str, User], actions: list[Any]) -> None:
    from diogelu.measures.models import ImprovementAction

    owner = users.get("auditor")
    target = ImprovementAction.objects.filter(
        description__startswith="Quarterly audit of plans"
    ).first()
    plan_actions = [a for a in actions if "SMART" in a.description]
    if owner is None or target is None or not plan_actions:
        return
    services.link_evidence(
        actor=owner,
        improvement_action=target,
        audit_action=plan_actions[0],
        note="From the monthly case-file audit: plans graded below good get a SMART rewrite.",
    )
