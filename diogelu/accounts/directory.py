"""Who a user may name in what they send (agencies, teams and users): their authority and its
partner agencies, so that an agency system can discover ids (``/api/v1/agencies/``, ``/users/``).

The authorities a user works with: a local authority's own staff, their authority; a partner
agency's staff, the authorities their agency is a partner of.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from diogelu.accounts.dormant import AUTOMATIC_PREFIX
from diogelu.accounts.models import Agency, User


def authorities_of(user: User) -> QuerySet[Agency]:
    """The local authorities ``user`` works with."""
    if not user.is_active or user.agency is None:
        return Agency.objects.none()
    if user.agency.is_local_authority:
        return Agency.objects.filter(pk=user.agency.pk, is_active=True)
    return user.agency.partner_of.filter(is_active=True)


def nameable_agencies(user: User) -> QuerySet[Agency]:
    """Those authorities, their partner agencies and the user's own agency (active ones)."""
    authorities = authorities_of(user)
    if user.agency_id is None:
        return Agency.objects.none()
    return (
        Agency.objects.filter(
            Q(pk__in=authorities.values("pk"))
            | Q(partner_of__in=authorities.values("pk"))
            | Q(pk=user.agency_id),
            is_active=True,
        )
        .distinct()
        .order_by("kind", "name", "pk")
    )


def nameable_users(user: User) -> QuerySet[User]:
    """The active people of those agencies (never the automatic accounts)."""
    return (
        User.objects.filter(agency__in=nameable_agencies(user).values("pk"), is_active=True)
        .exclude(username__startswith=AUTOMATIC_PREFIX)
        .select_related("agency", "team")
        .prefetch_related("role_assignments")
        .order_by("agency__name", "last_name", "first_name", "pk")
    )
