"""Who may read a care and support protection plan (fail closed).

The child's local authority staff (who may see the child), and core group members: a named
practitioner, or the agency named, while the membership lasts and the agency may still see the
child. Nobody else, and nobody after the child leaves the register and the involvement ends.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest

from diogelu.access.models import Channel, Part
from diogelu.access.services import log_reads
from diogelu.access.visibility import decide, visible_person_q
from diogelu.accounts.models import User
from diogelu.plans.models import Plan


def plans_visible_to(user: User) -> QuerySet[Plan]:
    """The plans ``user`` may read."""
    if not user.is_authenticated or not user.is_active or user.agency_id is None:
        return Plan.objects.none()
    # said of each plan's person (visible_person_q), not "in the set of everyone visible": that
    # set read every person of the authority to count the API's plans (87 ms at a county); and
    # the person's authority read by key for each plan, not by joining every person (ADR 0848)
    plans = Plan.objects.filter(visible_person_q(user, "person", per_row=True))
    if user.is_local_authority_staff:
        return plans
    member = Q(
        episode__core_group__ended_at__isnull=True,
        episode__core_group__agency_id=user.agency_id,
    ) & (Q(episode__core_group__user__isnull=True) | Q(episode__core_group__user_id=user.pk))
    return plans.filter(member).distinct()


def access_plan(
    user: User,
    plan_id: object,
    *,
    route: str,
    request: HttpRequest | None = None,
    channel: str = Channel.PAGE,
) -> Plan:
    """One plan for ``user``, logging the read; 404 alike for missing and not allowed."""
    try:
        pk = int(str(plan_id))
    except (TypeError, ValueError):
        raise Http404 from None
    plan = plans_visible_to(user).filter(pk=pk).select_related("person").first()
    if plan is None:
        raise Http404
    decision = decide(user, plan.person)
    if decision is None or not decision.may_see(Part.SUMMARY):
        raise Http404
    log_reads(user, [plan.person], part=Part.SUMMARY, route=route, request=request, channel=channel)
    return plan
