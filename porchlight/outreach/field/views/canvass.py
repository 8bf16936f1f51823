"""Pages of the field work: my queue, walk lists and walk sheets, call screens, scripts, caller assignment,
the 311 inbound mode, and the hand-off from a door or call to the conversation form."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from porchlight.accounts.http import AuthedHttpRequest
from porchlight.accounts.permissions import capability_required
from porchlight.accounts.roles import Capability
from porchlight.accounts.services import audit_record
from porchlight.outreach.field import canvass, selectors, services
from porchlight.outreach.field.forms import AssignNextForm, AssignTeamForm, AttemptForm, ScriptForm
from porchlight.outreach.forms import ConversationForm, conversation_submission
from porchlight.outreach.models import Campaign, Channel, Conversation, Target
from porchlight.outreach.services import conversation_capture
from porchlight.people.forms import ResidentFieldsForm
from porchlight.people.selectors import residents_visible_to


def _safe_next(request: HttpRequest, fallback: str) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return fallback


def _target_home(target: Target) -> str:
    """Where a worker returns to after acting on a target: its walk list door, or the call screen."""
    if target.target_list.kind == "door" and target.turf_id:
        return reverse("outreach:walk_list", args=[target.turf_id]) + f"#door-{target.pk}"
    return reverse("outreach:call_screen", args=[target.target_list_id])


# ---- worker pages ----------------------------------------------------------------------------------------


@capability_required(Capability.LOG_CONVERSATIONS)
def my_queue(request: AuthedHttpRequest) -> HttpResponse:
    items = canvass.queue_for(user=request.user)
    return render(
        request,
        "outreach/canvass/queue.html",
        {
            "items": items,
            "turfs": selectors.turfs_assigned_to(request.user),
            "call_lists": selectors.call_lists_assigned_to(request.user),
        },
    )


@capability_required(Capability.LOG_CONVERSATIONS)
def walk_list(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    turf = selectors.turf_get_for_user(user=request.user, pk=pk)
    doors = canvass.walk_list(turf=turf)
    for door in doors:
        door.back = _target_home(door.target)
    audit_record(
        actor=request.user,
        action="view",
        obj=turf,
        request=request,
        detail=f"walk list: {sum(len(d.residents) for d in doors)} residents at {len(doors)} doors",
    )
    return render(
        request,
        "outreach/canvass/walk_list.html",
        {
            "turf": turf,
            "campaign": turf.target_list.campaign,
            "doors": doors,
            "outcomes": canvass.DOOR_OUTCOMES[:5],
            "due_count": sum(1 for d in doors if d.due),
        },
    )


@capability_required(Capability.LOG_CONVERSATIONS)
def walk_sheet(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    from porchlight.outreach.field.walksheet import walksheet_pdf  # loads WeasyPrint: only this page needs it

    turf = selectors.turf_get_for_user(user=request.user, pk=pk)
    pdf = walksheet_pdf(turf=turf)
    audit_record(
        actor=request.user,
        action="export",
        obj=turf,
        request=request,
        detail=f"walk sheet PDF of turf {turf.name} ({turf.targets.count()} doors)",
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="walk-sheet-turf-{turf.pk}.pdf"'
    return response


@require_POST
@capability_required(Capability.LOG_CONVERSATIONS)
def attempt_new(request: AuthedHttpRequest) -> HttpResponse:
    """One tap on an outcome button of a walk list or call screen; back to where it came from."""
    form = AttemptForm(request.POST)
    target = None
    if form.is_valid() or "target" in form.cleaned_data:
        target = selectors.target_workable_by(user=request.user, target_id=form.cleaned_data["target"])
        if target is None:
            raise Http404
    back = _safe_next(request, _target_home(target) if target else reverse("outreach:my_queue"))
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, str(error))
        return redirect(back)
    data = form.cleaned_data
    try:
        result = services.attempt_record(
            actor=request.user,
            target=target,
            client_id=data["client_id"],
            outcome=data["outcome"],
            made_at=data["made_at"],
            callback_at=data["callback_at"],
            note=data["note"],
        )
    except ValidationError as exc:
        for error in exc.messages:
            messages.error(request, error)
        return redirect(back)
    if result.created:
        messages.success(
            request,
            _("%(outcome)s recorded for %(target)s.")
            % {"outcome": result.attempt.get_outcome_display(), "target": target},
        )
    else:
        messages.info(request, _("That was already recorded; nothing was added twice."))
    _say_conflict(request, result.conflict)
    return redirect(back)


def _say_conflict(request: HttpRequest, conflict: dict | None) -> None:
    """Tell the worker when another worker's finished attempt decides the door (docs/offline.md)."""
    if conflict:
        messages.warning(request, conflict["message"])


@capability_required(Capability.LOG_CONVERSATIONS)
def conversation_for_target(request: AuthedHttpRequest, channel: str = "") -> HttpResponse:
    """The conversation form, prefilled for a door or call (?target=&attempt=&resident=), or for a 311 call.

    The same form as outreach:conversation_new. For a target, saving logs the conversation and the
    "conversation held" attempt together (services.conversation_at_target_log; the attempt id was made by the
    walk list, so a resubmission records nothing twice) and goes back to the walk list or call screen.
    """
    target = None
    if request.GET.get("target"):
        target = selectors.target_workable_by(user=request.user, target_id=_int(request.GET["target"]))
        if target is None:
            raise Http404
    campaign = selectors.campaign_for_conversation_form(
        target=target, last_campaign_id=request.session.get("last_campaign")
    )
    channel = target.target_list.kind if target else (request.GET.get("channel") or channel)
    initial: dict = {"channel": channel if channel in Channel.values else Channel.DOOR}
    resident_id = request.GET.get("resident") or (target.resident_id if target else None)
    preset = residents_visible_to(request.user).filter(pk=_int(resident_id)).first() if resident_id else None
    if preset is not None:
        initial.update({"who": "existing", "resident": preset.pk, "language": preset.preferred_language})
    form = ConversationForm(request.POST or None, user=request.user, campaign=campaign, initial=initial)
    new_form = ResidentFieldsForm(request.POST or None, prefix="new")
    if request.method == "POST" and (values := conversation_submission(form, new_form)) is not None:
        try:
            response = _conversation_save(request, target=target, values=values)
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            return response
    if form.is_bound:
        preset = form.cleaned_data.get("resident") if hasattr(form, "cleaned_data") else None
    return render(
        request,
        "outreach/canvass/conversation_form.html",
        {
            "form": form,
            "new_form": new_form,
            "picked": preset,
            "target": target,
            "inbound": channel == Channel.PHONE and target is None,
        },
    )


def _conversation_save(request: AuthedHttpRequest, *, target: Target | None, values: dict) -> HttpResponse:
    """Log the conversation (with its attempt at a target) and say what happened; raises ValidationError."""
    if target is None:  # a 311 call: no list, no attempt
        result = conversation_capture(actor=request.user, **values)
        _say_saved(request, result.conversation, created=result.created)
        return redirect("outreach:conversation_detail", pk=result.conversation.pk)
    attempt_id = _uuid(request.GET.get("attempt"))
    at_target = services.conversation_at_target_log(
        actor=request.user, target=target, attempt_client_id=attempt_id, **values
    )
    _say_saved(request, at_target.conversation, created=at_target.created)
    if at_target.attempt is None:  # no attempt id in the link: show the conversation, as the plain form does
        return redirect("outreach:conversation_detail", pk=at_target.conversation.pk)
    _say_conflict(request, at_target.attempt.conflict)
    return redirect(_safe_next(request, _target_home(target)))


def _add_errors(form: ConversationForm, exc: ValidationError) -> None:
    """The service's refusal on the form: under the visible field it names, else at the top (the door's, or
    the resident's, who is chosen by the search above the hidden field)."""
    by_field = exc.message_dict if hasattr(exc, "error_dict") else {None: exc.messages}
    for name, errors in by_field.items():
        shown = name in form.fields and not form.fields[name].widget.is_hidden
        form.add_error(name if shown else None, errors)


def _say_saved(request: HttpRequest, conversation: Conversation, *, created: bool) -> None:
    request.session["last_campaign"] = conversation.campaign_id
    if created:
        messages.success(request, _("Conversation saved."))
    else:
        messages.info(request, _("This conversation was already saved; nothing was added twice."))


def _int(value: object) -> int:
    try:
        return int(str(value))
    except (TypeError, ValueError):
        return 0


def _uuid(value: object) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(value))
    except (TypeError, ValueError):
        return None


# ---- calls -----------------------------------------------------------------------------------------------


@capability_required(Capability.LOG_CONVERSATIONS)
def call_lists(request: AuthedHttpRequest) -> HttpResponse:
    lists = selectors.call_lists_visible_to(request.user)
    return render(
        request,
        "outreach/canvass/call_lists.html",
        {"lists": lists, "can_assign": request.user.can(Capability.MANAGE_CAMPAIGNS)},
    )


@capability_required(Capability.LOG_CONVERSATIONS)
def call_screen(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    target_list = selectors.call_list_get_for_user(user=request.user, pk=pk)
    target_id = _int(request.GET.get("target")) or None
    door = canvass.call_next(user=request.user, target_list=target_list, target_id=target_id)
    if target_id and door is None:
        raise Http404
    if door is not None and door.target.resident_id:
        audit_record(
            actor=request.user,
            action="view",
            obj=door.target.resident,
            request=request,
            detail=f"call screen, list {target_list.pk}",
        )
    return render(
        request,
        "outreach/canvass/call_screen.html",
        {
            "target_list": target_list,
            "campaign": target_list.campaign,
            "door": door,
            "outcomes": canvass.PHONE_OUTCOMES[:5],
        },
    )


@capability_required(Capability.MANAGE_CAMPAIGNS)
def call_assign(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    target_list = selectors.call_list_get_for_manager(user=request.user, pk=pk)
    next_form = AssignNextForm(request.POST if request.POST.get("how") == "next" else None)
    team_form = AssignTeamForm(request.POST if request.POST.get("how") == "team" else None)
    if request.method == "POST":
        try:
            if next_form.is_bound and next_form.is_valid():
                n = services.call_assign_next(
                    target_list=target_list,
                    caller=next_form.cleaned_data["caller"],
                    count=next_form.cleaned_data["count"],
                )
                messages.success(
                    request,
                    _("%(n)s residents assigned to %(caller)s.")
                    % {"n": n, "caller": next_form.cleaned_data["caller"]},
                )
                return redirect("outreach:call_assign", pk=pk)
            if team_form.is_bound and team_form.is_valid():
                counts = services.call_assign_round_robin(
                    target_list=target_list,
                    callers=list(selectors.callers_for(team=team_form.cleaned_data["team"])),
                )
                messages.success(
                    request,
                    _("%(n)s residents shared among %(k)s callers.")
                    % {"n": sum(counts.values()), "k": len(counts)},
                )
                return redirect("outreach:call_assign", pk=pk)
        except ValidationError as exc:
            (next_form if next_form.is_bound else team_form).add_error(None, exc)
    return render(
        request,
        "outreach/canvass/call_assign.html",
        {
            "target_list": target_list,
            "summary": selectors.call_list_summary(target_list=target_list),
            "next_form": next_form,
            "team_form": team_form,
        },
    )


# ---- scripts ---------------------------------------------------------------------------------------------


@capability_required(Capability.MANAGE_CAMPAIGNS)
def script_edit(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = get_object_or_404(Campaign, pk=pk)
    form = ScriptForm(request.POST or None, campaign=campaign)
    if request.method == "POST" and form.is_valid():
        try:
            services.scripts_save(campaign=campaign, bodies=form.bodies())
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Scripts saved."))
            return redirect("outreach:script_edit", pk=campaign.pk)
    return render(request, "outreach/canvass/script_form.html", {"form": form, "campaign": campaign})

