"""Case management screens: my work queue, case list, opening a case and the case page with its forms.

Writes need Capability.MANAGE_CASES; reads follow casework.selectors (owner, the case's team, administrators).
Every render of a case page is audit-logged as a view of the resident's record.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from porchlight.accounts.http import AuthedHttpRequest
from porchlight.accounts.permissions import any_capability_required, capability_required
from porchlight.accounts.reads import audit_record_list
from porchlight.accounts.roles import Capability
from porchlight.accounts.services import audit_record
from porchlight.cases.casework import services as svc
from porchlight.cases.casework.forms import (
    CaseDocumentForm,
    CaseNoteForm,
    CaseOpenForm,
    CaseReassignForm,
    CaseReferralLinkForm,
    CaseStatusForm,
    TaskForm,
)
from porchlight.cases.casework.selectors import (
    case_detail_data,
    case_get_for_user,
    case_is_readable_by,
    case_owner_choices,
    cases_for_list,
    document_get_for_user,
    referrals_linkable,
    task_get_for_user,
    task_queue,
)
from porchlight.cases.models import Case, Referral, Task
from porchlight.people.selectors import resident_get_for_user

MANAGE = Capability.MANAGE_CASES
# Who can have tasks: case managers (plan steps) and whoever owns referrals (automatic check-ins).
TASK_HOLDERS = (Capability.MANAGE_CASES, Capability.REFER, Capability.MANAGE_REFERRALS)


@any_capability_required(*TASK_HOLDERS)
def task_queue_view(request: AuthedHttpRequest) -> HttpResponse:
    groups = task_queue(user=request.user)
    sections = [
        ("overdue", _("Overdue"), groups["overdue"]),
        ("today", _("Due today"), groups["today"]),
        ("week", _("This week"), groups["week"]),
        ("later", _("Later"), groups["later"]),
    ]
    return render(
        request,
        "cases/task_queue.html",
        {"sections": sections, "total": sum(len(g) for g in groups.values())},
    )


def _back(request: HttpRequest, task: Task) -> HttpResponse:
    """Without JavaScript, go back to the page the button was on (the queue or the case)."""
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect("casework:task_queue")


def _task_response(request: AuthedHttpRequest, task: Task, error: str = "") -> HttpResponse:
    """One URL, two renderings: the task's row for htmx, a redirect back otherwise."""
    if request.htmx:
        task.refresh_from_db()
        back = request.POST.get("next", "")
        # On the case's own page the row does not link to the case.
        in_case = task.case is not None and back == case_url(task.case)
        return render(
            request, "cases/task_row.html", {"task": task, "error": error, "next": back, "in_case": in_case}
        )
    if error:
        messages.error(request, error)
    return _back(request, task)


@require_POST
@any_capability_required(*TASK_HOLDERS)
def task_done(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    task = task_get_for_user(user=request.user, pk=pk)
    svc.task_complete(task=task, actor=request.user)
    if not request.htmx:
        messages.success(request, _("Task done: %(task)s.") % {"task": task.title})
    return _task_response(request, task)


@require_POST
@any_capability_required(*TASK_HOLDERS)
def task_reopen(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    task = task_get_for_user(user=request.user, pk=pk)
    try:
        svc.task_reopen(task=task, actor=request.user)
    except ValidationError as exc:
        return _task_response(request, task, " ".join(exc.messages))
    return _task_response(request, task)


@capability_required(MANAGE)
def case_list(request: AuthedHttpRequest) -> HttpResponse:
    status = request.GET.get("status", "")
    scope = "team" if request.GET.get("scope") == "team" else "mine"
    cases = cases_for_list(user=request.user, status=status, scope=scope)
    page = Paginator(cases, 25).get_page(request.GET.get("page"))
    audit_record_list(
        actor=request.user,
        object_type="cases.case",
        ids=[c.pk for c in page.object_list],
        kind="case list",
        request=request,
    )
    return render(
        request,
        "cases/case_list.html",
        {"page": page, "status": status, "scope": scope, "statuses": Case.Status.choices},
    )


def _documents_for(referrals: list[Referral]) -> list[str]:
    """The required documents of the referrals' programs, each once, in order."""
    return list(dict.fromkeys(d for r in referrals for d in r.program.documents))


@capability_required(MANAGE)
def case_new(request: AuthedHttpRequest) -> HttpResponse:
    """Open a case for the resident given as ?resident=<pk>."""
    try:
        resident_pk = int(request.POST.get("resident") or request.GET.get("resident") or "")
    except ValueError:
        messages.error(request, _("Open a case from a resident's page."))
        return redirect("people:resident_list")
    resident = resident_get_for_user(user=request.user, pk=resident_pk)
    if resident.erased_at is not None:
        messages.error(request, _("This resident's record was erased on request: no case can be opened."))
        return redirect("people:resident_detail", pk=resident.pk)
    referrals = referrals_linkable(resident_id=resident.pk, user=request.user)
    listed = list(referrals)
    form = CaseOpenForm(
        request.POST or None,
        owners=case_owner_choices(actor=request.user),
        referrals=referrals,
        documents=_documents_for(listed),
        initial={
            "owner": request.user.pk,
            "referrals": [r.pk for r in listed if not r.is_closed],
            "documents": _documents_for([r for r in listed if not r.is_closed]),
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            case = svc.case_open(
                resident=resident,
                title=data["title"],
                owner=data["owner"],
                actor=request.user,
                documents=form.document_names(),
                referrals=data.get("referrals") or [],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Case opened."))
            return redirect("casework:case_detail", pk=case.pk)
    audit_record(actor=request.user, action="view", obj=resident, request=request, detail="open a case")
    return render(request, "cases/case_form.html", {"form": form, "resident": resident})


def _detail(request: AuthedHttpRequest, case: Case, **bound: object) -> HttpResponse:
    """The case page, with any form the user just submitted (and its errors) in place of the blank one."""
    audit_record(
        actor=request.user, action="view", obj=case.resident, request=request, detail=f"case {case.pk}"
    )
    owners = case_owner_choices(actor=request.user)
    linkable = referrals_linkable(resident_id=case.resident_id, user=request.user)
    forms: dict[str, object] = {
        "status_form": CaseStatusForm(current=case.status),
        "reassign_form": CaseReassignForm(owners=owners.exclude(pk=case.owner_id)),
        "note_form": CaseNoteForm(),
        "document_form": CaseDocumentForm(),
        "task_form": TaskForm(),
        "link_form": CaseReferralLinkForm(referrals=linkable) if linkable.exists() else None,
    }
    forms.update(bound)
    return render(
        request,
        "cases/case_detail.html",
        {"case": case, "may_work": request.user.can(MANAGE), **case_detail_data(case=case), **forms},
    )


@capability_required(MANAGE)
def case_detail(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    return _detail(request, case_get_for_user(user=request.user, pk=pk))


def _done(request: HttpRequest, case: Case, message: str, anchor: str) -> HttpResponse:
    messages.success(request, message)
    return redirect(f"{case_url(case)}#{anchor}")


def case_url(case: Case) -> str:
    return reverse("casework:case_detail", args=[case.pk])


@require_POST
@capability_required(MANAGE)
def case_status(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    case = case_get_for_user(user=request.user, pk=pk)
    form = CaseStatusForm(request.POST, current=case.status)
    if form.is_valid():
        try:
            case = svc.case_set_status(
                case=case,
                status=form.cleaned_data["status"],
                actor=request.user,
                note=form.cleaned_data["note"],
            )
        except ValidationError as exc:
            form.add_error("note" if form.cleaned_data["status"] == Case.Status.CLOSED else None, exc)
        else:
            return _done(
                request, case, _("Case is now %(status)s.") % {"status": case.get_status_display()}, "status"
            )
    return _detail(request, case, status_form=form)


@require_POST
@capability_required(MANAGE)
def case_reassign(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    case = case_get_for_user(user=request.user, pk=pk)
    form = CaseReassignForm(request.POST, owners=case_owner_choices(actor=request.user))
    if form.is_valid():
        try:
            case = svc.case_reassign(case=case, owner=form.cleaned_data["owner"], actor=request.user)
        except ValidationError as exc:
            form.add_error("owner", exc)
        else:
            # The new owner may be in another team: the old owner's teammates may no longer read the case.
            messages.success(request, _("Case handed over to %(owner)s.") % {"owner": case.owner})
            if case_is_readable_by(case=case, user=request.user):
                return redirect(case_url(case))
            return redirect("casework:case_list")
    return _detail(request, case, reassign_form=form)


@require_POST
@capability_required(MANAGE)
def case_note_add(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    case = case_get_for_user(user=request.user, pk=pk)
    form = CaseNoteForm(request.POST)
    if form.is_valid():
        try:
            svc.case_note_add(case=case, actor=request.user, body=form.cleaned_data["body"])
        except ValidationError as exc:
            form.add_error("body", exc)
        else:
            return _done(request, case, _("Note added."), "notes")
    return _detail(request, case, note_form=form)


@require_POST
@capability_required(MANAGE)
def case_document_add(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    case = case_get_for_user(user=request.user, pk=pk)
    form = CaseDocumentForm(request.POST)
    if form.is_valid():
        try:
            svc.case_document_add(case=case, name=form.cleaned_data["name"], actor=request.user)
        except ValidationError as exc:
            form.add_error("name", exc)
        else:
            return _done(request, case, _("Document added to the checklist."), "documents")
    return _detail(request, case, document_form=form)


@require_POST
@capability_required(MANAGE)
def case_document_received(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    document = document_get_for_user(user=request.user, pk=pk)
    received = request.POST.get("received") == "1"
    svc.case_document_mark_received(document=document, actor=request.user, received=received)
    message = _("%(name)s received.") if received else _("%(name)s marked as still needed.")
    return _done(request, document.case, message % {"name": document.name}, "documents")


@require_POST
@capability_required(MANAGE)
def task_add(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    case = case_get_for_user(user=request.user, pk=pk)
    form = TaskForm(request.POST)
    if form.is_valid():
        try:
            svc.task_add(
                case=case,
                title=form.cleaned_data["title"],
                due_on=form.cleaned_data["due_on"],
                actor=request.user,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            return _done(request, case, _("Task added to the plan."), "plan")
    return _detail(request, case, task_form=form)


@require_POST
@capability_required(MANAGE)
def case_referral_link(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    case = case_get_for_user(user=request.user, pk=pk)
    form = CaseReferralLinkForm(
        request.POST, referrals=referrals_linkable(resident_id=case.resident_id, user=request.user)
    )
    if form.is_valid():
        try:
            svc.referral_link_to_case(referral=form.cleaned_data["referral"], case=case, actor=request.user)
        except ValidationError as exc:
            form.add_error("referral", exc)
        else:
            return _done(request, case, _("Referral linked to the case."), "referrals")
    return _detail(request, case, link_form=form)
