"""Dashboard (staff), its CSV export, the public summary, and the area shapes both maps draw."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, JsonResponse, QueryDict
from django.shortcuts import render
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_GET

from porchlight.accounts.http import AuthedHttpRequest
from porchlight.accounts.permissions import capability_required, public_view
from porchlight.accounts.roles import Capability
from porchlight.accounts.services import audit_record
from porchlight.insights.forms import DashboardFilterForm, PublicSummaryForm
from porchlight.insights.geometry import area_shapes
from porchlight.insights.pages import dashboard_page, public_summary_page
from porchlight.insights.selectors import DashboardFilters, latest_campaign, reach_by_area
from porchlight.places.models import Area
from porchlight.ui.exports import csv_writer
from porchlight.ui.htmx import render_page_or_fragment


def _filter_form(request: HttpRequest) -> DashboardFilterForm:
    """The filter form bound to the query string; with no campaign chosen yet, the current campaign."""
    params: QueryDict = request.GET.copy()
    if "campaign" not in params:
        campaign = latest_campaign()
        params["campaign"] = str(campaign.pk) if campaign else ""
    return DashboardFilterForm(params)


@require_GET
@capability_required(Capability.VIEW_DASHBOARD)
def dashboard(request: HttpRequest) -> HttpResponse:
    """One URL, two renderings: the full page, or only the results fragment for htmx requests."""
    form = _filter_form(request)
    context: dict = {"form": form, "results": None}
    if form.is_valid():
        filters = form.to_filters()
        context["results"] = dashboard_page(filters=filters)
        context["querystring"] = form.data.urlencode()  # type: ignore[attr-defined]  # the request's QueryDict
        context["campaign"] = filters.campaign
    return render_page_or_fragment(request, "insights/dashboard.html", "insights/_results.html", context)


@require_GET
@capability_required(Capability.VIEW_DASHBOARD)
def dashboard_areas_csv(request: AuthedHttpRequest) -> HttpResponse:
    """The by-area table as CSV (every area of the chosen kind, reached or not). Audited."""
    form = _filter_form(request)
    if not form.is_valid():
        return HttpResponse(form.errors.as_text(), status=400, content_type="text/plain; charset=utf-8")
    filters: DashboardFilters = form.to_filters()
    data = reach_by_area(filters=filters)
    audit_record(
        actor=request.user,
        action="export",
        object_type="insights.reach_by_area",
        object_id=str(filters.campaign.pk) if filters.campaign else "",
        detail=f"areas={filters.area_kind} from={filters.date_from or ''} to={filters.date_to or ''}",
        request=request,
    )
    stamp = timezone.localdate().isoformat()
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="reach-by-{filters.area_kind}-{stamp}.csv"'
    writer = csv_writer(response)
    writer.writerow(
        ["area_code", "area_name", "population", "conversations", "residents_reached", "one_in_n"]
    )
    for r in data["rows"]:
        writer.writerow(
            [
                r["code"],
                r["name"],
                r["population"] or "",
                r["conversations"],
                r["residents_reached"],
                r["one_in"] or "",
            ]
        )
    nr = data["not_recorded"]
    if nr["conversations"]:
        writer.writerow(["", "(no area recorded)", "", nr["conversations"], nr["residents_reached"], ""])
    return response


@public_view
@require_GET
def area_shapes_geojson(request: HttpRequest) -> HttpResponse:
    """Simplified boundaries of one kind of area (public boundary data: no residents, no counts)."""
    kind = request.GET.get("kind", Area.Kind.NEIGHBORHOOD)
    if kind not in Area.Kind.values:
        return HttpResponse("Unknown area kind.", status=400, content_type="text/plain; charset=utf-8")
    response = JsonResponse(area_shapes(kind))
    patch_cache_control(response, public=True, max_age=3600)
    return response


@public_view
@require_GET
def public_summary(request: HttpRequest) -> HttpResponse:
    """What the city has heard, for everyone: totals and reach by neighborhood, small numbers suppressed."""
    form = PublicSummaryForm(request.GET or None)
    campaign = form.cleaned_data.get("campaign") if form.is_bound and form.is_valid() else None
    campaign = campaign or latest_campaign()
    if not form.is_bound:
        form = PublicSummaryForm(initial={"campaign": campaign})
    context = {"form": form, **public_summary_page(campaign=campaign)}
    return render(request, "insights/public_summary.html", context)
