"""The plan quality check: what a care and support protection plan is missing.

:func:`assess` is pure (plain data in, a report out); :func:`plan_quality` reads one version from
the database and assesses it, writing nothing. The score is the share of checks passed (0–100)
and is kept on the version when it is published (ADR 0012).
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.utils.translation import gettext as _

if TYPE_CHECKING:
    from diogelu.plans.models import PlanVersion

#: Text shorter than this (after trimming) counts as missing.
MIN_TEXT = 5


@dataclass(frozen=True)
class ActionFacts:
    description: str
    has_owner: bool
    agency_id: int | None
    target_date: datetime.date | None


@dataclass(frozen=True)
class OutcomeFacts:
    what_must_change: str
    measure: str
    actions: Sequence[ActionFacts] = ()


@dataclass(frozen=True)
class PlanFacts:
    outcomes: Sequence[OutcomeFacts]
    child_words: str
    contingency: str
    #: Agencies named at the conference (core group), id -> name.
    named_agencies: Mapping[int, str] = field(default_factory=dict)


@dataclass(frozen=True)
class QualityIssue:
    code: str
    message: str
    outcome: int | None = None  # 1-based position, for pointing at the field
    action: int | None = None

    def as_dict(self) -> dict[str, object]:
        return {
            "code": self.code,
            "message": self.message,
            "outcome": self.outcome,
            "action": self.action,
        }


@dataclass(frozen=True)
class QualityReport:
    score: int
    checks: int
    passed: int
    issues: tuple[QualityIssue, ...]

    @property
    def is_complete(self) -> bool:
        return not self.issues

    def codes(self) -> set[str]:
        return {i.code for i in self.issues}


#: The checks, in the order the author sees them.
CHECKS = (
    "NO_OUTCOMES",
    "OUTCOME_WITHOUT_MEASURE",
    "OUTCOME_WITHOUT_ACTION",
    "ACTION_WITHOUT_OWNER",
    "ACTION_WITHOUT_DATE",
    "NO_CHILD_VOICE",
    "NO_CONTINGENCY",
    "AGENCY_WITHOUT_ACTION",
)


def _missing(text: str) -> bool:
    return len(text.strip()) < MIN_TEXT


def assess(facts: PlanFacts) -> QualityReport:
    """Every gap in the plan, and a score: the percentage of :data:`CHECKS` with no issue."""
    issues: list[QualityIssue] = []
    if not facts.outcomes:
        issues.append(QualityIssue("NO_OUTCOMES", _("The plan has no outcomes for the child")))
    acting: set[int] = set()
    for o_index, outcome in enumerate(facts.outcomes, start=1):
        if _missing(outcome.measure):
            issues.append(
                QualityIssue(
                    "OUTCOME_WITHOUT_MEASURE",
                    _("Outcome %(n)s does not say how progress will be measured") % {"n": o_index},
                    outcome=o_index,
                )
            )
        if not outcome.actions:
            issues.append(
                QualityIssue(
                    "OUTCOME_WITHOUT_ACTION",
                    _("Outcome %(n)s has no actions") % {"n": o_index},
                    outcome=o_index,
                )
            )
        for a_index, action in enumerate(outcome.actions, start=1):
            if action.agency_id is not None:
                acting.add(action.agency_id)
            where = {"o": o_index, "a": a_index}
            if not action.has_owner:
                issues.append(
                    QualityIssue(
                        "ACTION_WITHOUT_OWNER",
                        _("Action %(a)s of outcome %(o)s has no responsible person and agency")
                        % where,
                        outcome=o_index,
                        action=a_index,
                    )
                )
            if action.target_date is None:
                issues.append(
                    QualityIssue(
                        "ACTION_WITHOUT_DATE",
                        _("Action %(a)s of outcome %(o)s has no target date") % where,
                        outcome=o_index,
                        action=a_index,
                    )
                )
    if _missing(facts.child_words):
        issues.append(
            QualityIssue("NO_CHILD_VOICE", _("The plan does not give the child's own words"))
        )
    if _missing(facts.contingency):
        issues.append(QualityIssue("NO_CONTINGENCY", _("The plan has no contingency plan")))
    for agency_id, name in sorted(facts.named_agencies.items(), key=lambda item: item[1]):
        if agency_id not in acting:
            issues.append(
                QualityIssue(
                    "AGENCY_WITHOUT_ACTION",
                    _("%(agency)s was named at the conference but has no action")
                    % {"agency": name},
                )
            )
    failed = {i.code for i in issues}
    passed = len(CHECKS) - len(failed)
    return QualityReport(
        score=round(100 * passed / len(CHECKS)),
        checks=len(CHECKS),
        passed=passed,
        issues=tuple(issues),
    )


def facts_for(version: PlanVersion) -> PlanFacts:
    """Read one plan version and the agencies named at conference (core group), no writes."""
    from diogelu.conferences.models import CoreGroupMember

    outcomes = []
    for outcome in version.outcomes.prefetch_related("actions"):
        outcomes.append(
            OutcomeFacts(
                what_must_change=outcome.what_must_change,
                measure=outcome.measure,
                actions=[
                    ActionFacts(
                        description=a.description,
                        has_owner=bool(
                            (a.responsible_name.strip() or a.responsible_user_id)
                            and a.responsible_agency_id
                        ),
                        agency_id=a.responsible_agency_id,
                        target_date=a.target_date,
                    )
                    for a in outcome.actions.all()
                ],
            )
        )
    named = {
        m.agency_id: m.agency.name
        for m in CoreGroupMember.objects.filter(
            episode_id=version.plan.episode_id, ended_at__isnull=True, agency__isnull=False
        ).select_related("agency")
        if m.agency is not None and m.agency_id is not None
    }
    return PlanFacts(
        outcomes=outcomes,
        child_words=version.child_words,
        contingency=version.contingency,
        named_agencies=named,
    )


def plan_quality(version: PlanVersion) -> QualityReport:
    """The quality report of a plan version (reads only)."""
    return assess(facts_for(version))
