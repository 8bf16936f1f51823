"""Thin views for planning field outreach: parse input, call targets/turfs services, render."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from porchlight.accounts.http import AuthedHttpRequest
from porchlight.accounts.permissions import capability_required
from porchlight.accounts.roles import Capability
from porchlight.outreach.field import selectors
from porchlight.outreach.field.forms import AutoAssignForm, TargetListForm, TurfAssignForm, TurfCutForm
from porchlight.outreach.field.targets import exclusion_labels, target_list_build
from porchlight.outreach.field.turfs import turf_assign, turf_cut, turfs_auto_assign
from porchlight.outreach.models import TargetList


@capability_required(Capability.MANAGE_CAMPAIGNS)
def targetlist_list(request: HttpRequest) -> HttpResponse:
    return render(request, "outreach/targets/list.html", {"lists": selectors.target_lists_with_counts()})


@capability_required(Capability.MANAGE_CAMPAIGNS)
def targetlist_new(request: AuthedHttpRequest) -> HttpResponse:
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
    turfs = selectors.target_list_turfs(target_list=target_list)
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
    target_list = selectors.target_list_get(pk=pk)
    return render(request, "outreach/targets/detail.html", _detail_context(target_list))


@require_POST
@capability_required(Capability.MANAGE_CAMPAIGNS)
def targetlist_cut(request: AuthedHttpRequest, pk: int) -> HttpResponse:
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
    """Turf outlines and (up to selectors.MAP_MAX_DOORS) door points, for the offline Leaflet map."""
    target_list = get_object_or_404(TargetList, pk=pk)
    features, sampled = selectors.turf_map_features(target_list=target_list)
    return JsonResponse({"type": "FeatureCollection", "features": features, "sampled": sampled})


@require_POST
@capability_required(Capability.MANAGE_CAMPAIGNS)
def turf_assign_view(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    """One URL, two renderings: the table row for htmx, a redirect to the list otherwise."""
    turf = selectors.turf_get(pk=pk)
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
def turfs_auto_assign_view(request: AuthedHttpRequest, pk: int) -> HttpResponse:
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
