"""Which local authorities' case rows a user's requests may touch (ADR 0751).

This is the tenant line the database holds (``core.rowscope``), not the access model: within it,
``access/visibility.py`` still decides who sees which child. A local authority's staff work in
their own authority; a partner agency's staff in the authorities it serves (``partner_of``, the
same relation that decides which agencies an authority may name, ``access/naming.py``). A user
without an agency, or a visitor not signed in, gets no authority: no case row.
"""

from __future__ import annotations

from typing import Any

from diogelu.accounts.models import Agency, AgencyKind


def authority_ids_for(user: Any) -> list[int]:
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return []
    agency: Agency | None = getattr(user, "agency", None)
    if agency is None:
        return []
    if agency.kind == AgencyKind.LOCAL_AUTHORITY:
        return [agency.pk]
    return sorted(
        agency.partner_of.filter(kind=AgencyKind.LOCAL_AUTHORITY).values_list("pk", flat=True)
    )


__all__ = ["authority_ids_for"]
