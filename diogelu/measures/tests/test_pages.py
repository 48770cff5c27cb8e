"""Who reaches the performance pages, what they see, and what is logged."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from diogelu.access.models import AccessLog, Channel
from diogelu.accounts.models import AgencyKind, Role
from diogelu.measures.models import Target
from diogelu.measures.tests.builders import Case, at
from tests import factories as f

pytestmark = pytest.mark.django_db

Q4 = "q-2025-4"


@pytest.fixture(autouse=True)
def _clock():
    with time_machine.travel(at(date(2026, 3, 10)), tick=False):
        yield


@pytest.fixture
def case(settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    c = Case()
    strategy = at(date(2026, 2, 2))
    c.late = [c.child(), c.child(), c.child()]
    c.secret = c.child(is_restricted=True)
    c.conference([*c.late, c.secret], clock_start=strategy, held=at(date(2026, 2, 24)))
    c.conference([c.child()], clock_start=strategy, held=at(date(2026, 2, 20)))
    return c


def client(user, *, stepped_up: bool = True) -> Client:
    """A signed-in client; by default with a recent step-up, as downloads need."""
    from django.utils import timezone

    from diogelu.accounts.stepup import SESSION_KEY

    cl = Client()
    cl.force_login(user)
    if stepped_up:
        session = cl.session
        session[SESSION_KEY] = timezone.now().timestamp()
        session.save()
    return cl


def _urls() -> list[str]:
    return [
        reverse("performance_dashboard"),
        reverse("measure", args=["icpc_15wd"]) + f"?period={Q4}",
        reverse("measure_rows", args=["icpc_15wd"]) + f"?period={Q4}&show=missed",
        reverse("measure_csv", args=["icpc_15wd"]) + f"?period={Q4}",
        reverse("data_quality"),
        reverse("year_end_return"),
        reverse("measure", args=["on_register"]) + f"?period={Q4}",
        reverse("measure", args=["workforce_agency"]) + f"?period={Q4}",
        reverse("measure_rows", args=["workforce_leavers"]) + f"?period={Q4}&show=all",
    ]


def test_head_of_service_director_performance_officer_and_auditor_read_everything(case):
    auditor = f.user(case.authority, Role.AUDITOR, username="aud")
    director = f.user(case.authority, Role.DIRECTOR, username="dir")
    officer = f.user(case.authority, Role.PERFORMANCE_OFFICER, username="perf")
    for user in (case.head, auditor, director, officer):
        cl = client(user)
        for url in _urls():
            assert cl.get(url).status_code == 200, (user, url)


@pytest.mark.parametrize(
    ("kind", "role"),
    [
        (AgencyKind.POLICE, Role.POLICE_OFFICER),
        (AgencyKind.HEALTH, Role.AGENCY_SAFEGUARDING_LEAD),
        (AgencyKind.LOCAL_AUTHORITY, Role.SOCIAL_WORKER),
        (AgencyKind.LOCAL_AUTHORITY, Role.TEAM_MANAGER),
    ],
)
def test_everyone_else_gets_404(case, kind, role):
    agency = f.agency(kind, f"Other {kind}")
    cl = client(f.user(agency, role, username=f"u-{kind}-{role}"))
    before = AccessLog.objects.count()
    for url in [*_urls(), reverse("measure_target", args=["icpc_15wd"])]:
        assert cl.get(url).status_code == 404, url
    assert AccessLog.objects.count() == before


def test_ICPC_figure_per_child_and_per_conference_on_the_page(case):
    body = client(case.head).get(reverse("measure", args=["icpc_15wd"]) + f"?period={Q4}")
    text = body.content.decode()
    assert "1 of 5 children" in text
    assert "1 of 2" in text and "conferences" in text


def test_drill_through_names_only_visible_children_and_logs_them(case):
    cl = client(case.head)
    before = AccessLog.objects.count()
    page = cl.get(reverse("measure_rows", args=["icpc_15wd"]) + f"?period={Q4}&show=missed")
    text = page.content.decode()
    for child in case.late:
        assert child.la_reference in text
    assert case.secret.la_reference not in text
    assert "A child whose record you may not see" in text
    logged = AccessLog.objects.order_by("pk")[before:]
    assert {r.person_id for r in logged} == {c.pk for c in case.late}
    assert {r.route for r in logged} == {"measure_rows"}


def test_csv_export_asks_for_a_step_up_first(case):
    cl = client(case.head, stepped_up=False)
    before = AccessLog.objects.count()
    response = cl.get(reverse("measure_csv", args=["icpc_15wd"]) + f"?period={Q4}")
    assert response.status_code == 302
    assert "/confirm-identity/" in response["Location"]
    assert AccessLog.objects.count() == before


def test_csv_export_has_the_rows_and_logs_an_export(case):
    cl = client(case.head)
    response = cl.get(reverse("measure_csv", args=["icpc_15wd"]) + f"?period={Q4}")
    assert response["Content-Type"].startswith("text/csv")
    body = response.content.decode()
    assert "children,5,children_met,1,child_rate,20.0" in body
    assert "events,2,events_met,1,event_rate,50.0" in body
    assert body.count(case.late[0].la_reference) == 1
    assert case.secret.la_reference not in body
    exports = AccessLog.objects.filter(channel=Channel.EXPORT, route="measure_csv")
    assert {c.pk for c in case.late} <= {r.person_id for r in exports}
    assert exports.count() == 4  # three late siblings and the child on time


def test_auditor_cannot_set_a_target_head_of_service_can(case):
    auditor = f.user(case.authority, Role.AUDITOR, username="aud")
    url = reverse("measure_target", args=["icpc_15wd"])
    assert client(auditor).post(url, {"target": "90", "amber": "5"}).status_code == 404
    assert not Target.objects.exists()
    cl = client(case.head)
    assert cl.post(url, {"target": "abc", "amber": "5"}).status_code == 400
    assert cl.post(url, {"target": "90", "amber": "5"}).status_code == 302
    target = Target.objects.get()
    assert (target.measure, int(target.target)) == ("icpc_15wd", 90)
    page = cl.get(reverse("performance_dashboard") + f"?period={Q4}").content.decode()
    assert "Off target" in page


def test_other_authority_sees_only_its_own_figures(case):
    other = f.agency(AgencyKind.LOCAL_AUTHORITY, "Other County")
    cl = client(f.user(other, Role.HEAD_OF_SERVICE, username="hos2"))
    text = cl.get(reverse("measure", args=["icpc_15wd"]) + f"?period={Q4}").content.decode()
    assert "0 of 0 children" in text
    rows = cl.get(reverse("measure_rows", args=["icpc_15wd"]) + f"?period={Q4}&show=all")
    assert case.late[0].la_reference not in rows.content.decode()


def test_unknown_measure_or_period_is_404(case):
    cl = client(case.head)
    assert cl.get(reverse("measure", args=["nope"])).status_code == 404
    assert cl.get(reverse("measure", args=["icpc_15wd"]) + "?period=zz").status_code == 404
    assert (
        cl.get(reverse("measure_rows", args=["icpc_15wd"]) + "?show=everything").status_code == 404
    )


def test_welsh(case):
    cl = client(case.head)
    cl.post(reverse("set_language"), {"language": "cy", "next": "/"})
    text = cl.get(reverse("measure", args=["icpc_15wd"]) + f"?period={Q4}").content.decode()
    assert "Cynadleddau cychwynnol a gynhaliwyd o fewn 15 diwrnod gwaith" in text


def test_team_filter_counts_only_that_team_and_refuses_other_teams(case):
    from diogelu.accounts.models import Team

    south = Team.objects.create(agency=case.authority, name="Locality South")
    other = Team.objects.create(agency=f.agency(AgencyKind.LOCAL_AUTHORITY, "Else"), name="X")
    worker = f.user(case.authority, Role.SOCIAL_WORKER, username="sw-south", team=south)
    conference = case.conference(
        [case.child()], clock_start=at(date(2026, 2, 2)), held=at(date(2026, 2, 25))
    )
    conference.convened_by = worker
    conference.save()
    cl = client(case.head)
    url = reverse("measure", args=["icpc_15wd"]) + f"?period={Q4}"
    assert "1 of 6 children" in cl.get(url).content.decode()
    assert "0 of 1 children" in cl.get(url + f"&team={south.pk}").content.decode()
    assert "1 of 5 children" in cl.get(url + f"&team={case.team.pk}").content.decode()
    assert cl.get(url + f"&team={other.pk}").status_code == 404
    assert cl.get(url + "&team=nope").status_code == 404
    dashboard = cl.get(reverse("performance_dashboard") + f"?period={Q4}&team={south.pk}")
    assert dashboard.status_code == 200


def test_workforce_measures_on_the_dashboard_and_their_rows_name_no_child(case):
    cl = client(case.head)
    body = cl.get(reverse("performance_dashboard") + f"?period={Q4}").content.decode()
    assert "Workforce" in body and "Agency workers (headcount)" in body
    page = cl.get(reverse("measure_rows", args=["workforce_leavers"]) + f"?period={Q4}&show=all")
    assert page.status_code == 200
    assert "no child is named" in page.content.decode()
