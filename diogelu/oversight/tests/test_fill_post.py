"""Filling a vacant post (vacancy → appointment or agency cover, from a start date): who may,
who may not, bad input (nothing written), Welsh, and the vacancy rate it changes.
Fixed clock: Monday 2 March 2026 (the oversight fixture)."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from diogelu.access.models import AccessLog
from diogelu.oversight import services
from diogelu.oversight.models import ContractKind, Post, PostHolding
from diogelu.oversight.tests.conftest import Org
from diogelu.oversight.workforce_measures import AUTHORITY, workforce_measures

D = datetime.date


def client(user: Any) -> Client:
    c = Client()
    c.force_login(user)
    return c


@pytest.fixture
def post(org: Org) -> Post:
    made: Post = services.establish_post(
        actor=org.head, team=org.team, title="Social worker", fte="1", established_on=D(2026, 1, 5)
    )
    return made


def _form(worker_pk: int, kind: str, day: D) -> dict[str, str]:
    return {
        "worker": str(worker_pk),
        "kind": kind,
        "starts_on_0": str(day.day),
        "starts_on_1": str(day.month),
        "starts_on_2": str(day.year),
    }


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("head", 200),
        ("admin", 200),
        ("manager", 404),
        ("social_worker", 404),
        ("mash", 404),
        ("police_officer", 404),
        ("school_lead", 404),
        ("other_la_worker", 404),
    ],
)
def test_who_may_fill_a_post(org: Org, post: Post, persona: str, expected: int) -> None:
    user = getattr(org, persona, None) or getattr(org.world, persona)
    url = reverse("fill_post", args=[post.pk])
    c = client(user)
    assert c.get(url).status_code == expected
    answer = c.post(url, _form(org.workers["agency"].pk, ContractKind.AGENCY, D(2026, 3, 2)))
    assert answer.status_code == (302 if expected == 200 else 404)
    assert PostHolding.objects.count() == (1 if expected == 200 else 0)
    # The posts page offers the link only to those who may follow it.
    page = c.get(reverse("team_posts", args=[org.team.pk]))
    if page.status_code == 200 and expected != 200:
        assert url not in page.content.decode()


def test_an_agency_worker_covers_the_vacancy_and_the_vacancy_rate_falls(
    org: Org, post: Post
) -> None:
    c = client(org.head)
    posts = reverse("team_posts", args=[org.team.pk])
    page = c.get(posts).content.decode()
    assert "Vacant" in page and reverse("fill_post", args=[post.pk]) in page
    before = workforce_measures(org.team.agency_id, start=D(2026, 3, 2), end=D(2026, 3, 2))
    assert before[AUTHORITY].vacant_fte == Decimal("1.00")
    logged = AccessLog.objects.count()
    done = c.post(
        reverse("fill_post", args=[post.pk]),
        _form(org.workers["agency"].pk, ContractKind.AGENCY, D(2026, 3, 2)),
    )
    assert done.status_code == 302 and done["Location"] == posts
    holding = PostHolding.objects.get()
    assert (holding.worker, holding.kind, holding.starts_on, holding.recorded_by) == (
        org.workers["agency"],
        ContractKind.AGENCY,
        D(2026, 3, 2),
        org.head,
    )
    page = c.get(posts).content.decode()
    assert "Vacant" not in page and "(Agency)" in page
    after = workforce_measures(org.team.agency_id, start=D(2026, 3, 2), end=D(2026, 3, 2))
    assert after[AUTHORITY].vacant_fte == Decimal("0.00")
    # No child is shown on these pages: nothing is logged.
    assert AccessLog.objects.count() == logged


@pytest.mark.parametrize(
    ("who", "kind", "day", "message"),
    [
        ("agency", ContractKind.PERMANENT, D(2026, 3, 2), "contract on that date is agency"),
        ("agency", ContractKind.AGENCY, D(2026, 1, 1), "on or after the day it is established"),
        ("agency", ContractKind.AGENCY, D(2025, 6, 1), "on or after the day it is established"),
        ("newly", ContractKind.PERMANENT, D(2026, 2, 1), None),  # a control: allowed
    ],
)
def test_bad_appointments_are_refused_and_write_nothing(
    org: Org, post: Post, who: str, kind: str, day: D, message: str | None
) -> None:
    response = client(org.head).post(
        reverse("fill_post", args=[post.pk]), _form(org.workers[who].pk, kind, day)
    )
    if message is None:
        assert response.status_code == 302
        return
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not PostHolding.objects.exists()


def test_a_leaver_a_filled_post_and_another_teams_worker_are_refused(org: Org, post: Post) -> None:
    c = client(org.head)
    url = reverse("fill_post", args=[post.pk])
    services.record_leaving(
        actor=org.head,
        worker=org.workers["agency"],
        expected_version=org.workers["agency"].version,
        left_on=D(2026, 2, 27),
        reason="END_OF_CONTRACT",
    )
    # A leaver is not offered, and naming them is refused.
    assert "agencysw" not in c.get(url).content.decode()
    left = c.post(url, _form(org.workers["agency"].pk, ContractKind.AGENCY, D(2026, 3, 2)))
    assert left.status_code == 400
    # Filled once; the second appointment on the same day is refused.
    assert c.post(url, _form(org.workers["sw"].pk, "PERMANENT", D(2026, 3, 2))).status_code == 302
    again = c.post(url, _form(org.workers["newly"].pk, "PERMANENT", D(2026, 3, 2)))
    assert again.status_code == 400 and "not vacant" in again.content.decode()
    # The service refuses a worker of another team (the page does not offer them).
    other = Post.objects.create(
        team=org.other_team, title="Social worker", fte=1, established_on=D(2026, 1, 5)
    )
    with pytest.raises(Exception, match="not in this team"):
        services.fill_post(
            actor=org.head, post=other, worker=org.workers["newly"], starts_on=D(2026, 3, 2)
        )
    assert PostHolding.objects.count() == 1


def test_the_fill_post_page_in_welsh(org: Org, post: Post) -> None:
    c = client(org.head)
    c.post(reverse("set_language"), {"language": "cy", "next": "/"})
    body = c.get(reverse("fill_post", args=[post.pk])).content.decode()
    assert 'lang="cy"' in body
    assert "Llenwi’r swydd" in body
