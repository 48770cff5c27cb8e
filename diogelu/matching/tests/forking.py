"""Tests of work shared with forked processes need fork here (Linux, the main thread, not a
daemon process). CI runs on Linux, so there its absence is a failure, not a skip."""

from __future__ import annotations

import os

import pytest

from diogelu.matching import batch


def require_fork() -> None:
    if batch._fork_context() is not None:
        return
    message = "no fork here (not Linux, not the main thread, or a daemon process)"
    if os.environ.get("CI"):
        pytest.fail(message + "; CI must test the work shared with forked processes")
    pytest.skip(message)
