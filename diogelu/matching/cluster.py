"""Clustering pairs into people, without letting one weak link chain two children together.

Plain connected components merge A and C whenever A–B and B–C are links, however different A and
C are: one mistaken link joins two families' children. Here links are taken strongest first, and
two groups merge only when the groups as a whole agree:

* every cross pair is compared (the scored pairs, or the model directly for pairs that blocking
  never brought together);
* the merge is refused if any cross pair is a hard conflict (different valid NHS numbers or
  unique pupil numbers, or the twins pattern) or strongly contradicts (weight below ``veto``);
* and it is refused unless the average cross-pair probability reaches ``support``.

With the household rules on, a link merges only on evidence that tells the person from their
relatives: a shared NHS number or UPN, or the first name and the date of birth agreeing (plus
something beyond the names). So a record with no first name, or no date of birth, joins a cluster
only through an identifier; and a record that links about equally well to two people who cannot
be one (a father and son of one name) stays on its own.
"""

from __future__ import annotations

from array import array
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any

from diogelu.matching import batch
from diogelu.matching.compare import NHS, UPN, comparison_vector
from diogelu.matching.model import (
    NO_NOISE,
    Model,
    TermFrequencies,
    distinguishing,
    household_pattern,
    two_people,
)
from diogelu.matching.record import Prepared

DEFAULT_CLUSTER_PROBABILITY = 0.5
DEFAULT_SUPPORT = 0.2
DEFAULT_VETO_WEIGHT = -20.0
MAX_CROSS_PAIRS = 400
# Records tried as the third record that shows two conflicting records to be one person.
MAX_WITNESSES = 40
# And of the records linked to either of the two, this many of each one's.
MAX_LINKED_WITNESSES = 20

Linked = Mapping[int, Sequence[int]]


def one_person(
    records: Sequence[Prepared],
    a: int,
    b: int,
    witnesses: Sequence[int],
    linked: Linked | None = None,
    noise: frozenset[str] = NO_NOISE,
) -> bool:
    """Is a family pattern between records ``a`` and ``b`` one person's noise (ADR 0820)?

    It is when a third record agrees with each of them on the evidence that tells a person from
    their relatives (``model.distinguishing``: an NHS number or UPN, or the first name and date
    of birth, corroborated). A record cannot be the same person as each of two relatives: no
    record is both twin Osian and twin Dafydd, but "Tom Clifford" 1850-03-02 is both "Thomas
    Clifford" and "Tom" of that birthday. Without such a record the pattern stays evidence of a
    second person. Different NHS numbers or UPNs are never noise.

    The third record is looked for among ``witnesses`` (the records at hand) and, given
    ``linked`` (each record's links, strongest first), among the records linked to either of
    the two: a record that agrees with both is evidence wherever it is (issue 16).

    ``noise``: the kinds of family pattern that the file shows to be noise (ADR 0822).
    """
    pa, pb = records[a], records[b]
    vector = comparison_vector(pa, pb)
    if vector[NHS] == 2 or vector[UPN] == 2:
        return False  # different identifiers are two people, whatever a third record says
    candidates = list(witnesses[:MAX_WITNESSES])
    if linked is not None:
        candidates += linked.get(a, ())[:MAX_LINKED_WITNESSES]
        candidates += linked.get(b, ())[:MAX_LINKED_WITNESSES]
    for z in candidates:
        if z in (a, b):
            continue
        pz = records[z]
        # The third record must itself show no family pattern with either: "Sian" is not a
        # witness that girl Sian and boy Sion, twins, are one person.
        va = comparison_vector(pz, pa)
        if not distinguishing(va, noise) or household_pattern(va, True, noise) is not None:
            continue
        vb = comparison_vector(pz, pb)
        if distinguishing(vb, noise) and household_pattern(vb, True, noise) is None:
            return True
    return False


def cluster(
    records: Sequence[Prepared],
    pairs: Sequence[tuple[int, int, float]],
    model: Model,
    tf: TermFrequencies | None = None,
    threshold: float = DEFAULT_CLUSTER_PROBABILITY,
    support: float = DEFAULT_SUPPORT,
    veto: float = DEFAULT_VETO_WEIGHT,
    workers: int = 1,
) -> list[int]:
    """A cluster number for every record (the index of the cluster's first record).

    Records that no chain of links joins never meet: each connected part of the links is
    clustered on its own, so with ``workers`` processes (forked; ``batch.run``) the parts are
    shared among them (ADR 0847). The answer is the same whatever the number of workers."""
    n = len(records)
    min_weight = Model.weight_for(threshold)
    with batch.collector_paused():
        # The links, strongest first (a stable sort: links of equal weight keep their order).
        links = sorted((t for t in pairs if t[2] >= min_weight), key=lambda t: -t[2])
        known: dict[int, float] = {}
        for i, j, w in pairs:
            a, b = (i, j) if i < j else (j, i)
            known[a * n + b] = w
        linked: dict[int, list[int]] = {}
        for i, j, _ in links:
            linked.setdefault(i, []).append(j)
            linked.setdefault(j, []).append(i)
        relatives = Relatives(records, linked, model.noise_patterns) if model.sibling_rule else None
        parallel = workers > 1 and len(links) >= PARALLEL_MINIMUM_LINKS
        shares = _shares(n, links, workers) if parallel else [links]
    state = {
        "records": records,
        "known": known,
        "linked": linked,
        "model": model,
        "tf": tf,
        "min_weight": min_weight,
        "support": support,
        "veto": veto,
        "relatives": relatives,
    }
    roots = list(range(n))
    for joined in batch.run(_cluster_part, shares, workers, state):
        for k in range(0, len(joined), 2):
            roots[joined[k]] = joined[k + 1]
    with batch.collector_paused():
        first: dict[int, int] = {}
        for x, root in enumerate(roots):
            first.setdefault(root, x)
        return [first[root] for root in roots]


# Fewer links than this are clustered in this process: forking would cost more than it saves.
PARALLEL_MINIMUM_LINKS = 50_000


def _shares(
    n: int, links: list[tuple[int, int, float]], workers: int
) -> list[list[tuple[int, int, float]]]:
    """The links in a few shares, each holding whole connected parts (a share's links keep
    their order), of about equal numbers of links."""
    parent = list(range(n))

    def find(x: int) -> int:
        root = x
        while parent[root] != root:
            root = parent[root]
        while parent[x] != root:
            parent[x], x = root, parent[x]
        return root

    for i, j, _ in links:
        ri, rj = find(i), find(j)
        if ri != rj:
            parent[rj] = ri
    size: dict[int, int] = {}
    for i, _, _ in links:
        root = find(i)
        size[root] = size.get(root, 0) + 1
    count = 4 * workers
    load = [0] * count
    share_of: dict[int, int] = {}
    for root, links_in in sorted(size.items(), key=lambda item: -item[1]):
        k = load.index(min(load))
        share_of[root] = k
        load[k] += links_in
    shares: list[list[tuple[int, int, float]]] = [[] for _ in range(count)]
    for link in links:
        shares[share_of[find(link[0])]].append(link)
    return [share for share in shares if share]


def _cluster_part(state: dict[str, Any], links: list[tuple[int, int, float]]) -> array[int]:
    """Cluster the records of some connected parts of the links (``links``: all of theirs,
    strongest first). Returns each joined record and the root of its cluster, in turn."""
    records: Sequence[Prepared] = state["records"]
    known: dict[int, float] = state["known"]
    linked: dict[int, list[int]] = state["linked"]
    model: Model = state["model"]
    tf: TermFrequencies | None = state["tf"]
    support: float = state["support"]
    veto: float = state["veto"]
    relatives: Relatives | None = state["relatives"]
    n = len(records)
    parent: dict[int, int] = {}
    members: dict[int, list[int]] = {}

    def find(x: int) -> int:
        root = x
        while (up := parent.get(root, root)) != root:
            root = up
        while (up := parent.get(x, x)) != root:
            parent[x], x = root, up
        return root

    def weight(a: int, b: int) -> tuple[float, int]:
        """The pair's weight, and its conflict: 0 none, 1 a family pattern, 2 identifiers."""
        if a > b:
            a, b = b, a
        vector = comparison_vector(records[a], records[b])
        conflict = 0
        if vector[NHS] == 2 or vector[UPN] == 2:
            conflict = 2
        elif model.pattern(vector) is not None:
            conflict = 1
        w = known.get(a * n + b)
        if w is None:
            w = model.vector_weight(vector, records[a], tf)
        return w, conflict

    ambiguous = _ambiguous(records, links, state["min_weight"], model, linked)
    noise = model.noise_patterns
    # A file without families: a namesake elsewhere is in view only if the other side of a link
    # links to it about as well as the link itself (``rival``; ADR 0822).
    strangers = "namesakes" in noise
    for i, j, w in links:
        if i in ambiguous or j in ambiguous:
            continue
        ri, rj = find(i), find(j)
        if ri == rj:
            continue
        left = members.get(ri, [ri])
        right = members.get(rj, [rj])
        if relatives is not None and not distinguishing(
            comparison_vector(records[i], records[j]), noise
        ):
            rival = None
            if strangers:

                def rival(z: int, y: int, w: float = w) -> bool:
                    return weight(z, y)[0] >= w - AMBIGUITY_MARGIN

            if (
                relatives.any(left, right, rival)
                or relatives.any(right, left, rival)
                or relatives.undated_namesakes(left, right)
            ) and not relatives.ruled_out(i, j, left, right):
                # A relative is in view: a link must tell the person from them. Names alone (a
                # father and son), or a surname, date of birth and home without a first name
                # (twins) do not. Such a link is shown to a person, never merged (ADR 0108,
                # 0800), unless a record with no home rules out each relative itself (0838).
                continue
        if len(left) * len(right) > 1 and not _agree(
            records, left, right, weight, support, veto, model.twin_penalty, linked, noise
        ):
            continue
        if len(left) < len(right):
            ri, rj, left, right = rj, ri, right, left
        parent[rj] = ri
        members[ri] = left + right
        members.pop(rj, None)
    joined = array("q")
    for x in parent:
        joined.append(x)
        joined.append(find(x))
    return joined


def _street(p: Prepared) -> str:
    """A record's address, if it is a home: an address with a house number (a town or a
    birthplace is not)."""
    return p.addr if any(c.isdigit() for c in p.addr) else ""


# Records compared with each record of a group sharing its surname and home, date of birth or
# first name (a group larger than this is a common name or an institution).
MAX_RELATIVES_COMPARED = 60


class Relatives:
    """Which records have a relative in view (ADR 0800).

    A record has one when another record in the file that shares its surname and a home (a
    postcode or an address with a house number), or its surname and date of birth, or its
    surname and first name, shows a family pattern with it *on evidence*
    (``model.household_pattern``: first names that are different names, births years apart that
    no typing error explains, a generation apart, a boy and a girl with one birthday, different
    NHS numbers or UPNs). A missing date of birth or first name, a variant or a typing error is
    not evidence, so the noisy records of one person living alone have no relative in view.

    Worked out lazily, for the records of clusters that a link without distinguishing evidence
    would merge.
    """

    __slots__ = ("_groups", "_keys", "_known", "_linked", "_lists", "_noise", "_records")

    def __init__(
        self,
        records: Sequence[Prepared],
        linked: Linked | None = None,
        noise: frozenset[str] = NO_NOISE,
    ) -> None:
        self._records = records
        self._linked = linked
        self._noise = noise
        self._groups: dict[tuple[int, str, str], list[int]] = {}
        self._keys: list[tuple[tuple[int, str, str], ...]] = []
        self._known: dict[int, int] = {}
        self._lists: dict[int, list[int]] = {}
        for x, p in enumerate(records):
            keys: list[tuple[int, str, str]] = []
            if p.f:
                # A home is a postcode or an address with a house number; both are keys, so a
                # mistyped postcode still finds the household.
                for kind, value in ((0, p.pc), (1, _street(p)), (2, p.dob_s), (3, p.g)):
                    if value:
                        key = (kind, p.f, value)
                        self._groups.setdefault(key, []).append(x)
                        keys.append(key)
            self._keys.append(tuple(keys))

    def _relatives(self, x: int) -> Iterator[int]:
        """The relatives in view of record ``x``, in the order found, each once."""
        p = self._records[x]
        seen: set[int] = set()
        for key in self._keys[x]:
            group = self._groups[key][:MAX_RELATIVES_COMPARED]
            for y in group:
                if (
                    y != x
                    and y not in seen
                    and household_pattern(comparison_vector(p, self._records[y]), True, self._noise)
                    and not one_person(self._records, x, y, group, self._linked, self._noise)
                ):
                    seen.add(y)
                    yield y

    def _first(self, x: int) -> int:
        """The first relative in view of record ``x`` found, or -1."""
        known = self._known.get(x)
        if known is None:
            known = self._known[x] = next(self._relatives(x), -1)
        return known

    def of(self, x: int) -> bool:
        """Does record ``x`` have a relative in view?"""
        return self._first(x) >= 0

    def _all(self, x: int) -> list[int]:
        """Every relative in view of record ``x``."""
        known = self._lists.get(x)
        if known is None:
            known = self._lists[x] = list(self._relatives(x))
        return known

    def any(
        self,
        cluster: Sequence[int],
        other: Sequence[int] | None = None,
        rival: Callable[[int, int], bool] | None = None,
    ) -> bool:
        """Does a record of ``cluster`` have a relative in view that the cluster does not show
        to be the same person?

        A relative in view that the clusterer has already joined to the record, where a record
        of the cluster agrees with each of the two on the evidence that tells a person from their
        relatives (``one_person``, the cluster's records as witnesses, as in ``_agree``), is
        that person's noise, not a relative (ADR 0820; issue 16).

        In a file that shows no families ("namesakes" among the noise kinds, ADR 0822), and
        given ``other`` (the cluster a link would merge this one with), a namesake elsewhere
        (``_elsewhere``: one of the same surname and first name, sharing neither a home nor a
        birthday with the record) is a stranger, in view only if a record of ``other`` links to
        it (the links known, ``linked``) about as well as the link being weighed
        (``rival(z, y)``, record ``z`` of ``other`` and the namesake ``y``): then ``other`` may
        be that namesake's. Otherwise the link's own evidence has ruled the namesake out.
        """
        inside: set[int] | None = None
        beside: set[int] | None = None
        strangers = "namesakes" in self._noise and other is not None and self._linked is not None
        for x in cluster:
            first = self._first(x)
            if first < 0:
                continue
            if inside is None:
                inside = set(cluster)
                beside = set(other) if strangers and other is not None else None
            if first not in inside and not (
                beside is not None and self._stranger(x, first, beside, rival)
            ):
                return True
            for y in self._all(x):
                if y not in inside:
                    if beside is not None and self._stranger(x, y, beside, rival):
                        continue
                    return True
                if not one_person(self._records, x, y, cluster, self._linked, self._noise):
                    return True
        return False

    def _stranger(
        self,
        x: int,
        y: int,
        beside: set[int],
        rival: Callable[[int, int], bool] | None,
    ) -> bool:
        """Is ``y``, a relative in view of ``x``, a namesake of another generation elsewhere
        that no record of the other cluster (``beside``) links to about as well as the link being
        weighed? (Different identifiers are never set aside.) Only ``y``'s own links are looked
        at, not those of records already joined to it."""
        assert self._linked is not None
        records = self._records
        return (
            self._elsewhere(x, y)
            and household_pattern(comparison_vector(records[x], records[y]), True, self._noise)
            == "generation"
        ) and not any(
            z in beside and (rival is None or rival(z, y)) for z in self._linked.get(y, ())
        )

    def _elsewhere(self, x: int, y: int) -> bool:
        """Do records ``x`` and ``y`` share only a surname and first name: no home (postcode or
        street address) and no date of birth?"""
        near = {key for key in self._keys[x] if key[0] != 3}
        return not any(key in near for key in self._keys[y] if key[0] != 3)

    def ruled_out(self, i: int, j: int, left: Sequence[int], right: Sequence[int]) -> bool:
        """May the link between record ``i`` (of cluster ``left``) and record ``j`` (of
        ``right``) merge although a relative is in view, because the record on one side has no
        home and its own evidence rules out every relative in view of the other side (ADR
        0838)?

        A register keeps no address. Its record of a child, linked to the child's record at a
        home with a mother and a brother, may have no first name, or one the name table reads
        only as alike, so the link does not tell the child from a relative
        (``model.distinguishing``). But when its date of birth is years from the mother's and
        the brother's (or its first name is different from theirs: ``model.two_people``), it is
        neither of them, and it has no home of its own at which an unseen relative could live.
        It must be one record alone with no relative in view of its own; both records of the
        link must have a date of birth (an undated record of the child's first name may be a
        parent's of one name whom the file shows by no other record); and a placeholder first
        name does not count ("Baby": a twin's record made at birth, when the other twin may be
        the only one named).
        """
        records = self._records
        if records[i].dob is None or records[j].dob is None:
            return False
        for x, own, other in ((i, left, right), (j, right, left)):
            p = records[x]
            if len(own) != 1 or p.pc or _street(p) or p.baby or self.of(x):
                continue
            if self._ruled_out_by(x, other):
                return True
        return False

    def _ruled_out_by(self, x: int, cluster: Sequence[int]) -> bool:
        """Is every relative in view of a record of ``cluster`` either shown by the cluster to be
        the same person (``one_person``, as in ``any``) or, if outside it, shown by record
        ``x``'s evidence to be someone else?"""
        records = self._records
        p = records[x]
        inside = set(cluster)
        for y0 in cluster:
            for y in self._all(y0):
                if y in inside:
                    if not one_person(records, y0, y, cluster, self._linked, self._noise):
                        return False
                elif not two_people(comparison_vector(p, records[y]), self._noise):
                    return False
        return True

    def undated_namesakes(self, left: Sequence[int], right: Sequence[int]) -> bool:
        """Neither cluster has a date of birth, and a record of the same surname and first name
        has one: the two may be a father and a son of one name (each known only by an undated
        record), so which generation each is cannot be told."""
        records = self._records
        if "namesakes" in self._noise:
            return False  # a file of individuals: a dated namesake is a stranger (ADR 0822)
        if any(records[x].dob for x in left) or any(records[x].dob for x in right):
            return False
        for x in (*left, *right):
            p = records[x]
            if p.f and p.g:
                for y in self._groups.get((3, p.f, p.g), ())[:MAX_RELATIVES_COMPARED]:
                    if records[y].dob:
                        return True
        return False


AMBIGUITY_MARGIN = 8.0  # bits


def _ambiguous(
    records: Sequence[Prepared],
    pairs: Sequence[tuple[int, int, float]],
    min_weight: float,
    model: Model,
    linked: Linked | None = None,
) -> set[int]:
    """Records that link about equally well to two people who cannot be one person.

    A record with no date of birth, "John Smith" at the address where a father and his son of
    that name live, matches both. Whichever it joined could be the wrong child's file, so it
    is left on its own for a person to resolve. With the household rules on, a record whose
    first name and date of birth agree with one of the two (``model.distinguishing``) and not
    with the other is told apart by that evidence, and is not ambiguous between them (issue 16).
    """
    links: dict[int, list[tuple[float, int]]] = {}
    for i, j, w in pairs:
        if w >= min_weight:
            links.setdefault(i, []).append((w, j))
            links.setdefault(j, []).append((w, i))
    out: set[int] = set()
    for x, neighbours in links.items():
        if len(neighbours) < 2:
            continue
        neighbours.sort(reverse=True)
        best = neighbours[0][0]
        close = [k for w, k in neighbours[:8] if best - w <= AMBIGUITY_MARGIN]
        witnesses = [x] + [k for _, k in neighbours]
        for a in range(len(close)):
            for b in range(a + 1, len(close)):
                vector = comparison_vector(records[close[a]], records[close[b]])
                if model.pattern(vector) is None:
                    continue
                noise = model.noise_patterns
                if model.sibling_rule and distinguishing(
                    comparison_vector(records[x], records[close[a]]), noise
                ) != distinguishing(comparison_vector(records[x], records[close[b]]), noise):
                    # The record's first name and date of birth agree with one of the two only:
                    # that evidence tells it from the other (ADR 0108), so it is not ambiguous.
                    continue
                if not one_person(
                    records, close[a], close[b], witnesses, linked, model.noise_patterns
                ):
                    out.add(x)
                    break
            if x in out:
                break
    return out


def _agree(
    records: Sequence[Prepared],
    left: list[int],
    right: list[int],
    weight: Callable[[int, int], tuple[float, int]],
    support: float,
    veto: float,
    penalty: float = 0.0,
    linked: Linked | None = None,
    noise: frozenset[str] = NO_NOISE,
) -> bool:
    """Do two clusters agree as a whole? A cross pair with different identifiers, or strongly
    contradicting, refuses the merge; so does a family pattern, unless a third record of the two
    clusters shows the pair to be one person's records (``one_person``, ADR 0820)."""
    total = 0.0
    count = 0
    witnesses: list[int] | None = None
    for a in left[:20]:
        for b in right[:20]:
            w, conflict = weight(a, b)
            if conflict == 2:
                return False
            if conflict == 1:
                if witnesses is None:
                    witnesses = left[:20] + right[:20]
                if not one_person(records, a, b, witnesses, linked, noise):
                    return False
                # The pattern is one person's noise, so the penalty for it is no evidence.
                w -= penalty
            if w < veto:
                return False
            total += Model.probability(w)
            count += 1
            if count >= MAX_CROSS_PAIRS:
                break
    return total / max(count, 1) >= support
