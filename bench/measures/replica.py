"""The performance dashboard on the primary and on a streaming replica (issue 17, ADR 0830).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/diogelu_bench_measures \\
    DATABASE_REPLICA_URL=postgres://postgres@127.0.0.1:5433/diogelu_bench_measures \\
    REDIS_URL=redis://127.0.0.1:6379/9 python -m bench.measures.replica

Needs the county of ``make bench-measures`` in that database, and a hot standby of its server
(docs/deployment.md, "A read replica"). Times ``GET /performance/`` and one measure page as the
head of service, first of the day (the cache cleared before each request), alternately on the
primary (the browser pinned there by the after-a-write cookie) and on the replica, and prints a
Markdown table. Both run on this one machine, so this measures the routing's cost and the scope
copying, not the relief a replica on its own server gives the primary.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "diogelu.settings")
    os.environ.setdefault("DEBUG", "1")
    import django

    django.setup()
    from django.core.cache import cache
    from django.db import connections
    from django.test import Client

    from diogelu.accounts.models import User
    from diogelu.core import replica

    assert replica.configured(), "set DATABASE_REPLICA_URL"
    with connections[replica.REPLICA].cursor() as cursor:
        cursor.execute("SELECT pg_is_in_recovery()")
        assert cursor.fetchone() == (True,), "the replica is not a standby"

    head = User.objects.get(username="bench-hos")
    on_replica = Client(HTTP_HOST="127.0.0.1")
    on_replica.force_login(head)
    on_primary = Client(HTTP_HOST="127.0.0.1")
    on_primary.force_login(head)
    on_primary.cookies[replica.PIN_COOKIE] = "1"

    pages = {
        "The whole dashboard page (`GET /performance/`), first of the day": "/performance/",
        "One measure page (ICPC, with its teams), first of the day": (
            "/performance/measures/icpc_15wd/"
        ),
    }
    samples: dict[tuple[str, str], list[float]] = {}
    load_before = os.getloadavg()
    for label, url in pages.items():
        for client in (on_primary, on_replica):  # compile templates, connect
            cache.clear()
            assert client.get(url).status_code == 200
        for _ in range(args.runs):
            for where, client in (("primary", on_primary), ("replica", on_replica)):
                cache.clear()
                t = time.perf_counter()
                response = client.get(url)
                samples.setdefault((label, where), []).append((time.perf_counter() - t) * 1000)
                assert response.status_code == 200, response.status_code
    print(f"load average before: {load_before}; after: {os.getloadavg()}; runs: {args.runs}")
    print()
    print("| Page | primary median ms | replica median ms | primary max | replica max |")
    print("|---|---:|---:|---:|---:|")
    for label in pages:
        p, r = samples[(label, "primary")], samples[(label, "replica")]
        print(
            f"| {label} | {statistics.median(p):.0f} | {statistics.median(r):.0f} "
            f"| {max(p):.0f} | {max(r):.0f} |"
        )


if __name__ == "__main__":
    main()
