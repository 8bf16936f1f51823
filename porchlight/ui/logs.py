"""Log lines for machines in production: one JSON object per line on stdout, carrying the request's id.

Used by settings.LOGGING (Django, the worker, commands) and gunicorn.conf.py (the access log). Plain text
stays the default while DEBUG is on. Standard library only, so gunicorn can load it before Django.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping
from contextvars import ContextVar
from datetime import UTC, datetime
from typing import Any

# Set by porchlight.web.middleware.RequestIdMiddleware for the duration of one request.
request_id_var: ContextVar[str | None] = ContextVar("porchlight_request_id", default=None)

# gunicorn's access-log atoms worth a field of their own (gunicorn passes them as the record's args).
_ACCESS_FIELDS = {
    "remote_addr": "h",
    "method": "m",
    "path": "U",
    "query": "q",
    "status": "s",
    "bytes": "b",
    "duration_ms": "M",
    "user_agent": "a",
    "request_id": "{x-request-id}o",
}


class RequestIdFilter(logging.Filter):
    """Copy the current request's id onto every record written while serving it."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not getattr(record, "request_id", None):
            record.request_id = request_id_var.get()
        return True


class JsonFormatter(logging.Formatter):
    """{"time", "level", "logger", "message", "request_id", ...} on one line; exceptions as one string."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, tz=UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        request_id = getattr(record, "request_id", None) or request_id_var.get()
        if request_id:
            entry["request_id"] = request_id
        if record.name == "gunicorn.access" and isinstance(record.args, Mapping):
            for field, atom in _ACCESS_FIELDS.items():
                try:
                    value = record.args[atom]  # gunicorn's SafeAtoms answers "-" for what it lacks
                except KeyError:
                    continue
                if value not in (None, "-", ""):
                    entry[field] = value
        status_code = getattr(record, "status_code", None)  # django.request's 4xx/5xx lines
        if status_code is not None:
            entry["status"] = status_code
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, default=str, ensure_ascii=False)
