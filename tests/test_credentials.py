"""The credential lifecycle (issue 11, defect 4): no password an administrator knows, single-use
time-limited links (hashed at rest) for first and reset passwords, MFA enrolment only through such
a link, "forgot your password" that reveals nothing, password change, an offline breached-password
check, and a demo loader that will not run in production."""

from __future__ import annotations

import datetime
import re

import pytest
import time_machine
from django.contrib.auth.password_validation import validate_password
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from diogelu.accounts import credentials, services
from diogelu.accounts.models import PasswordLink, Role, User
from diogelu.notifications.delivery import deliver_pending
from diogelu.notifications.models import InboxItem, Kind, OutboxMessage
from tests import factories as f

GOOD = "Glanrafon-river-otter-19"
LINK = re.compile(r"http://[^/\s]+(/set-password/[0-9a-f]+\.[0-9a-f]+/)")


@pytest.fixture
def admin(world):
    return f.user(world.authority, Role.ADMINISTRATOR, username="admin")


def _add_user(world, admin, username="dylan.h"):
    data = {
        "first_name": "Dylan",
        "last_name": "Harries",
        "username": username,
        "email": f"{username}@police.invalid",
        "job_title": "DC",
        "team": "",
        "roles": [Role.POLICE_OFFICER],
    }
    return world.client_for(admin).post(reverse("add_user", args=[world.police.pk]), data)


def _emailed_link(to: str) -> str:
    deliver_pending()
    bodies = [m.body for m in mail.outbox if to in m.to]
    assert bodies, f"no email to {to}"
    match = LINK.search(bodies[-1])
    assert match, bodies[-1]
    return match.group(1)


def _set(client: Client, password: str, confirm: str | None = None):
    return client.post(
        reverse("set_password"),
        {"new_password": password, "confirm_password": confirm or password},
    )


def test_creating_a_user_sets_no_password_and_emails_a_single_use_link(world, admin):
    response = _add_user(world, admin)
    assert response.status_code == 302
    user = User.objects.get(username="dylan.h")
    assert not user.has_usable_password()
    link = _emailed_link("dylan.h@police.invalid")
    token = link.strip("/").rsplit("/", 1)[-1]
    # Hashed at rest: neither the link's row nor the outbox message holds the secret.
    row = PasswordLink.objects.get(user=user)
    assert token not in row.token_hash and row.token_hash != token
    message = OutboxMessage.objects.get(kind=Kind.PASSWORD_LINK)
    assert token not in message.link and token not in message.body
    assert token.split(".")[1] not in message.link
    assert not InboxItem.objects.filter(message=message).exists()
    # Follow the link: the secret leaves the address bar at once.
    client = Client()
    followed = client.get(link)
    assert followed.status_code == 302 and followed["Location"] == reverse("set_password")
    page = client.get(reverse("set_password"))
    assert page.status_code == 200 and "Set your password" in page.content.decode()
    assert _set(client, GOOD, "something-else-entirely").status_code == 400
    breached = _set(client, "Password2026!")
    assert breached.status_code == 400
    assert "published after a data breach" in breached.content.decode()
    done = _set(client, GOOD)
    assert done.status_code == 302 and done["Location"] == reverse("my_work")
    assert client.get(reverse("my_work")).status_code == 200
    user.refresh_from_db()
    assert user.check_password(GOOD)
    # Single use.
    assert Client().get(link).status_code == 404
    assert "This link does not work" in Client().get(link).content.decode()


def test_a_link_expires(world, admin):
    start = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC)
    with time_machine.travel(start, tick=False) as clock:
        _add_user(world, admin)
        link = _emailed_link("dylan.h@police.invalid")
        clock.shift(datetime.timedelta(hours=72, minutes=1))
        assert Client().get(link).status_code == 404


def test_a_tampered_or_unknown_link_does_not_work(world, admin):
    _add_user(world, admin)
    link = _emailed_link("dylan.h@police.invalid")
    lookup = link.strip("/").rsplit("/", 1)[-1].split(".")[0]
    for wrong in (
        f"/set-password/{lookup}/",
        f"/set-password/{lookup}.{'0' * 64}/",
        "/set-password/x/",
    ):
        assert Client().get(wrong).status_code == 404
    assert Client().get(reverse("set_password")).status_code == 404


def test_a_newer_link_ends_the_older_one(world, admin):
    _add_user(world, admin)
    first = _emailed_link("dylan.h@police.invalid")
    user = User.objects.get(username="dylan.h")
    services.send_password_link(actor=admin, user=user)
    second = _emailed_link("dylan.h@police.invalid")
    assert first != second
    assert Client().get(first).status_code == 404
    assert Client().get(second).status_code == 302


def test_with_mfa_required_the_first_sign_in_sets_up_the_authenticator_through_the_link(
    world, admin, settings
):
    _add_user(world, admin)
    settings.MFA_REQUIRED = True
    link = _emailed_link("dylan.h@police.invalid")
    client = Client()
    client.get(link)
    done = _set(client, GOOD)
    assert done["Location"] == reverse("mfa")
    assert client.get(reverse("my_work"))["Location"] == reverse("mfa")
    setup = client.get(reverse("mfa"))
    assert setup.status_code == 200 and "<svg" in setup.content.decode()
    device = TOTPDevice.objects.get(user__username="dylan.h")
    code = f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"
    assert client.post(reverse("mfa"), {"code": code}).status_code == 302
    assert client.get(reverse("my_work")).status_code == 200


def test_an_authenticator_cannot_be_set_up_with_the_password_alone(world, settings):
    """The defect: with MFA required, anyone holding a password of an account without an
    authenticator could set up their own."""
    settings.MFA_REQUIRED = True
    client = Client()
    client.post(reverse("sign_in"), {"username": "police", "password": f.PASSWORD})
    page = client.get(reverse("mfa"))
    assert page.status_code == 403
    assert "through your email link" in page.content.decode()
    assert "<svg" not in page.content.decode()
    assert not TOTPDevice.objects.filter(user=world.police_officer).exists()


def test_removing_an_authenticator_emails_a_link_to_set_up_a_new_one(world, admin, settings):
    user = world.police_officer
    user.email = "police@police.invalid"
    user.save()
    TOTPDevice.objects.create(user=user, name="app", confirmed=True)
    world.client_for(admin).post(reverse("update_user", args=[user.pk]), {"action": "reset_mfa"})
    assert not TOTPDevice.objects.filter(user=user).exists()
    settings.MFA_REQUIRED = True
    link = _emailed_link("police@police.invalid")
    client = Client()
    client.get(link)
    assert _set(client, GOOD)["Location"] == reverse("mfa")
    assert "<svg" in client.get(reverse("mfa")).content.decode()


def test_a_reset_still_asks_for_the_existing_authenticator(world, settings):
    settings.MFA_REQUIRED = True
    user = world.police_officer
    user.email = "police@police.invalid"
    user.save()
    TOTPDevice.objects.create(user=user, name="app", confirmed=True)
    Client().post(reverse("forgot_password"), {"identifier": "police"})
    link = _emailed_link("police@police.invalid")
    client = Client()
    client.get(link)
    assert _set(client, GOOD)["Location"] == reverse("mfa")
    page = client.get(reverse("mfa")).content.decode()
    assert "Enter the code from your authenticator app" in page and "<svg" not in page
    assert client.get(reverse("my_work"))["Location"] == reverse("mfa")


def _without_csrf(html: str) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)


def test_forgot_password_says_the_same_whether_or_not_the_account_exists(world):
    world.police_officer.email = "police@police.invalid"
    world.police_officer.save()
    known = Client().post(reverse("forgot_password"), {"identifier": "police@police.invalid"})
    unknown = Client().post(reverse("forgot_password"), {"identifier": "nobody@police.invalid"})
    assert known.status_code == unknown.status_code == 200
    assert _without_csrf(known.content.decode()) == _without_csrf(unknown.content.decode())
    deliver_pending()
    assert [m.to for m in mail.outbox] == [["police@police.invalid"]]


def test_forgot_password_sends_a_few_links_an_hour_at_most(world):
    world.police_officer.email = "police@police.invalid"
    world.police_officer.save()
    for _ in range(5):
        Client(REMOTE_ADDR=f"198.51.100.{_}").post(
            reverse("forgot_password"), {"identifier": "police"}
        )
    assert PasswordLink.objects.filter(user=world.police_officer).count() == (
        credentials.RESETS_PER_HOUR
    )


def test_forgot_password_is_limited_per_address(world, settings):
    settings.PASSWORD_LINK_IP_LIMIT = 2
    client = Client(REMOTE_ADDR="203.0.113.20")
    answers = [
        client.post(reverse("forgot_password"), {"identifier": f"x{i}"}).status_code
        for i in range(3)
    ]
    assert answers == [200, 200, 429]


def test_change_password(world):
    user = world.social_worker
    client = Client()
    client.post(reverse("sign_in"), {"username": "sw", "password": f.PASSWORD})
    other_session = world.client_for(user)
    assert client.get(reverse("change_password")).status_code == 200
    assert "Change your password" in client.get(reverse("account")).content.decode()

    def change(current: str, new: str, confirm: str | None = None):
        return client.post(
            reverse("change_password"),
            {"current_password": current, "new_password": new, "confirm_password": confirm or new},
        )

    assert change("not-my-password", GOOD).status_code == 400
    assert change(f.PASSWORD, "websolutions").status_code == 400
    assert change(f.PASSWORD, "short").status_code == 400
    assert change(f.PASSWORD, GOOD, GOOD + "x").status_code == 400
    assert change(f.PASSWORD, GOOD).status_code == 302
    user.refresh_from_db()
    assert user.check_password(GOOD)
    assert client.get(reverse("my_work")).status_code == 200  # this session goes on
    assert other_session.get(reverse("my_work")).status_code == 302  # the others end


def test_change_password_needs_a_signed_in_user(db):
    response = Client().get(reverse("change_password"))
    assert response.status_code == 302 and response["Location"] == reverse("sign_in")


@pytest.mark.parametrize(
    "password", ["websolutions", "Password2026!", "summersummer", "iloveyou12345", "qwerty123456"]
)
def test_breached_passwords_are_refused_offline(password):
    with pytest.raises(ValidationError) as refused:
        validate_password(password)
    assert "password_breached" in [e.code for e in refused.value.error_list]


def test_a_long_unusual_password_is_accepted():
    validate_password(GOOD)


def test_the_demo_loader_refuses_production_and_needs_a_flag_without_debug(db, settings):
    settings.DEBUG = False
    settings.DEPLOYMENT = "production"
    with pytest.raises(CommandError, match="never"):
        call_command("load_demo", "--allow-without-debug", households=1)
    settings.DEPLOYMENT = "training"
    with pytest.raises(CommandError, match="DEBUG is off"):
        call_command("load_demo", households=1)
    assert not User.objects.exists()


def test_without_debug_the_demo_accounts_do_not_get_the_published_password(db, settings):
    from io import StringIO

    from diogelu.demo import data

    settings.DEBUG = False
    settings.DEPLOYMENT = "training"
    out = StringIO()
    call_command("load_demo", "--allow-without-debug", households=12, stdout=out)
    user = User.objects.get(username=next(iter(data.ROLE_SUMMARY)))
    assert not user.check_password(data.DEMO_PASSWORD)
    assert data.DEMO_PASSWORD not in out.getvalue()
