"""Reading an uploaded CSV file: size and encoding checks, the header, and rows with their line numbers.

Nothing here knows about addresses or residents: each import kind says which columns it takes.
"""

from __future__ import annotations

import bisect
import csv
import io
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, BinaryIO

from django.conf import settings
from django.utils.translation import gettext as _

from porchlight.ui.exports import csv_writer

# Defaults when settings do not say otherwise (PORCHLIGHT_IMPORT_MAX_BYTES / _MAX_ROWS / _ERRORS_SHOWN).
DEFAULT_MAX_BYTES = 100 * 1024 * 1024
DEFAULT_MAX_ROWS = 1_000_000
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
        """Keep the `limit` errors with the smallest line numbers: checks over the whole file (duplicates)
        report after the row-by-row ones, yet the page lists problems in file order."""
        self.total += 1
        if len(self.items) >= self.limit and line >= self.items[-1].line:
            return
        bisect.insort_right(
            self.items, RowError(line=line, field=field_name, message=str(message)), key=lambda e: e.line
        )
        if len(self.items) > self.limit:
            self.items.pop()

    def __bool__(self) -> bool:
        return self.total > 0


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


BinaryOpener = Callable[[], BinaryIO]
CHUNK = 1024 * 1024


class CsvSource:
    """A stored CSV file, read row by row from disk so that memory stays flat however long the file is.

    `check()` reads it once (size, encoding, header, row count: everything that makes the whole file unusable
    raises ImportFileError before any row is looked at); `records()` then yields each data row with the line
    it starts on, by normalized column name.
    """

    def __init__(
        self,
        opener: BinaryOpener,
        *,
        columns: Sequence[str],
        required: Sequence[str],
        aliases: Mapping[str, str] | None = None,
    ) -> None:
        self.opener = opener
        self.expected, self.required, self.aliases = columns, required, aliases
        self.columns: list[str] = []
        self.keep: list[int] = []
        self.width = 0
        self.total = 0

    def check(self) -> int:
        """Check the file as a whole and count its data rows; raises ImportFileError."""
        with self.opener() as raw:
            _scan_bytes(raw)
        with self._reader() as (reader, _text):
            try:
                header = next(reader)
            except (csv.Error, StopIteration) as exc:
                raise ImportFileError(
                    _("The file is not valid CSV: %(reason)s.") % {"reason": exc}, line=1
                ) from exc
            names = _check_header(header, columns=self.expected, required=self.required, aliases=self.aliases)
            self.width = len(names)
            self.keep = [i for i, n in enumerate(names) if n]
            self.columns = [names[i] for i in self.keep]
            limit = max_rows()
            count = 0
            for start, _values in _data_rows(reader):
                count += 1
                if count > limit:
                    raise ImportFileError(
                        _("The file has more than %(limit)s data rows. Split it into smaller files.")
                        % {"limit": f"{limit:,}"},
                        line=start,
                    )
        if not count:
            raise ImportFileError(_("The file has a header row but no data rows."), line=1)
        self.total = count
        return count

    def records(self) -> Iterator[tuple[int, dict[str, str], bool]]:
        """(line, {column: value}, overlong) for every data row; overlong = more cells than the header."""
        columns, keep, width = self.columns, self.keep, self.width
        with self._reader() as (reader, _text):
            next(reader)
            for start, values in _data_rows(reader):
                overlong = len(values) > width and any(v.strip() for v in values[width:])
                if len(values) != width:
                    values = (values + [""] * width)[:width]
                yield start, dict(zip(columns, [values[i] for i in keep], strict=True)), overlong

    @contextmanager
    def _reader(self) -> Iterator[tuple[Any, io.TextIOWrapper]]:
        with self.opener() as raw:
            text = io.TextIOWrapper(raw, encoding="utf-8-sig", newline="")
            try:
                yield csv.reader(text, strict=True), text
            finally:
                text.detach()


def _data_rows(reader: Any) -> Iterator[tuple[int, list[str]]]:
    """Non-blank rows with the line each starts on (a quoted cell may span lines)."""
    last_line = reader.line_num
    try:
        for values in reader:
            start = last_line + 1
            last_line = reader.line_num
            if not "".join(values).strip():
                continue  # blank lines (and rows of empty cells, as spreadsheets save them) are not data
            yield start, values
    except csv.Error as exc:
        raise ImportFileError(
            _("The file is not valid CSV at line %(line)s: %(reason)s.")
            % {"line": reader.line_num, "reason": exc},
            line=reader.line_num,
        ) from exc


def _scan_bytes(raw: BinaryIO) -> None:
    """The checks of decode_text, on a stream: size, UTF-8 (naming the first bad byte), binary, no text."""
    size = raw.seek(0, io.SEEK_END)
    raw.seek(0)
    if not size:
        raise ImportFileError(_("The file is empty (0 bytes)."))
    if size > max_bytes():
        raise ImportFileError(
            _("The file is %(size)s MB; the limit is %(limit)s MB. Split it into smaller files.")
            % {"size": round(size / 1024 / 1024, 1), "limit": round(max_bytes() / 1024 / 1024, 1)}
        )
    offset = lines = 0
    carry = b""
    has_text = False
    first = True
    while True:
        chunk = raw.read(CHUNK)
        data = carry + chunk
        if first:
            data = data.removeprefix(b"\xef\xbb\xbf")
            offset += len(carry + chunk) - len(data)
            first = False
        try:
            data.decode("utf-8")
            carry = b""
        except UnicodeDecodeError as exc:
            if chunk and exc.reason == "unexpected end of data":
                carry, data = data[exc.start :], data[: exc.start]
            else:
                line = lines + data[: exc.start].count(b"\n") + 1
                raise ImportFileError(
                    _(
                        "The file is not UTF-8 text: save it as “CSV UTF-8” and upload it again "
                        "(first bad byte at offset %(offset)s, line %(line)s)."
                    )
                    % {"offset": offset + exc.start, "line": line},
                    line=line,
                ) from exc
        if b"\x00" in data:
            line = lines + data[: data.index(b"\x00")].count(b"\n") + 1
            raise ImportFileError(
                _("The file is not CSV text (it holds binary data, e.g. an Excel workbook): save it as CSV."),
                line=line,
            )
        has_text = has_text or bool(data.strip())
        lines += data.count(b"\n")
        offset += len(data)
        if not chunk:
            break
    if not has_text:
        raise ImportFileError(_("The file holds no text: it needs a header row and at least one data row."))


def template_csv(columns: Sequence[str], example: Sequence[str]) -> str:
    out = io.StringIO()
    writer = csv_writer(out, lineterminator="\r\n")
    writer.writerow(columns)
    writer.writerow(example)
    return out.getvalue()
