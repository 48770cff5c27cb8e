"""/metrics: Prometheus gauges for a scraper holding METRICS_TOKEN; 404 for anyone else."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from diogelu.notifications.models import OutboxMessage

TOKEN = "s3cret-token"


@pytest.fixture
def metrics_on(settings):
    settings.METRICS_TOKEN = TOKEN
    settings.REDIS_URL = ""


def _get(client, token=TOKEN):
    return client.get("/metrics", HTTP_AUTHORIZATION=f"Bearer {token}")


def test_metrics_are_404_without_the_token_or_when_off(client, db, settings):
    settings.METRICS_TOKEN = ""
    assert _get(client, "").status_code == 404
    settings.METRICS_TOKEN = TOKEN
    assert client.get("/metrics").status_code == 404
    assert _get(client, "wrong").status_code == 404


def test_metrics_count_outbox_lag_and_overdue_work(client, db, metrics_on):
    old = timezone.now() - datetime.timedelta(minutes=10)
    OutboxMessage.objects.create(kind="REMINDER", dedupe_key="m-1", subject="x", created_at=old)
    OutboxMessage.objects.create(
        kind="REMINDER", dedupe_key="m-2", subject="y", delivered_at=timezone.now()
    )
    response = _get(client)
    assert response.status_code == 200
    body = response.content.decode()
    values = dict(
        line.split(" ", 1) for line in body.splitlines() if line and not line.startswith("#")
    )
    assert values["diogelu_outbox_pending"] == "1"
    assert 595 <= float(values["diogelu_outbox_oldest_pending_seconds"]) <= 700
    assert values["diogelu_information_requests_overdue"] == "0"
    assert values["diogelu_access_log_unsealed_above_head"] == "0"
    assert "# TYPE diogelu_outbox_pending gauge" in body
