"""Personas for ``make bench-web`` (locust, headless; ADR 0741).

Each persona is a user of the demo (or of a generated authority whose demo users exist) signed in
with a session made by ``bench/web/run.py`` — sign-in and MFA are not what is measured — and
requests the pages that persona lives in. Every persona also requests the trivial view
(``/healthz``: one ``SELECT 1``) so that each page's times can be read as a ratio to it in the
same run. Targets (ids, cookies, tokens) come from the JSON file named by ``BENCH_WEB_TARGETS``.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from locust import HttpUser, between, task

TARGETS: dict[str, Any] = json.loads(Path(os.environ["BENCH_WEB_TARGETS"]).read_text("utf-8"))


class _Signed(HttpUser):
    abstract = True
    wait_time = between(0.2, 0.6)
    persona = ""

    def on_start(self) -> None:
        me = TARGETS["personas"][self.persona]
        # The TLS-terminating proxy's header (BEHIND_PROXY=1): the app sees https, as in production.
        self.client.headers.update(
            {
                "X-Forwarded-Proto": "https",
                "Cookie": "; ".join(f"{k}={v}" for k, v in me["cookies"].items()),
            }
        )
        if me.get("token"):
            self.client.headers["Authorization"] = f"Bearer {me['token']}"
        self.csrf = me["cookies"].get(TARGETS["csrf_cookie"], "")

    def page(self, name: str, path: str) -> None:
        with self.client.get(path, name=name, catch_response=True, allow_redirects=False) as r:
            if r.status_code != 200:
                r.failure(f"{r.status_code}")

    def search(self, name: str) -> None:
        host = (self.host or "").split("://", 1)[-1]
        with self.client.post(
            "/people/",
            data={"name": TARGETS["search_name"], "csrfmiddlewaretoken": self.csrf},
            headers={"Referer": f"https://{host}/people/"},
            name=name,
            catch_response=True,
            allow_redirects=False,
        ) as r:
            if r.status_code != 200:
                r.failure(f"{r.status_code}")

    @task(2)
    def trivial(self) -> None:
        self.page("trivial", "/healthz")


class MashPractitioner(_Signed):
    persona = "mash"

    @task(2)
    def my_work(self) -> None:
        self.page("my work (MASH)", "/")

    @task(2)
    def people_search(self) -> None:
        self.search("people search")

    @task(2)
    def person_summary(self) -> None:
        self.page("person summary", f"/people/{TARGETS['child']}/")

    @task(1)
    def chronology(self) -> None:
        self.page("chronology", f"/people/{TARGETS['child']}/chronology/")

    @task(1)
    def mash_dashboard(self) -> None:
        self.page("MASH dashboard", "/mash/")

    @task(1)
    def request_queue(self) -> None:
        self.page("request queue (MASH)", "/requests/")

    @task(1)
    def reports(self) -> None:
        self.page("reports list", "/mash/reports/")


class ConferenceChair(_Signed):
    persona = "chair"

    @task(1)
    def conference(self) -> None:
        self.page("conference page", f"/conferences/{TARGETS['conference']}/")

    @task(1)
    def register(self) -> None:
        self.page("register list", "/register/")


class PoliceOfficer(_Signed):
    persona = "police"

    @task(2)
    def my_work(self) -> None:
        self.page("my work (police)", "/")

    @task(2)
    def request_queue(self) -> None:
        self.page("request queue (police)", "/requests/")


class TeamManager(_Signed):
    persona = "manager"

    @task(1)
    def my_work(self) -> None:
        self.page("my work (manager)", "/")

    @task(1)
    def team_dashboard(self) -> None:
        self.page("team dashboard", f"/oversight/teams/{TARGETS['team']}/")


class HeadOfService(_Signed):
    persona = "head"

    @task(1)
    def performance(self) -> None:
        self.page("performance dashboard", "/performance/")

    @task(1)
    def service(self) -> None:
        self.page("oversight (service)", "/oversight/")


class AgencySystem(_Signed):
    persona = "api"

    @task(2)
    def api_people(self) -> None:
        self.page("API people list", "/api/v1/people/")

    @task(1)
    def api_reports(self) -> None:
        self.page("API reports list", "/api/v1/reports/")
