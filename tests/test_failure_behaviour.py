"""Issue 11, defect 6: behaviour during failure. While the database is unreachable the API answers
503 problem+json with Retry-After (not an HTML 500) and pages a 503 page; every error under
/api/v1/ is problem+json, including Django's own 404 for an id that is not a number; a bad Host
header is a 400, not a 500 (the error page must not read the user before authentication)."""

from __future__ import annotations

import contextlib
from unittest import mock

import pytest
from django.db import OperationalError
from django.db.backends.utils import CursorWrapper
from django.test import Client

from tests import factories as f

PROBLEM = "application/problem+json"


@contextlib.contextmanager
def database_down():
    """Every query fails as if the database server had gone away."""

    def refuse(self, *args, **kwargs):
        raise OperationalError("connection refused")

    with (
        mock.patch.object(CursorWrapper, "execute", refuse),
        mock.patch.object(CursorWrapper, "executemany", refuse),
    ):
        yield


def test_the_api_answers_503_problem_json_while_the_database_is_down(world):
    client = Client(
        raise_request_exception=False, HTTP_AUTHORIZATION=f"Bearer {f.token(world.mash)}"
    )
    with database_down():
        response = client.get("/api/v1/people/")
    assert response.status_code == 503
    assert response["Content-Type"] == PROBLEM
    assert int(response["Retry-After"]) > 0
    assert response.json()["status"] == 503


def test_a_page_answers_503_while_the_database_is_down(world):
    client = Client(raise_request_exception=False)
    client.force_login(world.mash)
    with database_down():
        response = client.get("/")
    assert response.status_code == 503
    assert int(response["Retry-After"]) > 0
    assert "unavailable" in response.content.decode()


@pytest.mark.parametrize("path", ["/", "/api/v1/people/", "/sign-in/"])
def test_a_bad_host_header_is_a_400(db, path):
    response = Client().get(path, HTTP_HOST="evil.example")
    assert response.status_code == 400
    if path.startswith("/api/"):
        assert response["Content-Type"] == PROBLEM


@pytest.mark.parametrize(
    "path", ["/api/v1/people/abc/", "/api/v1/no-such-thing/", "/api/v1/reports/1x/"]
)
def test_every_error_under_the_api_is_problem_json(world, path):
    client = Client(HTTP_AUTHORIZATION=f"Bearer {f.token(world.mash)}")
    response = client.get(path)
    assert response.status_code == 404
    assert response["Content-Type"] == PROBLEM
    assert response.json()["title"] == "Not found"


def test_persistent_connections_are_health_checked(settings):
    """After a database restart a worker reuses no dead connection (PostgreSQL in production)."""
    from django.conf import settings as live

    if live.DATABASES["default"]["ENGINE"].endswith("postgresql"):
        assert live.DATABASES["default"]["CONN_HEALTH_CHECKS"] is True
    source = (live.BASE_DIR / "diogelu" / "settings.py").read_text()
    assert '"CONN_HEALTH_CHECKS"] = True' in source
