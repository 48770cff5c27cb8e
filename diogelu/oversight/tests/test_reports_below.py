"""Who is below a manager in the line: every level down in one query (issue 17: it was a query a
level, each ordered by name through a join, and a manager's My work asked three times over)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from diogelu.audit import access as audit_access
from diogelu.oversight.access import MAX_LINE_DEPTH, reports_below
from diogelu.oversight.models import Worker

pytestmark = pytest.mark.django_db


def _walk(user) -> tuple[set[int], int]:
    with CaptureQueriesContext(connection) as ctx:
        found = reports_below(user)
    return found, len(ctx.captured_queries)


def test_every_level_below_in_one_query(org):
    world = org.world
    head_below, queries = _walk(org.head)
    team = {world.manager.pk, world.social_worker.pk, org.newly.pk, org.agency.pk}
    assert head_below == team  # the manager, and the three the manager manages
    assert queries == 1
    assert _walk(world.manager) == (team - {world.manager.pk}, 1)
    assert _walk(world.social_worker) == (set(), 1)
    # Audit's line is the same walk (one function, not a copy).
    assert audit_access.reports_below is reports_below


def test_a_loop_in_the_line_does_not_run_away(org):
    world = org.world
    # The team manager's own line manager set to someone the team manager manages.
    Worker.objects.filter(user=world.manager).update(line_manager=world.social_worker)
    found, queries = _walk(world.manager)
    assert found == {world.social_worker.pk, org.newly.pk, org.agency.pk}
    assert queries == 1
    found, _ = _walk(world.social_worker)
    assert found == {world.manager.pk, org.newly.pk, org.agency.pk}
    assert MAX_LINE_DEPTH >= 2
