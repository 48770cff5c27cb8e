"""What the synthetic authority's stages share: row counts, batched bulk inserts with progress,
and seeded times (``diogelu.demo.synthetic`` and ``synthetic_later``)."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

from django.db import models

from diogelu import procedures

BATCH = 5000
LONDON = procedures.LONDON

Progress = Callable[[str], None]
T = TypeVar("T", bound=models.Model)


@dataclass
class Counts:
    rows: dict[str, int] = field(default_factory=dict)

    def add(self, name: str, n: int) -> None:
        self.rows[name] = self.rows.get(name, 0) + n


def _bulk(model: type[T], objs: Sequence[T], counts: Counts, say: Progress) -> list[T]:
    made: list[T] = []
    manager: Any = model._default_manager
    for i in range(0, len(objs), BATCH):
        made.extend(manager.bulk_create(objs[i : i + BATCH]))
    counts.add(model._meta.label, len(objs))
    say(f"{model._meta.label}: {len(objs)} rows")
    return made


def _at(day: dt.date, rng: random.Random, start_hour: int = 8, end_hour: int = 18) -> dt.datetime:
    minute = rng.randrange(start_hour * 60, end_hour * 60)
    return dt.datetime(day.year, day.month, day.day, minute // 60, minute % 60, tzinfo=LONDON)


def _later(
    moment: dt.datetime, rng: random.Random, lo_hours: float, hi_hours: float
) -> dt.datetime:
    return moment + dt.timedelta(minutes=rng.randrange(int(lo_hours * 60), int(hi_hours * 60)))


def _working_days(start: dt.date, end: dt.date) -> list[dt.date]:
    days = []
    day = start
    while day <= end:
        if procedures.is_working_day(day):
            days.append(day)
        day += dt.timedelta(days=1)
    return days


def _pick(rng: random.Random, weights: dict[Any, int]) -> Any:
    return rng.choices(list(weights), weights=list(weights.values()))[0]
