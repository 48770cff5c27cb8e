"""The online index: in-process, incremental, answers "is this person already known?" in
milliseconds.

Records are filed under their blocking keys (``blocking.py``). A query looks up its own keys,
skips any block that has grown past the cap (its other keys still find the person), scores every
candidate with the model and returns the best. A valid NHS number is a fast path: the record with
that number is always a candidate, whatever the blocks say.

Not thread-safe for writes: the adapter serialises ``add``/``update``/``remove``; concurrent
``query`` calls with no writer are safe.
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from collections.abc import Iterable

from diogelu.matching.blocking import blocking_keys
from diogelu.matching.compare import comparison_vector
from diogelu.matching.model import FieldComparison, Model, TermFrequencies
from diogelu.matching.record import Prepared, Record, prepare

DEFAULT_MIN_PROBABILITY = 0.2
DEFAULT_BLOCK_CAP = 400
DEFAULT_MAX_CANDIDATES = 60
#: The fewest people an index's prior stands for. The prior is the chance that a new record is
#: a given one of those held: the share of new records already known, over the records held.
#: An index that holds few (the demo's 500 people, a service still loading its history) knows
#: few of the children reported to it, so that share falls with it, and the prior stays about
#: one over the area's people. 50,000 is below the smallest Welsh authority's population
#: (Merthyr Tydfil, about 59,000 at the 2021 census). With a floor of 1,000, a report's child
#: with no surname, sex or postcode scored 53 in 100 against anyone born the same day with a
#: different first name (ADR 0845).
MIN_PRIOR_POPULATION = 50_000


@dataclasses.dataclass(frozen=True, slots=True)
class Candidate:
    """A person in the index who may be the person asked about, with the reasons."""

    record_id: str
    match_probability: float
    match_weight: float
    explanation: list[FieldComparison]


class MatchIndex:
    """An incremental blocking index over prepared records, scored by a Fellegi–Sunter model."""

    def __init__(
        self,
        model: Model,
        block_cap: int = DEFAULT_BLOCK_CAP,
        max_candidates: int = DEFAULT_MAX_CANDIDATES,
    ) -> None:
        self.model = model
        self.block_cap = block_cap
        self.max_candidates = max_candidates
        self._records: dict[str, Prepared] = {}
        self._keys: dict[str, tuple[str, ...]] = {}
        self._blocks: dict[str, list[str]] = {}
        self.tf = TermFrequencies()
        self._scaled: Model | None = None

    @classmethod
    def load_default(cls, block_cap: int = DEFAULT_BLOCK_CAP) -> MatchIndex:
        """An empty index using the shipped model."""
        return cls(Model.load_default(), block_cap=block_cap)

    def __len__(self) -> int:
        return len(self._records)

    def __contains__(self, record_id: object) -> bool:
        return record_id in self._records

    def add(self, record: Record) -> None:
        """File a new record. Raises ``KeyError`` if its id is already in the index."""
        if record.record_id in self._records:
            raise KeyError(f"record {record.record_id!r} is already in the index")
        p = prepare(record)
        keys = tuple(dict.fromkeys(blocking_keys(p)))
        self._records[p.rid] = p
        self._keys[p.rid] = keys
        blocks = self._blocks
        for key in keys:
            members = blocks.get(key)
            if members is None:
                blocks[key] = [p.rid]
            else:
                members.append(p.rid)
        self.tf.add(p)

    def add_many(self, records: Iterable[Record]) -> None:
        for record in records:
            self.add(record)

    def update(self, record: Record) -> None:
        """Replace a record (or add it if it is new)."""
        if record.record_id in self._records:
            self.remove(record.record_id)
        self.add(record)

    def remove(self, record_id: str) -> None:
        """Take a record out. Raises ``KeyError`` if it is not there."""
        p = self._records.pop(record_id)
        for key in self._keys.pop(record_id):
            members = self._blocks[key]
            members.remove(record_id)
            if not members:
                del self._blocks[key]
        self.tf.add(p, delta=-1)

    def get(self, record_id: str) -> Record | None:
        p = self._records.get(record_id)
        return p.record if p else None

    def candidate_ids(self, p: Prepared) -> list[str]:
        """Ids worth scoring for ``p``, most promising first, at most ``max_candidates``.

        Blocks over the cap are skipped (the other keys still find the person). A record of
        the same person nearly always shares several keys with ``p``; a stranger in a big block
        usually only one, and scoring strangers is where the time goes. So candidates are
        ranked by how many keys they share, with decisive keys (the same NHS number or UPN,
        the same date of birth, an identical record) counting extra, and a candidate sharing
        only one ordinary key is not scored at all.
        """
        hits: Counter[str] = Counter()
        blocks = self._blocks
        cap = self.block_cap
        for key in blocking_keys(p):
            members = blocks.get(key)
            if members is None:
                continue
            kind = key[0]
            if kind in "nu":
                for rid in members:
                    hits[rid] += 10
            elif len(members) <= cap:
                hits.update(members)
                if kind in "dxi":
                    hits.update(members)
        return [rid for rid, count in hits.most_common(self.max_candidates) if count >= 2]

    def query(
        self,
        record: Record,
        top_k: int = 10,
        min_probability: float = DEFAULT_MIN_PROBABILITY,
        explain: bool = True,
    ) -> list[Candidate]:
        """The ``top_k`` most likely matches at or above ``min_probability``, best first.

        A record already in the index finds itself (with probability near 1); callers that want
        other people only filter out its own id.
        """
        p = prepare(record)
        model = self._scaled_model()
        tf = self.tf
        records = self._records
        min_weight = Model.weight_for(min_probability)
        scored: list[tuple[float, str]] = []
        for rid in self.candidate_ids(p):
            weight = model.vector_weight(comparison_vector(p, records[rid]), p, tf)
            if weight >= min_weight:
                scored.append((weight, rid))
        scored.sort(key=lambda item: (-item[0], item[1]))
        return [
            Candidate(
                record_id=rid,
                match_probability=Model.probability(weight),
                match_weight=weight,
                explanation=model.explain(p, records[rid], tf) if explain else [],
            )
            for weight, rid in scored[:top_k]
        ]

    def explain(self, a: Record, b: Record) -> list[FieldComparison]:
        """Field-by-field reasons, with this index's name frequencies."""
        return self._scaled_model().explain(prepare(a), prepare(b), self.tf)

    def _scaled_model(self) -> Model:
        """The model with its prior set for the index's present size (recomputed as it grows
        by more than a tenth)."""
        size = max(len(self._records), MIN_PRIOR_POPULATION)
        if self._scaled is None or not 0.9 <= self._scaled.population / size <= 1.1:
            self._scaled = self.model.for_population(size)
        return self._scaled

    def stats(self) -> dict[str, int]:
        sizes = [len(m) for m in self._blocks.values()]
        return {
            "records": len(self._records),
            "blocks": len(sizes),
            "largest_block": max(sizes, default=0),
            "oversized_blocks": sum(1 for s in sizes if s > self.block_cap),
        }


_DEFAULT_MODEL: list[Model] = []


def default_model() -> Model:
    """The shipped model, loaded once."""
    if not _DEFAULT_MODEL:
        _DEFAULT_MODEL.append(Model.load_default())
    return _DEFAULT_MODEL[0]


def explain(a: Record, b: Record, model: Model | None = None) -> list[FieldComparison]:
    """Field-by-field reasons why two records are (or are not) the same person."""
    return (model or default_model()).explain(prepare(a), prepare(b))


def match_probability(a: Record, b: Record, model: Model | None = None) -> float:
    """The probability that two records are the same person (no name-frequency adjustment)."""
    return Model.probability((model or default_model()).score(prepare(a), prepare(b)))
