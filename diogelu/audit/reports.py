"""The programme's report for the quality assurance board: grades by section and overall, by team,
the themes that recur, moderation (how often grades change, by section and by auditor), the
spread of grades between auditors, and the auditors' summaries.

A file's grade is the moderated grade where the audit was moderated, else the auditor's; only
submitted (or moderated) audits count. The report names no child: files are "audit N".
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from statistics import mean
from typing import Any

from diogelu.audit.models import (
    GRADE_ORDER,
    GRADE_SCORE,
    Audit,
    AuditStatus,
    FormSection,
    Grade,
    ModeratedGrade,
    Programme,
    SectionGrade,
)

DONE = [AuditStatus.SUBMITTED, AuditStatus.IN_MODERATION, AuditStatus.MODERATED]
#: A section recurs as a theme when at least this share of files is below "good" in it.
RECURRING_SHARE = 1 / 3


@dataclass
class Distribution:
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(GRADE_ORDER, 0))

    def add(self, grade: str) -> None:
        if grade in self.counts:
            self.counts[grade] += 1

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def below_good(self) -> int:
        return self.counts[Grade.REQUIRES_IMPROVEMENT] + self.counts[Grade.INADEQUATE]

    @property
    def good_or_better_percent(self) -> int | None:
        return round(100 * (self.total - self.below_good) / self.total) if self.total else None

    @property
    def mean_score(self) -> float | None:
        scores = [GRADE_SCORE[Grade(g)] for g, n in self.counts.items() for _ in range(n)]
        return round(mean(scores), 2) if scores else None

    def cells(self) -> list[tuple[str, int]]:
        return [(g, self.counts[g]) for g in GRADE_ORDER]


@dataclass
class Rate:
    moderated: int = 0
    changed: int = 0

    @property
    def percent(self) -> int | None:
        return round(100 * self.changed / self.moderated) if self.moderated else None


@dataclass
class AuditorRow:
    name: str
    files: int
    overall: Distribution
    mean_score: float | None
    moderation: Rate


@dataclass
class Report:
    programme: Programme
    sections: list[FormSection]
    files: int
    by_section: list[tuple[FormSection, Distribution]]
    overall: Distribution
    by_team: list[tuple[Any, Distribution]]
    recurring: list[tuple[FormSection, Distribution]]
    moderation_by_section: list[tuple[str, Rate]]
    moderation_overall: Rate
    moderation_by_auditor: list[tuple[str, Rate]]
    auditors: list[AuditorRow]
    spread: float | None
    spread_by_section: list[tuple[FormSection, float | None]]
    summaries: list[tuple[int, str, Any, str]]
    changes: list[dict[str, Any]]
    actions: int
    actions_done: int


def _name(user: Any) -> str:
    return str(user.get_full_name() or user.username) if user is not None else "—"


def build(programme: Programme) -> Report:
    sections = list(programme.form.sections.all())
    audits = list(
        Audit.objects.filter(programme=programme, status__in=DONE)
        .select_related("team", "auditor")
        .order_by("pk")
    )
    ids = [a.pk for a in audits]
    auditor_grades: dict[int, dict[int | None, str]] = defaultdict(dict)
    for g in SectionGrade.objects.filter(audit_id__in=ids):
        auditor_grades[g.audit_id][g.section_id] = g.grade
    for a in audits:
        auditor_grades[a.pk][None] = a.overall_grade
    moderated: dict[int, dict[int | None, ModeratedGrade]] = defaultdict(dict)
    for m in ModeratedGrade.objects.filter(
        moderation__audit_id__in=ids, moderation__completed_at__isnull=False
    ).select_related("moderation"):
        moderated[m.moderation.audit_id][m.section_id] = m

    def final(audit_id: int, section_id: int | None) -> str:
        m = moderated.get(audit_id, {}).get(section_id)
        return m.grade if m is not None else auditor_grades[audit_id].get(section_id, "")

    by_section = []
    for s in sections:
        d = Distribution()
        for a in audits:
            d.add(final(a.pk, s.pk))
        by_section.append((s, d))
    overall = Distribution()
    teams: dict[Any, Distribution] = defaultdict(Distribution)
    for a in audits:
        overall.add(final(a.pk, None))
        teams[a.team].add(final(a.pk, None))
    recurring = sorted(
        [(s, d) for s, d in by_section if d.total and d.below_good / d.total >= RECURRING_SHARE],
        key=lambda row: (-row[1].below_good, row[0].number),
    )

    rate_section: dict[int | None, Rate] = defaultdict(Rate)
    rate_auditor: dict[str, Rate] = defaultdict(Rate)
    total_rate = Rate()
    changes: list[dict[str, Any]] = []
    by_pk = {a.pk: a for a in audits}
    section_by_pk = {s.pk: s for s in sections}
    for audit_id, grades in moderated.items():
        audit = by_pk.get(audit_id)
        if audit is None:
            continue
        for section_id, m in grades.items():
            for rate in (rate_section[section_id], rate_auditor[_name(audit.auditor)], total_rate):
                rate.moderated += 1
                rate.changed += int(m.changed)
            if m.changed:
                changes.append(
                    {
                        "audit": audit_id,
                        "section": section_by_pk.get(section_id) if section_id else None,
                        "from": m.auditor_grade,
                        "to": m.grade,
                        "reason": m.reason,
                        "auditor": _name(audit.auditor),
                    }
                )
    moderation_by_section = [(s.title, rate_section[s.pk]) for s in sections]
    moderation_by_section.append(("", rate_section[None]))

    per_auditor: dict[str, list[Audit]] = defaultdict(list)
    for a in audits:
        per_auditor[_name(a.auditor)].append(a)
    auditors = []
    for name, mine in sorted(per_auditor.items()):
        d = Distribution()
        for a in mine:
            d.add(auditor_grades[a.pk].get(None, ""))
        auditors.append(AuditorRow(name, len(mine), d, d.mean_score, rate_auditor[name]))
    means = [row.mean_score for row in auditors if row.mean_score is not None]
    spread = round(max(means) - min(means), 2) if len(means) > 1 else None
    spread_by_section = []
    for s in sections:
        section_means = []
        for mine in per_auditor.values():
            scores = [
                GRADE_SCORE[Grade(auditor_grades[a.pk][s.pk])]
                for a in mine
                if auditor_grades[a.pk].get(s.pk)
            ]
            if scores:
                section_means.append(mean(scores))
        spread_by_section.append(
            (
                s,
                round(max(section_means) - min(section_means), 2)
                if len(section_means) > 1
                else None,
            )
        )
    summaries = [(a.pk, _name(a.auditor), a.team, a.summary) for a in audits if a.summary.strip()]
    from diogelu.audit.models import AuditAction

    actions = AuditAction.objects.filter(audit__programme=programme)
    return Report(
        programme=programme,
        sections=sections,
        files=len(audits),
        by_section=by_section,
        overall=overall,
        by_team=sorted(teams.items(), key=lambda row: row[0].name),
        recurring=recurring,
        moderation_by_section=moderation_by_section,
        moderation_overall=total_rate,
        moderation_by_auditor=sorted(rate_auditor.items()),
        auditors=auditors,
        spread=spread,
        spread_by_section=spread_by_section,
        summaries=summaries,
        changes=changes,
        actions=actions.count(),
        actions_done=actions.filter(done_at__isnull=False).count(),
    )
