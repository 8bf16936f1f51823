from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from porchlight.accounts.permissions import any_capability_required, capability_required
from porchlight.accounts.roles import Capability
from porchlight.accounts.services import audit_record
from porchlight.cases.forms import ReferralForm, ReferralStatusForm
from porchlight.cases.models import Referral
from porchlight.cases.selectors import (
    need_get_for_referral,
    programs_for_need,
    referral_get_for_user,
    referral_may_update,
    referrals_for_list,
)
from porchlight.cases.services import ALLOWED_TRANSITIONS, referral_create, referral_set_status


@capability_required(Capability.REFER)
def referral_new(request: HttpRequest, need_pk: int) -> HttpResponse:
    need = need_get_for_referral(user=request.user, pk=need_pk)
    form = ReferralForm(request.POST or None, programs=programs_for_need(need=need))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            referral = referral_create(
                need=need,
                program=data["program"],
                actor=request.user,
                owner=data["owner"],
                consent_given=data["consent_given"],
                note=data["note"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Referral sent to %(program)s.") % {"program": referral.program})
            return redirect("cases:referral_detail", pk=referral.pk)
    return render(request, "cases/referral_form.html", {"form": form, "need": need})


@any_capability_required(Capability.REFER, Capability.MANAGE_REFERRALS)
def referral_list(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", "")
    mine = request.GET.get("mine") == "1"
    page = Paginator(referrals_for_list(user=request.user, status=status, mine=mine), 25).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "cases/referral_list.html",
        {"page": page, "status": status, "mine": mine, "statuses": Referral.Status.choices},
    )


@any_capability_required(Capability.REFER, Capability.MANAGE_REFERRALS)
def referral_detail(request: HttpRequest, pk: int) -> HttpResponse:
    referral = referral_get_for_user(user=request.user, pk=pk)
    audit_record(
        actor=request.user,
        action="view",
        obj=referral.resident,
        request=request,
        detail=f"via referral {referral.pk}",
    )
    may_update = referral_may_update(user=request.user, referral=referral)
    form = ReferralStatusForm()
    form.fields["status"].choices = [
        (s, label) for s, label in Referral.Status.choices if s in ALLOWED_TRANSITIONS[referral.status]
    ]
    return render(
        request,
        "cases/referral_detail.html",
        {
            "r": referral,
            "form": form,
            "may_update": may_update,
            "history": referral.history.select_related("changed_by"),
        },
    )


@require_POST
@any_capability_required(Capability.REFER, Capability.MANAGE_REFERRALS)
def referral_status(request: HttpRequest, pk: int) -> HttpResponse:
    referral = referral_get_for_user(user=request.user, pk=pk)
    if not referral_may_update(user=request.user, referral=referral):
        raise PermissionDenied
    form = ReferralStatusForm(request.POST)
    if form.is_valid():
        try:
            referral_set_status(
                referral=referral,
                status=form.cleaned_data["status"],
                actor=request.user,
                note=form.cleaned_data["note"],
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Status updated."))
    else:
        messages.error(request, _("Choose a valid status."))
    return redirect("cases:referral_detail", pk=referral.pk)
