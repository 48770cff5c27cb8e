"""``manage.py load_synthetic``: valid rows, reproducible from the seed, refusing real data."""

from __future__ import annotations

import datetime
import itertools

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction
from django.db.models import F
from django.test import Client

from diogelu import procedures
from diogelu.access import chain
from diogelu.access.models import AccessLog
from diogelu.accounts.models import Agency, AgencyKind, User
from diogelu.chronology.models import ChronologyEvent
from diogelu.conferences.models import (
    Conference,
    ConferenceDecision,
    ConferenceKind,
    ConferenceStatus,
    EndReason,
    RegisterEpisode,
)
from diogelu.demo.synthetic import default_end, load_synthetic
from diogelu.enquiries.models import Section47Enquiry
from diogelu.people.models import Person, Relationship, RelationshipKind
from diogelu.plans.models import CoreGroupMeeting, Plan, PlanVersion, Visit
from diogelu.referrals.models import Decision, Report, ReportStatus
from diogelu.sharing.models import InformationRequest, OutcomeNotification, RequestStatus
from diogelu.sharing.services import (
    escalate_overdue_requests,
    escalate_unacknowledged,
    unshared_outcomes,
)


def _check_later_workflow() -> None:
    """Conferences, the register, plans, core groups, visits, chronology and the access log hold
    the services' invariants, and their pages render for the people entitled to them."""
    initial = Conference.objects.filter(kind=ConferenceKind.INITIAL, status=ConferenceStatus.HELD)
    assert initial.exists()
    # Siblings of one household are in one conference.
    sibling_conferences = [
        c
        for c in initial.prefetch_related("children")
        if len(people := [cc.person_id for cc in c.children.all()]) > 1
        and Relationship.objects.filter(
            person_id=people[0], relative_id__in=people[1:], kind=RelationshipKind.SIBLING
        ).exists()
    ]
    assert sibling_conferences
    for c in Conference.objects.filter(status=ConferenceStatus.HELD):
        assert c.held_at is not None and c.record_due_at is not None
        for cc in c.children.all():
            assert hasattr(cc, "decision")
    episodes = list(RegisterEpisode.objects.prefetch_related("categories", "core_group"))
    assert episodes and any(e.ended_at is None for e in episodes)
    assert any(e.end_reason == EndReason.REVIEW_DECISION for e in episodes)
    for e in episodes:
        assert e.categories.all(), "a registration has a category"
        assert all(cat.to_at == e.ended_at for cat in e.categories.all())
        assert all(m.ended_at == e.ended_at for m in e.core_group.all())
        if e.ending_conference_id is not None:
            assert (
                ConferenceDecision.objects.get(
                    child__conference_id=e.ending_conference_id, child__person_id=e.person_id
                ).register
                is False
            )
        plan = Plan.objects.get(episode=e)
        assert plan.person_id == e.person_id
        first = e.core_groups.order_by("held_at").first()
        if first is not None:
            assert first.due_rule == "core_group.first"
            assert first.due_at == procedures.due("core_group.first", e.started_at).due_at
        assert not e.visits.filter(visited_at__lt=e.started_at).exists()
        if e.ended_at is not None:
            assert not e.visits.filter(visited_at__gt=e.ended_at).exists()
    assert PlanVersion.objects.filter(status="PUBLISHED").exists()
    assert CoreGroupMeeting.objects.exists() and Visit.objects.exists()
    assert ChronologyEvent.objects.filter(kind="VISIT").exists()
    # The access log is sealed once, and the chain is whole.
    assert AccessLog.objects.exists()
    assert not AccessLog.objects.filter(seal__isnull=True).exists()
    assert chain.verify().intact
    # The pages read the generated rows.
    worker = Client()
    worker.force_login(User.objects.get(username="social.worker"))
    held = initial.filter(registrations__isnull=False).first()
    assert held is not None
    episode = held.registrations.first()
    assert episode is not None
    for url in (
        f"/conferences/{held.pk}/",
        "/register/",
        f"/plans/{episode.plan.pk}/",
        f"/people/{episode.person_id}/chronology/",
    ):
        response = worker.get(url)
        assert response.status_code == 200, url
    assert b"Statutory visit" in worker.get(f"/people/{episode.person_id}/chronology/").content
    # A core-group member agency sees the child's chronology.
    police = Client()
    police.force_login(User.objects.get(username="police.officer"))
    open_episode = RegisterEpisode.objects.filter(ended_at__isnull=True).first()
    assert open_episode is not None
    assert police.get(f"/people/{open_episode.person_id}/chronology/").status_code == 200


def _check_workforce() -> None:
    """The generated workforce: locality teams with a manager and practitioners, every child with
    open work in one open case with one current allocation in the case's team, each registration
    led by a practitioner of that team; a year of supervision; the oversight pages read them."""
    from diogelu.oversight.models import (
        Allocation,
        Case,
        CaseStage,
        Contract,
        ContractKind,
        Post,
        Supervision,
        SupervisionChild,
        Worker,
    )

    workers = Worker.objects.all()
    assert workers.filter(job_role="TEAM_MANAGER").count() >= 2
    practitioners = workers.exclude(job_role="TEAM_MANAGER")
    assert practitioners.filter(left_on__isnull=True).count() >= 20
    assert practitioners.filter(left_on__isnull=False).exists(), "leavers in the last year"
    assert Contract.objects.filter(kind=ContractKind.AGENCY).exists()
    held = Post.objects.filter(holdings__ends_on__isnull=True)
    assert Post.objects.exclude(pk__in=held).exists(), "some posts are vacant"
    # A post is held by one worker at a time (a leaver's post passes to a later starter).
    from diogelu.oversight.models import PostHolding

    for post in Post.objects.all():
        spans = sorted(PostHolding.objects.filter(post=post).values_list("starts_on", "ends_on"))
        for (_s1, e1), (s2, _e2) in itertools.pairwise(spans):
            assert e1 is not None and e1 < s2
    team_of = dict(workers.values_list("user_id", "team_id"))
    for w in workers.select_related("user"):
        assert w.user.team_id == w.team_id and w.user.agency_id == w.authority_id
    open_cases = Case.objects.filter(closed_at__isnull=True)
    assert open_cases.count() > 20
    persons = list(open_cases.values_list("person_id", flat=True))
    assert len(persons) == len(set(persons)), "one open case per child"
    for case in open_cases:
        current = list(Allocation.objects.filter(case=case, ended_at__isnull=True))
        assert len(current) == 1
        a = current[0]
        assert a.team_id == case.team_id
        assert a.worker_id is None or team_of[a.worker_id] == case.team_id
    for a in Allocation.objects.filter(ended_at__isnull=False)[:200]:
        assert a.ended_at >= a.started_at
    # Each child on the register has an open child-protection case with its lead practitioner.
    for e in RegisterEpisode.objects.filter(ended_at__isnull=True):
        case = open_cases.get(person_id=e.person_id)
        assert case.stage in (CaseStage.CHILD_PROTECTION, CaseStage.LOOKED_AFTER)
        assert team_of[e.lead_practitioner_id] == case.team_id
        assert e.lead_practitioner_id in dict(
            practitioners.filter(left_on__isnull=True).values_list("user_id", "team_id")
        )
    # Registrations and enquiries are led by the workforce's practitioners, not one person.
    in_post = set(practitioners.filter(left_on__isnull=True).values_list("user_id", flat=True))
    leads = set(Section47Enquiry.objects.values_list("lead_social_worker_id", flat=True))
    assert len(leads) > 1 and leads <= in_post
    assert Supervision.objects.filter(kind="CASE").exists()
    for sc in SupervisionChild.objects.select_related("supervision")[:100]:
        assert Allocation.objects.filter(
            case__person_id=sc.person_id, worker_id=sc.supervision.worker_id
        ).exists(), "a child discussed is one the worker holds"
    head = Client()
    head.force_login(User.objects.get(username="head.of.service"))
    for url in ("/oversight/", "/oversight/workforce/", "/oversight/lists/?figure=unallocated"):
        assert head.get(url).status_code == 200, url
    manager = User.objects.get(username="team.manager")
    client = Client()
    client.force_login(manager)
    for url in (
        f"/oversight/teams/{manager.team_id}/",
        f"/oversight/teams/{manager.team_id}/children/",
    ):
        assert client.get(url).status_code == 200, url


def _snapshot() -> list[tuple[object, ...]]:
    return list(
        Report.objects.order_by("reference", "children__person__la_reference").values_list(
            "reference", "received_at", "decision_due_at", "status", "children__person__given_name"
        )
    )


@pytest.mark.django_db
def test_loads_consistent_rows_and_refuses_a_second_run() -> None:
    call_command("load_synthetic", people=3000, years=2, seed=7)
    assert Person.objects.filter(la_reference__startswith="SYN-").count() >= 1500
    assert Report.objects.count() > 30
    for report in Report.objects.exclude(status=ReportStatus.IN_MASH)[:50]:
        assert report.decision_due_at is not None and report.received_at < report.decision_due_at
        assert Decision.objects.filter(report=report).exists()
    for req in InformationRequest.objects.all()[:50]:
        assert req.due_at > req.requested_at
        assert (req.status == RequestStatus.OPEN) == (not hasattr(req, "answer"))
    assert not Section47Enquiry.objects.filter(determination="1", ratified_at__isnull=True).exists()
    # Outcomes reach the recipients the application computes for most reports.
    decided = list(Report.objects.filter(status=ReportStatus.DECIDED)[:40])
    shared = sum(1 for r in decided if unshared_outcomes(r) == [])
    assert shared >= len(decided) * 0.7
    assert OutcomeNotification.objects.exists()
    # Each outcome carries its report's authority (the MASH dashboard counts by it, ADR 0816).
    assert not OutcomeNotification.objects.exclude(authority_id=F("report__authority_id")).exists()
    # Titled as the application titles them: with the report's reference, in each reader's
    # language (generated outcomes read "Outcome" in English on a Welsh page before).
    from django.utils import translation

    for outcome in OutcomeNotification.objects.select_related("report")[:30]:
        assert outcome.title_text and str(outcome.report.reference) in outcome.title
        with translation.override("cy"):
            assert outcome.reader_title != outcome.title, outcome.title
    _check_later_workflow()
    _check_workforce()
    _check_escalations_in_history()
    with pytest.raises(CommandError, match="already loaded"):
        call_command("load_synthetic", people=100, years=1, seed=7)


def _check_escalations_in_history() -> None:
    """History holds what the reminders ticks did: an outcome or request that was late was
    escalated once, so the first tick after a load escalates nothing that fell due before the
    end of the history (before 2026-12-06 it escalated 23,562 outcomes of five county years at
    once, 359 s and 35,906 outbox messages), and what is still outstanding is recent."""
    end = default_end()
    end_moment = datetime.datetime(end.year, end.month, end.day, 18, tzinfo=procedures.LONDON)
    late = OutcomeNotification.objects.filter(escalated_at__isnull=False)
    assert late.filter(acknowledged_at__isnull=False).exists()
    assert not late.exclude(escalated_at__gt=F("acknowledge_by")).exists()
    assert not OutcomeNotification.objects.filter(
        escalated_at__isnull=False, acknowledged_at__lte=F("acknowledge_by")
    ).exists()
    outstanding = late.filter(acknowledged_at__isnull=True)
    assert not outstanding.filter(acknowledge_by__lt=end_moment - datetime.timedelta(days=11))
    assert InformationRequest.objects.filter(escalated_at__isnull=False).exists()
    assert escalate_unacknowledged(end_moment) == 0
    assert escalate_overdue_requests(end_moment) == 0


def _later_snapshot() -> dict[str, list[tuple[object, ...]]]:
    """The later workflow, by values that do not depend on primary keys."""
    from diogelu.oversight.models import Allocation, Supervision

    return {
        "conferences": list(
            Conference.objects.order_by("due_at", "kind", "scheduled_for").values_list(
                "kind", "status", "due_at", "held_at", "record_circulated_at"
            )
        ),
        "episodes": list(
            RegisterEpisode.objects.order_by("person__la_reference", "started_at").values_list(
                "person__la_reference", "started_at", "ended_at", "end_reason"
            )
        ),
        "visits": list(
            Visit.objects.order_by("person__la_reference", "visited_at").values_list(
                "person__la_reference", "visited_at", "seen_alone"
            )
        ),
        "chronology": list(
            ChronologyEvent.objects.order_by(
                "person__la_reference", "occurred_at", "kind"
            ).values_list("person__la_reference", "occurred_at", "kind", "title")
        ),
        "allocations": list(
            Allocation.objects.order_by(
                "case__person__la_reference", "started_at", "worker__username"
            ).values_list(
                "case__person__la_reference",
                "case__stage",
                "started_at",
                "ended_at",
                "worker__username",
                "reason",
            )
        ),
        "supervisions": list(
            Supervision.objects.order_by(
                "worker__username", "held_on", "children__person__la_reference"
            ).values_list("worker__username", "held_on", "kind", "children__person__la_reference")
        ),
        "access": list(
            AccessLog.objects.order_by("at", "person__la_reference", "user__username").values_list(
                "at", "person__la_reference", "user__username", "basis"
            )
        ),
    }


class _UndoError(Exception):
    pass


@pytest.mark.django_db
def test_the_same_seed_gives_the_same_authority() -> None:
    # The access log cannot be deleted (append-only), so each load is rolled back instead. The
    # generator is called directly (the command's ANALYZE and measures warm-up add nothing here).
    snapshots = []
    for _ in range(2):
        try:
            with transaction.atomic():
                load_synthetic(600, 2, 11, end=datetime.date(2026, 11, 30))
                snapshots.append((_snapshot(), _later_snapshot()))
                raise _UndoError
        except _UndoError:
            pass
    assert not Person.objects.exists()
    (first, first_later), (second, second_later) = snapshots
    assert first == second
    assert first_later["conferences"] and first_later["access"]
    assert first_later["allocations"] and first_later["supervisions"]
    assert first_later == second_later


@pytest.mark.django_db
def test_refuses_a_database_with_other_data() -> None:
    Agency.objects.create(
        code="real-council", name="A real council", kind=AgencyKind.LOCAL_AUTHORITY
    )
    with pytest.raises(CommandError, match="not the demo"):
        call_command("load_synthetic", people=100, years=1, seed=1)
    assert not Person.objects.exists()
