"""JSON from outside (API bodies, uploaded files) parsed with limits on size and nesting depth.

Python's `json` module recurses once per bracket: a few kilobytes of `[[[[...` raise RecursionError, which
surfaces as a 500. The depth is checked first, without recursion, so hostile input is a clear error instead.
"""

from __future__ import annotations

import json
import re
from typing import Any

MAX_DEPTH: int = 64
MAX_BYTES: int = 2_621_440  # Django's DATA_UPLOAD_MAX_MEMORY_SIZE default (2.5 MB)

# A JSON string (skipped whole, so brackets inside text do not count) or one bracket. An unterminated string
# runs to the end of the text, so that a run of `"\` cannot make the scan quadratic.
_TOKENS = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*(?:"|\\?\Z)|[\[\]{}]', re.DOTALL)


class UnsafeJSONError(ValueError):
    """The document is larger or deeper than allowed; `str(exc)` is a message fit for the sender."""


def json_depth(text: str, *, stop_at: int | None = None) -> int:
    """The deepest nesting of arrays and objects in `text` (0 for a scalar); stops early past `stop_at`."""
    depth = deepest = 0
    for match in _TOKENS.finditer(text):
        bracket = match.group()
        if bracket in "[{":
            depth += 1
            if depth > deepest:
                deepest = depth
                if stop_at is not None and deepest > stop_at:
                    break
        elif bracket in "]}":
            depth -= 1
    return deepest


def loads(data: bytes | str, *, max_depth: int = MAX_DEPTH, max_bytes: int = MAX_BYTES) -> Any:
    """`json.loads` that refuses documents over `max_bytes` or nested deeper than `max_depth`.

    Raises UnsafeJSONError for those, UnicodeDecodeError for bytes that are not UTF-8 and
    json.JSONDecodeError for malformed JSON (both ValueError, like UnsafeJSONError).
    """
    size = len(data.encode("utf-8")) if isinstance(data, str) else len(data)
    if size > max_bytes:
        raise UnsafeJSONError(f"The JSON document is too large: the limit is {max_bytes} bytes.")
    text = data.decode("utf-8-sig") if isinstance(data, bytes) else data
    shallow = text.count("[") + text.count("{") <= max_depth  # most small bodies: no scan needed
    if not shallow and json_depth(text, stop_at=max_depth) > max_depth:
        raise UnsafeJSONError(f"The JSON document is nested too deeply: the limit is {max_depth} levels.")
    return json.loads(text)
