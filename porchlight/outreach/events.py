"""Domain events: what outreach tells the apps above it, which it must not import.

Each event is a Django signal named for what happened, sent only after the transaction that made it happen
commits, so a subscriber never sees a record that is then rolled back. Subscribers connect in their
AppConfig.ready(). See docs/decisions/0004-domain-events.md.
"""

from __future__ import annotations

import logging

from django.dispatch import Signal

from porchlight.outreach.models import Conversation

logger = logging.getLogger(__name__)

# A new conversation was logged (not a retry of one already logged). Arguments: conversation_id (int).
# insights subscribes: it codes the conversation's notes to themes.
conversation_logged = Signal()


def conversation_logged_send(*, conversation_id: int) -> None:
    """Tell the subscribers; one failing subscriber neither stops the others nor fails the logging."""
    results = conversation_logged.send_robust(sender=Conversation, conversation_id=conversation_id)
    for receiver, error in results:
        if isinstance(error, Exception):
            logger.error(
                "A subscriber to conversation_logged failed: %r on conversation %s",
                receiver,
                conversation_id,
                exc_info=error,
            )
