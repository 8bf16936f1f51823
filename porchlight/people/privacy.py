"""Privacy requests: a resident asks for a copy of everything the city holds about them, or for its erasure.

Erasure removes what identifies or describes the person and keeps the rows, so that the city's anonymous
counts (conversations per neighborhood, needs, referrals and their outcomes, cases) stay what they were.
What is removed and what remains is listed in ERASED and KEPT (shown on the confirmation page) and in
docs/cases.md.

people is a lower layer than outreach, cases and services: their models are reached through reverse relations
or apps.get_model, never imported at module level.
"""

from __future__ import annotations

import re
from typing import Any

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from porchlight.accounts.models import AuditEvent, User
from porchlight.accounts.services import audit_record
from porchlight.people.models import Resident

ERASED_TEXT = "[erased]"

ERASED = [
    gettext_lazy("Name, phone numbers and email addresses"),
    gettext_lazy("Home address and household"),
    gettext_lazy("Age range, gender and race or ethnicity"),
    gettext_lazy(
        'Free-text notes, "what matters most" and ideas of the resident\'s conversations (also in the theme '
        "analysis), and the street address they were held at"
    ),
    gettext_lazy("Details written about their needs, notes on their referrals and door-knock notes"),
    gettext_lazy("Screening answers"),
    gettext_lazy("Case titles, case notes, closing notes and task titles"),
]
KEPT = [
    gettext_lazy(
        "That a conversation took place: when, by whom, in which campaign, language and neighborhood, "
        "and its topics"
    ),
    gettext_lazy("Need categories, referrals with their program, status history and outcome"),
    gettext_lazy("Cases with their status history, documents checklist and task due dates"),
    gettext_lazy("The audit log of who viewed or exported the record, and this erasure"),
]


def _model(label: str) -> Any:
    return apps.get_model(label)


def _when(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def _conversation(c: Any) -> dict:
    return {
        "id": c.pk,
        "held_at": _when(c.held_at),
        "channel": c.channel,
        "campaign": str(c.campaign),
        "held_by": str(c.held_by),
        "team": str(c.team) if c.team_id else None,
        "neighborhood": str(c.area) if c.area_id else None,
        "address": str(c.address) if c.address_id else None,
        "language": c.language,
        "duration_minutes": c.duration_minutes,
        "topics": [t.name for t in c.topics.all()],
        "notes": c.notes,
        "what_matters_most": c.what_matters_most,
        "ideas": c.ideas,
        "wants_follow_up": c.wants_follow_up,
    }


def _referral(r: Any) -> dict:
    return {
        "id": r.pk,
        "program": str(r.program),
        "organization": str(r.program.organization),
        "need": r.need.category if r.need_id else None,
        "status": r.status,
        "owner": str(r.owner),
        "consent_given": r.consent_given,
        "note": r.note,
        "decline_reason": r.decline_reason,
        "outcome": r.outcome,
        "close_reason": r.close_reason,
        "case_id": r.case_id,
        "created_at": _when(r.created_at),
        "accepted_at": _when(r.accepted_at),
        "closed_at": _when(r.closed_at),
        "history": [
            {
                "status": h.status,
                "changed_at": _when(h.changed_at),
                "changed_by": str(h.changed_by),
                "reason": h.reason,
                "note": h.note,
            }
            for h in r.history.all()
        ],
    }


def _case(c: Any) -> dict:
    return {
        "id": c.pk,
        "title": c.title,
        "status": c.status,
        "owner": str(c.owner),
        "team": str(c.team) if c.team_id else None,
        "opened_at": _when(c.opened_at),
        "closed_at": _when(c.closed_at),
        "close_note": c.close_note,
        "history": [
            {
                "status": h.status,
                "changed_at": _when(h.changed_at),
                "changed_by": str(h.changed_by),
                "note": h.note,
            }
            for h in c.history.all()
        ],
        "notes": [
            {"created_at": _when(n.created_at), "author": str(n.author), "body": n.body}
            for n in c.notes.all()
        ],
        "documents": [{"name": d.name, "received_at": _when(d.received_at)} for d in c.documents.all()],
        "tasks": [
            {"title": t.title, "due_on": _when(t.due_on), "done_at": _when(t.done_at)} for t in c.tasks.all()
        ],
    }


def resident_export(*, resident: Resident, actor: User) -> dict:
    """Everything Porchlight holds about one resident, as plain JSON-ready data. The export is audited."""
    Attempt = _model("outreach.Attempt")  # noqa: N806 - a model class
    conversations = resident.conversations.select_related("campaign", "held_by", "team", "area", "address")
    referrals = resident.referrals.select_related("program__organization", "owner", "need").prefetch_related(
        "history__changed_by"
    )
    cases = resident.cases.select_related("owner", "team").prefetch_related(
        "history__changed_by", "notes__author", "documents", "tasks"
    )
    data = {
        "exported_at": timezone.now().isoformat(),
        "resident": {
            "id": resident.pk,
            "first_name": resident.first_name,
            "last_name": resident.last_name,
            "address": str(resident.address) if resident.address_id else None,
            "household_id": resident.household_id,
            "preferred_language": resident.preferred_language,
            "age_range": resident.age_range,
            "gender": resident.gender,
            "race_ethnicity": resident.race_ethnicity,
            "created_at": _when(resident.created_at),
            "updated_at": _when(resident.updated_at),
            "erased_at": _when(resident.erased_at),
        },
        "contacts": {
            "phones": [{"number": p.number, "is_primary": p.is_primary} for p in resident.phones.all()],
            "emails": [{"address": e.address, "is_primary": e.is_primary} for e in resident.emails.all()],
        },
        "consent": {
            "consent_to_contact": resident.consent_to_contact,
            "do_not_contact": resident.do_not_contact,
        },
        "conversations": [_conversation(c) for c in conversations.prefetch_related("topics")],
        "needs": [
            {
                "id": n.pk,
                "category": n.category,
                "description": n.description,
                "conversation_id": n.conversation_id,
                "created_at": _when(n.created_at),
            }
            for n in resident.needs.all()
        ],
        "referrals": [_referral(r) for r in referrals],
        "screenings": [
            {
                "id": s.pk,
                "created_at": _when(s.created_at),
                "screened_by": str(s.screened_by),
                "answers": s.answers,
                "results": s.results,
            }
            for s in resident.screenings.select_related("screened_by")
        ],
        "cases": [_case(c) for c in cases],
        "contact_attempts": [
            {"made_at": _when(a.made_at), "channel": a.channel, "outcome": a.outcome, "note": a.note}
            for a in Attempt.objects.filter(resident=resident).order_by("made_at")
        ],
        "access_log": [
            {
                "at": _when(e.at),
                "action": e.action,
                "by": str(e.actor) if e.actor_id else None,
                "detail": e.detail,
            }
            for e in AuditEvent.objects.filter(
                object_type=Resident._meta.label_lower, object_id=str(resident.pk)
            ).select_related("actor")
        ],
    }
    audit_record(actor=actor, action="export", obj=resident, detail="privacy request: full record")
    return data


_ANY_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")
_SEPARATORS = r"[\s().-]*"


def _without_identifiers(text: str, *, names: list[str], phones: list[str], emails: list[str]) -> str:
    """The request text, minus the resident's name, phone numbers and any email address.

    The audit log cannot be edited and outlives the erasure, so what goes into it must not name the person.
    A phone number matches however it was typed ("704-555-0142", "(704) 555 0142", "+1 704...")."""
    for email in emails:
        text = re.sub(re.escape(email), ERASED_TEXT, text, flags=re.IGNORECASE)
    text = _ANY_EMAIL.sub(ERASED_TEXT, text)
    for number in phones:
        digits = re.sub(r"\D", "", number)
        for tail in sorted({digits, digits[-10:], digits[-7:]}, key=len, reverse=True):
            if len(tail) >= 7:
                pattern = r"(?<!\d)(\+?1" + _SEPARATORS + ")?" + _SEPARATORS.join(tail) + r"(?!\d)"
                text = re.sub(pattern, ERASED_TEXT, text)
    for name in sorted(names, key=len, reverse=True):
        text = re.sub(rf"\b{re.escape(name.strip())}\b", ERASED_TEXT, text, flags=re.IGNORECASE)
    return text


def _blank_text(qs: Any, *fields: str) -> None:
    """Replace each non-empty text field with ERASED_TEXT (empty ones stay empty: nothing was written)."""
    for name in fields:
        qs.exclude(**{name: ""}).update(**{name: ERASED_TEXT})


@transaction.atomic
def resident_erase(*, resident: Resident, actor: User, reason: str) -> Resident:
    """Erase a resident's personal data on their request, keeping anonymous rows so counts stay intact."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Write down the request: who asked, when and how."))
    resident = Resident.objects.select_for_update().get(pk=resident.pk)
    if resident.erased_at is not None:
        raise ValidationError(
            _("This resident's record was already erased on %(date)s.")
            % {"date": timezone.localdate(resident.erased_at).isoformat()}
        )
    Conversation = _model("outreach.Conversation")  # noqa: N806 - model classes
    Need = _model("outreach.Need")  # noqa: N806
    Referral = _model("cases.Referral")  # noqa: N806
    ReferralStatusChange = _model("cases.ReferralStatusChange")  # noqa: N806
    Case = _model("cases.Case")  # noqa: N806
    CaseNote = _model("cases.CaseNote")  # noqa: N806
    CaseStatusChange = _model("cases.CaseStatusChange")  # noqa: N806
    Task = _model("cases.Task")  # noqa: N806
    Attempt = _model("outreach.Attempt")  # noqa: N806
    Screening = _model("services.Screening")  # noqa: N806
    TextItem = _model("insights.TextItem")  # noqa: N806

    # Kept for a moment, to take them out of the request text before it goes into the audit log.
    names = [n for n in (resident.first_name, resident.last_name) if n.strip()]
    phones = list(resident.phones.values_list("number", flat=True))
    emails = list(resident.emails.values_list("address", flat=True))
    resident.phones.all().delete()
    resident.emails.all().delete()
    for name in Resident.PERSONAL_FIELDS:
        setattr(resident, name, "")
    resident.address = resident.household = None
    # Nobody may contact a person who asked to be forgotten; we no longer know how anyway.
    resident.consent_to_contact, resident.do_not_contact = False, True
    resident.erased_at = timezone.now()
    resident.save(
        update_fields=[
            *Resident.PERSONAL_FIELDS,
            "address",
            "household",
            "consent_to_contact",
            "do_not_contact",
            "erased_at",
            "updated_at",
        ]
    )
    conversations = Conversation.objects.filter(resident=resident)
    _blank_text(conversations, "notes", "what_matters_most", "ideas")
    # The theme analysis keeps its own copy of the words (its themes stay, for counts): blank it too.
    _blank_text(TextItem.objects.filter(conversation__in=conversations), "text", "text_scrubbed")
    # The street address would point back at the person; the neighborhood (area) stays for area counts.
    conversations.update(address=None)
    _blank_text(Need.objects.filter(Q(resident=resident) | Q(conversation__in=conversations)), "description")
    referrals = Referral.objects.filter(resident=resident)
    _blank_text(referrals, "note")
    _blank_text(ReferralStatusChange.objects.filter(referral__in=referrals), "note")
    cases = Case.objects.filter(resident=resident)
    _blank_text(cases, "title", "close_note")
    _blank_text(CaseStatusChange.objects.filter(case__in=cases), "note")
    CaseNote.objects.filter(case__in=cases).update(body=ERASED_TEXT)
    _blank_text(Task.objects.filter(Q(case__in=cases) | Q(referral__in=referrals)), "title")
    Screening.objects.filter(resident=resident).update(answers={})
    attempts = Attempt.objects.filter(Q(resident=resident) | Q(conversation__in=conversations))
    _blank_text(attempts, "note")
    detail = f"erased on request: {_without_identifiers(reason, names=names, phones=phones, emails=emails)}"
    audit_record(actor=actor, action="update", obj=resident, detail=detail)
    return resident
