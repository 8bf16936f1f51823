"""CSV imports of addresses and residents: every row checked first, then all rows written or none."""

from porchlight.places.imports.csvfile import ImportFileError, RowError
from porchlight.places.imports.jobs import import_job_create, import_job_run, import_template, importer_for
from porchlight.places.imports.tasks import import_job_start, import_jobs_resume

__all__ = [
    "ImportFileError",
    "RowError",
    "import_job_create",
    "import_job_run",
    "import_job_start",
    "import_jobs_resume",
    "import_template",
    "importer_for",
]
