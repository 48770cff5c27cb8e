"""Where the dashboard's cold time goes: each measure's series timed alone, nothing cached.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/diogelu_bench python -m bench.measures.profile

Run after ``bench.measures.run`` has built the county. Prints the measures slowest first and,
with ``--explain KEY``, PostgreSQL's EXPLAIN ANALYZE of that measure's bucket query.
"""

from __future__ import annotations

import argparse
import os
import time


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--explain", default="")
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "diogelu.settings")
    os.environ.setdefault("DEBUG", "1")
    import django

    django.setup()
    from django.core.cache import cache
    from django.db import connection, transaction
    from django.utils import timezone

    from bench.measures.generate import CODE
    from diogelu.accounts.models import Agency
    from diogelu.measures import compute
    from diogelu.measures.definitions import MEASURES, Scope, Unit, get_measure
    from diogelu.measures.periods import Period

    county = Agency.objects.get(code=CODE)
    scope = Scope(county.pk, timezone.now())
    period = Period.containing("q", timezone.localdate())
    compute.compute_series(scope, period, MEASURES[:1])
    if args.explain:
        measure = get_measure(args.explain)
        assert measure is not None
        if measure.period_rows is not None:
            rows = compute.period_rows(measure, scope, period)
        else:
            start = min(period.previous().start, period.trend_months()[0].start)
            rows = compute._window_rows(measure, scope, start, period.end_at)
        query = compute.bucket_query(
            rows.annotate(m_day=compute._day("m_at")),
            ["m_day"] if measure.period_rows is None else [],
            events=Unit.EVENT in measure.units,
            by_value=measure.met_at_most is not None,
        )
        sql, params = query.query.sql_with_params()
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET LOCAL jit = off")
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql, params)
            for (line,) in cursor.fetchall():
                print(line)
        return
    timings = []
    for measure in MEASURES:
        cache.clear()
        t = time.perf_counter()
        compute.compute_series(scope, period, (measure,))
        timings.append(((time.perf_counter() - t) * 1000, measure.key))
    for ms, key in sorted(timings, reverse=True):
        print(f"{ms:8.1f} ms  {key}")
    print(f"{sum(ms for ms, _ in timings):8.1f} ms  in all; load {os.getloadavg()}")


if __name__ == "__main__":
    main()
