"""Batch matching: score every resident against the others and fill the review queue."""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand

from porchlight.people.matching.services import match_residents_batch


class Command(BaseCommand):
    help = "Find possible duplicate residents (splink on DuckDB) and queue them for review. Safe to re-run."

    def add_arguments(self, parser) -> None:  # noqa: ANN001
        parser.add_argument("--threshold", type=float, default=None, help="match weight to propose a pair")

    def handle(self, *args, threshold: float | None = None, **options) -> None:  # noqa: ANN002, ANN003
        started = time.perf_counter()
        result = match_residents_batch(threshold=threshold)
        self.stdout.write(
            f"{result['residents']} residents, {result['pairs']} possible duplicates, "
            f"{result['queued']} newly queued for review ({time.perf_counter() - started:.1f} s)"
        )
