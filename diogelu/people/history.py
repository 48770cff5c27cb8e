"""How the changes to a record are shown: field names and values in the reader's language."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from diogelu.access.models import Part
from diogelu.core.presenters import agency_name, format_date, format_datetime
from diogelu.people.editing import changes_for, may_edit
from diogelu.people.models import Ethnicity, Language, Sex

if TYPE_CHECKING:
    from diogelu.access.services import PersonAccess
    from diogelu.accounts.models import User
    from diogelu.people.models import PersonChange

FIELD_LABELS: dict[str, Any] = {
    "given_name": gettext_lazy("Given name"),
    "family_name": gettext_lazy("Family name"),
    "preferred_name": gettext_lazy("Preferred name"),
    "date_of_birth": gettext_lazy("Date of birth"),
    "sex": gettext_lazy("Sex"),
    "nhs_number": gettext_lazy("NHS number"),
    "upn": gettext_lazy("Unique Pupil Number"),
    "preferred_language": gettext_lazy("Preferred language"),
    "other_language": gettext_lazy("Other language"),
    "needs_interpreter": gettext_lazy("Needs an interpreter"),
    "ethnicity": gettext_lazy("Ethnicity"),
    "disability": gettext_lazy("Disability"),
    "gp_practice": gettext_lazy("GP practice"),
    "school": gettext_lazy("School, nursery or college"),
    "other_name": gettext_lazy("Other names"),
    "address": gettext_lazy("Address added"),
    "address_ended": gettext_lazy("Address ended"),
    "other_name_removed": gettext_lazy("Other name removed"),
    "address_line_1": gettext_lazy("Address line 1"),
    "address_line_2": gettext_lazy("Address line 2"),
    "address_town": gettext_lazy("Town or city"),
    "address_postcode": gettext_lazy("Postcode"),
    "address_moved_in_on": gettext_lazy("Moved in on"),
    "address_moved_out_on": gettext_lazy("Moved out on"),
    "relationship": gettext_lazy("Family member"),
    "relationship_ended": gettext_lazy("Relationship ended"),
}

_CHOICES: dict[str, Any] = {"sex": Sex, "preferred_language": Language, "ethnicity": Ethnicity}
_DATES = {
    "date_of_birth",
    "address_ended",
    "relationship_ended",
    "address_moved_in_on",
    "address_moved_out_on",
}


def _value(field: str, stored: str) -> str:
    if stored == "":
        return "–"
    if field in _CHOICES:
        try:
            return str(_CHOICES[field](stored).label)
        except ValueError:
            return stored
    if field == "needs_interpreter":
        return _("Yes") if stored == "1" else _("No")
    if field in _DATES:
        try:
            return format_date(datetime.date.fromisoformat(stored))
        except ValueError:
            return stored
    return stored


def change_rows(changes: list[PersonChange]) -> list[dict[str, str]]:
    return [
        {
            "when": format_datetime(c.changed_at),
            "who": f"{c.changed_by} ({agency_name(c.agency)})",
            "field": str(FIELD_LABELS.get(c.field, c.field)),
            "before": _value(c.field, c.before),
            "after": _value(c.field, c.after),
            "reason": c.reason,
        }
        for c in changes
    ]


def record_context(user: User, access: PersonAccess) -> dict[str, Any]:
    """The summary page's extras: may the user edit, the changes they may see, missing episodes."""
    from diogelu.people.missing import episodes_of

    episodes = episodes_of(user, access) if access.may_see(Part.CHRONOLOGY) else []
    year_ago = timezone.now() - datetime.timedelta(days=365)
    return {
        "may_edit": may_edit(user, access),
        "changes": change_rows(changes_for(access)),
        "missing_total": len(episodes),
        "missing_last_year": sum(1 for e in episodes if e.started_at >= year_ago),
        "missing_open": any(e.ended_at is None for e in episodes),
        "may_see_chronology": access.may_see(Part.CHRONOLOGY),
    }
