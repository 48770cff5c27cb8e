"""Counting: every figure is an aggregate of a measure's rows in SQL.

A measure over time is one grouped query: its rows bucketed by local day and exclusion reason,
with the counts per child (rows), per event (distinct events, and distinct events with a row that
missed the standard), the met rows and the sum of the averaged value. The buckets of a window that
covers the period, the previous period and the twelve-month trend are then summed per period (a
few hundred buckets, never a loop over cases). Bounded measures (on the register at a date, days
on the register in a period) count every period of the series in one ``UNION ALL`` query.

Kept, where recounting is not needed: a month (or bounded period) that ended more than
``CLOSED_AFTER_DAYS`` ago is *closed*; its buckets, once counted, are kept for the rest of that
local day, in the cache and in the ``CountedPeriod`` summary table (so a cold cache, after a
restart, still finds them). A closed month is recounted on the next day, so a record entered late
for a past month (or a due date passing) shows from the next day. Only the open months are counted
on each request, and a whole series is cached for ``CACHE_SECONDS``. The ``measures.warm`` sweep
recounts the closed months early each day, so a page rarely counts more than the last few weeks.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import CharField, Count, Q, QuerySet, Sum, Value
from django.db.models.functions import TruncDate
from django.utils import timezone

from diogelu import procedures
from diogelu.core import replica
from diogelu.measures.calendar import ensure_calendar
from diogelu.measures.definitions import MEASURES, Kind, Measure, Scope, Unit
from diogelu.measures.periods import Period
from diogelu.procedures import LONDON

__all__ = [
    "CACHE_SECONDS",
    "Figure",
    "MeasureSeries",
    "compute_series",
    "period_rows",
    "rag",
]

CACHE_SECONDS = 300
#: How often the ``measures-refresh`` beat entry counts every authority's current quarter and
#: financial year again (ADR 0825): sooner than ``CACHE_SECONDS``, so that the series a dashboard
#: opens with never expire under it (counting the open month was 0.87 s of the first page after
#: each expiry, at five years of a county).
REFRESH_SECONDS = 240
#: A period that ended more than this many days ago counts as closed: its figures are counted once
#: a day (by the ``measures.warm`` sweep or the first page that needs them), so a record entered
#: late for a past month shows from the next day. Only the current month is counted on every
#: request.
CLOSED_AFTER_DAYS = 0
CLOSED_CACHE_SECONDS = 24 * 3600


@dataclass
class Figure:
    """One measure for one period."""

    period: Period
    kind: Kind
    children: int = 0
    children_met: int = 0
    events: int = 0
    events_met: int = 0
    value_sum: int = 0
    value_n: int = 0
    exclusions: dict[str, int] = field(default_factory=dict)

    def add(self, bucket: dict[str, Any]) -> None:
        reason = bucket["m_excluded"] or ""
        if reason:
            self.exclusions[reason] = self.exclusions.get(reason, 0) + int(bucket["n"])
            return
        self.children += int(bucket["n"])
        self.children_met += int(bucket["met"] or 0)
        self.events += int(bucket["ev"])
        self.events_met += int(bucket["ev"]) - int(bucket["ev_bad"])
        self.value_sum += int(bucket["vsum"] or 0)
        self.value_n += int(bucket["vn"] or 0)

    @property
    def excluded(self) -> int:
        return sum(self.exclusions.values())

    @staticmethod
    def _pct(part: int, whole: int) -> float | None:
        return round(100 * part / whole, 1) if whole else None

    @property
    def child_rate(self) -> float | None:
        return self._pct(self.children_met, self.children)

    @property
    def event_rate(self) -> float | None:
        return self._pct(self.events_met, self.events)

    @property
    def average(self) -> float | None:
        return round(self.value_sum / self.value_n, 1) if self.value_n else None

    @property
    def value(self) -> float | None:
        """The headline: the per-child rate, the count of children, or the average."""
        if self.kind == Kind.RATE:
            return self.child_rate
        if self.kind == Kind.AVERAGE:
            return self.average
        return float(self.children)

    def as_dict(self) -> dict[str, Any]:
        return {
            "start": self.period.start.isoformat(),
            "end": self.period.end.isoformat(),
            "value": self.value,
            "children": self.children,
            "children_met": self.children_met,
            "child_rate": self.child_rate,
            "events": self.events,
            "events_met": self.events_met,
            "event_rate": self.event_rate,
            "average": self.average,
            "excluded": self.excluded,
            "exclusions": dict(self.exclusions),
        }


@dataclass
class MeasureSeries:
    """A measure for a period, the previous period, and the twelve months to the period's end."""

    measure: Measure
    current: Figure
    previous: Figure
    trend: list[Figure]


def _day(field_name: str) -> TruncDate:
    return TruncDate(field_name, tzinfo=LONDON)


def _window_rows(measure: Measure, scope: Scope, start: date, end_at: datetime) -> QuerySet[Any]:
    assert measure.rows is not None
    start_at = Period.between(start, start).start_at
    return _for_team(measure.rows(scope), scope).filter(m_at__gte=start_at, m_at__lt=end_at)


def _window_missed(
    measure: Measure, scope: Scope, start: date, end_at: datetime
) -> QuerySet[Any] | None:
    """The measure's never-happened rows in the window (``Measure.missed_rows``), if it has any."""
    if measure.missed_rows is None:
        return None
    start_at = Period.between(start, start).start_at
    rows = _for_team(measure.missed_rows(scope), scope)
    # Every missed row is a registration's, due after it started and before it ended: only the
    # registrations open during the window can have one in it. Said first, on the episode's own
    # columns, so the due day (calendar look-ups per row) is worked out for those alone, not for
    # five years of registrations before the window filter.
    rows = rows.filter(started_at__lt=end_at).filter(
        Q(ended_at__isnull=True) | Q(ended_at__gte=start_at)
    )
    return rows.filter(m_at__gte=start_at, m_at__lt=end_at)


def period_row_sets(measure: Measure, scope: Scope, period: Period) -> list[QuerySet[Any]]:
    """The querysets of a measure's rows in a period: its rows, and its never-happened rows
    where it has them (for drill-through, teams and exports)."""
    main = period_rows(measure, scope, period)
    missed = _window_missed(measure, scope, period.start, period.end_at)
    return [main] if missed is None else [main, missed]


#: the fields of a row as listed and exported
ROW_VALUES = ("m_event", "m_person", "m_at", "m_due", "m_done", "m_met", "m_excluded", "m_value")


def row_values(
    measure: Measure,
    scope: Scope,
    period: Period,
    where: Callable[[QuerySet[Any]], QuerySet[Any]] | None = None,
) -> QuerySet[Any]:
    """All the rows of a measure in a period as values (``ROW_VALUES``), never-happened rows
    included, each set narrowed by ``where``; in order of moment, event and child."""
    sets = [
        (where(qs) if where else qs).values(*ROW_VALUES)
        for qs in period_row_sets(measure, scope, period)
    ]
    combined = sets[0] if len(sets) == 1 else sets[0].union(*sets[1:], all=True)
    ordered: QuerySet[Any] = combined.order_by("m_at", "m_event", "m_person")
    return ordered


def _for_team(rows: QuerySet[Any], scope: Scope) -> QuerySet[Any]:
    return rows if scope.team_id is None else rows.filter(m_team=scope.team_id)


def period_rows(measure: Measure, scope: Scope, period: Period) -> QuerySet[Any]:
    """The rows of one measure in one period, counted and excluded alike (for drill-through)."""
    ensure_calendar(period.start, max(period.end, scope.today))
    if measure.period_rows is not None:
        return _for_team(measure.period_rows(scope, period), scope)
    return _window_rows(measure, scope, period.start, period.end_at)


def _buckets(
    qs: QuerySet[Any], *, by_day: bool, events: bool = True, met_at_most: int | None = None
) -> list[dict[str, Any]]:
    """Counts per (day and) exclusion reason. Without ``events`` (a measure counted per child
    only) the per-event counts are left out, so the row's test is evaluated once. With
    ``met_at_most`` (the row meets the standard exactly when ``m_value`` is at most it) the rows
    are grouped by value too and the met count, sum and count of values derived from the groups,
    so the value's subqueries run once per row."""
    keys = ["m_day"] if by_day else []
    if by_day:
        qs = qs.annotate(m_day=_day("m_at"))
    return _counted(
        bucket_query(qs, keys, events=events, by_value=met_at_most is not None),
        keys,
        events=events,
        met_at_most=met_at_most,
    )


def _counted(
    grouped: Iterable[dict[str, Any]], keys: list[str], *, events: bool, met_at_most: int | None
) -> list[dict[str, Any]]:
    rows = list(grouped) if met_at_most is None else _merge_values(grouped, keys, met_at_most)
    if not events or met_at_most is not None:
        for row in rows:
            row["ev"] = row["n"]
            row["ev_bad"] = row["n"] - int(row["met"] or 0)
    return rows


def _merge_values(
    grouped: Iterable[dict[str, Any]], keys: list[str], limit: int
) -> list[dict[str, Any]]:
    """Buckets grouped by value too, merged to buckets by ``keys`` and exclusion reason."""
    merged: dict[tuple[Any, ...], dict[str, Any]] = {}
    names = [*keys, "m_excluded"]
    for row in grouped:
        into = merged.setdefault(
            tuple(row[k] for k in names),
            {**{k: row[k] for k in names}, "n": 0, "met": 0, "vsum": 0, "vn": 0},
        )
        n, value = int(row["n"]), row["m_value"]
        into["n"] += n
        if value is not None:
            into["vsum"] += int(value) * n
            into["vn"] += n
            if value <= limit:
                into["met"] += n
    return list(merged.values())


def bucket_query(
    qs: QuerySet[Any], keys: list[str], *, events: bool = True, by_value: bool = False
) -> QuerySet[Any]:
    """The grouped query behind :func:`_buckets`: counts per ``keys`` (annotations already on
    ``qs``) and exclusion reason (also for ``bench.measures.profile``)."""
    qs = qs.values(*keys, "m_excluded", *(["m_value"] if by_value else []))
    if by_value:
        grouped: QuerySet[Any] = qs.annotate(n=Count("pk")).order_by()
        return grouped
    sums: dict[str, Any] = {"n": Count("pk"), "met": Sum("m_met")}
    if events:
        sums["ev"] = Count("m_event", distinct=True)
        sums["ev_bad"] = Count("m_event", distinct=True, filter=Q(m_met=0))
    grouped = qs.annotate(**sums, vsum=Sum("m_value"), vn=Count("m_value")).order_by()
    return grouped


def _limit(measure: Measure) -> int | None:
    return measure.met_at_most() if measure.met_at_most is not None else None


# --- prepared bucket queries -------------------------------------------------------------------
#
# Building and compiling a measure's bucket query in the ORM (nested look-ups, a dozen
# annotations) costs more than running it: about 40 ms a measure on the benchmark machine, most
# of the dashboard's first page. The SQL of a measure's window query differs from one request to
# the next only in its parameters (the moment of counting and the window), so each process
# compiles it once and runs it again with the parameters swapped.
#
# It is compiled twice, with two unrelated moments and windows ("sentinels"); every parameter
# that differs between the two must be one of the sentinels themselves (the moment, the day, the
# window's start or end), and is swapped for the real value on each run. A parameter computed
# from them (a day before the moment, say) differs too but is none of them: that measure is not
# prepared and is built each time, as is one whose building reads the database (its answer
# would be baked in) or whose SQL text differs between the two builds.

_SENTINELS = (
    (datetime(2041, 7, 17, 13, 37, 11, tzinfo=LONDON), date(2041, 2, 1), date(2041, 6, 30)),
    (datetime(2047, 10, 9, 5, 11, 43, tzinfo=LONDON), date(2046, 11, 1), date(2047, 9, 30)),
)


@dataclass(frozen=True)
class _Prepared:
    sql: str
    #: per parameter: a role ("now", "today", "start", "start_at", "end_at") or None (constant)
    roles: tuple[str | None, ...]
    params: tuple[Any, ...]


_PREPARED: dict[tuple[Any, ...], _Prepared | None] = {}


def _roles(now: datetime, start: date, end_at: datetime) -> dict[str, Any]:
    return {
        "now": now,
        "today": Scope(0, now).today,
        "start": start,
        "start_at": Period.between(start, start).start_at,
        "end_at": end_at,
    }


def _prepare(
    build: Callable[[Scope, date, datetime], QuerySet[Any]], scope: Scope
) -> _Prepared | None:
    compiled = []
    executed: list[str] = []

    def watch(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        executed.append(sql)
        return execute(sql, params, many, context)

    for now, start, end in _SENTINELS:
        end_at = Period.between(end, end).end_at
        with connection.execute_wrapper(watch), replica.reader().execute_wrapper(watch):
            qs = build(Scope(scope.authority_id, now, scope.team_id), start, end_at)
            sql, params = qs.query.sql_with_params()
        compiled.append((sql, tuple(params), _roles(now, start, end_at)))
    (sql_a, params_a, roles_a), (sql_b, params_b, roles_b) = compiled
    if executed or sql_a != sql_b or len(params_a) != len(params_b):
        return None
    roles: list[str | None] = []
    for a, b in zip(params_a, params_b, strict=True):
        if a == b and not any(a == v for v in roles_a.values()):
            roles.append(None)
            continue
        named = [r for r, v in roles_a.items() if v == a and roles_b[r] == b]
        if len(named) != 1:
            return None
        roles.append(named[0])
    return _Prepared(sql_a, tuple(roles), params_a)


def _run_prepared(
    key: tuple[Any, ...],
    build: Callable[[Scope, date, datetime], QuerySet[Any]],
    scope: Scope,
    start: date,
    end_at: datetime,
) -> list[dict[str, Any]]:
    """The rows of ``build(scope, start, end_at)`` as dicts, from the prepared SQL where the
    query could be prepared (see above), else from the ORM."""
    reader = replica.reader()
    key = (
        reader.alias,
        reader.settings_dict["NAME"],
        # the process-wide procedures rules (their amounts are in the SQL); replaced, recompiled
        id(procedures.default_rules()),
        scope.authority_id,
        scope.team_id,
        *key,
    )
    if key not in _PREPARED:
        _PREPARED[key] = _prepare(build, scope)
    prepared = _PREPARED[key]
    if prepared is None:
        return list(build(scope, start, end_at))
    values = _roles(scope.now, start, end_at)
    params = [
        constant if role is None else values[role]
        for role, constant in zip(prepared.roles, prepared.params, strict=True)
    ]
    with reader.cursor() as cursor:
        cursor.execute(prepared.sql, params)
        names = [column.name for column in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def _count(
    measure: Measure, qs: QuerySet[Any], *, by_day: bool, missed: QuerySet[Any] | None = None
) -> list[dict[str, Any]]:
    events = Unit.EVENT in measure.units
    buckets = _buckets(qs, by_day=by_day, events=events, met_at_most=_limit(measure))
    if missed is not None:
        buckets.extend(_buckets(missed, by_day=by_day, events=events))
    return buckets


def _count_window(
    measure: Measure, scope: Scope, start: date, end_at: datetime
) -> list[dict[str, Any]]:
    """Day buckets of a measure's rows (and never-happened rows) from ``start`` to ``end_at``:
    :func:`_count` of :func:`_window_rows` and :func:`_window_missed`, through prepared SQL."""
    events = Unit.EVENT in measure.units
    limit = _limit(measure)

    def rows(sc: Scope, first: date, until: datetime) -> QuerySet[Any]:
        qs = _window_rows(measure, sc, first, until).annotate(m_day=_day("m_at"))
        return bucket_query(qs, ["m_day"], events=events, by_value=limit is not None)

    def missed(sc: Scope, first: date, until: datetime) -> QuerySet[Any]:
        qs = _window_missed(measure, sc, first, until)
        assert qs is not None
        return bucket_query(qs.annotate(m_day=_day("m_at")), ["m_day"], events=events)

    key = (measure.key, measure.version)
    buckets = _counted(
        _run_prepared((*key, "rows"), rows, scope, start, end_at),
        ["m_day"],
        events=events,
        met_at_most=limit,
    )
    if measure.missed_rows is not None:
        buckets.extend(
            _counted(
                _run_prepared((*key, "missed"), missed, scope, start, end_at),
                ["m_day"],
                events=events,
                met_at_most=None,
            )
        )
    return buckets


def _count_periods(
    measure: Measure, scope: Scope, periods: list[Period]
) -> dict[str, list[dict[str, Any]]]:
    """Buckets of a bounded measure for several periods in one query (``UNION ALL`` of each
    period's grouped rows, tagged with the period)."""
    assert measure.period_rows is not None
    events = Unit.EVENT in measure.units
    limit = _limit(measure)
    parts = [
        bucket_query(
            _for_team(measure.period_rows(scope, period), scope).annotate(
                m_period=Value(period.token, output_field=CharField())
            ),
            ["m_period"],
            events=events,
            by_value=limit is not None,
        )
        for period in periods
    ]
    grouped = parts[0].union(*parts[1:], all=True) if len(parts) > 1 else parts[0]
    out: dict[str, list[dict[str, Any]]] = {period.token: [] for period in periods}
    for row in _counted(grouped, ["m_period"], events=events, met_at_most=limit):
        out[row.pop("m_period")].append(row)
    return out


def _figure(period: Period, kind: Kind, buckets: list[dict[str, Any]]) -> Figure:
    figure = Figure(period=period, kind=kind)
    for bucket in buckets:
        day = bucket.get("m_day")
        if day is None or period.start <= day <= period.end:
            figure.add(bucket)
    return figure


def _cache_key(measure: Measure, scope: Scope, *parts: object) -> str:
    joined = ":".join(str(p) for p in parts)
    return (
        f"measures:{scope.authority_id}:{scope.team_id}:{measure.key}:{measure.version}:"
        f"{scope.today}:{joined}"
    )


def _closed_key(measure: Measure, scope: Scope, *parts: object) -> str:
    joined = ":".join(str(p) for p in parts)
    return (
        f"measures:closed:{scope.authority_id}:{scope.team_id}:{measure.key}:"
        f"{measure.version}:{scope.today}:{joined}"
    )


def is_closed(period: Period, today: date) -> bool:
    """A period that ended more than ``CLOSED_AFTER_DAYS`` ago: its figures are kept for a day
    (``CLOSED_CACHE_SECONDS``) rather than recounted on every page."""
    return (today - period.end).days > CLOSED_AFTER_DAYS


def _months_between(start: date, end: date) -> list[Period]:
    months = []
    cursor = Period.month(start.year, start.month)
    while cursor.start <= end:
        months.append(cursor)
        nxt = cursor.end + timedelta(days=1)
        cursor = Period.month(nxt.year, nxt.month)
    return months


class _Kept:
    """The closed months and periods already counted, for the measures of one page: read from
    the cache (one round trip) and, for what the cache lacks, from the ``CountedPeriod`` summary
    table (one query; not put back in the cache, so nothing is kept longer than a day from its
    counting); what is counted now is written to both in one go by ``save``."""

    def __init__(
        self, scope: Scope, measures: tuple[Measure, ...], *, recount: bool = False
    ) -> None:
        from diogelu.measures.models import CountedPeriod

        self.scope = scope
        self.stores: dict[tuple[str, str], dict[str, list[dict[str, Any]]]] = {}
        self.counted: list[tuple[Measure, str, str, list[dict[str, Any]]]] = []
        keys = {
            _closed_key(m, scope, part): (m, part)
            for m in measures
            for part in ("months", "periods")
        }
        found = {} if recount else cache.get_many(list(keys))
        lacking = {}
        for key, (measure, part) in keys.items():
            if key in found:
                self.stores[(measure.key, part)] = found[key]
            else:
                self.stores[(measure.key, part)] = {}
                lacking[measure.key] = measure.version
        if lacking and not recount:
            rows = CountedPeriod.objects.filter(
                authority_id=scope.authority_id,
                team_id=scope.team_id or 0,
                measure__in=list(lacking),
                counted_at__gte=Period.between(scope.today, scope.today).start_at,
                counted_at__lte=scope.now,
            ).values_list("measure", "version", "part", "token", "buckets")
            for key, version, part, token, buckets in rows:
                if lacking.get(key) == version:
                    self.stores[(key, part)][token] = _decode(buckets)

    def store(self, measure: Measure, part: str) -> dict[str, list[dict[str, Any]]]:
        return self.stores[(measure.key, part)]

    def keep(self, measure: Measure, part: str, token: str, buckets: list[dict[str, Any]]) -> None:
        self.stores[(measure.key, part)][token] = buckets
        self.counted.append((measure, part, token, buckets))

    def save(self) -> None:
        from diogelu.measures.models import CountedPeriod

        if not self.counted:
            return
        touched = {(m.key, part): m for m, part, _, _ in self.counted}
        cache.set_many(
            {
                _closed_key(m, self.scope, part): self.stores[(key, part)]
                for (key, part), m in touched.items()
            },
            CLOSED_CACHE_SECONDS,
        )
        CountedPeriod.objects.bulk_create(
            [
                CountedPeriod(
                    authority_id=self.scope.authority_id,
                    team_id=self.scope.team_id or 0,
                    measure=m.key,
                    version=m.version,
                    part=part,
                    token=token,
                    buckets=_encode(buckets),
                    counted_at=self.scope.now,
                )
                for m, part, token, buckets in self.counted
            ],
            update_conflicts=True,
            unique_fields=["authority", "team_id", "measure", "version", "part", "token"],
            update_fields=["buckets", "counted_at"],
        )
        self.counted = []


#: a kept bucket's fields, in the order of the compact lists stored in ``CountedPeriod``
_FIELDS = ("m_day", "m_excluded", "n", "met", "ev", "ev_bad", "vsum", "vn")


def _encode(buckets: list[dict[str, Any]]) -> list[list[Any]]:
    def plain(value: Any) -> Any:
        if isinstance(value, date):
            return value.isoformat()
        return int(value) if isinstance(value, Decimal) else value

    return [[plain(b.get(name)) for name in _FIELDS] for b in buckets]


def _decode(buckets: list[list[Any]]) -> list[dict[str, Any]]:
    out = []
    for values in buckets:
        bucket = dict(zip(_FIELDS, values, strict=True))
        if bucket["m_day"] is None:
            del bucket["m_day"]
        else:
            bucket["m_day"] = date.fromisoformat(bucket["m_day"])
        out.append(bucket)
    return out


def _month_sum(month: Period, buckets: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """A closed month's day buckets summed per exclusion reason, dated the month's first day.

    What a period made of whole months needs of a month is exactly this sum (``Figure.add`` sums
    the same fields, and an event's rows share its day, so distinct events per day add up), and
    it is a few buckets instead of one per day: reading the kept months of five years of measures
    stays small (ADR 0811). A period that cuts a month counts that month's days afresh."""
    sums: dict[str, dict[str, Any]] = {}
    for bucket in buckets:
        reason = bucket["m_excluded"] or ""
        into = sums.setdefault(
            reason,
            {
                "m_day": month.start,
                "m_excluded": reason,
                "n": 0,
                "met": 0,
                "ev": 0,
                "ev_bad": 0,
                "vsum": 0,
                "vn": 0,
            },
        )
        for name in ("n", "met", "ev", "ev_bad", "vsum", "vn"):
            into[name] += int(bucket.get(name) or 0)
    return list(sums.values())


def _uncut(month: Period, periods: list[Period]) -> bool:
    """No period begins or ends inside ``month``: each holds all of it or none."""
    return all(
        month.end < p.start
        or month.start > p.end
        or (p.start <= month.start and month.end <= p.end)
        for p in periods
    )


def _day_buckets(
    measure: Measure, scope: Scope, periods: list[Period], kept: _Kept
) -> list[dict[str, Any]]:
    """Buckets for ``periods``: each closed month that no period cuts as kept (its sum; those
    missing counted together in one query), the months still open or cut by a period's start or
    end counted now, by day."""
    start = min(p.start for p in periods)
    end = max(p.end for p in periods)
    months = _months_between(start, end)
    whole = [m for m in months if is_closed(m, scope.today) and _uncut(m, periods)]
    store = kept.store(measure, "months")
    missing = [m for m in whole if m.token not in store]
    if missing:
        counted = _count_window(measure, scope, missing[0].start, missing[-1].end_at)
        for month in missing:
            kept.keep(
                measure,
                "months",
                month.token,
                _month_sum(month, [b for b in counted if month.start <= b["m_day"] <= month.end]),
            )
    buckets = [b for m in whole for b in store[m.token]]
    kept_tokens = {m.token for m in whole}
    runs: list[list[Period]] = []
    for month in months:
        if month.token in kept_tokens:
            continue
        if runs and runs[-1][-1].end + timedelta(days=1) == month.start:
            runs[-1].append(month)
        else:
            runs.append([month])
    for run in runs:
        first = max(run[0].start, start)
        buckets.extend(
            b
            for b in _count_window(measure, scope, first, run[-1].end_at)
            if start <= b["m_day"] <= end
        )
    return buckets


def _bounded_figures(
    measure: Measure, scope: Scope, periods: list[Period], kept: _Kept
) -> list[Figure]:
    """Figures of a bounded measure for each period; closed periods as kept, the rest counted
    together in one query."""
    assert measure.period_rows is not None
    store = kept.store(measure, "periods")
    todo = [p for p in periods if not (is_closed(p, scope.today) and p.token in store)]
    counted = _count_periods(measure, scope, todo) if todo else {}
    for period in todo:
        if is_closed(period, scope.today):
            kept.keep(measure, "periods", period.token, counted[period.token])
    return [
        _figure(p, measure.kind, counted[p.token] if p.token in counted else store[p.token])
        for p in periods
    ]


def _series(measure: Measure, scope: Scope, period: Period, kept: _Kept) -> MeasureSeries:
    previous = period.previous()
    months = period.trend_months()
    if measure.period_rows is not None:
        current, before, *trend = _bounded_figures(
            measure, scope, [period, previous, *months], kept
        )
        return MeasureSeries(measure, current, before, trend)
    buckets = _day_buckets(measure, scope, [period, previous, *months], kept)
    return MeasureSeries(
        measure,
        _figure(period, measure.kind, buckets),
        _figure(previous, measure.kind, buckets),
        [_figure(m, measure.kind, buckets) for m in months],
    )


def compute_series(
    scope: Scope,
    period: Period,
    measures: tuple[Measure, ...] = MEASURES,
    *,
    reuse: bool = True,
    recount: bool = False,
) -> list[MeasureSeries]:
    """Every measure for ``period``, the previous period and the twelve-month trend. Without
    ``reuse`` the five-minute series cache is bypassed; with ``recount`` (the daily sweep) the
    kept closed months are recounted too."""
    earliest = min(period.previous().start, period.trend_months()[0].start)
    ensure_calendar(earliest, max(period.end, scope.today))
    with transaction.atomic():
        _no_jit()
        return _compute(scope, period, measures, reuse=reuse, recount=recount)


def _no_jit() -> None:
    """PostgreSQL's JIT compiles these correlated-subquery plans (high estimated cost) for far
    longer than they take to run (hundreds of ms against tens): off for this transaction.

    And a random page read costed as on a solid-state disk (1.1, the usual setting for one;
    PostgreSQL's default of 4 assumes spinning disks): with the default, a window of a month's
    reports was joined to its decisions and children by reading both tables whole (46 ms at five
    years of a county), where following their indexes takes 10 ms (ADR 0811)."""
    reader = replica.reader()  # where the counting runs (the replica's transaction, ADR 0830)
    if reader.vendor == "postgresql":
        with reader.cursor() as cursor:
            cursor.execute("SET LOCAL jit = off")
            cursor.execute("SET LOCAL random_page_cost = 1.1")


def _compute(
    scope: Scope, period: Period, measures: tuple[Measure, ...], *, reuse: bool, recount: bool
) -> list[MeasureSeries]:
    keys = {measure.key: _cache_key(measure, scope, period.token) for measure in measures}
    cached = cache.get_many(list(keys.values())) if reuse else {}
    todo = tuple(m for m in measures if keys[m.key] not in cached)
    kept = _Kept(scope, todo, recount=recount) if todo else None
    fresh = {}
    for measure in todo:
        assert kept is not None
        series = _series(measure, scope, period, kept)
        fresh[keys[measure.key]] = (series.current, series.previous, series.trend)
    if kept is not None:
        kept.save()
    if fresh:
        cache.set_many(fresh, CACHE_SECONDS)
    found = {**cached, **fresh}
    return [MeasureSeries(measure, *found[keys[measure.key]]) for measure in measures]


def by_team(measure: Measure, scope: Scope, period: Period) -> list[tuple[int | None, Figure]]:
    """The measure for ``period`` per team (of the practitioner responsible), largest first."""
    with transaction.atomic():
        _no_jit()
        return _by_team(measure, scope, period)


def _by_team(measure: Measure, scope: Scope, period: Period) -> list[tuple[int | None, Figure]]:
    buckets = [
        bucket
        for rows in period_row_sets(measure, scope, period)
        for bucket in rows.values("m_team", "m_excluded")
        .annotate(
            n=Count("pk"),
            met=Sum("m_met"),
            ev=Count("m_event", distinct=True),
            ev_bad=Count("m_event", distinct=True, filter=Q(m_met=0)),
            vsum=Sum("m_value"),
            vn=Count("m_value"),
        )
        .order_by()
    ]
    teams: dict[int | None, Figure] = {}
    for bucket in buckets:
        teams.setdefault(bucket["m_team"], Figure(period=period, kind=measure.kind)).add(bucket)
    return sorted(teams.items(), key=lambda item: -item[1].children)


def breakdown(
    measure: Measure, scope: Scope, period: Period, dimension: str
) -> list[tuple[str, int]]:
    """Counts of a register snapshot by ``category``, ``age`` band or ``sex`` (codes)."""
    from django.db.models import Case, CharField, Value, When

    from diogelu.conferences.models import RegisterCategory

    rows = period_rows(measure, scope, period)
    if dimension == "category":
        end = period.end_at
        held = RegisterCategory.objects.filter(
            episode_id__in=rows.values("pk"), from_at__lt=end
        ).filter(Q(to_at__isnull=True) | Q(to_at__gte=end))
        return [
            (r["category"], r["n"])
            for r in held.values("category")
            .annotate(n=Count("episode_id", distinct=True))
            .order_by("category")
        ]
    if dimension == "sex":
        return [
            (r["person__sex"], r["n"])
            for r in rows.values("person__sex").annotate(n=Count("pk")).order_by("person__sex")
        ]
    from diogelu.procedures import add_months

    bands = [("under_1", 1), ("1_4", 5), ("5_9", 10), ("10_15", 16), ("16_17", 18)]
    whens = [
        When(person__is_unborn=True, then=Value("unborn")),
        When(person__date_of_birth__isnull=True, then=Value("not_known")),
    ]
    for label, years in bands:
        whens.append(
            When(person__date_of_birth__gt=add_months(period.end, -12 * years), then=Value(label))
        )
    banded = rows.annotate(m_band=Case(*whens, default=Value("18_plus"), output_field=CharField()))
    counts = {
        r["m_band"]: r["n"] for r in banded.values("m_band").annotate(n=Count("pk")).order_by()
    }
    order = ["unborn", *(b for b, _ in bands), "18_plus", "not_known"]
    return [(b, counts[b]) for b in order if b in counts]


def rag(value: float | None, target: Decimal | None, amber: Decimal, *, higher: bool) -> str:
    """GREEN at or beyond target, AMBER within ``amber`` points of it, else RED; "" without a
    value or a target."""
    if value is None or target is None:
        return ""
    gap = (value - float(target)) if higher else (float(target) - value)
    if gap >= 0:
        return "GREEN"
    if gap >= -float(amber):
        return "AMBER"
    return "RED"


def refresh(now: datetime) -> int:
    """The ``measures-refresh`` beat entry (every ``REFRESH_SECONDS``): every authority's
    current quarter and financial year, as the performance dashboard opens them, counted again
    into the five-minute cache before it expires, so that no page waits for the open month's
    count. The closed months are read from the summary, as pages read them. Returns how many
    authorities."""
    return _count_every_authority(now, recount=False)


def _count_every_authority(now: datetime, *, recount: bool) -> int:
    """Every active authority's current quarter and financial year counted into the cache (with
    ``recount``, the kept closed months counted again too). Returns how many authorities."""
    from diogelu.accounts.models import Agency, AgencyKind

    today = timezone.localdate(now)
    done = 0
    for authority_id in Agency.objects.filter(
        kind=AgencyKind.LOCAL_AUTHORITY, is_active=True
    ).values_list("pk", flat=True):
        scope = Scope(authority_id, now)
        for kind in ("q", "fy"):
            compute_series(scope, Period.containing(kind, today), reuse=False, recount=recount)
        done += 1
    return done


def warm(now: datetime, *, force: bool = False) -> int:
    """The ``measures.warm`` sweep: once a day, count the closed months of every authority's
    current quarter and financial year so pages count only the open weeks. Idempotent.

    Run off the request path three ways (ADR 0730): by its own beat entry just after local
    midnight (``measures-warm`` in ``CELERY_BEAT_SCHEDULE``, so the first page of the day finds
    the day's summary rows), by the tick as a fallback, and at the end of ``load_demo`` and
    ``load_synthetic`` (with ``force``: the data just changed under the day's flag)."""
    flag = f"measures:warmed:{timezone.localdate(now).isoformat()}"
    if cache.get(flag) and not force:
        return 0
    done = _count_every_authority(now, recount=True)
    cache.set(flag, True, CLOSED_CACHE_SECONDS)
    return done
