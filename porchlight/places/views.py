"""Import pages: upload a CSV, then watch its job check and import the rows (htmx polls the status)."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST

from porchlight.accounts.http import AuthedHttpRequest
from porchlight.accounts.permissions import capability_required
from porchlight.accounts.roles import Capability
from porchlight.places.forms import ImportUploadForm
from porchlight.places.imports import import_job_create, import_job_start, import_template, importer_for
from porchlight.places.models import ImportJob
from porchlight.ui.htmx import render_page_or_fragment

RECENT_JOBS = 20


def _kind_or_404(kind: str) -> str:
    if kind not in ImportJob.Kind.values:
        raise Http404
    return kind


def _forms(bound_kind: str | None = None, bound: ImportUploadForm | None = None) -> list[dict]:
    return [
        {
            "kind": kind,
            "label": label,
            "form": bound if kind == bound_kind and bound is not None else ImportUploadForm(prefix=kind),
            "columns": importer_for(kind).COLUMNS,
            "required": importer_for(kind).REQUIRED,
        }
        for kind, label in ImportJob.Kind.choices
    ]


@require_GET
@capability_required(Capability.IMPORT_DATA)
def import_list(request: HttpRequest) -> HttpResponse:
    jobs = ImportJob.objects.select_related("created_by")[:RECENT_JOBS]
    return render(request, "places/import_list.html", {"jobs": jobs, "uploads": _forms()})


@require_POST
@capability_required(Capability.IMPORT_DATA)
def import_upload(request: AuthedHttpRequest, kind: str) -> HttpResponse:
    kind = _kind_or_404(kind)
    form = ImportUploadForm(request.POST, request.FILES, prefix=kind)
    if not form.is_valid():
        jobs = ImportJob.objects.select_related("created_by")[:RECENT_JOBS]
        context = {"jobs": jobs, "uploads": _forms(kind, form)}
        return render(request, "places/import_list.html", context, status=400)
    upload = form.cleaned_data["file"]
    job = import_job_create(kind=kind, file_name=upload.name, data=upload, actor=request.user)
    import_job_start(job=job)
    return redirect("places:import_detail", pk=job.pk)


@require_GET
@capability_required(Capability.IMPORT_DATA)
def import_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The job's page; htmx polls the same URL for the status fragment until the job ends."""
    job = get_object_or_404(ImportJob.objects.select_related("created_by"), pk=pk)
    return render_page_or_fragment(
        request, "places/import_detail.html", "places/_import_status.html", {"job": job}
    )


@require_GET
@capability_required(Capability.IMPORT_DATA)
def import_template_download(request: HttpRequest, kind: str) -> HttpResponse:
    kind = _kind_or_404(kind)
    response = HttpResponse(import_template(kind=kind), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="porchlight-{kind}-template.csv"'
    return response
