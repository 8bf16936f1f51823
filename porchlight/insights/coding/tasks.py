"""Background work for theme coding, through django-tasks.

A new conversation is coded when outreach announces it (the `conversation_logged` event, sent after the
transaction that logged it commits; connected in InsightsConfig.ready()). The task backend is a setting
(TASKS): the immediate backend (default) codes at once, in the same process; the database backend queues
the work for `manage.py db_worker`. See docs/decisions/0003-background-coding.md.
"""

from __future__ import annotations

import logging

from django_tasks import task

logger = logging.getLogger(__name__)


@task()
def code_conversation_task(conversation_id: int) -> int:
    from porchlight.insights.coding.services import conversation_code
    from porchlight.outreach.models import Conversation

    conversation = Conversation.objects.filter(pk=conversation_id).select_related("resident").first()
    if conversation is None:  # deleted before the worker got to it
        return 0
    return conversation_code(conversation=conversation)


@task()
def coding_run_task(run_id: int, only_uncoded: bool = False) -> str:
    from porchlight.insights.coding.services import coding_run_execute
    from porchlight.insights.models import CodingRun

    run = CodingRun.objects.filter(pk=run_id).select_related("campaign").first()
    if run is None:
        return "missing"
    return coding_run_execute(run=run, only_uncoded=only_uncoded).status


def conversation_coding_enqueue(conversation_id: int) -> None:
    """Queue the coding of a newly logged conversation. Never lets a coding problem fail the logging."""
    try:
        code_conversation_task.enqueue(conversation_id)
    except Exception:
        logger.exception("Could not code the texts of conversation %s", conversation_id)


def code_logged_conversation(sender: type, *, conversation_id: int, **kwargs: object) -> None:
    """Subscriber to outreach's `conversation_logged`: code the new conversation's notes."""
    conversation_coding_enqueue(conversation_id)


def coding_run_enqueue(run_id: int, only_uncoded: bool = False) -> None:
    coding_run_task.enqueue(run_id, only_uncoded)
