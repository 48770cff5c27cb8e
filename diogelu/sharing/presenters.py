"""How MASH requests, answers, outcomes and deadlines are shown. Templates hold no logic."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

# The deadline presenters (time_left: one for every deadline) and safe_url are every workflow
# app's (core); templates call them as sp.*.
from diogelu.core.presenters import (
    agency_name,
    format_date,
    format_datetime,
    format_nhs_number,
)
from diogelu.core.presenters import due_tag as due_tag
from diogelu.core.presenters import due_text as due_text
from diogelu.core.presenters import rule_citation as rule_citation
from diogelu.core.presenters import safe_url as safe_url
from diogelu.core.presenters import time_left as time_left

if TYPE_CHECKING:
    from diogelu.referrals.models import ReportChild
    from diogelu.sharing.models import AnswerVersion, InformationAnswer, OutcomeNotification

RISK_INDICATOR_LABELS = {
    "DOMESTIC_ABUSE": gettext_lazy("Domestic abuse"),
    "VIOLENCE": gettext_lazy("Violence or threats of violence"),
    "SUBSTANCE_MISUSE": gettext_lazy("Substance misuse"),
    "MENTAL_HEALTH": gettext_lazy("Mental health"),
    "MISSING": gettext_lazy("Missing episodes"),
    "EXPLOITATION": gettext_lazy("Exploitation"),
    "NON_ATTENDANCE": gettext_lazy("Missed appointments or school"),
    "INJURIES": gettext_lazy("Injuries"),
}

KNOWN_LABELS = {
    "YES": gettext_lazy("Yes"),
    "NO": gettext_lazy("No"),
    "NOT_KNOWN": gettext_lazy("Not known"),
}


def risk_indicator_choices() -> list[tuple[str, Any]]:
    from diogelu.sharing.services import RISK_INDICATORS

    return [(code, RISK_INDICATOR_LABELS.get(code, code)) for code in RISK_INDICATORS]


def _row(key: str, value: str) -> dict[str, Any]:
    return {"key": {"text": key}, "value": {"text": value or _("Not known")}}


def child_identity_rows(child: ReportChild) -> list[dict[str, Any]]:
    """The child's identity as the report gave it: what an asked agency needs to find its
    records, and nothing of the child's file."""
    if child.is_unborn:
        born = _("Unborn, expected %(date)s") % {"date": format_date(child.expected_date_of_birth)}
    else:
        born = format_date(child.date_of_birth)
    address = ", ".join(p for p in (child.address, child.postcode) if p)
    return [
        _row(_("Name"), child.display_name),
        _row(_("Date of birth"), born),
        _row(_("Address"), address),
        _row(_("NHS number"), format_nhs_number(child.nhs_number)),
        _row(_("Unique Pupil Number (UPN)"), child.upn),
        _row(_("School"), child.school),
    ]


def answer_rows(answer: InformationAnswer | AnswerVersion) -> list[dict[str, Any]]:
    """The rows of an answer, or of an earlier version of it."""
    indicators = ", ".join(str(RISK_INDICATOR_LABELS.get(i, i)) for i in answer.risk_indicators)
    return [
        _row(_("Holds information"), _("Yes") if answer.holds_information else _("No")),
        _row(_("What the agency holds"), answer.summary or _("Nothing")),
        _row(_("Known to the agency"), str(KNOWN_LABELS.get(answer.known_to_agency, ""))),
        _row(_("Last contact"), format_date(answer.last_contact_on)),
        _row(_("Current concerns"), answer.current_concerns or _("None recorded")),
        _row(_("Risk indicators"), indicators or _("None")),
        _row(
            _("Answered by"),
            _("%(name)s on %(when)s")
            % {"name": answer.answered_by, "when": format_datetime(answer.answered_at)},
        ),
    ]


def outcome_recipient(outcome: OutcomeNotification) -> str:
    if outcome.recipient_agency is not None and outcome.recipient_user is None:
        if outcome.is_reporter:
            return outcome.recipient_label
        return agency_name(outcome.recipient_agency)
    return outcome.recipient_label


def percent(value: float | None) -> str:
    return "–" if value is None else f"{round(value * 100)}%"
