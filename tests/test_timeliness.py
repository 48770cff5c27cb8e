"""Timeliness, judged against hand-computed cases (issue 3, "How it will be judged").

Every case runs through the services with the clock frozen by time_machine, and states the rule
it uses. The rules are in diogelu/procedures/rules.toml; how a due date is counted is
docs/adr/0200-procedure-due-dates.md:

* Day 0 is the local (Europe/London) date the clock starts, whatever the time of day.
* "Within N working days" ends at the end (23:59:59.999999 London time) of the N-th working day
  after day 0. Working days are Monday to Friday except England & Wales bank holidays (the
  ``holidays`` package, UK subdivision Wales, with substitute days).
* Hours are elapsed time from the exact instant, counted in UTC (clock changes add nothing).
* A deadline is overdue strictly after its end; escalation and reminders follow from that.
"""

from __future__ import annotations

import datetime
import io
from datetime import date
from zoneinfo import ZoneInfo

import holidays
import pytest
import time_machine
from django.core.management import call_command

from diogelu import procedures
from diogelu.access.models import Involvement
from diogelu.enquiries import services as enquiries
from diogelu.enquiries.models import S47Kind
from diogelu.notifications.delivery import deliver_pending
from diogelu.notifications.models import InboxItem, Kind, OutboxMessage
from diogelu.notifications.reminders import run_reminders
from diogelu.notifications.tests.helpers import leads, linked_report, submitted_report
from diogelu.procedures import PeriodUnit
from diogelu.referrals import services as referrals
from diogelu.referrals.models import Outcome
from diogelu.sharing import services as sharing
from diogelu.sharing.models import InformationRequest, OutcomeNotification, Priority

LONDON = ZoneInfo("Europe/London")
UTC = datetime.UTC
WALES_2026 = holidays.country_holidays("GB", subdiv="WLS", years=2026)


@pytest.fixture(autouse=True)
def _world_involved_since_2020(world):
    """The world is built at the real time; these cases travel back to 2026 dates, when the
    police's and the school's involvement with the child must already be in force."""
    Involvement.objects.update(started_at=at(2020, 1, 1))


def at(y: int, m: int, d: int, hh: int = 0, mm: int = 0, ss: int = 0) -> datetime.datetime:
    return datetime.datetime(y, m, d, hh, mm, ss, tzinfo=LONDON)


def end_of(y: int, m: int, d: int) -> datetime.datetime:
    """The end of a London day: when a working-day deadline on that day runs out."""
    return datetime.datetime(y, m, d, 23, 59, 59, 999999, tzinfo=LONDON)


def assert_rule(key: str, amount: int, unit: PeriodUnit) -> None:
    period = procedures.get_rule(key).period
    assert (period.amount, period.unit) == (amount, unit), f"rule {key} changed: recompute"


def inbox(kind: str) -> list[str]:
    return sorted(
        InboxItem.objects.filter(message__kind=kind).values_list("user__username", flat=True)
    )


# --- due dates, hand-computed ---------------------------------------------------------------


def test_report_at_1659_on_friday_before_spring_bank_holiday_is_due_end_of_tuesday(world):
    # Rule report.decision: decide within 1 working day of receipt (WSP §3 pt1). Received
    # Friday 22 May 2026 at 16:59 (day 0); Saturday, Sunday and Monday 25 May (Spring bank
    # holiday) are not working days; the 1st working day after is Tuesday 26 May 2026.
    # Due: end of Tuesday 26 May 2026, Europe/London (23:59:59.999999 BST).
    assert_rule("report.decision", 1, PeriodUnit.WORKING_DAYS)
    assert date(2026, 5, 22).weekday() == 4  # a Friday
    assert "Spring Bank Holiday" in WALES_2026.get(date(2026, 5, 25), "")
    with time_machine.travel(at(2026, 5, 22, 16, 59), tick=False):
        report = submitted_report(world)
    report.refresh_from_db()
    assert report.received_at == at(2026, 5, 22, 16, 59)
    assert report.decision_due_at == end_of(2026, 5, 26)
    assert report.decision_due_at.astimezone(UTC) == datetime.datetime(
        2026, 5, 26, 22, 59, 59, 999999, tzinfo=UTC
    )


@pytest.mark.parametrize(
    "received",
    [at(2026, 5, 23, 10), at(2026, 5, 24, 23, 30), at(2026, 5, 25, 9)],
    ids=["saturday", "sunday-night", "bank-holiday"],
)
def test_report_over_the_bank_holiday_weekend_is_due_no_later(world, received):
    # Same rule. A report arriving on the weekend or on the bank holiday itself is also due by
    # the end of Tuesday 26 May: never later than one that arrived on the Friday (ADR 0200 §3).
    with time_machine.travel(received, tick=False):
        report = submitted_report(world)
    assert report.decision_due_at == end_of(2026, 5, 26)


def test_report_on_christmas_eve_2026_is_due_end_of_tuesday_29_december(world):
    # Rule report.decision, 1 working day. Christmas Eve 2026 is a Thursday (day 0). Friday 25
    # is Christmas Day; Boxing Day falls on Saturday 26, so Monday 28 is its substitute bank
    # holiday. The 1st working day after Thursday 24 is therefore Tuesday 29 December 2026.
    assert date(2026, 12, 24).weekday() == 3  # a Thursday
    assert date(2026, 12, 25) in WALES_2026
    assert date(2026, 12, 26).weekday() == 5  # Boxing Day on a Saturday
    assert "Boxing Day" in WALES_2026.get(date(2026, 12, 28), "")  # the substitute day
    assert date(2026, 12, 29) not in WALES_2026
    with time_machine.travel(at(2026, 12, 24, 11, 15), tick=False):
        report = submitted_report(world)
    report.refresh_from_db()
    assert report.decision_due_at == end_of(2026, 12, 29)
    assert report.decision_due_at.astimezone(LONDON).utcoffset() == datetime.timedelta(0)  # GMT


def test_urgent_request_at_2300_when_the_clocks_go_forward(world):
    # Rule mash.request.urgent: answer within 4 hours (elapsed time, 24/7). Sent at 23:00 GMT on
    # Saturday 28 March 2026; the clocks go forward at 01:00 GMT on Sunday 29 March. 4 elapsed
    # hours end at 03:00 UTC = 04:00 BST on Sunday 29 March, not 03:00.
    assert_rule("mash.request.urgent", 4, PeriodUnit.HOURS)
    sent = at(2026, 3, 28, 23)
    assert sent.utcoffset() == datetime.timedelta(0)
    with time_machine.travel(sent - datetime.timedelta(hours=1), tick=False) as clock:
        report = submitted_report(world)
        clock.move_to(sent)
        request = sharing.request_information(
            actor=world.mash,
            report=report,
            child=report.children.get(),
            agency=world.police,
            priority=Priority.URGENT,
            question="Any domestic abuse call-outs to the address?",
        )
    request.refresh_from_db()
    assert request.due_at == at(2026, 3, 29, 4)
    assert request.due_at.astimezone(LONDON).utcoffset() == datetime.timedelta(hours=1)  # BST
    assert request.due_at.astimezone(UTC) == datetime.datetime(2026, 3, 29, 3, tzinfo=UTC)
    assert request.due_at - request.requested_at == datetime.timedelta(hours=4)
    assert request.due_rule == "mash.request.urgent"
    # Escalated only once the 4 hours have run out.
    with time_machine.travel(at(2026, 3, 29, 3, 59, 59), tick=False):
        assert run_reminders()["requests_escalated"] == 0
    with time_machine.travel(at(2026, 3, 29, 4, 0, 1), tick=False):
        assert run_reminders()["requests_escalated"] == 1


def test_s47_enquiry_started_at_the_strategy_discussion_runs_42_working_days(world):
    # Rule s47.assessment: complete within 42 working days from the start of s47 enquiries,
    # which start on the day of the strategy discussion (Monday 20 July 2026 = day 0).
    # Counting working days: 21-24 Jul (1-4), 27-31 Jul (5-9), 3-7 Aug (10-14), 10-14 Aug
    # (15-19), 17-21 Aug (20-24), 24-28 Aug (25-29), Monday 31 Aug is the Summer bank holiday,
    # 1-4 Sep (30-33), 7-11 Sep (34-38), 14-17 Sep (39-42). Due: end of Thursday 17 Sep 2026.
    assert_rule("s47.assessment", 42, PeriodUnit.WORKING_DAYS)
    assert "Summer Bank Holiday" in WALES_2026.get(date(2026, 8, 31), "")
    with time_machine.travel(at(2026, 7, 20, 9), tick=False) as clock:
        report = linked_report(world)
        referrals.record_decision(
            actor=world.manager,
            report=report,
            outcome=Outcome.STRATEGY_DISCUSSION,
            rationale="Disclosure of physical harm: reasonable cause to suspect.",
        )
        clock.move_to(at(2026, 7, 20, 15))
        enquiries.record_strategy_discussion(
            actor=world.mash,
            report=report,
            kind="DISCUSSION",
            medium="PHONE",
            held_at=at(2026, 7, 20, 14),
            chair=world.manager,
            information_shared="Police: two DA incidents. School: attendance concerns.",
            participants=[
                {"agency": world.authority, "name": "Team manager"},
                {"agency": world.police, "name": "DC Harries"},
            ],
            child_decisions=[
                {"child": report.children.get(), "s47": S47Kind.JOINT, "reasons": "Disclosure"}
            ],
            lead_social_worker=world.social_worker,
        )
    enquiry = report.enquiries.get()
    assert enquiry.started_on == date(2026, 7, 20)
    assert enquiry.due_at == end_of(2026, 9, 17)
    assert procedures.working_days_between(date(2026, 7, 20), date(2026, 9, 17)) == 42
    # The lead social worker is reminded within 5 working days of the due date, not before:
    # Thursday 10 Sep has 5 working days left (11, 14, 15, 16, 17), Wednesday 9 Sep has 6.
    with time_machine.travel(at(2026, 9, 9, 9), tick=False):
        assert run_reminders()["enquiries_reminded"] == 0
    with time_machine.travel(at(2026, 9, 10, 9), tick=False):
        assert run_reminders()["enquiries_reminded"] == 1
        assert run_reminders()["enquiries_reminded"] == 0  # once a day
    deliver_pending()
    assert inbox(Kind.REMINDER) == [world.social_worker.username]


# --- escalation and reminders ----------------------------------------------------------------


def test_overdue_standard_request_is_escalated_once_to_agency_lead_and_mash_managers(world):
    # Rule mash.request.standard: answer within 1 working day. Sent Friday 22 May 2026 at 10:00;
    # Monday 25 May is a bank holiday, so it is due by the end of Tuesday 26 May.
    assert_rule("mash.request.standard", 1, PeriodUnit.WORKING_DAYS)
    people = leads(world)
    with time_machine.travel(at(2026, 5, 22, 10), tick=False):
        report = submitted_report(world)
        child = report.children.get()
        to_police, to_school = (
            sharing.request_information(
                actor=world.mash,
                report=report,
                child=child,
                agency=agency,
                priority=Priority.STANDARD,
                question="What do you hold about this child?",
            )
            for agency in (world.police, world.school)
        )
        sharing.answer_request(
            actor=world.school_lead,
            request=to_school,
            holds_information=True,
            summary="Attendance 78%, arrives hungry.",
        )
    assert to_police.due_at == end_of(2026, 5, 26)
    # Not yet overdue at the last moment of Tuesday (tick runs the sweep and delivers).
    with time_machine.travel(at(2026, 5, 26, 23, 59, 59), tick=False):
        call_command("tick", stdout=io.StringIO())
    assert not OutboxMessage.objects.filter(kind=Kind.REQUEST_OVERDUE).exists()
    # Overdue on Wednesday: escalated once, to the police's safeguarding lead and the
    # authority's team managers; the answered request to the school is not escalated.
    with time_machine.travel(at(2026, 5, 27, 0, 0, 1), tick=False):
        assert run_reminders()["requests_escalated"] == 1
        deliver_pending()
    to_police.refresh_from_db()
    assert to_police.escalated_at == at(2026, 5, 27, 0, 0, 1)
    assert InformationRequest.objects.get(pk=to_school.pk).escalated_at is None
    assert inbox(Kind.REQUEST_OVERDUE) == sorted(
        [people["police_lead"].username, world.manager.username]
    )
    # A second (and third) sweep escalates nothing more.
    with time_machine.travel(at(2026, 5, 27, 12), tick=False):
        assert run_reminders()["requests_escalated"] == 0
        call_command("tick", stdout=io.StringIO())
    with time_machine.travel(at(2026, 6, 3, 12), tick=False):
        assert run_reminders()["requests_escalated"] == 0
        deliver_pending()
    assert OutboxMessage.objects.filter(kind=Kind.REQUEST_OVERDUE).count() == 2
    assert len(inbox(Kind.REQUEST_OVERDUE)) == 2


def test_unacknowledged_outcome_is_escalated_once(world):
    # Rule outcome.acknowledge: acknowledge within 2 working days of the outcome being sent.
    # Decided (and shared) Thursday 21 May 2026: Friday 22 is working day 1, Monday 25 is the
    # Spring bank holiday, Tuesday 26 is working day 2. Due: end of Tuesday 26 May 2026.
    assert_rule("outcome.acknowledge", 2, PeriodUnit.WORKING_DAYS)
    people = leads(world)
    with time_machine.travel(at(2026, 5, 21, 11), tick=False) as clock:
        report = linked_report(world)
        referrals.record_decision(
            actor=world.manager,  # a manager's decision is final at once, and shared
            report=report,
            outcome=Outcome.EARLY_HELP,
            rationale="Needs met by early help; no significant harm indicated.",
        )
        outcomes = {
            (n.recipient_user.username if n.recipient_user else n.recipient_agency.name): n
            for n in OutcomeNotification.objects.filter(report=report)
        }
        # The school reported and is involved: it hears once, as the reporting agency (issue 11).
        assert set(outcomes) == {world.police.name, world.school.name}
        assert outcomes[world.school.name].is_reporter
        assert {n.acknowledge_by for n in outcomes.values()} == {end_of(2026, 5, 26)}
        clock.move_to(at(2026, 5, 22, 9))
        sharing.acknowledge_outcome(
            actor=world.police_officer, notification=outcomes[world.police.name]
        )
    with time_machine.travel(at(2026, 5, 26, 23, 59, 59), tick=False):
        assert run_reminders()["outcomes_escalated"] == 0
    with time_machine.travel(at(2026, 5, 27, 8), tick=False):
        # The school's outcome is overdue; the police acknowledged theirs.
        assert run_reminders()["outcomes_escalated"] == 1
        deliver_pending()
    escalated = OutcomeNotification.objects.filter(escalated_at__isnull=False)
    assert {n.pk for n in escalated} == {outcomes[world.school.name].pk}
    # The MASH team managers hear of it; so does the school's safeguarding lead.
    assert inbox(Kind.OUTCOME_UNACKNOWLEDGED) == sorted(
        [world.manager.username, people["school_lead_manager"].username]
    )
    with time_machine.travel(at(2026, 5, 28, 8), tick=False):
        assert run_reminders()["outcomes_escalated"] == 0
        deliver_pending()
    assert OutboxMessage.objects.filter(kind=Kind.OUTCOME_UNACKNOWLEDGED).count() == 2
    assert len(inbox(Kind.OUTCOME_UNACKNOWLEDGED)) == 2
    # Escalations name the report, never the child.
    for message in OutboxMessage.objects.filter(kind=Kind.OUTCOME_UNACKNOWLEDGED):
        assert report.reference in message.subject
        assert world.child.given_name not in message.subject + message.body


def test_decision_reminder_fires_on_the_due_day(world):
    # Rule report.decision: received Friday 22 May 2026 16:59, due end of Tuesday 26 May.
    # The MASH is reminded on the due day (and each day it is overdue), once a day, not before.
    with time_machine.travel(at(2026, 5, 22, 16, 59), tick=False):
        report = linked_report(world)
    for moment in (at(2026, 5, 22, 17, 30), at(2026, 5, 25, 9)):  # Friday; the bank holiday
        with time_machine.travel(moment, tick=False):
            assert run_reminders()["decisions_reminded"] == 0
    with time_machine.travel(at(2026, 5, 26, 0, 5), tick=False):
        assert run_reminders()["decisions_reminded"] == 1
    with time_machine.travel(at(2026, 5, 26, 15), tick=False):
        assert run_reminders()["decisions_reminded"] == 0  # once on the day
        deliver_pending()
    reminder = OutboxMessage.objects.get(kind=Kind.REMINDER)
    assert reminder.dedupe_key == f"decision-due:{report.pk}:2026-05-26"
    assert reminder.recipient_agency == world.authority
    assert inbox(Kind.REMINDER) == sorted([world.manager.username, world.mash.username])
    with time_machine.travel(at(2026, 5, 27, 9), tick=False) as clock:
        assert run_reminders()["decisions_reminded"] == 1  # overdue: reminded again
        clock.move_to(at(2026, 5, 27, 10))
        referrals.record_decision(
            actor=world.manager,
            report=report,
            outcome=Outcome.INFORMATION_ADVICE,
            rationale="Advice given to the school; no further concerns.",
        )
    with time_machine.travel(at(2026, 5, 28, 9), tick=False):
        assert run_reminders()["decisions_reminded"] == 0  # decided: no more reminders
    assert OutboxMessage.objects.filter(kind=Kind.REMINDER).count() == 2


def test_escalation_of_a_determination_names_the_report_not_the_child(world):
    """A determination's outcome title names the child; its escalation must not."""
    from diogelu.conferences.tests.test_journey import at as at_london
    from diogelu.conferences.tests.test_journey import determination_3

    with time_machine.travel(at_london(2026, 1, 5, 8), tick=False) as clock:
        enquiry = determination_3(world, clock)
    titles = [n.title for n in OutcomeNotification.objects.filter(report=enquiry.report)]
    assert any(world.child.given_name in t for t in titles)  # what the reader sees in-app
    with time_machine.travel(at_london(2026, 1, 12, 8), tick=False):
        assert run_reminders()["outcomes_escalated"] > 0
    escalations = OutboxMessage.objects.filter(kind=Kind.OUTCOME_UNACKNOWLEDGED)
    assert escalations.exists()
    for message in escalations:
        assert enquiry.report.reference in message.subject
        assert world.child.given_name not in message.subject + message.body
        assert world.child.family_name not in message.subject + message.body
