"""How reports are shown: summary rows for "check your answers", tags, due times, steps."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from diogelu import procedures
from diogelu.core.presenters import (
    format_date,
    format_datetime,
    format_nhs_number,
    tag,
    time_left,
)
from diogelu.referrals import forms as f
from diogelu.referrals.models import (
    Category,
    Channel,
    Flag,
    LawfulBasis,
    Report,
    ReportChild,
    ReporterKind,
    ReportStatus,
    YesNoUnknown,
)

if TYPE_CHECKING:
    from django.forms import Form
    from django.utils.functional import _StrPromise

    from diogelu.sharing.models import InformationRequest, OutcomeNotification


@dataclass(frozen=True)
class Step:
    slug: str
    title: _StrPromise
    form: type[Form]
    la_only: bool = False


STEPS: tuple[Step, ...] = (
    Step("reporter", gettext_lazy("Who made the report"), f.ReporterForm, la_only=True),
    Step("children", gettext_lazy("The children"), f.ChildrenForm),
    Step("concerns", gettext_lazy("Your concerns"), f.ConcernsForm),
    Step("danger", gettext_lazy("Immediate danger"), f.DangerForm),
    Step("family", gettext_lazy("Who else knows"), f.FamilyForm),
    Step("basis", gettext_lazy("Sharing the information"), f.BasisForm),
)

#: Which question page each missing answer (``services.missing_answers``) belongs to.
ANSWER_STEP = {
    "children": "children",
    "what_happened": "concerns",
    "categories": "concerns",
    "immediate_danger": "danger",
    "police_called": "danger",
    "family_aware": "family",
    "lawful_basis": "basis",
    "reporter_name": "reporter",
}


def steps_for(report: Report) -> list[Step]:
    """The question pages of this report: "who made the report" only when the local authority
    records a report made to it."""
    recorded = report.reporter_user_id is None
    return [s for s in STEPS if recorded or not s.la_only]


def step_by_slug(report: Report, slug: str) -> Step | None:
    return next((s for s in steps_for(report) if s.slug == slug), None)


def next_step_url(report: Report, step: Step) -> str:
    steps = steps_for(report)
    index = [s.slug for s in steps].index(step.slug)
    if index + 1 < len(steps):
        return reverse("report_step", args=[report.pk, steps[index + 1].slug])
    return reverse("check_report", args=[report.pk])


def previous_step_url(report: Report, step: Step) -> str:
    steps = steps_for(report)
    index = [s.slug for s in steps].index(step.slug)
    if index == 0:
        return reverse("your_reports")
    return reverse("report_step", args=[report.pk, steps[index - 1].slug])


def optional_url(name: str, *args: Any) -> str:
    """A link to a page another part of Diogelu provides, or "" while it does not exist."""
    try:
        return reverse(name, args=args or None)
    except NoReverseMatch:
        return ""


STATUS_COLOURS = {
    ReportStatus.DRAFT: "grey",
    ReportStatus.SUBMITTED: "blue",
    ReportStatus.IN_MASH: "light-blue",
    ReportStatus.DECIDED: "green",
    ReportStatus.CLOSED: "grey",
}


def status_tag(report: Report) -> dict[str, Any]:
    return tag(
        str(report.get_status_display()), STATUS_COLOURS.get(ReportStatus(report.status), "")
    )


def _choice(choices: type[Any], value: str) -> str:
    if not value:
        return ""
    try:
        return str(choices(value).label)
    except ValueError:
        return value


def _lines(values: list[str]) -> Any:
    if not values:
        return ""
    return format_html_join("", "{}<br>", ((v,) for v in values[:-1])) + format_html(
        "{}", values[-1]
    )


def _row(
    key: str, value: Any, change: str = "", hidden: str = "", *, missing: str = ""
) -> dict[str, Any]:
    if value in ("", None, []):
        value_param: dict[str, Any] = {
            "html": format_html('<span class="govuk-hint">{}</span>', missing or _("Not given"))
        }
    elif isinstance(value, str) and "\n" in value:
        value_param = {"html": _lines(value.splitlines())}
    elif isinstance(value, str):
        value_param = {"text": value}
    else:
        value_param = {"html": value}
    row: dict[str, Any] = {"key": {"text": key}, "value": value_param}
    if change:
        row["actions"] = {
            "items": [
                {"href": change, "text": _("Change"), "visuallyHiddenText": hidden or key.lower()}
            ]
        }
    return row


def child_rows(child: ReportChild, change: str = "") -> list[dict[str, Any]]:
    """What the report maker said about one child."""
    if child.is_unborn:
        born = _("Expected %(date)s") % {"date": format_date(child.expected_date_of_birth)}
        born_key = _("Expected date of birth")
    else:
        born = format_date(child.date_of_birth)
        born_key = _("Date of birth")
    name = " ".join(p for p in (child.given_name, child.family_name) if p)
    rows = [
        (_("Name"), name),
        (born_key, born),
        (_("Address"), "\n".join(p for p in (child.address, child.postcode) if p)),
        (_("School, nursery or college"), child.school),
        (_("NHS number"), format_nhs_number(child.nhs_number)),
        (_("Unique Pupil Number"), child.upn),
    ]
    if child.is_unborn:
        rows.insert(0, (_("Unborn"), _("Yes")))
    return [
        _row(k, v, change, _("%(what)s of %(child)s") % {"what": k, "child": child.display_name})
        for k, v in rows
    ]


def answer_sections(report: Report, *, editable: bool) -> list[dict[str, Any]]:
    """The report's answers in sections, with change links when the draft is editable."""

    def change(step: str) -> str:
        if not editable:
            return ""
        return reverse("report_step", args=[report.pk, step]) + "?change=1"

    sections: list[dict[str, Any]] = []
    if report.reporter_user_id is None:
        received = (
            format_datetime(report.received_at)
            if report.received_at
            else _("When the report is sent")
        )
        sections.append(
            {
                "title": _("Who made the report"),
                "rows": [
                    _row(_("How"), _choice(Channel, report.channel), change("reporter")),
                    _row(_("Who"), _choice(ReporterKind, report.reporter_kind), change("reporter")),
                    _row(_("Name"), report.reporter_name, change("reporter"), _("reporter's name")),
                    _row(_("Contact"), report.reporter_contact, change("reporter")),
                    _row(_("Received"), received, change("reporter")),
                ],
            }
        )
    sections.append(
        {
            "title": _("Your concerns"),
            "rows": [
                _row(
                    _("Kinds of abuse or neglect"),
                    "\n".join(_choice(Category, c) for c in report.categories),
                    change("concerns"),
                ),
                _row(
                    _("Also part of the concern"),
                    "\n".join(_choice(Flag, c) for c in report.flags),
                    change("concerns"),
                ),
                _row(_("What happened"), report.what_happened, change("concerns")),
                _row(
                    _("The child's own words"),
                    report.child_words,
                    change("concerns"),
                    missing=_("None recorded"),
                ),
            ],
        }
    )
    danger_rows = [
        _row(
            _("Immediate danger"),
            _choice(YesNoUnknown, report.immediate_danger),
            change("danger"),
        )
    ]
    if report.immediate_danger == YesNoUnknown.YES or report.police_called:
        danger_rows.append(
            _row(_("Police called"), _choice(YesNoUnknown, report.police_called), change("danger"))
        )
        danger_rows.append(_row(_("Police reference"), report.police_reference, change("danger")))
    sections.append({"title": _("Immediate danger"), "rows": danger_rows})
    sections.append(
        {
            "title": _("Who else knows"),
            "rows": [
                _row(_("Who else knows"), report.who_else_knows, change("family")),
                _row(
                    _("The family knows about the report"),
                    _choice(YesNoUnknown, report.family_aware),
                    change("family"),
                ),
            ],
        }
    )
    basis_rows = [
        _row(_("Lawful basis"), _choice(LawfulBasis, report.lawful_basis), change("basis")),
    ]
    if report.lawful_basis_note:
        basis_rows.append(_row(_("Note"), report.lawful_basis_note, change("basis")))
    sections.append({"title": _("Sharing the information"), "rows": basis_rows})
    return sections


def missing_items(report: Report, missing: dict[str, str]) -> list[dict[str, str]]:
    """Error-summary items for what a draft still needs, each linking to its question page."""
    items = []
    for field, message in missing.items():
        step = ANSWER_STEP.get(field, "children")
        if step_by_slug(report, step) is None:
            step = "children"
        href = reverse("report_step", args=[report.pk, step]) + "?change=1"
        items.append({"text": message, "href": href})
    return items


# --- Due times ---------------------------------------------------------------------------------

_TIMELINESS_COLOURS = {
    procedures.Status.NOT_DUE: "grey",
    procedures.Status.DUE_SOON: "yellow",
    procedures.Status.DUE_TODAY: "orange",
    procedures.Status.OVERDUE: "red",
    procedures.Status.MET: "green",
    procedures.Status.MET_LATE: "orange",
}


def decision_due(report: Report, now: datetime.datetime | None = None) -> dict[str, Any] | None:
    """The 1-working-day decision clock (rule ``report.decision``) as a tag and words."""
    if report.received_at is None:
        return None
    moment = now or timezone.now()
    due = procedures.due("report.decision", report.received_at)
    decision = getattr(report, "decision", None)
    completed = decision.final_at if decision is not None and decision.is_final else None
    state = procedures.timeliness(
        due,
        moment,
        completed_at=completed if isinstance(completed, datetime.datetime) else None,
    )
    status = state.status
    if status == procedures.Status.MET:
        text = _("Decided in time")
    elif status == procedures.Status.MET_LATE:
        text = _("Decided late")
    elif status == procedures.Status.OVERDUE:
        days = state.working_days_overdue
        text = _("Overdue by %(days)s working days") % {"days": days} if days > 1 else _("Overdue")
    elif status == procedures.Status.DUE_TODAY:
        text = _("Due today")
    else:
        text = time_left(state)
    return {
        "tag": tag(text, _TIMELINESS_COLOURS[status]),
        "due_at": format_datetime(due.due_at),
        "rule": due.description,
        "left": time_left(state) if status in _OPEN else "",
    }


_OPEN = {procedures.Status.NOT_DUE, procedures.Status.DUE_SOON, procedures.Status.DUE_TODAY}


def request_status_tag(request: InformationRequest, now: datetime.datetime) -> dict[str, Any]:
    if request.status == "OPEN":
        if request.due_at < now:
            return tag(_("Overdue"), "red")
        return tag(str(request.get_status_display()), "yellow")
    if request.status == "ANSWERED":
        return tag(str(request.get_status_display()), "green")
    return tag(str(request.get_status_display()), "grey")


def outcome_tag(notification: OutcomeNotification) -> dict[str, Any]:
    if notification.acknowledged_at is not None:
        return tag(_("Acknowledged"), "green")
    if notification.escalated_at is not None:
        return tag(_("Not acknowledged: escalated"), "red")
    return tag(_("Waiting for acknowledgement"), "yellow")


def children_text(report: Report) -> str:
    return ", ".join(c.display_name for c in report.children.all())


def reporter_text(report: Report) -> str:
    if report.reporter_user is not None:
        agency = report.reporter_agency.name if report.reporter_agency else ""
        return ", ".join(p for p in (str(report.reporter_user), agency) if p)
    kind = _choice(ReporterKind, report.reporter_kind)
    if report.reporter_kind == ReporterKind.ANONYMOUS:
        return kind
    return ", ".join(p for p in (report.reporter_name, kind, report.reporter_contact) if p)
