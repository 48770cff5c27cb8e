"""A partner agency's My work asks nothing about section 47 enquiries it cannot lead (issue 17: the
query, with its eight visibility joins to plan, always came back empty for a police officer)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

pytestmark = pytest.mark.django_db


def _enquiry_queries(world, user) -> int:
    client = world.client_for(user)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(reverse("my_work")).status_code == 200
    return sum('FROM "enquiries_section47enquiry"' in q["sql"] for q in ctx.captured_queries)


def test_police_my_work_does_not_look_for_enquiries_to_lead(world):
    assert _enquiry_queries(world, world.police_officer) == 0


def test_a_social_workers_my_work_still_lists_their_enquiries(world):
    assert _enquiry_queries(world, world.social_worker) >= 1
