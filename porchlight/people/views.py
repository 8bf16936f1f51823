from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from porchlight.accounts.http import AuthedHttpRequest
from porchlight.accounts.permissions import capability_required
from porchlight.accounts.reads import audit_record_list
from porchlight.accounts.roles import Capability
from porchlight.accounts.services import audit_record
from porchlight.people.contact import email_normalize, phone_normalize
from porchlight.people.forms import ResidentForm, ResidentSearchForm
from porchlight.people.matching.selectors import Candidate, resident_match_candidates
from porchlight.people.matching.services import match_candidates_queue_for
from porchlight.people.models import Resident
from porchlight.people.selectors import resident_get_for_user, resident_timeline, residents_search
from porchlight.people.services import resident_create, resident_update
from porchlight.places.models import Address
from porchlight.places.services import address_in_city
from porchlight.ui.htmx import render_page_or_fragment


@capability_required(Capability.VIEW_RESIDENTS)
def resident_list(request: AuthedHttpRequest) -> HttpResponse:
    """Search residents. htmx requests get only the results table (live search as the worker types)."""
    form = ResidentSearchForm(request.GET or None)
    query = form.cleaned_data["q"] if form.is_valid() else ""
    results = residents_search(user=request.user, query=query).prefetch_related("phones")
    page = Paginator(results, 25).get_page(request.GET.get("page"))
    if query:  # ids shown, never the search terms
        audit_record_list(
            actor=request.user,
            object_type="people.resident",
            ids=[r.pk for r in page.object_list],
            kind="resident search",
            request=request,
        )
    context = {"form": form, "query": query, "page": page, "pick": request.GET.get("pick") == "1"}
    return render_page_or_fragment(request, "people/resident_list.html", "people/_results.html", context)


@capability_required(Capability.VIEW_RESIDENTS)
def resident_detail(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    resident = resident_get_for_user(user=request.user, pk=pk)
    audit_record(actor=request.user, action="view", obj=resident, request=request)
    return render(
        request,
        "people/resident_detail.html",
        {"resident": resident, "timeline": resident_timeline(resident=resident, user=request.user)},
    )


def _address_from(data: dict) -> Address | None:
    """The address typed into a resident form: an existing door when it matches, else a new one."""
    if not data.get("street"):
        return None
    return address_in_city(street=data["street"], unit=data.get("unit", ""), zip_code=data["zip_code"])


def _resident_values(data: dict) -> dict:
    return {k: data[k] for k in Resident.EDITABLE_FIELDS}


def _strong_matches(data: dict) -> list[Candidate]:
    """Stored residents the typed record strongly resembles ("this may be X (same phone)")."""
    try:
        phones = [phone_normalize(data["phone"])] if data.get("phone") else []
        emails = [email_normalize(data["email"])] if data.get("email") else []
    except ValidationError:
        return []  # resident_create reports the bad value
    found = resident_match_candidates(
        first_name=data["first_name"], last_name=data["last_name"], street=data.get("street", ""),
        unit=data.get("unit", ""), zip_code=data.get("zip_code", ""), phones=phones, emails=emails,
        age_range=data.get("age_range", ""),
    )
    return [c for c in found if c.is_strong][:3]


@capability_required(Capability.EDIT_RESIDENTS)
def resident_new(request: AuthedHttpRequest) -> HttpResponse:
    form = ResidentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        matches = [] if request.POST.get("not_a_match") else _strong_matches(data)
        if matches:
            for candidate in matches:
                audit_record(
                    actor=request.user, action="view", obj=candidate.resident, request=request,
                    detail="shown as a possible match on registration",
                )
            return render(
                request, "people/resident_form.html", {"form": form, "resident": None, "matches": matches}
            )
        try:
            with transaction.atomic():
                resident = resident_create(
                    actor=request.user,
                    address=_address_from(data),
                    phones=[data["phone"]],
                    emails=[data["email"]],
                    **_resident_values(data),
                )
                audit_record(actor=request.user, action="create", obj=resident, request=request)
                # Weaker resemblances (and a strong one the worker said is someone else) go to review.
                match_candidates_queue_for(resident=resident, found_by="registration")
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Resident registered."))
            return redirect("people:resident_detail", pk=resident.pk)
    return render(request, "people/resident_form.html", {"form": form, "resident": None})


@capability_required(Capability.EDIT_RESIDENTS)
def resident_edit(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    resident = resident_get_for_user(user=request.user, pk=pk)
    if request.method != "POST":  # the form shows the whole record; a save is audited as an update
        audit_record(actor=request.user, action="view", obj=resident, request=request, detail="edit form")
    initial = {
        **{f: getattr(resident, f) for f in Resident.EDITABLE_FIELDS},
        "phone": resident.phones.values_list("number", flat=True).first() or "",
        "email": resident.emails.values_list("address", flat=True).first() or "",
        "street": resident.address.street if resident.address else "",
        "unit": resident.address.unit if resident.address else "",
        "zip_code": resident.address.zip_code if resident.address else "",
    }
    form = ResidentForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            with transaction.atomic():
                other_phones = list(resident.phones.exclude(is_primary=True).values_list("number", flat=True))
                other_emails = list(
                    resident.emails.exclude(is_primary=True).values_list("address", flat=True)
                )
                resident_update(
                    resident=resident,
                    address=_address_from(data),
                    phones=[p for p in [data["phone"], *other_phones] if p],
                    emails=[e for e in [data["email"], *other_emails] if e],
                    **_resident_values(data),
                )
                audit_record(actor=request.user, action="update", obj=resident, request=request)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Resident updated."))
            return redirect("people:resident_detail", pk=resident.pk)
    return render(request, "people/resident_form.html", {"form": form, "resident": resident})
