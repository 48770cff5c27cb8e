"""Splink 5 on DuckDB with Splink's own tutorial settings, for comparison.

historical_50k uses, by default, the settings of Splink's own historical_50k model,
docs/demos/demo_settings/model_create_h50k.nb.py (the script that makes model_h50k.json): the
settings behind the reference figures quoted for Splink on historical_50k (pairwise F1 0.774,
clustered 0.852; bench/matching/SPLINK.md). ``recipe="example"`` runs the
"deduplicate_50k_synthetic" example instead. The synthetic population uses, by default, the same
model_create_h50k practice on its columns, with the identifier and address comparisons of Splink's
febrl3, febrl4 and pseudopeople-acs examples (``recipe="example"``: the deduplicate_50k_synthetic
recipe on its columns, as before). Returns pairs at match probability >= 0.5 and clusters at 0.95
(Splink's example), for every recipe and data set.
"""

from __future__ import annotations

import logging
from typing import Any

import pandas as pd


def _imports() -> tuple[Any, Any, Any, Any, Any]:
    logging.getLogger("splink").setLevel(logging.ERROR)
    import splink.comparison_library as cl
    from splink import DuckDBAPI, Linker, SettingsCreator, block_on

    return cl, DuckDBAPI, Linker, SettingsCreator, block_on


def _finish(linker: Any, threshold: float = 0.5, cluster_at: float = 0.95) -> dict[str, Any]:
    predictions = linker.inference.predict(threshold_match_probability=0.2)
    clusters = linker.clustering.cluster_pairwise_predictions_at_threshold(
        predictions, threshold_match_probability=cluster_at
    )
    pairs = predictions.as_pandas_dataframe()
    pairs = pairs[pairs["match_probability"] >= threshold]
    return {
        "pairs": list(
            zip(pairs["unique_id_l"].astype(str), pairs["unique_id_r"].astype(str), strict=True)
        ),
        "clusters": dict(
            zip(
                clusters.as_pandas_dataframe()["unique_id"].astype(str),
                clusters.as_pandas_dataframe()["cluster_id"].astype(str),
                strict=True,
            )
        ),
    }


def historical(df: pd.DataFrame, finish: bool = True, recipe: str = "model_h50k") -> Any:
    """Splink on historical_50k; ``finish`` False returns the trained linker.

    ``recipe`` "model_h50k" (the default) is Splink's model_create_h50k settings, the ones its
    reference figures were made with; "example" is its deduplicate_50k_synthetic example."""
    if recipe == "example":
        return _historical_example(df, finish)
    if recipe != "model_h50k":
        raise ValueError(f"unknown recipe {recipe!r}")
    cl, DuckDBAPI, Linker, SettingsCreator, block_on = _imports()  # noqa: N806
    settings = SettingsCreator(
        link_type="dedupe_only",
        blocking_rules_to_generate_predictions=_h50k_blocking(block_on),
        comparisons=[
            # As the script writes them; in Splink 5.0 configure(...=False) does not remove
            # NameComparison's own term frequencies, so the names keep them (SPLINK.md).
            cl.NameComparison("first_name").configure(term_frequency_adjustments=False),
            cl.NameComparison("surname").configure(term_frequency_adjustments=False),
            cl.DateOfBirthComparison("dob", input_is_string=True),
            cl.PostcodeComparison("postcode_fake"),
            cl.ExactMatch("birth_place").configure(term_frequency_adjustments=False),
            cl.ExactMatch("occupation").configure(term_frequency_adjustments=False),
        ],
        retain_intermediate_calculation_columns=True,
    )
    db = DuckDBAPI()
    linker = Linker(db.register(df), settings, log_level=logging.ERROR)
    linker.training.estimate_probability_two_random_records_match(
        [
            "l.first_name = r.first_name and l.surname = r.surname and l.dob = r.dob",
            "substr(l.first_name,1,2) = substr(r.first_name,1,2) and l.surname = r.surname "
            "and substr(l.postcode_fake,1,2) = substr(r.postcode_fake,1,2)",
            "l.dob = r.dob and l.postcode_fake = r.postcode_fake",
        ],
        recall=0.6,
    )
    linker.training.estimate_u_using_random_sampling(max_pairs=5e6)
    linker.training.estimate_parameters_using_expectation_maximisation(
        block_on("first_name", "surname"), estimate_without_term_frequencies=True
    )
    linker.training.estimate_parameters_using_expectation_maximisation(
        block_on("dob"), estimate_without_term_frequencies=True
    )
    return _finish(linker) if finish else linker


def _h50k_blocking(block_on: Any) -> list[Any]:
    """The ten blocking rules shared by Splink's historical_50k example and model_create_h50k."""
    return [
        block_on("substr(first_name,1,3)", "substr(surname,1,4)"),
        block_on("surname", "dob"),
        block_on("first_name", "dob"),
        block_on("postcode_fake", "first_name"),
        block_on("postcode_fake", "surname"),
        block_on("dob", "birth_place"),
        block_on("substr(postcode_fake,1,3)", "dob"),
        block_on("substr(postcode_fake,1,3)", "first_name"),
        block_on("substr(postcode_fake,1,3)", "surname"),
        block_on("substr(first_name,1,2)", "substr(surname,1,2)", "substr(dob,1,4)"),
    ]


def _historical_example(df: pd.DataFrame, finish: bool = True) -> Any:
    """Splink's deduplicate_50k_synthetic example (docs/demos/examples/duckdb)."""
    cl, DuckDBAPI, Linker, SettingsCreator, block_on = _imports()  # noqa: N806
    df = df.copy()
    df["first_name_surname_concat"] = df["first_name"] + " " + df["surname"]
    settings = SettingsCreator(
        link_type="dedupe_only",
        blocking_rules_to_generate_predictions=_h50k_blocking(block_on),
        comparisons=[
            cl.ForenameSurnameComparison(
                "first_name",
                "surname",
                forename_surname_concat_col_name="first_name_surname_concat",
            ),
            cl.DateOfBirthComparison("dob", input_is_string=True),
            cl.PostcodeComparison("postcode_fake"),
            cl.ExactMatch("birth_place").configure(term_frequency_adjustments=True),
            cl.ExactMatch("occupation").configure(term_frequency_adjustments=True),
        ],
        retain_intermediate_calculation_columns=True,
    )
    db = DuckDBAPI()
    linker = Linker(db.register(df), settings, log_level=logging.ERROR)
    linker.training.estimate_probability_two_random_records_match(
        [
            block_on("first_name", "surname", "dob"),
            block_on("substr(first_name,1,2)", "surname", "substr(postcode_fake,1,2)"),
            block_on("dob", "postcode_fake"),
        ],
        recall=0.6,
    )
    linker.training.estimate_u_using_random_sampling(max_pairs=1e7)
    linker.training.estimate_parameters_using_expectation_maximisation(
        block_on("first_name", "surname"), estimate_without_term_frequencies=True
    )
    linker.training.estimate_parameters_using_expectation_maximisation(
        block_on("dob"), estimate_without_term_frequencies=True
    )
    return _finish(linker) if finish else linker


def people(df: pd.DataFrame, recipe: str = "example") -> dict[str, Any]:
    """Splink on the synthetic population (columns first_name, surname, dob, postcode, address,
    nhs_number, gender).

    ``recipe`` "example" (the default) is the deduplicate_50k_synthetic example's recipe on
    these columns; "documented" follows Splink's documented practice as closely as the columns
    allow (the source of each choice is in bench/matching/SPLINK.md): the model_create_h50k
    settings with first name and surname compared separately, term-frequency adjustments on
    names and address, the NHS number compared as an identifier; u by random sampling, m by EM
    over two blocking rules. The benchmark compares ours with the stronger of the two on this
    data, the example's (a weaker Splink would be a straw man): 0.522 against 0.472 clustered at
    100,000."""
    if recipe == "example":
        return _people_example(df)
    if recipe != "documented":
        raise ValueError(f"unknown recipe {recipe!r}")
    cl, DuckDBAPI, Linker, SettingsCreator, block_on = _imports()  # noqa: N806
    settings = SettingsCreator(
        link_type="dedupe_only",
        # model_create_h50k's ten rules (postcode_fake is postcode; birth place, the only other
        # place column there, is the address here), and the identifier on its own as in the
        # febrl3 and febrl4 examples (soc_sec_id).
        blocking_rules_to_generate_predictions=[
            block_on("substr(first_name,1,3)", "substr(surname,1,4)"),
            block_on("surname", "dob"),
            block_on("first_name", "dob"),
            block_on("postcode", "first_name"),
            block_on("postcode", "surname"),
            block_on("dob", "address"),
            block_on("substr(postcode,1,3)", "dob"),
            block_on("substr(postcode,1,3)", "first_name"),
            block_on("substr(postcode,1,3)", "surname"),
            block_on("substr(first_name,1,2)", "substr(surname,1,2)", "substr(dob,1,4)"),
            block_on("nhs_number"),
        ],
        comparisons=[
            # model_create_h50k: each name on its own; term frequencies on names as in the
            # febrl4 and pseudopeople-acs examples (NameComparison has them anyway in Splink 5.0).
            cl.NameComparison("first_name").configure(term_frequency_adjustments=True),
            cl.NameComparison("surname").configure(term_frequency_adjustments=True),
            cl.DateOfBirthComparison("dob", input_is_string=True),
            cl.PostcodeComparison("postcode"),
            # pseudopeople-acs: a whole address string, Damerau-Levenshtein 1 and 2, with
            # term frequencies.
            cl.DamerauLevenshteinAtThresholds("address").configure(term_frequency_adjustments=True),
            # febrl3 / febrl4: the identifier (soc_sec_id) at Damerau-Levenshtein <= 2.
            cl.DamerauLevenshteinAtThresholds("nhs_number", [2]),
            # pseudopeople-acs: sex exact, no term frequencies.
            cl.ExactMatch("gender"),
        ],
        retain_intermediate_calculation_columns=True,
    )
    db = DuckDBAPI()
    linker = Linker(db.register(df), settings, log_level=logging.ERROR)
    # model_create_h50k's three deterministic rules and recall; the identifier among them as in
    # the febrl3 example and the training guide (training_rationale.md).
    linker.training.estimate_probability_two_random_records_match(
        [
            block_on("first_name", "surname", "dob"),
            "substr(l.first_name,1,2) = substr(r.first_name,1,2) and l.surname = r.surname "
            "and substr(l.postcode,1,2) = substr(r.postcode,1,2)",
            block_on("dob", "postcode"),
            block_on("nhs_number"),
        ],
        recall=0.6,
    )
    # The training guide and tutorial: "at least 10 million" pairs (max_pairs=1e7).
    linker.training.estimate_u_using_random_sampling(max_pairs=1e7)
    # m by EM: names, then date of birth (model_create_h50k, tutorial 04).
    for rule in (block_on("first_name", "surname"), block_on("dob")):
        linker.training.estimate_parameters_using_expectation_maximisation(
            rule, estimate_without_term_frequencies=True
        )
    return _finish(linker)


def _people_example(df: pd.DataFrame) -> dict[str, Any]:
    """The deduplicate_50k_synthetic example's recipe on the synthetic population's columns
    (adds NHS number and address): the benchmark's recipe until issue 16."""
    cl, DuckDBAPI, Linker, SettingsCreator, block_on = _imports()  # noqa: N806
    df = df.copy()
    df["first_name_surname_concat"] = df["first_name"] + " " + df["surname"]
    settings = SettingsCreator(
        link_type="dedupe_only",
        blocking_rules_to_generate_predictions=[
            block_on("substr(first_name,1,3)", "substr(surname,1,4)"),
            block_on("surname", "dob"),
            block_on("first_name", "dob"),
            block_on("postcode", "first_name"),
            block_on("postcode", "surname"),
            block_on("nhs_number"),
            block_on("substr(postcode,1,3)", "dob"),
            block_on("substr(first_name,1,2)", "substr(surname,1,2)", "substr(dob,1,4)"),
        ],
        comparisons=[
            cl.ForenameSurnameComparison(
                "first_name",
                "surname",
                forename_surname_concat_col_name="first_name_surname_concat",
            ),
            cl.DateOfBirthComparison("dob", input_is_string=True),
            cl.PostcodeComparison("postcode"),
            cl.ExactMatch("address").configure(term_frequency_adjustments=True),
            cl.ExactMatch("nhs_number"),
            cl.ExactMatch("gender"),
        ],
        retain_intermediate_calculation_columns=True,
    )
    db = DuckDBAPI()
    linker = Linker(db.register(df), settings, log_level=logging.ERROR)
    linker.training.estimate_probability_two_random_records_match(
        [block_on("first_name", "surname", "dob"), block_on("dob", "postcode")], recall=0.6
    )
    linker.training.estimate_u_using_random_sampling(max_pairs=5e6)
    linker.training.estimate_parameters_using_expectation_maximisation(
        block_on("first_name", "surname"), estimate_without_term_frequencies=True
    )
    linker.training.estimate_parameters_using_expectation_maximisation(
        block_on("dob"), estimate_without_term_frequencies=True
    )
    return _finish(linker)


def febrl4(df_a: pd.DataFrame, df_b: pd.DataFrame) -> dict[str, Any]:
    """Splink's FEBRL4 link-only example recipe."""
    cl, DuckDBAPI, Linker, SettingsCreator, block_on = _imports()  # noqa: N806
    settings = SettingsCreator(
        link_type="link_only",
        blocking_rules_to_generate_predictions=[
            block_on("given_name", "surname"),
            block_on("surname", "date_of_birth"),
            block_on("given_name", "date_of_birth"),
            block_on("postcode", "date_of_birth"),
            block_on("soc_sec_id"),
        ],
        comparisons=[
            cl.NameComparison("given_name").configure(term_frequency_adjustments=True),
            cl.NameComparison("surname").configure(term_frequency_adjustments=True),
            cl.DateOfBirthComparison(
                "date_of_birth", input_is_string=True, datetime_format="%Y%m%d"
            ),
            cl.DamerauLevenshteinAtThresholds("soc_sec_id", [2]),
            cl.ExactMatch("street_number"),
            cl.PostcodeComparison("postcode"),
            cl.ExactMatch("suburb").configure(term_frequency_adjustments=True),
        ],
        retain_intermediate_calculation_columns=True,
    )
    db = DuckDBAPI()
    linker = Linker([db.register(df_a), db.register(df_b)], settings, log_level=logging.ERROR)
    linker.training.estimate_probability_two_random_records_match(
        [block_on("given_name", "surname", "date_of_birth")], recall=0.8
    )
    linker.training.estimate_u_using_random_sampling(max_pairs=5e6)
    linker.training.estimate_parameters_using_expectation_maximisation(
        block_on("given_name", "surname")
    )
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("date_of_birth"))
    return _finish(linker)


def febrl3(df: pd.DataFrame) -> dict[str, Any]:
    """Splink's FEBRL3 dedupe example (docs/demos/examples/duckdb/febrl3): its blocking rules,
    comparisons, prior from deterministic rules at recall 0.9, u from 1e6 pairs (seed 2), EM
    blocked on date of birth, then on postcode."""
    cl, DuckDBAPI, Linker, SettingsCreator, block_on = _imports()  # noqa: N806
    blocking_rules = [
        block_on("soc_sec_id"),
        block_on("given_name"),
        block_on("surname"),
        block_on("date_of_birth"),
        block_on("postcode"),
    ]
    settings = SettingsCreator(
        unique_id_column_name="unique_id",
        link_type="dedupe_only",
        blocking_rules_to_generate_predictions=blocking_rules,
        comparisons=[
            cl.NameComparison("given_name"),
            cl.NameComparison("surname"),
            cl.DateOfBirthComparison(
                "date_of_birth", input_is_string=True, datetime_format="%Y%m%d"
            ),
            cl.DamerauLevenshteinAtThresholds("soc_sec_id", [2]),
            cl.ExactMatch("street_number").configure(term_frequency_adjustments=True),
            cl.ExactMatch("postcode").configure(term_frequency_adjustments=True),
        ],
        retain_intermediate_calculation_columns=True,
    )
    db = DuckDBAPI()
    linker = Linker(db.register(df), settings, log_level=logging.ERROR)
    linker.training.estimate_probability_two_random_records_match(
        [
            block_on("soc_sec_id"),
            block_on("given_name", "surname", "date_of_birth"),
            "l.given_name = r.surname and l.surname = r.given_name "
            "and l.date_of_birth = r.date_of_birth",
        ],
        recall=0.9,
    )
    linker.training.estimate_u_using_random_sampling(max_pairs=1e6, seed=2)
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("date_of_birth"))
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("postcode"))
    return _finish(linker)


def fake_1000(df: pd.DataFrame) -> dict[str, Any]:
    """Splink's fake_1000 example (docs/demos/examples/duckdb/accuracy_analysis_from_labels_column):
    its blocking rules and comparisons, prior from deterministic rules at recall 0.7, u from 1e6
    pairs (seed 5), EM blocked on date of birth, email, then first name and surname."""
    cl, DuckDBAPI, Linker, SettingsCreator, block_on = _imports()  # noqa: N806
    settings = SettingsCreator(
        link_type="dedupe_only",
        blocking_rules_to_generate_predictions=[
            block_on("first_name"),
            block_on("surname"),
            block_on("dob"),
            block_on("email"),
        ],
        comparisons=[
            cl.ForenameSurnameComparison("first_name", "surname"),
            cl.DateOfBirthComparison("dob", input_is_string=True),
            cl.ExactMatch("city").configure(term_frequency_adjustments=True),
            cl.EmailComparison("email"),
        ],
        retain_intermediate_calculation_columns=True,
    )
    db = DuckDBAPI()
    linker = Linker(db.register(df), settings, log_level=logging.ERROR)
    linker.training.estimate_probability_two_random_records_match(
        [
            "l.first_name = r.first_name and levenshtein(r.dob, l.dob) <= 1",
            "l.surname = r.surname and levenshtein(r.dob, l.dob) <= 1",
            "l.first_name = r.first_name and levenshtein(r.surname, l.surname) <= 2",
            "l.email = r.email",
        ],
        recall=0.7,
    )
    linker.training.estimate_u_using_random_sampling(max_pairs=1e6, seed=5)
    for rule in (block_on("dob"), block_on("email"), block_on("first_name", "surname")):
        linker.training.estimate_parameters_using_expectation_maximisation(
            rule, estimate_without_term_frequencies=True
        )
    return _finish(linker)


def pseudopeople(census: pd.DataFrame, ssa: pd.DataFrame) -> dict[str, Any]:
    """Splink's own pseudopeople example (docs/demos/examples/duckdb_no_test/
    pseudopeople-acs.nb.py: the 2020 census linked to the ACS) on pseudopeople's census and Social
    Security register (``tasks._pp_splink_frames``'s columns). Its blocking rules, comparisons,
    term frequencies, prior and training, adapted as bench/matching/SPLINK.md says: both files
    together (the register holds one person twice), the SSN as an identifier (febrl3), u from
    1e7 pairs (the example's own advice), dates in ISO form."""
    cl, DuckDBAPI, Linker, SettingsCreator, block_on = _imports()  # noqa: N806
    # The example's prior, "everyone in the smaller file is in the larger" (there: the ACS's
    # rows over census x ACS comparisons), over the comparisons of both files together.
    n = len(census) + len(ssa)
    prior = min(len(census), len(ssa)) / (n * (n - 1) / 2)
    settings = SettingsCreator(
        link_type="link_and_dedupe",
        blocking_rules_to_generate_predictions=[
            # The example's nine rules ...
            block_on("first_name"),
            block_on("last_name"),
            block_on("date_of_birth"),
            block_on("street_name"),
            block_on("age_in_2020", "sex"),
            block_on("age_in_2020", "race_ethnicity"),
            block_on("age_in_2020", "middle_initial"),
            block_on("street_number"),
            block_on("middle_initial", "sex", "race_ethnicity"),
            # ... and the identifier on its own, as in the febrl3 and febrl4 examples.
            block_on("ssn"),
        ],
        comparisons=[
            cl.NameComparison("first_name", jaro_winkler_thresholds=[0.9]).configure(
                term_frequency_adjustments=True
            ),
            cl.ExactMatch("middle_initial").configure(term_frequency_adjustments=True),
            cl.NameComparison("last_name", jaro_winkler_thresholds=[0.9]).configure(
                term_frequency_adjustments=True
            ),
            cl.DamerauLevenshteinAtThresholds(
                "date_of_birth", distance_threshold_or_thresholds=[1]
            ),
            cl.DamerauLevenshteinAtThresholds("address").configure(term_frequency_adjustments=True),
            cl.ExactMatch("sex"),
            # febrl3 / febrl4: the identifier (soc_sec_id) at Damerau-Levenshtein <= 2.
            cl.DamerauLevenshteinAtThresholds("ssn", [2]),
        ],
        retain_intermediate_calculation_columns=True,
        probability_two_random_records_match=prior,
    )
    db = DuckDBAPI()
    linker = Linker(
        [
            db.register(census, dataset_display_name="census"),
            db.register(ssa, dataset_display_name="ssa"),
        ],
        settings,
        log_level=logging.ERROR,
    )
    # The example runs 1e6 "for the purpose of this demo" and recommends "1e7 or more".
    linker.training.estimate_u_using_random_sampling(max_pairs=1e7)
    for rule in (block_on("date_of_birth"), block_on("last_name")):
        linker.training.estimate_parameters_using_expectation_maximisation(
            rule, estimate_without_term_frequencies=True
        )
    return _finish(linker)
