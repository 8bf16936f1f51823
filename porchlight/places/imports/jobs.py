"""Running an import job: check the file, validate every row (pass 1), write all or nothing (pass 2).

The view, the `import_csv` command, the worker's task and the tests all go through `import_job_create` /
`import_job_run`. Jobs run in the background worker through django-tasks, under a lease that lets a job whose
worker died be resumed (docs/decisions/0009-imports-in-the-worker.md).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from importlib import import_module
from types import ModuleType
from typing import IO, Any

from django.conf import settings
from django.core.files.base import ContentFile, File
from django.db import DatabaseError, IntegrityError, connection, connections, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from porchlight.accounts.models import User
from porchlight.accounts.services import audit_record
from porchlight.places.imports.csvfile import CsvSource, ErrorList, ImportFileError, template_csv
from porchlight.places.imports.lease import Heartbeat, job_claim, owned
from porchlight.places.models import ImportJob

logger = logging.getLogger(__name__)

# Each kind's module provides COLUMNS, REQUIRED, ALIASES, TEMPLATE_EXAMPLE, validate(), write() and discard().
# Imported lazily by path so that places does not import people (apps depend downward only).
IMPORTERS: dict[str, str] = {
    ImportJob.Kind.ADDRESSES: "porchlight.places.imports.addresses",
    ImportJob.Kind.RESIDENTS: "porchlight.people.imports",
}
# How many rows between two progress updates (each one a short transaction of its own).
DEFAULT_PROGRESS_EVERY = 1000


class LeaseLostError(Exception):
    """Another worker took the job over (this one was taken for dead): this run must write nothing."""


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

    def __init__(self, job: ImportJob, heartbeat: Heartbeat, *, every: int) -> None:
        self.job = job
        self.heartbeat = heartbeat
        self.every = max(1, every)
        self.last = 0
        self.side = None
        self.writing = False  # set while pass 2 runs inside its transaction

    def __call__(self, processed: int) -> None:
        self.heartbeat.beat()
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


def _set(job: ImportJob, token: str, **fields: object) -> None:
    """Record fields of a job this worker holds the lease of (LeaseLostError if another worker took it)."""
    fields["updated_at"] = timezone.now()
    if not ImportJob.objects.filter(owned(job, token)).update(**fields):
        raise LeaseLostError
    for name, value in fields.items():
        setattr(job, name, value)


def import_job_create(
    *, kind: str, file_name: str, data: bytes | IO[bytes] | File, actor: User | None
) -> ImportJob:
    """Store the upload (streamed to storage, never read whole) and a queued job for it. The caller then
    starts it (`import_job_start`)."""
    importer_for(kind)
    content = (
        ContentFile(data) if isinstance(data, bytes) else (data if isinstance(data, File) else File(data))
    )
    job = ImportJob(kind=kind, file_name=file_name[:255], file_size=content.size or 0, created_by=actor)
    job.file.save(f"{kind}.csv", content, save=False)
    job.save()
    return job


def import_job_run(*, job: ImportJob, on_progress: Callable[[ImportJob], None] | None = None) -> ImportJob:
    """Claim the job, validate every row, then write everything in one transaction, or nothing when any
    row is wrong.

    Returns the job in its final state: done (with counts and notices) or failed (with the first errors and
    their total) — or as it was when another live worker holds it.
    """
    token = job_claim(job=job)
    if token is None:
        logger.info("Import job %s not run: %s and held by a live worker or ended", job.pk, job.status)
        job.refresh_from_db()
        return job
    importer = importer_for(job.kind)
    heartbeat = Heartbeat(job, token)
    progress = _ProgressWriter(
        job, heartbeat, every=getattr(settings, "PORCHLIGHT_IMPORT_PROGRESS_EVERY", DEFAULT_PROGRESS_EVERY)
    )
    started = time.monotonic()
    try:
        with heartbeat:
            _validate_then_write(job, token, importer, progress, heartbeat, on_progress)
    except LeaseLostError:
        logger.warning("Import job %s was taken over by another worker; this run wrote nothing", job.pk)
        job.refresh_from_db()
        return job
    except ImportFileError as exc:
        _finish(
            job, token, status=ImportJob.Status.FAILED, errors=[exc.as_row_error().as_dict()], error_count=1
        )
    except IntegrityError:
        logger.warning("Import job %s hit a constraint while writing", job.pk, exc_info=True)
        _fail(
            job,
            token,
            _(
                "The database changed while the file was being imported (another import?); "
                "nothing was written. Upload the file again."
            ),
        )
    except Exception:
        logger.exception("Import job %s failed", job.pk)
        _fail(
            job,
            token,
            _("The import stopped on an unexpected error; nothing was written. Tell an administrator."),
        )
        raise
    finally:
        progress.close()
        try:
            importer.discard()
        except DatabaseError:  # the staging tables go with the connection anyway
            logger.warning("Import job %s: could not drop its staging tables", job.pk, exc_info=True)
        logger.info(
            "Import job %s (%s) ended %s in %.1fs", job.pk, job.kind, job.status, time.monotonic() - started
        )
    return job


def _open(job: ImportJob) -> Callable[[], Any]:
    def opener() -> Any:
        stored = job.file.storage.open(job.file.name, "rb")
        return getattr(stored, "file", stored)  # the real file object when there is one: no proxy per read

    return opener


def _validate_then_write(
    job: ImportJob,
    token: str,
    importer: Any,
    progress: _ProgressWriter,
    heartbeat: Heartbeat,
    on_progress: Callable[[ImportJob], None] | None,
) -> None:
    """Step 1: read and check every row. Step 2, only when no row is wrong: write them all."""
    source = CsvSource(
        _open(job), columns=importer.COLUMNS, required=importer.REQUIRED, aliases=importer.ALIASES
    )
    _set(job, token, total_rows=source.check())
    heartbeat.beat(force=True)
    errors = ErrorList()
    plan = importer.validate(source=source, progress=_reporting(progress, job, on_progress), errors=errors)
    if heartbeat.lost:
        raise LeaseLostError
    if errors:
        _finish(
            job,
            token,
            status=ImportJob.Status.FAILED,
            errors=[e.as_dict() for e in errors.items],
            error_count=errors.total,
        )
        return
    _set(job, token, status=ImportJob.Status.IMPORTING, processed_rows=0, heartbeat_at=timezone.now())
    progress.writing = heartbeat.writing = True
    progress.last = 0
    report = _reporting(progress, job, on_progress)
    report(0)  # the page (and the command's -v 2) shows that writing has begun
    with transaction.atomic():
        result = importer.write(plan=plan, actor=job.created_by, progress=report)
        # Last statement of the transaction: only the lease holder may commit the rows with the outcome.
        _set(
            job,
            token,
            status=ImportJob.Status.DONE,
            processed_rows=job.total_rows,
            created_count=result.created,
            updated_count=result.updated,
            skipped_count=result.skipped,
            notices=[n.as_dict() for n in plan.notices[:200]],
            finished_at=timezone.now(),
        )
    progress.writing = heartbeat.writing = False
    _ended(job)


def _fail(job: ImportJob, token: str, message: str) -> None:
    """A failure that belongs to no row: one error at line 0, nothing written."""
    _finish(
        job,
        token,
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


def _finish(job: ImportJob, token: str, **fields: object) -> None:
    fields.setdefault("finished_at", timezone.now())
    try:
        _set(job, token, **fields)
    except LeaseLostError:
        logger.warning("Import job %s: another worker holds it; its outcome is theirs to record", job.pk)
        return
    _ended(job)


def _ended(job: ImportJob) -> None:
    """Once the outcome is committed: delete the upload (it may hold personal data) and audit the import."""
    if job.file:
        job.file.delete(save=False)
        ImportJob.objects.filter(pk=job.pk).update(file="")
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
