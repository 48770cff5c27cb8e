"""What a web process would do on its first requests is done before gunicorn forks
(``diogelu.core.warmup``, gunicorn.conf.py): every template compiled once, so that no worker's
first request of a page compiles them (the MASH dashboard's first request in a fresh process
took 0.87 s against 0.10 s after, with the same queries; issue 17)."""

from __future__ import annotations

import gc
import importlib.util
import logging
from pathlib import Path

from django.template import engines

from diogelu.core.warmup import warm_process

CONF = Path(__file__).resolve().parent.parent / "gunicorn.conf.py"


def test_every_template_is_compiled_once_and_then_only_read_from_the_cache(monkeypatch):
    env = engines["jinja2"].env  # type: ignore[attr-defined]
    warmed = warm_process()
    names = env.list_templates(extensions=("jinja", "html", "txt"))
    assert warmed["templates"] == len(names) > 150
    assert "sharing/mash_dashboard.jinja" in names
    assert any(n.startswith("govuk_frontend_jinja/") for n in names)
    assert warmed["languages"] == 2 and warmed["url_names"] > 100

    def no_compiling(*_args, **_kwargs):  # type: ignore[no-untyped-def]
        raise AssertionError("a template was compiled after the warm-up")

    monkeypatch.setattr(env, "compile", no_compiling)
    for name in names:
        env.get_template(name)


def test_gunicorns_master_warms_before_it_forks(monkeypatch, db):
    monkeypatch.setenv("MATCHING_PRELOAD", "1")
    spec = importlib.util.spec_from_file_location("gunicorn_conf_warm", CONF)
    assert spec is not None and spec.loader is not None
    conf = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(conf)
    said: list[str] = []

    class Server:
        log = logging.getLogger("test.gunicorn")

    monkeypatch.setattr(Server.log, "info", lambda msg, *a: said.append(msg % a))
    monkeypatch.setattr(Server.log, "warning", lambda msg, *a: said.append(msg % a))
    try:
        conf.when_ready(Server())
    finally:
        gc.unfreeze()
    assert any(s.startswith("Warmed before fork: {'url_names'") for s in said), said
    assert not any("not warmed" in s for s in said), said
