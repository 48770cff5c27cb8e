"""Pages of the measures: the dashboard, one measure, the rows behind it and its CSV.

Thin: every read goes through ``reading`` (which answers 404 to anyone but the authority's
performance readers and logs each child shown).
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from diogelu.accounts.stepup import step_up_required
from diogelu.core.replica import reads_from_replica
from diogelu.core.views import AuthedRequest
from diogelu.measures import charts, reading
from diogelu.measures.access import may_edit_measures, require_editor, require_reader
from diogelu.measures.definitions import Kind
from diogelu.measures.periods import Period


def _period(request: AuthedRequest) -> Period:
    return reading.period_from(request.GET.get("period"))


@reads_from_replica
def dashboard_view(request: AuthedRequest) -> HttpResponse:
    require_reader(request.user)
    period = _period(request)
    team = request.GET.get("team") or None
    data = reading.dashboard(request.user, period, team=team)
    for line in data["lines"]:
        values = [f.value for f in line.series.trend]
        line.spark = charts.sparkline_svg(
            values,
            title=_("Last twelve months: %(values)s")
            % {"values": ", ".join("–" if v is None else f"{v:g}" for v in values)},
            percent=line.measure.kind == Kind.RATE,
        )
    return render(
        request,
        "measures/dashboard.jinja",
        {
            **data,
            "period": period,
            "choices": reading.period_choices(timezone.localdate()),
            "may_edit": may_edit_measures(request.user),
            "teams": reading.teams_of(request.user),
            "team": team or "",
            "q": _query(period, team),
        },
    )


def _query(period: Period, team: str | None) -> str:
    """The query string that keeps the period and team on the next page."""
    return f"period={period.token}" + (f"&team={team}" if team else "")


@reads_from_replica
def measure_view(request: AuthedRequest, measure: str) -> HttpResponse:
    require_reader(request.user)
    definition = reading.measure_or_404(measure)
    period = _period(request)
    team = request.GET.get("team") or None
    data = reading.measure_detail(request.user, definition, period, team=team)
    line = data["line"]
    target = float(line.target.target) if line.target else None
    chart = charts.trend_svg(
        [(f.period.start.strftime("%m/%y"), f.value) for f in line.series.trend],
        title=_("%(name)s, month by month") % {"name": definition.name},
        target=target,
        percent=definition.kind == Kind.RATE,
    )
    return render(
        request,
        "measures/measure.jinja",
        {
            **data,
            "measure": definition,
            "period": period,
            "chart": chart,
            "breakdown_label": reading.breakdown_label,
            "teams": reading.teams_of(request.user),
            "team": team or "",
            "q": _query(period, team),
            "choices": reading.period_choices(timezone.localdate()),
            "may_edit": may_edit_measures(request.user),
        },
    )


@reads_from_replica
def measure_rows_view(request: AuthedRequest, measure: str) -> HttpResponse:
    require_reader(request.user)
    definition = reading.measure_or_404(measure)
    period = _period(request)
    show = request.GET.get("show", "missed")
    if show not in reading.SHOW_CHOICES:
        raise Http404
    team = request.GET.get("team") or None
    page, rows = reading.drill_rows(
        request.user,
        definition,
        period,
        show=show,
        page=request.GET.get("page"),
        request=request,
        team=team,
    )
    return render(
        request,
        "measures/rows.jinja",
        {
            "measure": definition,
            "period": period,
            "show": show,
            "page": page,
            "rows": rows,
            "q": _query(period, team),
        },
    )


@step_up_required
@reads_from_replica
def measure_csv_view(request: AuthedRequest, measure: str) -> HttpResponse:
    """The figure and its rows as CSV: an export of children's names, so after a step-up, as
    every document download (and each child named is logged with the Export channel)."""
    require_reader(request.user)
    definition = reading.measure_or_404(measure)
    period = _period(request)
    team = request.GET.get("team") or None
    body = reading.export_csv(request.user, definition, period, request=request, team=team)
    response = HttpResponse(body, content_type="text/csv; charset=utf-8")
    filename = f"diogelu-{definition.key}-{period.token}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def target_view(request: AuthedRequest, measure: str) -> HttpResponse:
    require_editor(request.user)
    definition = reading.measure_or_404(measure)
    if definition.kind != Kind.RATE:
        raise Http404
    period = request.GET.get("period") or request.POST.get("period") or ""
    errors: list[dict[str, str]] = []
    current = reading.targets_for(int(request.user.agency_id or 0)).get(definition.key)
    values = {
        "target": str(current.target) if current else "",
        "amber": str(current.amber_within) if current else "5",
    }
    if request.method == "POST":
        values = {"target": request.POST.get("target", ""), "amber": request.POST.get("amber", "")}
        try:
            target = Decimal(values["target"])
            amber = Decimal(values["amber"] or "0")
            if not (0 <= target <= 100 and 0 <= amber <= 100):
                raise InvalidOperation
        except InvalidOperation:
            errors.append(
                {"text": _("Enter a target and a tolerance between 0 and 100"), "href": "#target"}
            )
        else:
            reading.set_target(
                actor=request.user, measure=definition, target=target, amber_within=amber
            )
            messages.success(request, _("Target saved"))
            suffix = f"?period={period}" if period else ""
            return HttpResponseRedirect(reverse("measure", args=[definition.key]) + suffix)
    return render(
        request,
        "measures/target.jinja",
        {"measure": definition, "values": values, "errors": errors, "period": period},
        status=400 if errors else 200,
    )


@reads_from_replica
def data_quality_view(request: AuthedRequest) -> HttpResponse:
    require_reader(request.user)
    data = reading.data_quality(request.user, request=request)
    return render(request, "measures/data_quality.jinja", data)


@reads_from_replica
def year_end_view(request: AuthedRequest) -> HttpResponse:
    require_reader(request.user)
    today = timezone.localdate()
    last = Period.containing("fy", today).previous().start.year
    try:
        year = int(request.GET.get("year", last))
    except ValueError:
        raise Http404 from None
    if not 2000 <= year <= today.year:
        raise Http404
    data = reading.year_end(request.user, year)
    return render(
        request,
        "measures/year_end.jinja",
        {
            **data,
            "years": list(range(last, last - 5, -1)),
            "year": year,
            "breakdown_label": reading.breakdown_label,
        },
    )
