"""Oversight pages: team dashboard and service view, the lists behind each figure, a child's
allocation and oversight, supervision, approvals and worker records.

Thin views: every object through ``oversight.access`` (404 alike for missing and not allowed;
partner agencies get 404 everywhere, before anything is read or logged); every change through one
``oversight.services`` call; domain errors in the GOV.UK error summary.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from diogelu.access.models import Part
from diogelu.access.services import PersonAccess, access_person, log_reads
from diogelu.core.replica import reads_from_replica
from diogelu.core.views import AuthedRequest, submit_form
from diogelu.oversight import access, charts, dashboard, services
from diogelu.oversight.caseloads import table_in_force, worker_loads
from diogelu.oversight.forms import (
    AbsenceForm,
    ActionDoneForm,
    AllocationForm,
    AmendSupervisionForm,
    ContractForm,
    DecideApprovalForm,
    FillPostForm,
    LeavingForm,
    NewWorkerForm,
    PeriodForm,
    PostForm,
    ProposeClosureForm,
    ProposeEndAllocationForm,
    RatingForm,
    SupervisionForm,
    WeightingForm,
    WorkerForm,
)
from diogelu.oversight.models import (
    Supervision,
    SupervisionKind,
)
from diogelu.oversight.verification import with_evidence
from diogelu.oversight.workforce_measures import AUTHORITY, workforce_measures


def _staff(request: AuthedRequest) -> None:
    if not access.is_oversight_staff(request.user):
        raise Http404


def _manager(request: AuthedRequest) -> None:
    if not access.is_manager(request.user):
        raise Http404


def _route(request: AuthedRequest, default: str) -> str:
    match = request.resolver_match
    return (match.url_name if match else None) or default


# --- dashboards --------------------------------------------------------------------------------


def _load_bars(loads: list[Any]) -> Any:
    return charts.bar_chart(
        [
            charts.Bar(
                label=load.worker.user.get_full_name(),
                value=load.points,
                limit=load.ceiling,
                text=f"{load.points}/{load.ceiling}",
            )
            for load in loads
        ],
        title=_("Caseload points against ceiling, by worker"),
    )


@reads_from_replica
def oversight_home_view(request: AuthedRequest) -> HttpResponse:
    """The service view: every team the viewer may see, rolled up."""
    _staff(request)
    teams = list(
        access.teams_visible_to(request.user)
        .filter(workers__isnull=False)
        .distinct()
        .order_by("name")
    )
    if not teams:
        raise Http404
    if len(teams) == 1 and not access.sees_all_teams(request.user):
        return HttpResponseRedirect(reverse("team_dashboard", args=[teams[0].pk]))
    counted = dashboard.counted_figures(request.user, teams)
    figures, measures = counted.figures, counted.measures
    today = timezone.localdate(counted.counted_at)
    year_start = today - datetime.timedelta(days=364)
    context = {
        "counted_at": counted.counted_at,
        "counted_every_minutes": dashboard.FIGURES_CACHE_SECONDS // 60,
        "figures": list(figures.values()),
        "totals": dashboard.totals(figures),
        "authority": measures.get(AUTHORITY),
        "measures": measures,
        "year_start": year_start,
        "today": today,
        "agency_chart": charts.bar_chart(
            [
                charts.Bar(
                    label=f.team.name,
                    value=float(f.measures.agency_rate_fte or 0),
                    text=f"{f.measures.agency_rate_fte or 0}%",
                )
                for f in figures.values()
            ],
            title=_("Agency rate by FTE, by team"),
        ),
    }
    return render(request, "oversight/service.jinja", context)


@reads_from_replica
def team_dashboard_view(request: AuthedRequest, team_id: int) -> HttpResponse:
    _staff(request)
    team = access.access_team(request.user, team_id)
    figures = dashboard.team_figures(request.user, [team])
    f = figures[team.pk]
    context = {
        "team": team,
        "f": f,
        "chart": _load_bars(f.loads),
        "table": table_in_force(request.user.agency_id or 0),
    }
    return render(request, "oversight/team.jinja", context)


def team_children_view(request: AuthedRequest, team_id: int) -> HttpResponse:
    """The children allocated to a team: filter by worker and RAG, sort by column, paged; each
    child shown is logged as read."""
    from diogelu.core.pagination import govuk_pagination, page_of
    from diogelu.oversight import team_children
    from diogelu.oversight.models import Rating

    _staff(request)
    team = access.access_team_children(request.user, team_id)
    rows = access.team_children(request.user, team)
    workers = sorted(
        {a.worker for a in rows.filter(worker__isnull=False).select_related("worker")},
        key=lambda u: (u.last_name, u.first_name),
    )
    worker = request.GET.get("worker", "")
    if worker == "none":
        rows = rows.filter(worker__isnull=True)
    elif worker.isdigit():
        rows = rows.filter(worker_id=int(worker))
    rating = request.GET.get("rating", "")
    if rating == "none":
        rows = rows.filter(rating__isnull=True)
    elif rating in Rating.values:
        rows = rows.filter(rating=rating)
    sort = request.GET.get("sort", "name")
    if sort not in team_children.SORTS:
        sort = "name"
    descending = request.GET.get("order") == "desc"
    page = page_of(team_children.ordered(rows, sort, descending), request)
    items = team_children.rows_for(page, request.user.agency_id or 0)
    log_reads(
        request.user,
        [r.allocation.case.person for r in items],
        part=Part.SUMMARY,
        route="team_children",
        request=request,
    )

    def sort_href(column: str) -> str:
        query = request.GET.copy()
        query["sort"] = column
        query["order"] = "desc" if (column == sort and not descending) else "asc"
        query.pop("page", None)
        return f"?{query.urlencode()}"

    context = {
        "team": team,
        "rows": items,
        "page": page,
        "pagination": govuk_pagination(request, page),
        "workers": workers,
        "worker": worker,
        "rating": rating,
        "ratings": Rating.choices,
        "rating_labels": dict(Rating.choices),
        "sort": sort,
        "descending": descending,
        "sort_href": sort_href,
        "now": timezone.now(),
    }
    return render(request, "oversight/team_children.jinja", context)


def figure_list_view(request: AuthedRequest) -> HttpResponse:
    """The children or workers behind one figure of the dashboard."""
    _staff(request)
    figure = request.GET.get("figure", "")
    teams = access.teams_visible_to(request.user)
    team_id = request.GET.get("team", "")
    if team_id:
        teams = teams.filter(pk=int(team_id)) if team_id.isdigit() else teams.none()
    team_list = list(teams)
    if not team_list or figure not in (*dashboard.CHILD_FIGURES, *dashboard.WORKER_FIGURES):
        raise Http404
    counted = dashboard.counted_figures(request.user, team_list)
    figures = counted.figures
    context: dict[str, Any] = {
        "figure": figure,
        "teams": team_list,
        "single": bool(team_id),
        "counted_at": counted.counted_at,
        "counted_every_minutes": dashboard.FIGURES_CACHE_SECONDS // 60,
    }
    if figure in dashboard.CHILD_FIGURES:
        # Paged by name (issue 17: at Wales scale one figure named thousands of children in one
        # 121 KB page); only the children shown are read, logged and looked up.
        from diogelu.core.pagination import govuk_pagination, page_of

        ids = dashboard.figure_people(figures, figure)
        page = page_of(access.people_visible(request.user, ids), request)
        people = list(page.object_list)
        log_reads(request.user, people, part=Part.SUMMARY, route="oversight_list", request=request)
        shown = [p.pk for p in people]
        allocations = {a.case.person_id: a for a in access.current_allocations(request.user, shown)}
        context["people"] = [(p, allocations.get(p.pk)) for p in people]
        context["page"] = page
        context["pagination"] = govuk_pagination(request, page)
    else:
        agency = dashboard.agency_worker_ids(request.user.agency_id or 0, timezone.localdate())
        for f in figures.values():
            for load in f.loads:
                load.worker.is_agency = load.worker.pk in agency  # type: ignore[attr-defined]
        context["loads"] = dashboard.figure_workers(figures, figure)
    return render(request, "oversight/figure_list.jinja", context)


@reads_from_replica
def workforce_view(request: AuthedRequest) -> HttpResponse:
    """Workforce measures by team and for the authority, for a period (a year by default)."""
    _staff(request)
    if not (access.sees_all_teams(request.user) or access.may_manage_workforce(request.user)):
        raise Http404
    form = PeriodForm(request.GET or None)
    today = timezone.localdate()
    start, end = today - datetime.timedelta(days=364), today
    if request.GET and form.is_valid():
        start = form.cleaned_data.get("start") or start
        end = form.cleaned_data.get("end") or end
        if end < start:
            form.add_error("end", _("The end of the period must be on or after its start"))
            start, end = today - datetime.timedelta(days=364), today
    from diogelu.accounts.models import Team

    measures = workforce_measures(request.user.agency_id or 0, start=start, end=end)
    names = dict(
        Team.objects.filter(agency_id=request.user.agency_id or 0).values_list("pk", "name")
    )
    rows = [(names.get(k, "?"), k, m) for k, m in measures.items() if isinstance(k, int)]
    rows.sort(key=lambda r: r[0])
    context = {
        "form": form,
        "start": start,
        "end": end,
        "rows": rows,
        "authority": measures[AUTHORITY],
        "may_edit": access.may_manage_workforce(request.user),
        "chart": charts.bar_chart(
            [
                charts.Bar(label=n, value=float(m.turnover or 0), text=f"{m.turnover or 0}%")
                for n, _k, m in rows
            ],
            title=_("Turnover by team"),
        ),
    }
    return render(request, "oversight/workforce.jinja", context)


# --- a child's allocation and oversight ---------------------------------------------------------


def _child(request: AuthedRequest, person_id: int, default: str) -> PersonAccess:
    _staff(request)
    return access_person(request.user, person_id, route=_route(request, default), request=request)


def child_oversight_view(request: AuthedRequest, person_id: int) -> HttpResponse:
    pa = _child(request, person_id, "child_oversight")
    case = services.open_case_of(pa.person)
    history = list(access.allocation_history(request.user, pa.person))
    year_ago = timezone.now() - datetime.timedelta(days=365)
    changes = sum(1 for a in history if a.is_change_of_worker and a.started_at >= year_ago)
    ratings = list(access.ratings_of(request.user, pa.person)[:10])
    approvals = list(access.approvals_of(request.user, pa.person))
    context = {
        "person": pa.person,
        "case": case,
        "current": services.current_allocation(case) if case else None,
        "history": history,
        "changes": changes,
        "ratings": ratings,
        "approvals": approvals,
        "is_manager": access.is_manager(request.user),
        "now": timezone.now(),
    }
    return render(request, "oversight/child.jinja", context)


def allocate_child_view(request: AuthedRequest, person_id: int) -> HttpResponse:
    """Allocate (or reallocate, or unallocate) a child, seeing each candidate worker's load."""
    _manager(request)
    pa = _child(request, person_id, "allocate_child")
    user = request.user
    case = services.open_case_of(pa.person)
    teams = list(access.teams_visible_to(user).order_by("name")) or ([case.team] if case else [])
    if not teams and user.team is not None:
        teams = [user.team]
    if not teams:
        raise Http404
    team = case.team if case and case.team in teams else teams[0]
    wanted = request.POST.get("team") or request.GET.get("team")
    if wanted and wanted.isdigit():
        team = next((t for t in teams if t.pk == int(wanted)), team)
    loads = worker_loads(user.agency_id or 0, team_ids=[team.pk])
    form = AllocationForm(
        request.POST or None,
        workers=loads,
        team=team,
        initial={"expected_version": case.version if case else None},
    )

    def act(data: dict[str, Any]) -> Any:
        return services.allocate_child(
            actor=user,
            person=pa.person,
            worker=form.worker_user(),
            team=team,
            reason=data["reason"],
            note=data["note"],
            stage=data["stage"] or None,
            expected_version=data.get("expected_version"),
        )

    response, status = submit_form(
        request,
        form,
        act,
        success=_("Allocation recorded"),
        then=lambda a: reverse("child_oversight", args=[pa.person.pk]),
    )
    if response is not None:
        return response
    context = {
        "person": pa.person,
        "case": case,
        "current": services.current_allocation(case) if case else None,
        "form": form,
        "loads": loads,
        "team": team,
        "teams": teams,
        "chart": _load_bars(loads),
    }
    return render(request, "oversight/allocate.jinja", context, status=status)


def rate_child_view(request: AuthedRequest, person_id: int) -> HttpResponse:
    _manager(request)
    pa = _child(request, person_id, "rate_child")
    form = RatingForm(request.POST or None)
    response, status = submit_form(
        request,
        form,
        lambda d: services.set_oversight_rating(
            actor=request.user, person=pa.person, rating=d["rating"], reason=d["reason"]
        ),
        success=_("Oversight rating recorded"),
        then=lambda r: reverse("child_oversight", args=[pa.person.pk]),
    )
    if response is not None:
        return response
    return render(
        request, "oversight/rate.jinja", {"person": pa.person, "form": form}, status=status
    )


def propose_closure_view(request: AuthedRequest, person_id: int) -> HttpResponse:
    pa = _child(request, person_id, "propose_closure")
    case = services.open_case_of(pa.person)
    if case is None:
        raise Http404
    form = ProposeClosureForm(request.POST or None)
    response, status = submit_form(
        request,
        form,
        lambda d: services.propose_case_closure(actor=request.user, case=case, reason=d["reason"]),
        success=_("Proposal sent to a manager for approval"),
        then=lambda a: reverse("child_oversight", args=[pa.person.pk]),
    )
    if response is not None:
        return response
    return render(
        request,
        "oversight/propose_closure.jinja",
        {"person": pa.person, "form": form},
        status=status,
    )


def propose_end_allocation_view(request: AuthedRequest, person_id: int) -> HttpResponse:
    pa = _child(request, person_id, "propose_end_allocation")
    case = services.open_case_of(pa.person)
    if case is None:
        raise Http404
    form = ProposeEndAllocationForm(request.POST or None)
    response, status = submit_form(
        request,
        form,
        lambda d: services.propose_end_allocation(
            actor=request.user, case=case, reason=d["reason"]
        ),
        success=_("Proposal sent to a manager for approval"),
        then=lambda a: reverse("child_oversight", args=[pa.person.pk]),
    )
    if response is not None:
        return response
    return render(
        request,
        "oversight/propose_end_allocation.jinja",
        {"person": pa.person, "form": form},
        status=status,
    )


def show_approval_view(request: AuthedRequest, approval_id: int) -> HttpResponse:
    _staff(request)
    approval = access.access_approval(
        request.user, approval_id, route="show_approval", request=request
    )
    may_decide = (
        approval.decided_here
        and access.is_manager(request.user)
        and approval.proposed_by_id != request.user.pk
    )
    form = DecideApprovalForm(request.POST or None)
    if request.method == "POST" and not may_decide:
        raise Http404
    response, status = submit_form(
        request,
        form,
        lambda d: services.decide_approval(
            actor=request.user,
            approval=approval,
            approve=d["decision"] == "approve",
            note=d["note"],
        ),
        success=_("Decision recorded"),
        then=lambda a: reverse("show_approval", args=[approval.pk]),
    )
    if response is not None:
        return response
    history = list(access.approval_history(request.user, approval))
    context = {"approval": approval, "form": form, "may_decide": may_decide, "history": history}
    return render(request, "oversight/approval.jinja", context, status=status)


# --- supervision -------------------------------------------------------------------------------


def new_supervision_view(request: AuthedRequest) -> HttpResponse:
    _staff(request)
    from diogelu.accounts.models import User
    from diogelu.oversight.queues import supervised_workers

    user = request.user
    workers = [
        w.user for w in supervised_workers(user).select_related("user").filter(user__is_active=True)
    ]
    if not workers and not access.is_manager(user):
        raise Http404
    children = list(access.children_allocated_to(user, [w.pk for w in workers]))
    owners = list(
        User.objects.filter(
            agency_id=user.agency_id or 0, is_active=True, worker__isnull=False
        ).order_by("last_name", "first_name")
    )
    if user not in owners:
        owners.append(user)
    form = SupervisionForm(request.POST or None, workers=workers, children=children, owners=owners)

    def act(d: dict[str, Any]) -> Supervision:
        if d["kind"] == SupervisionKind.REFLECTIVE:
            return services.record_reflective_supervision(
                actor=user,
                worker=form.worker_user(),
                held_on=d["held_on"],
                wellbeing=d["wellbeing"],
                workload=d["workload"],
                learning=d["learning"],
                actions=[a for a in form.actions() if a.person is None],
            )
        return services.record_case_supervision(
            actor=user,
            worker=form.worker_user(),
            held_on=d["held_on"],
            children=form.discussions(),
            actions=form.actions(),
        )

    response, status = submit_form(
        request,
        form,
        act,
        success=_("Supervision recorded"),
        then=lambda s: reverse("show_supervision", args=[s.pk]),
    )
    if response is not None:
        return response
    context = {
        "form": form,
        "child_rows": range(3),
        "action_rows": range(3),
    }
    return render(request, "oversight/supervision_form.jinja", context, status=status)


def show_supervision_view(request: AuthedRequest, supervision_id: int) -> HttpResponse:
    _staff(request)
    supervision = access.access_supervision(
        request.user, supervision_id, route="show_supervision", request=request
    )
    actions = list(with_evidence(supervision.actions.all()).select_related("owner", "person"))
    context = {
        "s": supervision,
        "children": list(supervision.children.select_related("person")),
        "actions": actions,
        "today": timezone.localdate(),
    }
    return render(request, "oversight/supervision_show.jinja", context)


def my_supervision_view(request: AuthedRequest) -> HttpResponse:
    _staff(request)
    record = getattr(request.user, "worker", None)
    if record is None:
        raise Http404
    return HttpResponseRedirect(reverse("supervision_file", args=[record.pk]))


def supervision_file_view(request: AuthedRequest, worker_id: int) -> HttpResponse:
    """A worker's supervision file: the supervisions the viewer may see, newest first."""
    _staff(request)
    worker = access.access_worker(request.user, worker_id)
    sessions = list(
        access.supervisions_visible_to(request.user)
        .filter(worker_id=worker.user_id)
        .select_related("supervisor")
        .prefetch_related("children__person")
    )
    from diogelu.oversight.verification import supervision_dues

    dues = supervision_dues(type(worker).objects.filter(pk=worker.pk), timezone.localdate())
    context = {
        "worker": worker,
        "sessions": sessions,
        "due": dues[0] if dues else None,
        "today": timezone.localdate(),
    }
    return render(request, "oversight/supervision_file.jinja", context)


@require_POST
def action_done_view(request: AuthedRequest, action_id: int) -> HttpResponse:
    _staff(request)
    action = access.access_action(request.user, action_id)
    form = ActionDoneForm(request.POST)
    from django.contrib import messages

    from diogelu.core.exceptions import DomainError

    if form.is_valid():
        try:
            services.mark_action_done(
                actor=request.user, action=action, note=form.cleaned_data["note"]
            )
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Action marked done"))
    else:
        messages.error(request, _("Say what was done"))
    return HttpResponseRedirect(reverse("show_supervision", args=[action.supervision_id]))


# --- worker records ----------------------------------------------------------------------------


def show_worker_view(request: AuthedRequest, worker_id: int) -> HttpResponse:
    if not (access.is_oversight_staff(request.user) or access.may_manage_workforce(request.user)):
        raise Http404
    worker = access.access_worker(request.user, worker_id)
    may_edit = access.may_manage_workforce(request.user)
    form = WorkerForm(
        request.POST or None,
        initial={
            "expected_version": worker.version,
            "job_role": worker.job_role,
            "scw_number": worker.scw_number,
            "scw_renewal_on": worker.scw_renewal_on,
            "first_year_until": worker.first_year_until,
            "extra_duty_points": worker.extra_duty_points,
        },
    )
    if request.method == "POST" and not may_edit:
        raise Http404

    def act(d: dict[str, Any]) -> Any:
        return services.update_worker(
            actor=request.user,
            worker=worker,
            expected_version=d["expected_version"],
            job_role=d["job_role"],
            scw_number=d["scw_number"],
            scw_renewal_on=d["scw_renewal_on"],
            first_year_until=d["first_year_until"],
            extra_duty_points=d["extra_duty_points"],
        )

    response, status = submit_form(
        request,
        form,
        act,
        success=_("Worker record saved"),
        then=lambda w: reverse("show_worker", args=[worker.pk]),
    )
    if response is not None:
        return response
    context = {
        "worker": worker,
        "contracts": list(worker.contracts.all()),
        "memberships": list(worker.memberships.select_related("team")),
        "absences": list(worker.absences.all()[:20]),
        "form": form,
        "may_edit": may_edit,
        "today": timezone.localdate(),
    }
    return render(request, "oversight/worker.jinja", context, status=status)


# --- workforce records (head of service, administrator) ----------------------------------------


def _keeper(request: AuthedRequest) -> None:
    if not access.may_manage_workforce(request.user):
        raise Http404


def _simple_form(
    request: AuthedRequest,
    form: Any,
    act: Any,
    *,
    heading: str,
    button: str,
    success: str,
    then: Any,
    back: str,
    caption: str = "",
) -> HttpResponse:
    response, status = submit_form(request, form, act, success=success, then=then)
    if response is not None:
        return response
    context = {"form": form, "heading": heading, "button": button, "back": back, "caption": caption}
    return render(request, "oversight/simple_form.jinja", context, status=status)


def add_contract_view(request: AuthedRequest, worker_id: int) -> HttpResponse:
    _keeper(request)
    worker = access.access_worker(request.user, worker_id)
    form = ContractForm(request.POST or None)
    return _simple_form(
        request,
        form,
        lambda d: services.add_contract(
            actor=request.user,
            worker=worker,
            kind=d["kind"],
            fte=d["fte"],
            starts_on=d["starts_on"],
            ends_on=d["ends_on"],
        ),
        heading=_("Add a contract"),
        button=_("Add the contract"),
        success=_("Contract added"),
        then=lambda c: reverse("show_worker", args=[worker.pk]),
        back=reverse("show_worker", args=[worker.pk]),
        caption=worker.user.get_full_name(),
    )


def record_leaving_view(request: AuthedRequest, worker_id: int) -> HttpResponse:
    _keeper(request)
    worker = access.access_worker(request.user, worker_id)
    form = LeavingForm(request.POST or None, initial={"expected_version": worker.version})
    return _simple_form(
        request,
        form,
        lambda d: services.record_leaving(
            actor=request.user,
            worker=worker,
            expected_version=d["expected_version"],
            left_on=d["left_on"],
            reason=d["reason"],
        ),
        heading=_("Record leaving"),
        button=_("Record leaving"),
        success=_("Leaving recorded"),
        then=lambda w: reverse("show_worker", args=[worker.pk]),
        back=reverse("show_worker", args=[worker.pk]),
        caption=worker.user.get_full_name(),
    )


def record_absence_view(request: AuthedRequest, worker_id: int) -> HttpResponse:
    _keeper(request)
    worker = access.access_worker(request.user, worker_id)
    form = AbsenceForm(request.POST or None)
    return _simple_form(
        request,
        form,
        lambda d: services.record_absence(
            actor=request.user,
            worker=worker,
            kind=d["kind"],
            starts_on=d["starts_on"],
            ends_on=d["ends_on"],
        ),
        heading=_("Record an absence"),
        button=_("Record the absence"),
        success=_("Absence recorded"),
        then=lambda a: reverse("show_worker", args=[worker.pk]),
        back=reverse("show_worker", args=[worker.pk]),
        caption=worker.user.get_full_name(),
    )


def new_worker_view(request: AuthedRequest) -> HttpResponse:
    _keeper(request)
    from diogelu.accounts.models import Team, User

    user = request.user
    staff = list(
        User.objects.filter(agency_id=user.agency_id or 0, is_active=True, worker__isnull=True)
        .exclude(pk=user.pk)
        .order_by("last_name", "first_name")
    )
    teams = list(Team.objects.filter(agency_id=user.agency_id or 0).order_by("name"))
    managers = list(
        User.objects.filter(
            agency_id=user.agency_id or 0,
            is_active=True,
            role_assignments__role__in=["TEAM_MANAGER", "HEAD_OF_SERVICE"],
        )
        .distinct()
        .order_by("last_name", "first_name")
    )
    form = NewWorkerForm(request.POST or None, staff=staff, teams=teams, managers=managers)
    return _simple_form(
        request,
        form,
        lambda d: services.record_worker(
            actor=user,
            user=form.staff[d["user"]],
            team=form.teams[d["team"]],
            job_role=d["job_role"],
            started_on=d["started_on"],
            scw_number=d["scw_number"],
            contract_kind=d["contract_kind"],
            fte=d["fte"],
            scw_renewal_on=d["scw_renewal_on"],
            first_year_until=d["first_year_until"],
            line_manager=form.managers.get(d["line_manager"] or ""),
        ),
        heading=_("Add a worker record"),
        button=_("Save the worker record"),
        success=_("Worker record saved"),
        then=lambda w: reverse("show_worker", args=[w.pk]),
        back=reverse("workforce"),
    )


def fill_post_view(request: AuthedRequest, post_id: int) -> HttpResponse:
    """Fill a vacant post: who (a worker of the post's team), appointment or agency cover, and
    the first day. Only those who keep workforce records; 404 for anyone else."""
    _keeper(request)
    post = access.access_post(request.user, post_id)
    from django.db.models import Q

    from diogelu.oversight.models import Worker

    today = timezone.localdate()
    workers = list(
        Worker.objects.filter(authority_id=request.user.agency_id or 0, team_id=post.team_id)
        .filter(Q(left_on__isnull=True) | Q(left_on__gte=today))
        .select_related("user")
    )
    form = FillPostForm(request.POST or None, workers=workers)
    return _simple_form(
        request,
        form,
        lambda d: services.fill_post(
            actor=request.user,
            post=post,
            worker=form.workers[d["worker"]],
            kind=d["kind"],
            starts_on=d["starts_on"],
        ),
        heading=_("Fill the post: %(title)s, %(fte)s FTE") % {"title": post.title, "fte": post.fte},
        button=_("Fill the post"),
        success=_("Post filled"),
        then=lambda h: reverse("team_posts", args=[post.team_id]),
        back=reverse("team_posts", args=[post.team_id]),
        caption=post.team.name,
    )


def team_posts_view(request: AuthedRequest, team_id: int) -> HttpResponse:
    """A team's established posts, filled or vacant since when; a keeper may add one."""
    _staff(request)
    team = access.access_team(request.user, team_id)
    from diogelu.oversight.models import Post

    today = timezone.localdate()
    posts = []
    for post in (
        Post.objects.filter(team=team).prefetch_related("holdings__worker__user").order_by("pk")
    ):
        holdings = sorted(post.holdings.all(), key=lambda h: h.starts_on)
        current = next(
            (
                h
                for h in holdings
                if h.starts_on <= today and (h.ends_on is None or h.ends_on >= today)
            ),
            None,
        )
        ended = [h.ends_on for h in holdings if h.ends_on is not None and h.ends_on < today]
        since = current.starts_on if current else (max(ended) if ended else post.established_on)
        posts.append({"post": post, "holder": current, "since": since})
    form = PostForm(request.POST or None)
    if request.method == "POST":
        _keeper(request)
    response, status = submit_form(
        request,
        form,
        lambda d: services.establish_post(
            actor=request.user,
            team=team,
            title=d["title"],
            fte=d["fte"],
            established_on=d["established_on"],
        ),
        success=_("Post added"),
        then=lambda p: reverse("team_posts", args=[team.pk]),
    )
    if response is not None:
        return response
    context = {
        "team": team,
        "posts": posts,
        "form": form,
        "may_edit": access.may_manage_workforce(request.user),
    }
    return render(request, "oversight/posts.jinja", context, status=status)


def weighting_view(request: AuthedRequest) -> HttpResponse:
    """The authority's weighting table in force and its versions; a head of service saves a new
    version (the old ones are kept)."""
    _staff(request)
    if not access.is_manager(request.user):
        raise Http404
    from diogelu.oversight.caseloads import state_labels
    from diogelu.oversight.models import WeightingTable

    labels = state_labels()
    table = table_in_force(request.user.agency_id or 0)
    may_edit = request.user.has_role("HEAD_OF_SERVICE")
    initial: dict[str, Any] = {
        "ceiling": table.ceiling,
        "first_year_ceiling": table.first_year_ceiling,
        **{f"p_{k}": table.points.get(k, 0) for k in labels},
    }
    form = WeightingForm(request.POST or None, labels=labels, initial=initial)
    if request.method == "POST" and not may_edit:
        raise Http404
    response, status = submit_form(
        request,
        form,
        lambda d: services.set_weighting(
            actor=request.user,
            points=form.points(),
            ceiling=d["ceiling"],
            first_year_ceiling=d["first_year_ceiling"],
            note=d["note"],
        ),
        success=_("A new version of the weighting table is in force"),
        then=lambda t: reverse("weighting"),
    )
    if response is not None:
        return response
    versions = list(
        WeightingTable.objects.filter(authority_id=request.user.agency_id or 0).select_related(
            "created_by"
        )
    )
    context = {
        "table": table,
        "rows": [(labels[k], table.points.get(k, 0)) for k in labels],
        "versions": versions,
        "form": form,
        "may_edit": may_edit,
    }
    return render(request, "oversight/weighting.jinja", context, status=status)


def amend_supervision_view(request: AuthedRequest, supervision_id: int) -> HttpResponse:
    """The supervisor corrects the record (stale edits refused)."""
    _staff(request)
    supervision = access.access_supervision(
        request.user, supervision_id, route="amend_supervision", request=request
    )
    if supervision.supervisor_id != request.user.pk:
        raise Http404
    children = list(supervision.children.select_related("person"))
    reflective = supervision.kind == SupervisionKind.REFLECTIVE
    initial: dict[str, Any] = {
        "expected_version": supervision.version,
        "wellbeing": supervision.wellbeing,
        "workload": supervision.workload,
        "learning": supervision.learning,
        **{f"d{c.pk}": c.decisions for c in children},
    }
    form = AmendSupervisionForm(
        request.POST or None, children=children, reflective=reflective, initial=initial
    )
    return _simple_form(
        request,
        form,
        lambda d: services.amend_supervision(
            actor=request.user,
            supervision=supervision,
            expected_version=d["expected_version"],
            wellbeing=d.get("wellbeing", ""),
            workload=d.get("workload", ""),
            learning=d.get("learning", ""),
            decisions=form.decisions(),
        ),
        heading=_("Amend the supervision record"),
        button=_("Save the amendment"),
        success=_("Supervision amended"),
        then=lambda s: reverse("show_supervision", args=[supervision.pk]),
        back=reverse("show_supervision", args=[supervision.pk]),
        caption=supervision.worker.get_full_name(),
    )
