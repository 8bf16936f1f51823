"""Thin views for planning field outreach: parse input, call targets/turfs services, render."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from porchlight.accounts.permissions import capability_required
from porchlight.accounts.roles import Capability
from porchlight.outreach.forms_targets import AutoAssignForm, TargetListForm, TurfAssignForm, TurfCutForm
from porchlight.outreach.models import Target, TargetList, Turf
from porchlight.outreach.targets import exclusion_labels, target_list_build
from porchlight.outreach.turfs import turf_assign, turf_cut, turfs_auto_assign

# The map shows every turf outline but at most this many door points (a browser draws 100k poorly).
MAP_MAX_DOORS = 5000


@capability_required(Capability.MANAGE_CAMPAIGNS)
def targetlist_list(request: HttpRequest) -> HttpResponse:
    lists = TargetList.objects.select_related("campaign").annotate(
        n_targets=Count("targets", distinct=True), n_turfs=Count("turfs", distinct=True)
    )
    return render(request, "outreach/targets/list.html", {"lists": lists})


@capability_required(Capability.MANAGE_CAMPAIGNS)
def targetlist_new(request: HttpRequest) -> HttpResponse:
    form = TargetListForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            target_list = target_list_build(actor=request.user, **data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Target list built."))
            return redirect("outreach:targetlist_detail", pk=target_list.pk)
    return render(request, "outreach/targets/new.html", {"form": form})


def _detail_context(target_list: TargetList, **extra: object) -> dict:
    turfs = list(target_list.turfs.select_related("assigned_to", "assigned_team"))
    included = target_list.targets.count()
    return {
        "target_list": target_list,
        "included": included,
        "exclusions": exclusion_labels(target_list),
        "excluded_total": sum(int(v) for v in target_list.excluded.values()),
        "turfs": turfs,
        "located_turfs": [t for t in turfs if t.outline],
        "unlocated_doors": sum(t.door_count for t in turfs if not t.outline),
        "cut_form": extra.pop("cut_form", None) or TurfCutForm(),
        "auto_form": extra.pop("auto_form", None) or AutoAssignForm(),
        "assign_form": TurfAssignForm(),
        **extra,
    }


@capability_required(Capability.MANAGE_CAMPAIGNS)
def targetlist_detail(request: HttpRequest, pk: int) -> HttpResponse:
    target_list = get_object_or_404(TargetList.objects.select_related("campaign", "created_by"), pk=pk)
    return render(request, "outreach/targets/detail.html", _detail_context(target_list))


@require_POST
@capability_required(Capability.MANAGE_CAMPAIGNS)
def targetlist_cut(request: HttpRequest, pk: int) -> HttpResponse:
    target_list = get_object_or_404(TargetList, pk=pk)
    form = TurfCutForm(request.POST)
    if form.is_valid():
        try:
            result = turf_cut(target_list=target_list, size=form.cleaned_data["size"], actor=request.user)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            located = sum(1 for t in result.turfs if t.outline)
            messages.success(request, _("Cut into %(n)d turfs.") % {"n": located})
            if result.unlocated:
                messages.warning(
                    request,
                    _("%(n)d doors have no map location; they are in the “No location” turfs.")
                    % {"n": result.unlocated},
                )
            return redirect("outreach:targetlist_detail", pk=pk)
    context = _detail_context(target_list, cut_form=form)
    return render(request, "outreach/targets/detail.html", context, status=400)


@capability_required(Capability.MANAGE_CAMPAIGNS)
def targetlist_geojson(request: HttpRequest, pk: int) -> JsonResponse:
    """Turf outlines and (up to MAP_MAX_DOORS) door points, for the offline Leaflet map."""
    target_list = get_object_or_404(TargetList, pk=pk)
    features = [
        {
            "type": "Feature",
            "geometry": t.outline,
            "properties": {"turf": t.number, "name": t.name, "doors": t.door_count},
        }
        for t in target_list.turfs.filter(outline__isnull=False)
    ]
    doors = (
        Target.objects.filter(target_list=target_list, turf__isnull=False, turf__outline__isnull=False)
        .exclude(Q(address__latitude__isnull=True) | Q(address__longitude__isnull=True))
        .values_list("turf__number", "address__longitude", "address__latitude")
    )
    total = doors.count()
    step = max(1, total // MAP_MAX_DOORS)
    for i, (number, lon, lat) in enumerate(doors.order_by("pk").iterator()):
        if i % step == 0:
            features.append(
                {
                    "type": "Feature",
                    "geometry": {"type": "Point", "coordinates": [lon, lat]},
                    "properties": {"turf": number},
                }
            )
    return JsonResponse({"type": "FeatureCollection", "features": features, "sampled": step > 1})


@require_POST
@capability_required(Capability.MANAGE_CAMPAIGNS)
def turf_assign_view(request: HttpRequest, pk: int) -> HttpResponse:
    """One URL, two renderings: the table row for htmx, a redirect to the list otherwise."""
    turf = get_object_or_404(Turf.objects.select_related("target_list"), pk=pk)
    form = TurfAssignForm(request.POST)
    error = ""
    if form.is_valid():
        try:
            turf_assign(turf=turf, user=form.cleaned_data["user"], actor=request.user)
        except ValidationError as exc:
            error = " ".join(exc.messages)
    else:
        error = _("Choose a worker from the list.")
    if request.headers.get("HX-Request"):
        turf.refresh_from_db()
        return render(
            request,
            "outreach/targets/_turf_row.html",
            {"turf": turf, "assign_form": TurfAssignForm(), "error": error},
            status=400 if error else 200,
        )
    if error:
        messages.error(request, error)
    else:
        messages.success(request, _("%(turf)s assigned.") % {"turf": turf.name})
    return redirect("outreach:targetlist_detail", pk=turf.target_list_id)


@require_POST
@capability_required(Capability.MANAGE_CAMPAIGNS)
def turfs_auto_assign_view(request: HttpRequest, pk: int) -> HttpResponse:
    target_list = get_object_or_404(TargetList, pk=pk)
    form = AutoAssignForm(request.POST)
    if form.is_valid():
        try:
            chosen = turfs_auto_assign(
                target_list=target_list, workers=list(form.cleaned_data["workers"]), actor=request.user
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("%(n)d turfs assigned.") % {"n": len(chosen)})
            return redirect("outreach:targetlist_detail", pk=pk)
    context = _detail_context(target_list, auto_form=form)
    return render(request, "outreach/targets/detail.html", context, status=400)
