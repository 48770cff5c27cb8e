"""Agencies and users administration: administrators only; roles fit the agency."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from diogelu.accounts.models import Role, RoleAssignment, User
from tests import factories as f


@pytest.fixture
def admin(world):
    return f.user(world.authority, Role.ADMINISTRATOR, username="admin")


def test_non_administrators_get_404(world):
    for user in (world.social_worker, world.manager, world.police_officer):
        client = world.client_for(user)
        assert client.get(reverse("agency_list")).status_code == 404
        assert client.get(reverse("show_agency", args=[world.police.pk])).status_code == 404


def test_anonymous_is_sent_to_sign_in(world):
    assert Client().get(reverse("agency_list")).status_code == 302


def test_admin_lists_own_authority_and_partners_only(world, admin):
    body = world.client_for(admin).get(reverse("agency_list")).content.decode()
    assert "Dyffryn Police" in body
    assert "Glanrafon Children" in body
    assert "Aberdewi" not in body
    other = world.client_for(admin).get(reverse("show_agency", args=[world.other_authority.pk]))
    assert other.status_code == 404


def test_admin_adds_a_police_user_with_a_police_role(world, admin):
    client = world.client_for(admin)
    data = {
        "first_name": "Dylan",
        "last_name": "Harries",
        "username": "dylan.h",
        "email": "dylan@police.invalid",
        "job_title": "DC",
        "team": "",
        "roles": [Role.POLICE_OFFICER],
    }
    response = client.post(reverse("add_user", args=[world.police.pk]), data)
    assert response.status_code == 302
    user = User.objects.get(username="dylan.h")
    assert user.agency == world.police
    assert user.roles == {Role.POLICE_OFFICER}


def test_roles_must_fit_the_agency(world, admin):
    client = world.client_for(admin)
    data = {
        "first_name": "X",
        "last_name": "Y",
        "username": "xy",
        "email": "x@y.invalid",
        "roles": [Role.SOCIAL_WORKER],
    }
    response = client.post(reverse("add_user", args=[world.police.pk]), data)
    assert response.status_code == 400
    assert "govuk-error-summary" in response.content.decode()
    assert not User.objects.filter(username="xy").exists()


def test_the_administrator_sets_no_password(world, admin):
    """A first password the administrator chose (and knew) is ignored if sent: the new user
    sets their own through an emailed link (tests/test_credentials.py)."""
    data = {
        "first_name": "X",
        "last_name": "Y",
        "username": "xyz",
        "email": "x@y.invalid",
        "job_title": "",
        "team": "",
        "roles": [Role.POLICE_OFFICER],
        "password": "a-very-long-first-password-9",
    }
    page = world.client_for(admin).get(reverse("add_user", args=[world.police.pk]))
    assert 'type="password"' not in page.content.decode()
    response = world.client_for(admin).post(reverse("add_user", args=[world.police.pk]), data)
    assert response.status_code == 302
    assert not User.objects.get(username="xyz").has_usable_password()


def test_deactivate_kills_sessions(world, admin):
    victim_client = world.client_for(world.police_officer)
    assert victim_client.get(reverse("my_work")).status_code == 200
    world.client_for(admin).post(
        reverse("update_user", args=[world.police_officer.pk]), {"action": "deactivate"}
    )
    world.police_officer.refresh_from_db()
    assert not world.police_officer.is_active
    assert victim_client.get(reverse("my_work")).status_code == 302


def test_change_roles(world, admin):
    client = world.client_for(admin)
    client.post(
        reverse("update_user", args=[world.social_worker.pk]),
        {"action": "roles", "roles": [Role.TEAM_MANAGER]},
    )
    assert set(
        RoleAssignment.objects.filter(user=world.social_worker).values_list("role", flat=True)
    ) == {Role.TEAM_MANAGER}


def test_admin_adds_an_agency(world, admin):
    client = world.client_for(admin)
    response = client.post(
        reverse("add_agency"),
        {"name": "Glanrafon Youth Justice", "code": "gyj", "kind": "YOUTH_JUSTICE"},
    )
    assert response.status_code == 302
    bad = client.post(reverse("add_agency"), {"name": "", "code": "Bad Code", "kind": ""})
    assert bad.status_code == 400


def test_account_page_creates_and_revokes_tokens(world):
    client = world.client_for(world.police_officer)
    response = client.post(reverse("account"), {"name": "Niche RMS", "days": "30"})
    body = response.content.decode()
    assert "Token created" in body
    token = re.search(r"dgl_[0-9a-f]{12}_[A-Za-z0-9_-]{43}", body).group(0)
    assert token.startswith("dgl_")
    api = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
    assert api.get("/api/v1/me/").json()["agency"] == "Dyffryn Police"
    stored = world.police_officer.api_tokens.get()
    client.post(reverse("revoke_token", args=[stored.pk]))
    assert api.get("/api/v1/me/").status_code == 401
    assert client.post(reverse("account"), {"name": "", "days": "900"}).status_code == 400


def test_the_automatic_accounts_usernames_are_reserved():
    from diogelu.accounts.forms import UserForm
    from diogelu.accounts.models import Role

    form = UserForm(
        data={
            "first_name": "Test",
            "last_name": "Person",
            "username": "diogelu-automatic.glanrafon",
            "email": "t@example.org",
            "roles": [Role.SOCIAL_WORKER],
            "password": "a-long-enough-password",
        },
        agency=None,
        allowed_roles=frozenset({Role.SOCIAL_WORKER}),
    )
    assert not form.is_valid()
    assert "reserved" in str(form.errors["username"])
