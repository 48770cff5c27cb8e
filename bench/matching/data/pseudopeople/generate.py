"""Regenerate census.csv.gz and ssa.csv.gz (not run by CI or the benchmark).

pseudopeople is not one of Diogelu's requirements: run this in a separate virtual environment,

    python3.11 -m venv /tmp/ppvenv
    /tmp/ppvenv/bin/pip install pseudopeople==1.3.1
    /tmp/ppvenv/bin/python bench/matching/data/pseudopeople/generate.py

It uses pseudopeople's bundled sample population (Anytown, WA; no download) with its default
noise, seed 1, and writes pseudopeople's own columns unchanged.
"""

from __future__ import annotations

import gzip
from pathlib import Path
from typing import Any

import pseudopeople as psp

HERE = Path(__file__).resolve().parent


def write(frame: Any, name: str) -> None:
    text = frame.to_csv(index=False)
    with (
        (HERE / name).open("wb") as raw,
        gzip.GzipFile(fileobj=raw, mode="wb", compresslevel=9, mtime=0, filename="") as out,
    ):
        out.write(text.encode("utf-8"))


def main() -> None:
    census = psp.generate_decennial_census(seed=1)
    ssa = psp.generate_social_security(seed=1)
    print(len(census), len(ssa))  # 10224 16497 with pseudopeople 1.3.1
    write(census, "census.csv.gz")
    write(ssa, "ssa.csv.gz")


if __name__ == "__main__":
    main()
