"""The demo authority's workforce and supervision history make every dashboard show something."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from diogelu.accounts.models import User
from diogelu.demo.loader import load_demo
from diogelu.oversight import dashboard
from diogelu.oversight.access import teams_visible_to
from diogelu.oversight.models import Contract, Post, Supervision, Worker
from diogelu.oversight.workforce_measures import AUTHORITY, workforce_measures


@pytest.mark.django_db
def test_demo_workforce_and_dashboards(client: Any) -> None:
    load_demo(households=40)
    workers = Worker.objects.count()
    assert 40 <= workers <= 50
    head = User.objects.get(username="head.of.service")
    from django.utils import timezone

    today = timezone.localdate()
    m = workforce_measures(
        head.agency_id or 0, start=today.replace(year=today.year - 1), end=today
    )[AUTHORITY]
    assert m.agency_rate_headcount is not None and 20 <= m.agency_rate_headcount <= 35
    assert m.vacant_posts == 2 and m.leavers >= 4 and m.registrations_lapsing >= 1
    assert Contract.objects.filter(kind="AGENCY").exists() and Post.objects.exists()
    assert Supervision.objects.filter(kind="CASE").exists()
    assert Supervision.objects.filter(kind="REFLECTIVE").exists()
    figures = dashboard.team_figures(head, list(teams_visible_to(head)))
    totals = dashboard.totals(figures)
    assert totals["unallocated"] >= 1
    assert totals["actions_overdue"] >= 1
    assert totals["supervision_overdue"] >= 1
    assert totals["changes"] >= 1
    assert totals["on_time_percent"] is not None
    client.force_login(head)
    assert client.get(reverse("oversight_home")).status_code == 200
    before = Worker.objects.count()
    load_demo(households=40)
    assert Worker.objects.count() == before
