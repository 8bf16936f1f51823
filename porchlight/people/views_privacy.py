"""Privacy requests on a resident's page: download their whole record, or erase it on their request."""

from __future__ import annotations

import json

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from porchlight.accounts.http import AuthedHttpRequest
from porchlight.accounts.permissions import capability_required
from porchlight.accounts.roles import Capability
from porchlight.accounts.services import audit_record
from porchlight.people.privacy import ERASED, KEPT, resident_erase, resident_export
from porchlight.people.selectors import resident_get_for_user
from porchlight.ui.forms import USWDSFormMixin


class EraseForm(USWDSFormMixin, forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("The request"),
        max_length=400,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy(
            'Who asked, when and how, e.g. "Resident asked by phone on 3 March, ticket 4411".'
        ),
        error_messages={"required": gettext_lazy("Write down the request: who asked, when and how.")},
    )
    confirm = forms.BooleanField(
        label=gettext_lazy("I understand that this cannot be undone"),
        error_messages={"required": gettext_lazy("Tick the box to confirm that this cannot be undone.")},
    )


@capability_required(Capability.HANDLE_PRIVACY_REQUESTS)
def resident_export_view(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    """The resident's record as a JSON download (audit-logged as an export)."""
    resident = resident_get_for_user(user=request.user, pk=pk)
    data = resident_export(resident=resident, actor=request.user)
    response = HttpResponse(
        json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2),
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="resident-{resident.pk}-record.json"'
    return response


@capability_required(Capability.HANDLE_PRIVACY_REQUESTS)
def resident_erase_view(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    resident = resident_get_for_user(user=request.user, pk=pk)
    if resident.erased_at is not None:
        messages.info(request, _("This resident's record was already erased."))
        return redirect("people:resident_detail", pk=resident.pk)
    if request.method != "POST":  # the confirmation page names the resident; the erasure is audited itself
        audit_record(actor=request.user, action="view", obj=resident, request=request, detail="erase form")
    form = EraseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            resident_erase(resident=resident, actor=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The resident's personal data was erased."))
            return redirect("people:resident_detail", pk=resident.pk)
    return render(
        request,
        "people/privacy_erase.html",
        {"resident": resident, "form": form, "erased": ERASED, "kept": KEPT},
    )
