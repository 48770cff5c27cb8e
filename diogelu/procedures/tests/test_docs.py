"""docs/procedures.md carries the generated table of rules; it must match the data."""

from __future__ import annotations

from pathlib import Path

import pytest

from diogelu.procedures import load_rules
from diogelu.procedures.doctable import END_MARKER, START_MARKER, render_rules_table, replace_table

DOC = Path(__file__).resolve().parents[3] / "docs" / "procedures.md"


def test_docs_table_matches_the_rules():
    text = DOC.read_text("utf-8")
    table = render_rules_table(load_rules(environ={}))
    assert replace_table(text, table) == text, (
        "docs/procedures.md is out of date: run "
        "python -m diogelu.procedures.doctable --write docs/procedures.md"
    )
    assert START_MARKER in text
    assert END_MARKER in text


def test_every_rule_key_appears_in_the_docs():
    text = DOC.read_text("utf-8")
    for key in load_rules(environ={}):
        assert f"`{key}`" in text


def test_replace_table_needs_markers():
    with pytest.raises(ValueError, match="markers"):
        replace_table("no markers here", "| table |")
