"""The API's JSON parser: the safe loader's size and depth limits, so a hostile body is a 400, never a 500."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import IO, Any

from django.conf import settings
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser

from porchlight.ui import safejson


class SafeJSONParser(JSONParser):
    """JSONParser refusing bodies over DATA_UPLOAD_MAX_MEMORY_SIZE or nested deeper than 64 levels."""

    def parse(
        self,
        stream: IO[Any] | None,
        media_type: str | None = None,
        parser_context: Mapping[str, Any] | None = None,
    ) -> Any:
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE or safejson.MAX_BYTES
        data = stream.read(limit + 1) if stream is not None else b""
        try:
            return safejson.loads(data, max_bytes=limit)
        except safejson.UnsafeJSONError as exc:
            raise ParseError(str(exc)) from exc
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise ParseError(f"JSON parse error - {exc}") from exc
