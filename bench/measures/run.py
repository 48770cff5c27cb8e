"""``make bench-measures``: the performance dashboard on five years of a county (~50,000 reports).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/diogelu_bench \
        REDIS_URL=redis://127.0.0.1:6379/9 python -m bench.measures.run

The cache is Redis, as in production (``make bench-measures`` sets ``REDIS_URL``; without it the
cache would be the database's own table and every cached series three more queries).

Migrates the database named by ``DATABASE_URL`` (use a database of its own: the county stays
there between runs), generates the county once (``bench/measures/generate.py``), then times what
the dashboard page computes — every measure for the current quarter, the previous quarter and the
twelve-month trend — cold (cache cleared) and warm (cached), and one measure page with its
breakdown by team, and prints a Markdown table to paste into docs/performance.md.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import time
from typing import Any


def _setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "diogelu.settings")
    os.environ.setdefault("DEBUG", "1")
    import django

    django.setup()


def _time(fn: Any, runs: int) -> tuple[float, float]:
    samples = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - t) * 1000)
    return statistics.median(samples), max(samples)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--reports", type=int, default=50_000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    _setup()
    from django.conf import settings
    from django.core.cache import cache
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from bench.measures.generate import counts, generate
    from diogelu.measures import compute
    from diogelu.measures.definitions import Scope, get_measure
    from diogelu.measures.periods import Period

    call_command("migrate", verbosity=0)
    t = time.perf_counter()
    county = generate(reports=args.reports)
    built = time.perf_counter() - t
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ANALYZE")
    scope = Scope(county.pk, timezone.now())
    period = Period.containing("q", timezone.localdate())
    from diogelu.measures.calendar import ensure_calendar

    ensure_calendar(period.previous().start.replace(year=period.start.year - 1), period.end)

    from diogelu.measures.models import CountedPeriod

    def forget() -> None:
        cache.clear()
        CountedPeriod.objects.all().delete()

    def cold() -> None:
        forget()
        compute.compute_series(scope, period)

    def restarted() -> None:
        # the cache lost (a restart) after the daily sweep: closed months from the summary table
        cache.clear()
        compute.compute_series(Scope(county.pk, timezone.now()), period)

    def usual() -> None:
        # after the daily warm-up: closed months cached, the open weeks counted now
        compute.compute_series(Scope(county.pk, timezone.now()), period, reuse=False)

    def warm() -> None:
        compute.compute_series(scope, period)

    icpc = get_measure("icpc_15wd")
    assert icpc is not None

    def measure_page() -> None:
        forget()
        compute.compute_series(scope, period, (icpc,))
        compute.by_team(icpc, scope, period)

    from django.test import Client

    from diogelu.accounts.models import User

    browser = Client(HTTP_HOST="127.0.0.1")
    browser.force_login(User.objects.get(username="bench-hos"))

    def page() -> None:
        # the whole dashboard page as the head of service asks for it, first of the day (as
        # ``restarted``): counting, targets, the sparklines and the template
        cache.clear()
        response = browser.get("/performance/")
        assert response.status_code == 200, response.status_code

    def year() -> None:
        forget()
        compute.compute_series(scope, Period.containing("fy", timezone.localdate()))

    load_before = os.getloadavg()
    cold_med, cold_max = _time(cold, args.runs)
    cache.clear()
    compute.warm(timezone.now())
    restarted_med, restarted_max = _time(restarted, args.runs)
    compute.warm(timezone.now())
    usual_med, usual_max = _time(usual, args.runs)
    warm()
    warm_med, warm_max = _time(warm, args.runs)
    page()  # the page's own first request in this process (templates compiled)
    whole_med, whole_max = _time(page, args.runs)
    page_med, page_max = _time(measure_page, args.runs)
    year_med, year_max = _time(year, args.runs)
    db = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
    print(f"county built or found in {built:.1f} s: {counts(county)}")
    print(
        f"database: {db}; machine: {platform.processor() or platform.machine()}, "
        f"{os.cpu_count()} cores, Python {platform.python_version()}"
    )
    print(f"load average before: {load_before}; after: {os.getloadavg()}")
    print()
    rows = [
        (
            "Dashboard: every measure, quarter, previous quarter, 12 months; nothing counted "
            "before (cache and summary table empty)",
            cold_med,
            cold_max,
        ),
        (
            "First page of the day: after the 00:05 sweep (ADR 0730), cache empty (closed "
            "months read from the summary table, the open weeks counted)",
            restarted_med,
            restarted_max,
        ),
        (
            "**The whole dashboard page** (`GET /performance/` as the head of service), first of "
            "the day as above",
            whole_med,
            whole_max,
        ),
        ("The same after the daily warm-up (only the open weeks counted)", usual_med, usual_max),
        ("The same, cached (within 5 minutes)", warm_med, warm_max),
        ("Dashboard for a financial year, nothing counted before", year_med, year_max),
        ("One measure page (ICPC) with its teams, nothing counted before", page_med, page_max),
    ]
    print("| What | median ms | max ms |")
    print("|---|---:|---:|")
    for label, med, worst in rows:
        print(f"| {label} | {med:.1f} | {worst:.1f} |")


if __name__ == "__main__":
    main()
