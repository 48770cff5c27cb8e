"""The MASH dashboard's closed-loop measures are counted again by a Celery worker, not by the
page that finds them out of date (ADR 0824).

At Wales scale the count takes about 3 s, and the first dashboard after each five-minute interval
waited for it (the once-a-run spike at 10 users in ``make bench-web``). With a broker, an out of
date figure (up to an hour old) is shown, saying when it was counted, while a worker counts it
again; one recount is asked at a time per authority. Without a broker (the embedded default) the
page counts, as before (``test_mash_dashboard_queries``).

Needs Redis and PostgreSQL, as the other real-worker tests (skipped, or failed under CI, without).
"""

from __future__ import annotations

import datetime

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from diogelu.notifications.tests.test_celery_worker import (
    celery_worker,
    require_redis_and_postgresql,
    wait_for,
)
from diogelu.sharing import queues
from diogelu.sharing.tests.test_mash_dashboard_queries import _add_decided_reports

#: The kept denominator as the page shows it.
KEPT = 'numeric">97</td>'

pytestmark = [pytest.mark.redis, pytest.mark.slow, pytest.mark.django_db(transaction=True)]


def _keep(world, counted_at: datetime.datetime, denominator: int) -> None:
    """Figures for the MASH's authority as if counted at ``counted_at``."""
    measure = {"numerator": 0, "denominator": denominator}
    cache.set(
        queues._loop_key(world.mash.agency_id),
        {
            "decisions": {**measure, "key": "decisions_in_time", "rule": "report.decision"},
            "shared": {**measure, "key": "outcomes_shared", "rule": "outcome.notify"},
            "counted_at": counted_at,
        },
        queues.MEASURES_STALE_SECONDS,
    )


def _dashboard(client) -> tuple[str, int]:
    """The page, and how many times it counted the closed loop itself."""
    with CaptureQueriesContext(connection) as ctx:
        body = client.get(reverse("mash_dashboard")).content.decode()
    return body, sum("WITH rep AS" in q["sql"] for q in ctx.captured_queries)


def test_out_of_date_figures_are_shown_while_a_real_worker_counts_them_again(world, tmp_path):
    import redis

    redis_url = require_redis_and_postgresql()
    assert settings.CELERY_TASK_ALWAYS_EAGER is False
    client_redis = redis.Redis.from_url(redis_url)
    client_redis.delete("reminders")
    cache.clear()
    _add_decided_reports(world, 2)
    ten_minutes_ago = timezone.now() - datetime.timedelta(minutes=10)
    _keep(world, ten_minutes_ago, denominator=97)
    client = world.client_for(world.mash)

    body, counted = _dashboard(client)
    assert counted == 0, "the page counted out-of-date figures itself"
    shown = timezone.localtime(ten_minutes_ago)
    assert f"{shown:%H:%M}" in body and KEPT in body
    assert client_redis.llen("reminders") == 1  # one recount asked, on the reminders queue
    # Another member of the MASH a moment later: the same figures, and no second recount.
    body, counted = _dashboard(world.client_for(world.manager))
    assert counted == 0 and KEPT in body
    assert client_redis.llen("reminders") == 1

    log = tmp_path / "worker.log"
    with celery_worker(redis_url, log, queues=("reminders",)):

        def recounted() -> bool:
            kept = cache.get(queues._loop_key(world.mash.agency_id))
            return bool(kept) and kept["counted_at"] > ten_minutes_ago

        wait_for(recounted, "the worker to count the loop measures again", log)
    kept = cache.get(queues._loop_key(world.mash.agency_id))
    assert kept["decisions"]["denominator"] == 2  # the two decided reports, counted for real
    assert kept["shared"]["denominator"] == 2
    body, counted = _dashboard(client)
    assert counted == 0
    assert KEPT not in body
    # Once counted, the next interval may ask again.
    assert cache.get(queues._loop_key(world.mash.agency_id) + ":recounting") is None


def test_figures_too_old_or_missing_are_counted_by_the_page(world):
    require_redis_and_postgresql()
    cache.clear()
    _add_decided_reports(world, 2)
    client = world.client_for(world.mash)
    # Never counted: the page counts.
    _, counted = _dashboard(client)
    assert counted == 1
    # Older than MEASURES_STALE_SECONDS: counted again by the page, not left to a worker.
    long_ago = timezone.now() - datetime.timedelta(seconds=queues.MEASURES_STALE_SECONDS + 60)
    _keep(world, long_ago, denominator=97)
    body, counted = _dashboard(client)
    assert counted == 1 and KEPT not in body


def test_no_broker_means_the_page_counts(world, monkeypatch):
    """A broker that cannot be reached must not leave the figures out of date: the page counts,
    and the flag is cleared so that the next interval asks again."""
    require_redis_and_postgresql()
    from diogelu.sharing import tasks

    def down(*args, **kwargs):
        raise ConnectionError("broker down")

    monkeypatch.setattr(tasks.recount_loop_measures, "delay", down)
    cache.clear()
    _add_decided_reports(world, 2)
    _keep(world, timezone.now() - datetime.timedelta(minutes=10), denominator=97)
    body, counted = _dashboard(world.client_for(world.mash))
    assert counted == 1 and KEPT not in body
    assert cache.get(queues._loop_key(world.mash.agency_id) + ":recounting") is None


def test_a_load_counts_them_so_that_no_dashboard_does_first(world, settings):
    """``load_demo`` and ``load_synthetic`` end with ``warm_loop_measures``: the first dashboard
    after a load finds the figures, with or without a worker."""
    settings.CELERY_TASK_ALWAYS_EAGER = True
    cache.clear()
    _add_decided_reports(world, 2)
    assert queues.warm_loop_measures(timezone.now()) >= 2  # the authority and the other one
    _, counted = _dashboard(world.client_for(world.mash))
    assert counted == 0
    kept = cache.get(queues._loop_key(world.mash.agency_id))
    assert kept["decisions"]["denominator"] == 2
