"""The review queue: possible duplicate residents, side by side, merged or kept apart by staff."""

from __future__ import annotations

from datetime import timedelta

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from porchlight.accounts.http import AuthedHttpRequest
from porchlight.accounts.permissions import capability_required
from porchlight.accounts.roles import Capability
from porchlight.accounts.services import audit_record
from porchlight.people.matching.forms import MatchDecisionForm
from porchlight.people.matching.labels import level_label
from porchlight.people.matching.models import MatchCandidate, ResidentMerge
from porchlight.people.matching.selectors import match_candidate_get_for_user, match_queue
from porchlight.people.matching.services import (
    UNDO_DAYS,
    match_candidate_mark_different,
    resident_merge,
    resident_merge_undo,
)

FIELD_LABELS = {
    "first_name": _("First name"),
    "last_name": _("Last name"),
    "suffix": _("Jr / Sr"),
    "door": _("Address"),
    "phones": _("Phone"),
    "emails": _("Email"),
    "age_range": _("Age range"),
}


@capability_required(Capability.EDIT_RESIDENTS)
def match_list(request: AuthedHttpRequest) -> HttpResponse:
    """Open pairs, strongest first, and the merges that can still be undone."""
    page = Paginator(match_queue(user=request.user), 25).get_page(request.GET.get("page"))
    recent: list[ResidentMerge] = []
    if request.user.can(Capability.MERGE_RESIDENTS) and not request.user.is_partner:
        recent = list(
            ResidentMerge.objects.filter(
                undone_at__isnull=True, merged_at__gte=timezone.now() - timedelta(days=UNDO_DAYS)
            ).select_related("kept", "merged", "merged_by")[:20]
        )
    return render(request, "people/matching/match_list.html", {"page": page, "recent": recent})


def _evidence(candidate: MatchCandidate) -> list[dict]:
    return [
        {
            "field": FIELD_LABELS.get(name, name),
            "level": level_label(r["level"]),
            "weight": r["weight"],
            "agreed": r["weight"] > 0,
        }
        for name, r in candidate.reasons.items()
    ]


@capability_required(Capability.EDIT_RESIDENTS)
def match_detail(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    candidate = match_candidate_get_for_user(user=request.user, pk=pk)
    return _render_detail(request, candidate, None)


def _render_detail(
    request: AuthedHttpRequest, candidate: MatchCandidate, form: MatchDecisionForm | None
) -> HttpResponse:
    """Both records side by side with the evidence; reading them is audited like opening each record."""
    for resident in (candidate.resident_a, candidate.resident_b):
        audit_record(
            actor=request.user, action="view", obj=resident, request=request, detail="duplicate review"
        )
    context = {
        "candidate": candidate,
        "records": [candidate.resident_a, candidate.resident_b],
        "evidence": _evidence(candidate),
        "form": form or MatchDecisionForm(),
        "can_merge": request.user.can(Capability.MERGE_RESIDENTS),
        "undo_days": UNDO_DAYS,
    }
    return render(request, "people/matching/match_detail.html", context, status=400 if form else 200)


@require_POST
@capability_required(Capability.MERGE_RESIDENTS)
def match_decide(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    candidate = match_candidate_get_for_user(user=request.user, pk=pk)
    form = MatchDecisionForm(request.POST)
    if not form.is_valid():
        return _render_detail(request, candidate, form)
    decision = form.cleaned_data["decision"]
    try:
        if decision == "different":
            match_candidate_mark_different(candidate=candidate, actor=request.user)
            messages.success(request, _("Kept as two people. This pair will not be proposed again."))
        else:
            a, b = candidate.resident_a, candidate.resident_b
            kept, merged = (a, b) if decision == "keep_a" else (b, a)
            resident_merge(kept=kept, merged=merged, actor=request.user, candidate=candidate)
            messages.success(
                request, _("Records merged. You can undo this for %(days)d days.") % {"days": UNDO_DAYS}
            )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("people:match_list")


@require_POST
@capability_required(Capability.MERGE_RESIDENTS)
def merge_undo(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    # Partners never merge, so no merge exists for them.
    merge = get_object_or_404(
        ResidentMerge.objects.none() if request.user.is_partner else ResidentMerge, pk=pk
    )
    try:
        resident_merge_undo(merge=merge, actor=request.user)
        messages.success(request, _("Merge undone: both records are back."))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("people:match_list")
