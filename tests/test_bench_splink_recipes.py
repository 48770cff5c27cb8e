"""Splink on the synthetic population runs the stronger of its two documented recipes there, the
deduplicate_50k_synthetic example's, by default; Splink's documented practice (model_create_h50k
and the other examples' choices) is reachable (issue 16, bench/matching/SPLINK.md)."""

from __future__ import annotations

from typing import Any

import pytest

from bench.matching import splink_runner, tasks
from diogelu.matching.synth import generate


def test_synth_task_runs_the_example_recipe_unless_asked_for_the_documented_one(monkeypatch):
    asked: list[str] = []

    def people(df: Any, recipe: str = "example") -> dict[str, Any]:
        asked.append(recipe)
        return {"pairs": [], "clusters": {}}

    monkeypatch.setattr(splink_runner, "people", people)
    tasks.synth("splink", "50")
    tasks.synth("splink", "50", "documented")
    assert asked == ["example", "documented"]


def test_an_unknown_recipe_is_refused():
    with pytest.raises(ValueError, match="unknown recipe"):
        splink_runner.people(tasks._people_frame(generate(10).records), recipe="tuned")


@pytest.mark.slow
def test_each_recipe_trains_its_own_comparisons(monkeypatch):
    linkers: list[Any] = []
    monkeypatch.setattr(splink_runner, "_finish", lambda linker: linkers.append(linker) or {})
    df = tasks._people_frame(generate(400).records)
    splink_runner.people(df, recipe="documented")
    splink_runner.people(df)
    documented, example = (
        {c.output_column_name: c for c in linker._settings_obj.comparisons} for linker in linkers
    )
    # Documented practice: each name on its own with term frequencies (model_create_h50k,
    # febrl4), the address by Damerau-Levenshtein (pseudopeople-acs), the NHS number as an
    # identifier at Damerau-Levenshtein <= 2 (febrl3).
    assert list(documented) == [
        "first_name",
        "surname",
        "dob",
        "postcode",
        "address",
        "nhs_number",
        "gender",
    ]
    assert documented["first_name"].comparison_levels[1]._tf_adjustment_column is not None
    assert len(documented["nhs_number"].comparison_levels) == 4  # null, exact, DL <= 2, else
    assert len(documented["address"].comparison_levels) == 5  # null, exact, DL 1, DL 2, else
    assert "first_name_surname" in example  # the example's ForenameSurname comparison
    assert len(example["nhs_number"].comparison_levels) == 3  # exact match only
