"""The API's JSON parser: DRF's, refusing bodies nested too deeply to be a real request.

A body of a few kilobytes of nested brackets made ``json`` raise ``RecursionError`` (500 on every
JSON write). Bodies nested deeper than ``MAX_DEPTH`` are refused with 400 problem+json before they
are decoded; so are bodies that are not valid UTF-8 JSON.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import IO, Any

from django.conf import settings
from rest_framework import parsers
from rest_framework.exceptions import ParseError
from rest_framework.utils import json

#: No request of this API nests deeper than a handful of levels.
MAX_DEPTH = 32


def nesting_depth(text: str, stop_after: int = MAX_DEPTH) -> int:
    """The deepest nesting of arrays and objects in a JSON text (strings skipped); stops counting
    once past ``stop_after``."""
    if text.count("[") + text.count("{") <= stop_after:
        return 0
    depth = deepest = 0
    in_string = escaped = False
    for char in text:
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
            if depth > deepest:
                deepest = depth
                if deepest > stop_after:
                    return deepest
        elif char in "]}":
            depth -= 1
    return deepest


class JSONParser(parsers.JSONParser):
    """``application/json`` with a nesting limit and no 500 on hostile input."""

    def parse(
        self,
        stream: IO[Any] | None,
        media_type: str | None = None,
        parser_context: Mapping[str, Any] | None = None,
    ) -> Any:
        context = parser_context or {}
        encoding = context.get("encoding", settings.DEFAULT_CHARSET)
        raw = stream.read() if stream is not None else b""
        try:
            text = raw.decode(encoding) if isinstance(raw, bytes) else str(raw)
        except (UnicodeDecodeError, LookupError):
            raise ParseError("The body is not valid UTF-8 text.") from None
        if nesting_depth(text) > MAX_DEPTH:
            raise ParseError(f"The JSON body is nested more than {MAX_DEPTH} levels deep.")
        parse_constant = json.strict_constant if self.strict else None
        try:
            return json.loads(text, parse_constant=parse_constant)
        except (ValueError, RecursionError) as exc:
            raise ParseError(f"JSON parse error - {exc}") from None
