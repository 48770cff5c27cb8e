"""Regenerate census.csv.gz and ssa.csv.gz (not run by CI or the benchmark), or write other
files of the same kind for the generalisation probe.

pseudopeople is not one of Diogelu's requirements: run this in a separate virtual environment,

    python3.11 -m venv /tmp/ppvenv
    /tmp/ppvenv/bin/pip install pseudopeople==1.3.1
    /tmp/ppvenv/bin/python bench/matching/data/pseudopeople/generate.py

It uses pseudopeople's bundled sample population (Anytown, WA; no download) with its default
noise, seed 1, and writes pseudopeople's own columns unchanged.

The probe (README.md here) writes files outside the repository instead, with another seed, every
noise probability multiplied, or another of pseudopeople's data sets:

    /tmp/ppvenv/bin/python bench/matching/data/pseudopeople/generate.py \
        --out /tmp/pp --seed 4 --noise 3 census ssa
    /tmp/ppvenv/bin/python bench/matching/data/pseudopeople/generate.py \
        --out /tmp/pp --all-years wic

Each is written as ``<data set>_s<seed>[_n<noise>][_all].csv.gz``.
"""

from __future__ import annotations

import argparse
import gzip
from pathlib import Path
from typing import Any

import pseudopeople as psp

HERE = Path(__file__).resolve().parent

# Our name for each data set: pseudopeople's configuration key and generator.
DATA_SETS = {
    "census": ("decennial_census", psp.generate_decennial_census),
    "ssa": ("social_security", psp.generate_social_security),
    "wic": ("women_infants_and_children", psp.generate_women_infants_and_children),
    "acs": ("american_community_survey", psp.generate_american_community_survey),
    "cps": ("current_population_survey", psp.generate_current_population_survey),
}


def write(frame: Any, path: Path) -> None:
    text = frame.to_csv(index=False)
    with (
        path.open("wb") as raw,
        gzip.GzipFile(fileobj=raw, mode="wb", compresslevel=9, mtime=0, filename="") as out,
    ):
        out.write(text.encode("utf-8"))


def scaled(node: Any, factor: float) -> Any:
    """pseudopeople's noise configuration with every cell and row probability multiplied by
    ``factor`` (at most 0.5)."""
    if isinstance(node, dict):
        return {
            key: min(value * factor, 0.5)
            if key in ("cell_probability", "row_probability") and isinstance(value, float)
            else scaled(value, factor)
            for key, value in node.items()
        }
    return node


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("data_sets", nargs="*", help=f"with --out: {', '.join(DATA_SETS)}")
    parser.add_argument("--out", type=Path, help="write here (default: the committed files)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--noise", type=float, default=1.0, help="multiply every noise by this")
    parser.add_argument("--all-years", action="store_true", help="every year, not 2020's only")
    args = parser.parse_args()
    if unknown := set(args.data_sets) - set(DATA_SETS):
        parser.error(f"unknown data set(s): {', '.join(sorted(unknown))}")
    if args.out is None:
        census = psp.generate_decennial_census(seed=1)
        ssa = psp.generate_social_security(seed=1)
        print(len(census), len(ssa))  # 10224 16497 with pseudopeople 1.3.1
        write(census, HERE / "census.csv.gz")
        write(ssa, HERE / "ssa.csv.gz")
        return
    args.out.mkdir(parents=True, exist_ok=True)
    for name in args.data_sets:
        key, generate = DATA_SETS[name]
        options: dict[str, Any] = {"seed": args.seed}
        suffix = f"_s{args.seed}"
        if args.noise != 1.0:
            options["config"] = {key: scaled(psp.get_config()[key], args.noise)}
            suffix += f"_n{args.noise:g}"
        if args.all_years:
            options["year"] = None
            suffix += "_all"
        frame = generate(**options)
        path = args.out / f"{name}{suffix}.csv.gz"
        write(frame, path)
        print(path, len(frame))


if __name__ == "__main__":
    main()
