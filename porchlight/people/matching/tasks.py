"""Background work for matching, through django-tasks (as theme coding: decision 0003).

Checking a resident registered on the spot against every stored one takes a DuckDB run (about half a second):
the conversation form, the API and the offline sync only queue it, after their transaction commits, so the
worker does it (TASKS_BACKEND=database) instead of the request that logged the conversation.
"""

from __future__ import annotations

import logging

from django_tasks import task

logger = logging.getLogger(__name__)


@task()
def match_resident_task(resident_id: int, found_by: str) -> int:
    from porchlight.people.matching.services import match_candidates_queue_for
    from porchlight.people.models import Resident

    resident = Resident.objects.filter(pk=resident_id).select_related("address").first()
    if resident is None:  # merged or erased before the worker got to it
        return 0
    return match_candidates_queue_for(resident=resident, found_by=found_by)


def match_resident_enqueue(*, resident_id: int, found_by: str) -> None:
    """Queue the duplicate check of a new resident; a matching problem never fails the write."""
    try:
        match_resident_task.enqueue(resident_id, found_by)
    except Exception:
        logger.exception("Could not queue the duplicate check of resident %s", resident_id)
