"""Referral pages: refer, the list (a partner's inbox), the detail with its next steps, updates, outcomes."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from porchlight.accounts.http import AuthedHttpRequest
from porchlight.accounts.permissions import any_capability_required, capability_required
from porchlight.accounts.reads import audit_record_list
from porchlight.accounts.roles import Capability
from porchlight.accounts.services import audit_record
from porchlight.cases.forms import (
    OutcomesFilterForm,
    ReferralActionForm,
    ReferralFilterForm,
    ReferralForm,
)
from porchlight.cases.lifecycle import referral_reason_label, transition_allowed
from porchlight.cases.models import Referral
from porchlight.cases.outcomes import GROUP_CHOICES, outcome_csv_rows, outcomes_report
from porchlight.cases.selectors import (
    need_get_for_referral,
    programs_for_category,
    programs_for_filter,
    programs_for_need,
    referral_get_for_user,
    referral_is_overdue,
    referral_is_receiver,
    referral_next_statuses,
    referral_updates_for,
    referrals_for_list,
    resident_get_for_referral,
    screening_get_for_referral,
)
from porchlight.cases.services import referral_create, referral_set_status
from porchlight.directory.models import Screening
from porchlight.outreach.models import Need
from porchlight.people.models import Resident
from porchlight.ui.exports import csv_writer


def _refuse_partners(request: AuthedHttpRequest) -> None:
    """Partner organizations receive referrals; sending them is the city's job."""
    if request.user.is_partner:
        raise PermissionDenied


def _created(request: HttpRequest, referral: Referral) -> HttpResponse:
    messages.success(request, _("Referral sent to %(program)s.") % {"program": referral.program})
    return redirect("cases:referral_detail", pk=referral.pk)


def _screening_asked_for(request: HttpRequest, resident: Resident) -> Screening | None:
    """The screening a referral comes from (?screening=<pk>, kept in the form as a hidden field)."""
    pk = request.POST.get("screening") or request.GET.get("screening")
    return screening_get_for_referral(resident=resident, pk=int(pk)) if pk and str(pk).isdigit() else None


@capability_required(Capability.REFER)
def referral_new(
    request: AuthedHttpRequest, need_pk: int | None = None, resident_pk: int | None = None
) -> HttpResponse:
    """Refer a resident, from a need found in a conversation (needs/<pk>/refer/) or from the resident's page
    or a screening (residents/<pk>/refer/?program=<pk>&screening=<pk>): one form, one service."""
    _refuse_partners(request)
    need: Need | None = None
    screening: Screening | None = None
    if need_pk is not None:
        need = need_get_for_referral(user=request.user, pk=need_pk)
        resident = need.resident
        programs = programs_for_need(need=need)
    else:
        assert resident_pk is not None  # the URL names a need or a resident
        resident = resident_get_for_referral(user=request.user, pk=resident_pk)
        screening = _screening_asked_for(request, resident)
        programs = programs_for_category()
    # Who opened a resident's record to refer them is a read of their data (docs/cases.md).
    detail = f"refer need {need.pk}" if need is not None else "refer"
    audit_record(actor=request.user, action="view", obj=resident, request=request, detail=detail)
    initial = {}
    if request.GET.get("program", "").isdigit():
        initial["program"] = programs.filter(pk=request.GET["program"]).first()
    form = ReferralForm(request.POST or None, programs=programs, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            referral = referral_create(
                need=need,
                resident=resident,
                screening=screening,
                program=data["program"],
                actor=request.user,
                owner=data["owner"],
                consent_given=data["consent_given"],
                note=data["note"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            return _created(request, referral)
    context = {"form": form, "need": need, "resident": resident, "screening": screening}
    return render(request, "cases/referral_form.html", context)


@require_GET
@any_capability_required(Capability.REFER, Capability.MANAGE_REFERRALS)
def referral_list(request: AuthedHttpRequest) -> HttpResponse:
    """All referrals for city staff; for a partner, the inbox of referrals sent to their organization."""
    programs = programs_for_filter(user=request.user)
    form = ReferralFilterForm(request.GET, programs=programs)
    data = form.cleaned_data if form.is_valid() else {}
    program = data.get("program")
    referrals = referrals_for_list(
        user=request.user,
        status=data.get("status", ""),
        mine=bool(data.get("mine")),
        program=program.pk if program else None,
        overdue=bool(data.get("overdue")),
    )
    page = Paginator(referrals, 25).get_page(request.GET.get("page"))
    audit_record_list(
        actor=request.user,
        object_type="cases.referral",
        ids=[r.pk for r in page.object_list],
        kind="referral list",
        request=request,
    )
    organization = getattr(request.user.team, "organization", None) if request.user.is_partner else None
    return render(
        request, "cases/referral_list.html", {"page": page, "form": form, "organization": organization}
    )


def _action_forms(referral: Referral, bound: ReferralActionForm | None = None) -> list[ReferralActionForm]:
    return [
        bound
        if bound is not None and bound.target == status
        else ReferralActionForm(target=status, current=referral.status)
        for status in referral.next_statuses
    ]


def _render_detail(
    request: AuthedHttpRequest, referral: Referral, bound: ReferralActionForm | None = None, status: int = 200
) -> HttpResponse:
    audit_record(
        actor=request.user,
        action="view",
        obj=referral.resident,
        request=request,
        detail=f"via referral {referral.pk}",
    )
    referral.next_statuses = referral_next_statuses(user=request.user, referral=referral)
    history = [
        (h, referral_reason_label(status=h.status, reason=h.reason))
        for h in referral.history.select_related("changed_by__team")
    ]
    return render(
        request,
        "cases/referral_detail.html",
        {
            "r": referral,
            # Partners see only what the referral shares: who, how to reach them, the note, the history.
            "is_receiver": referral_is_receiver(user=request.user, referral=referral),
            "overdue": referral_is_overdue(referral=referral),
            "outcome_label": referral_reason_label(
                status=referral.status, reason=_current_reason(referral)
            ),
            "action_forms": _action_forms(referral, bound),
            "history": history,
        },
        status=status,
    )


def _current_reason(referral: Referral) -> str:
    reasons: dict[str, str] = {
        Referral.Status.DECLINED: referral.decline_reason,
        Referral.Status.RESOLVED: referral.outcome,
        Referral.Status.UNRESOLVED: referral.close_reason,
    }
    return reasons.get(referral.status, "")


@require_GET
@any_capability_required(Capability.REFER, Capability.MANAGE_REFERRALS)
def referral_detail(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    referral = referral_get_for_user(user=request.user, pk=pk)
    return _render_detail(request, referral)


@require_POST
@any_capability_required(Capability.REFER, Capability.MANAGE_REFERRALS)
def referral_status(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    """Make one move (the form's prefix names it); a refused move is a 403, a missing reason re-shows the
    page with the error next to the field."""
    referral = referral_get_for_user(user=request.user, pk=pk)
    target = request.POST.get("target", "")
    next_statuses = referral_next_statuses(user=request.user, referral=referral)
    if target not in Referral.Status.values:
        messages.error(request, _("Choose a valid status."))
        return redirect("cases:referral_detail", pk=referral.pk)
    if target not in next_statuses:
        if transition_allowed(old=referral.status, new=target):
            raise PermissionDenied  # a possible move, but not this user's to make
        if next_statuses or referral.status == target:
            # Someone else moved it meanwhile: say so instead of failing.
            messages.error(
                request,
                _("This referral is now %(status)s; that step is no longer possible.")
                % {"status": referral.get_status_display()},
            )
            return redirect("cases:referral_detail", pk=referral.pk)
        raise PermissionDenied
    form = ReferralActionForm(request.POST, target=target, current=referral.status)
    if not form.is_valid():
        return _render_detail(request, referral, bound=form, status=400)
    try:
        referral_set_status(
            referral=referral,
            status=target,
            actor=request.user,
            note=form.cleaned_data["note"],
            reason=form.cleaned_data.get("reason", ""),
        )
    except ValidationError as exc:
        form.add_error(None, exc)
        return _render_detail(request, referral, bound=form, status=400)
    messages.success(request, _("Status updated."))
    return redirect("cases:referral_detail", pk=referral.pk)


@require_GET
@any_capability_required(Capability.REFER, Capability.MANAGE_REFERRALS)
def referral_updates(request: AuthedHttpRequest) -> HttpResponse:
    """What others did to the referrals I made or own: the same changes the emails tell about."""
    page = Paginator(referral_updates_for(user=request.user), 25).get_page(request.GET.get("page"))
    rows = [(c, referral_reason_label(status=c.status, reason=c.reason)) for c in page.object_list]
    return render(request, "cases/referral_updates.html", {"page": page, "rows": rows})


@require_GET
@capability_required(Capability.VIEW_OUTCOMES)
def outcomes(request: AuthedHttpRequest) -> HttpResponse:
    """Referral outcomes per program, neighborhood, team or campaign; `?format=csv` downloads it (audited)."""
    form = OutcomesFilterForm(request.GET or None)
    data: dict[str, Any] = form.cleaned_data if form.is_bound and form.is_valid() else {"group_by": "program"}
    report = None
    if not form.is_bound or form.is_valid():
        report = outcomes_report(group_by=data["group_by"], start=data.get("start"), end=data.get("end"))
    if request.GET.get("format") == "csv" and report is not None:
        audit_record(
            actor=request.user,
            action="export",
            object_type="cases.referral_outcomes",
            detail=f"group_by={data['group_by']} from={data.get('start') or ''} to={data.get('end') or ''}",
            request=request,
        )
        stamp = timezone.localdate().isoformat()
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = (
            f'attachment; filename="referral-outcomes-by-{data["group_by"]}-{stamp}.csv"'
        )
        csv_writer(response).writerows(outcome_csv_rows(report))
        return response
    query = request.GET.copy()
    query["format"] = "csv"
    return render(
        request,
        "cases/outcomes.html",
        {
            "form": form,
            "report": report,
            "csv_query": query.urlencode(),
            "group_label": str(dict(GROUP_CHOICES)[data["group_by"]]).lower(),
        },
        status=200 if report is not None else 400,
    )
