"""CSV files that a spreadsheet opens safely: every export in Porchlight writes its rows through here.

A spreadsheet runs a cell that starts with = + - @ (or a tab or carriage return before one) as a formula, so
a theme or an organization named `=HYPERLINK("http://x","y")` would become a live link in the city's copy
of Excel (CSV injection). `safe_cell` prefixes such text with an apostrophe, which spreadsheets read as
"this is text" and do not display. Plain numbers are left alone: "-80.84" (a longitude) is not a formula.

The prefix is reversible: a value that already starts with apostrophes before a formula character gets one
more, so `cell_unquote` (used by the HSDS import) strips exactly the one that `safe_cell` added and a round
trip gives back the original text, whatever it was.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"-?\d+(\.\d+)?\Z")


def _needs_quote(text: str) -> bool:
    rest = text.lstrip("'")
    if rest[:1] not in FORMULA_START or not rest:
        return False
    return bool(text[:1] == "'" or not _PLAIN_NUMBER.match(text))


def safe_cell(value: Any) -> Any:
    """The value as a spreadsheet should receive it: text that would start a formula gets a leading "'"."""
    if isinstance(value, str) and _needs_quote(value):
        return "'" + value
    return value


def cell_unquote(text: str) -> str:
    """Undo `safe_cell` on text read back from a file this project wrote (exactly one apostrophe)."""
    if text[:1] == "'" and _needs_quote(text[1:]):
        return text[1:]
    return text


def safe_row(row: Iterable[Any]) -> list[Any]:
    return [safe_cell(v) for v in row]


class SafeWriter:
    """`csv.writer` whose every cell goes through `safe_cell`."""

    def __init__(self, f: Any, **kwargs: Any) -> None:
        self._writer = csv.writer(f, **kwargs)

    def writerow(self, row: Iterable[Any]) -> Any:
        return self._writer.writerow(safe_row(row))

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        for row in rows:
            self.writerow(row)


class SafeDictWriter(csv.DictWriter):
    """`csv.DictWriter` whose every cell goes through `safe_cell`."""

    def writerow(self, rowdict: Mapping[str, Any]) -> Any:
        return super().writerow({k: safe_cell(v) for k, v in rowdict.items()})

    def writerows(self, rowdicts: Iterable[Mapping[str, Any]]) -> None:
        for row in rowdicts:
            self.writerow(row)


def csv_writer(f: Any, **kwargs: Any) -> SafeWriter:
    """Use instead of `csv.writer` for anything a person may open in a spreadsheet."""
    return SafeWriter(f, **kwargs)


def csv_dict_writer(f: Any, fieldnames: Sequence[str], **kwargs: Any) -> SafeDictWriter:
    """Use instead of `csv.DictWriter` for anything a person may open in a spreadsheet."""
    return SafeDictWriter(f, fieldnames=fieldnames, **kwargs)
