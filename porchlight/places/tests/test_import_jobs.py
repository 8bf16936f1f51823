"""Import jobs in the worker: the lease, resuming a dead worker's job, and the bulk-load path per database."""

from __future__ import annotations

import datetime as dt
import tracemalloc

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from porchlight.places.imports import import_job_create, import_job_run, import_jobs_resume
from porchlight.places.models import Address, ImportJob

pytestmark = pytest.mark.django_db

HEADER = "street,unit,city,state,zip,latitude,longitude\n"


def csv_of(n: int) -> bytes:
    rows = "".join(f"{i} Main St,,Charlotte,NC,28202,35.205,-80.895\n" for i in range(n))
    return (HEADER + rows).encode()


def dead(job: ImportJob, status: str, *, minutes: int = 10) -> None:
    """What a worker killed mid-job leaves: the job still 'running', its heartbeat old."""
    long_ago = timezone.now() - dt.timedelta(minutes=minutes)
    ImportJob.objects.filter(pk=job.pk).update(
        status=status, heartbeat_at=long_ago, updated_at=long_ago, lease_token="dead", attempts=1
    )


def test_it_resumes_a_job_whose_worker_died_mid_write_with_exactly_the_right_rows(neighborhoods, settings):
    settings.PORCHLIGHT_IMPORT_BATCH_SIZE = 100  # several write steps, so the crash lands mid-write
    job = import_job_create(kind="addresses", file_name="a.csv", data=csv_of(2500), actor=None)

    def crash(j: ImportJob) -> None:
        if j.status == ImportJob.Status.IMPORTING and j.processed_rows >= 1000:
            raise KeyboardInterrupt  # the worker is killed (SIGTERM/SIGKILL): no except clause runs

    with pytest.raises(KeyboardInterrupt):
        import_job_run(job=job, on_progress=crash)
    job.refresh_from_db()
    assert job.status == ImportJob.Status.IMPORTING and job.file  # stuck, as after a real crash
    assert Address.objects.count() == 0  # the write was one transaction: nothing of it stayed

    assert import_jobs_resume() == []  # its lease is still fresh: taken for alive
    dead(job, ImportJob.Status.IMPORTING)
    call_command("import_jobs", "--resume")  # as a worker runs at start; the immediate backend runs it now
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE, job.errors
    assert (job.created_count, job.attempts) == (2500, 2)
    assert Address.objects.count() == 2500
    assert Address.areas.through.objects.count() == 2500
    assert not job.file  # the upload is deleted once the job ends


def test_it_resumes_a_job_that_died_while_checking_rows(db):
    job = import_job_create(kind="addresses", file_name="a.csv", data=csv_of(30), actor=None)
    dead(job, ImportJob.Status.VALIDATING)
    assert import_jobs_resume() == [job.pk]
    job.refresh_from_db()
    assert (job.status, job.created_count) == (ImportJob.Status.DONE, 30)


def test_it_leaves_a_job_with_a_live_worker_alone(db):
    job = import_job_create(kind="addresses", file_name="a.csv", data=csv_of(3), actor=None)
    ImportJob.objects.filter(pk=job.pk).update(
        status=ImportJob.Status.IMPORTING, heartbeat_at=timezone.now(), lease_token="alive"
    )
    assert import_jobs_resume() == []
    job = import_job_run(job=ImportJob.objects.get(pk=job.pk))  # a second worker cannot claim it either
    assert (job.status, job.lease_token) == (ImportJob.Status.IMPORTING, "alive")
    assert Address.objects.count() == 0


def test_it_writes_nothing_when_another_worker_took_the_job_over(db, settings):
    """A worker taken for dead (but alive after all) must not commit its rows beside the new runner's."""
    settings.PORCHLIGHT_IMPORT_BATCH_SIZE = 100
    job = import_job_create(kind="addresses", file_name="a.csv", data=csv_of(2500), actor=None)

    def taken_over(j: ImportJob) -> None:
        if j.status == ImportJob.Status.IMPORTING and j.processed_rows:
            ImportJob.objects.filter(pk=j.pk).update(lease_token="another-worker")

    job = import_job_run(job=job, on_progress=taken_over)
    assert Address.objects.count() == 0
    job.refresh_from_db()
    # Not marked done by this run. (The takeover itself is rolled back with the rows here, as the test makes
    # it on the job's own connection; a real second worker commits it from its own.)
    assert job.status == ImportJob.Status.IMPORTING and job.created_count == 0


def test_it_fails_a_stale_job_whose_upload_is_gone(db):
    job = import_job_create(kind="addresses", file_name="a.csv", data=csv_of(3), actor=None)
    job.file.delete(save=True)
    dead(job, ImportJob.Status.VALIDATING)
    assert import_jobs_resume() == []
    job.refresh_from_db()
    assert job.status == ImportJob.Status.FAILED and "upload the file again" in job.errors[0]["message"]


def test_it_lists_running_jobs(db, capsys):
    job = import_job_create(kind="addresses", file_name="a.csv", data=csv_of(3), actor=None)
    call_command("import_jobs")
    assert f"job {job.pk}: addresses queued" in capsys.readouterr().out


def test_it_loads_the_staging_table_through_copy_on_postgresql_only(db, monkeypatch):
    """The bulk path per database, seen from the driver: COPY on PostgreSQL, batched INSERTs on SQLite."""
    copies: list[str] = []
    if connection.vendor == "postgresql":
        import psycopg

        real_copy = psycopg.Cursor.copy

        def spy(self, statement, *args, **kwargs):
            copies.append(str(statement))
            return real_copy(self, statement, *args, **kwargs)

        monkeypatch.setattr(psycopg.Cursor, "copy", spy)
    job = import_job_create(kind="addresses", file_name="a.csv", data=csv_of(50), actor=None)
    job = import_job_run(job=job)
    assert job.status == ImportJob.Status.DONE and Address.objects.count() == 50
    if connection.vendor == "postgresql":
        assert any(c.startswith("COPY pl_import_address_rows") for c in copies), copies
    else:
        assert copies == []


def test_it_keeps_memory_flat_however_many_rows_the_file_has(db, settings):
    """Rows stream from the file into the staging table: ten times the rows must not take ten times the
    memory (a list of row objects would). tracemalloc measures Python's allocations, not time."""
    settings.PORCHLIGHT_IMPORT_BATCH_SIZE = 500

    def peak(rows: int) -> int:
        job = import_job_create(kind="addresses", file_name="a.csv", data=csv_of(rows), actor=None)
        Address.objects.all().delete()
        tracemalloc.start()
        try:
            job = import_job_run(job=job)
            return tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()
            assert job.status == ImportJob.Status.DONE, job.errors

    small, large = peak(2_000), peak(20_000)
    assert large < 2 * small + 1_000_000, (small, large)
