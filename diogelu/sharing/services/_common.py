"""What the MASH checks and the outcomes share: the risk indicators, the disclosure log's
row, the children a notification is about."""

from __future__ import annotations

from typing import Any

from diogelu.accounts.models import User
from diogelu.core.texts import Stored, written
from diogelu.referrals.models import Report
from diogelu.sharing.models import Disclosure

MAX_TEXT = 20_000
RISK_INDICATORS = (
    "DOMESTIC_ABUSE",
    "VIOLENCE",
    "SUBSTANCE_MISUSE",
    "MENTAL_HEALTH",
    "MISSING",
    "EXPLOITATION",
    "NON_ATTENDANCE",
    "INJURIES",
)


def _report_people(report: Report) -> list[int | None]:
    """The children of a report linked to a record (the people a notification is about)."""
    return [c.person_id for c in report.children.all()]


def _disclose(
    *,
    kind: str,
    by: User,
    from_agency_id: int,
    report: Report,
    description: Stored,
    lawful_basis: str,
    to_agency_id: int | None = None,
    to_user: User | None = None,
    person_id: int | None = None,
    object_id: int | None = None,
) -> Disclosure:
    return Disclosure.objects.create(
        kind=kind,
        by_user=by,
        from_agency_id=from_agency_id,
        to_agency_id=to_agency_id,
        to_user=to_user,
        report=report,
        person_id=person_id,
        description=written(description)[:300],
        text=description,
        lawful_basis=lawful_basis,
        object_id=object_id,
    )


def summary_for(value: Any) -> str:
    return str(value)[:200]
