"""Walk every page and API list as each persona on generated data, and print the slowest.

    DEBUG=0 … DATABASE_URL=postgres://…/<generated county> .venv/bin/python -m bench.web.crawl \
        [--users social.worker,police.officer,…] [--per-view 2] [--top 40]

``bench.web.pages`` times a fixed list of key pages; this finds the ones nobody listed. For each
persona it follows the links of the pages it reaches, from My work, as a user would (GET only,
at most ``--per-view`` addresses of each view, so that a list of thousands of children is not
walked child by child), then asks every API list without a parameter with an API token. Each
address is requested twice and the second request is reported: its time, SQL statements and
size. A page or list that issues more statements than ``--statements`` or takes longer than
``--slow`` milliseconds is marked with ``!``. Times are in-process (no gunicorn, no network) and
include the test client's overhead; compare statements and orders of magnitude, not
milliseconds (``make bench-web`` measures under load).

It found, on a county of 300,000 people and five years (issue 17): a partner's record list in
the API at 9,000 statements (25 s), a health visitor's exploitation contexts at 0.9 s, the
audit set-up page at 493 statements, and four API lists whose statements grew with the page.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import time
from collections import defaultdict, deque
from typing import Any

#: Personas of the generated authority (``load_synthetic``'s demo users), one of each kind.
USERS = (
    "mash.practitioner,mash.manager,social.worker,team.manager,conference.chair,head.of.service,"
    "auditor,police.officer,health.visitor,school.dsp"
)
#: Addresses never followed: they change state, leave the site or stream a file.
SKIP = re.compile(r"logout|/static/|/admin|download|\.pdf|/export|/i18n/|csv|/api/v1/schema")
HREF = re.compile(r'href="(/[^"#]*)"')


def _timed(client: Any, path: str) -> tuple[float, int, Any]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(path)
    with CaptureQueriesContext(connection) as ctx:
        started = time.perf_counter()
        response = client.get(path)
        elapsed = time.perf_counter() - started
    return elapsed, len(ctx.captured_queries), response


def _pages(user: Any, per_view: int, limit: int) -> list[tuple[float, int, int, int, str, str]]:
    from django.test import Client
    from django.urls import Resolver404, resolve

    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(user)
    rows = []
    seen: set[str] = set()
    per: dict[str, int] = defaultdict(int)
    queue = deque(["/"])
    while queue and len(seen) < limit:
        path = queue.popleft().replace("&amp;", "&")
        if path in seen or SKIP.search(path):
            continue
        try:
            match = resolve(path.split("?")[0])
        except Resolver404:
            continue
        key = match.view_name + ("?" if "?" in path else "")
        if per[key] >= per_view:
            continue
        per[key] += 1
        seen.add(path)
        elapsed, statements, response = _timed(client, path)
        rows.append((elapsed, statements, len(response.content), response.status_code, key, path))
        if response.status_code == 200 and "html" in response.get("Content-Type", ""):
            queue.extend(HREF.findall(response.content.decode("utf-8", "ignore")))
    return rows


def _api_lists() -> list[str]:
    from django.urls import URLResolver, get_resolver

    def walk(patterns: Any, prefix: str = "") -> Any:
        for p in patterns:
            if isinstance(p, URLResolver):
                yield from walk(p.url_patterns, prefix + str(p.pattern))
            else:
                yield prefix + str(p.pattern)

    return sorted(
        {
            "/" + p
            for p in walk(get_resolver().url_patterns)
            if p.startswith("api/v1/") and "<" not in p and not SKIP.search("/" + p)
        }
        - {"/api/v1/", "/api/v1/docs/"}
    )


def _api(user: Any) -> list[tuple[float, int, int, int, str, str]]:
    from django.test import Client

    from diogelu.accounts.services import create_api_token

    _token, text = create_api_token(actor=user, name="bench.web.crawl", days=1)
    client = Client(HTTP_HOST="127.0.0.1", headers={"Authorization": f"Bearer {text}"})
    rows = []
    for path in _api_lists():
        elapsed, statements, response = _timed(client, path)
        rows.append((elapsed, statements, len(response.content), response.status_code, "api", path))
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--users", default=USERS)
    parser.add_argument("--per-view", type=int, default=2)
    parser.add_argument("--pages", type=int, default=400, help="at most this many a persona")
    parser.add_argument("--top", type=int, default=40)
    parser.add_argument("--statements", type=int, default=60)
    parser.add_argument("--slow", type=float, default=250.0, help="milliseconds")
    args = parser.parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "diogelu.settings")
    import django

    django.setup()
    from diogelu.accounts.models import User

    found = []
    for username in args.users.split(","):
        user = User.objects.filter(username=username).first()
        if user is None:
            print(f"{username}: no such user in this database", flush=True)
            continue
        pages = _pages(user, args.per_view, args.pages)
        lists = _api(user)
        errors = [r for r in pages + lists if r[3] >= 500]
        print(f"{username}: {len(pages)} pages, {len(lists)} API lists, {len(errors)} errors")
        for row in errors:
            print(f"  {row[3]} {row[5]}")
        found += [(username, *row) for row in pages + lists]
    found.sort(key=lambda r: r[1], reverse=True)
    print(f"\n{'ms':>7} {'SQL':>5} {'bytes':>8}  status  user / view / address")
    for username, elapsed, statements, size, status, key, path in found[: args.top]:
        mark = "!" if statements > args.statements or elapsed * 1000 > args.slow else " "
        print(
            f"{elapsed * 1000:7.0f} {statements:5} {size:8} {mark} {status}  "
            f"{username} {key} {path}"
        )
    print(f"\n{len(found)} addresses; the most statements:")
    for username, elapsed, statements, _size, _status, _key, path in sorted(
        found, key=lambda r: r[2], reverse=True
    )[:10]:
        print(f"{statements:5} {elapsed * 1000:7.0f} ms  {username} {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
