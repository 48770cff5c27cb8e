"""Loading the benchmark data sets into engine records with their ground truth."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

from diogelu.matching.normalise import read_date
from diogelu.matching.record import Record

# The public data sets live beside the repository (/work/shared/data/linkage); a git worktree
# elsewhere names them with DIOGELU_LINKAGE_DATA.
DATA = Path(
    os.environ.get("DIOGELU_LINKAGE_DATA")
    or Path(__file__).resolve().parents[2].parent / "shared" / "data" / "linkage"
)


def _s(value: object) -> str | None:
    if value is None:
        return None
    text = str(value)
    return None if text in ("", "nan", "None", "NaT") else text


def _d(value: object) -> dt.date | None:
    """As the CLI reads a date of birth (``normalise.read_date``): a mistyped ISO date
    ("1856-86-18") keeps its year."""
    return read_date(_s(value))


def historical_50k(path: Path | None = None) -> tuple[list[Record], list[str]]:
    """historical_50k with Splink's fields; birth place goes in as the address."""
    import pandas as pd

    df = pd.read_parquet(path or DATA / "historical_50k.parquet")
    records: list[Record] = []
    truth: list[str] = []
    for row in df.itertuples(index=False):
        full = _s(row.full_name)
        records.append(
            Record(
                record_id=str(row.unique_id),
                given_name=_s(row.first_name),
                family_name=_s(row.surname),
                other_names=(full,) if full else (),
                date_of_birth=_d(row.dob),
                sex=_s(row.gender),
                postcode=_s(row.postcode_fake),
                address=_s(row.birth_place),
            )
        )
        truth.append(str(row.cluster))
    return records, truth
