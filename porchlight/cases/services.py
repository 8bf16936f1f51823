"""Writes for cases: referrals to programs, from a conversation's need, a screening or a resident's page."""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from porchlight.accounts.models import User
from porchlight.cases.casework.followups import followup_schedule_for_referral
from porchlight.cases.lifecycle import (
    OPEN_STATUSES,
    STATUS_REASONS,
    referral_reason_label,
    transition_allowed,
)
from porchlight.cases.models import Referral, ReferralStatusChange
from porchlight.cases.selectors import referral_next_statuses
from porchlight.directory.models import Program, Screening
from porchlight.outreach.models import Need, NeedCategory
from porchlight.people.models import Resident
from porchlight.ui.links import absolute_url

logger = logging.getLogger(__name__)


def need_category_for_program(program: Program) -> str:
    """The need a program answers: the categories share most codes; the rest (business, youth) are "other"."""
    return program.category if program.category in NeedCategory.values else NeedCategory.OTHER


def _need_for_resident(*, resident: Resident, program: Program, screening: Screening | None) -> Need:
    """Record the need behind a referral made from a resident's page or a screening, so every referral has
    a need and needs counts include it. A screening held in a conversation records it there (campaign
    figures then count it); otherwise it is a need without a conversation, reused for later referrals."""
    category = need_category_for_program(program)
    if screening is not None and screening.conversation_id is not None:
        need, _created = Need.objects.get_or_create(
            conversation_id=screening.conversation_id, category=category, defaults={"resident": resident}
        )
        return need
    reusable = (
        Need.objects.filter(resident=resident, conversation__isnull=True, category=category)
        .exclude(referrals__program=program)
        .order_by("id")
        .first()
    )
    return reusable or Need.objects.create(resident=resident, category=category)


@transaction.atomic
def referral_create(
    *,
    program: Program,
    actor: User,
    consent_given: bool,
    need: Need | None = None,
    resident: Resident | None = None,
    screening: Screening | None = None,
    owner: User | None = None,
    note: str = "",
) -> Referral:
    """Refer a resident to a program, from a need found in a conversation, a screening or the resident's
    page. The resident must be known, not erased, and have agreed; one open referral per program."""
    resident = _referral_resident(need=need, resident=resident, screening=screening)
    _check_referral(resident=resident, program=program, need=need, consent_given=consent_given)
    if need is None:
        need = _need_for_resident(resident=resident, program=program, screening=screening)
        if Referral.objects.filter(need=need, program=program).exists():
            raise ValidationError(
                _("This need is already referred to %(program)s: reopen that referral instead.")
                % {"program": program}
            )
    referral = Referral.objects.create(
        need=need,
        screening=screening,
        resident=resident,
        program=program,
        owner=owner or actor,
        created_by=actor,
        consent_given=True,
        note=note.strip()[:500],
    )
    ReferralStatusChange.objects.create(
        referral=referral, status=referral.status, changed_by=actor, note="Created"
    )
    transaction.on_commit(lambda: followup_schedule_for_referral(referral=referral))  # the 14-day check-in
    return referral


def _referral_resident(
    *, need: Need | None, resident: Resident | None, screening: Screening | None
) -> Resident:
    """Who is referred: the need's resident, who must be known and the same as any resident given."""
    if need is not None:
        if need.resident is None:
            raise ValidationError(
                _("Record who the resident is before referring them: anonymous needs cannot be referred.")
            )
        if resident is not None and resident.pk != need.resident_id:
            raise ValidationError(_("This need belongs to another resident."))
        resident = need.resident
    if resident is None:
        raise ValidationError(_("Choose the resident to refer."))
    if screening is not None and screening.resident_id != resident.pk:
        raise ValidationError(_("This screening belongs to another resident."))
    return resident


def _check_referral(*, resident: Resident, program: Program, need: Need | None, consent_given: bool) -> None:
    """The rules every referral meets: a record not erased, consent, an active program, no second open one."""
    if resident.erased_at is not None:
        raise ValidationError(
            _("This resident's record was erased at their request: they cannot be referred.")
        )
    if not consent_given:
        raise ValidationError(_("The resident must agree to share their details with the program."))
    if not program.is_active:
        raise ValidationError(_("%(program)s is not taking referrals.") % {"program": program})
    if need is not None and Referral.objects.filter(need=need, program=program).exists():
        raise ValidationError(_("This need is already referred to %(program)s.") % {"program": program})
    if Referral.objects.filter(resident=resident, program=program, status__in=OPEN_STATUSES).exists():
        raise ValidationError(
            _("%(resident)s already has an open referral to %(program)s.")
            % {"resident": resident, "program": program}
        )


@transaction.atomic
def referral_set_status(
    *, referral: Referral, status: str, actor: User, note: str = "", reason: str = ""
) -> Referral:
    """Move a referral along its lifecycle; declining, resolving and closing each need their reason.

    Only the moves `selectors.referral_next_statuses` grants the actor are made (else PermissionDenied).
    The referring worker and the owner are emailed, after commit, about every change someone else makes.
    """
    if status not in Referral.Status.values:
        raise ValidationError(_("Unknown referral status: %(status)r.") % {"status": status})
    referral = Referral.objects.select_for_update().get(pk=referral.pk)
    if status == referral.status:
        return referral
    if not transition_allowed(old=referral.status, new=status):
        raise ValidationError(
            _("A referral cannot go from %(old)s to %(new)s.")
            % {"old": referral.get_status_display(), "new": Referral.Status(status).label}
        )
    if status not in referral_next_statuses(user=actor, referral=referral):
        raise PermissionDenied(
            _("You may not move this referral to %(new)s.") % {"new": Referral.Status(status).label}
        )
    fields = ["status", "closed_at", "accepted_at", "sent_at", "updated_at"]
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
    if status == Referral.Status.ACCEPTED:
        referral.accepted_at = timezone.now()
    if status == Referral.Status.SENT:  # sent again after a decline: the program's time to accept starts over
        referral.sent_at = timezone.now()
    referral.closed_at = timezone.now() if referral.is_closed else None
    referral.save(update_fields=fields)
    change = ReferralStatusChange.objects.create(
        referral=referral, status=status, changed_by=actor, reason=reason if status in STATUS_REASONS else "",
        note=note.strip()[:500],
    )
    transaction.on_commit(lambda: referral_notify(change_pk=change.pk), robust=True)
    return referral


def referral_notify(*, change_pk: int) -> int:
    """Email the referring worker and the owner about a status change someone else made; returns how many
    emails went out. The email names the program and the status, never the resident: mail is not the place
    for personal details, the link is."""
    change = ReferralStatusChange.objects.select_related(
        "referral__program__organization", "referral__owner", "referral__created_by", "changed_by__team"
    ).get(pk=change_pk)
    referral = change.referral
    recipients = {
        u.pk: u for u in (referral.created_by, referral.owner) if u.pk != change.changed_by_id and u.email
    }
    path = reverse("cases:referral_detail", args=[referral.pk])
    sent = 0
    for user in recipients.values():
        language = (user.languages or [settings.LANGUAGE_CODE])[0]
        with translation.override(language):
            context = {
                "user": user,
                "referral": referral,
                "change": change,
                "reason": referral_reason_label(status=change.status, reason=change.reason),
                "url": absolute_url(path),
            }
            subject = " ".join(render_to_string("cases/email/referral_status_subject.txt", context).split())
            body = render_to_string("cases/email/referral_status_body.txt", context)
        sent += send_mail(subject, body, None, [user.email])
    return sent
