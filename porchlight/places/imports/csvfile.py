"""Reading an uploaded CSV file: size and encoding checks, the header, and rows with their line numbers.

Nothing here knows about addresses or residents: each import kind says which columns it takes.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _

from porchlight.ui.exports import csv_writer

# Defaults when settings do not say otherwise (PORCHLIGHT_IMPORT_MAX_BYTES / _MAX_ROWS / _ERRORS_SHOWN).
DEFAULT_MAX_BYTES = 50 * 1024 * 1024
DEFAULT_MAX_ROWS = 200_000
DEFAULT_ERRORS_SHOWN = 200

Progress = Callable[[int], None]


def max_bytes() -> int:
    return int(getattr(settings, "PORCHLIGHT_IMPORT_MAX_BYTES", DEFAULT_MAX_BYTES))


def max_rows() -> int:
    return int(getattr(settings, "PORCHLIGHT_IMPORT_MAX_ROWS", DEFAULT_MAX_ROWS))


def errors_shown() -> int:
    return int(getattr(settings, "PORCHLIGHT_IMPORT_ERRORS_SHOWN", DEFAULT_ERRORS_SHOWN))


@dataclass(frozen=True)
class RowError:
    """One problem with one cell (or a whole row when field is empty). line 0 means the file as a whole."""

    line: int
    field: str
    message: str

    def as_dict(self) -> dict[str, object]:
        return {"line": self.line, "field": self.field, "message": self.message}


class ImportFileError(Exception):
    """The file cannot be read as a table at all (empty, not UTF-8, not CSV, wrong columns, too big)."""

    def __init__(self, message: str, *, line: int = 0) -> None:
        super().__init__(message)
        self.message = message
        self.line = line

    def as_row_error(self) -> RowError:
        return RowError(line=self.line, field="", message=self.message)


@dataclass
class ErrorList:
    """Collects row errors, keeping the first `limit` and counting all of them."""

    limit: int = field(default_factory=errors_shown)
    items: list[RowError] = field(default_factory=list)
    total: int = 0

    def add(self, line: int, field_name: str, message: str) -> None:
        self.total += 1
        if len(self.items) < self.limit:
            self.items.append(RowError(line=line, field=field_name, message=str(message)))

    def __bool__(self) -> bool:
        return self.total > 0


@dataclass
class CsvTable:
    """The data rows of a CSV file, by normalized column name, each with the line on which it starts."""

    columns: list[str]
    lines: list[int]
    rows: list[list[str]]
    # Lines of rows that had more cells than the header has columns (an unquoted comma, usually).
    overlong: set[int] = field(default_factory=set)

    def __len__(self) -> int:
        return len(self.rows)

    def records(self) -> Iterator[tuple[int, dict[str, str]]]:
        columns = self.columns
        for line, values in zip(self.lines, self.rows, strict=True):
            yield line, dict(zip(columns, values, strict=True))


def normalize_header(name: str) -> str:
    """'Street ', 'ZIP Code' and 'zip-code' all become 'street', 'zip_code'."""
    return re.sub(r"[\s\-]+", "_", name.strip().lstrip("\ufeff").strip()).lower()


def decode_text(data: bytes) -> str:
    """UTF-8 (with or without a byte-order mark) or a clear error; never a silent guess at another one."""
    if not data:
        raise ImportFileError(_("The file is empty (0 bytes)."))
    if len(data) > max_bytes():
        raise ImportFileError(
            _("The file is %(size)s MB; the limit is %(limit)s MB. Split it into smaller files.")
            % {"size": round(len(data) / 1024 / 1024, 1), "limit": round(max_bytes() / 1024 / 1024, 1)}
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise ImportFileError(
            _(
                "The file is not UTF-8 text: save it as “CSV UTF-8” and upload it again "
                "(first bad byte at offset %(offset)s, line %(line)s)."
            )
            % {"offset": exc.start, "line": line},
            line=line,
        ) from exc
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        raise ImportFileError(
            _("The file is not CSV text (it holds binary data, e.g. an Excel workbook): save it as CSV."),
            line=line,
        )
    if not text.strip():
        raise ImportFileError(_("The file holds no text: it needs a header row and at least one data row."))
    return text


def read_csv(
    *,
    data: bytes,
    columns: Sequence[str],
    required: Sequence[str],
    aliases: Mapping[str, str] | None = None,
) -> CsvTable:
    """Parse `data` as CSV with a header row naming some of `columns` (case- and space-insensitive).

    Raises ImportFileError for anything that makes the whole file unusable; row-level problems are left
    to the import kind.
    """
    text = decode_text(data)
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = next(reader)
    except csv.Error as exc:
        raise ImportFileError(_("The file is not valid CSV: %(reason)s.") % {"reason": exc}, line=1) from exc
    names = _check_header(header, columns=columns, required=required, aliases=aliases)
    lines, rows, overlong = _read_rows(reader, width=len(names))
    if not rows:
        raise ImportFileError(_("The file has a header row but no data rows."), line=1)
    # Keep only the named columns (a header cell left blank is dropped with its values).
    keep = [i for i, n in enumerate(names) if n]
    if len(keep) != len(names):
        rows = [[r[i] for i in keep] for r in rows]
    return CsvTable(columns=[names[i] for i in keep], lines=lines, rows=rows, overlong=overlong)


def _check_header(
    header: list[str],
    *,
    columns: Sequence[str],
    required: Sequence[str],
    aliases: Mapping[str, str] | None,
) -> list[str]:
    """The header's column names, normalized; any problem with them makes the whole file unusable."""
    names = [normalize_header(h) for h in header]
    names = [(aliases or {}).get(n, n) for n in names]
    expected = ", ".join(columns)
    if not any(names):
        raise ImportFileError(
            _("The first line must be a header row naming the columns: %s.") % expected, line=1
        )
    unknown = [h for h, n in zip(header, names, strict=True) if n and n not in columns]
    if unknown:
        raise ImportFileError(
            _("Unknown column(s): %(unknown)s. The columns this import takes are: %(expected)s.")
            % {"unknown": ", ".join(f"“{u.strip()}”" for u in unknown), "expected": expected},
            line=1,
        )
    seen: set[str] = set()
    for n in names:
        if n and n in seen:
            raise ImportFileError(_("The column “%s” appears twice in the header.") % n, line=1)
        seen.add(n)
    missing = [c for c in required if c not in seen]
    if missing:
        raise ImportFileError(
            _("Missing required column(s): %(missing)s. The columns this import takes are: %(expected)s.")
            % {"missing": ", ".join(missing), "expected": expected},
            line=1,
        )
    return names


def _read_rows(reader: Any, *, width: int) -> tuple[list[int], list[list[str]], set[int]]:
    """The data rows, each padded or cut to the header's width, with the line each starts on."""
    lines: list[int] = []
    rows: list[list[str]] = []
    overlong: set[int] = set()
    limit = max_rows()
    last_line = reader.line_num
    try:
        for values in reader:
            start = last_line + 1
            last_line = reader.line_num
            if not any(v.strip() for v in values):
                continue  # blank lines (and rows of empty cells, as spreadsheets save them) are not data
            if len(rows) >= limit:
                raise ImportFileError(
                    _("The file has more than %(limit)s data rows. Split it into smaller files.")
                    % {"limit": f"{limit:,}"},
                    line=start,
                )
            if len(values) > width and any(v.strip() for v in values[width:]):
                overlong.add(start)
            if len(values) != width:
                values = (values + [""] * width)[:width]
            lines.append(start)
            rows.append(values)
    except csv.Error as exc:
        raise ImportFileError(
            _("The file is not valid CSV at line %(line)s: %(reason)s.")
            % {"line": reader.line_num, "reason": exc},
            line=reader.line_num,
        ) from exc
    return lines, rows, overlong


def template_csv(columns: Sequence[str], example: Sequence[str]) -> str:
    out = io.StringIO()
    writer = csv_writer(out, lineterminator="\r\n")
    writer.writerow(columns)
    writer.writerow(example)
    return out.getvalue()
