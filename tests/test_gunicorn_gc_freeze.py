"""A gunicorn worker freezes what it has kept after its first requests (gunicorn.conf.py,
issue 17): a full collection then walks only what it made since, not every compiled template
and cache (65-70 ms each time at a county)."""

from __future__ import annotations

import gc
import importlib.util
from pathlib import Path

import pytest

CONF = Path(__file__).resolve().parent.parent / "gunicorn.conf.py"


def _conf(monkeypatch: pytest.MonkeyPatch, after: str):  # type: ignore[no-untyped-def]
    monkeypatch.setenv("GC_FREEZE_AFTER_REQUESTS", after)
    spec = importlib.util.spec_from_file_location("gunicorn_conf_under_test", CONF)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def unfrozen():
    gc.unfreeze()
    yield
    gc.unfreeze()


def test_a_worker_freezes_its_survivors_once_after_its_first_requests(monkeypatch, unfrozen):
    conf = _conf(monkeypatch, "3")
    kept = [[] for _ in range(1000)]
    for _ in range(2):
        conf.post_request(None, None, {}, None)
    assert gc.get_freeze_count() == 0
    conf.post_request(None, None, {}, None)
    frozen = gc.get_freeze_count()
    assert frozen >= len(kept)
    # once only: later requests freeze nothing more (a second freeze would add the 1,000 lists
    # below; the count may fall by a frozen object freed meanwhile, which a CI run once saw)
    more = [[] for _ in range(1000)]
    conf.post_request(None, None, {}, None)
    assert gc.get_freeze_count() < frozen + len(more) // 2
    assert len(more) == 1000


def test_zero_turns_the_freeze_off(monkeypatch, unfrozen):
    conf = _conf(monkeypatch, "0")
    for _ in range(5):
        conf.post_request(None, None, {}, None)
    assert gc.get_freeze_count() == 0
