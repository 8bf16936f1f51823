"""Running an import job: read the file, validate every row (pass 1), write all or nothing (pass 2).

The view, the `import_csv` command and the tests all go through `import_job_create` / `import_job_run`.
Jobs run in a background thread of the web process (see docs/decisions/0002-import-jobs.md).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from importlib import import_module
from types import ModuleType
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import (
    DatabaseError,
    IntegrityError,
    close_old_connections,
    connection,
    connections,
    transaction,
)
from django.utils import timezone
from django.utils.translation import gettext as _

from porchlight.accounts.models import User
from porchlight.accounts.services import audit_record
from porchlight.places.imports.csvfile import ImportFileError, read_csv, template_csv
from porchlight.places.models import ImportJob

logger = logging.getLogger(__name__)

# Each kind's module provides COLUMNS, REQUIRED, ALIASES, TEMPLATE_EXAMPLE, validate() and write().
# Imported lazily by path so that places does not import people (apps depend downward only).
IMPORTERS: dict[str, str] = {
    ImportJob.Kind.ADDRESSES: "porchlight.places.imports.addresses",
    ImportJob.Kind.RESIDENTS: "porchlight.people.imports",
}
# How many rows between two progress updates (each one a short transaction of its own).
DEFAULT_PROGRESS_EVERY = 1000


def importer_for(kind: str) -> ModuleType:
    try:
        return import_module(IMPORTERS[kind])
    except KeyError:
        raise ValueError(f"Unknown import kind {kind!r}; expected one of {sorted(IMPORTERS)}") from None


def import_template(*, kind: str) -> str:
    """A CSV with the header row and one example row, for people to fill in."""
    importer = importer_for(kind)
    return template_csv(importer.COLUMNS, importer.TEMPLATE_EXAMPLE)


class _ProgressWriter:
    """Records processed_rows every N rows, each time in a short transaction of its own.

    While validating, the job's thread is in autocommit mode, so a plain UPDATE commits at once. While
    importing, the thread is inside the one big transaction; its own connection would hide the update until
    the end, so the update goes through a second connection. SQLite allows one writer at a time, so there the
    import phase shows no row count (the page says "writing") rather than wait for the lock.
    """

    def __init__(self, job: ImportJob, *, every: int) -> None:
        self.job = job
        self.every = max(1, every)
        self.last = 0
        self.side = None
        self.writing = False  # set while pass 2 runs inside its transaction

    def __call__(self, processed: int) -> None:
        if processed - self.last < self.every and processed != self.job.total_rows:
            return
        self.last = processed
        now = timezone.now()
        if not self.writing:
            ImportJob.objects.filter(pk=self.job.pk).update(processed_rows=processed, updated_at=now)
            return
        if connection.vendor == "sqlite":
            return
        try:
            if self.side is None:
                self.side = connections.create_connection(connection.alias)
                self.side.connect()
                self.side.set_autocommit(True)
            table = ImportJob._meta.db_table
            sql = f"UPDATE {table} SET processed_rows = %s, updated_at = %s WHERE id = %s"  # noqa: S608 - model's table
            with self.side.cursor() as cursor:
                cursor.execute(sql, [processed, now, self.job.pk])
        except DatabaseError:  # progress is a courtesy: never fail an import over it
            logger.warning("Could not record the progress of import job %s", self.job.pk, exc_info=True)

    def close(self) -> None:
        if self.side is not None:
            self.side.close()
            self.side = None


def _set(job: ImportJob, **fields: object) -> None:
    for name, value in fields.items():
        setattr(job, name, value)
    job.save(update_fields=[*fields, "updated_at"])


def import_job_create(*, kind: str, file_name: str, data: bytes, actor: User | None) -> ImportJob:
    """Store the upload and a queued job for it. The caller then starts it (`import_job_start`)."""
    importer_for(kind)
    job = ImportJob(kind=kind, file_name=file_name[:255], file_size=len(data), created_by=actor)
    job.file.save(f"{kind}.csv", ContentFile(data), save=False)
    job.save()
    return job


def import_job_start(*, job: ImportJob) -> None:
    """Run the job in a background thread once the upload is committed (inline when settings say so)."""
    if getattr(settings, "PORCHLIGHT_IMPORTS_INLINE", False):
        import_job_run(job=job)
        return
    transaction.on_commit(lambda: _start_thread(job.pk))


def _start_thread(job_pk: int) -> threading.Thread:
    thread = threading.Thread(target=_run_in_thread, args=(job_pk,), name=f"import-job-{job_pk}", daemon=True)
    thread.start()
    return thread


def _run_in_thread(job_pk: int) -> None:
    close_old_connections()
    try:
        import_job_run(job=ImportJob.objects.get(pk=job_pk))
    except Exception:  # a background thread has nobody to raise to
        logger.exception("Import job %s crashed", job_pk)
    finally:
        connection.close()


def import_job_run(
    *, job: ImportJob, data: bytes | None = None, on_progress: Callable[[ImportJob], None] | None = None
) -> ImportJob:
    """Validate every row, then write everything in one transaction, or nothing when any row is wrong.

    `data` is the file's bytes (read from job.file when not given). Returns the job in its final state:
    done (with counts and notices) or failed (with the first errors and their total).
    """
    importer = importer_for(job.kind)
    progress = _ProgressWriter(
        job, every=getattr(settings, "PORCHLIGHT_IMPORT_PROGRESS_EVERY", DEFAULT_PROGRESS_EVERY)
    )
    started = time.monotonic()
    _set(job, status=ImportJob.Status.VALIDATING, started_at=timezone.now(), processed_rows=0)
    try:
        _validate_then_write(job, importer, data, progress, on_progress)
    except ImportFileError as exc:
        _finish(job, status=ImportJob.Status.FAILED, errors=[exc.as_row_error().as_dict()], error_count=1)
    except IntegrityError:
        logger.warning("Import job %s hit a constraint while writing", job.pk, exc_info=True)
        _fail(job, _("The database changed while the file was being imported (another import?); "
                     "nothing was written. Upload the file again."))
    except Exception:
        logger.exception("Import job %s failed", job.pk)
        _fail(job, _("The import stopped on an unexpected error; nothing was written. "
                     "Tell an administrator."))
        raise
    finally:
        progress.close()
        logger.info(
            "Import job %s (%s) ended %s in %.1fs", job.pk, job.kind, job.status, time.monotonic() - started
        )
    return job


def _validate_then_write(
    job: ImportJob,
    importer: Any,
    data: bytes | None,
    progress: _ProgressWriter,
    on_progress: Callable[[ImportJob], None] | None,
) -> None:
    """Step 1: read and check every row. Step 2, only when no row is wrong: write them all."""
    if data is None:
        with job.file.open("rb") as f:
            data = f.read()
    table = read_csv(
        data=data, columns=importer.COLUMNS, required=importer.REQUIRED, aliases=importer.ALIASES
    )
    _set(job, total_rows=len(table))
    del data
    plan, errors = importer.validate(table=table, progress=_reporting(progress, job, on_progress))
    del table
    if errors:
        _finish(
            job,
            status=ImportJob.Status.FAILED,
            errors=[e.as_dict() for e in errors.items],
            error_count=errors.total,
        )
        return
    _set(job, status=ImportJob.Status.IMPORTING, processed_rows=0)
    progress.writing, progress.last = True, 0
    result = importer.write(plan=plan, actor=job.created_by, progress=_reporting(progress, job, on_progress))
    _finish(
        job,
        status=ImportJob.Status.DONE,
        processed_rows=job.total_rows,
        created_count=result.created,
        updated_count=result.updated,
        skipped_count=result.skipped,
        notices=[n.as_dict() for n in plan.notices[:200]],
    )


def _fail(job: ImportJob, message: str) -> None:
    """A failure that belongs to no row: one error at line 0, nothing written."""
    _finish(
        job,
        status=ImportJob.Status.FAILED,
        error_count=1,
        errors=[{"line": 0, "field": "", "message": message}],
    )


def _reporting(progress: _ProgressWriter, job: ImportJob, on_progress: Callable[[ImportJob], None] | None):  # noqa: ANN202
    if on_progress is None:
        return progress

    def report(processed: int) -> None:
        progress(processed)
        job.processed_rows = processed
        on_progress(job)

    return report


def _finish(job: ImportJob, **fields: object) -> None:
    fields.setdefault("finished_at", timezone.now())
    _set(job, **fields)
    if job.file:
        job.file.delete(save=False)
        _set(job, file="")
    if job.status == ImportJob.Status.DONE:
        detail = _("%(kind)s from %(file)s: %(created)d created, %(skipped)d skipped (%(rows)d rows)") % {
            "kind": job.kind,
            "file": job.file_name,
            "created": job.created_count,
            "skipped": job.skipped_count,
            "rows": job.total_rows,
        }
    else:
        detail = _("%(kind)s from %(file)s failed with %(errors)d error(s); nothing written") % {
            "kind": job.kind,
            "file": job.file_name,
            "errors": job.error_count,
        }
    audit_record(actor=job.created_by, action="import", obj=job, detail=detail)
