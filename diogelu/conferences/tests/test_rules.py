"""Date rules, quorum, plan quality and visit dues against hand-computed cases (no database).

Bank holidays used (England and Wales): Christmas 25–26 Dec 2025, New Year 1 Jan 2026, Good
Friday 3 Apr 2026, Easter Monday 6 Apr 2026, early May 4 May 2026.
"""

from __future__ import annotations

import datetime

import pytest

from diogelu import procedures
from diogelu.conferences.quorum import Attendee, check_quorum
from diogelu.plans.due import VisitFacts, visit_dues
from diogelu.plans.quality import ActionFacts, OutcomeFacts, PlanFacts, assess
from diogelu.procedures import LONDON, Status

D = datetime.date


def at(y, m, d, hh=10, mm=0):
    return datetime.datetime(y, m, d, hh, mm, tzinfo=LONDON)


@pytest.mark.parametrize(
    ("rule", "start", "expected"),
    [
        # 15 WD from Mon 5 Jan 2026: 6–9 (4), 12–16 (9), 19–23 (14), Mon 26 (15).
        ("icpc.convene", at(2026, 1, 5), D(2026, 1, 26)),
        # 15 WD from Thu 18 Dec 2025: 19, 22, 23, 24 (4); 25/26 Dec holidays; 29, 30, 31 (7);
        # 1 Jan holiday; 2 (8); 5–9 (13); 12 (14); Tue 13 Jan (15).
        ("icpc.convene", at(2025, 12, 18), D(2026, 1, 13)),
        # 5 WD from Thu 2 Apr 2026: Good Friday and Easter Monday skipped; 7–10 (4); Mon 13 (5).
        ("icpc.circulate_record", at(2026, 4, 2), D(2026, 4, 13)),
        # 10 WD from Mon 19 Jan 2026: 20–23 (4), 26–30 (9), Mon 2 Feb (10).
        ("core_group.first", at(2026, 1, 19), D(2026, 2, 2)),
        # 6 weeks from Mon 2 Feb 2026.
        ("core_group.interval", at(2026, 2, 2), D(2026, 3, 16)),
        # 10 WD from Fri 23 Jan 2026: 26–30 (5), 2–6 Feb (10).
        ("visit.seen_alone", at(2026, 1, 23), D(2026, 2, 6)),
        # 4 weeks from Fri 23 Jan 2026.
        ("visit.seen_at_home", at(2026, 1, 23), D(2026, 2, 20)),
        # 15 WD from Tue 14 Apr 2026: 15–17 (3), 20–24 (8), 27–30 (12), 1 May (13), 4 May
        # holiday, 5 (14), Wed 6 May (15).
        ("transfer_in.conference", at(2026, 4, 14), D(2026, 5, 6)),
        # 3 months from Mon 19 Jan 2026 is Sun 19 Apr (calendar months are not moved).
        ("review.first", at(2026, 1, 19), D(2026, 4, 19)),
    ],
)
def test_due_dates_hand_computed(rule, start, expected):
    assert procedures.due(rule, start).due_on == expected


def test_review_due_on_a_sunday_is_booked_by_the_friday():
    due = procedures.due("review.first", at(2026, 1, 19))
    assert due.schedule_by == D(2026, 4, 17)


def test_six_month_review_chain_clamps_month_end_and_carries_it_forward():
    # ICPC 30 Nov 2025 → 28 Feb 2026 (no 30 Feb) → 28 Aug 2026 → 28 Feb 2027 → 28 Aug 2027.
    chain = [d.due_on for d in procedures.projected_reviews(at(2025, 11, 30), 4)]
    assert chain == [D(2026, 2, 28), D(2026, 8, 28), D(2027, 2, 28), D(2027, 8, 28)]
    # Leap year: ICPC 30 Nov 2027 → 29 Feb 2028 → 29 Aug 2028 → 28 Feb 2029.
    chain = [d.due_on for d in procedures.projected_reviews(at(2027, 11, 30), 3)]
    assert chain == [D(2028, 2, 29), D(2028, 8, 29), D(2029, 2, 28)]


def test_next_review_counts_from_the_review_actually_held():
    # First review held late on 5 May 2026 (due 19 Apr): next by 5 Nov 2026.
    due = procedures.next_review(at(2026, 1, 19), [at(2026, 5, 5)])
    assert due.key == "review.interval"
    assert due.due_on == D(2026, 11, 5)
    # Held on 31 Aug 2026: the next by 28 Feb 2027 (clamped).
    assert procedures.next_review(at(2026, 1, 19), [at(2026, 8, 31)]).due_on == D(2027, 2, 28)


# --- quorum -------------------------------------------------------------------------------


def test_three_agencies_are_quorate():
    result = check_quorum([Attendee(1), Attendee(2), Attendee(3)])
    assert (result.groups, result.is_quorate, result.needs_chair_reason) == (3, True, False)


def test_two_people_from_one_agency_count_once_unless_different_professional_groups():
    assert check_quorum([Attendee(1), Attendee(1), Attendee(2)]).groups == 2
    both = [Attendee(1), Attendee(2, "GP"), Attendee(2, "Health visitor")]
    assert check_quorum(both).is_quorate
    assert check_quorum([Attendee(2, " gp "), Attendee(3, "GP"), Attendee(1)]).groups == 2


def test_two_groups_need_the_chairs_reason():
    without = check_quorum([Attendee(1), Attendee(2)])
    assert not without.is_quorate
    assert without.needs_chair_reason
    assert "chair" in without.message
    assert not check_quorum([Attendee(1), Attendee(2)], chair_reason="ok").is_quorate
    with_reason = check_quorum(
        [Attendee(1), Attendee(2)], chair_reason="Health visitor ill; written report received"
    )
    assert with_reason.is_quorate


def test_one_group_is_never_quorate():
    assert not check_quorum([Attendee(1)], chair_reason="A long enough reason").is_quorate
    assert not check_quorum([]).is_quorate


# --- plan quality -------------------------------------------------------------------------


def test_quality_flags_every_gap_and_scores_the_share_of_checks_passed():
    facts = PlanFacts(
        outcomes=[
            OutcomeFacts(
                "Siân is not hurt at home",
                measure="",
                actions=[ActionFacts("Parenting course", False, None, None)],
            ),
            OutcomeFacts("Siân goes to school every day", "Attendance above 95%", actions=[]),
        ],
        child_words="",
        contingency=" ",
        named_agencies={1: "Dyffryn Police", 2: "Ysgol y Dderwen"},
    )
    report = assess(facts)
    assert report.codes() == {
        "OUTCOME_WITHOUT_MEASURE",
        "OUTCOME_WITHOUT_ACTION",
        "ACTION_WITHOUT_OWNER",
        "ACTION_WITHOUT_DATE",
        "NO_CHILD_VOICE",
        "NO_CONTINGENCY",
        "AGENCY_WITHOUT_ACTION",
    }
    assert sum(i.code == "AGENCY_WITHOUT_ACTION" for i in report.issues) == 2
    assert report.passed == 1  # only "has outcomes"
    assert report.score == round(100 / 8)
    first = next(i for i in report.issues if i.code == "ACTION_WITHOUT_DATE")
    assert (first.outcome, first.action) == (1, 1)


def test_complete_plan_scores_100():
    facts = PlanFacts(
        outcomes=[
            OutcomeFacts(
                "Siân is not hurt at home",
                "No injuries seen at visits; Siân says she feels safe",
                actions=[ActionFacts("Safety plan", True, 1, D(2026, 2, 1))],
            )
        ],
        child_words="I want to feel safe at home",
        contingency="If another injury: strategy discussion the same day",
        named_agencies={1: "Dyffryn Police"},
    )
    report = assess(facts)
    assert report.is_complete
    assert report.score == 100


def test_empty_plan():
    report = assess(PlanFacts(outcomes=[], child_words="", contingency=""))
    assert "NO_OUTCOMES" in report.codes()


# --- visit dues ---------------------------------------------------------------------------


def test_visit_dues_from_registration_and_last_qualifying_visit():
    registered = at(2026, 1, 19)
    visits = [
        VisitFacts(at(2026, 1, 23), seen_alone=True, seen_at_home=True, bedroom_seen=False),
        VisitFacts(at(2026, 1, 30), seen_alone=False, seen_at_home=True, bedroom_seen=False),
    ]
    dues = {
        d.rule: d
        for d in visit_dues(
            registered_at=registered,
            visits=visits,
            cycle_start=registered,
            first_cycle=True,
            now=at(2026, 2, 9),
        )
    }
    # Seen alone last on Fri 23 Jan → due Fri 6 Feb → overdue on Mon 9 Feb.
    assert dues["visit.seen_alone"].due.due_on == D(2026, 2, 6)
    assert dues["visit.seen_alone"].is_overdue
    # At home last on Fri 30 Jan → due 27 Feb.
    assert dues["visit.seen_at_home"].due.due_on == D(2026, 2, 27)
    assert not dues["visit.seen_at_home"].is_overdue
    # Bedroom: by the latest first review, 19 Apr 2026.
    assert dues["visit.bedroom"].due.due_on == D(2026, 4, 19)
    assert dues["visit.bedroom"].timeliness.status is Status.NOT_DUE


def test_no_visits_counts_from_registration_and_a_booked_review_brings_the_bedroom_forward():
    registered = at(2026, 1, 19)
    dues = {
        d.rule: d
        for d in visit_dues(
            registered_at=registered,
            visits=[],
            cycle_start=registered,
            first_cycle=True,
            now=at(2026, 2, 3),
            booked_review=at(2026, 4, 1, 14),
        )
    }
    assert dues["visit.seen_alone"].due.due_on == D(2026, 2, 2)
    assert dues["visit.seen_alone"].is_overdue
    assert dues["visit.bedroom"].due.due_on == D(2026, 4, 1)


def test_bedroom_seen_in_the_cycle_is_met_and_a_new_cycle_starts_at_the_review():
    registered = at(2026, 1, 19)
    bedroom = VisitFacts(at(2026, 2, 2), True, True, True)
    met = visit_dues(
        registered_at=registered,
        visits=[bedroom],
        cycle_start=registered,
        first_cycle=True,
        now=at(2026, 5, 1),
    )[2]
    assert met.timeliness.status is Status.MET
    # After a review on 15 Apr 2026, the February bedroom visit is in the old cycle: due by
    # 15 Oct 2026 (review.interval).
    again = visit_dues(
        registered_at=registered,
        visits=[bedroom],
        cycle_start=at(2026, 4, 15),
        first_cycle=False,
        now=at(2026, 5, 1),
    )[2]
    assert again.due.due_on == D(2026, 10, 15)
    assert again.last is None
    assert again.timeliness.status is Status.NOT_DUE
