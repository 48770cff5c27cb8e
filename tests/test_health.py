"""Liveness (/healthz) and readiness (/readyz) for load balancers: open, plain, no details."""

from __future__ import annotations

import pytest

from diogelu.core import views


@pytest.fixture(autouse=True)
def _fresh(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(views, "_MIGRATED", False)


def test_healthz_and_readyz_answer_without_signing_in(client, db, settings):
    settings.REDIS_URL = ""
    assert client.get("/healthz").content == b"ok"
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.content == b"ready"


def test_readyz_is_503_naming_redis_when_redis_does_not_answer(client, db, settings):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.content == b"not ready: redis"


def test_readyz_is_503_while_migrations_are_pending(client, db, settings, monkeypatch):
    from django.db.migrations.executor import MigrationExecutor

    settings.REDIS_URL = ""
    monkeypatch.setattr(MigrationExecutor, "migration_plan", lambda self, targets: [("x", False)])
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.content == b"not ready: migrations"
