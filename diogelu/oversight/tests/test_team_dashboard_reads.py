"""A team's dashboard reads each thing once (issue 17): the supervision actions past their due
date once for both the overdue actions and the share done on time (twice before, each read
every action of the team's workers ever due, five years of them at a county), and the team's
headcount once for a single day (twice before, for "start" and "end" of the same day)."""

from __future__ import annotations

import datetime
from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext

from diogelu.conferences.tests.test_journey import at
from diogelu.oversight import dashboard
from diogelu.oversight.models import SupervisionAction
from diogelu.oversight.tests.conftest import Org
from diogelu.oversight.tests.test_pages import supervise
from diogelu.oversight.verification import on_time_share, overdue_actions


def test_the_team_figures_read_past_actions_and_headcount_once(org: Org, clock: Any) -> None:
    w = org.world
    s = supervise(org)  # one action for Siân, due 6 March
    done = SupervisionAction.objects.get(supervision=s)
    # A second action, about no child, due 4 March and never done.
    SupervisionAction.objects.filter(pk=done.pk).update(done_at=at(2026, 3, 5, 10))
    late = SupervisionAction.objects.get(pk=done.pk)
    late.pk = None
    late.person = None
    late.done_at = None
    late.due_on = datetime.date(2026, 3, 4)
    late.save()
    clock.move_to(at(2026, 3, 9, 9))
    today = datetime.date(2026, 3, 9)
    with CaptureQueriesContext(connection) as ctx:
        f = dashboard.team_figures(w.manager, [org.team])[org.team.pk]
    actions = SupervisionAction.objects.filter(supervision__worker=w.social_worker)
    share = on_time_share(actions, today)
    assert (f.actions_due, f.actions_on_time) == (share.due, share.on_time) == (2, 1)
    assert f.actions_overdue == list(overdue_actions(actions, today).values_list("pk", flat=True))
    assert len(f.actions_overdue) == 1 and f.actions_overdue_children == set()
    reads = [q["sql"] for q in ctx.captured_queries]
    past = [q for q in reads if 'FROM "oversight_supervisionaction"' in q]
    assert len(past) == 1, past
    headcounts = [q for q in reads if 'FROM "oversight_contract"' in q and "GROUP BY" in q]
    assert len(headcounts) == 1, headcounts
