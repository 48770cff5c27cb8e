"""Sections other apps add to a person's summary page, without people knowing those apps.

An app registers a section in its ``AppConfig.ready()``::

    from diogelu.people.sections import register_person_section
    register_person_section("child_protection", child_protection_for)  # plans/apps.py

The summary page calls every registered section with the signed-in user and the person (whom
the user may already see: ``access_person`` has logged the read) and puts each answer in its
template context under the section's name; a section answers ``None`` when there is nothing the
user may see. The section decides its own access: it reads through its app's ``visible_to``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from diogelu.accounts.models import User
    from diogelu.people.models import Person

Section = Callable[["User", "Person"], Any]

_SECTIONS: dict[str, Section] = {}


def register_person_section(name: str, section: Section) -> None:
    """Register ``section`` under ``name`` (registering the same name again replaces it)."""
    _SECTIONS[name] = section


def person_sections(user: User, person: Person) -> dict[str, Any]:
    """Every registered section's answer for ``user`` looking at ``person``, by name."""
    return {name: section(user, person) for name, section in _SECTIONS.items()}
