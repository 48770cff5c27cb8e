"""Hooks through which oversight apps add to shared pages without those pages importing them.

An app registers, in its ``AppConfig.ready()``:

* ``register_nav_item(func)``: ``func(user)`` returns ``[(href, text), ...]`` for the service
  navigation (an empty list when the user may not use the app);
* ``register_my_work_section(func)``: ``func(user, now)`` returns ``None`` or
  ``{"template": "app/_my_work.jinja", ...context}``; My work includes each returned template
  with its dictionary as ``section``.

What apps add to a person's page (sections and links) registers with people, the page's owner:
``diogelu.people.sections``.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

NavItems = Callable[[Any], list[tuple[str, str]]]
MyWorkSection = Callable[[Any, datetime.datetime], dict[str, Any] | None]

_NAV: list[NavItems] = []
_MY_WORK: list[MyWorkSection] = []


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
