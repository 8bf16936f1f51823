"""`manage.py import_jobs [--resume]`: list import jobs still queued or running; with --resume, queue again
those whose worker died. Run `import_jobs --resume` each time a worker starts (before `db_worker`)."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from porchlight.places.imports.tasks import import_jobs_resume
from porchlight.places.models import ImportJob


class Command(BaseCommand):
    help = "List running import jobs; --resume queues again the jobs whose worker died."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--resume", action="store_true", help="Queue again the jobs whose worker died.")

    def handle(self, *args: object, resume: bool, **options: object) -> None:
        if resume:
            resumed = import_jobs_resume()
            self.stdout.write(
                f"Resumed {len(resumed)} import job(s){': ' if resumed else '.'}"
                + ", ".join(str(pk) for pk in resumed)
            )
            return
        now = timezone.now()
        active = ImportJob.objects.filter(
            status__in=[ImportJob.Status.QUEUED, ImportJob.Status.VALIDATING, ImportJob.Status.IMPORTING]
        )
        for job in active.order_by("pk"):
            beat = f"{(now - job.heartbeat_at).total_seconds():.0f}s ago" if job.heartbeat_at else "never"
            self.stdout.write(
                f"job {job.pk}: {job.kind} {job.status} {job.processed_rows:,}/{job.total_rows:,} rows, "
                f"heartbeat {beat}, attempt {job.attempts}"
            )
        if not active.exists():
            self.stdout.write("No import job is queued or running.")
