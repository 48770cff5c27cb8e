"""Every task goes to its own queue (delivery, reminders, batch): settings.CELERY_TASK_ROUTES.

A real worker taking one queue and leaving the others is proved in
``diogelu/notifications/tests/test_celery_worker.py``; this checks the routing table itself, for
every task the app registers and every beat entry, so a new task cannot land on a queue no worker
takes.
"""

from __future__ import annotations

from django.conf import settings

from diogelu.celery import app

EXPECTED = {
    "diogelu.deliver_outbox": "delivery",
    "diogelu.run_reminders": "reminders",
    "diogelu.measures_warm": "batch",
    "diogelu.mash_loop_measures": "reminders",
    "diogelu.measures_refresh": "reminders",
}


def _queue_of(task_name: str) -> str:
    route = app.amqp.router.route({}, task_name)
    return str(route["queue"].name)


def test_every_registered_task_is_routed_to_a_queue_a_worker_takes():
    app.loader.import_default_modules()
    ours = sorted(name for name in app.tasks if name.startswith("diogelu."))
    assert ours == sorted(EXPECTED), "a new task needs a route in CELERY_TASK_ROUTES"
    for name in ours:
        assert name in settings.CELERY_TASK_ROUTES, name
        assert _queue_of(name) == EXPECTED[name]
        assert _queue_of(name) in settings.CELERY_QUEUE_NAMES


def test_beat_entries_go_to_their_queues():
    queues = {
        entry["task"]: _queue_of(entry["task"]) for entry in settings.CELERY_BEAT_SCHEDULE.values()
    }
    assert queues == {
        "diogelu.deliver_outbox": "delivery",
        "diogelu.run_reminders": "reminders",
        "diogelu.measures_warm": "batch",
        "diogelu.measures_refresh": "reminders",
    }


def test_the_production_script_starts_a_worker_on_every_queue():
    script = (settings.BASE_DIR / "scripts" / "serve_production.sh").read_text()
    assert '--queues "${CELERY_QUEUES:-' + ",".join(settings.CELERY_QUEUE_NAMES) + '}"' in script


def test_a_worker_started_without_queues_takes_all_three():
    """``celery -A diogelu worker`` with no ``--queues`` (as the README's short form runs it)
    must still deliver the outbox: the three queues are declared, not only the default."""
    assert set(app.amqp.queues) == set(settings.CELERY_QUEUE_NAMES)
