"""Who runs an import job: a lease that the running worker renews, so that a dead worker's job is resumed.

A worker claims a job by writing a fresh `lease_token` (a conditional UPDATE: only one claimant wins) and then
keeps `heartbeat_at` fresh. A job still checking or importing whose heartbeat is older than
PORCHLIGHT_IMPORT_LEASE_SECONDS belongs to a worker that died; tasks.import_jobs_resume (run when a worker
starts: `manage.py import_jobs --resume`) queues it again. Nothing of a dead job was written (the write is one
transaction), so the job simply starts over. See docs/decisions/0009-imports-in-the-worker.md.
"""

from __future__ import annotations

import logging
import threading
import uuid
from datetime import timedelta

from django.conf import settings
from django.db import DatabaseError, OperationalError, connection, connections
from django.db.models import F, Q
from django.utils import timezone

from porchlight.places.models import ImportJob

logger = logging.getLogger(__name__)

RUNNING = (ImportJob.Status.VALIDATING, ImportJob.Status.IMPORTING)


def lease_seconds() -> int:
    return int(getattr(settings, "PORCHLIGHT_IMPORT_LEASE_SECONDS", 120))


def stale_jobs() -> Q:
    """Jobs a worker should be running and nobody is: queued or running, with no heartbeat for a lease."""
    cutoff = timezone.now() - timedelta(seconds=lease_seconds())
    running = Q(status__in=RUNNING) & (
        Q(heartbeat_at__lt=cutoff) | Q(heartbeat_at__isnull=True, updated_at__lt=cutoff)
    )
    return running | Q(status=ImportJob.Status.QUEUED, created_at__lt=cutoff)


def job_claim(*, job: ImportJob) -> str | None:
    """Take the job if it is queued or its worker is dead; returns the new lease token, or None when another
    worker holds a live lease (or the job has ended)."""
    token = uuid.uuid4().hex
    now = timezone.now()
    claimable = Q(status=ImportJob.Status.QUEUED) | (Q(status__in=RUNNING) & stale_jobs())
    try:
        claimed = ImportJob.objects.filter(claimable, pk=job.pk).update(
            status=ImportJob.Status.VALIDATING,
            lease_token=token,
            heartbeat_at=now,
            started_at=now,
            updated_at=now,
            processed_rows=0,
            attempts=F("attempts") + 1,
        )
    except OperationalError:  # SQLite: a live job holds the write lock for its import; it is not dead
        logger.info("Import job %s is busy (database locked); not claimed", job.pk)
        return None
    if not claimed:
        return None
    job.refresh_from_db()
    return token


def owned(job: ImportJob, token: str) -> Q:
    return Q(pk=job.pk, lease_token=token)


class Heartbeat:
    """Renews the lease while the job runs.

    `beat()` is called by the job between steps and at every progress tick. On PostgreSQL a thread with a
    connection of its own also beats every quarter lease, so that one long statement (a COPY, an INSERT ...
    SELECT of a million rows) never looks like a dead worker. SQLite allows one writer: during the write
    transaction nobody can beat, but then the database lock itself proves the worker alive (a claim would
    wait for it, and find the job done).
    """

    def __init__(self, job: ImportJob, token: str) -> None:
        self.job, self.token = job, token
        self.last = timezone.now()
        self.writing = False
        self.lost = False
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def __enter__(self) -> Heartbeat:
        if connection.vendor == "postgresql" and not connection.in_atomic_block:
            self._thread = threading.Thread(
                target=self._run, name=f"import-heartbeat-{self.job.pk}", daemon=True
            )
            self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=10)

    def beat(self, *, force: bool = False) -> None:
        if self.writing and connection.vendor != "postgresql":
            return
        now = timezone.now()
        if not force and (now - self.last).total_seconds() < lease_seconds() / 4:
            return
        self.last = now
        if self.writing:
            return  # the thread beats while the write transaction runs
        if not ImportJob.objects.filter(owned(self.job, self.token)).update(heartbeat_at=now):
            self.lost = True

    def _run(self) -> None:
        side = connections.create_connection(connection.alias)
        table = ImportJob._meta.db_table
        try:
            while not self._stop.wait(lease_seconds() / 4):
                side.ensure_connection()
                side.set_autocommit(True)
                with side.cursor() as cursor:
                    cursor.execute(
                        f"UPDATE {table} SET heartbeat_at = %s WHERE id = %s AND lease_token = %s",  # noqa: S608
                        [timezone.now(), self.job.pk, self.token],
                    )
                    if cursor.rowcount == 0:
                        self.lost = True
        except DatabaseError:  # the main thread's own beats and the final ownership check still hold
            logger.warning("Import job %s: heartbeat thread stopped", self.job.pk, exc_info=True)
        finally:
            side.close()
