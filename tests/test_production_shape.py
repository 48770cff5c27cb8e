"""Smoke test of the production shape: ``scripts/serve_production.sh`` (gunicorn + a real Celery
worker + Celery beat) on PostgreSQL and Redis, not runserver. One journey: a school's system sends
a report through the API; the MASH's notification is delivered by the Celery worker.

Needs ``DATABASE_URL`` (PostgreSQL) and ``REDIS_URL``; it makes and drops its own database
(``<name>_smoke``). Skips without them, fails under ``CI=1``.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest

ROOT = Path(__file__).resolve().parent.parent
pytestmark = [pytest.mark.production, pytest.mark.slow(seconds=70)]

REPORT = {
    "children": [{"given_name": "Sian", "family_name": "Prydderch", "date_of_birth": "2015-03-27"}],
    "what_happened": "Bruises on both arms.",
    "categories": ["PHYSICAL"],
    "immediate_danger": "NO",
    "family_aware": "NO",
    "lawful_basis": "SAFEGUARDING",
}


def _need(reason: str) -> None:
    # Any CI value (the CI harness sets CI=true, .ci/run exports CI=1): required there.
    if os.environ.get("CI"):
        pytest.fail(f"CI is set and {reason}")
    pytest.skip(reason)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def shape() -> Iterator[dict[str, str]]:
    database_url = os.environ.get("DATABASE_URL", "")
    redis_url = os.environ.get("REDIS_URL", "")
    if not database_url.startswith("postgres") or not redis_url:
        _need("the production-shape smoke test needs DATABASE_URL (PostgreSQL) and REDIS_URL")
    import psycopg

    parts = urlsplit(database_url)
    name = parts.path.lstrip("/") + "_smoke"
    admin_url = urlunsplit(parts._replace(path="/postgres"))
    smoke_url = urlunsplit(parts._replace(path=f"/{name}"))
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    port = _free_port()
    env = {
        **os.environ,
        "DEBUG": "0",
        "SECRET_KEY": "smoke-" + os.urandom(16).hex(),
        "DATABASE_URL": smoke_url,
        "REDIS_URL": redis_url,
        "ALLOWED_HOSTS": "127.0.0.1",
        "BEHIND_PROXY": "1",
        "EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend",
        "BIND": f"127.0.0.1:{port}",
        "GUNICORN_WORKERS": "2",
        "CELERY_CONCURRENCY": "1",
        "VENV": str(Path(sys.executable).parent.parent),
        "DIOGELU_VAR_DIR": str(ROOT / "var" / "smoke"),
        # The demo is loaded into a throwaway database of a test site, never production.
        "DEPLOYMENT": "training",
    }
    manage = [sys.executable, str(ROOT / "manage.py")]
    subprocess.run([*manage, "migrate", "--no-input", "-v", "0"], env=env, check=True, cwd=ROOT)
    subprocess.run(
        [*manage, "load_demo", "--households", "3", "--quiet-logins", "--allow-without-debug"],
        env=env,
        check=True,
        cwd=ROOT,
        capture_output=True,
    )
    token = (
        subprocess.run(
            [
                *manage,
                "shell",
                "-c",
                "from diogelu.accounts.models import User\n"
                "from diogelu.accounts.services import create_api_token\n"
                "u = User.objects.get(username='school.dsp')\n"
                "print(create_api_token(actor=u, name='smoke', days=1)[1])",
            ],
            env=env,
            check=True,
            cwd=ROOT,
            capture_output=True,
            text=True,
        )
        .stdout.strip()
        .splitlines()[-1]
    )
    # var/ is made by whatever writes there first; on a fresh clone, with this file among the
    # first to run (the longest first, conftest.py), nothing has yet.
    (ROOT / "var").mkdir(exist_ok=True)
    log = open(ROOT / "var" / "smoke.log", "w")  # noqa: SIM115 (closed at teardown)
    proc = subprocess.Popen(
        [str(ROOT / "scripts" / "serve_production.sh")],
        env=env,
        cwd=ROOT,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                with urllib.request.urlopen(f"{base}/readyz", timeout=2) as response:  # noqa: S310
                    if response.status == 200:
                        break
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("the production shape did not become ready (var/smoke.log)")
            time.sleep(1)
        yield {"base": base, "token": token, "database_url": smoke_url}
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
        log.close()
        with psycopg.connect(admin_url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_a_report_through_gunicorn_is_notified_by_the_celery_worker(
    shape: dict[str, str],
) -> None:
    import psycopg

    request = urllib.request.Request(  # noqa: S310 (loopback http)
        f"{shape['base']}/api/v1/reports/",
        data=json.dumps(REPORT).encode(),
        method="POST",
        headers={
            "Authorization": f"Bearer {shape['token']}",
            "Content-Type": "application/json",
            "Idempotency-Key": "smoke-1",
            "X-Forwarded-Proto": "https",
        },
    )
    with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
        assert response.status == 201
        report = json.loads(response.read())
    assert report["status"] == "SUBMITTED"
    # The notification to the MASH is delivered by the Celery worker (kicked through Redis on
    # commit; beat's outbox sweep would also deliver it within a minute).
    deadline = time.monotonic() + 90
    with psycopg.connect(shape["database_url"], autocommit=True) as conn:
        while True:
            row = conn.execute(
                "SELECT count(*), count(delivered_at) FROM notifications_outboxmessage "
                "WHERE kind = 'REPORT_RECEIVED'"
            ).fetchone()
            assert row is not None
            if row[0] and row[0] == row[1]:
                break
            assert time.monotonic() < deadline, f"not delivered by the worker: {row}"
            time.sleep(1)
    with urllib.request.urlopen(f"{shape['base']}/healthz", timeout=5) as response:  # noqa: S310
        assert response.read() == b"ok"
