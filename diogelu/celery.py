"""Celery: Redis in production (REDIS_URL), in-process on the embedded default."""

from __future__ import annotations

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "diogelu.settings")

app = Celery("diogelu")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
