"""A county's five years of child protection work, generated straight into the tables.

About 10,000 reports a year (50,000 in all) with 1.3 children each; a third decided for a strategy
discussion; most of those become section 47 enquiries; about a third of enquiries reach an initial
conference, most of which register the children; registrations run 3 to 24 months with review
conferences, core groups every six weeks and visits every 7 to 12 working days. Due dates are
computed from the procedures rules as the services store them. Rows are bulk-inserted, so this is
not a test of the services; seeded, so every run builds the same county.

Used by ``bench/measures/run.py`` only (the scale helper's ``load_synthetic`` may replace it).
"""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from diogelu import procedures
from diogelu.accounts.models import Agency, AgencyKind, Role, RoleAssignment, Team, User
from diogelu.conferences.models import (
    Conference,
    RegisterEpisode,
)
from diogelu.demo.measures_history import build_history
from diogelu.enquiries.models import (
    Section47Enquiry,
    StrategyDiscussion,
)
from diogelu.people.models import Person
from diogelu.plans.models import CoreGroupMeeting, Visit
from diogelu.procedures import LONDON
from diogelu.referrals.models import Report, ReportChild

CODE = "bench-county"
CATEGORIES = ["NEGLECT", "EMOTIONAL", "PHYSICAL", "SEXUAL"]


def _at(day: date, hour: int = 10) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=LONDON)


def _wd(day: date, n: int) -> date:
    return procedures.add_working_days(day, n)


def generate(reports: int = 50_000, years: int = 5, seed: int = 13) -> Agency:
    """Build the county (idempotent: an existing county is returned as it is)."""
    existing = Agency.objects.filter(code=CODE).first()
    if existing is not None:
        return existing
    rng = random.Random(seed)
    with transaction.atomic():
        county = Agency.objects.create(
            kind=AgencyKind.LOCAL_AUTHORITY, name="Bench County Council", code=CODE
        )
        teams = [Team.objects.create(agency=county, name=f"Locality {i}") for i in range(6)]
        workers = []
        for i in range(60):
            u = User.objects.create(
                username=f"bench-sw{i}", agency=county, team=teams[i % 6], is_active=True
            )
            RoleAssignment.objects.create(user=u, role=Role.SOCIAL_WORKER)
            workers.append(u)
        head = User.objects.create(username="bench-hos", agency=county, is_active=True)
        RoleAssignment.objects.create(user=head, role=Role.HEAD_OF_SERVICE)
        _build(county, workers, rng, reports, years)
    return county


def _build(county: Agency, workers: list[User], rng: random.Random, n: int, years: int) -> None:
    today = timezone.localdate()
    people: list[Person] = []
    for i in range(int(n * 1.1)):
        dob = today - timedelta(days=rng.randint(0, 17 * 365))
        people.append(
            Person(
                authority=county,
                la_reference=f"BEN-{i:07d}",
                given_name=f"Child{i}",
                family_name="Bench",
                given_folded=f"child{i}",
                family_folded="bench",
                date_of_birth=dob,
                sex=rng.choice(["FEMALE", "MALE"]),
            )
        )
    Person.objects.bulk_create(people, batch_size=2000)
    people = list(Person.objects.filter(authority=county).order_by("pk"))
    build_history(county, workers, people, rng, n, years)


def counts(county: Agency) -> dict[str, Any]:
    return {
        "reports": Report.objects.filter(authority=county).count(),
        "report_children": ReportChild.objects.filter(report__authority=county).count(),
        "strategy_discussions": StrategyDiscussion.objects.filter(report__authority=county).count(),
        "enquiries": Section47Enquiry.objects.filter(report__authority=county).count(),
        "conferences": Conference.objects.filter(authority=county).count(),
        "registrations": RegisterEpisode.objects.filter(authority=county).count(),
        "core_groups": CoreGroupMeeting.objects.filter(episode__authority=county).count(),
        "visits": Visit.objects.filter(episode__authority=county).count(),
    }
