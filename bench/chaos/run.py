"""``make chaos``: kill -9 the app and PostgreSQL while a client writes with idempotency keys.

SECURITY.md §1 rows 17 and 18. Everything runs on loopback and is bounded:

* a PostgreSQL cluster of its own (``pg_createcluster``, default port 5499, ``fsync`` and
  ``synchronous_commit`` on, as the defaults), so killing it disturbs no other database; it is
  dropped at the end;
* the app under gunicorn (2 workers) on ``CHAOS_APP_PORT`` (default 8102), as a partner agency's
  system would call it: ``POST /api/v1/reports/`` (a draft report of one child) with an
  ``Idempotency-Key``, retried with the same key on a connection error, a 503 or a 409 ("in
  progress") until it is acknowledged (2xx), at most ``CHAOS_ATTEMPTS`` times;
* a chaos thread that, every 2–4 s (seeded), alternately ``kill -9``s the whole gunicorn process
  group (then starts it again) and the postmaster (then ``pg_ctlcluster … start``), at most
  ``CHAOS_KILLS`` times.

Then it counts, from the database itself: acknowledged writes missing (loss), reports beyond one
per key (duplicates; the key is in the child's name), and every answer received while the
database was down, by status (all should be 503). Exit status 1 unless loss = 0, duplicates = 0
and no answer was a 500. Needs root (``pg_createcluster``) and PostgreSQL's server packages.
"""

from __future__ import annotations

import contextlib
import json
import os
import random
import signal
import subprocess
import sys
import threading
import time
import uuid
from collections import Counter
from pathlib import Path
from typing import Any

import psycopg
import requests

ROOT = Path(__file__).resolve().parents[2]
PY = str(ROOT / ".venv" / "bin" / "python")
GUNICORN = str(ROOT / ".venv" / "bin" / "gunicorn")
VERSION = os.environ.get("CHAOS_PG_VERSION") or sorted(os.listdir("/usr/lib/postgresql"))[-1]
CLUSTER = os.environ.get("CHAOS_PG_CLUSTER", "diogelu_chaos")
PG_PORT = int(os.environ.get("CHAOS_PG_PORT", "5499"))
APP_PORT = int(os.environ.get("CHAOS_APP_PORT", "8102"))
WRITES = int(os.environ.get("CHAOS_WRITES", "400"))
KILLS = int(os.environ.get("CHAOS_KILLS", "12"))
ATTEMPTS = int(os.environ.get("CHAOS_ATTEMPTS", "400"))
SEED = int(os.environ.get("CHAOS_SEED", "11"))
DB = "diogelu_chaos"
DSN = f"postgresql://postgres@127.0.0.1:{PG_PORT}/{DB}"
BASE = f"http://127.0.0.1:{APP_PORT}"
ENV = {
    **os.environ,
    "DJANGO_SETTINGS_MODULE": "diogelu.settings",
    # Production mode: with DEBUG on, Django answers a crash with its debug page, not handler500.
    "DEBUG": "0",
    "SECRET_KEY": "chaos-" + uuid.uuid4().hex * 2,
    "ALLOWED_HOSTS": "127.0.0.1",
    "SECURE_SSL_REDIRECT": "0",
    "DATABASE_URL": f"postgres://postgres@127.0.0.1:{PG_PORT}/{DB}",
    "API_RATE": "100000000/hour",
    "LOG_LEVEL": "WARNING",
}
ENV.pop("REDIS_URL", None)


def say(text: str) -> None:
    print(f"[chaos {time.strftime('%H:%M:%S')}] {text}", flush=True)


def run(*args: str, check: bool = True, quiet: bool = False) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        list(args),
        check=check,
        text=True,
        capture_output=quiet,
        env=ENV,
        cwd=ROOT,
    )


# --- PostgreSQL of our own ----------------------------------------------------------------------


def _cluster_exists() -> bool:
    out = run("pg_lsclusters", "--no-header", quiet=True).stdout
    return any(line.split()[:2] == [VERSION, CLUSTER] for line in out.splitlines() if line.strip())


def _pg_ready(timeout: float) -> bool:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        ok = subprocess.run(
            ["pg_isready", "-h", "127.0.0.1", "-p", str(PG_PORT), "-q"], check=False
        ).returncode
        if ok == 0:
            return True
        time.sleep(0.2)
    return False


def start_pg() -> None:
    for _ in range(100):
        done = subprocess.run(
            ["pg_ctlcluster", "--skip-systemctl-redirect", VERSION, CLUSTER, "start"],
            check=False,
            capture_output=True,
        )
        if done.returncode == 0 or _pg_ready(0.5):
            break
        time.sleep(0.3)  # the killed postmaster's backends are still exiting
    if not _pg_ready(60):
        raise SystemExit("PostgreSQL did not come back within 60 s")


def postmaster_pid() -> int:
    data = Path(f"/var/lib/postgresql/{VERSION}/{CLUSTER}/postmaster.pid")
    return int(data.read_text().splitlines()[0])


def create_cluster() -> None:
    if _cluster_exists():
        run("pg_dropcluster", "--stop", VERSION, CLUSTER, quiet=True)
    run(
        "pg_createcluster",
        VERSION,
        CLUSTER,
        "-p",
        str(PG_PORT),
        "--",
        "--auth-local=trust",
        "--auth-host=trust",
        quiet=True,
    )
    start_pg()
    with psycopg.connect(f"postgresql://postgres@127.0.0.1:{PG_PORT}/postgres") as c:
        c.autocommit = True
        settings: dict[str, str] = dict(
            c.execute(
                "SELECT name, setting FROM pg_settings WHERE name IN "
                "('fsync', 'synchronous_commit', 'full_page_writes')"
            ).fetchall()
        )
        assert settings == {"fsync": "on", "synchronous_commit": "on", "full_page_writes": "on"}
        c.execute(f"CREATE DATABASE {DB}")


def drop_cluster() -> None:
    if _cluster_exists():
        run("pg_dropcluster", "--stop", VERSION, CLUSTER, check=False, quiet=True)


# --- the app ------------------------------------------------------------------------------------

SETUP = """
from diogelu.accounts.models import Agency, AgencyKind, Role, RoleAssignment, User
from diogelu.accounts.services import create_api_token
la = Agency.objects.create(kind=AgencyKind.LOCAL_AUTHORITY, name="Chaos Council", code="chaos-la")
police = Agency.objects.create(kind=AgencyKind.POLICE, name="Chaos Police", code="chaos-police")
police.partner_of.add(la)
user = User.objects.create_user(username="chaos.police", password=None, agency=police)
RoleAssignment.objects.create(user=user, role=Role.POLICE_OFFICER)
_, full = create_api_token(actor=user, name="chaos", days=1)
print("TOKEN", full, user.pk)
"""


class App:
    def __init__(self) -> None:
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                GUNICORN,
                "diogelu.wsgi",
                "-w",
                "2",
                "-b",
                f"127.0.0.1:{APP_PORT}",
                "--timeout",
                "30",
                "--log-level",
                "warning",
            ],
            env=ENV,
            cwd=ROOT,
            start_new_session=True,  # its own process group: kill -9 takes master and workers
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )

    def kill(self) -> None:
        if self.process is not None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()
            self.process = None


# --- the client and the chaos -------------------------------------------------------------------


class State:
    def __init__(self) -> None:
        self.db_down = False
        self.done = False
        self.acked: dict[str, int] = {}
        self.statuses: Counter[str] = Counter()
        self.while_down: Counter[str] = Counter()
        self.gave_up: list[str] = []
        self.kills: Counter[str] = Counter()
        self.lock = threading.Lock()

    def note(self, what: str, down: bool) -> None:
        with self.lock:
            self.statuses[what] += 1
            if down:
                self.while_down[what] += 1


def client(state: State, token: str, run_id: str) -> None:
    session = requests.Session()
    headers = {"Authorization": f"Bearer {token}"}
    for i in range(WRITES):
        key = f"{run_id}-{i}"
        body = {"draft": True, "children": [{"given_name": "Chaos", "family_name": key}]}
        for _attempt in range(ATTEMPTS):
            down = state.db_down
            try:
                r = session.post(
                    f"{BASE}/api/v1/reports/",
                    data=json.dumps(body),
                    headers={**headers, "Idempotency-Key": key, "Content-Type": "application/json"},
                    timeout=15,
                )
            except requests.RequestException:
                state.note("connection error", down)
                time.sleep(0.2)
                continue
            state.note(str(r.status_code), down or state.db_down)
            if r.status_code in (200, 201):
                state.acked[key] = int(r.json()["id"])
                break
            time.sleep(0.3 if r.status_code in (409, 503) else 0.5)
        else:
            state.gave_up.append(key)
    state.done = True


def chaos(state: State, app: App) -> None:
    rng = random.Random(SEED)
    for n in range(KILLS):
        time.sleep(rng.uniform(2, 4))
        if state.done:
            return
        if n % 2 == 0:
            group = app.process.pid if app.process else "-"
            say(f"kill -9 gunicorn (master and workers, process group {group})")
            app.kill()
            state.kills["app"] += 1
            time.sleep(rng.uniform(0.2, 1.0))
            app.start()
        else:
            pid = postmaster_pid()
            say(f"kill -9 postmaster {pid}")
            state.db_down = True
            os.kill(pid, signal.SIGKILL)
            state.kills["postgres"] += 1
            time.sleep(rng.uniform(1.5, 3.0))
            start_pg()
            state.db_down = False
            say("PostgreSQL is back")


def main() -> int:
    started = time.monotonic()
    app = App()
    try:
        say(f"PostgreSQL {VERSION} cluster {CLUSTER} on port {PG_PORT}")
        create_cluster()
        run(PY, "manage.py", "migrate", "--no-input", quiet=True)
        out = run(PY, "manage.py", "shell", "-c", SETUP, quiet=True).stdout
        line = next(x for x in out.splitlines() if x.startswith("TOKEN "))
        token, user_id = line.split()[1], int(line.split()[2])
        app.start()
        for _ in range(100):
            try:
                requests.get(f"{BASE}/healthz", timeout=2)
                break
            except requests.RequestException:
                time.sleep(0.2)
        state = State()
        run_id = uuid.uuid4().hex[:8]
        say(f"client: {WRITES} writes with idempotency keys; chaos: {KILLS} kills")
        writer = threading.Thread(target=client, args=(state, token, run_id))
        monkey = threading.Thread(target=chaos, args=(state, app), daemon=True)
        writer.start()
        monkey.start()
        writer.join()
        monkey.join(timeout=60)
        if not _pg_ready(1):
            start_pg()
        with psycopg.connect(DSN) as c:
            rows = c.execute(
                "SELECT r.id, c.family_name FROM referrals_report r "
                "JOIN referrals_reportchild c ON c.report_id = r.id WHERE r.created_by_id = %s",
                [user_id],
            ).fetchall()
        ids = {r[0] for r in rows}
        per_key = Counter(r[1] for r in rows)
        lost = [k for k, pk in state.acked.items() if pk not in ids]
        duplicates = sum(n - 1 for n in per_key.values() if n > 1)
        result: dict[str, Any] = {
            "writes": WRITES,
            "acknowledged": len(state.acked),
            "gave_up": len(state.gave_up),
            "reports_in_database": len(ids),
            "lost": len(lost),
            "duplicates": duplicates,
            "kills": dict(state.kills),
            "answers": dict(sorted(state.statuses.items())),
            "answers_while_database_down": dict(sorted(state.while_down.items())),
            "seconds": round(time.monotonic() - started, 1),
        }
        # Requests on a connection whose backend outlived the killed postmaster can still succeed
        # while it is "down"; every other answer in that window must be 503 (or no connection).
        refused_down = {k: n for k, n in state.while_down.items() if not k.startswith("2")}
        result["errors_while_database_down"] = refused_down
        say(json.dumps(result, indent=2))
        ok = (
            not lost
            and duplicates == 0
            and not state.gave_up
            and not any(k.startswith("5") and k != "503" for k in state.statuses)
            and all(k in ("503", "connection error") for k in refused_down)
        )
        say("PASS: 0 lost, 0 duplicates, 503 while the database was down" if ok else "FAIL")
        return 0 if ok else 1
    finally:
        app.kill()
        drop_cluster()


if __name__ == "__main__":
    sys.exit(main())
