"""The safe JSON loader: limits on depth and size, and brackets inside strings do not count."""

from __future__ import annotations

import json
import time

import pytest

from porchlight.ui import safejson


def test_it_loads_ordinary_json() -> None:
    assert safejson.loads(b'{"a": [1, {"b": "x]]]}"}]}') == {"a": [1, {"b": "x]]]}"}]}


def test_it_refuses_ten_kilobytes_of_brackets_with_a_clear_message() -> None:
    with pytest.raises(safejson.UnsafeJSONError, match="nested too deeply"):
        safejson.loads("[" * 10_240 + "]" * 10_240)


def test_it_allows_exactly_the_limit_and_refuses_one_more() -> None:
    assert safejson.loads("[" * 64 + "]" * 64, max_depth=64) == json.loads("[" * 64 + "]" * 64)
    with pytest.raises(safejson.UnsafeJSONError):
        safejson.loads("[" * 65 + "]" * 65, max_depth=64)


def test_it_does_not_count_brackets_inside_strings() -> None:
    text = json.dumps({"note": "[" * 500, "escaped": '\\"[[[' * 50})
    assert safejson.json_depth(text) == 1
    assert safejson.loads(text)["note"] == "[" * 500


def test_it_refuses_a_document_over_the_size_limit() -> None:
    with pytest.raises(safejson.UnsafeJSONError, match="too large"):
        safejson.loads(b'"' + b"x" * 100 + b'"', max_bytes=50)


def test_it_reports_malformed_json_as_a_decode_error() -> None:
    with pytest.raises(json.JSONDecodeError):
        safejson.loads("[1, 2")


def test_it_scans_a_hostile_run_of_quotes_and_backslashes_in_linear_time() -> None:
    start = time.perf_counter()
    safejson.json_depth('"\\' * 200_000)
    assert time.perf_counter() - start < 2
