"""One JSON object per log line (``LOG_FORMAT=json``), for a log store that indexes fields.

The same fields as the plain format and nothing more: time, level, logger, request id, message
(and the exception's traceback when there is one). No request data, user or arguments are added:
log messages carry ids, never personal data (``tests/test_no_personal_data_in_logs.py``), and
this formatter must not widen what is logged.
"""

from __future__ import annotations

import datetime
import json
import logging


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, object] = {
            "time": datetime.datetime.fromtimestamp(record.created, tz=datetime.UTC).isoformat(
                timespec="milliseconds"
            ),
            "level": record.levelname,
            "logger": record.name,
            "request_id": getattr(record, "request_id", "-"),
            "message": record.getMessage(),
        }
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)
