"""``manage.py load_synthetic``: valid rows, reproducible from the seed, refusing real data."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command

from diogelu.accounts.models import Agency, AgencyKind
from diogelu.enquiries.models import Section47Enquiry
from diogelu.people.models import Person
from diogelu.referrals.models import Decision, Report, ReportStatus
from diogelu.sharing.models import InformationRequest, OutcomeNotification, RequestStatus
from diogelu.sharing.services import unshared_outcomes


def _snapshot() -> list[tuple[object, ...]]:
    return list(
        Report.objects.order_by("reference").values_list(
            "reference", "received_at", "decision_due_at", "status", "children__person__given_name"
        )
    )


@pytest.mark.django_db
def test_loads_consistent_rows_and_refuses_a_second_run() -> None:
    call_command("load_synthetic", people=1500, years=1, seed=7)
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
    with pytest.raises(CommandError, match="already loaded"):
        call_command("load_synthetic", people=100, years=1, seed=7)


@pytest.mark.django_db
def test_the_same_seed_gives_the_same_authority() -> None:
    call_command("load_synthetic", people=600, years=1, seed=11)
    first = _snapshot()
    from django.apps import apps

    # Empty the case tables (children first) and load again with the same seed.
    for label in (
        "sharing.OutcomeNotification",
        "enquiries.Section47Enquiry",
        "enquiries.StrategyChildDecision",
        "enquiries.StrategyParticipant",
        "enquiries.StrategyDiscussion",
        "sharing.InformationAnswer",
        "sharing.InformationRequest",
        "referrals.Decision",
        "referrals.ReportChild",
        "referrals.Report",
        "access.Involvement",
        "people.Relationship",
        "people.Address",
        "people.Person",
    ):
        apps.get_model(label).objects.all().delete()
    call_command("load_synthetic", people=600, years=1, seed=11)
    assert _snapshot() == first


@pytest.mark.django_db
def test_refuses_a_database_with_other_data() -> None:
    Agency.objects.create(
        code="real-council", name="A real council", kind=AgencyKind.LOCAL_AUTHORITY
    )
    with pytest.raises(CommandError, match="not the demo"):
        call_command("load_synthetic", people=100, years=1, seed=1)
    assert not Person.objects.exists()
