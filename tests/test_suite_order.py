"""The suite is collected longest file first (``conftest.py``), so that ``--dist loadfile``
starts the minutes-long files early instead of leaving them to hold the end of the run."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _root_conftest() -> Any:
    spec = importlib.util.spec_from_file_location("_root_conftest", ROOT / "conftest.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class _Item:
    def __init__(self, nodeid: str, *marks: pytest.MarkDecorator) -> None:
        self.nodeid = nodeid
        self._marks = {m.mark.name: m.mark for m in marks}

    def get_closest_marker(self, name: str) -> Any:
        return self._marks.get(name)


def test_the_longest_files_come_first_and_each_file_stays_whole_and_in_order() -> None:
    items: list[Any] = [
        _Item("a/test_many.py::one"),
        _Item("a/test_many.py::two"),
        _Item("a/test_many.py::three"),
        _Item("b/test_matrix.py::small"),
        _Item("b/test_browser.py::journey", pytest.mark.browser),
        _Item("b/test_matrix.py::big", pytest.mark.slow(seconds=240)),
        _Item("c/test_plain_slow.py::x", pytest.mark.slow),
        _Item("c/test_few.py::only"),
    ]
    _root_conftest().pytest_collection_modifyitems(None, items)
    assert [i.nodeid for i in items] == [
        "b/test_matrix.py::small",  # the file of a 240 s test, whole and in its own order
        "b/test_matrix.py::big",
        "c/test_plain_slow.py::x",  # slow without a figure: 30 s
        "b/test_browser.py::journey",  # a browser journey: 20 s
        "a/test_many.py::one",  # then the most tests first
        "a/test_many.py::two",
        "a/test_many.py::three",
        "c/test_few.py::only",
    ]
