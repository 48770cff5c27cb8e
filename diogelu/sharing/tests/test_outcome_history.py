"""The outcomes page's acknowledged list: the newest hundred of what was meant for the user and
for their agency, read from the top of two indexes, not by sorting every outcome acknowledged
in years of work (a county's health visitor: 67,000 rows sorted for each page; issue 17)."""

from __future__ import annotations

import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from diogelu.accounts.models import Role
from diogelu.notifications.delivery import deliver_pending
from diogelu.sharing.access import acknowledged_outcomes
from diogelu.sharing.models import OutcomeNotification
from diogelu.sharing.tests.test_bulk_acknowledge import police_outcomes
from tests import factories as f


def _acknowledged(world):
    outcomes = police_outcomes(world, reports=3)
    assert len(outcomes) >= 3
    officer = world.police_officer
    colleague = f.user(world.police, Role.POLICE_OFFICER, username="colleague")
    now = timezone.now()
    mine, agencys, theirs = outcomes[:3]
    OutcomeNotification.objects.filter(pk=mine.pk).update(
        recipient_user=officer, acknowledged_at=now - datetime.timedelta(hours=1)
    )
    OutcomeNotification.objects.filter(pk=agencys.pk).update(
        acknowledged_at=now - datetime.timedelta(hours=3)
    )
    OutcomeNotification.objects.filter(pk=theirs.pk).update(
        recipient_user=colleague, acknowledged_at=now - datetime.timedelta(hours=2)
    )
    return mine, agencys, theirs


def test_the_newest_acknowledged_of_both_halves_and_no_one_elses(world):
    mine, agencys, _theirs = _acknowledged(world)
    officer = world.police_officer
    assert [o.pk for o in acknowledged_outcomes(officer, 100)] == [mine.pk, agencys.pk]
    assert [o.pk for o in acknowledged_outcomes(officer, 1)] == [mine.pk]
    assert acknowledged_outcomes(world.school_lead, 100) == []
    page = world.client_for(officer).get(reverse("outcome_list")).content.decode()
    shown = page[page.index("Acknowledged outcomes, newest first") :]
    first = shown.index(reverse("show_outcome", args=[mine.pk]))
    second = shown.index(reverse("show_outcome", args=[agencys.pk]))
    assert first < second
    assert reverse("show_outcome", args=[_theirs.pk]) not in shown


def test_each_half_is_read_from_the_top_of_its_index(world):
    if connection.vendor != "postgresql":
        return
    _acknowledged(world)
    with CaptureQueriesContext(connection) as ctx:
        acknowledged_outcomes(world.police_officer, 100)
    plans = []
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_bitmapscan = off")
        cursor.execute("SET LOCAL enable_sort = off")
        for q in ctx.captured_queries:
            if '"acknowledged_at" IS NOT NULL' in q["sql"]:
                cursor.execute("EXPLAIN " + q["sql"])
                plans.append("\n".join(row[0] for row in cursor.fetchall()))
    assert len(plans) == 2
    assert any("outcome_acked_by_user" in p for p in plans), plans
    assert any("outcome_acked_by_agency" in p for p in plans), plans
    assert not any("Sort" in p for p in plans), plans


def test_a_reports_shared_outcomes_are_found_through_the_report(world):
    """The report page asks which outcomes were shared: as an OR of subqueries on the outcome's
    source alone it read every notification of the authority (70 ms at a county); now the
    report's own index finds them, and the answer is the same."""
    from diogelu.sharing.services.acknowledgement import unshared_outcomes
    from diogelu.sharing.tests.journey import decided_for_strategy

    j = decided_for_strategy(world)
    deliver_pending()
    other = decided_for_strategy(world)
    deliver_pending()
    assert unshared_outcomes(j.report) == []
    sent = OutcomeNotification.objects.filter(report=j.report)
    assert sent.exists()
    sent.filter(recipient_agency=world.police).delete()
    missing = unshared_outcomes(j.report)
    assert missing and unshared_outcomes(other.report) == []
    if connection.vendor != "postgresql":
        return
    with CaptureQueriesContext(connection) as ctx:
        unshared_outcomes(j.report)
    (sql,) = [q["sql"] for q in ctx.captured_queries if '"sharing_outcomenotification"' in q["sql"]]
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("EXPLAIN " + sql)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "Seq Scan on sharing_outcomenotification" not in plan, plan
    assert "Index Cond: (report_id = " in plan, plan
