"""Who a user is, by role: the one place every app asks "is this person MASH staff, a social
worker, a partner agency's worker, a manager?".

Each predicate is true only for a signed-in, active user (and, where it says so, one with an
agency); none of them grants access to a record by itself: the apps' ``access.py`` modules and
``diogelu.access.visibility`` decide which records, these decide which kind of user.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from diogelu.accounts.models import MASH_ROLES, PARTNER_WORK_ROLES, Role

if TYPE_CHECKING:
    from diogelu.accounts.models import User

#: Local authority roles that see the MASH's requests and dashboard.
MASH_VIEW_ROLES = frozenset(MASH_ROLES | {Role.HEAD_OF_SERVICE})
#: Local authority roles that lead or oversee strategy discussions and section 47 enquiries.
SOCIAL_WORK_ROLES = frozenset(
    {Role.SOCIAL_WORKER, Role.TEAM_MANAGER, Role.MASH_PRACTITIONER, Role.HEAD_OF_SERVICE}
)
#: Local authority roles that convene, chair and work conferences, the register and plans.
CONFERENCE_STAFF_ROLES = frozenset(
    {Role.SOCIAL_WORKER, Role.TEAM_MANAGER, Role.HEAD_OF_SERVICE, Role.CONFERENCE_CHAIR}
)


def _signed_in(user: User) -> bool:
    return bool(user.is_authenticated and user.is_active)


def _with_agency(user: User) -> bool:
    return _signed_in(user) and user.agency_id is not None


def is_mash_user(user: User) -> bool:
    """MASH practitioners and team managers of a local authority (the MASH front door)."""
    return bool(_signed_in(user) and user.is_local_authority_staff and user.has_role(*MASH_ROLES))


def is_mash_viewer(user: User) -> bool:
    """Local authority MASH staff, managers and heads of service."""
    return _with_agency(user) and user.is_local_authority_staff and user.has_role(*MASH_VIEW_ROLES)


def is_partner_worker(user: User) -> bool:
    """A partner agency user who receives the agency's requests and outcomes."""
    return (
        _with_agency(user)
        and not user.is_local_authority_staff
        and user.has_role(*PARTNER_WORK_ROLES)
    )


def is_social_work_staff(user: User) -> bool:
    """Local authority staff who work strategy discussions and section 47 enquiries."""
    return bool(
        _with_agency(user) and user.is_local_authority_staff and user.has_role(*SOCIAL_WORK_ROLES)
    )


def is_conference_staff(user: User) -> bool:
    """Social workers, managers and conference chairs of a local authority."""
    return bool(
        _with_agency(user)
        and user.is_local_authority_staff
        and user.has_role(*CONFERENCE_STAFF_ROLES)
    )


def is_manager(user: User) -> bool:
    """A team manager or head of service (of any agency: callers add the agency condition)."""
    return user.has_role(Role.TEAM_MANAGER, Role.HEAD_OF_SERVICE)


def with_roles(users: Iterable[User]) -> list[User]:
    """``users`` with their roles read in one query (``User.roles`` asks once per user: a page
    that lists an authority's staff by role ran a query for each; issue 17)."""
    from diogelu.accounts.models import RoleAssignment

    found = list(users)
    held: dict[int, set[str]] = {u.pk: set() for u in found}
    for user_id, role in RoleAssignment.objects.filter(user_id__in=list(held)).values_list(
        "user_id", "role"
    ):
        held[user_id].add(role)
    for user in found:
        user._roles_cache = frozenset(held[user.pk])
    return found
