"""Killing the process between the change and the delivery loses nothing (issue 3 §7;
SECURITY.md §1 row 19).

Each step runs in its own Python process against one database both processes share: a file
SQLite database made for the test on the embedded default, or the PostgreSQL test database
(``transactional_db``, so what the test sees is committed) when DATABASE_URL is set.

1. A process submits a report and dies (``os._exit(9)``) in the on-commit hook that would
   deliver it: the report and its outbox message are committed, nothing is delivered.
2. A fresh ``manage.py tick`` delivers it, once.
3. The relay itself is killed mid-batch; the next tick delivers every message, inbox items
   exactly once each.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from django.conf import settings
from django.db import connection

# transaction=True: on PostgreSQL the test database is shared with the subprocesses, so it must
# hold committed data and be flushed afterwards (not a rolled-back TestCase transaction).
pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

BASE_DIR = Path(settings.BASE_DIR)
KILLED = 9  # the exit status of os._exit(9)

PRELUDE = """
import json, os, sys
import django
django.setup()
from django.conf import settings
settings.EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
settings.EMAIL_FILE_PATH = os.environ["TEST_MAIL_DIR"]
from types import SimpleNamespace
from diogelu.accounts.models import Agency, AgencyKind, Role, User
from diogelu.notifications.models import InboxItem, OutboxMessage
"""

SETUP = """
from tests import factories as f
from diogelu.notifications.tests.helpers import draft_report
authority = f.agency(AgencyKind.LOCAL_AUTHORITY, "Glanrafon Children's Services")
school = f.agency(AgencyKind.SCHOOL, "Ysgol y Dderwen")
school.partner_of.add(authority)
f.user(authority, Role.MASH_PRACTITIONER, username="mash", email="mash@example.org")
f.user(authority, Role.TEAM_MANAGER, username="manager", email="manager@example.org")
lead = f.user(school, Role.SCHOOL_DSP, username="school", email="school@example.org")
draft = draft_report(SimpleNamespace(authority=authority, school_lead=lead))
print(json.dumps({"draft": draft.pk}), flush=True)
"""

CRASH_AFTER_COMMIT = """
from diogelu.notifications import services
from diogelu.referrals import services as referrals
from diogelu.referrals.models import Report

def die():  # the on-commit hook that would deliver: the process is killed right there
    os._exit(9)

services._kick = die
report = Report.objects.get(pk=int(sys.argv[1]))
referrals.submit_report(actor=report.created_by, report=report)
print("not killed", flush=True)
"""

STATE = """
from diogelu.referrals.models import Report
print(json.dumps({
    "reports": list(Report.objects.values_list("status", flat=True)),
    "messages": OutboxMessage.objects.count(),
    "pending": OutboxMessage.objects.filter(delivered_at__isnull=True).count(),
    "inbox": sorted(
        f"{i.message.dedupe_key}>{i.user.username}"
        for i in InboxItem.objects.select_related("message", "user")
    ),
}), flush=True)
"""

TICK = """
from django.core.management import call_command
call_command("tick")
"""

MANY_MESSAGES = """
from diogelu.notifications import services
from diogelu.notifications.services import enqueue
from tests import factories as f
services._kick = lambda: None  # leave them for the relay
authority = f.agency(AgencyKind.LOCAL_AUTHORITY, "Glanrafon Children's Services")
for name in ("mash", "manager", "duty"):
    f.user(authority, Role.MASH_PRACTITIONER, username=name, email=f"{name}@example.org")
for i in range(int(sys.argv[1])):
    enqueue(kind="REMINDER", dedupe_key=f"batch:{i}", subject=f"Message {i}",
            agency=authority, roles=[Role.MASH_PRACTITIONER])
print(json.dumps({"made": OutboxMessage.objects.count()}), flush=True)
"""

# Kill the relay on the n-th email, before (or just after) it is handed to the email backend.
KILL_RELAY = """
from diogelu.notifications import delivery
from diogelu.notifications.delivery import deliver_pending
real_send = delivery.send_mail
calls = 0

def send_mail(**kw):
    global calls
    calls += 1
    if calls == int(sys.argv[1]) and sys.argv[2] == "before":
        os._exit(9)
    result = real_send(**kw)
    if calls == int(sys.argv[1]) and sys.argv[2] == "after":
        os._exit(9)
    return result

delivery.send_mail = send_mail
deliver_pending()
print("not killed", flush=True)
"""


class Shared:
    """Run code in a separate process against the database this test shares with it."""

    def __init__(self, env: dict[str, str], mail_dir: Path) -> None:
        self.env = env
        self.mail_dir = mail_dir

    def run(self, code: str, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-c", PRELUDE + textwrap.dedent(code), *map(str, args)],
            cwd=BASE_DIR,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=180,
        )

    def json(self, code: str, *args: str) -> dict[str, Any]:
        done = self.run(code, *args)
        assert done.returncode == 0, done.stderr[-3000:]
        result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
        return result

    def state(self) -> dict[str, Any]:
        return self.json(STATE)

    def emails_to(self) -> list[str]:
        """One line per email sent (the file backend writes each email to the mail folder)."""
        return sorted(
            line.removeprefix("To: ").strip()
            for path in self.mail_dir.iterdir()
            for line in path.read_text().splitlines()
            if line.startswith("To: ")
        )


def base_env() -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DATABASE_URL", "SQLITE_PATH", "REDIS_URL", "DIOGELU_PROCEDURES_RULES")
    }
    env.update(DEBUG="1", DJANGO_SETTINGS_MODULE="diogelu.settings", PYTHONPATH=str(BASE_DIR))
    return env


@pytest.fixture(scope="module")
def migrated_sqlite(tmp_path_factory: pytest.TempPathFactory) -> Path | None:
    """A migrated SQLite file, made once for the module (None on PostgreSQL)."""
    if connection.vendor == "postgresql":
        return None
    path = tmp_path_factory.mktemp("sqlite") / "migrated.sqlite3"
    migrated = subprocess.run(
        [sys.executable, "manage.py", "migrate", "--no-input", "-v", "0"],
        cwd=BASE_DIR,
        env={**base_env(), "SQLITE_PATH": str(path)},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert migrated.returncode == 0, migrated.stderr[-3000:]
    return path


@pytest.fixture
def shared(tmp_path: Path, migrated_sqlite: Path | None) -> Shared:
    mail_dir = tmp_path / "mail"
    mail_dir.mkdir()
    env = {**base_env(), "TEST_MAIL_DIR": str(mail_dir)}
    if migrated_sqlite is None:  # PostgreSQL: the test database itself (committed data)
        db = connection.settings_dict
        auth = quote(db["USER"] or "", safe="")
        if db.get("PASSWORD"):
            auth += ":" + quote(db["PASSWORD"], safe="")
        env["DATABASE_URL"] = (
            f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
        )
        assert db["NAME"].startswith("test_"), "never point the subprocess at a real database"
    else:  # SQLite: a fresh copy of the migrated file for each test
        for part in migrated_sqlite.parent.glob(migrated_sqlite.name + "*"):
            shutil.copy(part, tmp_path / part.name.replace("migrated", "shared"))
        env["SQLITE_PATH"] = str(tmp_path / "shared.sqlite3")
    return Shared(env, mail_dir)


def test_killed_between_commit_and_delivery_loses_nothing(shared):
    draft = shared.json(SETUP)["draft"]

    crashed = shared.run(CRASH_AFTER_COMMIT, draft)
    assert crashed.returncode == KILLED, crashed.stdout + crashed.stderr[-3000:]
    assert "not killed" not in crashed.stdout

    # The change and its message are committed together; nothing was delivered.
    before = shared.state()
    assert before == {"reports": ["SUBMITTED"], "messages": 1, "pending": 1, "inbox": []}
    assert shared.emails_to() == []

    # A fresh process (cron's `manage.py tick`, or Celery beat) delivers it.
    ticked = shared.run(TICK)
    assert ticked.returncode == 0, ticked.stderr[-3000:]
    assert "delivered 1;" in ticked.stdout
    after = shared.state()
    key = f"report-received:{draft}"
    assert after["pending"] == 0
    assert after["inbox"] == [f"{key}>manager", f"{key}>mash"]
    assert shared.emails_to() == ["manager@example.org", "mash@example.org"]

    # And only once, however often the sweep runs.
    assert "delivered 0;" in shared.run(TICK).stdout
    assert shared.state()["inbox"] == after["inbox"]
    assert len(shared.emails_to()) == 2


@pytest.mark.parametrize("when", ["before", "after"])
def test_relay_killed_mid_batch_delivers_everything_once(shared, when):
    messages, users = 8, 3
    assert shared.json(MANY_MESSAGES, messages)["made"] == messages

    # Killed on the 10th email: the 4th message, first user (3 users a message).
    killed = shared.run(KILL_RELAY, 10, when)
    assert killed.returncode == KILLED, killed.stdout + killed.stderr[-3000:]
    mid = shared.state()
    assert mid["pending"] == messages - 3  # the first 3 messages committed, the rest pending
    assert len(mid["inbox"]) == 3 * users

    ticked = shared.run(TICK)
    assert ticked.returncode == 0, ticked.stderr[-3000:]
    assert f"delivered {messages - 3};" in ticked.stdout
    done = shared.state()
    assert done["pending"] == 0
    # In-app: every message reached every user exactly once.
    assert len(done["inbox"]) == len(set(done["inbox"])) == messages * users
    emails = shared.emails_to()
    if when == "before":
        # Killed before the email left: no email is sent twice.
        assert len(emails) == messages * users
    else:
        # Killed after an email left but before its delivery committed: that one email is sent
        # again (email is at-least-once; the in-app inbox is exactly once).
        assert len(emails) == messages * users + 1
    assert sorted(set(emails)) == ["duty@example.org", "manager@example.org", "mash@example.org"]
