"""`manage.py import_csv addresses file.csv`: the same import as the web page, from a terminal."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from porchlight.accounts.models import User
from porchlight.places.imports import import_job_create, import_job_run
from porchlight.places.models import ImportJob


class Command(BaseCommand):
    help = (
        "Import addresses or residents from a CSV file: every row is checked, then all are written or none."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("kind", choices=ImportJob.Kind.values)
        parser.add_argument("path", type=Path)
        parser.add_argument("--user", help="Username recorded as the importer (and in the audit log).")

    def handle(self, *args: object, kind: str, path: Path, user: str | None, **options: object) -> None:
        actor = None
        if user:
            try:
                actor = User.objects.get(username=user)
            except User.DoesNotExist:
                raise CommandError(f"No user named {user!r}.") from None
        try:
            with path.open("rb") as data:  # streamed into storage, never read whole
                job = import_job_create(kind=kind, file_name=path.name, data=data, actor=actor)
        except OSError as exc:
            raise CommandError(f"Cannot read {path}: {exc.strerror}") from exc
        verbose = int(options.get("verbosity", 1)) > 1

        def show(j: ImportJob) -> None:
            if verbose:
                self.stderr.write(f"{j.status}: {j.processed_rows:,}/{j.total_rows:,} rows")

        job = import_job_run(job=job, on_progress=show)
        if job.status != ImportJob.Status.DONE:
            for error in job.errors:
                where = f"line {error['line']}" if error["line"] else "file"
                field = f" [{error['field']}]" if error["field"] else ""
                self.stderr.write(f"{path.name}: {where}{field}: {error['message']}")
            if job.error_count > len(job.errors):
                self.stderr.write(f"… and {job.error_count - len(job.errors):,} more.")
            raise CommandError(
                f"Import failed with {job.error_count:,} error(s); nothing was written (job {job.pk})."
            )
        self.stdout.write(
            self.style.SUCCESS(
                f"Imported {job.created_count:,} {kind} from {path.name} "
                f"({job.total_rows:,} rows, {job.skipped_count:,} already there and skipped; job {job.pk})."
            )
        )
