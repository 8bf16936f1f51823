"""The one CSV-injection guard every export writes through."""

from __future__ import annotations

import csv
import io

import pytest
from hypothesis import given
from hypothesis import strategies as st

from porchlight.ui.exports import cell_unquote, csv_dict_writer, csv_writer, safe_cell

FORMULAS = ['=HYPERLINK("http://x","y")', "+1", "-2+3", "@SUM(1)", "\t=1", "\r=1", "+17045550100"]


@pytest.mark.parametrize("text", FORMULAS)
def test_it_prefixes_text_that_a_spreadsheet_would_run_as_a_formula(text):
    assert safe_cell(text) == "'" + text


@pytest.mark.parametrize("value", ["Housing", "", "'quoted", "-80.8431", "-2", "a=b", 12, -3, 1.5, None])
def test_it_leaves_plain_text_and_numbers_alone(value):
    assert safe_cell(value) == value


def test_it_quotes_text_that_already_starts_with_apostrophes_before_a_formula_so_it_can_be_undone():
    assert safe_cell("'=1") == "''=1"
    assert cell_unquote("''=1") == "'=1"
    assert cell_unquote("'quoted") == "'quoted"  # never added by safe_cell: left alone


@given(st.text())
def test_it_undoes_exactly_what_it_added(text):
    assert cell_unquote(safe_cell(text)) == text


@given(st.text())
def test_no_written_cell_starts_a_formula(text):
    out = safe_cell(text)
    assert out[:1] not in ("=", "+", "-", "@", "\t", "\r") or out.lstrip("-").replace(".", "", 1).isdigit()


def test_the_writers_neutralize_every_cell():
    out = io.StringIO()
    csv_writer(out).writerows([["=1", 2], ["@x", "ok"]])
    writer = csv_dict_writer(out, fieldnames=["a", "b"])
    writer.writerow({"a": "+1", "b": "fine"})
    rows = list(csv.reader(io.StringIO(out.getvalue())))
    assert rows == [["'=1", "2"], ["'@x", "ok"], ["'+1", "fine"]]


def test_no_module_writes_csv_without_the_guard():
    """Every export goes through csv_writer / csv_dict_writer: a bare csv.writer elsewhere fails here."""
    import ast
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    offenders = []
    for path in root.rglob("*.py"):
        if "tests" in path.parts or path.name == "exports.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Attribute)
                and node.attr in ("writer", "DictWriter")
                and isinstance(node.value, ast.Name)
                and node.value.id == "csv"
            ):
                offenders.append(f"{path.relative_to(root)}:{node.lineno}")
    assert offenders == []
