"""The "what we heard" report: the staff version, the public version, each as a page, a PDF or CSV tables."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.text import slugify
from django.views.decorators.http import require_GET

from porchlight.accounts.http import AuthedHttpRequest
from porchlight.accounts.models import User
from porchlight.accounts.permissions import capability_required, public_view
from porchlight.accounts.roles import Capability
from porchlight.accounts.services import audit_record
from porchlight.insights.report.export import report_csv_zip, report_pdf
from porchlight.insights.report.forms import ReportForm
from porchlight.insights.report.selectors import report_build
from porchlight.insights.selectors import DashboardFilters
from porchlight.outreach.models import Campaign


def _render(request: HttpRequest, campaign: Campaign, *, user: User | None) -> HttpResponse:
    """The report for a signed-in `user` (staff), or the public version when there is none."""
    public = user is None
    form = ReportForm(request.GET or None, campaign=campaign)
    if form.is_bound and not form.is_valid():
        context = {"campaign": campaign, "form": form, "report": None, "public": public}
        return render(request, "insights/report/report.html", context, status=400)
    filters = form.to_filters(campaign) if form.is_bound else DashboardFilters(campaign=campaign)
    data = form.cleaned_data if form.is_bound else {}
    report = report_build(
        filters=filters,
        public=public,
        trend_period=data.get("period") or "week",
        map_theme=data.get("map_theme"),
    )
    fmt = data.get("format") or "html"
    stem = f"what-we-heard-{slugify(campaign.name)}-{timezone.localdate().isoformat()}"
    if public:
        stem += "-public"
    if fmt in ("pdf", "csv"):
        if not public:
            audit_record(
                actor=user,
                action="export",
                obj=campaign,
                object_type="insights.report",
                detail=f"format={fmt} from={filters.date_from or ''} to={filters.date_to or ''}",
                request=request,
            )
        if fmt == "pdf":
            response = HttpResponse(report_pdf(report), content_type="application/pdf")
            response["Content-Disposition"] = f'inline; filename="{stem}.pdf"'
        else:
            response = HttpResponse(report_csv_zip(report), content_type="application/zip")
            response["Content-Disposition"] = f'attachment; filename="{stem}-tables.zip"'
        return response
    show_notes = user is not None and user.can(Capability.VIEW_CONVERSATIONS)
    query = request.GET.copy()
    query.pop("format", None)
    context = {
        "campaign": campaign,
        "form": form if form.is_bound else ReportForm(campaign=campaign),
        "report": report,
        "public": public,
        "show_notes": show_notes,
        "querystring": query.urlencode(),
    }
    return render(request, "insights/report/report.html", context)


@require_GET
@capability_required(Capability.VIEW_DASHBOARD)
def report(request: AuthedHttpRequest, campaign_pk: int) -> HttpResponse:
    """Staff report: exact counts; links to the notes behind theme figures for those who may read notes."""
    return _render(request, get_object_or_404(Campaign, pk=campaign_pk), user=request.user)


@public_view
@require_GET
def report_public(request: HttpRequest, campaign_pk: int) -> HttpResponse:
    """Public report for everyone: small counts suppressed, no personal data, scrubbed quotes only."""
    return _render(request, get_object_or_404(Campaign, pk=campaign_pk), user=None)
