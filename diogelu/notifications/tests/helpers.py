"""Building reports through the services, for the notifications and timeliness tests."""

from __future__ import annotations

import datetime
from typing import Any

from diogelu.accounts.models import Role, User
from diogelu.referrals import services as referrals
from diogelu.referrals.models import Report
from tests import factories as f


def draft_report(world: Any, *, reporter: User | None = None, siblings: bool = False) -> Report:
    """A complete draft report by the school lead (or ``reporter``), ready to submit."""
    actor = reporter or world.school_lead
    report = referrals.start_report(actor=actor, authority=world.authority)
    referrals.add_child(
        actor=actor,
        report=report,
        fields={
            "given_name": "Siân",
            "family_name": "Prydderch",
            "date_of_birth": datetime.date(2015, 3, 27),
        },
    )
    if siblings:
        referrals.add_child(
            actor=actor,
            report=report,
            fields={"given_name": "Dafydd", "family_name": "Prydderch"},
        )
    return referrals.save_report_answers(
        actor=actor,
        report=report,
        expected_version=report.version,
        answers={
            "what_happened": "Bruises on both arms; said her step-dad grabbed her.",
            "categories": ["PHYSICAL"],
            "immediate_danger": "NO",
            "family_aware": "NO",
            "lawful_basis": "SAFEGUARDING",
        },
    )


def submitted_report(world: Any, **kw: Any) -> Report:
    report = draft_report(world, **{k: v for k, v in kw.items() if k != "received_at"})
    return referrals.submit_report(actor=report.created_by, report=report)


def linked_report(world: Any, *, siblings: bool = False) -> Report:
    """A submitted report whose children are linked to the world's child (and sibling)."""
    report = submitted_report(world, siblings=siblings)
    children = list(report.children.order_by("pk"))
    referrals.link_child(actor=world.mash, child=children[0], person=world.child)
    if siblings:
        referrals.link_child(actor=world.mash, child=children[1], person=world.sibling)
    report.refresh_from_db()
    return report


def leads(world: Any) -> dict[str, User]:
    """A safeguarding lead for police and school, and a police user with no role at all."""
    return {
        "police_lead": f.user(world.police, Role.AGENCY_SAFEGUARDING_LEAD, username="plead"),
        "school_lead_manager": f.user(
            world.school, Role.AGENCY_SAFEGUARDING_LEAD, username="slead"
        ),
        "police_clerk": f.user(world.police, username="pclerk"),
    }
