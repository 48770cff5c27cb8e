"""Person record linkage: a library with no Django imports.

Everything here is plain Python, so it can run in batch jobs and benchmarks; the Django side that
keeps an index in step with people (``diogelu/people/matching_index.py``) lives with people.

Public API::

    from diogelu.matching import Record, MatchIndex, Candidate, explain

    index = MatchIndex.load_default()
    index.add(Record("p1", "Dafydd", "Jones", date_of_birth=date(2015, 3, 4)))
    index.query(Record("q", "Dai", "Jones", date_of_birth=date(2015, 4, 3)))
    # -> [Candidate(record_id="p1", match_probability=0.99..., explanation=[...])]
"""

from diogelu.matching.index import (
    DEFAULT_MIN_PROBABILITY,
    Candidate,
    MatchIndex,
    explain,
    match_probability,
)
from diogelu.matching.model import FieldComparison, Model
from diogelu.matching.record import Record

__all__ = [
    "DEFAULT_MIN_PROBABILITY",
    "Candidate",
    "FieldComparison",
    "MatchIndex",
    "Model",
    "Record",
    "explain",
    "match_probability",
]
