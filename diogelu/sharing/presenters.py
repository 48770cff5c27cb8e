"""How MASH requests, answers, outcomes and deadlines are shown. Templates hold no logic."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from diogelu.core.presenters import (  # time_left: one presenter for every deadline
    agency_name,
    format_date,
    format_datetime,
    format_nhs_number,
    rule_text,
    tag,
    time_left,
)
from diogelu.procedures import Status, Timeliness

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


def due_tag(t: Timeliness | None) -> dict[str, Any]:
    """Parameters for govukTag showing where a deadline stands."""
    if t is None:
        return tag(_("No due date"), "grey")
    return {
        Status.OVERDUE: tag(_("Overdue"), "red"),
        Status.DUE_TODAY: tag(_("Due today"), "orange"),
        Status.DUE_SOON: tag(_("Due soon"), "yellow"),
        Status.NOT_DUE: tag(_("Not due yet"), "blue"),
        Status.MET: tag(_("Done in time"), "green"),
        Status.MET_LATE: tag(_("Done late"), "pink"),
    }[t.status]


def due_text(t: Timeliness | None) -> str:
    """``Due by 26 May 2026 at 23:59 (1 working day left)``."""
    if t is None:
        return ""
    return _("Due by %(when)s (%(left)s)") % {
        "when": format_datetime(t.due.due_at),
        "left": time_left(t),
    }


def rule_citation(t: Timeliness | None) -> str:
    """The rule behind a deadline, for a hint: ``within 1 working day of receipt (WSP §3 pt1)``."""
    if t is None:
        return ""
    return rule_text(t.due.rule)


def safe_url(name: str, *args: Any) -> str:
    """A link to a page another part of Diogelu provides; empty when it does not exist (yet)."""
    try:
        return reverse(name, args=args or None)
    except NoReverseMatch:
        return ""


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
