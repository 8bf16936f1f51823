"""Staging tables for imports: validated rows wait in a temporary table, not in Python memory.

A temporary table lives in the job's own database connection and disappears with it, so a crashed job leaves
nothing behind. Rows go in through COPY on PostgreSQL (psycopg 3 `cursor.copy`) and in batched
`executemany` on SQLite; the checks that need the whole file (duplicates) and the final write
(INSERT ... SELECT) then run as SQL over them. See docs/decisions/0009-imports-in-the-worker.md.
"""

# ruff: noqa: S608 - SQL here names only this module's own staging tables and the models' tables; values
# always go in as parameters.

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from django.db import connection, models
from django.utils import timezone


def batch_size() -> int:
    from django.conf import settings

    return int(getattr(settings, "PORCHLIGHT_IMPORT_BATCH_SIZE", 5000))


def uses_copy() -> bool:
    """Whether staging loads go through COPY (PostgreSQL) rather than batched INSERTs (SQLite)."""
    return connection.vendor == "postgresql"


class StagingTable:
    """One temporary table: `columns` is a sequence of (name, SQL type)."""

    def __init__(self, name: str, columns: Sequence[tuple[str, str]]) -> None:
        self.name = name
        self.columns = list(columns)
        # The columns rows are loaded into (those with a DEFAULT are set later, by SQL).
        self.names = [c for c, kind in self.columns if "DEFAULT" not in kind]
        self.buffer: list[tuple[Any, ...]] = []
        self.loaded = 0
        self.size = 5000

    def create(self) -> StagingTable:
        self.drop()
        self.size, self.loaded = batch_size(), 0
        cols = ", ".join(f"{name} {kind}" for name, kind in self.columns)
        with connection.cursor() as cursor:
            cursor.execute(f"CREATE TEMPORARY TABLE {self.name} ({cols})")
        return self

    def drop(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE IF EXISTS {self.name}")

    def index(self, *indexes: str) -> None:
        """One index per column named, then fresh statistics so that the planner sees the loaded rows."""
        with connection.cursor() as cursor:
            for column in indexes:
                cursor.execute(f"CREATE INDEX {self.name}_{column} ON {self.name} ({column})")
            if connection.vendor == "postgresql":
                cursor.execute(f"ANALYZE {self.name}")

    def add(self, row: tuple[Any, ...]) -> None:
        self.buffer.append(row)
        if len(self.buffer) >= self.size:
            self.flush()

    def extend(self, rows: Iterable[tuple[Any, ...]]) -> None:
        for row in rows:
            self.add(row)

    def flush(self) -> None:
        if not self.buffer:
            return
        rows, self.buffer = self.buffer, []
        with connection.cursor() as cursor:
            if uses_copy():
                with cursor.cursor.copy(f"COPY {self.name} ({', '.join(self.names)}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
            else:
                marks = ", ".join(["%s"] * len(self.names))
                sql = f"INSERT INTO {self.name} ({', '.join(self.names)}) VALUES ({marks})"
                if connection.in_atomic_block:
                    cursor.executemany(sql, rows)
                else:
                    # One transaction per batch rather than one per row. A plain (deferred) BEGIN: writing
                    # only to a temporary table, it takes no lock on the city's database.
                    cursor.execute("BEGIN")
                    try:
                        cursor.executemany(sql, rows)
                    except BaseException:
                        cursor.execute("ROLLBACK")
                        raise
                    cursor.execute("COMMIT")
        self.loaded += len(rows)


def fetch(sql: str, params: Sequence[Any] = (), *, size: int = 10_000) -> Iterator[tuple[Any, ...]]:
    """Rows of a query, fetched in chunks so that a big result never sits in memory at once."""
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        while chunk := cursor.fetchmany(size):
            yield from chunk


def scalar(sql: str, params: Sequence[Any] = ()) -> Any:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    return row[0] if row else None


def execute(sql: str, params: Sequence[Any] = ()) -> int:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.rowcount


def insert_select(
    model: type[models.Model], given: dict[str, str], rest: str, params: Sequence[Any] = ()
) -> int:
    """INSERT INTO the model's table SELECT `given` (column → SQL expression) `rest`.

    Columns not given take the model's Python-side defaults (as bulk_create would), so a field added later
    with a default needs no change here. Returns the number of rows inserted.
    """
    columns, exprs, defaults = [], [], []
    for field in model._meta.concrete_fields:
        column = field.column
        if column in given:
            columns.append(column)
            exprs.append(given[column])
        elif field.primary_key:
            continue
        else:
            if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
                value: Any = timezone.now()
            elif field.has_default():
                value = field.get_default()
            elif field.null:
                value = None
            else:
                raise ValueError(f"{model.__name__}.{field.name} has no value and no default")
            columns.append(column)
            exprs.append("%s")
            defaults.append(field.get_db_prep_save(value, connection))
    table = connection.ops.quote_name(model._meta.db_table)
    sql = f"INSERT INTO {table} ({', '.join(columns)}) SELECT {', '.join(exprs)} {rest}"
    return execute(sql, [*defaults, *params])
