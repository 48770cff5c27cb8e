"""``LOG_FORMAT=json``: one JSON object per line with the request id and no added fields."""

from __future__ import annotations

import json
import logging

from diogelu.core.log_format import JsonFormatter
from diogelu.core.middleware import RequestIdFilter


def test_a_log_line_is_one_json_object_with_the_request_id():
    record = logging.LogRecord(
        "diogelu.sharing", logging.WARNING, __file__, 1, "Outbox lag %s s", (42,), None
    )
    RequestIdFilter().filter(record)
    line = JsonFormatter().format(record)
    entry = json.loads(line)
    assert "\n" not in line
    assert set(entry) == {"time", "level", "logger", "request_id", "message"}
    assert entry["message"] == "Outbox lag 42 s" and entry["level"] == "WARNING"
    assert entry["request_id"] == "-"


def test_an_exception_stays_on_one_line():
    try:
        raise ValueError("boom")
    except ValueError:
        import sys

        record = logging.LogRecord(
            "diogelu", logging.ERROR, __file__, 1, "failed", (), sys.exc_info()
        )
    line = JsonFormatter().format(record)
    assert "\n" not in line and "ValueError: boom" in json.loads(line)["exception"]
