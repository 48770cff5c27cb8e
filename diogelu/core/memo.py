"""A memo for one page's reads: what several parts of a page each work out for the same user.

My work gathers sections from several apps (``extensions.my_work_sections``), and each asked the
database the same questions for the signed-in user (whose line they manage: three times; which
reports wait for a manager: twice). Inside :func:`page_memo` the first answer is kept for the
rest of the block; outside one (a form's POST, a task, a test calling a function directly)
nothing is kept and every call asks again, so a write can never be followed by a stale answer.

Only views that read open one (a read's own access-log row is the one write allowed inside):
nothing a memoised function answers may change within the block.
"""

from __future__ import annotations

import contextlib
import contextvars
from collections.abc import Callable, Hashable, Iterator
from typing import Any, TypeVar

T = TypeVar("T")

_memo: contextvars.ContextVar[dict[Hashable, Any] | None] = contextvars.ContextVar(
    "page_memo", default=None
)


@contextlib.contextmanager
def page_memo() -> Iterator[None]:
    """Keep :func:`memoised` answers until the block ends."""
    token = _memo.set({})
    try:
        yield
    finally:
        _memo.reset(token)


def memoised(key: Hashable, compute: Callable[[], T]) -> T:
    """``compute()``, or inside :func:`page_memo` the answer already worked out for ``key``.
    Callers get the kept object itself: keep it immutable (a frozenset, a tuple)."""
    memo = _memo.get()
    if memo is None:
        return compute()
    if key not in memo:
        memo[key] = compute()
    return memo[key]  # type: ignore[no-any-return]
