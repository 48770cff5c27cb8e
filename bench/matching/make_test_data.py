"""Write the small labelled set that `make test` scores: diogelu/matching/tests/data/."""

from __future__ import annotations

import csv
from pathlib import Path

from diogelu.matching.synth import generate

OUT = Path(__file__).resolve().parents[2] / "diogelu" / "matching" / "tests" / "data"


def main() -> None:
    pop = generate(2000, seed=2026)
    OUT.mkdir(parents=True, exist_ok=True)
    with (OUT / "labelled_2000.csv").open("w", encoding="utf-8", newline="") as handle:
        out = csv.writer(handle, lineterminator="\n")
        out.writerow(
            [
                "id",
                "forename",
                "surname",
                "other_names",
                "dob",
                "sex",
                "postcode",
                "address",
                "nhs_no",
                "upn",
                "person",
            ]
        )
        for r, person in zip(pop.records, pop.truth, strict=True):
            out.writerow(
                [
                    r.record_id,
                    r.given_name or "",
                    r.family_name or "",
                    ";".join(r.other_names),
                    r.date_of_birth.strftime("%d/%m/%Y") if r.date_of_birth else "",
                    r.sex or "",
                    r.postcode or "",
                    r.address or "",
                    r.nhs_number or "",
                    r.upn or "",
                    person,
                ]
            )
    hard = pop.hard_negative_pairs()
    with (OUT / "labelled_2000_hard_negatives.csv").open("w", encoding="utf-8", newline="") as f:
        out = csv.writer(f, lineterminator="\n")
        out.writerow(["kind", "person_a", "person_b"])
        for kind, pairs in hard.items():
            for a, b in pairs:
                out.writerow([kind, a, b])


if __name__ == "__main__":
    main()
