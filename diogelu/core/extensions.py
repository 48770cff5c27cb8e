"""Hooks through which oversight apps add to shared pages without those pages importing them.

An app registers, in its ``AppConfig.ready()``:

* ``register_nav_item(func)``: ``func(user)`` returns ``[(href, text), ...]`` for the service
  navigation (an empty list when the user may not use the app);
* ``register_person_links(func)``: ``func(user, person)`` returns links for the person's page;
* ``register_my_work_section(func)``: ``func(user, now)`` returns ``None`` or
  ``{"template": "app/_my_work.jinja", ...context}``; My work includes each returned template
  with its dictionary as ``section``.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

NavItems = Callable[[Any], list[tuple[str, str]]]
PersonLinks = Callable[[Any, Any], list[tuple[str, str]]]
MyWorkSection = Callable[[Any, datetime.datetime], dict[str, Any] | None]

_NAV: list[NavItems] = []
_MY_WORK: list[MyWorkSection] = []
_PERSON: list[PersonLinks] = []


def register_nav_item(func: NavItems) -> None:
    if func not in _NAV:
        _NAV.append(func)


def register_my_work_section(func: MyWorkSection) -> None:
    if func not in _MY_WORK:
        _MY_WORK.append(func)


def extra_nav_items(user: Any) -> list[tuple[str, str]]:
    return [item for func in _NAV for item in func(user)]


def my_work_sections(user: Any, now: datetime.datetime) -> list[dict[str, Any]]:
    return [s for func in _MY_WORK if (s := func(user, now)) is not None]


def register_person_links(func: PersonLinks) -> None:
    """``func(user, person)`` returns ``[(href, text), ...]`` shown on the person's summary page."""
    if func not in _PERSON:
        _PERSON.append(func)


def person_links(user: Any, person: Any) -> list[tuple[str, str]]:
    return [item for func in _PERSON for item in func(user, person)]
