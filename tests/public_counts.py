"""Find counts under the public threshold in a public output: CSV tables, page or PDF text, JSON.

Each finder returns the offending figures (with where they were found), so a test can assert on an empty list
and show what leaked. They are precise rather than clever:
- CSV: the cells of count columns (by header name), and the count rows of summary.csv.
- JSON (Vega specs' inline data, map values, GeoJSON properties): numbers under count keys, and the counts
  written into map tooltips.
- Text (a page's main content, or `pdftotext -layout` of a PDF): every whole number left after removing what
  is not a count of people (percentages, decimals, "1 in N", dates and times, page numbers, age ranges,
  numbers of neighborhoods, and residents' quotes). Build the test campaign with names that hold no digits.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterator
from html.parser import HTMLParser

COUNT_COLUMNS = {"conversations", "residents", "residents_reached", "count", "needs", "referrals", "value"}
COUNT_FIGURES = {"conversations", "residents_reached", "conversations_with_text", "needs", "referrals"}
COUNT_KEYS = {"count", "conversations", "residents", "residents_reached", "needs", "referrals", "n"}

MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"
NOT_COUNTS = [
    r"“[^”]*”",  # residents' quotes (scrubbed text may hold house numbers)
    r"\"[^\"]*\"",
    rf"\b(?:{MONTHS})\s+\d{{1,2}},\s+\d{{4}}",  # dates
    r"\b\d{1,2}/\d{1,2}/\d{4}\b",
    r"\b\d{4}-\d{2}-\d{2}\b",
    r"\b\d{1,2}:\d{2}\b",
    r"\b(?:19|20)\d{2}\b",  # years
    r"\d[\d,]*(?:\.\d+)?\s*%",  # percentages
    r"\b\d+\.\d+\b",  # decimals (representation, lift)
    r"\b1 in [\d,]+",  # "1 in 350 residents"
    r"\b\d+\s*/\s*\d+\b",  # page numbers, "2/2 neighborhoods"
    r"\b\d+\s*[–-]\s*\d+\b",  # age ranges
    r"\bUnder \d+|\b\d+ to \d+|\b\d+ or older|\bbelow \d+",
    r"\b\d+(?: other)? neighborhoods?\b|\b\d+\s+of\s+\d+\s+neighborhoods|\b\d+ more groups?\b",
    r"\b\d+\s+of\s+\d+\b",
]
_NOT_COUNTS = re.compile("|".join(f"(?:{p})" for p in NOT_COUNTS))
_NUMBER = re.compile(r"(?<![\w.,])\d{1,3}(?:,\d{3})*(?![\w.,]?\d)")


def small_in_text(text: str, threshold: int, where: str = "text") -> list[str]:
    cleaned = _NOT_COUNTS.sub(" ", text)
    found = []
    for match in _NUMBER.finditer(cleaned):
        value = int(match.group().replace(",", ""))
        if value < threshold:
            context = cleaned[max(0, match.start() - 40) : match.end() + 20].replace("\n", " ")
            found.append(f"{where}: {value} in …{context}…")
    return found


def small_in_csv(name: str, text: str, threshold: int) -> list[str]:
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    if not rows:
        return []
    header, found = rows[0], []
    for line, row in enumerate(rows[1:], start=2):
        cells = dict(zip(header, row, strict=False))
        for column, value in cells.items():
            is_count = column in COUNT_COLUMNS and (column != "value" or cells.get("figure") in COUNT_FIGURES)
            if is_count and re.fullmatch(r"\d[\d,]*", value) and int(value.replace(",", "")) < threshold:
                found.append(f"{name} line {line}, {column}: {value}")
    return found


def _walk(node: object, path: str) -> Iterator[tuple[str, str, object]]:
    if isinstance(node, dict):
        for key, value in node.items():
            yield path, str(key), value
            yield from _walk(value, f"{path}.{key}")
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _walk(value, f"{path}[{i}]")


def small_in_json(data: object, threshold: int, where: str = "json") -> list[str]:
    found = []
    for path, key, value in _walk(data, where):
        if key in COUNT_KEYS and isinstance(value, int) and not isinstance(value, bool) and value < threshold:
            found.append(f"{path}.{key}: {value}")
        if key == "t" and isinstance(value, str):  # a map tooltip: "20 residents reached · 1 in 600 …"
            found += small_in_text(value, threshold, f"{path}.t")
    return found


class _Page(HTMLParser):
    """The text of <main> (forms left out) and the JSON of its <script type="application/json"> blocks."""

    def __init__(self) -> None:
        super().__init__()
        self.depth = {"main": 0, "script": 0, "style": 0, "form": 0}
        self.json_id = ""
        self.text: list[str] = []
        self.json: dict[str, str] = {}

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag in self.depth:
            self.depth[tag] += 1
        if tag == "script" and dict(attrs).get("type") == "application/json":
            self.json_id = dict(attrs).get("id") or f"script{len(self.json)}"
            self.json[self.json_id] = ""

    def handle_endtag(self, tag: str) -> None:
        if tag in self.depth:
            self.depth[tag] -= 1
        if tag == "script":
            self.json_id = ""

    def handle_data(self, data: str) -> None:
        if self.json_id:
            self.json[self.json_id] += data
        elif self.depth["main"] and not (self.depth["script"] or self.depth["style"] or self.depth["form"]):
            self.text.append(data)


def small_in_html(html: str, threshold: int, where: str = "page") -> list[str]:
    page = _Page()
    page.feed(html)
    found = small_in_text(" ".join(" ".join(page.text).split()), threshold, where)
    for key, text in page.json.items():
        found += small_in_json(json.loads(text), threshold, f"{where}#{key}")
    return found
