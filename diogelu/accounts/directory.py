"""The authorities a user works with: a local authority's own staff, their authority; a partner
agency's staff, the authorities their agency is a partner of.

Whom a user may *name* (agencies, users) is decided in one place, ``diogelu.access.naming``, for
the API's lists (``/api/v1/agencies/``, ``/users/``) and every write's checks alike.
"""

from __future__ import annotations

from django.db.models import QuerySet

from diogelu.accounts.models import Agency, User


def authorities_of(user: User) -> QuerySet[Agency]:
    """The local authorities ``user`` works with."""
    if not user.is_active or user.agency is None:
        return Agency.objects.none()
    if user.agency.is_local_authority:
        return Agency.objects.filter(pk=user.agency.pk, is_active=True)
    return user.agency.partner_of.filter(is_active=True)
