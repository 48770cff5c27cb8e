"""The team's allocated children (issue 10): who sees it, what each row shows, filter, sort,
paging, reads logged, and a query count that does not grow with the number of children."""

from __future__ import annotations

from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from diogelu.access.models import AccessLog
from diogelu.oversight import services
from diogelu.oversight.models import Rating
from diogelu.oversight.tests.conftest import Org
from diogelu.oversight.tests.test_pages import _grow, allocate, client, supervise


def _url(org: Org) -> str:
    return reverse("team_children", args=[org.team.pk])


def test_the_team_manager_sees_each_child_with_worker_rating_and_supervision(org: Org) -> None:
    w = org.world
    supervise(org)  # allocates the child to the social worker
    allocate(org, w.sibling, None)
    services.set_oversight_rating(actor=w.manager, person=w.child, rating=Rating.RED, reason="x")
    c = client(w.manager)
    response = c.get(_url(org))
    assert response.status_code == 200
    body = response.content.decode()
    assert w.child.full_name in body and w.sibling.full_name in body
    assert w.social_worker.get_full_name() in body and "Unallocated" in body
    assert "govuk-tag--red" in body
    assert AccessLog.objects.filter(person=w.child, route="team_children").exists()
    assert AccessLog.objects.filter(person=w.sibling, route="team_children").exists()
    # linked from the team dashboard and the navigation
    assert _url(org) in c.get(reverse("team_dashboard", args=[org.team.pk])).content.decode()
    # filter by worker and by rating
    only = c.get(_url(org), {"worker": str(w.social_worker.pk)}).content.decode()
    assert w.child.full_name in only and w.sibling.full_name not in only
    unalloc = c.get(_url(org), {"worker": "none"}).content.decode()
    assert w.sibling.full_name in unalloc and w.child.full_name not in unalloc
    red = c.get(_url(org), {"rating": "RED"}).content.decode()
    assert w.child.full_name in red and w.sibling.full_name not in red
    unrated = c.get(_url(org), {"rating": "none"}).content.decode()
    assert w.sibling.full_name in unrated and w.child.full_name not in unrated
    # sort by a column, both ways (empty cells last); a bad sort falls back to the name
    up = c.get(_url(org), {"sort": "name", "order": "asc"}).content.decode()
    down = c.get(_url(org), {"sort": "name", "order": "desc"}).content.decode()
    assert (up.index(w.child.full_name) < up.index(w.sibling.full_name)) != (
        down.index(w.child.full_name) < down.index(w.sibling.full_name)
    )
    assert c.get(_url(org), {"sort": "nonsense", "page": "x"}).status_code == 200


def test_the_teams_worker_sees_it_partners_and_other_authorities_do_not(org: Org) -> None:
    w = org.world
    allocate(org, w.child, w.social_worker)
    assert client(w.social_worker).get(_url(org)).status_code == 200
    before = AccessLog.objects.count()
    for user in (w.police_officer, w.school_lead, w.health_practitioner, w.other_la_worker):
        assert client(user).get(_url(org)).status_code == 404, user.username
    assert AccessLog.objects.count() == before
    assert client(w.manager).get(reverse("team_children", args=[999_999])).status_code == 404


def test_the_list_is_paged_and_its_queries_do_not_grow(
    org: Org, django_assert_max_num_queries: Any
) -> None:
    c = client(org.world.manager)
    _grow(org, 3)
    c.get(_url(org))
    with CaptureQueriesContext(connection) as small:
        assert c.get(_url(org)).status_code == 200
    _grow(org, 9)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert c.get(_url(org)).status_code == 200
    _grow(org, 45)
    page = c.get(_url(org)).content.decode()
    assert "govuk-pagination" in page
    assert c.get(_url(org), {"page": "2"}).status_code == 200
