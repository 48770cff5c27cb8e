"""Headers on every page: CSP, nosniff, referrer policy, frame denial, no caching of case pages."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

ROOT = Path(__file__).resolve().parent.parent


def pages(world):
    pk = world.child.pk
    return [
        reverse("my_work"),
        reverse("search_people"),
        reverse("show_person", args=[pk]),
        reverse("person_family", args=[pk]),
        reverse("person_chronology", args=[pk]),
        reverse("person_access_log", args=[pk]),
        reverse("account"),
        "/api/v1/me/",
    ]


def test_security_headers_on_every_page(world):
    client = world.client_for(world.manager)
    for url in [*pages(world), reverse("sign_in"), "/no-such-page/"]:
        response = client.get(url)
        csp = response.get("Content-Security-Policy", "")
        if not url.startswith("/api/"):
            for directive in (
                "object-src 'none'",
                "base-uri 'none'",
                "frame-ancestors 'none'",
                "script-src 'self'",
            ):
                assert directive in csp, (url, csp)
            assert "unsafe-inline" not in csp
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Referrer-Policy"] == "same-origin"
        assert response["X-Frame-Options"] == "DENY"
        assert "no-store" in response["Cache-Control"], url
        assert response.get("X-Request-ID")


def test_pages_have_no_inline_scripts(world):
    client = world.client_for(world.manager)
    for url in pages(world)[:-1]:
        body = client.get(url).content.decode()
        for chunk in body.split("<script")[1:]:
            assert 'src="' in chunk.split(">")[0], url


def test_state_changes_need_csrf(world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.social_worker)
    response = client.post(reverse("sign_out"))
    assert response.status_code == 403


def test_check_deploy_is_clean_with_production_settings():
    env = {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        "DEBUG": "0",
        "SECRET_KEY": "a-long-random-production-secret-" + "k" * 40,
        "ALLOWED_HOSTS": "diogelu.example.org",
        "SQLITE_PATH": "/tmp/diogelu-check-deploy.sqlite3",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_settings_refuse_to_start_without_a_secret_key():
    env = {k: v for k, v in os.environ.items() if k not in ("SECRET_KEY", "SECRET_KEY_FILE")}
    env["DEBUG"] = "0"
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=ROOT,
        env={**env, "DJANGO_SETTINGS_MODULE": "diogelu.settings"},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


@pytest.mark.parametrize(
    "flag", ["SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE", "SECURE_HSTS_INCLUDE_SUBDOMAINS"]
)
def test_production_settings_are_secure(flag):
    env = {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        "DEBUG": "0",
        "SECRET_KEY": "s" * 60,
        "DJANGO_SETTINGS_MODULE": "diogelu.settings",
    }
    code = f"import django; django.setup(); from django.conf import settings; print(settings.{flag}, settings.SECURE_HSTS_SECONDS, settings.SESSION_COOKIE_NAME)"
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    )
    value, hsts, cookie = result.stdout.split()
    assert value == "True"
    assert int(hsts) >= 31_536_000
    assert cookie == "__Host-sessionid"
