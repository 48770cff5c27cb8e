"""The access log's hash chain, kept in a separate append-only table of seals.

Each :class:`~diogelu.access.models.AccessLogSeal` covers one access-log row: ``row_hash`` is the
SHA-256 of a canonical serialisation (:func:`canonical`) of that row's fields plus ``prev_hash``,
and ``prev_hash`` is the ``row_hash`` of the seal before it (:data:`GENESIS` for the first). The
seals' primary key is the chain order. Changing a sealed row, or deleting, inserting or reordering
seals, breaks the chain at that seal, which :func:`verify` (``manage.py verify_access_log``)
reports; rows left unsealed for longer than ``ACCESS_LOG_SEAL_GRACE_SECONDS`` fail it too.

Writing an access-log row takes no lock beyond its own INSERT: requests are atomic, and a lock
taken while logging would be held until the request commits, queueing every request that reads a
child's record behind every other. Instead, :func:`seal_pending` runs after the writing
transaction commits (:func:`schedule_seal`, an ``on_commit`` callback) and from the reminder
sweep. It takes the chain lock *without waiting* in its own short transaction; if another sealer
holds it, it returns at once and that sealer (or the next one) seals the rows. The unique
``prev_hash`` is the database's own guard against a fork, should two sealers ever read the same
head.

The chain makes tampering evident, not impossible: someone who can rewrite both tables can
rewrite every seal after the change too. Recording the head hash elsewhere (the command prints
it) is what makes a wholesale rewrite detectable; shipping the log to a separate store is not yet
built (ADR 0007).
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, cast

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.models import F, Max
from django.utils import timezone

log = logging.getLogger(__name__)

GENESIS = "0" * 64

#: The fields a row's hash covers, in order. Never change this list or :func:`canonical` without a
#: migration that re-seals every row: old seals would no longer verify.
HASHED_FIELDS = (
    "at",
    "user_id",
    "agency_id",
    "person_id",
    "channel",
    "route",
    "part",
    "basis",
    "involvement_id",
    "break_glass_id",
    "request_id",
    "ip_address",
)
FOREIGN_KEYS = frozenset({"user_id", "agency_id", "person_id", "involvement_id", "break_glass_id"})

#: Key of the PostgreSQL advisory lock that serialises sealers ("acclog" in ASCII).
ADVISORY_LOCK_KEY = 0x6163636C6F67

#: Rows sealed per transaction.
BATCH = 1_000
#: Kept for callers that seal a recent window; the request path seals the tail after the highest
#: sealed row instead (:func:`seal_pending` ``tail_only``), the sweep every unsealed row.
RECENT = timedelta(hours=1)
#: Most passes one ``on_commit`` sealer makes (each its own transaction), so a request never
#: spends long sealing other requests' rows; what is left goes to the next sealer or the sweep.
MAX_PASSES = 5


def _at(value: datetime) -> str:
    if value.tzinfo is None:
        raise ValueError("Access log times must be timezone-aware")
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _ip(value: object) -> str | None:
    """The address as the database stores it (IPv6 normalised, blank as NULL)."""
    from django.utils.ipv6 import clean_ipv6_address

    if value is None or value == "":
        return None
    text = str(value)
    if ":" in text:
        text = clean_ipv6_address(text)
    return text


def canonical(values: dict[str, Any], prev_hash: str) -> bytes:
    """The bytes a row's hash is taken over: its hashed fields and ``prev_hash`` as sorted JSON."""
    data: dict[str, Any] = {}
    for name in HASHED_FIELDS:
        value = values.get(name)
        if name == "at":
            data[name] = _at(value) if isinstance(value, datetime) else value
        elif name == "ip_address":
            data[name] = _ip(value)
        elif name in FOREIGN_KEYS:
            data[name] = None if value is None else int(value)
        else:
            data[name] = "" if value is None else str(value)
    data["prev_hash"] = prev_hash
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=True).encode()


def compute_hash(values: dict[str, Any], prev_hash: str) -> str:
    return hashlib.sha256(canonical(values, prev_hash)).hexdigest()


def values_of(row: object) -> dict[str, Any]:
    """The hashed fields of a model instance."""
    return {name: getattr(row, name) for name in HASHED_FIELDS}


# --- Sealing -----------------------------------------------------------------------------------


def try_lock_chain(using: str) -> bool:
    """Take the sealers' lock until the current transaction ends, if it is free; never wait.

    SQLite has no advisory locks and needs none: its writers are serialised by the database
    (``BEGIN IMMEDIATE``).
    """
    connection = connections[using]
    if connection.vendor != "postgresql":
        return True
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_xact_lock(%s)", [ADVISORY_LOCK_KEY])
        row = cursor.fetchone()
    return bool(row and row[0])


def chain_head(using: str) -> str:
    """The ``row_hash`` of the last seal, or :data:`GENESIS` when there is none."""
    from diogelu.access.models import AccessLogSeal

    last = (
        AccessLogSeal.objects.using(using)
        .order_by("-id")
        .values_list("row_hash", flat=True)
        .first()
    )
    return last or GENESIS


def last_sealed_log_id(using: str = DEFAULT_DB_ALIAS) -> int:
    """The highest access-log id that has a seal (0 when none): one index look-up."""
    from diogelu.access.models import AccessLogSeal

    value = AccessLogSeal.objects.using(using).aggregate(top=Max("log_id"))["top"]
    return int(value or 0)


def seal_pending(
    using: str = DEFAULT_DB_ALIAS,
    *,
    limit: int = BATCH,
    since: datetime | None = None,
    tail_only: bool = False,
    from_id: int | None = None,
) -> int:
    """Seal up to ``limit`` committed access-log rows that have no seal, in id order.

    Runs in its own short transaction. Returns how many rows it sealed: 0 when there were none,
    or when another sealer holds the chain lock (that one, or the next, will seal them).
    ``since`` limits the search to rows logged from then on. ``tail_only`` limits it to rows
    after the highest sealed row (the request path: an index range that holds only the rows
    written since the last seal, however large the log grows; a row that committed later than a
    higher one already sealed is left to the sweep, well within the grace period). ``from_id``
    limits it to rows from that id on (the first row a committed transaction wrote: its own rows
    and any written since, however large the log grows).
    """
    from diogelu.access.models import AccessLog, AccessLogSeal

    with transaction.atomic(using=using):
        if not try_lock_chain(using):
            return 0
        pending = AccessLog.objects.using(using).filter(seal__isnull=True)
        if since is not None:
            pending = pending.filter(at__gte=since)
        if tail_only:
            pending = pending.filter(id__gt=last_sealed_log_id(using))
        if from_id is not None:
            pending = pending.filter(id__gte=from_id)
        rows = list(pending.order_by("id").values("id", *HASHED_FIELDS)[:limit])
        if not rows:
            return 0
        prev = chain_head(using)
        now = timezone.now()
        seals = []
        for row in rows:
            digest = compute_hash(row, prev)
            seals.append(
                AccessLogSeal(log_id=row["id"], prev_hash=prev, row_hash=digest, sealed_at=now)
            )
            prev = digest
        AccessLogSeal.objects.using(using).bulk_create(seals)
    return len(seals)


def seal_recent(using: str = DEFAULT_DB_ALIAS, from_id: int | None = None) -> int:
    """What runs after a transaction that wrote access-log rows commits: its rows (from
    ``from_id``, the first id it wrote) and any written since; without ``from_id``, the rows after
    the highest sealed one. Either is an index range whose size does not grow with the log.

    Passes until one finds nothing (a row committed by another request while this one held the
    lock is then sealed here too), at most :data:`MAX_PASSES`. Never raises: the request has
    already committed, and a failure here must not turn into an error page. The failure is
    logged without any row content; the sweep seals the rows later.
    """
    total = 0
    try:
        for _ in range(MAX_PASSES):
            done = (
                seal_pending(using, from_id=from_id)
                if from_id is not None
                else seal_pending(using, tail_only=True)
            )
            total += done
            if not done:
                break
    except Exception as exc:
        log.error("Sealing the access log failed (%s); the sweep will retry", type(exc).__name__)
    return total


def seal_backlog(using: str = DEFAULT_DB_ALIAS, *, limit: int = 5 * BATCH) -> int:
    """The sweep (``manage.py tick`` / Celery beat): seal every unsealed row, however old.

    Stops early if another sealer holds the lock. Failures are logged (no row content) rather
    than raised, so the other sweeps still run; ``verify_access_log`` fails on rows left unsealed.
    """
    total = 0
    try:
        while (done := seal_pending(using, limit=limit)) > 0:
            total += done
    except Exception as exc:
        log.error("Sealing the access log failed (%s)", type(exc).__name__)
    return total


class _SealAfterCommit:
    """The ``on_commit`` callback; a class so that one transaction registers it only once."""

    def __init__(self, using: str, from_id: int | None) -> None:
        self.using = using
        self.from_id = from_id

    def __call__(self) -> None:
        seal_recent(self.using, self.from_id)


def schedule_seal(using: str = DEFAULT_DB_ALIAS, from_id: int | None = None) -> None:
    """Seal the rows just written once the current transaction commits (once per transaction).

    ``from_id``: the lowest access-log id just written (None: unknown, seal the tail after the
    highest sealed row).

    A callback already registered at this savepoint level or an outer one covers these rows too:
    it is discarded only if a savepoint that also holds these rows is rolled back.
    """
    connection = connections[using]
    if connection.in_atomic_block:
        current = set(connection.savepoint_ids)
        try:
            # Django's own list of (savepoint ids, callback, robust): internal, so if its shape
            # ever changes, fall back to registering again (sealing twice is harmless).
            for entry in connection.run_on_commit:
                sids, func = entry[0], entry[1]
                if isinstance(func, _SealAfterCommit) and func.using == using and sids <= current:
                    if func.from_id is not None:
                        func.from_id = None if from_id is None else min(func.from_id, from_id)
                    return
        except (AttributeError, IndexError, TypeError, ValueError):
            pass
    transaction.on_commit(_SealAfterCommit(using, from_id), using=using, robust=True)


# --- Verification ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Break:
    """Where the chain is broken, and why."""

    seal_id: int
    log_id: int
    reason: str


@dataclass(frozen=True)
class Result:
    #: Seals checked and found intact (all of them, when the chain is intact).
    sealed: int
    #: The last intact seal's ``row_hash`` (record it elsewhere).
    head: str
    broken: Break | None
    #: Access-log rows without a seal older than the grace period (a failure) ...
    unsealed_overdue: int = 0
    #: ... and the oldest of them, by id.
    first_overdue_id: int | None = None
    #: Rows without a seal still within the grace period (pending; not a failure).
    pending: int = 0

    @property
    def intact(self) -> bool:
        return self.broken is None and self.unsealed_overdue == 0


def _seals(using: str, chunk_size: int) -> Iterator[dict[str, Any]]:
    from diogelu.access.models import AccessLogSeal

    log_fields = {
        name: F(f"log__{name.removesuffix('_id')}" if name in FOREIGN_KEYS else f"log__{name}")
        for name in HASHED_FIELDS
    }
    rows = (
        AccessLogSeal.objects.using(using)
        .order_by("id")
        .values("id", "log_id", "prev_hash", "row_hash", **log_fields)
        .iterator(chunk_size=chunk_size)
    )
    yield from cast("Iterator[dict[str, Any]]", rows)


def seal_count(using: str = DEFAULT_DB_ALIAS) -> int:
    from diogelu.access.models import AccessLogSeal

    return AccessLogSeal.objects.using(using).count()


def verify(
    using: str = DEFAULT_DB_ALIAS,
    *,
    now: datetime | None = None,
    grace_seconds: int | None = None,
    progress: Callable[[int], None] | None = None,
    every: int = 100_000,
    chunk_size: int = 2_000,
) -> Result:
    """Walk the seals in chain order, stop at the first broken one, then count unsealed rows.

    A seal is broken when its ``prev_hash`` is not the previous seal's ``row_hash`` (a seal before
    it was deleted, inserted or reordered) or its ``row_hash`` does not match its log row's
    current contents (the row was changed, or the seal moved to another row). ``progress`` is
    called with the number of seals checked every ``every`` seals. Rows with no seal logged more
    than ``grace_seconds`` (default ``ACCESS_LOG_SEAL_GRACE_SECONDS``) before ``now`` are overdue.
    """
    from diogelu.access.models import AccessLog

    prev = GENESIS
    count = 0
    for seal in _seals(using, chunk_size):
        reason = None
        if seal["prev_hash"] != prev:
            reason = "prev_hash is not the previous seal's hash"
        elif compute_hash(seal, prev) != seal["row_hash"]:
            reason = "row_hash does not match the log row's contents"
        if reason is not None:
            return Result(sealed=count, head=prev, broken=Break(seal["id"], seal["log_id"], reason))
        prev = seal["row_hash"]
        count += 1
        if progress is not None and count % every == 0:
            progress(count)

    grace = settings.ACCESS_LOG_SEAL_GRACE_SECONDS if grace_seconds is None else grace_seconds
    cutoff = (now or timezone.now()) - timedelta(seconds=grace)
    unsealed = AccessLog.objects.using(using).filter(seal__isnull=True)
    overdue = unsealed.filter(at__lt=cutoff)
    first_overdue = overdue.order_by("id").values_list("id", flat=True).first()
    return Result(
        sealed=count,
        head=prev,
        broken=None,
        unsealed_overdue=overdue.count() if first_overdue is not None else 0,
        first_overdue_id=first_overdue,
        pending=unsealed.filter(at__gte=cutoff).count(),
    )
