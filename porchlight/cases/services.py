"""Writes for cases: needs found in conversations and referrals to programs."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from porchlight.accounts.models import User
from porchlight.cases.models import Need, Referral, ReferralStatusChange
from porchlight.outreach.models import Conversation
from porchlight.services.models import Program


def need_record(*, conversation: Conversation, category: str, description: str = "") -> Need:
    need, _ = Need.objects.get_or_create(
        conversation=conversation,
        category=category,
        defaults={"resident": conversation.resident, "description": description.strip()[:500]},
    )
    return need


S = Referral.Status
# Which moves a referral may make. Closed referrals can be reopened (the resident comes back).
ALLOWED_TRANSITIONS: dict[str, set[str]] = {
    S.SENT: {S.ACCEPTED, S.DECLINED, S.UNRESOLVED},
    S.ACCEPTED: {S.IN_PROGRESS, S.RESOLVED, S.UNRESOLVED},
    S.IN_PROGRESS: {S.RESOLVED, S.UNRESOLVED},
    S.DECLINED: {S.SENT},
    S.RESOLVED: {S.IN_PROGRESS},
    S.UNRESOLVED: {S.IN_PROGRESS},
}
# The reason each closing status must carry, and where it is stored.
STATUS_REASONS: dict[str, tuple[str, type]] = {
    S.DECLINED: ("decline_reason", Referral.DeclineReason),
    S.RESOLVED: ("outcome", Referral.Outcome),
    S.UNRESOLVED: ("close_reason", Referral.CloseReason),
}


@transaction.atomic
def referral_create(
    *,
    need: Need,
    program: Program,
    actor: User,
    owner: User | None = None,
    consent_given: bool,
    note: str = "",
) -> Referral:
    """Refer the resident with this need to a program; the resident must be known and have agreed."""
    if need.resident is None:
        raise ValidationError(
            _("Record who the resident is before referring them: anonymous needs cannot be referred.")
        )
    if not consent_given:
        raise ValidationError(_("The resident must agree to share their details with the program."))
    if not program.is_active:
        raise ValidationError(_("%(program)s is not taking referrals.") % {"program": program})
    if Referral.objects.filter(need=need, program=program).exists():
        raise ValidationError(_("This need is already referred to %(program)s.") % {"program": program})
    referral = Referral.objects.create(
        need=need,
        resident=need.resident,
        program=program,
        owner=owner or actor,
        created_by=actor,
        consent_given=True,
        note=note.strip()[:500],
    )
    ReferralStatusChange.objects.create(
        referral=referral, status=referral.status, changed_by=actor, note="Created"
    )
    return referral


@transaction.atomic
def referral_set_status(
    *, referral: Referral, status: str, actor: User, note: str = "", reason: str = ""
) -> Referral:
    """Move a referral along its lifecycle; declining, resolving and closing each need their reason."""
    if status not in Referral.Status.values:
        raise ValidationError(_("Unknown referral status: %(status)r.") % {"status": status})
    referral = Referral.objects.select_for_update().get(pk=referral.pk)
    if status == referral.status:
        return referral
    if status not in ALLOWED_TRANSITIONS.get(referral.status, set()):
        raise ValidationError(
            _("A referral cannot go from %(old)s to %(new)s.")
            % {"old": referral.get_status_display(), "new": Referral.Status(status).label}
        )
    fields = ["status", "closed_at", "accepted_at", "updated_at"]
    if status in STATUS_REASONS:
        field, choices = STATUS_REASONS[status]
        if reason not in choices.values:
            raise ValidationError(
                _("Choose why the referral is %(status)s.")
                % {"status": Referral.Status(status).label.lower()}
            )
        setattr(referral, field, reason)
        fields.append(field)
    referral.status = status
    if status == S.ACCEPTED:
        referral.accepted_at = timezone.now()
    referral.closed_at = timezone.now() if referral.is_closed else None
    referral.save(update_fields=fields)
    ReferralStatusChange.objects.create(
        referral=referral, status=status, changed_by=actor, reason=reason if status in STATUS_REASONS else "",
        note=note.strip()[:500],
    )
    return referral
