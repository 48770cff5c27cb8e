"""The workforce measures adopted from oversight give oversight's figures (its worked example)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from diogelu.measures.compute import by_team, compute_series, period_rows
from diogelu.measures.definitions import MEASURES, Group, Scope, get_measure
from diogelu.measures.periods import Period
from diogelu.measures.tests.builders import at
from diogelu.oversight.tests.test_workforce_measures import END, START, worked_example
from diogelu.oversight.workforce_measures import AUTHORITY, workforce_measures

pytestmark = pytest.mark.django_db

#: measure key -> (oversight field of the count, oversight field of the met count or None)
ADOPTED = {
    "workforce_agency": ("headcount", "agency_headcount"),
    "workforce_vacant_posts": ("vacant_posts", None),
    "workforce_starters": ("starters", None),
    "workforce_leavers": ("leavers", None),
    "workforce_lapsing": ("registrations_lapsing", None),
}


@pytest.fixture(autouse=True)
def _no_cache(settings: Any) -> None:
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}


def test_every_workforce_measure_is_adopted_and_versioned() -> None:
    keys = {m.key for m in MEASURES if m.group == Group.WORKFORCE}
    assert keys == set(ADOPTED)
    for key in keys:
        measure = get_measure(key)
        assert measure is not None and measure.version and measure.name_cy


@pytest.mark.parametrize(
    "period", [Period.between(START, END), Period.between(START, START)], ids=["year", "day"]
)
def test_figures_equal_oversight_workforce_measures(world: Any, period: Period) -> None:
    team_a, team_b = worked_example(world)
    oversight = workforce_measures(world.authority.pk, start=period.start, end=period.end)
    scope = Scope(world.authority.pk, at(date(2026, 4, 10)))
    measures = tuple(get_measure(key) for key in ADOPTED)
    for series in compute_series(scope, period, measures):  # type: ignore[arg-type]
        count, met = ADOPTED[series.measure.key]
        figure = series.current
        assert figure.children == getattr(oversight[AUTHORITY], count), series.measure.key
        if met:
            assert figure.children_met == getattr(oversight[AUTHORITY], met)
        teams = dict(by_team(series.measure, scope, period))
        for team in (team_a, team_b):
            want = getattr(oversight[team.pk], count) if team.pk in oversight else 0
            got = teams[team.pk].children if team.pk in teams else 0
            assert got == want, (series.measure.key, team.name)
    # The agency rate by headcount is oversight's, to the same decimal place.
    agency = get_measure("workforce_agency")
    assert agency is not None
    (series,) = compute_series(scope, period, (agency,))
    assert series.current.value == float(oversight[AUTHORITY].agency_rate_headcount or 0)


def test_drill_through_rows_name_no_child(world: Any) -> None:
    worked_example(world)
    scope = Scope(world.authority.pk, at(date(2026, 4, 10)))
    measure = get_measure("workforce_leavers")
    assert measure is not None
    rows = list(period_rows(measure, scope, Period.between(START, END)).values("m_person"))
    assert len(rows) == 2 and all(r["m_person"] is None for r in rows)
