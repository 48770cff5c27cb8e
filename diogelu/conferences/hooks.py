"""Hooks through which the plans app (later in the workflow) takes part in the register's acts
without conferences importing it (ADR 0403, ADR 0405): plans registers in its ``AppConfig.ready()``.

* ``register_on_registered(func)``: ``func(episode)`` runs when a conference places a child on
  the register, in the same transaction (plans makes the child's plan);
* ``register_outline_plan(func)``: ``func(child)`` gives the outline plan a conference record
  shows for a registered child (the version published by the time the record went out), or None.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from diogelu.conferences.models import ConferenceChild, RegisterEpisode

OnRegistered = Callable[["RegisterEpisode"], None]
OutlinePlan = Callable[["ConferenceChild"], Any]

_ON_REGISTERED: list[OnRegistered] = []
_OUTLINE_PLAN: list[OutlinePlan] = []


def register_on_registered(func: OnRegistered) -> None:
    if func not in _ON_REGISTERED:
        _ON_REGISTERED.append(func)


def register_outline_plan(func: OutlinePlan) -> None:
    if func not in _OUTLINE_PLAN:
        _OUTLINE_PLAN.append(func)


def registered(episode: RegisterEpisode) -> None:
    """Tell the registered hooks that ``episode`` has begun. Fails closed: a register with no
    plan hook would leave a registered child without a plan."""
    if not _ON_REGISTERED:
        raise RuntimeError("No app makes the plan of a registered child (is plans installed?)")
    for func in _ON_REGISTERED:
        func(episode)


def outline_plan(child: ConferenceChild) -> Any:
    """The outline plan the record shows for ``child``, or None."""
    for func in _OUTLINE_PLAN:
        found = func(child)
        if found is not None:
            return found
    return None
