"""The JSON parser of every API: DRF's, refusing what no database stores and what would crash us.

- The NUL character (`\\u0000`) in any string or key: PostgreSQL can store it neither in text nor
  in jsonb, so it would be a 500 there and a stored oddity on SQLite; it is a 400 on both.
- Unpaired surrogates (`"\\ud800"`): valid JSON, but not text any database can encode.
- Nesting deeper than `MAX_DEPTH`: no API body needs it, and Python's parser and serializers
  recurse, so a body of a million `[` would otherwise be a RecursionError (a 500).
"""

from __future__ import annotations

import codecs
import io

from rest_framework import parsers
from rest_framework.exceptions import ParseError

MAX_DEPTH = 32


class JSONParser(parsers.JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        body = None
        encoding = parsers.get_encoding(parser_context or {})
        if stream is not None and codecs.lookup(encoding).name == "utf-8":
            body = stream.read()
            stream = io.BytesIO(body)
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise ParseError(f"JSON parse error - nested deeper than {MAX_DEPTH} levels.") from None
        if body is not None and b"\\u" not in body:
            # UTF-8 without a `\u` escape: no string can hold a NUL (a raw one is not JSON) or
            # an unpaired surrogate (not UTF-8), so only the depth is left to check (a commit
            # of 100 objects looked at its 500 strings one by one).
            if body.count(b"[") + body.count(b"{") > MAX_DEPTH:
                _check_depth(data)
            return data
        check_storable(data)
        return data


def _check_depth(data) -> None:
    """`check_storable` of a body whose strings are known to be storable: only the depth."""
    pending = [(data, 1)]
    while pending:
        value, depth = pending.pop()
        if depth > MAX_DEPTH:
            raise ParseError(f"JSON parse error - nested deeper than {MAX_DEPTH} levels.")
        for item in value.values() if type(value) is dict else value:
            if type(item) is dict or type(item) is list:
                pending.append((item, depth + 1))


def check_storable(data) -> None:
    """Raise ParseError for a NUL character anywhere in `data`, or nesting past MAX_DEPTH."""
    pending = [(data, 1)]
    while pending:
        value, depth = pending.pop()
        if isinstance(value, str):
            _check_text(value)
        elif isinstance(value, dict | list):
            if depth > MAX_DEPTH:
                raise ParseError(f"JSON parse error - nested deeper than {MAX_DEPTH} levels.")
            if isinstance(value, dict):
                pending.extend((key, depth) for key in value)
                pending.extend((item, depth + 1) for item in value.values())
            else:
                pending.extend((item, depth + 1) for item in value)


def _check_text(value: str) -> None:
    if "\x00" in value:
        raise ParseError("JSON parse error - strings may not contain the NUL character.")
    if not value.isascii():
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            raise ParseError(
                "JSON parse error - strings may not contain unpaired surrogates."
            ) from None
