"""Import jobs run in the background worker, through django-tasks (as theme coding does).

TASKS_BACKEND=immediate (demo, tests) runs the job right after the upload commits, in the same process;
TASKS_BACKEND=database queues it for `manage.py db_worker`. A job whose worker died is queued again by
`import_jobs_resume` (`manage.py import_jobs --resume`, run when a worker starts).
See docs/decisions/0009-imports-in-the-worker.md.
"""

from __future__ import annotations

import logging

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from porchlight.places.imports.jobs import import_job_run
from porchlight.places.imports.lease import stale_jobs
from porchlight.places.models import ImportJob

logger = logging.getLogger(__name__)


@task()
def import_job_task(job_id: int) -> str:
    job = ImportJob.objects.filter(pk=job_id).select_related("created_by").first()
    if job is None:
        return "missing"
    return import_job_run(job=job).status


def import_job_enqueue(job_id: int) -> None:
    import_job_task.enqueue(job_id)


def import_job_start(*, job: ImportJob) -> None:
    """Queue the job for the background worker once the upload is committed."""
    transaction.on_commit(lambda: import_job_enqueue(job.pk))


def import_jobs_resume() -> list[int]:
    """Queue again every job whose worker died (or whose task never ran); returns their ids.

    A job that is in fact alive cannot be taken twice: the task claims it with a conditional UPDATE, and only
    the holder of the lease may record the outcome.
    """
    resumed = []
    for job in ImportJob.objects.filter(stale_jobs()).order_by("pk"):
        if not job.file:
            ImportJob.objects.filter(pk=job.pk, status=job.status).update(
                status=ImportJob.Status.FAILED,
                error_count=1,
                errors=[{"line": 0, "field": "", "message": _("The upload is gone; upload the file again.")}],
                finished_at=timezone.now(),
            )
            continue
        logger.warning("Resuming import job %s (%s, was %s)", job.pk, job.kind, job.status)
        import_job_enqueue(job.pk)
        resumed.append(job.pk)
    return resumed
