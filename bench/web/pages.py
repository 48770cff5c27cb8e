"""Time key pages in-process on generated data: wall time, SQL queries and bytes per request.

    DEBUG=1 DATABASE_URL=postgres://…/<generated county> .venv/bin/python -m bench.web.pages \
        [--repeat 2] [page …]

Each page is requested ``--repeat`` times as its persona (Django's test client, forced login);
the last request is reported. It measures the view's own cost (no gunicorn, no network); the
concurrency benchmark is ``make bench-web`` (bench/web/locustfile.py).
"""

from __future__ import annotations

import argparse
import os
import sys
import time

#: page name → (demo username, path[, POST data]); paths under /api/ use an API token
PAGES: dict[str, tuple[str, str] | tuple[str, str, dict[str, str]]] = {
    "mash_dashboard": ("mash.practitioner", "/mash/"),
    "mash_dashboard_p2": ("mash.practitioner", "/mash/?outcomes_page=2"),
    "request_queue_mash": ("mash.practitioner", "/requests/"),
    "request_queue_police": ("police.officer", "/requests/"),
    "people_search": ("mash.practitioner", "/people/", {"name": "Jones"}),
    "people_search_police": ("police.officer", "/people/", {"name": "Jones"}),
    "api_people": ("mash.practitioner", "/api/v1/people/"),
    "api_people_police": ("police.officer", "/api/v1/people/"),
    "my_work_manager": ("mash.manager", "/"),
    "my_work_mash": ("mash.practitioner", "/"),
    "my_work_social_worker": ("social.worker", "/"),
    "my_work_team_manager": ("team.manager", "/"),
    "my_work_police": ("police.officer", "/"),
    "oversight_service": ("head.of.service", "/oversight/"),
    "performance": ("head.of.service", "/performance/"),
    "mash_reports": ("mash.practitioner", "/mash/reports/"),
    "api_reports": ("mash.practitioner", "/api/v1/reports/"),
    "your_reports_school": ("school.dsp", "/reports/"),
    # The later workflow (load_synthetic generates it): the busiest records, chosen at run time.
    "conference": ("conference.chair", "{conference}"),
    "register_list": ("social.worker", "/register/"),
    "plan": ("social.worker", "{plan}"),
    "chronology": ("social.worker", "{chronology}"),
    "chronology_police": ("police.officer", "{chronology}"),
    "person_summary": ("social.worker", "{person}"),
    # Oversight at volume (the generated workforce, issue 17)
    "team_dashboard": ("team.manager", "{team}"),
    "team_children": ("team.manager", "{team_children}"),
    "oversight_list": ("head.of.service", "/oversight/lists/?figure=unallocated"),
    "oversight_list_workers": ("head.of.service", "/oversight/lists/?figure=over_ceiling"),
    "workforce": ("head.of.service", "/oversight/workforce/"),
    "supervision_file": ("team.manager", "{supervision_file}"),
    # Found by bench.web.crawl (ADR 0842): lists nobody had timed.
    "api_requests": ("mash.practitioner", "/api/v1/requests/"),
    "api_strategies": ("mash.practitioner", "/api/v1/strategy-discussions/"),
    "api_enquiries_police": ("police.officer", "/api/v1/enquiries/"),
    "api_outcomes_police": ("police.officer", "/api/v1/outcomes/"),
    "api_records_police": ("police.officer", "/api/v1/conferences/records/"),
    "api_invitations_police": ("police.officer", "/api/v1/conferences/invitations/"),
    "api_plans": ("mash.manager", "/api/v1/plans/"),  # ADR 0848
    "outcomes_health": ("health.visitor", "/outcomes/"),
    "contexts_health": ("health.visitor", "/exploitation/contexts/"),
    "audit_set_up": ("head.of.service", "/audits/programmes/new/"),
    "child_oversight": ("team.manager", "{child_oversight}"),
}


def _busiest() -> dict[str, str]:
    """Paths to the largest generated records: the held initial conference with the most
    invitations, the plan with the most visits, the child with the longest chronology."""
    from django.db.models import Count

    from diogelu.chronology.models import ChronologyEvent
    from diogelu.conferences.models import Conference
    from diogelu.plans.models import Plan

    paths: dict[str, str] = {}
    conference = (
        Conference.objects.filter(kind="INITIAL", status="HELD")
        .annotate(n=Count("invitations"))
        .order_by("-n", "-held_at")
        .first()
    )
    if conference is not None:
        paths["conference"] = f"/conferences/{conference.pk}/"
    plan = Plan.objects.annotate(n=Count("episode__visits")).order_by("-n", "pk").first()
    if plan is not None:
        paths["plan"] = f"/plans/{plan.pk}/"
        person = plan.person_id
    top = (
        ChronologyEvent.objects.filter(person__register_episodes__ended_at__isnull=True)
        .values("person_id")
        .annotate(n=Count("id"))
        .order_by("-n", "person_id")
        .first()
    )
    if top is not None:
        person = top["person_id"]
    if plan is not None or top is not None:
        paths["chronology"] = f"/people/{person}/chronology/"
        paths["person"] = f"/people/{person}/"
    from diogelu.accounts.models import User
    from diogelu.oversight.models import Allocation

    manager = User.objects.filter(username="team.manager").first()
    if manager is not None and manager.team_id is not None:
        paths["team"] = f"/oversight/teams/{manager.team_id}/"
        paths["team_children"] = f"/oversight/teams/{manager.team_id}/children/"
        held = (
            Allocation.objects.filter(
                team_id=manager.team_id, ended_at__isnull=True, case__closed_at__isnull=True
            )
            .order_by("case__person_id")
            .values_list("case__person_id", flat=True)
            .first()
        )
        if held is not None:
            paths["child_oversight"] = f"/oversight/people/{held}/"
    from diogelu.oversight.models import Worker

    worker = Worker.objects.filter(user__username="social.worker").first()
    if worker is not None:
        paths["supervision_file"] = f"/oversight/workers/{worker.pk}/supervision/"
    return paths


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("pages", nargs="*", default=list(PAGES))
    parser.add_argument("--repeat", type=int, default=2)
    args = parser.parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "diogelu.settings")
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from diogelu.accounts.models import User
    from diogelu.accounts.services import create_api_token

    busiest = _busiest()
    print(f"{'page':24} {'status':>6} {'seconds':>8} {'queries':>8} {'bytes':>10}")
    for name in args.pages:
        username, path, *post = PAGES[name]
        if path.startswith("{"):
            if path.strip("{}") not in busiest:
                print(f"{name:24} (no such record in this database)")
                continue
            path = busiest[path.strip("{}")]
        user = User.objects.get(username=username)
        headers = {}
        if path.startswith("/api/"):
            _token, text = create_api_token(actor=user, name="bench.web.pages", days=1)
            headers["Authorization"] = f"Bearer {text}"
        client = Client(HTTP_HOST="127.0.0.1", headers=headers)
        client.force_login(user)
        for _ in range(args.repeat):
            with CaptureQueriesContext(connection) as ctx:
                started = time.perf_counter()
                response = client.post(path, post[0]) if post else client.get(path)
                elapsed = time.perf_counter() - started
        size = len(response.content)
        print(
            f"{name:24} {response.status_code:>6} {elapsed:>8.2f} "
            f"{len(ctx.captured_queries):>8} {size:>10}",
            flush=True,
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
