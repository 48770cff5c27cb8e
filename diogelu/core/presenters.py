"""Display helpers: dates, names, tags. Templates hold no business logic."""

from __future__ import annotations

import datetime
from typing import Any

from django.urls import NoReverseMatch, reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from diogelu.procedures import PeriodUnit, Status, Timeliness


def format_date(value: datetime.date | datetime.datetime | None) -> str:
    """``5 January 2026`` (month names in the active language)."""
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        value = timezone.localtime(value).date()
    return formats.date_format(value, "j F Y")


def format_datetime(value: datetime.datetime | None) -> str:
    """``5 January 2026 at 14:05`` in UK time."""
    if value is None:
        return ""
    local = timezone.localtime(value)
    return _("%(date)s at %(time)s") % {
        "date": formats.date_format(local, "j F Y"),
        "time": local.strftime("%H:%M"),
    }


def format_nhs_number(value: str) -> str:
    """``943 476 5919``."""
    if len(value) == 10 and value.isdigit():
        return f"{value[:3]} {value[3:6]} {value[6:]}"
    return value


def tag(text: str, colour: str = "") -> dict[str, Any]:
    """Parameters for govukTag."""
    return {"text": text, "classes": f"govuk-tag--{colour}" if colour else ""}


def age_text(person: Any) -> str:
    """``Age 7`` or ``Unborn (due 3 March 2027)``."""
    if person.is_unborn:
        return _("Unborn (due %(date)s)") % {"date": format_date(person.expected_date_of_birth)}
    age = person.age_on(timezone.localdate())
    if age is None:
        return _("Age not known")
    return _("Age %(age)s") % {"age": age}


def role_names(user: Any) -> str:
    """A user's roles, translated, comma-separated (labels from the role field's choices, so core
    imports no app)."""
    labels = dict(user.role_assignments.model._meta.get_field("role").flatchoices)
    return ", ".join(str(labels.get(r, r)) for r in sorted(user.roles))


def timeline_items(events: Any) -> list[dict[str, str]]:
    """Items for the MoJ timeline from chronology events."""
    return [
        {
            "title": event.reader_title,
            "byline": f"{event.get_kind_display()} · {agency_name(event.source_agency)}",
            "date": format_datetime(event.occurred_at),
            "datetime": event.occurred_at.isoformat(),
            "description": event.reader_detail,
        }
        for event in events
    ]


def agency_name(agency: Any) -> str:
    """An agency's name in the active language (its Welsh name when there is one)."""
    from django.utils.translation import get_language

    if agency is None:
        return ""
    welsh = str(getattr(agency, "name_cy", None) or "")
    if welsh and (get_language() or "en").startswith("cy"):
        return welsh
    return str(agency.name)


_UNITS_CY = {
    "working_days": "diwrnod gwaith",
    "calendar_days": "diwrnod",
    "weeks": "wythnos",
    "months": "mis",
    "hours": "awr",
}


def rule_text(rule: Any) -> str:
    """A procedures rule as a sentence in the active language.

    English comes from the rule itself (``Rule.describe``); Welsh is built from the rule's Welsh
    title and period, since the rules file is data outside the message catalogue. Welsh numerals
    take the singular noun ("5 diwrnod gwaith").
    """
    from django.utils.translation import get_language

    if not (get_language() or "en").startswith("cy"):
        return str(rule.describe())
    unit = str(getattr(rule.period.unit, "value", rule.period.unit))
    if unit == "review_cycle":
        period = "erbyn y gynhadledd adolygu nesaf"
    else:
        period = f"o fewn {rule.period.amount} {_UNITS_CY.get(unit, unit)}"
    return f"{period} – {rule.title('cy')} ({rule.section}, {rule.citation})"


def link(href: str, text: Any, hidden: Any = "") -> Any:
    """A GOV.UK link as safe HTML for a table cell's ``html``, its text escaped, with optional
    visually hidden words that tell a screen reader which row it is for. (Building the same with
    ``~`` in a template escapes the tags, because translated strings are Markup.)"""
    from django.utils.html import format_html

    if hidden:
        return format_html(
            '<a class="govuk-link" href="{}">{}<span class="govuk-visually-hidden"> {}</span></a>',
            href,
            text,
            hidden,
        )
    return format_html('<a class="govuk-link" href="{}">{}</a>', href, text)


# --- Time left before a deadline --------------------------------------------------------------


def _duration(delta: datetime.timedelta) -> str:
    minutes = max(0, int(abs(delta).total_seconds() // 60))
    hours, mins = divmod(minutes, 60)
    if hours >= 24:
        days = hours // 24
        return ngettext("%(n)s day", "%(n)s days", days) % {"n": days}
    if hours:
        return ngettext("%(n)s hour", "%(n)s hours", hours) % {"n": hours} + (
            " " + ngettext("%(n)s minute", "%(n)s minutes", mins) % {"n": mins} if mins else ""
        )
    return ngettext("%(n)s minute", "%(n)s minutes", mins) % {"n": mins}


def time_left(t: Timeliness | None) -> str:
    """``2 working days left``, ``3 hours 10 minutes left``, ``Overdue by 1 working day``.

    The one way time left is shown, on every page: in working days when the rule is in working
    days (until the due day itself, then hours and minutes), in hours when it is in hours.
    """
    if t is None:
        return ""
    hours_rule = t.due.rule.period.unit is PeriodUnit.HOURS
    if t.status == Status.MET:
        return _("Done in time")
    if t.status == Status.MET_LATE:
        return _("Done late")
    if t.status == Status.OVERDUE:
        if hours_rule or t.working_days_overdue == 0:
            return _("Overdue by %(time)s") % {"time": _duration(t.time_remaining)}
        return ngettext(
            "Overdue by %(n)s working day", "Overdue by %(n)s working days", t.working_days_overdue
        ) % {"n": t.working_days_overdue}
    if hours_rule or t.status == Status.DUE_TODAY:
        return _("%(time)s left") % {"time": _duration(t.time_remaining)}
    return ngettext(
        "%(n)s working day left", "%(n)s working days left", t.working_days_remaining
    ) % {"n": t.working_days_remaining}


def safe_url(name: str, *args: Any) -> str:
    """A link to a page another part of Diogelu provides; empty when it does not exist (yet)."""
    try:
        return reverse(name, args=args or None)
    except NoReverseMatch:
        return ""


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
