"""The child protection section of a person's page (registered in ``PlansConfig.ready`` with
``people.sections``) and of ``GET /api/v1/people/<id>/register/``: the register episodes, the plan
of each the user may read and, for the authority's social work staff, the conferences.

It composes the register (conferences) and the plans, so it lives with plans, the higher app.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from diogelu.accounts.roles import is_conference_staff
from diogelu.conferences.access import visible_conferences
from diogelu.conferences.models import RegisterEpisode
from diogelu.plans.access import plans_visible_to

if TYPE_CHECKING:
    from diogelu.accounts.models import User


def child_protection_for(user: User, person: Any) -> dict[str, Any] | None:
    """The child protection section of a person's page, for someone already allowed to see the
    person: the register episodes and the plan they may read, and (for the authority's social work
    staff) the conferences. ``None`` when there is nothing this user may see."""
    plans = {p.episode_id: p for p in plans_visible_to(user).filter(person_id=person.pk)}
    staff = is_conference_staff(user) and user.agency_id == person.authority_id
    if not plans and not staff:
        return None
    episodes = list(
        RegisterEpisode.objects.filter(person_id=person.pk)
        .select_related("lead_practitioner", "conference")
        .order_by("-started_at")
    )
    if not staff:
        episodes = [e for e in episodes if e.pk in plans]
    conferences = (
        list(
            visible_conferences(user).filter(children__person_id=person.pk).order_by("-created_at")
        )
        if staff
        else []
    )
    if not staff and not episodes:
        return None
    current = next((e for e in episodes if e.is_open), None)
    return {
        "staff": staff,
        "current": current,
        "episodes": [(e, plans.get(e.pk)) for e in episodes],
        "conferences": conferences,
        "may_transfer_in": staff and current is None,
    }
