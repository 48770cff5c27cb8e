"""A real Celery worker on Redis delivers the outbox and runs the reminders (production setup).

Needs REDIS_URL and a PostgreSQL DATABASE_URL (the worker is a separate process and must share
the test database). Without them the test skips, saying why, except in CI (``CI`` set) or with
DIOGELU_REQUIRE_REDIS=1, where it fails: CI must not pass by skipping it.

The worker is started as ``celery -A diogelu worker --pool=solo`` with DATABASE_URL pointing at
the *test* database, and is always killed in a ``finally``. Celery has no result backend: the
test polls the database for the effect.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any
from unittest import mock
from urllib.parse import quote

import pytest
from django.conf import settings
from django.db import connection
from django.db.models import Count

from diogelu.accounts.models import Role
from diogelu.notifications import services as outbox
from diogelu.notifications.models import EmailDelivery, InboxItem, Kind, OutboxMessage
from diogelu.notifications.tasks import deliver_outbox, run_reminders
from diogelu.notifications.tests.helpers import leads, submitted_report
from diogelu.sharing import services as sharing
from diogelu.sharing.models import InformationRequest, Priority
from tests import factories as f

pytestmark = [pytest.mark.redis, pytest.mark.slow, pytest.mark.django_db(transaction=True)]

BASE_DIR = Path(settings.BASE_DIR)
CELERY = str(Path(sys.executable).with_name("celery"))
WAIT = 30.0  # seconds: the longest any step may take


def require_redis_and_postgresql() -> str:
    """The Redis URL, or skip (fail in CI / with DIOGELU_REQUIRE_REDIS=1) saying what is missing."""
    problems = []
    redis_url = os.environ.get("REDIS_URL", "")
    if not redis_url:
        problems.append("REDIS_URL is not set")
    if connection.vendor != "postgresql":
        problems.append(
            f"the database is {connection.vendor}, not PostgreSQL (set DATABASE_URL): a worker "
            "in another process cannot share the in-memory SQLite test database"
        )
    if problems:
        message = "Real Celery worker test needs Redis and PostgreSQL: " + "; ".join(problems)
        if os.environ.get("CI") or os.environ.get("DIOGELU_REQUIRE_REDIS") == "1":
            pytest.fail(message + " (required: CI or DIOGELU_REQUIRE_REDIS=1 is set)")
        pytest.skip(message)
    import redis

    try:
        redis.Redis.from_url(redis_url, socket_connect_timeout=3).ping()
    except redis.RedisError as exc:  # configured but down: that is a failure, not a skip
        pytest.fail(f"REDIS_URL is set but Redis does not answer: {type(exc).__name__}: {exc}")
    return redis_url


def test_database_url() -> str:
    db = connection.settings_dict
    assert db["NAME"].startswith("test_"), "never point a worker at a real database"
    auth = quote(db["USER"] or "", safe="")
    if db.get("PASSWORD"):
        auth += ":" + quote(db["PASSWORD"], safe="")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


test_database_url.__test__ = False  # type: ignore[attr-defined]  # a helper, not a test


@contextmanager
def celery_worker(
    redis_url: str, log: Path, queues: tuple[str, ...] = settings.CELERY_QUEUE_NAMES
) -> Iterator[subprocess.Popen[bytes]]:
    """A real worker process on the test database, taking ``queues`` (all three by default, as
    ``make serve-production`` runs it); killed (-9) on the way out, whatever happens."""
    env = {k: v for k, v in os.environ.items() if k not in ("SQLITE_PATH",)}
    env.update(
        DEBUG="1",
        DJANGO_SETTINGS_MODULE="diogelu.settings",
        DATABASE_URL=test_database_url(),
        REDIS_URL=redis_url,
        EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
        PYTHONPATH=str(BASE_DIR),
    )
    with log.open("ab") as out:
        proc = subprocess.Popen(
            [
                CELERY,
                "-A",
                "diogelu",
                "worker",
                "--pool=solo",
                "--concurrency=1",
                "-Q",
                ",".join(queues),
                "--loglevel=WARNING",
                "--without-gossip",
                "--without-mingle",
                "-n",
                f"diogelu-test-{uuid.uuid4().hex[:8]}@%h",
            ],
            cwd=BASE_DIR,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: killed with everything it started
        )
    try:
        yield proc
    finally:
        kill(proc)


def kill(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is None:
        with suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)  # the group this test created for the worker
    proc.wait(timeout=10)


def wait_for(check: Callable[[], Any], what: str, log: Path, timeout: float = WAIT) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = check()
        if result:
            return result
        time.sleep(0.05)
    tail = log.read_text(errors="replace")[-3000:] if log.exists() else ""
    pytest.fail(f"timed out after {timeout:.0f} s waiting for {what}; worker log:\n{tail}")


def _ask_the_police(world: Any) -> tuple[InformationRequest, OutboxMessage]:
    """The MASH asks the police about a submitted report's child: the request and the outbox
    message its on-commit hook sends to the worker."""
    report = submitted_report(world)
    request = sharing.request_information(
        actor=world.mash,
        report=report,
        child=report.children.get(),
        agency=world.police,
        priority=Priority.STANDARD,
        question="What do you hold about this child?",
    )
    return request, OutboxMessage.objects.get(dedupe_key=f"request:{request.pk}")


def queue_done(redis_url: str, queue: str) -> bool:
    """Nothing waiting in ``queue`` and none of its tasks taken but unfinished: kombu keeps a
    late-acknowledged message in the ``unacked`` hash, with its routing key, until the task
    returns (a worker killed earlier leaves its own there, so only this queue's are counted)."""
    import json

    import redis

    client = redis.Redis.from_url(redis_url)
    if client.llen(queue):
        return False
    in_flight = [json.loads(raw) for raw in client.hvals("unacked")]
    return not any(entry[2] == queue for entry in in_flight)


def test_queues_are_separate_a_delivery_worker_leaves_batch_work_alone(world, tmp_path):
    """A worker that takes only the delivery queue delivers the outbox, while the measures'
    warm-up waits in the batch queue and the reminders sweep in the reminders queue: long
    counting never holds up a notification (settings.CELERY_TASK_ROUTES)."""
    import redis

    from diogelu.measures.tasks import measures_warm

    redis_url = require_redis_and_postgresql()
    client = redis.Redis.from_url(redis_url)
    client.delete("batch", "reminders")
    log = tmp_path / "worker.log"
    with celery_worker(redis_url, log, queues=("delivery",)):
        measures_warm.delay()
        run_reminders.delay()
        _, asked = _ask_the_police(world)
        wait_for(
            lambda: InboxItem.objects.filter(message=asked, user=world.police_officer).exists(),
            "the delivery worker to deliver the information request",
            log,
        )
        assert client.llen("batch") == 1
        assert client.llen("reminders") == 1
    client.delete("batch", "reminders")


def test_real_worker_delivers_survives_kill_9_and_runs_reminders(world, tmp_path):
    redis_url = require_redis_and_postgresql()
    assert settings.CELERY_TASK_ALWAYS_EAGER is False  # the on-commit hook goes through Redis
    log = tmp_path / "worker.log"
    extra = leads(world)

    # 1. A service change: its on-commit hook calls deliver_outbox.delay(); the worker delivers.
    with celery_worker(redis_url, log) as first:
        request, asked = _ask_the_police(world)
        wait_for(
            lambda: InboxItem.objects.filter(message=asked, user=world.police_officer).exists(),
            "the worker to deliver the information request",
            log,
        )
        assert set(
            InboxItem.objects.filter(message=asked).values_list("user__username", flat=True)
        ) == {"police", "plead"}
        wait_for(
            lambda: not OutboxMessage.objects.filter(delivered_at__isnull=True).exists(),
            "the report-received message too",
            log,
        )

        # 2. A batch big enough to kill the worker in the middle of it.
        messages, users = 40, 25
        batch_users = [world.health_practitioner] + [
            f.user(world.health, Role.HEALTH_PRACTITIONER, email=f"h{i}@example.org")
            for i in range(users - 1)
        ]
        with mock.patch.object(outbox, "_kick"):  # enqueue quietly, then one sweep
            for i in range(messages):
                outbox.enqueue(
                    kind=Kind.REMINDER,
                    dedupe_key=f"batch:{i}",
                    subject=f"Batch message {i}",
                    agency=world.health,
                    roles=[Role.HEALTH_PRACTITIONER],
                )
        batch = OutboxMessage.objects.filter(dedupe_key__startswith="batch:")

        def delivered() -> int:
            return batch.filter(delivered_at__isnull=False).count()

        deliver_outbox.delay()
        wait_for(lambda: delivered() >= 3, "the first deliveries of the batch", log)
        kill(first)  # kill -9 in the middle of the batch
        at_kill = delivered()
        assert first.returncode == -signal.SIGKILL
        assert 3 <= at_kill < messages, f"not killed mid-batch: {at_kill} of {messages} delivered"

    # 3. A new worker finishes the batch: every message once, no duplicates.
    with celery_worker(redis_url, log):
        deliver_outbox.delay()
        wait_for(lambda: delivered() == messages, "a new worker to finish the batch", log)
        items = InboxItem.objects.filter(message__in=batch)
        assert items.count() == messages * users
        assert not items.values("user", "message").annotate(n=Count("id")).filter(n__gt=1)
        assert set(items.values_list("user", flat=True)) == {u.pk for u in batch_users}
        # Every address once (the world's health practitioner has no email address).
        assert EmailDelivery.objects.filter(message__in=batch).count() == messages * (users - 1)
        assert all(m.attempts >= 1 and m.last_error == "" for m in batch)

        # 4. The reminders task through the worker: an overdue request is escalated once.
        InformationRequest.objects.filter(pk=request.pk).update(
            due_at=request.due_at.replace(year=request.due_at.year - 1)
        )
        run_reminders.delay()
        overdue = wait_for(
            lambda: (
                OutboxMessage.objects.filter(
                    kind=Kind.REQUEST_OVERDUE, delivered_at__isnull=False
                ).count()
                == 2
            ),
            "run_reminders to escalate and the worker to deliver the escalation",
            log,
        )
        assert overdue
        request.refresh_from_db()
        assert request.escalated_at is not None
        escalated_to = set(
            InboxItem.objects.filter(message__kind=Kind.REQUEST_OVERDUE).values_list(
                "user__username", flat=True
            )
        )
        assert escalated_to == {extra["police_lead"].username, world.manager.username}
        # A second sweep escalates nothing more. It runs on the reminders queue; with late
        # acknowledgement its message stays in Redis's "unacked" hash until it has finished, so
        # once the queue and that hash are empty the second sweep has run.
        run_reminders.delay()
        wait_for(lambda: queue_done(redis_url, "reminders"), "the second sweep", log)
        with mock.patch.object(outbox, "_kick"):
            sentinel = outbox.enqueue(
                kind=Kind.REMINDER, dedupe_key="sentinel", subject="After", user=world.mash
            )
        deliver_outbox.delay()
        wait_for(lambda: InboxItem.objects.filter(message=sentinel).exists(), "the sentinel", log)
        assert OutboxMessage.objects.filter(kind=Kind.REQUEST_OVERDUE).count() == 2
        assert OutboxMessage.objects.filter(delivered_at__isnull=True).count() == 0
