"""Who may see and do what in oversight (fail closed; partner agencies never see any of it).

* Oversight staff: active local authority staff holding a social worker, team manager, head of
  service or auditor role. Everyone else gets 404 on every oversight page and endpoint.
* Managers (team manager, head of service) allocate, rate and approve; a team manager's dashboard
  is their own team's, a head of service's (and an auditor's) every team of the authority.
* Workforce records are kept by the head of service and the administrator.
* Case supervision: the worker, the supervisor, the managers above the worker, and the
  authority's managers and auditors — and only when the viewer may see every child discussed.
* Reflective supervision: only the worker, the supervisor and the managers above the worker
  (their line, followed through ``Worker.line_manager``). Never on a child's record.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404

from diogelu.access.models import Channel, Part
from diogelu.access.services import log_reads
from diogelu.access.visibility import visible_person_ids, visible_person_q
from diogelu.accounts.models import Role, Team
from diogelu.oversight.models import (
    Case,
    Supervision,
    SupervisionChild,
    SupervisionKind,
    Worker,
)

if TYPE_CHECKING:
    from django.http import HttpRequest

    from diogelu.accounts.models import User

OVERSIGHT_ROLES = frozenset(
    {Role.SOCIAL_WORKER, Role.TEAM_MANAGER, Role.HEAD_OF_SERVICE, Role.AUDITOR}
)
MANAGER_ROLES = frozenset({Role.TEAM_MANAGER, Role.HEAD_OF_SERVICE})
#: The line of managers is followed this many levels up (and down).
MAX_LINE_DEPTH = 6


def _la_user(user: Any) -> bool:
    return bool(
        getattr(user, "is_authenticated", False)
        and user.is_active
        and user.agency_id is not None
        and user.is_local_authority_staff
    )


def is_oversight_staff(user: Any) -> bool:
    return _la_user(user) and user.has_role(*OVERSIGHT_ROLES)


def is_manager(user: Any) -> bool:
    return _la_user(user) and user.has_role(*MANAGER_ROLES)


def sees_all_teams(user: Any) -> bool:
    return _la_user(user) and user.has_role(Role.HEAD_OF_SERVICE, Role.AUDITOR)


def may_manage_workforce(user: Any) -> bool:
    return _la_user(user) and user.has_role(Role.HEAD_OF_SERVICE, Role.ADMINISTRATOR)


def teams_visible_to(user: User) -> QuerySet[Team]:
    """The teams whose dashboard ``user`` may see."""
    if not is_oversight_staff(user):
        return Team.objects.none()
    teams = Team.objects.filter(agency_id=user.agency_id or 0)
    if sees_all_teams(user):
        return teams
    if user.has_role(Role.TEAM_MANAGER) and user.team_id is not None:
        return teams.filter(pk=user.team_id)
    return Team.objects.none()


def access_team(user: User, team_id: object) -> Team:
    try:
        pk = int(str(team_id))
    except (TypeError, ValueError):
        raise Http404 from None
    team = teams_visible_to(user).filter(pk=pk).first()
    if team is None:
        raise Http404
    return team


def access_team_children(user: User, team_id: object) -> Team:
    """The team whose allocated children ``user`` may list: a team they may see the dashboard
    of, or their own team (its workers see the team's children)."""
    try:
        pk = int(str(team_id))
    except (TypeError, ValueError):
        raise Http404 from None
    teams = teams_visible_to(user)
    if is_oversight_staff(user) and user.team_id is not None:
        teams = teams | Team.objects.filter(pk=user.team_id, agency_id=user.agency_id or 0)
    team = teams.filter(pk=pk).first()
    if team is None:
        raise Http404
    return team


def team_children(user: User, team: Team) -> QuerySet[Any]:
    """The current allocations of the children open to ``team`` that ``user`` may see."""
    from diogelu.oversight.team_children import rows_query, team_allocations

    return rows_query(team_allocations(team, cases_visible_to(user)))


def workers_visible_to(user: User) -> QuerySet[Worker]:
    """Worker records: the authority's managers, auditors and workforce keepers see all of its
    workers; a worker sees their own."""
    if not _la_user(user):
        return Worker.objects.none()
    workers = Worker.objects.filter(authority_id=user.agency_id)
    if is_manager(user) or may_manage_workforce(user) or user.has_role(Role.AUDITOR):
        return workers
    return workers.filter(user_id=user.pk)


def access_worker(user: User, worker_id: object) -> Worker:
    try:
        pk = int(str(worker_id))
    except (TypeError, ValueError):
        raise Http404 from None
    worker = workers_visible_to(user).filter(pk=pk).select_related("user", "team").first()
    if worker is None:
        raise Http404
    return worker


def posts_visible_to(user: User) -> QuerySet[Any]:
    """The authority's established posts, for those who keep workforce records."""
    from diogelu.oversight.models import Post

    if not may_manage_workforce(user):
        return Post.objects.none()
    return Post.objects.filter(team__agency_id=user.agency_id or 0)


def access_post(user: User, post_id: object) -> Any:
    """One post ``user`` may fill; 404 alike for missing and not allowed."""
    try:
        pk = int(str(post_id))
    except (TypeError, ValueError):
        raise Http404 from None
    post = posts_visible_to(user).filter(pk=pk).select_related("team").first()
    if post is None:
        raise Http404
    return post


def reports_below(user: User) -> set[int]:
    """The user ids of everyone whose line of managers includes ``user`` (to
    :data:`MAX_LINE_DEPTH` levels down).

    One recursive query: it was one query a level, each ordered by name through a join, and a
    manager's My work asked three times over (issue 17)."""
    from diogelu.core.memo import memoised

    if user.pk is None or user.agency_id is None:
        return set()
    # Asked by oversight's and audit's parts of My work alike: once a page (``page_memo``).
    return set(memoised(("reports_below", user.pk), lambda: _reports_below(user)))


def _reports_below(user: User) -> frozenset[int]:
    from django.db import connections, router

    db = connections[router.db_for_read(Worker)]
    table = db.ops.quote_name(Worker._meta.db_table)
    sql = f"""
        WITH RECURSIVE below(user_id, depth) AS (
            SELECT w.user_id, 1 FROM {table} w
            WHERE w.authority_id = %s AND w.line_manager_id = %s
            UNION
            SELECT w.user_id, b.depth + 1
            FROM {table} w JOIN below b ON w.line_manager_id = b.user_id
            WHERE w.authority_id = %s AND b.depth < %s
        )
        SELECT DISTINCT user_id FROM below WHERE user_id <> %s
    """  # noqa: S608 (the table name is the model's own, quoted; every value is a parameter)
    with db.cursor() as cursor:
        cursor.execute(sql, [user.agency_id, user.pk, user.agency_id, MAX_LINE_DEPTH, user.pk])
        return frozenset(row[0] for row in cursor.fetchall())


def supervisions_visible_to(user: User) -> QuerySet[Supervision]:
    if not is_oversight_staff(user):
        return Supervision.objects.none()
    own_line = (
        Q(worker_id=user.pk) | Q(supervisor_id=user.pk) | Q(worker_id__in=reports_below(user))
    )
    allowed = own_line
    if is_manager(user) or user.has_role(Role.AUDITOR):
        allowed = own_line | Q(kind=SupervisionKind.CASE)
    # "a child the user may not see" through visible_person_q: NOT IN every visible person made
    # PostgreSQL read the authority's people (0.44 s of a supervision file at a county). The
    # child's authority is read by key for each child (ADR 0848): joined, PostgreSQL still read
    # all 300,000 people of a county to count an auditor's 1,722 supervisions (110 ms).
    hidden_child = SupervisionChild.objects.filter(supervision_id=OuterRef("pk")).exclude(
        visible_person_q(user, "person", per_row=True)
    )
    return (
        Supervision.objects.filter(authority_id=user.agency_id)
        .filter(allowed)
        .exclude(Exists(hidden_child))
    )


def access_supervision(
    user: User,
    supervision_id: object,
    *,
    route: str,
    request: HttpRequest | None = None,
    channel: str = Channel.PAGE,
) -> Supervision:
    """One supervision for ``user``, logging the read of each child discussed; 404 alike for
    missing and not allowed."""
    try:
        pk = int(str(supervision_id))
    except (TypeError, ValueError):
        raise Http404 from None
    supervision = (
        supervisions_visible_to(user).filter(pk=pk).select_related("worker", "supervisor").first()
    )
    if supervision is None:
        raise Http404
    people = [c.person for c in supervision.children.select_related("person")]
    if people:
        log_reads(user, people, part=Part.SUMMARY, route=route, request=request, channel=channel)
    return supervision


def cases_visible_to(user: User) -> QuerySet[Case]:
    """Open and closed cases of the children ``user`` may see (oversight staff only)."""
    if not is_oversight_staff(user):
        return Case.objects.none()
    return Case.objects.filter(authority_id=user.agency_id).filter(visible_person_q(user, "person"))


# --- scoped fetchers for the pages (views never query case models directly) ---------------------


def people_visible(user: User, ids: Any) -> QuerySet[Any]:
    """The people among ``ids`` that ``user`` may see, by name."""
    from diogelu.people.models import Person

    return (
        Person.objects.filter(pk__in=list(ids))
        .filter(pk__in=visible_person_ids(user))
        .order_by("family_name", "given_name", "pk")
    )


def current_allocations(user: User, person_ids: Any) -> QuerySet[Any]:
    from diogelu.oversight.models import Allocation

    return Allocation.objects.filter(
        ended_at__isnull=True, case__in=cases_visible_to(user), case__person_id__in=list(person_ids)
    ).select_related("case", "worker", "team")


def allocation_history(user: User, person: Any) -> QuerySet[Any]:
    from diogelu.oversight.models import Allocation

    return Allocation.objects.filter(
        case__in=cases_visible_to(user).filter(person=person)
    ).select_related("worker", "team", "made_by")


def ratings_of(user: User, person: Any) -> QuerySet[Any]:
    from diogelu.oversight.models import OversightRating

    if not is_oversight_staff(user) or person.authority_id != user.agency_id:
        return OversightRating.objects.none()
    return OversightRating.objects.filter(
        person=person, authority_id=user.agency_id
    ).select_related("set_by")


def approvals_visible_to(user: User) -> QuerySet[Any]:
    """Approvals about the children of ``user``'s authority that ``user`` may see (oversight
    staff only; a restricted child's approvals only to those who may see the child)."""
    from diogelu.oversight.models import Approval

    if not is_oversight_staff(user):
        return Approval.objects.none()
    return Approval.objects.filter(person__authority_id=user.agency_id).filter(
        visible_person_q(user, "person")
    )


def approvals_of(user: User, person: Any) -> QuerySet[Any]:

    return (
        approvals_visible_to(user).filter(person=person).select_related("proposed_by", "decided_by")
    )


def access_approval(
    user: User, approval_id: object, *, route: str, request: HttpRequest | None = None
) -> Any:
    """One approval of a case ``user`` may see, logging the read of its child; 404 otherwise."""

    try:
        pk = int(str(approval_id))
    except (TypeError, ValueError):
        raise Http404 from None
    approval = (
        approvals_visible_to(user)
        .filter(pk=pk)
        .select_related("person", "case", "proposed_by", "decided_by")
        .first()
    )
    if approval is None:
        raise Http404
    log_reads(user, [approval.person], part=Part.SUMMARY, route=route, request=request)
    return approval


def approval_history(user: User, approval: Any) -> QuerySet[Any]:

    return (
        approvals_visible_to(user)
        .filter(person_id=approval.person_id)
        .select_related("proposed_by", "decided_by")
    )


def children_allocated_to(user: User, worker_ids: Any) -> QuerySet[Any]:
    """The children now allocated to any of ``worker_ids`` (user ids) that ``user`` may see."""
    from diogelu.oversight.models import Allocation

    allocated = Allocation.objects.filter(
        ended_at__isnull=True,
        case__closed_at__isnull=True,
        case__authority_id=user.agency_id or 0,
        worker_id__in=list(worker_ids),
    ).values_list("case__person_id", flat=True)
    return people_visible(user, allocated)


def access_action(user: User, action_id: object) -> Any:
    """One supervision action of a supervision ``user`` may see; 404 otherwise."""
    from diogelu.oversight.models import SupervisionAction

    try:
        pk = int(str(action_id))
    except (TypeError, ValueError):
        raise Http404 from None
    action = (
        SupervisionAction.objects.filter(pk=pk, supervision__in=supervisions_visible_to(user))
        .select_related("supervision")
        .first()
    )
    if action is None:
        raise Http404
    return action
