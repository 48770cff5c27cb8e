"""Separation of duties: an administrator manages accounts but reads no child's record unless also
given a practice role, never grants roles to themselves, and a grant of the administrator or
information governance lead role waits for a second administrator."""

from __future__ import annotations

import pytest
from django.urls import reverse

from diogelu.access.models import AccessLog
from diogelu.accounts.models import PendingRoleGrant, Role, RoleAssignment, User
from diogelu.notifications.models import OutboxMessage
from diogelu.people.search import SearchCriteria, search_people
from tests import factories as f


@pytest.fixture
def admin(world):
    return f.user(world.authority, Role.ADMINISTRATOR, username="admin")


@pytest.fixture
def admin2(world):
    return f.user(world.authority, Role.ADMINISTRATOR, username="admin2")


def roles_of(user):
    return set(RoleAssignment.objects.filter(user=user).values_list("role", flat=True))


def test_an_administrator_reads_no_childs_record(world, admin):
    client = world.client_for(admin)
    assert client.get(reverse("show_person", args=[world.child.pk])).status_code == 404
    assert search_people(admin, SearchCriteria(name="Prydderch")) == []
    assert not AccessLog.objects.filter(user=admin).exists()
    # ... until also given a practice role (by someone else)
    RoleAssignment.objects.create(user=admin, role=Role.SOCIAL_WORKER)
    admin = User.objects.get(pk=admin.pk)
    assert (
        world.client_for(admin).get(reverse("show_person", args=[world.child.pk])).status_code
        == 200
    )


def test_an_administrator_cannot_grant_roles_to_themselves(world, admin):
    response = world.client_for(admin).post(
        reverse("update_user", args=[admin.pk]),
        {"action": "roles", "roles": [Role.ADMINISTRATOR, Role.SOCIAL_WORKER]},
    )
    assert response.status_code == 403
    assert "cannot grant roles to yourself" in response.content.decode()
    assert roles_of(admin) == {Role.ADMINISTRATOR}


def test_the_ig_lead_role_waits_for_a_second_administrator(world, admin, admin2):
    url = reverse("update_user", args=[world.manager.pk])
    response = world.client_for(admin).post(
        url, {"action": "roles", "roles": [Role.TEAM_MANAGER, Role.IG_LEAD]}
    )
    assert response.status_code == 302
    assert roles_of(world.manager) == {Role.TEAM_MANAGER}  # not yet
    grant = PendingRoleGrant.objects.get()
    assert (grant.role, grant.requested_by, grant.decided_at) == (Role.IG_LEAD, admin, None)
    assert OutboxMessage.objects.filter(task=f"role-grant:{grant.pk}").exists()
    # the administrator who asked cannot approve it
    same = world.client_for(admin).post(url, {"action": "approve_role", "role": Role.IG_LEAD})
    assert same.status_code == 403
    assert roles_of(world.manager) == {Role.TEAM_MANAGER}
    # a second administrator sees it and approves it
    page = world.client_for(admin2).get(url).content.decode()
    assert "Waiting for a second administrator" in page and "Approve" in page
    ok = world.client_for(admin2).post(url, {"action": "approve_role", "role": Role.IG_LEAD})
    assert ok.status_code == 302
    assert roles_of(world.manager) == {Role.TEAM_MANAGER, Role.IG_LEAD}
    grant.refresh_from_db()
    assert grant.approved and grant.decided_by == admin2


def test_a_second_administrator_may_refuse(world, admin, admin2):
    url = reverse("update_user", args=[world.social_worker.pk])
    world.client_for(admin).post(
        url, {"action": "roles", "roles": [Role.SOCIAL_WORKER, Role.ADMINISTRATOR]}
    )
    world.client_for(admin2).post(url, {"action": "refuse_role", "role": Role.ADMINISTRATOR})
    assert roles_of(world.social_worker) == {Role.SOCIAL_WORKER}
    assert PendingRoleGrant.objects.get().approved is False


def test_a_new_user_with_the_administrator_role_waits_too(world, admin, admin2):
    data = {
        "first_name": "Nia",
        "last_name": "Rowlands",
        "username": "nia.r",
        "email": "nia@glanrafon.invalid",
        "job_title": "Systems officer",
        "team": "",
        "roles": [Role.ADMINISTRATOR, Role.AUDITOR],
        "password": "a-very-long-first-password-9",
    }
    response = world.client_for(admin).post(reverse("add_user", args=[world.authority.pk]), data)
    assert response.status_code == 302
    user = User.objects.get(username="nia.r")
    assert roles_of(user) == {Role.AUDITOR}
    assert PendingRoleGrant.objects.get(user=user).role == Role.ADMINISTRATOR
