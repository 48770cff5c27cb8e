"""gunicorn settings for Diogelu (``gunicorn diogelu.wsgi`` reads this file from the working
directory). Every value can be overridden on the command line or from the environment.

The matching index is built once, in the master, before the workers fork (``preload_app`` and
:func:`when_ready`): no worker's first search waits for it, and the workers share its memory
copy-on-write. The Jinja2 templates are compiled there too (``diogelu.core.warmup``), so no
worker compiles a page's templates on its first request. ``MATCHING_PRELOAD=0`` turns both off
(each worker then builds its own on first use). See
docs/adr/0500-matching-index-built-before-fork.md.

Each worker then freezes what it has kept after its first ``GC_FREEZE_AFTER_REQUESTS`` requests
(default 50; 0 turns it off): compiled templates, the URL resolver, caches. The collector's
oldest generation then holds only what the worker made since, and a full collection no longer
walks every long-lived object: 65-70 ms each time, every few requests, at a county (issue 17).
"""

from __future__ import annotations

import gc
import os
import time
from typing import Any

preload_app = os.environ.get("MATCHING_PRELOAD", "1") != "0"


def when_ready(server: Any) -> None:
    if not preload_app:
        return
    from django.db import connections

    from diogelu.people.matching_index import warm_indexes

    began = time.monotonic()
    try:
        records = warm_indexes()
    except Exception as exc:  # an empty or unmigrated database: workers build on first use
        server.log.warning("Matching index not built before fork (%s)", type(exc).__name__)
        records = 0
    built = time.monotonic() - began
    # The templates, the URL resolver and the message catalogues too (``core.warmup``): no
    # worker's first request of a page compiles its templates (0.87 s against 0.10 s for the
    # MASH dashboard). It reads no database.
    try:
        from diogelu.core.warmup import warm_process

        warmed = warm_process()
        server.log.info("Warmed before fork: %s", warmed)
    except Exception as exc:
        server.log.warning("Templates not warmed before fork (%s)", type(exc).__name__)
    finally:
        connections.close_all()  # never share a database connection across fork
    # Keep the index out of the collector's generations so it is not written (copied) by the
    # workers' garbage collection.
    gc.collect()
    gc.freeze()
    server.log.info("Matching index built before fork: %d records in %.1f s", records, built)


#: Requests a worker serves before it freezes what it has kept (0: never).
GC_FREEZE_AFTER_REQUESTS = int(os.environ.get("GC_FREEZE_AFTER_REQUESTS", "50"))
_served = 0


def post_request(worker: Any, req: Any, environ: Any, resp: Any) -> None:
    """Count the worker's requests; at ``GC_FREEZE_AFTER_REQUESTS``, collect once and freeze
    the survivors (Python's ``gc.freeze``: they stay alive and are no longer scanned)."""
    global _served
    _served += 1
    if GC_FREEZE_AFTER_REQUESTS and _served == GC_FREEZE_AFTER_REQUESTS:
        gc.collect()
        gc.freeze()
