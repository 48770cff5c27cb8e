"""The access log and the disclosure log, paged and filtered by person, user, agency and date,
each page in a fixed number of queries."""

from __future__ import annotations

import datetime

from django.urls import reverse

from diogelu.access.models import AccessLog, Basis, Channel, Part
from diogelu.sharing.models import Disclosure
from diogelu.sharing.tests.journey import answered


def logs(world, user, n, at):
    AccessLog.objects.bulk_create(
        AccessLog(
            user=user,
            agency_id=user.agency_id,
            person=world.child,
            channel=Channel.PAGE,
            route="show_person",
            part=Part.SUMMARY,
            basis=Basis.AUTHORITY_STAFF,
            at=at,
        )
        for _ in range(n)
    )


def test_access_log_filtered_by_user_agency_and_date(world):
    old = datetime.datetime(2025, 6, 1, 10, tzinfo=datetime.UTC)
    logs(world, world.social_worker, 3, old)
    logs(world, world.police_officer, 2, old + datetime.timedelta(days=30))
    client = world.client_for(world.manager)
    url = reverse("person_access_log", args=[world.child.pk])
    by_police = client.get(url, {"agency": world.police.pk}).content.decode()
    assert "2 entries" in by_police
    by_user = client.get(url, {"user": "sw"}).content.decode()
    assert "3 entries" in by_user
    by_date = client.get(
        url,
        {
            "date_from_0": "15",
            "date_from_1": "6",
            "date_from_2": "2025",
            "date_to_0": "15",
            "date_to_1": "7",
            "date_to_2": "2025",
        },
    )
    assert "2 entries" in by_date.content.decode()
    bad = client.get(
        url,
        {
            "date_from_0": "15",
            "date_from_1": "7",
            "date_from_2": "2025",
            "date_to_0": "1",
            "date_to_1": "7",
            "date_to_2": "2025",
        },
    )
    assert "The end date must be the same as or after the start date" in bad.content.decode()


def test_access_log_is_paged_in_fixed_queries(world, django_assert_max_num_queries):
    at = datetime.datetime(2025, 6, 1, 10, tzinfo=datetime.UTC)
    client = world.client_for(world.manager)
    url = reverse("person_access_log", args=[world.child.pk])
    logs(world, world.social_worker, 5, at)
    client.get(url)
    with django_assert_max_num_queries(40) as few:
        client.get(url)
    logs(world, world.police_officer, 200, at)
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get(url).content.decode()
    assert "Next" in page
    second = client.get(url, {"page": 2}).content.decode()
    assert "govuk-table__row" in second


def test_disclosure_log_filtered(world):
    answered(world)
    client = world.client_for(world.manager)
    url = reverse("disclosure_log")
    every = Disclosure.objects.count()
    assert every > 0
    police = client.get(url, {"agency": world.police.pk}).content.decode()
    assert "Dyffryn Police" in police
    nobody = client.get(url, {"user": "nobody-of-that-name"}).content.decode()
    assert "govuk-table__body" not in nobody
    future = client.get(url, {"date_from_0": "1", "date_from_1": "1", "date_from_2": "2099"})
    assert "govuk-table__body" not in future.content.decode()
