"""Writes for screening: a resident's answers stored with the programs they matched at that moment."""

from __future__ import annotations

from collections.abc import Mapping

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from porchlight.accounts.models import User
from porchlight.directory.models import Screening
from porchlight.directory.screening.screener import screening_answers_clean, screening_evaluate
from porchlight.outreach.models import Conversation
from porchlight.people.models import Resident


@transaction.atomic
def screening_record(
    *,
    resident: Resident,
    answers: Mapping[str, object],
    actor: User,
    conversation: Conversation | None = None,
) -> Screening:
    """Store a resident's answers and the programs they matched, as shown to the worker now."""
    if resident.erased_at is not None:
        raise ValidationError(_("This resident's record was erased on their request; it cannot be screened."))
    if conversation is not None and conversation.resident_id != resident.pk:
        raise ValidationError(_("That conversation was held with someone else."))
    clean = screening_answers_clean(answers)
    matches = screening_evaluate(answers=clean)
    return Screening.objects.create(
        resident=resident,
        conversation=conversation,
        screened_by=actor,
        answers=clean,
        results=[m.as_result() for m in matches],
    )
