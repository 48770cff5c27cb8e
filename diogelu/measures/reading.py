"""What the measure pages, the CSV export and the API read: figures with their targets and RAG,
and the drill-through rows with the children the reader may see (each one shown logged)."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from diogelu.access.models import Channel, Part
from diogelu.access.services import log_reads
from diogelu.access.visibility import visible_person_ids
from diogelu.accounts.models import Team
from diogelu.core.presenters import format_date, format_datetime
from diogelu.measures import compute
from diogelu.measures.access import require_reader
from diogelu.measures.definitions import (
    EXCLUSION_REASONS,
    FUNNEL,
    MEASURES,
    Group,
    Kind,
    Measure,
    Scope,
    get_measure,
)
from diogelu.measures.models import AuthoritySettings, Target
from diogelu.measures.periods import Period, PeriodError, parse_period
from diogelu.people.models import Person

if TYPE_CHECKING:
    from diogelu.accounts.models import User

#: Where each measure's event opens (a page taking the event's id), where there is one.
EVENT_ROUTES: dict[str, str] = {
    "report_decision": "mash_report",
    "written_confirmation": "mash_report",
    "funnel_reports": "mash_report",
    "funnel_decisions": "mash_report",
    "funnel_to_strategy": "mash_report",
    "strategy_outcome_shared": "show_strategy",
    "funnel_strategies": "show_strategy",
    "s47_42wd": "show_enquiry",
    "funnel_s47": "show_enquiry",
    "icpc_15wd": "show_conference",
    "icpc_quorate": "show_conference",
    "review_in_time": "show_conference",
    "advocacy_offered": "show_conference",
    "child_views_recorded": "show_conference",
    "outline_plan_5wd": "show_conference",
    "first_core_group_10wd": "show_conference",
    "registrations": "show_conference",
    "funnel_icpc": "show_conference",
    "funnel_registrations": "show_conference",
    "workforce_agency": "show_worker",
    "workforce_starters": "show_worker",
    "workforce_leavers": "show_worker",
    "workforce_lapsing": "show_worker",
    "exploitation_screenings": "exploitation_screening",
    "exploitation_level_high": "exploitation_screening",
    "exploitation_level_medium": "exploitation_screening",
    "exploitation_level_low": "exploitation_screening",
    "exploitation_level_none": "exploitation_screening",
    "exploitation_rescreen_in_time": "exploitation_screening",
    "exploitation_nrm_referrals": "exploitation_nrm",
    "exploitation_nrm_reasonable_in_time": "exploitation_nrm",
    "exploitation_contexts_several": "exploitation_context",
}

SHOW_CHOICES = ("missed", "met", "excluded", "all")


def scope_for(user: User, team: object = None) -> Scope:
    """The reader's authority (or one of its teams: ``team`` is an id from a query string; an
    id that is not a team of the authority is 404)."""
    authority_id = require_reader(user)
    team_id: int | None = None
    if team not in (None, ""):
        try:
            team_id = int(str(team))
        except ValueError:
            raise Http404 from None
        if not Team.objects.filter(pk=team_id, agency_id=authority_id).exists():
            raise Http404
    return Scope(authority_id=authority_id, now=timezone.now(), team_id=team_id)


def teams_of(user: User) -> list[Team]:
    return list(Team.objects.filter(agency_id=require_reader(user)).order_by("name"))


def period_from(token: str | None) -> Period:
    try:
        return parse_period(token, today=timezone.localdate())
    except PeriodError:
        raise Http404 from None


def measure_or_404(key: str) -> Measure:
    measure = get_measure(key)
    if measure is None:
        raise Http404
    return measure


def period_choices(today: date) -> list[Period]:
    """The periods offered in the picker: this and the last seven quarters, three financial
    years and the last twelve months."""
    quarter = Period.containing("q", today)
    quarters = [quarter]
    for _i in range(7):
        quarters.append(quarters[-1].previous())
    year = Period.containing("fy", today)
    years = [year, year.previous(), year.previous().previous()]
    months = list(reversed(Period.containing("m", today).trend_months()))
    return [*quarters, *years, *months]


@dataclass
class Line:
    """A measure on the dashboard: its series, target and RAG."""

    series: compute.MeasureSeries
    target: Target | None

    @property
    def measure(self) -> Measure:
        return self.series.measure

    @property
    def rag(self) -> str:
        if self.target is None or self.measure.kind != Kind.RATE:
            return ""
        return compute.rag(
            self.series.current.value,
            self.target.target,
            self.target.amber_within,
            higher=self.measure.higher_is_better,
        )

    @property
    def change(self) -> float | None:
        now, before = self.series.current.value, self.series.previous.value
        if now is None or before is None:
            return None
        return round(now - before, 1)


def targets_for(authority_id: int) -> dict[str, Target]:
    return {t.measure: t for t in Target.objects.filter(authority_id=authority_id)}


def dashboard(
    user: User, period: Period, *, group: str | None = None, team: object = None
) -> dict[str, Any]:
    scope = scope_for(user, team)
    targets = targets_for(scope.authority_id)
    measures = MEASURES if group is None else tuple(m for m in MEASURES if m.group == group)
    lines = [
        Line(s, targets.get(s.measure.key)) for s in compute.compute_series(scope, period, measures)
    ]
    by_group: dict[str, list[Line]] = {g.value: [] for g in Group}
    for line in lines:
        by_group[line.measure.group].append(line)
    funnel = [line for key in FUNNEL for line in lines if line.measure.key == key]
    steps = []
    previous: int | None = None
    for line in funnel:
        children = line.series.current.children
        share = round(100 * children / previous, 1) if previous else None
        steps.append({"line": line, "share": share})
        previous = children
    settings = AuthoritySettings.objects.filter(authority_id=scope.authority_id).first()
    return {
        "scope": scope,
        "lines": lines,
        "by_group": by_group,
        "funnel": steps,
        "settings": settings,
    }


def rate_per_10000(count: int, settings: AuthoritySettings | None) -> float | None:
    if settings is None or not settings.child_population:
        return None
    return round(10000 * count / settings.child_population, 1)


def measure_detail(
    user: User, measure: Measure, period: Period, *, team: object = None
) -> dict[str, Any]:
    scope = scope_for(user, team)
    (series,) = compute.compute_series(scope, period, (measure,))
    target = targets_for(scope.authority_id).get(measure.key)
    teams = compute.by_team(measure, scope, period)
    names = {t.pk: str(t.name) for t in Team.objects.filter(pk__in=[k for k, _ in teams if k])}
    settings = AuthoritySettings.objects.filter(authority_id=scope.authority_id).first()
    breakdowns = {d: compute.breakdown(measure, scope, period, d) for d in measure.breakdowns}
    return {
        "line": Line(series, target),
        "team_rows": [(names.get(k or 0, _("No team recorded")), f) for k, f in teams],
        "breakdowns": breakdowns,
        "rate": rate_per_10000(series.current.children, settings)
        if measure.key == "on_register"
        else None,
        "exclusion_labels": {k: str(v) for k, v in EXCLUSION_REASONS.items()},
    }


# --- drill-through --------------------------------------------------------------------------


def _filtered(rows: QuerySet[Any], show: str) -> QuerySet[Any]:
    if show == "missed":
        return rows.filter(m_excluded="", m_met=0)
    if show == "met":
        return rows.filter(m_excluded="", m_met=1)
    if show == "excluded":
        return rows.exclude(m_excluded="")
    return rows


def _fmt(value: Any) -> str:
    if isinstance(value, datetime):
        return format_datetime(value)
    if isinstance(value, date):
        return format_date(value)
    return "" if value is None else str(value)


def _row_dicts(
    user: User, measure: Measure, rows: list[dict[str, Any]]
) -> tuple[list[dict[str, Any]], list[Person]]:
    ids = {r["m_person"] for r in rows if r["m_person"]}
    people = {
        p.pk: p for p in Person.objects.filter(pk__in=ids).filter(pk__in=visible_person_ids(user))
    }
    route = EVENT_ROUTES.get(measure.key)
    out = []
    for r in rows:
        person = people.get(r["m_person"]) if r["m_person"] else None
        out.append(
            {
                "person": person,
                "hidden": bool(r["m_person"]) and person is None,
                "event": r["m_event"],
                "event_href": reverse(route, args=[r["m_event"]]) if route else "",
                "at": r["m_at"],
                "due": r["m_due"],
                "done": r["m_done"],
                "met": bool(r["m_met"]),
                "excluded": str(EXCLUSION_REASONS.get(r["m_excluded"], r["m_excluded"])),
                "excluded_code": r["m_excluded"],
                "value": r["m_value"],
            }
        )
    return out, list(people.values())


def filtered_rows(
    user: User, measure: Measure, period: Period, show: str, *, team: object = None
) -> QuerySet[Any]:
    """The rows behind a figure (``show``: missed, met, excluded or all), in order, as values."""
    scope = scope_for(user, team)
    return compute.row_values(measure, scope, period, lambda qs: _filtered(qs, show))


def present_rows(
    user: User,
    measure: Measure,
    rows: list[dict[str, Any]],
    *,
    route: str,
    channel: str = Channel.PAGE,
    request: HttpRequest | None = None,
) -> list[dict[str, Any]]:
    """Rows with the children the user may see, each one shown access-logged."""
    shown, people = _row_dicts(user, measure, rows)
    log_reads(user, people, part=Part.SUMMARY, route=route, channel=channel, request=request)
    return shown


def drill_rows(
    user: User,
    measure: Measure,
    period: Period,
    *,
    show: str,
    page: str | None,
    request: HttpRequest | None = None,
    route: str = "measure_rows",
    team: object = None,
) -> tuple[Page[Any], list[dict[str, Any]]]:
    """One page of the rows behind a figure; the children shown are access-logged."""
    scope = scope_for(user, team)
    values = compute.row_values(measure, scope, period, lambda qs: _filtered(qs, show))
    paged = Paginator(values, 50).get_page(page)
    shown, people = _row_dicts(user, measure, list(paged.object_list))
    log_reads(user, people, part=Part.SUMMARY, route=route, request=request)
    return paged, shown


def export_csv(
    user: User,
    measure: Measure,
    period: Period,
    *,
    request: HttpRequest | None = None,
    team: object = None,
) -> str:
    """The figure and every row behind it as CSV; each child named is logged as an export."""
    scope = scope_for(user, team)
    (series,) = compute.compute_series(scope, period, (measure,))
    rows = list(compute.row_values(measure, scope, period))
    shown, people = _row_dicts(user, measure, rows)
    log_reads(
        user,
        people,
        part=Part.SUMMARY,
        route="measure_csv",
        channel=Channel.EXPORT,
        request=request,
    )
    buffer = io.StringIO()
    out = csv.writer(buffer)
    figure = series.current
    out.writerow(["measure", measure.key, "version", measure.version])
    out.writerow(["period", period.start.isoformat(), period.end.isoformat()])
    out.writerow(
        [
            "children",
            figure.children,
            "children_met",
            figure.children_met,
            "child_rate",
            figure.child_rate,
        ]
    )
    out.writerow(
        ["events", figure.events, "events_met", figure.events_met, "event_rate", figure.event_rate]
    )
    out.writerow(["excluded", figure.excluded])
    out.writerow([])
    out.writerow(
        [
            "event_id",
            "person_id",
            "la_reference",
            "name",
            "at",
            "due",
            "done",
            "met",
            "excluded_reason",
            "value",
        ]
    )
    for r in shown:
        person = r["person"]
        out.writerow(
            [
                r["event"],
                person.pk if person else "",
                person.la_reference if person else "",
                f"{person.given_name} {person.family_name}".strip()
                if person
                else (_("Not shown") if r["hidden"] else ""),
                _iso(r["at"]),
                _iso(r["due"]),
                _iso(r["done"]),
                "1" if r["met"] else "0",
                r["excluded_code"],
                "" if r["value"] is None else r["value"],
            ]
        )
    return buffer.getvalue()


def _iso(value: Any) -> str:
    if isinstance(value, datetime):
        return timezone.localtime(value).isoformat(timespec="minutes")
    if isinstance(value, date):
        return value.isoformat()
    return ""


def set_target(*, actor: User, measure: Measure, target: Decimal, amber_within: Decimal) -> Target:
    """Set (or change) the authority's target for a measure."""
    from django.db import transaction

    from diogelu.measures.access import require_editor

    authority_id = require_editor(actor)
    with transaction.atomic():
        row, _created = Target.objects.update_or_create(
            authority_id=authority_id,
            measure=measure.key,
            defaults={"target": target, "amber_within": amber_within, "set_by": actor},
        )
    return row


def breakdown_label(dimension: str, code: str) -> str:
    """The words for a breakdown code (a category, an age band, a sex)."""
    from diogelu.conferences.models import Category
    from diogelu.people.models import Sex

    if dimension == "category":
        return str(Category(code).label) if code in Category.values else code
    if dimension == "sex":
        return str(Sex(code).label) if code in Sex.values else code
    bands = {
        "unborn": _("Unborn"),
        "under_1": _("Under 1"),
        "1_4": _("1 to 4"),
        "5_9": _("5 to 9"),
        "10_15": _("10 to 15"),
        "16_17": _("16 and 17"),
        "18_plus": _("18 or over"),
        "not_known": _("Date of birth not known"),
    }
    return str(bands.get(code, code))


def data_quality(user: User, *, request: HttpRequest | None = None) -> dict[str, Any]:
    """The checks' findings grouped by team, children named only where the reader may see them
    (each one named is logged)."""
    from diogelu.measures.quality import CHECKS, run_checks

    scope = scope_for(user)
    findings = run_checks(scope)
    ids = {f.person_id for f in findings if f.person_id}
    people = {
        p.pk: p for p in Person.objects.filter(pk__in=ids).filter(pk__in=visible_person_ids(user))
    }
    log_reads(user, people.values(), part=Part.SUMMARY, route="data_quality", request=request)
    team_names = {
        t.pk: str(t.name)
        for t in Team.objects.filter(pk__in={f.team_id for f in findings if f.team_id})
    }
    teams: dict[str, list[dict[str, Any]]] = {}
    for f in findings:
        name = team_names.get(f.team_id or 0, _("No team recorded"))
        teams.setdefault(name, []).append({"finding": f, "person": people.get(f.person_id or 0)})
    counts = {c.code: sum(1 for f in findings if f.check.code == c.code) for c in CHECKS}
    return {"teams": sorted(teams.items()), "checks": CHECKS, "counts": counts}


#: The year-end return, in the shape of the historic CPR release and the PM/CH metrics
#: (docs/measures.md says which parts of the current guidance could be verified).
YEAR_END_ROWS: tuple[tuple[str, str], ...] = (
    ("on_register", "CPR1"),
    ("registrations", "CPR2"),
    ("deregistrations", "CPR3"),
    ("rereg_12m", "PM27"),
    ("average_days", "PM28"),
    ("over_12m", "CPR4"),
    ("over_24m", "CPR5"),
    ("s47_42wd", "PM24*"),
    ("icpc_15wd", "SCC-ICPC"),
    ("review_in_time", "SCC-RCPC"),
    ("first_core_group_10wd", "SCC-CG"),
    ("seen_alone_10wd", "VISIT"),
)


def year_end(user: User, year: int) -> dict[str, Any]:
    scope = scope_for(user)
    period = Period.financial_year(year)
    wanted = tuple(m for key, _code in YEAR_END_ROWS for m in MEASURES if m.key == key)
    series = {s.measure.key: s for s in compute.compute_series(scope, period, wanted)}
    on_register = get_measure("on_register")
    assert on_register is not None
    settings = AuthoritySettings.objects.filter(authority_id=scope.authority_id).first()
    current = series["on_register"].current.children
    return {
        "period": period,
        "rows": [(code, series[key]) for key, code in YEAR_END_ROWS],
        "by_category": compute.breakdown(on_register, scope, period, "category"),
        "by_age": compute.breakdown(on_register, scope, period, "age"),
        "by_sex": compute.breakdown(on_register, scope, period, "sex"),
        "rate": rate_per_10000(current, settings),
        "settings": settings,
    }
