"""Writes for case management: cases, their plan (tasks), notes, documents checklist and linked referrals.

Views check capabilities; these functions check the rules that hold whoever calls them (the resident must be
visible to the actor, a closed case takes no new work, closing needs a note...). Each runs in one transaction
and raises ValidationError with a message meant for the user.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from porchlight.accounts.models import User
from porchlight.accounts.roles import Capability
from porchlight.accounts.services import audit_record
from porchlight.cases.casework.selectors import case_is_readable_by
from porchlight.cases.models import Case, CaseDocument, CaseNote, CaseStatusChange, Referral, Task
from porchlight.people.models import Resident
from porchlight.people.selectors import residents_visible_to

NOTE_MAX_LENGTH = 10_000


def _check_owner(owner: User) -> None:
    if not owner.is_active or not owner.can(Capability.MANAGE_CASES):
        raise ValidationError(_("%(user)s cannot own cases: only case managers can.") % {"user": owner})


def _clean_title(title: str, *, what: str) -> str:
    title = (title or "").strip()
    if not title:
        raise ValidationError(_("Say what the %(what)s is about.") % {"what": what})
    if len(title) > 200:
        raise ValidationError(_("Keep the %(what)s title under 200 characters.") % {"what": what})
    return title


def _check_open(case: Case) -> None:
    if case.status == Case.Status.CLOSED:
        raise ValidationError(_("This case is closed: reopen it first."))


def _check_referral_linkable(*, referral: Referral, case: Case) -> None:
    if referral.resident_id != case.resident_id:
        raise ValidationError(
            _("%(referral)s is for another resident and cannot be linked to this case.")
            % {"referral": referral.program}
        )
    if referral.case_id is not None and referral.case_id != case.pk:
        raise ValidationError(
            _("The referral to %(program)s is already part of another case.") % {"program": referral.program}
        )


@transaction.atomic
def case_open(
    *,
    resident: Resident,
    title: str,
    owner: User,
    actor: User,
    documents: Iterable[str] = (),
    referrals: Iterable[Referral] = (),
) -> Case:
    """Open a case for a resident the actor may see, with an optional documents checklist and referrals."""
    actor.require(Capability.MANAGE_CASES)
    if not residents_visible_to(actor).filter(pk=resident.pk).exists():
        raise ValidationError(_("You cannot open a case for this resident."))
    if resident.erased_at is not None:
        raise ValidationError(_("This resident's record was erased on request: no case can be opened."))
    title = _clean_title(title, what=_("case"))
    _check_owner(owner)
    if not actor.is_administrator and owner.team_id != actor.team_id:
        raise ValidationError(_("Choose an owner from your own team."))
    case = Case.objects.create(resident=resident, title=title, owner=owner, team=owner.team, opened_by=actor)
    CaseStatusChange.objects.create(case=case, status=case.status, changed_by=actor, note="Opened")
    names = list(dict.fromkeys(n.strip()[:200] for n in documents if n and n.strip()))
    CaseDocument.objects.bulk_create([CaseDocument(case=case, name=n) for n in names])
    for referral in referrals:
        referral_link_to_case(referral=referral, case=case, actor=actor)
    audit_record(actor=actor, action="create", obj=case, detail=f"resident {resident.pk}")
    return case


@transaction.atomic
def case_set_status(*, case: Case, status: str, actor: User, note: str = "") -> Case:
    """Open, put on hold or close a case, recording the step in its history. Closing needs a note.

    Closing a case also closes its plan: open steps are marked done by the person who closed it.
    """
    if status not in Case.Status.values:
        raise ValidationError(_("Unknown case status: %(status)r.") % {"status": status})
    case = Case.objects.select_for_update().get(pk=case.pk)
    note = (note or "").strip()[:500]
    if status == case.status:
        return case
    now = timezone.now()
    if status == Case.Status.CLOSED:
        if not note:
            raise ValidationError(_("Write a closing note: what was done and how the case ended."))
        case.closed_at, case.close_note = now, note
        case.tasks.filter(done_at__isnull=True).update(done_at=now, done_by=actor)
    else:
        case.closed_at, case.close_note = None, ""
    case.status = status
    case.save(update_fields=["status", "closed_at", "close_note"])
    CaseStatusChange.objects.create(case=case, status=status, changed_by=actor, note=note)
    return case


@transaction.atomic
def case_reassign(*, case: Case, owner: User, actor: User) -> Case:
    """Hand the case to another case manager; the case's team, and the old owner's open steps, follow."""
    _check_owner(owner)
    case = Case.objects.select_for_update().get(pk=case.pk)
    if owner.pk == case.owner_id:
        return case
    previous = case.owner
    case.tasks.filter(done_at__isnull=True, assigned_to=previous).update(assigned_to=owner)
    case.owner, case.team = owner, owner.team
    case.save(update_fields=["owner", "team"])
    CaseStatusChange.objects.create(
        case=case, status=case.status, changed_by=actor, note=f"Reassigned from {previous} to {owner}"[:500]
    )
    return case


@transaction.atomic
def case_note_add(*, case: Case, actor: User, body: str) -> CaseNote:
    body = (body or "").strip()
    if not body:
        raise ValidationError(_("Write the note before saving it."))
    if len(body) > NOTE_MAX_LENGTH:
        raise ValidationError(
            _("Keep a note under %(n)s characters; split a long one in two.") % {"n": f"{NOTE_MAX_LENGTH:,}"}
        )
    return CaseNote.objects.create(case=case, author=actor, body=body)


@transaction.atomic
def case_document_add(*, case: Case, name: str, actor: User) -> CaseDocument:
    """Add a line to the documents checklist (e.g. "Photo ID")."""
    _check_open(case)
    name = (name or "").strip()
    if not name:
        raise ValidationError(_("Name the document."))
    if len(name) > 200:
        raise ValidationError(_("Keep the document name under 200 characters."))
    if case.documents.filter(name__iexact=name).exists():
        raise ValidationError(_("%(name)s is already on the checklist.") % {"name": name})
    return CaseDocument.objects.create(case=case, name=name)


@transaction.atomic
def case_document_mark_received(
    *, document: CaseDocument, actor: User, received: bool = True
) -> CaseDocument:
    """Tick (or untick) a document as received."""
    document.received_at = timezone.now() if received else None
    document.save(update_fields=["received_at"])
    return document


@transaction.atomic
def task_add(
    *,
    case: Case,
    title: str,
    due_on: dt.date,
    actor: User,
    assigned_to: User | None = None,
    today: dt.date | None = None,
) -> Task:
    """Add a step to a case's plan, due on a date, for the owner unless someone else who reads the case."""
    _check_open(case)
    title = _clean_title(title, what=_("task"))
    if due_on is None:
        raise ValidationError(_("Give the task a due date."))
    if due_on < (today or timezone.localdate()):
        raise ValidationError(_("The due date is in the past: choose today or a later day."))
    assignee = assigned_to or case.owner
    if not (assignee.is_active and case_is_readable_by(case=case, user=assignee)):
        raise ValidationError(
            _("%(user)s cannot see this case, so cannot be given its tasks.") % {"user": assignee}
        )
    return Task.objects.create(
        case=case, kind=Task.Kind.PLAN, title=title, assigned_to=assignee, due_on=due_on
    )


@transaction.atomic
def task_complete(*, task: Task, actor: User) -> Task:
    """Mark a task done. Ticking a task that is already done changes nothing (a double click)."""
    task = Task.objects.select_for_update().get(pk=task.pk)
    if task.done_at is None:
        task.done_at, task.done_by = timezone.now(), actor
        task.save(update_fields=["done_at", "done_by"])
    return task


@transaction.atomic
def task_reopen(*, task: Task, actor: User) -> Task:
    """Undo "done" on a task, unless its case or referral is closed."""
    task = Task.objects.select_for_update(of=("self",)).select_related("case", "referral").get(pk=task.pk)
    if task.case is not None:
        _check_open(task.case)
    if task.referral is not None and task.referral.is_closed:
        raise ValidationError(_("The referral is closed, so its follow-up cannot be reopened."))
    if task.done_at is not None:
        task.done_at, task.done_by = None, None
        task.save(update_fields=["done_at", "done_by"])
    return task


@transaction.atomic
def referral_link_to_case(*, referral: Referral, case: Case, actor: User) -> Referral:
    """Make a referral of the case's resident part of the case."""
    _check_open(case)
    if not actor.can(Capability.MANAGE_CASES):
        raise PermissionDenied
    referral = Referral.objects.select_for_update().get(pk=referral.pk)
    _check_referral_linkable(referral=referral, case=case)
    if referral.case_id != case.pk:
        referral.case = case
        referral.save(update_fields=["case", "updated_at"])
    return referral
