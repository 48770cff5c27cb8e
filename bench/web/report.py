"""Turn locust's ``--csv`` stats into the markdown table of ``docs/performance.md`` (ADR 0740).

Each level of users (1, 10, 50) gives one ``<prefix>_stats.csv``. Every page's p50/p95/p99 and
throughput are shown with its ratio to the trivial view measured in the same run: the machine is
shared, so only ratios are comparable between runs.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

TRIVIAL = "trivial"
AGGREGATED = "Aggregated"


@dataclass(frozen=True)
class Row:
    name: str
    requests: int
    failures: int
    p50: float
    p95: float
    p99: float
    rps: float


def parse_stats(text: str) -> dict[str, Row]:
    """The rows of one locust ``_stats.csv`` by request name, without the aggregated line."""
    rows: dict[str, Row] = {}
    for record in csv.DictReader(io.StringIO(text)):
        name = record["Name"]
        if name == AGGREGATED or not name:
            continue
        rows[name] = Row(
            name=name,
            requests=int(record["Request Count"]),
            failures=int(record["Failure Count"]),
            p50=float(record["50%"]),
            p95=float(record["95%"]),
            p99=float(record["99%"]),
            rps=float(record["Requests/s"]),
        )
    return rows


def _ratio(value: float, base: float) -> str:
    return f"{value / base:.1f}×" if base else "–"


def level_order(level: int | str) -> tuple[int, str]:
    """Levels by their number of users, then by name: ``1 (police)`` before ``10``."""
    text = str(level)
    return (int(text.split()[0]), text)


def markdown(
    levels: dict[int, dict[str, Row]] | dict[str, dict[str, Row]], trivial: str = TRIVIAL
) -> str:
    """One table: a line per page and level of users, times in ms with their ratio to the trivial
    view at the same level (a level is a number of users, or one user of one persona, ``1
    (police)``, whose trivial view is its own run's)."""
    lines = [
        "| page | users | requests (failed) | p50 ms (×trivial) | p95 ms (×trivial) "
        "| p99 ms (×trivial) | req/s |",
        "| --- | --- | --- | --- | --- | --- | --- |",
    ]
    for users in sorted(levels, key=level_order):
        rows = levels[users]  # type: ignore[index]
        base = rows.get(trivial)
        for name in sorted(rows, key=lambda n: (n != trivial, n)):
            row = rows[name]
            cells = [
                f"{row.p50:.0f} ({_ratio(row.p50, base.p50) if base else '–'})",
                f"{row.p95:.0f} ({_ratio(row.p95, base.p95) if base else '–'})",
                f"{row.p99:.0f} ({_ratio(row.p99, base.p99) if base else '–'})",
            ]
            lines.append(
                f"| {name} | {users} | {row.requests} ({row.failures}) | "
                + " | ".join(cells)
                + f" | {row.rps:.1f} |"
            )
    return "\n".join(lines) + "\n"
