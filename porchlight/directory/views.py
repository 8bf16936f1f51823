"""The program directory: browse and search programs, read one, edit the directory, HSDS import and export."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from porchlight.accounts.http import AuthedHttpRequest
from porchlight.accounts.permissions import any_capability_required, capability_required
from porchlight.accounts.roles import Capability
from porchlight.directory.forms import (
    DirectorySearchForm,
    HsdsUploadForm,
    LocationForm,
    OrganizationForm,
    ProgramForm,
)
from porchlight.directory.hsds.services import FORMATS, HsdsImportError, hsds_export, hsds_import
from porchlight.directory.models import Location, Organization, Program
from porchlight.directory.selectors import (
    DIRECTORY_CAPABILITIES,
    directory_areas,
    directory_languages,
    language_label,
    program_get_for_directory,
    programs_for_directory,
)
from porchlight.directory.services import location_save, organization_save, program_save
from porchlight.people.contact import phone_display
from porchlight.ui.htmx import render_page_or_fragment

PAGE_SIZE = 20


@require_GET
@any_capability_required(*DIRECTORY_CAPABILITIES)
def program_list(request: AuthedHttpRequest) -> HttpResponse:
    form = DirectorySearchForm(request.GET or None, languages=directory_languages(), areas=directory_areas())
    filters = form.cleaned_data if form.is_valid() else {}
    programs = programs_for_directory(
        user=request.user,
        q=filters.get("q", ""),
        category=filters.get("category", ""),
        language=filters.get("language", ""),
        area=filters.get("area"),
        include_inactive=filters.get("inactive", False),
    )
    page = Paginator(programs, PAGE_SIZE).get_page(request.GET.get("page"))
    for program in page.object_list:
        program.language_names = [language_label(code) for code in program.languages]
        program.phone_label = phone_display(program.phone) if program.phone else ""
    return render_page_or_fragment(
        request,
        "directory/program_list.html",
        "directory/_program_results.html",
        {"form": form, "page": page},
    )


@require_GET
@any_capability_required(*DIRECTORY_CAPABILITIES)
def program_detail(request: HttpRequest, pk: int) -> HttpResponse:
    program = program_get_for_directory(pk=pk)
    return render(
        request,
        "directory/program_detail.html",
        {
            "program": program,
            "languages": [language_label(code) for code in program.languages],
            "phone": program.phone or program.organization.phone,
            "phone_label": phone_display(program.phone or program.organization.phone),
            "areas": program.areas_served.all(),
            "locations": program.locations.all(),
            "rules": program.rules.all(),
            "rules_url": reverse("services:program_rules", args=[program.pk]),
        },
    )


@capability_required(Capability.MANAGE_PROGRAMS)
def program_edit(request: AuthedHttpRequest, pk: int | None = None) -> HttpResponse:
    program = get_object_or_404(Program, pk=pk) if pk else None
    initial = {"organization": request.GET.get("organization")} if program is None else None
    form = ProgramForm(request.POST or None, instance=program, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        areas, locations = data.pop("areas_served"), data.pop("locations")
        try:
            program = program_save(
                program=program, fields=data, areas=areas, locations=locations, actor=request.user
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Program saved."))
            return redirect("services:program_detail", pk=program.pk)
    return render(request, "directory/program_form.html", {"form": form, "program": program})


@require_GET
@capability_required(Capability.MANAGE_PROGRAMS)
def organization_list(request: HttpRequest) -> HttpResponse:
    organizations = Organization.objects.select_related("team").prefetch_related("programs", "locations")
    return render(request, "directory/organization_list.html", {"organizations": organizations})


@capability_required(Capability.MANAGE_PROGRAMS)
def organization_edit(request: AuthedHttpRequest, pk: int | None = None) -> HttpResponse:
    organization = get_object_or_404(Organization, pk=pk) if pk else None
    form = OrganizationForm(request.POST or None, instance=organization)
    if request.method == "POST" and form.is_valid():
        try:
            organization = organization_save(
                organization=organization, fields=form.cleaned_data, actor=request.user
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Organization saved."))
            return redirect("services:organization_edit", pk=organization.pk)
    context = {
        "form": form,
        "organization": organization,
        "locations": organization.locations.all() if organization else [],
        "programs": organization.programs.all() if organization else [],
    }
    return render(request, "directory/organization_form.html", context)


@capability_required(Capability.MANAGE_PROGRAMS)
def location_edit(request: AuthedHttpRequest, organization_pk: int, pk: int | None = None) -> HttpResponse:
    organization = get_object_or_404(Organization, pk=organization_pk)
    location = get_object_or_404(Location, pk=pk, organization=organization) if pk else None
    form = LocationForm(request.POST or None, instance=location)
    if request.method == "POST" and form.is_valid():
        try:
            location_save(
                location=location,
                fields={**form.cleaned_data, "organization": organization},
                actor=request.user,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Location saved."))
            return redirect("services:organization_edit", pk=organization.pk)
    context = {"form": form, "organization": organization, "location": location}
    return render(request, "directory/location_form.html", context)


@capability_required(Capability.MANAGE_PROGRAMS)
def hsds_import_view(request: AuthedHttpRequest) -> HttpResponse:
    """Upload an HSDS file: every problem is listed by file, line and column, and nothing is written."""
    form = HsdsUploadForm(request.POST or None, request.FILES or None)
    errors, status = [], 200
    if request.method == "POST":
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                summary = hsds_import(
                    data=upload.read(), file_name=upload.name, actor=request.user, request=request
                )
            except HsdsImportError as exc:
                errors, status = exc.errors, 400
            else:
                messages.success(request, _("Directory imported: %(summary)s.") % {"summary": summary})
                return redirect("services:program_list")
        else:
            status = 400
    return render(request, "directory/hsds_import.html", {"form": form, "errors": errors}, status=status)


@require_GET
@capability_required(Capability.MANAGE_PROGRAMS)
def hsds_export_view(request: AuthedHttpRequest) -> HttpResponse:
    fmt = request.GET.get("format", "zip")
    if fmt not in FORMATS:
        return HttpResponse(_("Unknown format: use zip or json."), status=400, content_type="text/plain")
    content, name, content_type = hsds_export(fmt=fmt, actor=request.user, request=request)
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
