"""Each measure against a hand-counted fixture (the worked examples of docs/measures.md)."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from diogelu import procedures
from diogelu.conferences.models import ConferenceKind, ConferenceStatus
from diogelu.measures.compute import compute_series, period_rows
from diogelu.measures.definitions import MEASURES, Scope, get_measure
from diogelu.measures.periods import Period, parse_period
from diogelu.measures.quality import run_checks
from diogelu.measures.tests.builders import Case, at

pytestmark = pytest.mark.django_db


def figure(case: Case, key: str, period: Period, now: datetime):
    measure = get_measure(key)
    assert measure is not None
    (series,) = compute_series(Scope(case.authority.pk, now), period, (measure,))
    return series.current


@pytest.fixture(autouse=True)
def _no_cache(settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}


def test_periods_financial_year_quarters_and_boundary():
    fy = Period.financial_year(2025)
    assert (fy.start, fy.end) == (date(2025, 4, 1), date(2026, 3, 31))
    q4 = Period.quarter(2025, 4)
    assert (q4.start, q4.end) == (date(2026, 1, 1), date(2026, 3, 31))
    assert q4.previous() == Period.quarter(2025, 3)
    assert fy.previous() == Period.financial_year(2024)
    assert parse_period(q4.token, today=date(2026, 1, 1)) == q4
    assert len(fy.trend_months()) == 12 and fy.trend_months()[-1].start == date(2026, 3, 1)
    # 31 March 23:30 BST is in the year; 1 April 00:30 BST (31 March 23:30 UTC) is not
    assert fy.start_at <= at(date(2026, 3, 31), 23, 30) < fy.end_at
    assert not (at(date(2026, 4, 1), 0, 30) < fy.end_at)


def test_icpc_timeliness_per_child_and_per_conference_siblings():
    """Three siblings at one late conference; one child and two siblings on time; a conference
    overdue and not held; a cancelled one; one not yet due.

    Per child: 3 met of 7 counted (42.9%); per conference: 2 of 4 (50.0%)."""
    case = Case()
    strategy = at(date(2026, 2, 2))  # Monday: due 15 working days later, Monday 23 February
    assert procedures.local_date(procedures.due("icpc.convene", strategy).due_at) == date(
        2026, 2, 23
    )
    siblings = [case.child() for _ in range(3)]
    case.conference(siblings, clock_start=strategy, held=at(date(2026, 2, 24)))  # late
    case.conference([case.child()], clock_start=strategy, held=at(date(2026, 2, 20)))
    case.conference(
        [case.child(), case.child()], clock_start=strategy, held=at(date(2026, 2, 23), 15)
    )
    case.conference([case.child()], clock_start=at(date(2026, 2, 9)), held=None)  # overdue
    case.conference(
        [case.child()],
        clock_start=strategy,
        held=None,
        status=ConferenceStatus.CANCELLED,
    )
    case.conference([case.child()], clock_start=at(date(2026, 3, 5)), held=None)  # not yet due
    q4 = Period.quarter(2025, 4)
    f = figure(case, "icpc_15wd", q4, at(date(2026, 3, 10)))
    assert (f.children_met, f.children) == (3, 7)
    assert f.child_rate == 42.9
    assert (f.events_met, f.events) == (2, 4)
    assert f.event_rate == 50.0
    assert f.exclusions == {"cancelled": 1, "not_yet_due": 1}

    icpc = get_measure("icpc_15wd")
    assert icpc is not None
    rows = period_rows(icpc, Scope(case.authority.pk, at(date(2026, 3, 10))), q4)
    missed = rows.filter(m_excluded="", m_met=0)
    # the three siblings at the late conference and the child of the overdue one
    assert missed.count() == 4
    assert {s.pk for s in siblings} <= set(missed.values_list("m_person", flat=True))


def test_outline_plan_and_first_core_group_over_christmas():
    """Conferences on Christmas Eve 2025 (a bank holiday eve): 5 working days after is Monday
    5 January 2026 (25, 26 December, the weekend and 1 January do not count); 10 working days
    after is Monday 12 January."""
    case = Case()
    eve = at(date(2025, 12, 24))
    assert procedures.add_working_days(date(2025, 12, 24), 5) == date(2026, 1, 5)
    assert procedures.add_working_days(date(2025, 12, 24), 10) == date(2026, 1, 12)
    a, b = case.child(), case.child()
    on_time = case.conference(
        [a], clock_start=at(date(2025, 12, 3)), held=eve, circulated=at(date(2026, 1, 5), 16)
    )
    late = case.conference(
        [b], clock_start=at(date(2025, 12, 3)), held=eve, circulated=at(date(2026, 1, 6), 9)
    )
    ea = case.register(on_time, a)
    eb = case.register(late, b)
    case.core_group(eb, at(date(2026, 1, 9)), first=True, clock=eve)
    q3 = Period.quarter(2025, 3)
    f = figure(case, "outline_plan_5wd", q3, at(date(2026, 1, 12), 12))
    assert (f.children_met, f.children, f.events_met, f.events) == (1, 2, 1, 2)
    # On 12 January the first core group for `a` is due today: not yet counted.
    f = figure(case, "first_core_group_10wd", q3, at(date(2026, 1, 12), 12))
    assert (f.children_met, f.children, f.exclusions) == (1, 1, {"not_yet_due": 1})
    # From 13 January it is missed.
    f = figure(case, "first_core_group_10wd", q3, at(date(2026, 1, 13), 9))
    assert (f.children_met, f.children, f.exclusions) == (1, 2, {})
    assert ea.pk != eb.pk


def test_re_registration_at_11_12_and_13_months():
    case = Case()
    old = case.conference([], clock_start=at(date(2024, 1, 8)), held=at(date(2024, 1, 29)))
    new = case.conference([], clock_start=at(date(2026, 3, 20)), held=at(date(2026, 4, 10)))
    eleven, twelve, thirteen, first = (case.child() for _ in range(4))
    previous = {}
    for child, ended in (
        (eleven, date(2025, 5, 10)),
        (twelve, date(2025, 4, 10)),
        (thirteen, date(2025, 3, 10)),
    ):
        previous[child.pk] = case.register(old, child, ended=at(ended))
    for child in (eleven, twelve, thirteen, first):
        case.register(new, child, previous=previous.get(child.pk))
    fy = Period.financial_year(2026)
    now = at(date(2026, 6, 1))
    f = figure(case, "rereg_12m", fy, now)
    assert (f.children_met, f.children, f.child_rate) == (2, 4, 50.0)
    f = figure(case, "rereg_ever", fy, now)
    assert (f.children_met, f.children, f.child_rate) == (3, 4, 75.0)
    f = figure(case, "registrations", fy, now)
    assert (f.children, f.events) == (4, 1)


def test_register_snapshot_at_31_march_and_durations():
    case = Case()
    conf = case.conference([], clock_start=at(date(2023, 1, 9)), held=at(date(2023, 1, 30)))
    in_year = case.child(sex="FEMALE", date_of_birth=date(2020, 6, 1))
    next_year = case.child(sex="MALE", date_of_birth=date(2015, 6, 1))
    long_ago = case.child(sex="MALE", date_of_birth=date(2012, 6, 1))
    over_a_year = case.child(sex="FEMALE", date_of_birth=date(2022, 6, 1))
    case.register(conf, in_year, started=at(date(2026, 3, 31), 23, 30))
    case.register(conf, next_year, started=at(date(2026, 4, 1), 0, 30))
    case.register(conf, long_ago, started=at(date(2024, 3, 1)), categories=("NEGLECT", "PHYSICAL"))
    case.register(conf, over_a_year, started=at(date(2025, 3, 15)))
    fy = Period.financial_year(2025)
    now = at(date(2026, 5, 1))
    f = figure(case, "on_register", fy, now)
    assert f.children == 3  # not the one registered at 00:30 on 1 April
    assert figure(case, "registrations", fy, now).children == 1
    assert figure(case, "registrations", Period.financial_year(2026), now).children == 1
    f = figure(case, "over_12m", fy, now)
    assert (f.children_met, f.children) == (2, 3)
    f = figure(case, "over_24m", fy, now)
    assert (f.children_met, f.children) == (1, 3)
    from diogelu.measures.compute import breakdown

    scope = Scope(case.authority.pk, now)
    on_register = get_measure("on_register")
    assert on_register is not None
    assert dict(breakdown(on_register, scope, fy, "category")) == {"NEGLECT": 3, "PHYSICAL": 1}
    assert dict(breakdown(on_register, scope, fy, "sex")) == {"FEMALE": 2, "MALE": 1}
    assert dict(breakdown(on_register, scope, fy, "age")) == {"1_4": 1, "5_9": 1, "10_15": 1}


def test_average_days_on_the_register():
    case = Case()
    conf = case.conference([], clock_start=at(date(2025, 12, 1)), held=at(date(2025, 12, 22)))
    case.register(conf, case.child(), started=at(date(2026, 1, 1)), ended=at(date(2026, 1, 31)))
    case.register(conf, case.child(), started=at(date(2026, 3, 1)))
    f = figure(case, "average_days", Period.quarter(2025, 4), at(date(2026, 5, 1)))
    assert (f.value_sum, f.value_n, f.average) == (61, 2, 30.5)


def test_average_days_counts_a_registration_older_than_the_calendar_table():
    # The calendar table is built from the year before the periods counted; a registration
    # begun years earlier was left out of the average when its days were looked up there.
    case = Case()
    conf = case.conference([], clock_start=at(date(2019, 12, 2)), held=at(date(2019, 12, 23)))
    case.register(conf, case.child(), started=at(date(2020, 1, 6)))
    case.register(conf, case.child(), started=at(date(2026, 3, 1)))
    f = figure(case, "average_days", Period.quarter(2025, 4), at(date(2026, 5, 1)))
    # 6 January 2020 to 1 April 2026 is 2,277 days; 1 March to 1 April 2026 is 31
    assert (f.value_sum, f.value_n) == (2277 + 31, 2)


def test_visits_seen_alone_in_working_days_and_at_home_in_weeks():
    case = Case()
    conf = case.conference([], clock_start=at(date(2025, 12, 8)), held=at(date(2026, 1, 5)))
    episode = case.register(conf, case.child())
    case.visit(episode, at(date(2026, 1, 19)), alone=True, home=False)  # 10 working days: met
    case.visit(episode, at(date(2026, 2, 2)), alone=False, home=True)  # 28 days: met
    case.visit(episode, at(date(2026, 2, 3)), alone=True, home=False)  # 11 working days: missed
    case.visit(episode, at(date(2026, 3, 3)), alone=False, home=True)  # 29 days: missed
    q4 = Period.quarter(2025, 4)
    now = at(date(2026, 3, 10))
    f = figure(case, "seen_alone_10wd", q4, now)
    # and not seen alone since 3 February: due by 17 February (10 working days), missed
    assert (f.children_met, f.children) == (1, 3)
    f = figure(case, "seen_at_home_4wk", q4, now)
    # last seen at home 3 March: next due 31 March, not yet
    assert (f.children_met, f.children) == (1, 2)
    f = figure(case, "seen_at_home_4wk", Period.quarter(2026, 1), at(date(2026, 4, 1), 9))
    assert (f.children_met, f.children) == (0, 0)  # missed on 31 March: in Q4, not 2026-27 Q1
    f = figure(case, "seen_at_home_4wk", q4, at(date(2026, 4, 1), 9))
    assert (f.children_met, f.children) == (1, 3)


def test_reports_decided_s47_and_funnel():
    case = Case()
    a, b = case.child(), case.child()
    friday = at(date(2026, 1, 9), 16)  # due end of Monday 12 January
    report = case.report(friday, [a, b])
    from diogelu.referrals.models import Decision

    Decision.objects.create(
        report=report,
        outcome="STRATEGY",
        rationale="x",
        decided_by=case.worker,
        decided_at=at(date(2026, 1, 12), 17),
    )
    strategy = case.strategy(report, at(date(2026, 1, 13)))
    _on_time, late = case.enquiry(strategy, date(2026, 1, 13), at(date(2026, 2, 1)))
    late.determined_at = at(date(2026, 3, 20))
    late.save()
    conf = case.conference([a, b], clock_start=strategy.held_at, held=at(date(2026, 2, 2)))
    case.register(conf, a)
    q4 = Period.quarter(2025, 4)
    now = at(date(2026, 3, 25))
    f = figure(case, "report_decision", q4, now)
    assert (f.children_met, f.children, f.events_met, f.events) == (2, 2, 1, 1)
    f = figure(case, "s47_42wd", q4, now)
    assert (f.children_met, f.children) == (1, 2)
    counts = [
        figure(case, key, q4, now).children
        for key in (
            "funnel_reports",
            "funnel_decisions",
            "funnel_to_strategy",
            "funnel_strategies",
            "funnel_s47",
            "funnel_icpc",
            "funnel_registrations",
        )
    ]
    assert counts == [2, 2, 2, 2, 2, 2, 1]


def test_every_measure_computes_on_an_empty_authority():
    case = Case()
    series = compute_series(Scope(case.authority.pk, at(date(2026, 3, 1))), Period.quarter(2025, 4))
    assert len(series) == len(MEASURES)
    assert all(s.current.children == 0 for s in series)
    assert {s.measure.key for s in series} == {m.key for m in MEASURES}


def test_data_quality_errors_and_queries():
    case = Case()
    a, b = case.child(), case.child()
    christmas = case.conference([a], clock_start=at(date(2025, 12, 1)), held=at(date(2025, 12, 25)))
    case.register(christmas, a, started=at(date(2025, 12, 26)))  # E01 too
    first = case.conference([b], clock_start=at(date(2025, 11, 3)), held=at(date(2025, 11, 24)))
    case.register(first, b, ended=at(date(2026, 2, 1)))
    case.register(first, b, started=at(date(2026, 1, 5)))  # overlaps: E04
    review = case.conference(
        [b],
        clock_start=at(date(2025, 11, 24)),
        held=at(date(2025, 11, 20)),
        kind=ConferenceKind.REVIEW,
        rule="review.first",
    )
    from diogelu.conferences.models import ConferenceChild

    ConferenceChild.objects.filter(conference=review).update(
        episode=b.register_episodes.order_by("started_at").first()
    )
    report = case.report(at(date(2026, 1, 5)), [case.child()])
    strategy = case.strategy(report, at(date(2026, 1, 5)))
    case.enquiry(strategy, date(2026, 1, 6), None)
    found = {
        (x.check.code, x.record_id)
        for x in run_checks(Scope(case.authority.pk, at(date(2026, 3, 20))))
    }
    assert ("E03", christmas.pk) in found
    assert ("E01", christmas.pk) in found
    assert ("E04", first.pk) in found
    assert ("E02", review.pk) in found
    codes = {c for c, _ in found}
    assert {"Q01", "Q02"} <= codes
    assert ("E03", first.pk) not in found


def test_closed_months_are_kept_open_month_recounted(settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    from django.core.cache import cache

    cache.clear()
    case = Case()
    measure = get_measure("icpc_15wd")
    assert measure is not None
    scope = Scope(case.authority.pk, at(date(2026, 3, 10)))
    q4 = Period.quarter(2025, 4)

    def children() -> int:
        (series,) = compute_series(scope, q4, (measure,), reuse=False)
        return series.current.children

    case.conference([case.child()], clock_start=at(date(2026, 1, 5)), held=at(date(2026, 1, 20)))
    assert children() == 1
    # Recorded late for January (closed): the kept count stands until the next day's recount.
    case.conference([case.child()], clock_start=at(date(2026, 1, 6)), held=at(date(2026, 1, 21)))
    assert children() == 1
    # March is open: counted on every request.
    case.conference([case.child()], clock_start=at(date(2026, 2, 23)), held=at(date(2026, 3, 6)))
    assert children() == 2
    # The cache lost (a restart): January is read from the kept summary, not recounted.
    cache.clear()
    assert children() == 2
    # A day later the kept January is stale and recounted.
    scope = Scope(case.authority.pk, at(date(2026, 3, 11), 10, 1))
    assert children() == 3


def _visited_registrations(case: Case) -> None:
    conf = case.conference(
        [case.child(), case.child()], clock_start=at(date(2025, 12, 8)), held=at(date(2026, 1, 5))
    )
    first = case.register(conf, case.child(), started=at(date(2026, 1, 5)))
    case.register(conf, case.child(), started=at(date(2025, 3, 3)), ended=at(date(2026, 2, 27)))
    for day, alone, home in [
        (date(2026, 1, 19), True, False),
        (date(2026, 2, 2), False, True),
        (date(2026, 2, 3), True, True),
        (date(2026, 3, 3), False, True),
        (date(2026, 3, 31), True, False),
        (date(2026, 4, 1), True, True),
    ]:
        case.visit(first, at(day), alone=alone, home=home)


def _assert_figures_are_their_rows(scope: Scope, period: Period, *, reuse: bool = True) -> int:
    """Every figure of every measure's series equals counting its drill-through rows; returns
    how many figures had rows."""
    from diogelu.measures.compute import row_values

    checked = 0
    for series in compute_series(scope, period, reuse=reuse):
        measure = series.measure
        for f in (series.current, series.previous, *series.trend):
            rows = list(row_values(measure, scope, f.period))
            counted = [r for r in rows if not r["m_excluded"]]
            assert f.children == len(counted), (measure.key, f.period)
            assert f.children_met == sum(r["m_met"] for r in counted), (measure.key, f.period)
            assert f.excluded == len(rows) - len(counted), (measure.key, f.period)
            values = [r["m_value"] for r in counted if r["m_value"] is not None]
            assert (f.value_sum, f.value_n) == (sum(values), len(values)), measure.key
            checked += bool(counted)
    return checked


def test_grouped_counting_equals_counting_the_drill_through_rows():
    """The dashboard's counting (visit gaps grouped by value, bounded measures of all periods in
    one UNION query) gives exactly what counting each period's drill-through rows one by one
    gives, for every measure and every period of the series."""
    case = Case()
    _visited_registrations(case)
    scope = Scope(case.authority.pk, at(date(2026, 4, 20)))
    assert _assert_figures_are_their_rows(scope, Period.quarter(2025, 4)) > 20


def test_kept_month_sums_and_periods_that_cut_a_month():
    """Closed months are kept as their sums (ADR 0811): read back from the summary table they
    give the same figures, and a period that begins or ends inside a kept month is counted by
    day there, not from the month's sum."""
    from diogelu.measures.models import CountedPeriod

    case = Case()
    _visited_registrations(case)
    scope = Scope(case.authority.pk, at(date(2026, 4, 20)))
    q4 = Period.quarter(2025, 4)
    assert _assert_figures_are_their_rows(scope, q4, reuse=False) > 20
    kept = CountedPeriod.objects.filter(part="months", token="m-2026-02")
    assert kept.exists()
    assert all(len({b[0] for b in k.buckets}) <= 1 for k in kept)  # one day: the month's sum
    # read back from the kept sums this time
    assert _assert_figures_are_their_rows(scope, q4, reuse=False) > 20
    # mid-January to 10 March (the previous period from mid-November): every kept month of it
    # is cut, and the figures are still their rows
    cut = Period.between(date(2026, 1, 15), date(2026, 3, 10))
    assert _assert_figures_are_their_rows(scope, cut, reuse=False) > 10


def test_strategy_outcome_shared_within_one_working_day():
    """outcome.notify: every partner agency taking part is sent the outcome by the end of the
    next working day. Discussions on Friday 9 January 2026 are due by Monday 12 January."""
    from diogelu.accounts.models import AgencyKind
    from diogelu.enquiries.models import StrategyParticipant
    from diogelu.sharing.models import OutcomeNotification, OutcomeSource
    from tests import factories as fac

    case = Case()
    police = fac.agency(AgencyKind.POLICE, "Heddlu Prawf")
    health = fac.agency(AgencyKind.HEALTH, "Bwrdd Iechyd Prawf")

    def discussion(held, partners, told):
        report = case.report(held, [case.child()])
        strategy = case.strategy(report, held)
        StrategyParticipant.objects.create(
            strategy=strategy, agency=case.authority, name="Gweithiwr Cymdeithasol"
        )
        for agency in partners:
            StrategyParticipant.objects.create(strategy=strategy, agency=agency, name="Partner")
        for agency, when in told:
            OutcomeNotification.objects.create(
                report=report,
                source=OutcomeSource.STRATEGY,
                source_id=strategy.pk,
                recipient_agency=agency,
                recipient_label=agency.name,
                title="Canlyniad",
                content="x",
                shared_at=when,
                acknowledge_by=when,
                due_rule_version="test",
            )

    friday = at(date(2026, 1, 9), 16)
    monday_late = at(date(2026, 1, 12), 17, 30)
    tuesday = at(date(2026, 1, 13), 9)
    discussion(friday, [police, health], [(police, monday_late), (health, friday)])  # met
    discussion(friday, [police, health], [(police, friday), (health, tuesday)])  # missed: late
    discussion(friday, [police], [])  # missed: never told
    discussion(friday, [], [])  # no partner: excluded
    discussion(at(date(2026, 1, 12), 10), [police], [])  # due 13 January: not yet due on 13th
    f = figure(case, "strategy_outcome_shared", Period.quarter(2025, 4), at(date(2026, 1, 13), 12))
    assert (f.children_met, f.children) == (1, 3)
    assert f.exclusions == {"no_partner": 1, "not_yet_due": 1}
    f = figure(case, "strategy_outcome_shared", Period.quarter(2025, 4), at(date(2026, 1, 14), 9))
    assert (f.children_met, f.children, f.exclusions) == (1, 4, {"no_partner": 1})


def test_core_group_never_held_once_due_counts_as_missed():
    """core_group.interval (6 weeks): after a meeting on Monday 16 February 2026 the next is due
    by Monday 30 March. Never held: missed from 31 March, placed on 30 March (in 2025-26 Q4). A
    registration that ended on 20 March, before it fell due, is not counted."""
    case = Case()
    conf = case.conference([], clock_start=at(date(2025, 12, 8)), held=at(date(2026, 1, 5)))
    open_ = case.register(conf, case.child(), started=at(date(2026, 1, 5)))
    ended = case.register(
        conf, case.child(), started=at(date(2026, 1, 5)), ended=at(date(2026, 3, 20))
    )
    for episode in (open_, ended):
        case.core_group(episode, at(date(2026, 1, 12)), first=True, clock=at(date(2026, 1, 5)))
        case.core_group(episode, at(date(2026, 2, 16)), first=False, clock=at(date(2026, 1, 12)))
    q4 = Period.quarter(2025, 4)
    f = figure(case, "core_group_interval", q4, at(date(2026, 3, 30), 18))
    assert (f.children_met, f.children, f.events) == (2, 2, 2)
    f = figure(case, "core_group_interval", q4, at(date(2026, 3, 31), 9))
    assert (f.children_met, f.children, f.events, f.events_met) == (2, 3, 3, 2)
    # The drill-through lists the missed one, at its due day.
    from diogelu.measures.compute import row_values

    scope = Scope(case.authority.pk, at(date(2026, 3, 31), 9))
    measure = get_measure("core_group_interval")
    assert measure is not None
    missed = [r for r in row_values(measure, scope, q4) if not r["m_met"]]
    assert len(missed) == 1 and missed[0]["m_event"] == open_.pk
    assert procedures.local_date(missed[0]["m_at"]) == date(2026, 3, 30)


def test_review_never_scheduled_once_due_counts_as_missed():
    """review.first (3 months): registered 15 November 2025, the first review is due by
    15 February 2026; registered 30 November, by 28 February (no 30 February: the month's end).
    Neither is ever scheduled: missed from the next day, placed on the due day. A child whose
    review is scheduled (due 14 February, not held) is counted by that conference (missed once,
    not twice); one whose review was held on 10 February is on time."""
    case = Case()
    a, b, c, d = case.child(), case.child(), case.child(), case.child()
    icpc = case.conference([], clock_start=at(date(2025, 10, 27)), held=at(date(2025, 11, 14)))
    case.register(icpc, a, started=at(date(2025, 11, 15)))
    case.register(icpc, b, started=at(date(2025, 11, 30)))
    case.register(icpc, c, started=at(date(2025, 11, 15)))
    case.register(icpc, d, started=at(date(2025, 11, 15)))
    for child, held in ((c, None), (d, at(date(2026, 2, 10)))):
        case.conference(
            [child],
            clock_start=at(date(2025, 11, 14)),
            held=held,
            kind=ConferenceKind.REVIEW,
            rule="review.first",
        )
    q4 = Period.quarter(2025, 4)
    # 15 February: d on time, c's scheduled review (due 14 February) missed; a due today.
    f = figure(case, "review_in_time", q4, at(date(2026, 2, 15), 18))
    assert (f.children_met, f.children, f.exclusions) == (1, 2, {})
    f = figure(case, "review_in_time", q4, at(date(2026, 2, 28), 18))
    assert (f.children_met, f.children) == (1, 3)  # d on time; c's late review; a never
    f = figure(case, "review_in_time", q4, at(date(2026, 3, 2), 9))
    assert (f.children_met, f.children) == (1, 4)  # and b, due 28 February


def test_prepared_window_query_swaps_only_the_moment_and_window():
    """The dashboard runs each measure's window query from SQL compiled once per process, with
    the moment and the window swapped in (compute._prepare); a query with a parameter computed
    from them, or whose building reads the database, is not prepared but built each time."""
    from datetime import timedelta

    from diogelu.conferences.models import RegisterEpisode
    from diogelu.measures import compute

    case = Case()
    conf = case.conference([], clock_start=at(date(2025, 12, 8)), held=at(date(2026, 1, 5)))
    case.register(conf, case.child(), started=at(date(2026, 1, 5)))
    case.register(conf, case.child(), started=at(date(2026, 2, 9)))
    scope = Scope(case.authority.pk, at(date(2026, 3, 10)))

    def started(sc, first, until):
        return RegisterEpisode.objects.filter(
            authority_id=sc.authority_id,
            started_at__gte=Period.between(first, first).start_at,
            started_at__lt=until,
        ).values("pk")

    def derived(sc, first, until):
        return started(sc, first, until).filter(started_at__lt=sc.now - timedelta(days=1))

    def reads(sc, first, until):
        ids = list(RegisterEpisode.objects.values_list("pk", flat=True))
        return started(sc, first, until).filter(pk__in=ids)

    assert compute._prepare(started, scope) is not None
    assert compute._prepare(derived, scope) is None
    assert compute._prepare(reads, scope) is None
    for window in [(date(2026, 1, 1), date(2026, 2, 1)), (date(2026, 2, 1), date(2026, 3, 1))]:
        start, end_at = window[0], Period.between(window[1], window[1]).start_at
        for build in (started, derived, reads):
            got = compute._run_prepared(("test", build.__name__), build, scope, start, end_at)
            assert got == list(build(scope, start, end_at)) and len(got) == 1
