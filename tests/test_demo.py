"""The demo authority loads from a fixed seed and a second load adds nothing."""

from __future__ import annotations

from diogelu.accounts.models import Agency, User
from diogelu.demo.loader import load_demo
from diogelu.people.models import Person, Relationship
from diogelu.people.validators import nhs_number_is_valid, upn_is_valid


def test_demo_load_is_idempotent_and_valid(db):
    first = load_demo(households=15)
    counts = (
        Agency.objects.count(),
        User.objects.count(),
        Person.objects.count(),
        Relationship.objects.count(),
    )
    second = load_demo(households=15)
    assert second.skipped_people
    assert counts == (
        Agency.objects.count(),
        User.objects.count(),
        Person.objects.count(),
        Relationship.objects.count(),
    )
    # The measures' case history adds synthetic children (GLN-H…) and three inactive workers
    # (history.worker…); the oversight demo adds its workforce (ov.…); the exploitation case its
    # five county-lines children (GLN-EXP…).
    assert (
        first.people
        == Person.objects.exclude(la_reference__startswith="GLN-H")
        .exclude(la_reference__startswith="GLN-EXP")
        .count()
        > 30
    )
    assert (
        User.objects.exclude(username__startswith="ov.")
        .exclude(username__startswith="history.worker")
        .count()
        == 20
    )
    for person in Person.objects.exclude(nhs_number=""):
        assert person.nhs_number.startswith("999")
        assert nhs_number_is_valid(person.nhs_number)
    for person in Person.objects.exclude(upn=""):
        assert upn_is_valid(person.upn)
    assert Person.objects.filter(is_restricted=True).exists()
    # One exploitation meeting held for the flat (ADR 0700), its outcome to the police and both
    # schools, the police's acknowledged; a second load adds no meeting.
    from diogelu.exploitation.models import ExploitationMeeting

    (meeting,) = ExploitationMeeting.objects.filter(context__name__startswith="Flat 2")
    assert meeting.held_at is not None
    outcomes = {o.agency.code: o.acknowledged_at is not None for o in meeting.outcomes.all()}
    assert outcomes == {"dyffryn-police": True, "glanrafon-high": False, "ysgol-y-dderwen": False}


def test_demo_has_a_registered_child_with_a_plan_core_group_and_an_overdue_visit(db):
    from diogelu.conferences.models import (
        Category,
        Circulation,
        Conference,
        ConferenceKind,
        ConferenceStatus,
        RegisterEpisode,
    )
    from diogelu.notifications.models import OutboxMessage
    from diogelu.plans.access import plans_visible_to
    from diogelu.plans.due import overdue_visits_for_worker
    from diogelu.plans.models import VersionStatus

    first = load_demo(households=15)
    episode = RegisterEpisode.objects.get(
        ended_at__isnull=True, lead_practitioner__username="social.worker"
    )
    child = episode.person
    assert any(child.la_reference in m for m in first.messages)
    assert episode.conference.kind == ConferenceKind.INITIAL
    assert episode.conference.status == ConferenceStatus.HELD
    assert episode.conference.held_on_time
    assert episode.current_categories() == sorted([Category.EMOTIONAL, Category.NEGLECT])
    assert episode.lead_practitioner.username == "social.worker"
    # Plan: version 1 published with its quality score (the school has no action), 2 in draft.
    versions = {v.number: v for v in episode.plan.versions.all()}
    assert versions[1].status == VersionStatus.PUBLISHED
    assert versions[1].quality_score == 88
    assert {i["code"] for i in versions[1].quality_issues} == {"AGENCY_WITHOUT_ACTION"}
    assert versions[2].status == VersionStatus.DRAFT
    assert episode.core_groups.count() == 1
    assert episode.core_groups.get().on_time
    assert episode.visits.count() == 2
    # The record went to six recipients; only the school has not acknowledged it.
    circulations = Circulation.objects.filter(conference=episode.conference)
    assert circulations.count() == 6
    outstanding = circulations.filter(acknowledged_at__isnull=True)
    assert [c.recipient_kind for c in outstanding] == ["AGENCY"]
    assert outstanding.get().recipient_agency.kind == "SCHOOL"
    # Seen alone last the day after the conference: overdue, on the social worker's and the
    # team manager's My work (both may read the plan).
    for username, team in (("social.worker", False), ("team.manager", True)):
        user = User.objects.get(username=username)
        overdue = overdue_visits_for_worker(user, team=team)
        assert [d.rule for d in overdue] == ["visit.seen_alone"]
        assert plans_visible_to(user).filter(pk=episode.plan.pk).exists()
    # Made with the services: the chronology has the story, the MASH outcomes are acknowledged.
    assert child.chronology.filter(kind="REGISTER").exists()
    assert child.chronology.filter(kind="VISIT").count() == 2
    report = child.reports.get().report
    assert not report.outcomes.filter(acknowledged_at__isnull=True).exists()
    # A second load adds nothing.
    counts = (Conference.objects.count(), OutboxMessage.objects.count(), User.objects.count())
    second = load_demo(households=15)
    assert second.skipped_people
    assert not any("Registered child" in m for m in second.messages)
    assert counts == (
        Conference.objects.count(),
        OutboxMessage.objects.count(),
        User.objects.count(),
    )
    assert RegisterEpisode.objects.filter(lead_practitioner__is_active=True).count() == 1


def test_the_demo_history_reads_like_a_service_kept_it(db):
    """A MASH manager's My work in the demo listed 32 determinations 1 "on None", the oldest
    made in February 2025: the case history's reports had no reference and its determinations
    were never ratified. Every sent report has a reference; a determination 1 older than a few
    working days is ratified, by a manager, not by the worker who made it."""
    import datetime as dt

    from django.utils import timezone

    from diogelu.accounts.models import MANAGER_ROLES
    from diogelu.enquiries.models import Section47Enquiry
    from diogelu.referrals.models import Report, ReportStatus

    load_demo(households=15)
    assert not Report.objects.exclude(status=ReportStatus.DRAFT).filter(reference__isnull=True)
    history = Report.objects.filter(reference__startswith="H")
    assert history.count() >= 100
    ones = Section47Enquiry.objects.filter(determination="1")
    assert ones.count() >= 10
    week_ago = timezone.now() - dt.timedelta(days=7)
    assert not ones.filter(ratified_at__isnull=True, determined_at__lt=week_ago).exists()
    for enquiry in ones.filter(ratified_at__isnull=False).select_related("ratified_by"):
        assert enquiry.ratified_by is not None
        assert enquiry.ratified_by.has_role(*MANAGER_ROLES)
        assert enquiry.ratified_by_id != enquiry.determined_by_id
