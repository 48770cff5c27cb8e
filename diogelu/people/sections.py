"""The one hook through which other apps add to a person's summary page, without people knowing
those apps: named sections and links.

An app registers in its ``AppConfig.ready()``::

    from diogelu.people.sections import register_person_links, register_person_section
    register_person_section("child_protection", child_protection_for)  # plans/apps.py
    register_person_links(person_links)  # oversight/apps.py

The summary page (:func:`person_page_extras`) calls every registered section and link provider
with the signed-in user and the person (whom the user may already see: ``access_person`` has
logged the read). A section's answer goes into the page's context under the section's name (a
section answers ``None`` when there is nothing the user may see); the links, ``[(href, text),
...]`` from every provider in the order registered, go under ``extra_links``. Each decides its own
access: it reads through its app's ``visible_to``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from diogelu.accounts.models import User
    from diogelu.people.models import Person

Section = Callable[["User", "Person"], Any]
Links = Callable[["User", "Person"], list[tuple[str, str]]]

#: The context name the links are given under (a section may not take it).
LINKS = "extra_links"

_SECTIONS: dict[str, Section] = {}
_LINKS: list[Links] = []


def register_person_section(name: str, section: Section) -> None:
    """Register ``section`` under ``name`` (registering the same name again replaces it)."""
    if name == LINKS:
        raise ValueError(f"{LINKS!r} is the name of the page's links")
    _SECTIONS[name] = section


def register_person_links(func: Links) -> None:
    """``func(user, person)`` returns ``[(href, text), ...]`` shown on the person's page."""
    if func not in _LINKS:
        _LINKS.append(func)


def person_sections(user: User, person: Person) -> dict[str, Any]:
    """Every registered section's answer for ``user`` looking at ``person``, by name."""
    return {name: section(user, person) for name, section in _SECTIONS.items()}


def person_links(user: User, person: Person) -> list[tuple[str, str]]:
    """Every registered provider's links for ``user`` looking at ``person``."""
    return [item for func in _LINKS for item in func(user, person)]


def person_page_extras(user: User, person: Person) -> dict[str, Any]:
    """What the other apps add to the person's page: each section by name, and the links."""
    return {**person_sections(user, person), LINKS: person_links(user, person)}
