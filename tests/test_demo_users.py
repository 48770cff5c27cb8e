"""README, ``make run`` (``manage.py load_demo``) and the demo's users agree: every demo user is
printed and documented. Regression: mash.practitioner2 and chair.manager were in neither, and
`make run` printed 13 of 20 users."""

from __future__ import annotations

import re
from io import StringIO
from pathlib import Path

from django.core.management import call_command

from diogelu.accounts.models import User
from diogelu.demo import data

README = Path(__file__).resolve().parent.parent / "README.md"


def _readme_usernames() -> set[str]:
    text = README.read_text(encoding="utf-8")
    section = text.split("## Demo logins", 1)[1].split("\n## ", 1)[0]
    return {
        m
        for row in section.splitlines()
        if row.startswith("| `")
        for m in re.findall(r"^\| `([\w.*]+)`", row)
    }


def test_every_demo_user_is_documented_and_summarised() -> None:
    usernames = {u[0] for u in data.USERS}
    assert _readme_usernames() - {"ov.*"} == usernames
    assert "ov.*" in _readme_usernames()  # the oversight workforce, documented as a group
    assert set(data.ROLE_SUMMARY) == usernames


def test_load_demo_prints_every_demo_user(db: None, settings) -> None:
    settings.DEBUG = True  # as `make run` loads it
    out = StringIO()
    call_command("load_demo", households=3, stdout=out)
    printed = {
        line.split()[0]
        for line in out.getvalue().split("Demo logins", 1)[1].splitlines()[1:]
        if line.startswith("  ")
    }
    # Active users: the measures' history workers (history.*) are inactive and cannot sign in.
    everyone = set(User.objects.filter(is_active=True).values_list("username", flat=True))
    assert printed == everyone
    assert {u[0] for u in data.USERS} <= everyone
    assert all(u.startswith("ov.") for u in everyone - {u[0] for u in data.USERS})
