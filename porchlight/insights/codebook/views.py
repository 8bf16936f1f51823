"""Staff pages for theme analysis: the codebook, coding runs, the review of coded notes, emergent themes.

Everyone with VIEW_DASHBOARD (analysts, program managers, administrators) may read and edit. Notes are
only ever shown scrubbed (TextItem.text_scrubbed), never with resident names, and pages showing notes are
audited.
Buttons work as plain form posts; with htmx they swap the one note or progress bar in place.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from porchlight.accounts.http import AuthedHttpRequest
from porchlight.accounts.permissions import capability_required
from porchlight.accounts.roles import Capability
from porchlight.accounts.services import audit_record
from porchlight.insights.codebook import selectors
from porchlight.insights.codebook import services as codebook_svc
from porchlight.insights.codebook.forms import (
    AddCodeForm,
    ExampleSearchForm,
    PromoteForm,
    ReviewFilterForm,
    ThemeForm,
)
from porchlight.insights.coding import services as coding_svc
from porchlight.insights.coding.coder import THRESHOLD
from porchlight.insights.models import EmergentTheme, TextItem, Theme, ThemeCode
from porchlight.outreach.models import Campaign

STAFF = Capability.VIEW_DASHBOARD
NOTES_PER_PAGE = 25
EXAMPLE_SEARCH_LIMIT = 20


def _campaign(pk: int) -> Campaign:
    return get_object_or_404(Campaign, pk=pk)


def _next(request: HttpRequest, fallback: str) -> str:
    """Where a no-JavaScript form post returns to: the page it came from, if it is on this site."""
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return fallback


def _validation_text(exc: ValidationError) -> str:
    return " ".join(exc.messages)


def _audit_notes(request: AuthedHttpRequest, campaign: Campaign, detail: str) -> None:
    audit_record(
        actor=request.user,
        action="view",
        object_type="insights.coded_notes",
        object_id=str(campaign.pk),
        detail=detail,
        request=request,
    )


# --- Codebook ---------------------------------------------------------------------------------------------


@require_GET
@capability_required(STAFF)
def codebook(request: HttpRequest, campaign_pk: int) -> HttpResponse:
    campaign = _campaign(campaign_pk)
    context = {
        "campaign": campaign,
        "rows": selectors.codebook_rows(campaign=campaign),
        "has_topics": campaign.topics.exists(),
        **selectors.coding_status(campaign=campaign),
    }
    return render(request, "insights/codebook/codebook.html", context)


@require_POST
@capability_required(STAFF)
def codebook_seed(request: HttpRequest, campaign_pk: int) -> HttpResponse:
    campaign = _campaign(campaign_pk)
    themes = coding_svc.codebook_seed(campaign=campaign)
    if themes:
        messages.success(
            request, _("Added %(n)d themes from the campaign's topics.") % {"n": len(themes)}
        )
    elif Theme.objects.filter(campaign=campaign).exists():
        messages.error(request, _("The codebook already has themes, so it was not seeded."))
    else:
        messages.error(request, _("This campaign has no topics to seed the codebook from."))
    return redirect("insights:codebook", campaign_pk=campaign.pk)


@require_http_methods(["GET", "POST"])
@capability_required(STAFF)
def theme_create(request: HttpRequest, campaign_pk: int) -> HttpResponse:
    campaign = _campaign(campaign_pk)
    form = ThemeForm(request.POST or None, campaign=campaign)
    if request.method == "POST" and form.is_valid():
        try:
            theme = codebook_svc.theme_create(campaign=campaign, **form.cleaned_data)
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("Theme added: %(name)s.") % {"name": theme.name})
            return redirect("insights:codebook", campaign_pk=campaign.pk)
    return render(
        request, "insights/codebook/theme_form.html", {"campaign": campaign, "form": form, "theme": None}
    )


def _add_errors(form: ThemeForm | PromoteForm, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


def _theme(campaign: Campaign, pk: int) -> Theme:
    return get_object_or_404(Theme.objects.select_related("parent"), pk=pk, campaign=campaign)


@require_http_methods(["GET", "POST"])
@capability_required(STAFF)
def theme_edit(request: AuthedHttpRequest, campaign_pk: int, theme_pk: int) -> HttpResponse:
    """Edit a theme; below the form, its example notes and a search to add more."""
    campaign = _campaign(campaign_pk)
    theme = _theme(campaign, theme_pk)
    initial = {
        "name": theme.name,
        "name_es": theme.name_es,
        "description": theme.description,
        "description_es": theme.description_es,
        "parent": theme.parent,
    }
    form = ThemeForm(request.POST or None, campaign=campaign, theme=theme, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            codebook_svc.theme_update(theme=theme, **form.cleaned_data)
        except ValidationError as exc:
            _add_errors(form, exc)
            theme.refresh_from_db()
        else:
            messages.success(request, _("Theme saved: %(name)s.") % {"name": theme.name})
            return redirect("insights:codebook", campaign_pk=campaign.pk)
    search = ExampleSearchForm(request.GET or None)
    examples = selectors.theme_examples(theme=theme, limit=EXAMPLE_SEARCH_LIMIT)
    found: list[TextItem] = []
    if search.is_valid() and search.cleaned_data["q"].strip():
        query = search.cleaned_data["q"].strip()
        found = selectors.example_candidates(theme=theme, query=query, limit=EXAMPLE_SEARCH_LIMIT)
    _audit_notes(request, campaign, f"coded notes: examples of theme {theme.pk}")
    context = {
        "campaign": campaign,
        "form": form,
        "theme": theme,
        "search": search,
        "examples": examples,
        "found": found,
        "searched": bool(search.is_bound and request.GET.get("q", "").strip()),
    }
    return render(request, "insights/codebook/theme_form.html", context)


@require_POST
@capability_required(STAFF)
def theme_example_add(request: AuthedHttpRequest, campaign_pk: int, theme_pk: int) -> HttpResponse:
    """Mark a note as an example of the theme: an analyst code, which the coder learns from."""
    campaign = _campaign(campaign_pk)
    theme = _theme(campaign, theme_pk)
    item = get_object_or_404(TextItem, pk=request.POST.get("item") or 0, campaign=campaign)
    fallback = reverse("insights:theme_edit", args=[campaign.pk, theme.pk])
    try:
        coding_svc.code_add(item=item, theme=theme, actor=request.user)
    except ValidationError as exc:
        messages.error(request, _validation_text(exc))
    else:
        messages.success(request, _("Example added to %(name)s.") % {"name": theme.name})
    return HttpResponseRedirect(_next(request, fallback))


@require_POST
@capability_required(STAFF)
def theme_set_active(request: HttpRequest, campaign_pk: int, theme_pk: int) -> HttpResponse:
    campaign = _campaign(campaign_pk)
    theme = _theme(campaign, theme_pk)
    active = request.POST.get("active") == "1"
    try:
        codebook_svc.theme_set_active(theme=theme, active=active)
    except ValidationError as exc:
        messages.error(request, _validation_text(exc))
    else:
        message = _("Theme reactivated: %(name)s.") if active else _("Theme deactivated: %(name)s.")
        messages.success(request, message % {"name": theme.name})
    return redirect("insights:codebook", campaign_pk=campaign.pk)


# --- Coding runs ------------------------------------------------------------------------------------------


@require_POST
@capability_required(STAFF)
def coding_run_start(request: AuthedHttpRequest, campaign_pk: int) -> HttpResponse:
    campaign = _campaign(campaign_pk)
    error = ""
    try:
        coding_svc.coding_run_start(campaign=campaign, actor=request.user)
    except ValidationError as exc:
        error = _validation_text(exc)
    if request.htmx:
        context = {**selectors.coding_status(campaign=campaign), "error": error}
        return render(request, "insights/codebook/_progress.html", context)
    if error:
        messages.error(request, error)
    else:
        messages.success(request, _("Coding started. Progress shows below."))
    return redirect("insights:codebook", campaign_pk=campaign.pk)


@require_GET
@capability_required(STAFF)
def coding_progress_view(request: HttpRequest, campaign_pk: int) -> HttpResponse:
    """The progress bar alone: htmx polls it while a run is queued or running."""
    campaign = _campaign(campaign_pk)
    return render(request, "insights/codebook/_progress.html", selectors.coding_status(campaign=campaign))


# --- Review of coded notes --------------------------------------------------------------------------------


@require_GET
@capability_required(STAFF)
def notes_review(request: AuthedHttpRequest, campaign_pk: int) -> HttpResponse:
    campaign = _campaign(campaign_pk)
    form = ReviewFilterForm(request.GET or None, campaign=campaign)
    page = None
    if not form.is_bound or form.is_valid():
        data = form.cleaned_data if form.is_bound else {}
        items = selectors.notes_for_review(campaign=campaign, filters=data)
        page = Paginator(items, NOTES_PER_PAGE).get_page(request.GET.get("page"))
        page.object_list = selectors.with_language_labels(list(page.object_list))
        # The chosen filters (ids and codes), never the raw query string: the audit log keeps no typed text.
        chosen = sorted(f"{k}={getattr(v, 'pk', v)}" for k, v in data.items() if v)
        _audit_notes(request, campaign, " ".join(["coded notes:", *chosen]))
    context = {
        "campaign": campaign,
        "form": form,
        "page": page,
        "themes": list(selectors.active_themes(campaign)),
        "threshold": THRESHOLD,
    }
    return render(request, "insights/codebook/notes.html", context)


def _item_response(
    request: AuthedHttpRequest, campaign: Campaign, item_pk: int, error: str = ""
) -> HttpResponse:
    """After a decision: the note again (htmx), or back to the page it was on."""
    if not request.htmx:
        if error:
            messages.error(request, error)
        return HttpResponseRedirect(_next(request, reverse("insights:notes_review", args=[campaign.pk])))
    item = get_object_or_404(selectors.notes_with_codes(campaign=campaign), pk=item_pk)
    context = {
        "item": selectors.with_language_labels([item])[0],
        "campaign": campaign,
        "themes": list(selectors.active_themes(campaign)),
        "threshold": THRESHOLD,
        "error": error,
        "next": request.POST.get("next", ""),
    }
    return render(request, "insights/codebook/_note.html", context)


@require_POST
@capability_required(STAFF)
def code_decide(request: AuthedHttpRequest, campaign_pk: int, code_pk: int) -> HttpResponse:
    campaign = _campaign(campaign_pk)
    code = get_object_or_404(ThemeCode.objects.select_related("item"), pk=code_pk, item__campaign=campaign)
    item_pk = code.item_id
    error = ""
    try:
        coding_svc.code_decide(code=code, decision=request.POST.get("decision", ""), actor=request.user)
    except ValidationError as exc:
        error = _validation_text(exc)
    return _item_response(request, campaign, item_pk, error)


@require_POST
@capability_required(STAFF)
def code_add(request: AuthedHttpRequest, campaign_pk: int, item_pk: int) -> HttpResponse:
    campaign = _campaign(campaign_pk)
    item = get_object_or_404(TextItem, pk=item_pk, campaign=campaign)
    form = AddCodeForm(request.POST, campaign=campaign)
    error = ""
    if not form.is_valid():
        error = _("Choose a theme to add.")
    else:
        try:
            coding_svc.code_add(item=item, theme=form.cleaned_data["theme"], actor=request.user)
        except ValidationError as exc:
            error = _validation_text(exc)
    return _item_response(request, campaign, item.pk, error)


# --- Emergent themes --------------------------------------------------------------------------------------


@require_GET
@capability_required(STAFF)
def emergent_list(request: AuthedHttpRequest, campaign_pk: int) -> HttpResponse:
    campaign = _campaign(campaign_pk)
    candidates = selectors.emergent_candidates(campaign=campaign)
    if candidates:
        _audit_notes(request, campaign, "coded notes: emergent theme quotes")
    context = {
        "campaign": campaign,
        "open": [c for c in candidates if not c.promoted_to_id],
        "promoted": [c for c in candidates if c.promoted_to_id],
        "uncoded_count": selectors.uncoded_count(campaign=campaign),
    }
    return render(request, "insights/codebook/emergent.html", context)


@require_POST
@capability_required(STAFF)
def emergent_find(request: HttpRequest, campaign_pk: int) -> HttpResponse:
    campaign = _campaign(campaign_pk)
    found = coding_svc.emergent_themes_find(campaign=campaign)
    if found:
        messages.success(request, _("Found %(n)d candidate themes.") % {"n": len(found)})
    else:
        messages.info(
            request, _("No candidate themes: too few coded notes fit no theme, or they share too little.")
        )
    return redirect("insights:emergent", campaign_pk=campaign.pk)


@require_http_methods(["GET", "POST"])
@capability_required(STAFF)
def emergent_promote(request: AuthedHttpRequest, campaign_pk: int, emergent_pk: int) -> HttpResponse:
    campaign = _campaign(campaign_pk)
    emergent = get_object_or_404(EmergentTheme, pk=emergent_pk, campaign=campaign)
    if emergent.promoted_to_id:
        messages.info(request, _("This candidate theme is already in the codebook."))
        return redirect("insights:emergent", campaign_pk=campaign.pk)
    initial = {"name": emergent.label[:100], "description": ", ".join(emergent.keywords)}
    form = PromoteForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            theme = coding_svc.emergent_theme_promote(
                emergent=emergent, actor=request.user, **form.cleaned_data
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("Added to the codebook: %(name)s.") % {"name": theme.name})
            return redirect("insights:codebook", campaign_pk=campaign.pk)
    _audit_notes(request, campaign, f"coded notes: emergent theme {emergent.pk}")
    return render(
        request, "insights/codebook/promote.html", {"campaign": campaign, "form": form, "emergent": emergent}
    )

