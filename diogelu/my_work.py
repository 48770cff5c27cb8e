"""My work: what is waiting for the signed-in person across the workflow, and when it is due.

Project level, like ``urls.py`` and ``navigation.py``: the page gathers every workflow app's
queue (referrals and sharing, enquiries, conferences, plans), so it lives above them all and no
app imports it. Its template stays ``people/my_work.jinja``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpResponse
from django.shortcuts import render

from diogelu.core.memo import page_memo
from diogelu.core.views import AuthedRequest


def my_work_view(request: AuthedRequest) -> HttpResponse:
    """What is waiting for me, and when it is due, by role: the MASH's reports, requests and
    outcomes; a manager's authorisations, ratifications and escalations; a social worker's
    section 47 enquiries; a partner agency's requests, outcomes and reports."""
    with page_memo():  # the sections ask some of the same questions (core.memo)
        return _my_work(request)


def _my_work(request: AuthedRequest) -> HttpResponse:
    from django.utils import timezone

    from diogelu.accounts.models import Role
    from diogelu.accounts.roles import (
        is_manager,
        is_mash_viewer,
        is_partner_worker,
        is_social_work_staff,
    )
    from diogelu.conferences import queues as cq
    from diogelu.enquiries import queues as enquiry_queues
    from diogelu.sharing import presenters as sp
    from diogelu.sharing import queues

    user = request.user
    now = timezone.now()
    mash = is_mash_viewer(user)
    manager = mash and is_manager(user)
    partner = is_partner_worker(user)
    social_work = is_social_work_staff(user)
    # Only local authority social work staff lead enquiries: for anyone else the query (eight
    # visibility joins to plan) always came back empty (8 ms of a police officer's My work).
    enquiries = (
        _enquiries(request, now)
        if social_work
        else {"enquiries": [], "enquiries_page": None, "enquiries_pages": None}
    )
    my_requests, overdue_requests = queues.my_work_requests(user, now, overdue=manager)
    context: dict[str, Any] = {
        "sp": sp,
        "is_mash": mash,
        "is_manager": manager,
        "is_partner": partner,
        "is_social_worker": social_work
        and (user.has_role(Role.SOCIAL_WORKER) or bool(enquiries["enquiries"])),
        **(_reports(request, now) if mash else {"reports": [], "reports_page": None}),
        "my_requests": my_requests,
        "to_authorise": queues.decisions_to_authorise(user, now) if manager else [],
        "to_ratify": enquiry_queues.determinations_to_ratify(user) if manager else [],
        "overdue_requests": overdue_requests,
        **(
            _escalated(request, now)
            if manager
            else {"escalated": [], "escalated_page": None, "escalated_pages": None}
        ),
        **enquiries,
        "requests_to_answer": queues.agency_requests_to_answer(user, now),
        **_outcomes(request, now),
        "my_reports": queues.my_reports(user) if not user.is_local_authority_staff else [],
        "your_reports_url": sp.safe_url("your_reports"),
        **_overdue_visits(request, now),
        "invitations": cq.invitations_to_answer(user, now),
        "records": cq.records_to_acknowledge(user, now),
        **_conferences(request, now),
        **_registered(request, now),
        "work_lists": _work_lists(user),
    }
    # Every task names its child (an access-logged read), not only a reference.
    from diogelu.sharing.access import children_named_in_work

    context["named"] = children_named_in_work(
        user,
        [row.request for row in context["requests_to_answer"]],
        [row.outcome for row in context["outcomes"]],
        route="my_work",
        request=request,
    )
    from diogelu.core.extensions import my_work_sections

    context["extra_sections"] = my_work_sections(user, now)
    return render(request, "people/my_work.jinja", context)


def _work_lists(user: Any) -> list[tuple[str, str]]:
    """Links to the lists a local authority worker works from."""
    from django.urls import reverse
    from django.utils.translation import gettext as _

    from diogelu.accounts.roles import is_social_work_staff
    from diogelu.conferences.access import is_conference_staff

    lists: list[tuple[str, str]] = []
    if is_conference_staff(user):
        lists.append((reverse("register_list"), _("Children on the register")))
        lists.append((reverse("conference_list"), _("Conferences to be held")))
    if is_social_work_staff(user):
        lists.append((reverse("enquiry_list"), _("Open section 47 enquiries")))
    return lists


#: Overdue visits shown on one page of My work (a manager's is the whole authority's).
VISITS_PER_PAGE = 25
#: Rows shown on one page of each of My work's other long lists (issue 17: on generated data a
#: police officer's outcomes ran to 5,403 and a lead practitioner's lists to hundreds each).
OUTCOMES_PER_PAGE = 25
REPORTS_PER_PAGE = 25
REGISTERED_PER_PAGE = 25
ENQUIRIES_PER_PAGE = 25
CONFERENCES_PER_PAGE = 25
ESCALATED_PER_PAGE = 25


def _pages_label(name: str) -> str:
    """The name of a list's pagination landmark: My work can page several lists at once, and
    each navigation landmark on a page needs its own name (WCAG 2.2: 1.3.1, 2.4.1)."""
    from django.utils.translation import gettext as _

    labels = {
        "reports": _("Pages of reports"),
        "enquiries": _("Pages of your section 47 enquiries"),
        "conferences": _("Pages of conferences"),
        "registered": _("Pages of registered children"),
        "outcomes": _("Pages of outcomes to acknowledge"),
        "visits": _("Pages of overdue statutory visits"),
        "escalated": _("Pages of escalated outcomes"),
    }
    return labels.get(name, "")


def _listed(
    request: AuthedRequest,
    name: str,
    query: Any,
    rows: Callable[[Any], list[Any]],
    per_page: int,
    anchor: str,
    count: Callable[[], int] | None = None,
) -> dict[str, Any]:
    """One of My work's lists a page at a time (``<name>_page`` in the query string): the
    page's rows (only they are worked out), the page, and its GOV.UK pagination. ``count``,
    when given, says how many the query holds more cheaply than counting it."""
    from diogelu.core.pagination import govuk_pagination, page_of

    page = page_of(
        query, request, f"{name}_page", per_page, count=count() if count is not None else None
    )
    return {
        name: rows(page.object_list),
        f"{name}_page": page,
        f"{name}_pages": govuk_pagination(
            request, page, f"{name}_page", anchor, label=_pages_label(name)
        ),
    }


def _reports(request: AuthedRequest, now: Any) -> dict[str, Any]:
    """Reports awaiting intake or decision, soonest due first, a page at a time (a county's MASH
    had hundreds waiting: every one was worked out and shown)."""
    from diogelu.sharing import queues

    return _listed(
        request,
        "reports",
        queues.awaiting_decision_query(request.user),
        lambda r: queues.report_rows(r, now),
        REPORTS_PER_PAGE,
        "reports-awaiting",
    )


def _enquiries(request: AuthedRequest, now: Any) -> dict[str, Any]:
    """The section 47 enquiries the user leads, soonest due first."""
    from diogelu.enquiries import queues as eq

    query = eq.my_open_enquiries(request.user)
    return _listed(
        request,
        "enquiries",
        query,
        lambda e: eq.enquiry_rows(e, now),
        ENQUIRIES_PER_PAGE,
        "enquiries",
    )


def _conferences(request: AuthedRequest, now: Any) -> dict[str, Any]:
    """Conferences to hold or whose record is to be circulated, soonest due first."""
    from diogelu.conferences import queues as cq

    query = cq.conferences_waiting(request.user)
    return _listed(
        request,
        "conferences",
        query,
        lambda c: cq.conference_rows(c, now),
        CONFERENCES_PER_PAGE,
        "conferences",
    )


def _registered(request: AuthedRequest, now: Any) -> dict[str, Any]:
    """The registered children the user leads, longest registered first, with their next core
    group and review."""
    from diogelu.plans import queues as pq

    query = pq.registered_plans(request.user)
    return _listed(
        request,
        "registered",
        query,
        lambda p: pq.registered_rows(p, now),
        REGISTERED_PER_PAGE,
        "registered",
    )


def _outcomes(request: AuthedRequest, now: Any) -> dict[str, Any]:
    """Outcomes to acknowledge, soonest first. Only the page's children are named (each naming
    is an access-logged read)."""
    from diogelu.sharing import queues
    from diogelu.sharing.access import count_waiting_outcomes

    query = queues.waiting_outcomes(request.user)
    return _listed(
        request,
        "outcomes",
        query,
        lambda o: queues.outcome_rows(o, now),
        OUTCOMES_PER_PAGE,
        "outcomes-to-acknowledge",
        count=lambda: count_waiting_outcomes(request.user),
    )


def _escalated(request: AuthedRequest, now: Any) -> dict[str, Any]:
    """A manager's escalated outcomes, soonest due first, a page at a time
    (``escalated_page``): after a county's first tick there were 23,562, and every one was
    worked out and shown (23 s)."""
    from diogelu.sharing import queues

    return _listed(
        request,
        "escalated",
        queues.escalated_outcomes_query(request.user),
        lambda o: queues.outcome_rows(o, now),
        ESCALATED_PER_PAGE,
        "escalations",
    )


def _overdue_visits(request: AuthedRequest, now: Any) -> dict[str, Any]:
    """Overdue statutory visits: a lead practitioner's children, or a manager's whole authority,
    each with the plan it belongs to (only plans the user may read), most overdue first, a page
    at a time (``visits_page``): a manager's list at a county ran to thousands of rows."""
    from django.core.paginator import Paginator

    from diogelu.accounts.models import MANAGER_ROLES
    from diogelu.core.pagination import govuk_pagination
    from diogelu.plans.access import plans_visible_to
    from diogelu.plans.due import overdue_visits_for_worker

    user = request.user
    none: dict[str, Any] = {"overdue_visits": [], "visits_page": None, "visits_pages": None}
    if not user.is_local_authority_staff:
        return none
    team = user.has_role(*MANAGER_ROLES)
    dues = overdue_visits_for_worker(user, now, team=team)
    if not dues:
        return none
    readable = set(
        plans_visible_to(user)
        .filter(episode_id__in={d.episode_id for d in dues})
        .values_list("episode_id", flat=True)
    )
    page = Paginator([d for d in dues if d.episode_id in readable], VISITS_PER_PAGE).get_page(
        request.GET.get("visits_page")
    )
    plans = {
        p.episode_id: p
        for p in plans_visible_to(user)
        .filter(episode_id__in={d.episode_id for d in page.object_list})
        .select_related("person")
    }
    return {
        "overdue_visits": [{"due": d, "plan": plans[d.episode_id]} for d in page.object_list],
        "visits_page": page,
        "visits_pages": govuk_pagination(
            request, page, "visits_page", "overdue-visits", label=_pages_label("visits")
        ),
    }
