"""Splink on the synthetic population runs the stronger of its two documented recipes there, the
deduplicate_50k_synthetic example's, by default; Splink's documented practice (model_create_h50k
and the other examples' choices) is reachable (issue 16, bench/matching/SPLINK.md). On
pseudopeople's census and register it runs its own pseudopeople example's settings, and ours
reads the joined file as the CLI does."""

from __future__ import annotations

import csv
from typing import Any

import pytest

from bench.matching import splink_runner, tasks
from diogelu.matching import csvio
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


def test_pseudopeople_task_gives_splink_the_example_columns_without_the_truth(monkeypatch):
    frames: list[Any] = []

    def pseudopeople(census: Any, ssa: Any) -> dict[str, Any]:
        frames.extend([census, ssa])
        return {"pairs": [("c0", "s0")], "clusters": {}}

    monkeypatch.setattr(splink_runner, "pseudopeople", pseudopeople)
    result = tasks.pseudopeople("splink")
    census, ssa = frames
    assert (len(census), len(ssa)) == (10_224, 16_497)
    assert list(census.columns) == list(ssa.columns)
    # pseudopeople's truth and household columns are not Splink's to see.
    assert not {"simulant_id", "household_id", "relationship_to_reference_person"} & set(
        census.columns
    )
    assert census["date_of_birth"].dropna().str.fullmatch(r"\d{4}-\d\d-\d\d").all()
    assert ssa["date_of_birth"].dropna().str.fullmatch(r"\d{4}-\d\d-\d\d").all()
    # The example compares middle initials: the register's middle name is cut to one.
    assert ssa["middle_initial"].dropna().str.len().eq(1).all()
    # The SSN (the register's only) as an identifier; no address in the register.
    assert census["ssn"].isna().all() and ssa["ssn"].notna().mean() > 0.99
    assert ssa["address"].isna().all() and census["address"].notna().mean() > 0.9
    assert result["pairwise"]["actual"] == 10_123


def test_pseudopeople_joined_file_needs_no_column_mapping(tmp_path):
    census, ssa = tasks._pp_sources()
    path = tmp_path / "people.csv"
    with path.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(tasks.PP_COLUMNS)
        writer.writerows(tasks._pp_joined(census[:50], ssa[:50]))
    records = csvio.read_records(path, {})
    c, s = records[0], records[50]
    assert (c.record_id, c.given_name, c.family_name) == (
        "c0",
        census[0]["first_name"],
        census[0]["last_name"],
    )
    assert c.date_of_birth is not None and c.date_of_birth.isoformat() == tasks._iso(
        census[0]["date_of_birth"]
    )
    assert s.date_of_birth is not None and s.date_of_birth.isoformat() == tasks._iso(
        ssa[0]["date_of_birth"]
    )
    assert s.identifier == ssa[0]["ssn"] and c.identifier is None
    assert c.address and c.address.startswith(census[0]["street_number"])


@pytest.mark.slow
def test_pseudopeople_recipe_is_the_examples(monkeypatch):
    linkers: list[Any] = []
    monkeypatch.setattr(splink_runner, "_finish", lambda linker: linkers.append(linker) or {})
    census, ssa = tasks._pp_sources()
    left, right = tasks._pp_splink_frames(census[:400], ssa[:400])
    splink_runner.pseudopeople(left, right)
    (linker,) = linkers
    settings = linker._settings_obj
    comparisons = {c.output_column_name: c for c in settings.comparisons}
    # pseudopeople-acs's six comparisons, and the SSN as febrl3 compares soc_sec_id.
    assert list(comparisons) == [
        "first_name",
        "middle_initial",
        "last_name",
        "date_of_birth",
        "address",
        "sex",
        "ssn",
    ]
    assert len(comparisons["first_name"].comparison_levels) == 4  # null, exact, JW 0.9, else
    assert comparisons["first_name"].comparison_levels[1]._tf_adjustment_column is not None
    assert len(comparisons["date_of_birth"].comparison_levels) == 4  # null, exact, DL 1, else
    assert len(comparisons["ssn"].comparison_levels) == 4  # null, exact, DL <= 2, else
    assert settings._link_type == "link_and_dedupe"
    assert len(settings._blocking_rules_to_generate_predictions) == 10  # the example's 9 + SSN
    assert settings._probability_two_random_records_match == pytest.approx(400 / (800 * 799 / 2))
