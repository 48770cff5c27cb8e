"""The role predicates every app asks (diogelu/accounts/roles.py), for each persona."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

from diogelu.accounts import roles
from diogelu.accounts.models import Role
from tests import factories as f

PREDICATES = {
    "mash_user": roles.is_mash_user,
    "mash_viewer": roles.is_mash_viewer,
    "partner_worker": roles.is_partner_worker,
    "social_work_staff": roles.is_social_work_staff,
    "conference_staff": roles.is_conference_staff,
}

# persona -> the predicates true for them
EXPECTED = {
    "social_worker": {"social_work_staff", "conference_staff"},
    "manager": {"mash_user", "mash_viewer", "social_work_staff", "conference_staff"},
    "mash": {"mash_user", "mash_viewer", "social_work_staff"},
    "police_officer": {"partner_worker"},
    "school_lead": {"partner_worker"},
    "health_practitioner": {"partner_worker"},
    "other_la_worker": {"social_work_staff", "conference_staff"},
}


@pytest.mark.parametrize("persona", sorted(EXPECTED))
def test_each_persona_is_the_kind_of_user_its_roles_say(world, persona):
    user = getattr(world, persona)
    assert {name for name, is_ in PREDICATES.items() if is_(user)} == EXPECTED[persona]


def test_a_conference_chair_is_conference_staff_but_not_social_work_staff(world):
    chair = f.user(world.authority, Role.CONFERENCE_CHAIR, username="chair")
    assert roles.is_conference_staff(chair)
    assert not roles.is_social_work_staff(chair)


def test_nobody_signed_out_or_deactivated_is_anything(world):
    anonymous = AnonymousUser()
    world.manager.is_active = False
    for is_ in PREDICATES.values():
        assert not is_(anonymous)  # type: ignore[arg-type]
        assert not is_(world.manager)


def test_managers_are_team_managers_and_heads_of_service(world):
    head = f.user(world.authority, Role.HEAD_OF_SERVICE, username="hos")
    assert roles.is_manager(world.manager) and roles.is_manager(head)
    assert not roles.is_manager(world.social_worker) and not roles.is_manager(world.mash)
