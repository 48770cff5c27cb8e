"""The matching engine is a plain library: importing every module of it loads no Django and no
other part of Diogelu (the adapter that knows people lives in ``diogelu/people/matching_index.py``).
"""

from __future__ import annotations

import pkgutil
import subprocess
import sys
from pathlib import Path

import diogelu.matching

MODULES = sorted(
    f"diogelu.matching.{m.name}"
    for m in pkgutil.iter_modules(diogelu.matching.__path__)
    if m.name not in {"tests", "__main__"}
)

PROBE = """
import importlib, sys
for name in sys.argv[1:]:
    importlib.import_module(name)
loaded = sorted(
    m for m in sys.modules
    if m.split(".")[0] == "django"
    or (m.startswith("diogelu.") and not m.startswith("diogelu.matching"))
)
print("\\n".join(loaded))
"""


def test_every_matching_module_imports_without_django_or_another_app():
    assert "diogelu.matching.index" in MODULES and len(MODULES) > 10
    root = Path(diogelu.matching.__file__).parents[2]
    done = subprocess.run(
        [sys.executable, "-c", PROBE, "diogelu.matching", *MODULES],
        capture_output=True,
        text=True,
        cwd=root,
        check=True,
    )
    assert done.stdout.strip() == ""


def test_the_probe_would_see_django():
    """The check above can fail: the same probe, run on the people-side adapter and on Django,
    names both."""
    root = Path(diogelu.matching.__file__).parents[2]
    done = subprocess.run(
        [sys.executable, "-c", PROBE, "diogelu.people.matching_index", "django.db"],
        capture_output=True,
        text=True,
        cwd=root,
        check=False,
    )
    loaded = done.stdout.split()
    assert "diogelu.people.matching_index" in loaded
    assert "django.db" in loaded
