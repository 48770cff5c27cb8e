"""Step-up before export: a PDF download needs the password (and code) re-entered within
STEP_UP_SECONDS; the "Confirm it's you" page returns only to this site (SECURITY.md 7.5.3)."""

from __future__ import annotations

import datetime
from urllib.parse import urlencode

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from diogelu.access.models import AccessLog, Channel
from tests import factories as f

UTC = datetime.UTC
START = datetime.datetime(2030, 3, 4, 10, 0, tzinfo=UTC)  # after the world is made


@pytest.fixture
def clock():
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


def export_url(world) -> str:
    return reverse("export_person", args=[world.child.pk])


def confirm(client, next_url: str, password: str = f.PASSWORD, **extra: str):
    url = reverse("confirm_identity") + "?" + urlencode({"next": next_url})
    return client.post(url, {"password": password, **extra})


def test_download_without_step_up_is_sent_to_confirm_page(world, clock):
    client = world.client_for(world.police_officer)
    response = client.get(export_url(world))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("confirm_identity") + "?next=")
    assert AccessLog.objects.filter(channel=Channel.EXPORT).count() == 0  # nothing read yet
    page = client.get(response["Location"])
    body = page.content.decode()
    assert page.status_code == 200
    assert "Confirm it’s you" in body
    assert 'type="password"' in body
    assert "Code from your authenticator app" not in body  # no device, no code asked for


def test_redirect_is_the_same_for_a_person_the_user_cannot_see(world, clock):
    client = world.client_for(world.health_practitioner)
    response = client.get(export_url(world))
    assert response.status_code == 302
    assert confirm(client, export_url(world)).status_code == 302
    assert client.get(export_url(world)).status_code == 404  # the access check still applies


def test_wrong_password_is_an_error_and_no_download(world, clock):
    client = world.client_for(world.police_officer)
    response = confirm(client, export_url(world), password="not-the-password-at-all")
    assert response.status_code == 400
    assert "The password is not right" in response.content.decode()
    again = client.get(export_url(world))
    assert again.status_code == 302
    assert AccessLog.objects.filter(channel=Channel.EXPORT).count() == 0


def test_after_step_up_the_download_is_a_pdf(world, clock):
    client = world.client_for(world.police_officer)
    before = client.session.session_key
    response = confirm(client, export_url(world) + "?x=1")
    assert response.status_code == 302
    assert response["Location"] == export_url(world) + "?x=1"
    assert client.session.session_key != before  # new session id on re-authentication
    download = client.get(export_url(world))
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    assert download.content.startswith(b"%PDF")
    assert AccessLog.objects.filter(channel=Channel.EXPORT).count() == 1


def test_step_up_lasts_step_up_seconds_then_is_asked_again(world, clock, settings):
    settings.STEP_UP_SECONDS = 300
    client = world.client_for(world.police_officer)
    confirm(client, export_url(world))
    clock.shift(datetime.timedelta(seconds=299))
    assert client.get(export_url(world)).status_code == 200
    clock.shift(datetime.timedelta(seconds=2))
    response = client.get(export_url(world))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("confirm_identity"))


def test_all_three_downloads_ask_for_step_up(world, clock):
    """The conference record and the family copy use the same decorator as the person export."""
    client = world.client_for(world.social_worker)
    for url in (
        reverse("conference_record_pdf", args=[999_999]),
        reverse("plan_family_copy_pdf", args=[999_999]),
        export_url(world),
    ):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("confirm_identity"))
    confirm(client, export_url(world))
    assert client.get(reverse("conference_record_pdf", args=[999_999])).status_code == 404
    assert client.get(reverse("plan_family_copy_pdf", args=[999_999])).status_code == 404


@pytest.mark.parametrize(
    "evil",
    [
        "https://evil.example/",
        "//evil.example/path",
        "/\\evil.example",
        "http:/evil.example",
        "javascript:alert(1)",
        "evil.example",
    ],
)
def test_open_redirects_in_next_are_refused(world, clock, evil):
    client = world.client_for(world.police_officer)
    response = confirm(client, evil)
    assert response.status_code == 302
    assert response["Location"] == reverse("my_work")


def test_failed_step_ups_count_towards_the_lockout(world, clock, settings):
    client = world.client_for(world.police_officer)
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert confirm(client, export_url(world), password="wrong-password-123").status_code == 400
    locked = confirm(client, export_url(world), password="wrong-password-123")
    assert locked.status_code == 403
    assert "Your account is locked" in locked.content.decode()
    # Signed out, and the right password no longer signs in from here.
    assert client.get(reverse("my_work")).status_code == 302
    fresh = Client()
    refused = fresh.post(
        reverse("sign_in"), {"username": world.police_officer.username, "password": f.PASSWORD}
    )
    assert refused.status_code == 403


def _code(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def test_with_an_authenticator_the_code_is_asked_for_too(world, clock):
    user = world.police_officer
    device = TOTPDevice.objects.create(user=user, name="app", confirmed=True)
    client = Client()
    client.post(reverse("sign_in"), {"username": user.username, "password": f.PASSWORD})
    assert client.post(reverse("mfa"), {"code": _code(device)}).status_code == 302
    clock.shift(datetime.timedelta(seconds=90))  # a fresh code (codes cannot be used twice)
    page = client.get(reverse("confirm_identity"))
    assert "Code from your authenticator app" in page.content.decode()
    missing = confirm(client, export_url(world))
    assert missing.status_code == 400
    assert "Enter the 6-digit code" in missing.content.decode()
    wrong = "000000" if _code(device) != "000000" else "111111"
    bad = confirm(client, export_url(world), code=wrong)
    assert bad.status_code == 400
    assert client.get(export_url(world)).status_code == 302
    device.refresh_from_db()
    device.throttle_reset()  # django-otp slows retries after a failure; not under test here
    clock.shift(datetime.timedelta(seconds=30))
    good = confirm(client, export_url(world), code=_code(device))
    assert good.status_code == 302
    assert good["Location"] == export_url(world)
    assert client.get(export_url(world)).status_code == 200


def test_api_downloads_are_not_affected(world, clock):
    """The API authenticates with tokens; there are no API PDF downloads, and API reads work
    without a step-up."""
    token = f.token(world.police_officer)
    response = Client().get(
        f"/api/v1/people/{world.child.pk}/", headers={"Authorization": f"Bearer {token}"}
    )
    assert response.status_code == 200
