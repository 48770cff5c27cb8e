"""Reminders and escalation for conferences, the register and plans, and the 18th-birthday sweep
(diogelu/conferences/reminders.py), run through ``run_reminders`` with the clock set by
time_machine. Each case names its rule and counts the dates by hand.

The journey of test_journey.py: strategy meeting Mon 5 Jan 2026 09:00, determination 3 that day,
the initial conference held Mon 19 Jan 2026 10:00 (the child registered then, lead practitioner
the social worker). January and February 2026 have no bank holidays after 1 January.

Two stages for each deadline: a reminder from the due day (to whoever must act), an escalation
once the deadline has passed (after 23:59:59.999999 London time on the due day).
"""

from __future__ import annotations

import datetime
import io

import pytest
import time_machine
from django.core.management import call_command

from diogelu import procedures
from diogelu.accounts.models import Role
from diogelu.chronology.models import ChronologyEvent, EventKind
from diogelu.conferences import services as conferences
from diogelu.conferences.models import Circulation, EndReason, RecipientKind, RegisterEpisode
from diogelu.conferences.reminders import eighteenth_birthday
from diogelu.conferences.tests.test_journey import convened, held
from diogelu.notifications.delivery import deliver_pending
from diogelu.notifications.models import InboxItem, Kind, OutboxMessage
from diogelu.notifications.reminders import run_reminders
from diogelu.notifications.tests.helpers import leads
from diogelu.people.models import Person
from diogelu.plans import services as plans
from diogelu.procedures import LONDON, PeriodUnit
from tests import factories as f

D = datetime.date
OUR_KEYS = (
    "conference-due:",
    "record-circulate:",
    "record-ack:",
    "core-group:",
    "review:",
    "visit:",
)
CHILD_NAMES = ("Siân", "Sian", "Prydderch", "Rhian", "Dafydd")


def at(y, m, d, hh=0, mm=0, ss=0):
    return datetime.datetime(y, m, d, hh, mm, ss, tzinfo=LONDON)


def last_moment(y, m, d):
    return datetime.datetime(y, m, d, 23, 59, 59, 999999, tzinfo=LONDON)


@pytest.fixture
def clock():
    with time_machine.travel(at(2026, 1, 5, 8), tick=False) as traveller:
        yield traveller


@pytest.fixture(autouse=True)
def _no_dormant_account_sweep(settings):
    """The clock moves months ahead without anyone signing in; the dormant-account sweep (also
    run by ``run_reminders``, tested in tests/test_dormant_accounts.py) would deactivate the
    personas these reminders go to."""
    settings.DORMANT_DAYS = 0


def sweep(clock, moment):
    """Run the reminders at ``moment`` and deliver what they wrote."""
    clock.move_to(moment)
    result = run_reminders()
    deliver_pending()
    return result


def assert_rule(key, amount, unit):
    period = procedures.get_rule(key).period
    assert (period.amount, period.unit) == (amount, unit), f"rule {key} changed: recompute"


def keys(prefix):
    return sorted(
        OutboxMessage.objects.filter(dedupe_key__startswith=prefix).values_list(
            "dedupe_key", flat=True
        )
    )


def inbox(key):
    """Who received the message with this dedupe key."""
    return sorted(
        InboxItem.objects.filter(message__dedupe_key=key).values_list("user__username", flat=True)
    )


def assert_no_child_named():
    """Subjects and bodies (which are also emailed) carry references, never a child's name."""
    ours = [
        m
        for m in OutboxMessage.objects.all()
        if m.dedupe_key.startswith(OUR_KEYS) or m.dedupe_key.startswith("deregistered:")
    ]
    assert ours
    for message in ours:
        for name in CHILD_NAMES:
            assert name not in message.subject, message.dedupe_key
            assert name not in message.body, message.dedupe_key


# --- conferences --------------------------------------------------------------------------


def test_initial_conference_not_held_reminds_the_convener_then_chairs_and_managers(world, clock):
    # icpc.convene: 15 working days from the strategy meeting on Mon 5 Jan → end of Mon 26 Jan.
    assert_rule("icpc.convene", 15, PeriodUnit.WORKING_DAYS)
    conference, _invites = convened(world, clock)
    chair = f.user(world.authority, Role.CONFERENCE_CHAIR, username="chair")
    ref = world.child.la_reference
    for moment in (at(2026, 1, 23, 17), at(2026, 1, 25, 12)):  # Friday; Sunday
        assert sweep(clock, moment)["conferences_reminded"] == 0
    assert not keys("conference-due:")
    # The due day: who convened it (the social worker) is reminded; not yet escalated.
    result = sweep(clock, at(2026, 1, 26, 0, 0, 1))
    assert (result["conferences_reminded"], result["conferences_escalated"]) == (1, 0)
    remind = f"conference-due:{conference.pk}:remind:{world.social_worker.pk}"
    assert keys("conference-due:") == [remind]
    assert inbox(remind) == ["sw"]
    assert sweep(clock, last_moment(2026, 1, 26))["conferences_escalated"] == 0
    # Overdue from Tuesday: the authority's conference chairs and team managers, once.
    result = sweep(clock, at(2026, 1, 27, 0, 0, 1))
    assert (result["conferences_reminded"], result["conferences_escalated"]) == (0, 1)
    escalate = f"conference-due:{conference.pk}:escalate"
    assert inbox(escalate) == sorted([chair.username, world.manager.username])
    message = OutboxMessage.objects.get(dedupe_key=escalate)
    assert ref in message.subject
    assert "26/01/2026" in message.subject
    assert message.link == f"/conferences/{conference.pk}/"
    for moment in (at(2026, 1, 27, 12), at(2026, 2, 3, 9)):
        result = sweep(clock, moment)
        assert (result["conferences_reminded"], result["conferences_escalated"]) == (0, 0)
    assert len(keys("conference-due:")) == 2
    assert_no_child_named()


def test_record_not_circulated_reminds_the_chair_then_escalates_to_managers(world, clock):
    # icpc.circulate_record: 5 working days from the conference on Mon 19 Jan → end of Mon 26 Jan.
    assert_rule("icpc.circulate_record", 5, PeriodUnit.WORKING_DAYS)
    conference, _invites = held(world, clock)
    assert sweep(clock, at(2026, 1, 23, 16))["records_reminded"] == 0
    result = sweep(clock, at(2026, 1, 26, 0, 0, 1))
    assert (result["records_reminded"], result["records_escalated"]) == (1, 0)
    assert inbox(f"record-circulate:{conference.pk}:remind:{conference.chair_id}") == [
        conference.chair.username
    ]
    assert sweep(clock, last_moment(2026, 1, 26))["records_escalated"] == 0
    result = sweep(clock, at(2026, 1, 27, 0, 0, 1))
    assert (result["records_reminded"], result["records_escalated"]) == (0, 1)
    assert inbox(f"record-circulate:{conference.pk}:escalate") == [world.manager.username]
    assert sweep(clock, at(2026, 1, 27, 9))["records_escalated"] == 0
    # Circulated late: nothing more about circulating it.
    conferences.circulate_record(actor=world.social_worker, conference=conference)
    result = sweep(clock, at(2026, 1, 28, 9))
    assert (result["records_reminded"], result["records_escalated"]) == (0, 0)
    assert len(keys("record-circulate:")) == 2
    assert_no_child_named()


def test_unacknowledged_record_reminds_the_recipient_then_escalates(world, clock):
    # outcome.acknowledge (the record is an outcome to acknowledge): 2 working days from when it
    # was sent on Tue 20 Jan → end of Thu 22 Jan.
    assert_rule("outcome.acknowledge", 2, PeriodUnit.WORKING_DAYS)
    people = leads(world)
    conference, _invites = held(world, clock)
    clock.move_to(at(2026, 1, 20, 9))
    conferences.circulate_record(actor=world.social_worker, conference=conference)
    sent = {c.recipient_label: c for c in Circulation.objects.filter(conference=conference)}
    school = Circulation.objects.get(conference=conference, recipient_agency=world.school)
    mother = Circulation.objects.get(conference=conference, recipient_person=world.mother)
    assert mother.recipient_kind == RecipientKind.FAMILY
    # Everyone else acknowledges in time (the social worker records the child's acknowledgement).
    clock.move_to(at(2026, 1, 21, 11))
    for circulation in sent.values():
        if circulation.pk in (school.pk, mother.pk):
            continue
        actor = circulation.recipient_user or world.social_worker
        conferences.acknowledge_record(actor=actor, circulation=circulation)
    assert sweep(clock, last_moment(2026, 1, 21))["acknowledgements_reminded"] == 0
    # The due day: the school's practitioners are reminded; for the mother, the lead
    # practitioner, who records her acknowledgement.
    result = sweep(clock, at(2026, 1, 22, 0, 0, 1))
    assert (result["acknowledgements_reminded"], result["acknowledgements_escalated"]) == (2, 0)
    assert inbox(f"record-ack:{school.pk}:remind:agency{world.school.pk}") == sorted(
        [world.school_lead.username, people["school_lead_manager"].username]
    )
    assert inbox(f"record-ack:{mother.pk}:remind:{world.social_worker.pk}") == ["sw"]
    assert sweep(clock, last_moment(2026, 1, 22))["acknowledgements_escalated"] == 0
    # Overdue: the school's safeguarding lead; the authority's team managers for the family.
    result = sweep(clock, at(2026, 1, 23, 0, 0, 1))
    assert (result["acknowledgements_reminded"], result["acknowledgements_escalated"]) == (0, 2)
    assert inbox(f"record-ack:{school.pk}:escalate") == [people["school_lead_manager"].username]
    assert inbox(f"record-ack:{mother.pk}:escalate") == [world.manager.username]
    escalation = OutboxMessage.objects.get(dedupe_key=f"record-ack:{school.pk}:escalate")
    assert escalation.kind == Kind.OUTCOME_UNACKNOWLEDGED
    assert world.school.name in escalation.subject
    assert world.child.la_reference in escalation.subject
    assert escalation.link == f"/conferences/records/{school.pk}/"
    for moment in (at(2026, 1, 23, 15), at(2026, 1, 30, 9)):
        result = sweep(clock, moment)
        assert (result["acknowledgements_reminded"], result["acknowledgements_escalated"]) == (
            0,
            0,
        )
    assert len(keys("record-ack:")) == 4
    assert_no_child_named()


# --- the register: core groups, visits, reviews -------------------------------------------


def test_core_group_and_visits_remind_the_lead_then_escalate_each_deadline_once(world, clock):
    # core_group.first: 10 working days from the conference on Mon 19 Jan → end of Mon 2 Feb.
    # visit.seen_alone: 10 working days from registration (Mon 19 Jan) → end of Mon 2 Feb.
    # visit.seen_at_home: 4 weeks from registration → Mon 16 Feb.
    assert_rule("core_group.first", 10, PeriodUnit.WORKING_DAYS)
    assert_rule("core_group.interval", 6, PeriodUnit.WEEKS)
    assert_rule("visit.seen_alone", 10, PeriodUnit.WORKING_DAYS)
    assert_rule("visit.seen_at_home", 4, PeriodUnit.WEEKS)
    held(world, clock)
    episode = RegisterEpisode.objects.get(person=world.child)
    result = sweep(clock, at(2026, 1, 30, 17))  # Friday before
    assert (result["core_groups_reminded"], result["visits_reminded"]) == (0, 0)
    result = sweep(clock, at(2026, 2, 2, 0, 0, 1))
    assert (result["core_groups_reminded"], result["core_groups_escalated"]) == (1, 0)
    assert (result["visits_reminded"], result["visits_escalated"]) == (1, 0)
    sw = world.social_worker.pk
    assert keys("core-group:") == [f"core-group:{episode.pk}:2026-02-02:remind:{sw}"]
    seen_alone = f"visit:{episode.pk}:visit.seen_alone:2026-02-02"
    assert keys("visit:") == [f"{seen_alone}:remind:{sw}"]
    assert inbox(f"{seen_alone}:remind:{sw}") == ["sw"]
    message = OutboxMessage.objects.get(dedupe_key=f"{seen_alone}:remind:{sw}")
    assert world.child.la_reference in message.subject
    assert "See the child alone" in message.subject
    assert message.link == f"/plans/{episode.plan.pk}/"
    result = sweep(clock, last_moment(2026, 2, 2))
    assert (result["core_groups_escalated"], result["visits_escalated"]) == (0, 0)
    # Overdue on Tuesday: the authority's team managers, once for each.
    result = sweep(clock, at(2026, 2, 3, 0, 0, 1))
    assert (result["core_groups_reminded"], result["core_groups_escalated"]) == (0, 1)
    assert (result["visits_reminded"], result["visits_escalated"]) == (0, 1)
    assert inbox(f"core-group:{episode.pk}:2026-02-02:escalate") == ["manager"]
    assert inbox(f"{seen_alone}:escalate") == ["manager"]
    result = sweep(clock, at(2026, 2, 3, 8))
    assert sum(result[k] for k in result if k.startswith(("core_groups", "visits"))) == 0

    # The visit and the core group happen on Tue 3 Feb: the next deadlines move on.
    clock.move_to(at(2026, 2, 3, 11))
    plans.record_visit(
        actor=world.social_worker,
        episode=episode,
        visited_at=at(2026, 2, 3, 9),
        child_seen=True,
        seen_alone=True,
        seen_at_home=True,
        bedroom_seen=True,
        child_words="I like my new bed.",
        observations="Home warm and tidy; food in the cupboards.",
    )
    plans.record_core_group(
        actor=world.social_worker,
        episode=episode,
        held_at=at(2026, 2, 3, 10),
        attended=list(episode.core_group.filter(ended_at__isnull=True)),
        child_views="Siân says things are calmer.",
    )
    # Next: seen alone 10 working days from Tue 3 Feb → Tue 17 Feb; at home 4 weeks → Tue 3 Mar;
    # core group 6 weeks → Tue 17 Mar.
    result = sweep(clock, at(2026, 2, 16, 12))
    assert sum(result[k] for k in result if k.startswith(("core_groups", "visits"))) == 0
    result = sweep(clock, at(2026, 2, 17, 0, 0, 1))
    assert (result["visits_reminded"], result["core_groups_reminded"]) == (1, 0)
    assert f"visit:{episode.pk}:visit.seen_alone:2026-02-17:remind:{sw}" in keys("visit:")
    assert len(keys("core-group:")) == 2
    assert_no_child_named()


def test_review_overdue_reminds_the_lead_then_chairs_and_managers(world, clock):
    # review.first: 3 months from the conference on Mon 19 Jan → Sun 19 Apr 2026.
    # visit.bedroom: once in the cycle, by the same date; met by the visit on Tue 3 Feb.
    assert_rule("review.first", 3, PeriodUnit.MONTHS)
    conference, _invites = held(world, clock)
    episode = RegisterEpisode.objects.get(person=world.child)
    clock.move_to(at(2026, 2, 3, 11))
    plans.record_visit(
        actor=world.social_worker,
        episode=episode,
        visited_at=at(2026, 2, 3, 9),
        child_seen=True,
        seen_alone=True,
        seen_at_home=True,
        bedroom_seen=True,
        child_words="This is my room.",
        observations="Bedroom has a bed, bedding and a chest of drawers.",
    )
    assert sweep(clock, at(2026, 4, 18, 12))["reviews_reminded"] == 0
    result = sweep(clock, at(2026, 4, 19, 0, 0, 1))
    assert (result["reviews_reminded"], result["reviews_escalated"]) == (1, 0)
    remind = f"review:{episode.pk}:2026-04-19:remind:{world.social_worker.pk}"
    assert keys("review:") == [remind]
    assert inbox(remind) == ["sw"]
    result = sweep(clock, at(2026, 4, 20, 0, 0, 1))
    assert (result["reviews_reminded"], result["reviews_escalated"]) == (0, 1)
    assert inbox(f"review:{episode.pk}:2026-04-19:escalate") == sorted(
        [conference.chair.username, world.manager.username]
    )
    assert sweep(clock, at(2026, 4, 21, 9))["reviews_escalated"] == 0
    # The bedroom was seen in this cycle: no bedroom reminder, though the cycle's end has passed.
    assert not keys(f"visit:{episode.pk}:visit.bedroom:")
    assert_no_child_named()


# --- the 18th-birthday sweep --------------------------------------------------------------


def test_eighteenth_birthday():
    assert eighteenth_birthday(D(2008, 2, 10)) == D(2026, 2, 10)
    assert eighteenth_birthday(D(2008, 2, 29)) == D(2026, 3, 1)
    assert eighteenth_birthday(D(2010, 2, 28)) == D(2028, 2, 28)
    assert eighteenth_birthday(D(2012, 2, 29)) == D(2030, 3, 1)


@pytest.mark.parametrize(
    ("born", "day_before", "birthday"),
    [
        (D(2008, 2, 10), D(2026, 2, 9), D(2026, 2, 10)),
        # Born on 29 February: 18 on 1 March in a year without one (as end_registration counts).
        (D(2008, 2, 29), D(2026, 2, 28), D(2026, 3, 1)),
    ],
)
def test_sweep_ends_the_registration_on_the_18th_birthday_once(
    world, clock, born, day_before, birthday
):
    held(world, clock)
    Person.objects.filter(pk=world.child.pk).update(date_of_birth=born)
    episode = RegisterEpisode.objects.get(person=world.child)
    # The day before: still registered (and the sweep sends no reminders for it that night).
    result = sweep(clock, last_moment(day_before.year, day_before.month, day_before.day))
    assert result["registrations_ended_at_18"] == 0
    episode.refresh_from_db()
    assert episode.is_open
    before = OutboxMessage.objects.count()

    result = sweep(clock, at(birthday.year, birthday.month, birthday.day, 0, 0, 1))
    assert result["registrations_ended_at_18"] == 1
    episode.refresh_from_db()
    assert episode.end_reason == EndReason.AGE_18
    assert episode.ended_at == at(birthday.year, birthday.month, birthday.day)
    assert not episode.categories.filter(to_at__isnull=True).exists()
    assert not episode.core_group.filter(ended_at__isnull=True).exists()
    # Ended by the authority's automatic-actions account, which cannot sign in.
    system = episode.ended_by
    assert system is not None
    assert system.username == f"diogelu-automatic.{world.authority.code}"
    assert system.agency == world.authority
    assert not system.is_active
    assert not system.has_usable_password()
    assert system.email == ""
    event = ChronologyEvent.objects.get(
        person=world.child, kind=EventKind.REGISTER, title__startswith="Removed"
    )
    assert event.recorded_by == system
    assert event.occurred_at == episode.ended_at
    # The lead practitioner is told once, by reference; other core group members as usual.
    lead_key = f"deregistered:{episode.pk}:{world.social_worker.pk}"
    lead_message = OutboxMessage.objects.get(dedupe_key=lead_key)
    assert "18" in lead_message.subject
    assert world.child.la_reference in lead_message.subject
    # The birthday would give away the date of birth in an email: the message has no date.
    assert birthday.strftime("%d/%m/%Y") not in lead_message.body
    assert str(birthday.year) not in lead_message.subject + lead_message.body
    assert inbox(lead_key) == ["sw"]
    assert (
        InboxItem.objects.filter(
            user=world.social_worker, message__dedupe_key__startswith=f"deregistered:{episode.pk}:"
        ).count()
        == 1
    )
    assert set(keys(f"deregistered:{episode.pk}:")) == {
        lead_key,
        f"deregistered:{episode.pk}:{world.police_officer.pk}",
        f"deregistered:{episode.pk}:{world.health_practitioner.pk}",
    }
    assert_no_child_named()

    # Again, the same morning and weeks later: nothing changes, nothing is sent (no reminders
    # either, for a child who has left the register).
    after = OutboxMessage.objects.count()
    assert after > before
    for moment in (at(birthday.year, birthday.month, birthday.day, 9), at(2026, 3, 20, 9)):
        assert sweep(clock, moment)["registrations_ended_at_18"] == 0
    episode.refresh_from_db()
    assert episode.ended_at == at(birthday.year, birthday.month, birthday.day)
    assert OutboxMessage.objects.count() == after
    assert (
        RegisterEpisode.objects.filter(person=world.child, end_reason=EndReason.AGE_18).count() == 1
    )


def test_sweep_leaves_a_17_year_old_and_a_child_without_a_date_of_birth(world, clock):
    held(world, clock)
    episode = RegisterEpisode.objects.get(person=world.child)
    Person.objects.filter(pk=world.child.pk).update(date_of_birth=D(2008, 6, 1))
    assert sweep(clock, at(2026, 5, 31, 12))["registrations_ended_at_18"] == 0
    Person.objects.filter(pk=world.child.pk).update(date_of_birth=None)
    assert sweep(clock, at(2026, 6, 2, 12))["registrations_ended_at_18"] == 0
    episode.refresh_from_db()
    assert episode.is_open


# --- the entry points ---------------------------------------------------------------------


def test_tick_and_the_celery_task_run_the_conference_reminders(world, clock):
    from diogelu.notifications.tasks import run_reminders as task

    held(world, clock)
    clock.move_to(at(2026, 2, 3, 9))
    out = io.StringIO()
    call_command("tick", stdout=out)
    assert "visits_escalated 1" in out.getvalue()
    assert "registrations_ended_at_18 0" in out.getvalue()
    result = task()
    assert result["visits_escalated"] == 0  # already escalated by the tick
    assert "core_groups_escalated" in result


def test_the_automatic_account_is_never_an_impostor(world):
    """An account that merely has the automatic account's name is never acted as."""
    from diogelu.conferences.reminders import system_actor

    impostor = f.user(
        world.police, Role.POLICE_OFFICER, username=f"diogelu-automatic.{world.authority.code}"
    )
    with pytest.raises(RuntimeError):
        system_actor(world.authority)
    impostor.refresh_from_db()
    assert not impostor.role_assignments.filter(role=Role.SOCIAL_WORKER).exists()


def test_a_failing_sweep_does_not_stop_the_others(world, monkeypatch):
    from diogelu.notifications import reminders

    def broken(moment):
        raise ValueError("boom")

    monkeypatch.setattr("diogelu.conferences.reminders.run_conference_reminders", broken)
    results = reminders.run_reminders()
    assert "access_log_sealed" in results
    assert "accounts_deactivated" in results
    assert "registrations_ended_at_18" not in results


def test_the_register_sweep_reads_the_same_whatever_the_number_of_children(world, clock):
    """Each child's core groups and conferences are read with the others', not one by one (issue
    17: 896 open registrations at a county were 4-5 s of every tick)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from diogelu.conferences.reminders import Counts, remind_register_due

    held(world, clock)
    episode = RegisterEpisode.objects.get(person=world.child)
    quiet = at(2026, 1, 21, 12)  # nothing due: core group and visits are due on 2 Feb

    def queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            remind_register_due(quiet, Counts())
        return len(ctx.captured_queries)

    one = queries()
    for _ in range(3):
        RegisterEpisode.objects.create(
            person=f.person(world.authority),
            authority=world.authority,
            started_at=episode.started_at,
            conference=episode.conference,
            lead_practitioner=episode.lead_practitioner,
        )
    assert queries() == one
