"""The unscoped-query check catches what it is there to catch (and `make test` runs it)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
spec = importlib.util.spec_from_file_location("check", ROOT / "scripts" / "check_scoped_queries.py")
assert spec is not None and spec.loader is not None
check = importlib.util.module_from_spec(spec)
spec.loader.exec_module(check)


def test_flags_unscoped_manager_use():
    src = "from x import Person\ndef v(r):\n    return Person.objects.get(pk=1)\n"
    assert len(check.problems_in(src, "views.py")) == 1


def test_flags_get_object_or_404():
    src = "from django.shortcuts import get_object_or_404\ndef v(r):\n    return get_object_or_404(Foo, pk=1)\n"
    assert any("get_object_or_404" in p for p in check.problems_in(src, "views.py"))


def test_allows_visible_to_chain_and_non_case_models():
    src = (
        "def v(r):\n"
        "    a = Person.objects.visible_to(r.user).filter(x=1)\n"
        "    b = ApiToken.objects.filter(user=r.user)\n"
        "    return a, b\n"
    )
    assert check.problems_in(src, "views.py") == []


def test_the_project_is_clean():
    assert check.main(["check", str(ROOT / "diogelu")]) == 0


def test_finds_a_planted_violation(tmp_path):
    views = tmp_path / "app" / "views.py"
    views.parent.mkdir()
    views.write_text("def v(r):\n    return ChronologyEvent.objects.all()\n")
    assert check.main(["check", str(tmp_path)]) == 1
