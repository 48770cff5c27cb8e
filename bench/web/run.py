"""``make bench-web``: the production shape under load, each page as a ratio to a trivial view.

    BENCH_DATABASE_URL=postgres://…/diogelu_benchweb .venv/bin/python -m bench.web.run \
        [--users 1,10,50] [--seconds 20] [--workers N]

1. Migrates the PostgreSQL database and, if it has no demo users, loads the demo authority (a
   county made by ``load_synthetic`` can be used instead: its demo users are the personas).
2. Signs the personas in by writing their sessions (and an API token for the agency system) —
   sign-in and MFA are not measured — and picks the pages' ids (a child the MASH may see, a held
   conference, a team).
3. Starts gunicorn with DEBUG off behind the proxy header (ADR 0741), ``--workers`` as
   ``scripts/serve_production.sh`` does (2 × cores).
4. After ``--warmup`` seconds of every persona at once (not recorded: the caches and each
   worker's first request of a page are a cold start, once per deploy), runs locust headless
   (``bench/web/locustfile.py``) at each number of users for ``--seconds``
   (at one user, each persona alone in turn for ``--seconds``: one locust user is one persona,
   so a single run would measure one persona's pages only) and writes its CSVs and
   ``bench/out/web/report.md`` (``bench/web/report.py``): p50/p95/p99 of every page with its
   ratio to the trivial view in the same run.

With ``REDIS_URL`` set (the production shape), the cache is Redis and a Celery worker with beat
runs beside gunicorn; without it, the cache is the database table and tasks run in the web process.
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "bench" / "out" / "web"
PY = sys.executable

#: The locust user class of each persona (bench/web/locustfile.py), for the one-user runs.
PERSONA_CLASSES = {
    "MASH": "MashPractitioner",
    "police": "PoliceOfficer",
    "manager": "TeamManager",
    "chair": "ConferenceChair",
    "head of service": "HeadOfService",
    "API": "AgencySystem",
}

PERSONAS = {
    "mash": "mash.practitioner",
    "police": "police.officer",
    "manager": "team.manager",
    "head": "head.of.service",
    "chair": "chair.manager",
    "api": "mash.practitioner",
}

PREPARE = r"""
import json, os, sys
import django
django.setup()
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from django.middleware.csrf import _get_new_csrf_string
from diogelu.accounts.models import User
from diogelu.accounts.services import create_api_token
from diogelu.accounts.stepup import SESSION_KEY as STEP_UP_KEY
from django.utils import timezone
from diogelu.people.models import Person
from diogelu.conferences.access import visible_conferences
from diogelu.accounts.models import Team

personas = json.loads(sys.argv[1])
out = {"personas": {}, "csrf_cookie": "__Host-csrftoken", "search_name": "Jones"}
for key, username in personas.items():
    user = User.objects.get(username=username)
    if key == "api":
        _token, text = create_api_token(actor=user, name="bench-web", days=1)
        out["personas"][key] = {"cookies": {}, "token": text}
        continue
    store = SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = next(
        b for b in settings.AUTHENTICATION_BACKENDS if "axes" not in b.lower()
    )
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store[STEP_UP_KEY] = timezone.now().timestamp()
    store.create()
    csrf = _get_new_csrf_string()
    cookies = {"__Host-sessionid": store.session_key, "__Host-csrftoken": csrf}
    out["personas"][key] = {"cookies": cookies}
mash = User.objects.get(username=personas["mash"])
child = Person.objects.visible_to(mash).filter(date_of_birth__isnull=False).order_by("pk").first()
out["child"] = child.pk
chair = User.objects.get(username=personas["chair"])
out["conference"] = visible_conferences(chair).order_by("pk").values_list("pk", flat=True).first()
manager = User.objects.get(username=personas["manager"])
team = Team.objects.filter(pk=manager.team_id).first() or Team.objects.order_by("pk").first()
out["team"] = team.pk
print(json.dumps(out))
"""


def _env(database_url: str, secret: str, debug: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        DATABASE_URL=database_url,
        SECRET_KEY=secret,
        DEBUG=debug,
        ALLOWED_HOSTS="127.0.0.1,localhost",
        BEHIND_PROXY="1",
        MFA_REQUIRED="0",
        LOG_LEVEL="WARNING",
        DJANGO_SETTINGS_MODULE="diogelu.settings",
        # The benchmark measures what a page costs, not the API's throttle: the agency system
        # persona's 600 requests an hour (the default) ran out on the third run within an hour,
        # and the API lists answered 429 in a few milliseconds (2026-12-06).
        API_RATE=os.environ.get("BENCH_API_RATE", "1000000/hour"),
    )
    return env


def _ensure_database(url: str) -> None:
    """Create the benchmark's PostgreSQL database if it is not there yet."""
    from urllib.parse import urlsplit, urlunsplit

    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


def _wait(url: str, seconds: float = 900) -> float:
    """Seconds until ``url`` answers. gunicorn builds the matching index before it forks its
    workers (ADR 0500): about a minute per 300,000 people on this machine, so the wait is long."""
    began = time.monotonic()
    deadline = began + seconds
    said = began
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 - localhost
                if response.status == 200:
                    return time.monotonic() - began
        except OSError:
            time.sleep(0.5)
        if time.monotonic() - said >= 30:
            said = time.monotonic()
            print(
                f"bench-web: waiting for gunicorn ({said - began:.0f} s; the matching index is "
                "built before the workers fork)",
                flush=True,
            )
    raise SystemExit(f"bench-web: {url} did not answer within {seconds:.0f} s")


def _memory(master: int) -> str:
    """Resident and proportional set sizes of gunicorn's master and workers (Linux)."""

    def kb(pid: int, field: str, name: str) -> int:
        try:
            for line in Path(f"/proc/{pid}/{name}").read_text().splitlines():
                if line.startswith(field + ":"):
                    return int(line.split()[1])
        except OSError:
            pass
        return 0

    try:
        children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    except OSError:
        return "memory: not readable here"
    workers = [int(c) for c in children]
    rss = [kb(w, "VmRSS", "status") // 1024 for w in workers]
    pss = sum(kb(w, "Pss", "smaps_rollup") for w in [master, *workers]) // 1024
    return (
        f"master RSS {kb(master, 'VmRSS', 'status') // 1024} MB; workers' RSS "
        f"{', '.join(str(r) for r in rss)} MB; all together (PSS, shared pages once) {pss} MB"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--users", default="6,12,50")
    parser.add_argument("--seconds", type=int, default=20)
    parser.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1))
    parser.add_argument("--port", type=int, default=8011)
    parser.add_argument(
        "--warmup",
        type=int,
        default=15,
        help="seconds of every persona at once before measuring, not recorded (0: none)",
    )
    args = parser.parse_args(argv)
    database_url = os.environ.get(
        "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/diogelu_benchweb"
    )
    if not database_url.startswith("postgres"):
        raise SystemExit("bench-web runs on PostgreSQL (BENCH_DATABASE_URL)")
    _ensure_database(database_url)
    secret = secrets.token_urlsafe(48)
    setup = _env(database_url, secret, "1")
    print("bench-web: migrating and loading the demo if needed", flush=True)
    subprocess.run(
        [PY, "manage.py", "migrate", "--no-input", "-v", "0"], cwd=ROOT, env=setup, check=True
    )
    has_demo = (
        subprocess.run(
            [
                PY,
                "manage.py",
                "shell",
                "-c",
                "from diogelu.accounts.models import User;"
                "print(User.objects.filter(username='mash.practitioner').exists())",
            ],
            cwd=ROOT,
            env=setup,
            check=True,
            capture_output=True,
            text=True,
        )
        .stdout.strip()
        .endswith("True")
    )
    if not has_demo:
        subprocess.run([PY, "manage.py", "load_demo"], cwd=ROOT, env=setup, check=True)
    made = subprocess.run(
        [PY, "-c", PREPARE, json.dumps(PERSONAS)],
        cwd=ROOT,
        env=_env(database_url, secret, "0"),
        check=False,
        capture_output=True,
        text=True,
    )
    if made.returncode:
        raise SystemExit(f"bench-web: preparing the personas failed:\n{made.stderr[-3000:]}")
    prepared = made.stdout.strip().splitlines()[-1]
    OUT.mkdir(parents=True, exist_ok=True)
    targets = OUT / "targets.json"
    targets.write_text(prepared, encoding="utf-8")
    serve = _env(database_url, secret, "0")
    subprocess.run(
        [PY, "manage.py", "collectstatic", "--no-input", "-v", "0"], cwd=ROOT, env=serve, check=True
    )
    base = f"http://127.0.0.1:{args.port}"
    gunicorn = subprocess.Popen(
        [
            str(Path(PY).parent / "gunicorn"),
            "diogelu.wsgi",
            "--bind",
            f"127.0.0.1:{args.port}",
            "--workers",
            str(args.workers),
            "--timeout",
            "120",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=serve,
    )
    # With Redis (the production shape), a Celery worker and beat beside gunicorn: the pages hand
    # the worker work (the MASH dashboard's closed-loop recount, ADR 0824; the outbox), and beat
    # counts the measures again before their cache expires (ADR 0825). Without Redis, tasks run
    # in the web process, as on the embedded default.
    OUT.mkdir(parents=True, exist_ok=True)
    worker = (
        subprocess.Popen(
            [
                str(Path(PY).parent / "celery"),
                "-A",
                "diogelu",
                "worker",
                "--beat",
                "--schedule",
                str(OUT / "celerybeat-schedule"),
                "--concurrency",
                "1",
                "--loglevel",
                "WARNING",
            ],
            cwd=ROOT,
            env=serve,
        )
        if serve.get("REDIS_URL")
        else None
    )
    levels: dict[str, dict[str, report.Row]] = {}
    try:
        ready = _wait(f"{base}/healthz")
        print(f"bench-web: gunicorn ready in {ready:.1f} s", flush=True)
        from bench.web import report

        # A warm-up, not recorded: the caches a running service has (the dashboards' kept
        # figures, each worker's first request of a page) are filled before measuring, so the
        # first level does not measure a cold start that production sees once per deploy.
        runs: list[tuple[str, int, list[str]]] = (
            [("warm-up", len(PERSONA_CLASSES), [])] if args.warmup else []
        )
        for users in [int(u) for u in args.users.split(",")]:
            if users == 1:
                runs += [(f"1 ({name})", 1, [cls]) for name, cls in PERSONA_CLASSES.items()]
            else:
                runs.append((str(users), users, []))
        for level, users, classes in runs:
            prefix = OUT / f"u{level.replace(' ', '').replace('(', '-').replace(')', '')}"
            seconds = args.warmup if level == "warm-up" else args.seconds
            print(f"bench-web: {level} ({users} users) for {seconds} s", flush=True)
            subprocess.run(
                [
                    str(Path(PY).parent / "locust"),
                    "-f",
                    str(ROOT / "bench/web/locustfile.py"),
                    "--headless",
                    "-u",
                    str(users),
                    "-r",
                    str(max(1, users // 2)),
                    "-t",
                    f"{seconds}s",
                    "--host",
                    base,
                    "--csv",
                    str(prefix),
                    "--only-summary",
                    "--loglevel",
                    "WARNING",
                    *classes,
                ],
                cwd=ROOT,
                env={**os.environ, "BENCH_WEB_TARGETS": str(targets)},
                check=False,
            )
            if level != "warm-up":
                levels[level] = report.parse_stats(
                    Path(f"{prefix}_stats.csv").read_text(encoding="utf-8")
                )
        table = report.markdown(levels)
        machine = (
            f"{os.cpu_count()} cores; gunicorn {args.workers} workers; "
            f"{'a Celery worker and beat on Redis' if worker else 'no Redis: tasks in-process'}; "
            f"{args.seconds} s per level after a {args.warmup} s warm-up; "
            f"gunicorn ready (matching index built before fork) in {ready:.1f} s; after the run, "
            f"{_memory(gunicorn.pid)}"
        )
        (OUT / "report.md").write_text(f"{machine}\n\n{table}", encoding="utf-8")
        print(table)
    finally:
        gunicorn.send_signal(signal.SIGTERM)
        gunicorn.wait(timeout=30)
        if worker is not None:
            worker.send_signal(signal.SIGTERM)
            worker.wait(timeout=30)
    return 0


if __name__ == "__main__":
    sys.exit(main())
