"""``python -m diogelu.matching``: batch deduplication and linkage of CSV files.

    python -m diogelu.matching dedupe IN.csv --out pairs.csv --clusters clusters.csv
    python -m diogelu.matching link A.csv B.csv --out pairs.csv
    python -m diogelu.matching train IN.csv --out model.json
    python -m diogelu.matching train --synthetic 50000 --out model.json

Columns are recognised by common names (first_name, surname, dob, ...) or mapped with
``--map given_name=Forename,family_name=Surname,address=Line1+Line2``. Progress goes to stderr.
Exit status: 0 done, 2 bad input (the message names the row), 1 anything else.
"""

from __future__ import annotations

import argparse
import csv
import os
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TextIO

from diogelu.matching import batch, em, variants
from diogelu.matching.cluster import DEFAULT_CLUSTER_PROBABILITY, cluster
from diogelu.matching.compare import DIFFERENT_GIVEN_NAMES, GIVEN
from diogelu.matching.compare import FIELDS as ENGINE_FIELDS
from diogelu.matching.csvio import (
    DATE_ORDERS,
    FIELDS,
    InputError,
    date_counts,
    parse_mapping,
    read_records,
)
from diogelu.matching.households import household_rules
from diogelu.matching.model import Model
from diogelu.matching.normalise import reads_month_first
from diogelu.matching.record import Prepared, Record, prepare

TRAIN_MINIMUM = 2000  # fewer records than this: use the shipped model rather than learn one


class _Log:
    def __init__(self, quiet: bool) -> None:
        self.quiet = quiet
        self.start = time.monotonic()

    def __call__(self, message: str) -> None:
        if not self.quiet:
            print(f"[{time.monotonic() - self.start:7.1f}s] {message}", file=sys.stderr, flush=True)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m diogelu.matching",
        description="Find records of the same person in CSV files.",
        epilog=f"Fields for --map: {', '.join(FIELDS)}. Only record_id is required.",
    )
    sub = parser.add_subparsers(dest="command", required=True)

    def common(p: argparse.ArgumentParser) -> None:
        p.add_argument("--out", required=True, type=Path, help="pairs CSV to write")
        p.add_argument("--map", dest="mapping", help="field=column[+column],...")
        p.add_argument("--encoding", default="utf-8-sig", help="input encoding (utf-8)")
        p.add_argument(
            "--date-order",
            choices=DATE_ORDERS,
            default="auto",
            help="numeric dates with the year last: day first (dmy), month first (mdy), or "
            "auto: month first only where the file shows it (default)",
        )
        p.add_argument(
            "--min-probability", type=float, default=0.5, help="lowest pair to write (0.5)"
        )
        p.add_argument(
            "--model",
            default="auto",
            help="'auto' (learn from the input if it has 2000+ records, else the shipped "
            "model), 'default', 'train', or a model JSON file",
        )
        p.add_argument("--save-model", type=Path, help="write the model used to this JSON file")
        rules = p.add_mutually_exclusive_group()
        rules.add_argument(
            "--no-household-rules",
            action="store_true",
            help="do not penalise twin/sibling/parent-child patterns (for data that has no "
            "families, such as a list of unrelated individuals)",
        )
        rules.add_argument(
            "--household-rules",
            action="store_true",
            help="apply the household rules even if the file does not look like family data "
            "(by default they apply unless the file shows no families)",
        )
        _name_learning(p)
        p.add_argument("--quiet", action="store_true", help="no progress messages")
        p.add_argument(
            "--workers",
            type=int,
            default=0,
            help="processes to use on large files (0: one per available core)",
        )

    dedupe = sub.add_parser("dedupe", help="pairs (and clusters) of duplicates within one file")
    dedupe.add_argument("input", type=Path)
    dedupe.add_argument("--clusters", type=Path, help="clusters CSV to write")
    dedupe.add_argument(
        "--cluster-probability",
        type=float,
        default=DEFAULT_CLUSTER_PROBABILITY,
        help=f"links at least this likely form clusters ({DEFAULT_CLUSTER_PROBABILITY})",
    )
    common(dedupe)

    link = sub.add_parser("link", help="pairs of records of the same person across two files")
    link.add_argument("left", type=Path)
    link.add_argument("right", type=Path)
    common(link)

    train = sub.add_parser("train", help="learn a model from a file (or synthetic data)")
    train.add_argument("input", type=Path, nargs="?")
    train.add_argument("--synthetic", type=int, help="learn from this many synthetic records")
    train.add_argument("--out", required=True, type=Path)
    train.add_argument("--map", dest="mapping")
    train.add_argument("--encoding", default="utf-8-sig")
    train.add_argument("--date-order", choices=DATE_ORDERS, default="auto")
    train.add_argument("--version", default="trained")
    train_rules = train.add_mutually_exclusive_group()
    train_rules.add_argument("--no-household-rules", action="store_true")
    train_rules.add_argument("--household-rules", action="store_true")
    _name_learning(train)
    train.add_argument("--quiet", action="store_true")
    return parser


def _name_learning(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--no-name-learning",
        action="store_true",
        help="do not learn first-name variants from the file (people of one surname recorded "
        "under two first names in many families: Ian and John); use the name table alone",
    )


def _learn_names(args: argparse.Namespace, log: _Log, *lists: Sequence[Prepared]) -> None:
    """First-name variants that the file shows (``variants``, ADR 0813), logged."""
    if args.no_name_learning:
        log("first-name variants: the name table only (--no-name-learning)")
        return
    with batch.collector_paused():
        learned = variants.learn_all(*lists)
    log(variants.summary(learned.variants))
    log(variants.distinct_summary(learned.distinct))


def _choice(args: argparse.Namespace, size: int) -> str:
    """``--model``: "train", "default", or a model file's path."""
    if args.model == "auto":
        return "train" if size >= TRAIN_MINIMUM else "default"
    return str(args.model)


def _model(
    args: argparse.Namespace,
    left: Sequence[Prepared],
    right: Sequence[Prepared] | None,
    log: _Log,
) -> Model:
    size = len(left) + (len(right) if right is not None else 0)
    choice = _choice(args, size)
    siblings, noise = _household_rules(args, [*left, *(right or ())], log)
    if choice == "default":
        model = Model.load_default().for_population(len(right) if right is not None else size)
        model.sibling_rule = siblings
        log(f"using the shipped model {model.version}")
    elif choice == "train":
        log(f"learning the model from {size:,} records (EM)")
        model = em.train(left, other=right, progress=log, sibling_rule=siblings)
        for line in learned_summary(model, [*left, *(right or ())]):
            log(line)
        for warning in training_warnings(model, [*left, *(right or ())], siblings):
            print(f"warning: {warning}", file=sys.stderr, flush=True)
    else:
        path = Path(choice)
        if not path.exists():
            raise InputError(f"--model: no such file {path}")
        try:
            model = Model.load(path)
        except (ValueError, KeyError) as exc:
            raise InputError(f"--model: {path} is not a model file: {exc}") from None
        log(f"using the model {path} ({model.version})")
    # What is noise is a property of the file being matched, not of the file a model was
    # trained on: a loaded model's own kinds give way to this file's (ADR 0822).
    model.noise_patterns = noise if model.sibling_rule else frozenset()
    if args.save_model:
        _write_all([(args.save_model, lambda f: f.write(_json(model)))])
    return model


_RECORDED: tuple[Callable[[Prepared], object], ...] = (
    lambda p: p.g,
    lambda p: p.f,
    lambda p: p.dob,
    lambda p: p.sex,
    lambda p: p.pc or p.addr,
    lambda p: p.extra,
    lambda p: p.nhs,
    lambda p: p.upn,
    lambda p: p.ident,
)


def learned_summary(model: Model, records: Sequence[Prepared]) -> list[str]:
    """What training learned, for the progress log: the prior, and per field the levels that
    carry most of the matches with their m, u and weight (or that the file lacks the field)."""
    per_record = model.prior * max(model.population - 1, 1)
    lines = [
        f"learned: prior {model.prior:.2e} (about {per_record:.2f} other records of the same "
        "person per record)",
        "learned, per field (m: share among matches, u: among non-matches, weight in bits):",
    ]
    n = max(len(records), 1)
    for spec, ms, us, ws, recorded in zip(
        ENGINE_FIELDS, model.m, model.u, model.weights, _RECORDED, strict=True
    ):
        share = sum(1 for p in records if recorded(p)) / n
        if share == 0:
            lines.append(f"  {spec.title}: not in this file")
            continue
        levels = sorted(range(1, len(ms)), key=lambda k: -ms[k])[:3]
        cells = "; ".join(
            f"{spec.levels[k]} m {ms[k]:.3f} u {us[k]:.2g} ({ws[k]:+.1f})" for k in levels
        )
        lines.append(f"  {spec.title} (on {100 * share:.0f}% of records): {cells}")
    return lines


# Among one person's records, the share whose first names are different names that training may
# learn before it is said to have learned families: 0.03-0.16 on every benchmark file (FEBRL's
# noisiest 0.16); 0.80 on a file of names and postcodes alone (docs/performance.md, 2026-12-08).
MOSTLY_DIFFERENT_NAMES = 0.5


def training_warnings(model: Model, records: Sequence[Prepared], households: bool) -> list[str]:
    """Signs that the data are unlike anything the model can separate."""
    out: list[str] = []
    n = max(len(records), 1)
    dob = sum(1 for p in records if p.dob) / n
    ident = sum(1 for p in records if p.nhs or p.upn) / n
    given = sum(1 for p in records if p.g) / n
    if households and dob < 0.5 and ident < 0.5:
        out.append(
            f"only {100 * dob:.0f}% of records have a date of birth and {100 * ident:.0f}% an NHS "
            "number or UPN: nothing in most records tells a person from a relative of the same "
            "name (a father and son), so with the household rules on most will be shown as "
            "candidates but not merged"
        )
    if given < 0.5:
        out.append(
            f"only {100 * given:.0f}% of records have a first name: twins and brothers and "
            "sisters cannot be told apart by name"
        )
    if model.prior <= 1e-8:
        out.append(
            "training found almost no records of one person in this file: check the --map "
            "columns (dates of birth and names are needed to learn from)"
        )
    different = model.m[GIVEN][DIFFERENT_GIVEN_NAMES]
    if given >= 0.5 and different > MOSTLY_DIFFERENT_NAMES:
        out.append(
            f"the model learned that records of one person mostly have different first names "
            f"(m {different:.2f}): with nothing else to tell people apart, it has learned "
            "families (a surname and a home), not people. Map a date of birth or an identifier "
            "if the source holds one (--map); without, links on names and a home are "
            "candidates for a person to check"
        )
    exact = model.weights[0][1] + model.weights[1][1]
    if exact < 4:
        out.append(
            f"first name and surname agreeing count for only {exact:.1f} bits here: the names in "
            "this file barely separate people"
        )
    return out


def _household_rules(
    args: argparse.Namespace, records: Sequence[Prepared], log: _Log
) -> tuple[bool, frozenset[str]]:
    """On, off, or (by default) on unless the file shows it holds no families (ADR 0620); and,
    when on, the kinds of family pattern that the file shows to be noise (ADR 0822)."""
    if args.no_household_rules:
        log("household rules: off (--no-household-rules)")
        return False, frozenset()
    on, evidence = household_rules(records)
    if getattr(args, "household_rules", False):
        log(f"household rules: on (--household-rules); {evidence.text()}")
        on = True
    elif on:
        log(f"household rules: on; {evidence.text()}")
    else:
        log(
            f"household rules: off, the file does not look like family data: {evidence.text()} "
            "(--household-rules to apply them anyway)"
        )
        return False, frozenset()
    log(f"household rules: {evidence.noise_text()}")
    if (identifier := evidence.identifier_text()) is not None:
        log(f"household rules: {identifier}")
    return True, evidence.noise


def _json(model: Model) -> str:
    import json

    return json.dumps(model.to_dict(), indent=1) + "\n"


def _write_all(outputs: Sequence[tuple[Path, Callable[[TextIO], object]]]) -> None:
    """Write every output to a temporary file, then rename them all: never a partial set."""
    temps: list[tuple[str, Path]] = []
    try:
        for path, write in outputs:
            directory = path.resolve().parent
            if not directory.is_dir():
                raise InputError(f"{path}: the folder {directory} does not exist")
            fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=directory)
            temps.append((tmp, path))
            with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
                write(handle)
        for tmp, path in temps:
            os.replace(tmp, path)
    finally:
        for tmp, _ in temps:
            Path(tmp).unlink(missing_ok=True)


def _pairs_writer(
    left: Sequence[Record], right: Sequence[Record], pairs: Sequence[tuple[int, int, float]]
) -> Callable[[TextIO], object]:
    def write(handle: TextIO) -> None:
        out = csv.writer(handle, lineterminator="\n")
        out.writerow(("record_id_l", "record_id_r", "match_probability"))
        for i, j, w in pairs:
            out.writerow((left[i].record_id, right[j].record_id, f"{Model.probability(w):.6f}"))

    return write


def _clusters_writer(
    records: Sequence[Record], labels: Sequence[int]
) -> Callable[[TextIO], object]:
    def write(handle: TextIO) -> None:
        out = csv.writer(handle, lineterminator="\n")
        out.writerow(("record_id", "cluster_id"))
        for record, label in zip(records, labels, strict=True):
            out.writerow((record.record_id, records[label].record_id))

    return write


def _workers(args: argparse.Namespace) -> int:
    if args.workers < 0:
        raise InputError("--workers must be 0 (one per core) or more")
    return args.workers or batch.available_cores()


def _prepare(records: Sequence[Record], log: _Log) -> list[Prepared]:
    log(f"normalising {len(records):,} records")
    with batch.collector_paused():  # a million records and their names at 1M (ADR 0847)
        return [prepare(r) for r in records]


def _dedupe(args: argparse.Namespace, log: _Log) -> None:
    mapping = parse_mapping(args.mapping)
    records = read_records(args.input, mapping, args.encoding, warn=log, dates=args.date_order)
    log(f"read {len(records):,} records from {args.input}")
    prepared = _prepare(records, log)
    _learn_names(args, log, prepared)
    workers = _workers(args)
    # A large file's model, when it is learned, is learned in a process of its own while this
    # one blocks (ADR 0828); a shipped or given model is read here at once, so that a bad
    # --model is said before any work is done.
    training = _choice(args, len(prepared)) == "train"
    floor = min(args.min_probability, 0.01) if args.clusters else args.min_probability
    with batch.Beside(
        lambda: _model(args, prepared, None, log), workers if training else 1, len(prepared)
    ) as learning:
        scored = batch.dedupe(
            prepared, learning, min_probability=floor, progress=log, workers=workers
        )
        model = learning.result()
    min_weight = Model.weight_for(args.min_probability)
    pairs = [p for p in scored if p[2] >= min_weight]
    outputs: list[tuple[Path, Callable[[TextIO], object]]] = [
        (args.out, _pairs_writer(records, records, pairs))
    ]
    if args.clusters:
        log("clustering")
        tf = batch.term_frequencies(prepared)
        labels = cluster(
            prepared, scored, model, tf, threshold=args.cluster_probability, workers=workers
        )
        log(f"{len(set(labels)):,} clusters")
        outputs.append((args.clusters, _clusters_writer(records, labels)))
    _write_all(outputs)
    log(f"wrote {len(pairs):,} pairs to {args.out}")


def _link(args: argparse.Namespace, log: _Log) -> None:
    mapping = parse_mapping(args.mapping)
    dates = args.date_order
    if dates == "auto":
        # The two files judged together, so that a small file whose dates happen not to show
        # their order is read as the other (issue 16).
        day_l, month_l = date_counts(args.left, mapping, args.encoding)
        day_r, month_r = date_counts(args.right, mapping, args.encoding)
        day, month = day_l + day_r, month_l + month_r
        dates = "mdy" if reads_month_first(day, month) else "dmy"
        if dates == "mdy":
            log(
                f"dates of birth in both files read month first (MM/DD/YYYY): {month:,} have a "
                f"second part over 12 and {day:,} a first part over 12 "
                "(--date-order dmy to read them day first)"
            )
    left = read_records(args.left, mapping, args.encoding, warn=log, dates=dates)
    right = read_records(args.right, mapping, args.encoding, warn=log, dates=dates)
    log(f"read {len(left):,} and {len(right):,} records")
    pl, pr = _prepare(left, log), _prepare(right, log)
    _learn_names(args, log, pl, pr)
    model = _model(args, pl, pr, log)
    pairs = batch.link(
        pl, pr, model, min_probability=args.min_probability, progress=log, workers=_workers(args)
    )
    _write_all([(args.out, _pairs_writer(left, right, pairs))])
    log(f"wrote {len(pairs):,} pairs to {args.out}")


def _train(args: argparse.Namespace, log: _Log) -> None:
    if args.synthetic:
        from diogelu.matching.synth import generate

        records = generate(args.synthetic).records
        source = f"synthetic Welsh population, {args.synthetic:,} records, default seed"
    elif args.input:
        records = read_records(
            args.input,
            parse_mapping(args.mapping),
            args.encoding,
            warn=log,
            dates=args.date_order,
        )
        source = f"{args.input.name}, {len(records):,} records"
    else:
        raise InputError("train: give an input file or --synthetic N")
    prepared = _prepare(records, log)
    _learn_names(args, log, prepared)
    siblings, noise = _household_rules(args, prepared, log)
    model = em.train(
        prepared,
        version=args.version,
        trained_on=source,
        progress=log,
        sibling_rule=siblings,
    )
    model.noise_patterns = noise
    _write_all([(args.out, lambda f: f.write(_json(model)))])
    log(f"wrote {args.out}")


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    log = _Log(args.quiet)
    try:
        {"dedupe": _dedupe, "link": _link, "train": _train}[args.command](args, log)
    except InputError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted: nothing was written", file=sys.stderr)
        return 130
    return 0
