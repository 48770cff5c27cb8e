"""The UK probe written as a legacy system's export (``bench.matching.uk_probe extract``): the
CLI reads every field of it, so its clusters are those of the records matched directly."""

from __future__ import annotations

import csv

from bench.matching import tasks, uk_probe


def test_the_extract_holds_what_a_legacy_export_holds(tmp_path):
    recs, _ = uk_probe.records(uk_probe.people(30, 4), 4)
    path = tmp_path / "extract.csv"
    uk_probe.write_extract(path, recs, 4)
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and b"\r\n" in raw
    with path.open(newline="", encoding="utf-8-sig") as f:
        rows = list(csv.DictReader(f))
    assert tuple(rows[0]) == uk_probe.EXTRACT_HEADER
    assert len(rows) == len(recs)
    dates = [row["D.O.B."] for row in rows if row["D.O.B."]]
    assert any("/" in d for d in dates) and any("-" in d and ":" in d for d in dates)
    assert {row["Gender"] for row in rows} & {"Male", "Female", "male", "female"}
    assert any(" " in row["NHS No."] for row in rows)
    assert any(row["Surname"].isupper() for row in rows)


def test_the_cli_reads_the_extract_as_the_records_themselves():
    """Every field read (the address from "Address Line 1", the dates in four formats, the
    sexes and NHS numbers as written): the same clusters as the records matched directly."""
    population = uk_probe.people(150, 5)
    recs, truth = uk_probe.records(population, 5)
    direct = tasks.ours_dedupe(recs)["labels"]
    extract = uk_probe.through_the_cli(recs, 5)["labels"]

    def partition(labels):
        groups: dict[object, set[int]] = {}
        for i, label in enumerate(labels):
            groups.setdefault(label, set()).add(i)
        return sorted(sorted(g) for g in groups.values())

    assert partition(extract) == partition(direct)
    assert any(len(g) > 1 for g in partition(extract))
    assert len(recs) == len(truth) > 500
