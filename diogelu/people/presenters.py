"""How a person is shown: formatted names, dates, identifiers and the basis of access."""

from __future__ import annotations

from functools import cached_property
from typing import TYPE_CHECKING, Any

from django.utils import timezone
from django.utils.translation import gettext as _

from diogelu.access.models import Basis
from diogelu.core.presenters import age_text, format_date, format_nhs_number
from diogelu.people.models import Address, Person, PersonName, current_address_of

if TYPE_CHECKING:
    from diogelu.access.services import PersonAccess


class PersonPresenter:
    """Display values for one person, for a viewer whose access decision is known."""

    def __init__(self, access: PersonAccess) -> None:
        self.access = access
        self.person: Person = access.person

    @property
    def pk(self) -> int:
        return self.person.pk

    @property
    def name(self) -> str:
        return self.person.full_name

    @property
    def preferred_name(self) -> str:
        return self.person.preferred_name

    @property
    def age(self) -> str:
        return age_text(self.person)

    @property
    def age_value(self) -> str:
        """The age for the summary row, without repeating the word "Age"."""
        age = self.person.age_on(timezone.localdate())
        return str(age) if age is not None else self.age

    @property
    def date_of_birth(self) -> str:
        if self.person.is_unborn:
            return _("Expected %(date)s") % {
                "date": format_date(self.person.expected_date_of_birth)
            }
        return format_date(self.person.date_of_birth) or _("Not known")

    @property
    def nhs_number(self) -> str:
        return format_nhs_number(self.person.nhs_number) or _("Not known")

    @property
    def upn(self) -> str:
        return self.person.upn or _("Not known")

    @property
    def sex(self) -> str:
        return str(self.person.get_sex_display())

    @property
    def language(self) -> str:
        if self.person.preferred_language == "other" and self.person.other_language:
            return self.person.other_language
        return str(self.person.get_preferred_language_display())

    @property
    def is_restricted(self) -> bool:
        return self.person.is_restricted

    @property
    def la_reference(self) -> str:
        return self.person.la_reference

    @property
    def is_break_glass(self) -> bool:
        return self.access.decision.basis == Basis.BREAK_GLASS

    @property
    def break_glass_expires(self) -> str:
        glass = self.access.decision.break_glass
        if glass is None:
            return ""
        local = timezone.localtime(glass.expires_at)
        return local.strftime("%H:%M")

    @cached_property
    def current_address(self) -> Address | None:
        return current_address_of(self.person)

    @cached_property
    def other_names(self) -> list[PersonName]:
        return list(PersonName.objects.filter(person=self.person))

    def summary_rows(self) -> list[dict[str, Any]]:
        """Rows for govukSummaryList."""
        p = self.person
        rows = [
            (_("Name"), self.name),
            (_("Preferred name"), p.preferred_name or _("None recorded")),
            (
                _("Other names"),
                ", ".join(n.full_name for n in self.other_names) or _("None recorded"),
            ),
            (_("Date of birth"), self.date_of_birth),
            (_("Age"), self.age_value),
            (_("Sex"), self.sex),
            (_("NHS number"), self.nhs_number),
            (_("Unique Pupil Number"), self.upn),
            (_("Preferred language"), self.language),
            (_("Needs an interpreter"), _("Yes") if p.needs_interpreter else _("No")),
            (_("Ethnicity"), str(p.get_ethnicity_display())),
            (_("Disability"), p.disability or _("None recorded")),
            (_("GP practice"), p.gp_practice or _("Not known")),
            (_("School, nursery or college"), p.school or _("Not known")),
            (
                _("Current address"),
                ", ".join(self.current_address.lines) if self.current_address else _("Not known"),
            ),
            (_("Local authority reference"), p.la_reference),
        ]
        return [{"key": {"text": str(k)}, "value": {"text": str(v)}} for k, v in rows]
