"""Structured logs: every line says which request or batch it was written for.

`log_context(request_id=…)` (the request middleware) or `log_context(batch_id=…)` (the batch
engine) binds fields for the code running inside it, in this thread; `ContextFilter` copies them
onto every record, so the lines of libraries and of Django itself carry them too.
`PAZAR_LOG_FORMAT=json` writes one JSON object per line; `text` (the default) is for people.

The formatter needs no Django settings: granian's main process uses it as well.
"""

from __future__ import annotations

import contextvars
import json
import logging
from collections.abc import Mapping
from contextlib import contextmanager
from datetime import UTC, datetime
from types import MappingProxyType

from django.core.exceptions import ImproperlyConfigured

_context: contextvars.ContextVar[Mapping] = contextvars.ContextVar(
    "pazar_log_context", default=MappingProxyType({})
)

# Attributes every LogRecord has; anything else on a record came from `extra=` or the context.
_STANDARD = set(vars(logging.LogRecord("", 0, "", 0, "", (), None))) | {"message", "asctime"}
# Django's request logger attaches the request object itself; its path is logged already.
_SKIPPED = {"request", "context_text", "server_time"}


@contextmanager
def log_context(**fields):
    """Add `fields` to every log line written inside the block (this thread or task only)."""
    token = _context.set({**_context.get(), **fields})
    try:
        yield
    finally:
        _context.reset(token)


class ContextFilter(logging.Filter):
    """Put the bound fields on the record, and `context_text` (` key=value …`) for text lines."""

    def filter(self, record: logging.LogRecord) -> bool:
        fields = _context.get()
        # Django logs 4xx/5xx answers after the middleware is done, with the request attached.
        request_id = getattr(getattr(record, "request", None), "request_id", None)
        if request_id and "request_id" not in fields:
            fields = {"request_id": request_id, **fields}
        for key, value in fields.items():
            if not hasattr(record, key):
                setattr(record, key, value)
        record.context_text = "".join(f" {key}={value}" for key, value in fields.items())
        return True


class OversizedBodyFilter(logging.Filter):
    """Django logs every body over `DATA_UPLOAD_MAX_MEMORY_SIZE` as an ERROR with a traceback
    (`django.security.RequestDataTooBig`); the client gets a 413 and nothing failed here, so
    one WARNING line without the traceback says it, and a client cannot flood the log."""

    def filter(self, record: logging.LogRecord) -> bool:
        request = getattr(record, "request", None)
        where = f" ({request.method} {request.path})" if request is not None else ""
        record.levelno, record.levelname = logging.WARNING, "WARNING"
        record.exc_info = record.exc_text = record.stack_info = None
        record.msg, record.args = f"request body over the size limit, answered 413{where}", ()
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, then every other field."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": _utc(record.created),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "process": record.process,
        }
        for key, value in vars(record).items():
            if key not in _STANDARD and key not in _SKIPPED and key not in entry:
                entry[key] = value
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        if record.stack_info:
            entry["stack"] = self.formatStack(record.stack_info)
        return json.dumps(entry, default=str, ensure_ascii=False)


def _utc(timestamp: float) -> str:
    moment = datetime.fromtimestamp(timestamp, UTC).isoformat(timespec="milliseconds")
    return moment.replace("+00:00", "Z")


TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s %(message)s%(context_text)s"
FORMATS = ("text", "json")


def logging_config(*, log_format: str, level: str) -> dict:
    """The LOGGING setting: one console handler in the chosen format, with the context filter."""
    if log_format not in FORMATS:
        raise ImproperlyConfigured(
            f"PAZAR_LOG_FORMAT must be one of {', '.join(FORMATS)}; got {log_format!r}."
        )
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {
            "context": {"()": "pazar.core.logs.ContextFilter"},
            "oversized_body": {"()": "pazar.core.logs.OversizedBodyFilter"},
        },
        "formatters": {
            "text": {"format": TEXT_FORMAT},
            "json": {"()": "pazar.core.logs.JsonFormatter"},
        },
        "handlers": {
            "console": {
                "class": "logging.StreamHandler",
                "formatter": log_format,
                "filters": ["context"],
            }
        },
        "root": {"handlers": ["console"], "level": level},
        # httpx logs every request at INFO with its full URL; our callers log what matters.
        "loggers": {
            "django.db.backends": {"level": "WARNING"},
            "httpx": {"level": "WARNING"},
            "django.security.RequestDataTooBig": {"filters": ["oversized_body"]},
        },
    }
