"""Who reaches the measures and the improvement plan.

Local authority staff who lead or scrutinise performance: the head of service, the director and
the performance and improvement officer read and change (targets, the plan, reports); the auditor
reads and changes nothing. Everyone else —
partner agencies above all — gets 404, as for a page that does not exist. Drill-through lists
only children the reader may see (``access.visibility``) and logs each one shown.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.http import Http404

from diogelu.accounts.models import Role

if TYPE_CHECKING:
    from diogelu.accounts.models import User

#: Roles that read the dashboard, the measures, the plan and the reports to Cabinet.
READER_ROLES = frozenset(
    {Role.HEAD_OF_SERVICE, Role.DIRECTOR, Role.PERFORMANCE_OFFICER, Role.AUDITOR}
)
#: Roles that set targets and settings, and manage the improvement plan.
EDITOR_ROLES = frozenset({Role.HEAD_OF_SERVICE, Role.DIRECTOR, Role.PERFORMANCE_OFFICER})


def _signed_in_la(user: User) -> bool:
    return bool(
        user.is_authenticated
        and user.is_active
        and user.agency_id is not None
        and user.is_local_authority_staff
    )


def may_read_measures(user: User) -> bool:
    return _signed_in_la(user) and user.has_role(*READER_ROLES)


def may_edit_measures(user: User) -> bool:
    return _signed_in_la(user) and user.has_role(*EDITOR_ROLES)


def require_reader(user: User) -> int:
    """The reader's authority id, or 404."""
    if not may_read_measures(user):
        raise Http404
    assert user.agency_id is not None
    return int(user.agency_id)


def require_editor(user: User) -> int:
    if not may_edit_measures(user):
        raise Http404
    assert user.agency_id is not None
    return int(user.agency_id)


def nav_items(user: User) -> list[tuple[str, str]]:
    """*Performance* in the service navigation, for its readers (``core.extensions``)."""
    from django.urls import reverse
    from django.utils.translation import gettext as _

    if not may_read_measures(user):
        return []
    return [(reverse("performance_dashboard"), _("Performance"))]
