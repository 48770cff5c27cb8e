"""The plan of the house holds (.importlinter, docs/architecture.md), and a broken import fails
with the name of the rule it breaks.

The broken cases run ``lint-imports`` on a copy of the package with one module added, so the
real tree is never touched.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")

WORKFLOW = "Workflow order: plans > conferences > sharing | enquiries > referrals"
LOWER = "Generic lower layers (core, procedures, matching, notifications, accounts,"
ENGINES = "procedures and matching are plain Python: no Django, no other part of Diogelu"
SIBLINGS = "Sibling workflow apps are independent: sharing and enquiries import neither each"
SHARED_API = "diogelu/api keeps only what every API shares"
NO_CYCLES = "No circle between apps (the packages directly under diogelu/)"


def lint_imports(root: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache", "--config", str(root / ".importlinter")],
        capture_output=True,
        text=True,
        cwd=root,
        env={"PYTHONPATH": str(root), "PATH": "/usr/bin:/bin", "COLUMNS": "200"},
        check=False,
    )


def test_the_plan_holds():
    done = lint_imports(ROOT)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Contracts: 6 kept, 0 broken." in done.stdout


@pytest.fixture(scope="module")
def copy_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the package and the contracts (no tests, templates or static files needed)."""
    root = tmp_path_factory.mktemp("house")
    shutil.copytree(
        ROOT / "diogelu",
        root / "diogelu",
        ignore=shutil.ignore_patterns("static", "locale", "jinja2", "__pycache__", "*.json"),
    )
    shutil.copy(ROOT / ".importlinter", root / ".importlinter")
    return root


@pytest.mark.parametrize(
    ("module", "source", "rules"),
    [
        # An earlier workflow app reaching up to a later one.
        (
            "diogelu/referrals/_broken.py",
            "from diogelu.conferences import models\n",
            {WORKFLOW, NO_CYCLES},
        ),
        # The MASH report page reaching sharing again instead of its port (ADR 0750).
        (
            "diogelu/referrals/_broken.py",
            "from diogelu.sharing import services\n",
            {WORKFLOW, NO_CYCLES},
        ),
        # A lower layer reaching a workflow app (people knows no referral).
        ("diogelu/people/_broken.py", "from diogelu.referrals import models\n", {LOWER, NO_CYCLES}),
        # The matching engine importing Django.
        ("diogelu/matching/_broken.py", "import django.db\n", {ENGINES}),
        # The report API borrowing sharing's serializers again instead of the parts sharing
        # registers with it (ADR 0770).
        (
            "diogelu/referrals/api/_broken.py",
            "from diogelu.sharing.api.serializers import OutcomeSerializer\n",
            {WORKFLOW, NO_CYCLES},
        ),
        # A sibling importing its sibling (neither imports the other: no circle, ADR 0770).
        (
            "diogelu/sharing/_broken.py",
            "from diogelu.enquiries import forms\n",
            {SIBLINGS},
        ),
        # Enquiries sharing an outcome through sharing's services again instead of referrals'
        # hook (ADR 0770).
        (
            "diogelu/enquiries/_broken.py",
            "from diogelu.sharing import services\n",
            {SIBLINGS},
        ),
        # The copy itself passes (so each failure below is the added import's).
        ("diogelu/api/_broken.py", "", set()),
        # The shared API package knowing an app: every app's API then reaches sharing through it.
        (
            "diogelu/api/schema.py",
            "from diogelu.sharing import models\n",
            {SHARED_API, WORKFLOW, LOWER, SIBLINGS, NO_CYCLES},
        ),
        # Notifications, the generic outbox, importing a domain app again.
        (
            "diogelu/notifications/_broken.py",
            "from diogelu.sharing import services\n",
            {LOWER, NO_CYCLES},
        ),
    ],
)
def test_a_broken_import_fails_with_the_rule_it_breaks(copy_root, module, source, rules):
    target = copy_root / module
    before = target.read_text() if target.exists() else None
    target.write_text((before or "") + source)
    try:
        done = lint_imports(copy_root)
    finally:
        if before is None:
            target.unlink()
        else:
            target.write_text(before)
    if not rules:
        assert done.returncode == 0, done.stdout + done.stderr
        return
    assert done.returncode == 1, done.stdout + done.stderr
    flat = " ".join(done.stdout.split("Broken contracts", 1)[-1].split())
    for rule in rules:
        assert " ".join(rule.split()) in flat, f"{rule!r} not reported as broken:\n{done.stdout}"
    others = {WORKFLOW, LOWER, ENGINES, SIBLINGS, SHARED_API, NO_CYCLES} - rules
    for rule in others:
        assert " ".join(rule.split()) not in flat, f"{rule!r} broken too:\n{done.stdout}"
