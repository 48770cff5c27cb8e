"""Sweeps that apps register: reminders, escalations and housekeeping run by the tick.

The tick (``manage.py tick``, Celery beat in production) runs every registered sweep without
knowing any app: an app registers its sweeps in its ``AppConfig.ready()``::

    from diogelu.core.sweeps import register_sweep
    register_sweep("supervision_reminded", remind_supervision_due)

Housekeeping that should see the others' work (dormant accounts, sealing the access log) registers
with a higher ``order``: sweeps run by ``order``, then in registration order.

A sweep takes the moment it runs for (an aware datetime) and returns either a count or a dict of
named counts. Every sweep must be idempotent (dedupe keys, escalations recorded on their object),
because the tick may run as often as wanted and retries whatever failed.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable

SweepResult = int | dict[str, int]
Sweep = Callable[[datetime.datetime], SweepResult]

_REGISTRY: dict[str, tuple[int, Sweep]] = {}


def register_sweep(name: str, sweep: Sweep, *, order: int = 0) -> None:
    """Register ``sweep`` under ``name`` (registering the same name again replaces it)."""
    _REGISTRY[name] = (order, sweep)


def registered_sweeps() -> list[tuple[str, Sweep]]:
    """Every registered sweep, by ``order`` then in registration order (app order in
    ``INSTALLED_APPS``)."""
    ranked = sorted(enumerate(_REGISTRY.items()), key=lambda item: (item[1][1][0], item[0]))
    return [(name, sweep) for _, (name, (_order, sweep)) in ranked]
