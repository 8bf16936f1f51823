from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from porchlight.accounts.http import AuthedHttpRequest
from porchlight.accounts.permissions import capability_required
from porchlight.accounts.reads import audit_record_list
from porchlight.accounts.roles import Capability
from porchlight.accounts.services import audit_record
from porchlight.outreach.forms import ConversationForm, conversation_submission
from porchlight.outreach.models import Campaign, Channel
from porchlight.outreach.selectors import (
    campaign_current,
    conversation_get_for_user,
    conversation_text_for,
    conversations_visible_to,
)
from porchlight.outreach.services import conversation_capture
from porchlight.people.forms import ResidentFieldsForm
from porchlight.people.scrub import scrub
from porchlight.people.selectors import residents_visible_to


@capability_required(Capability.LOG_CONVERSATIONS)
def conversation_new(request: AuthedHttpRequest) -> HttpResponse:
    campaign = (
        Campaign.objects.filter(pk=request.session.get("last_campaign") or 0).first() or campaign_current()
    )
    preset = residents_visible_to(request.user).filter(pk=request.GET.get("resident") or 0).first()
    initial = {}
    if preset is not None:
        initial = {"who": "existing", "resident": preset.pk, "language": preset.preferred_language}
    form = ConversationForm(request.POST or None, user=request.user, campaign=campaign, initial=initial)
    new_form = ResidentFieldsForm(request.POST or None, prefix="new")
    if request.method == "POST" and (values := conversation_submission(form, new_form)) is not None:
        try:
            result = conversation_capture(actor=request.user, **values)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            request.session["last_campaign"] = values["campaign"].pk
            if result.created:
                messages.success(request, _("Conversation saved."))
            else:
                messages.info(request, _("This conversation was already saved; nothing was added twice."))
            return redirect("outreach:conversation_detail", pk=result.conversation.pk)
    picked = form.cleaned_data.get("resident") if form.is_bound and hasattr(form, "cleaned_data") else preset
    return render(
        request, "outreach/conversation_form.html", {"form": form, "new_form": new_form, "picked": picked}
    )


@capability_required(Capability.VIEW_CONVERSATIONS)
def conversation_list(request: AuthedHttpRequest) -> HttpResponse:
    qs = (
        conversations_visible_to(request.user)
        .select_related("campaign", "held_by", "area", "resident")
        .prefetch_related("topics")
    )
    channel = request.GET.get("channel", "")
    if channel in Channel.values:
        qs = qs.filter(channel=channel)
    if request.GET.get("mine") == "1":
        qs = qs.filter(held_by=request.user)
    page = Paginator(qs, 25).get_page(request.GET.get("page"))
    audit_record_list(
        actor=request.user,
        object_type="outreach.conversation",
        ids=[c.pk for c in page.object_list],
        kind="conversation list",
        request=request,
    )
    return render(
        request,
        "outreach/conversation_list.html",
        {
            "page": page,
            "channel": channel,
            "channels": Channel.choices,
            "show_residents": request.user.can(Capability.VIEW_RESIDENTS),
        },
    )


@capability_required(Capability.VIEW_CONVERSATIONS)
def conversation_detail(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    conversation = conversation_get_for_user(user=request.user, pk=pk)
    show_resident = conversation.resident is not None and request.user.can(Capability.VIEW_RESIDENTS)
    if show_resident:
        audit_record(
            actor=request.user,
            action="view",
            obj=conversation.resident,
            request=request,
            detail=f"via conversation {conversation.pk}",
        )
    else:  # the notes are still the resident's words: who read them is recorded too
        audit_record(actor=request.user, action="view", obj=conversation, request=request)
    conversation_text_for(user=request.user, conversation=conversation)
    needs = list(conversation.needs.prefetch_related("referrals__program"))
    if getattr(conversation, "scrubbed", False):
        for need in needs:
            need.description = scrub(need.description)
    return render(
        request,
        "outreach/conversation_detail.html",
        {"c": conversation, "needs": needs, "show_resident": show_resident},
    )


@capability_required(Capability.MANAGE_CAMPAIGNS)
def campaign_list(request: HttpRequest) -> HttpResponse:
    from django.db.models import Count

    campaigns = Campaign.objects.annotate(n=Count("conversations")).prefetch_related("topics")
    return render(request, "outreach/campaign_list.html", {"campaigns": campaigns})


@capability_required(Capability.MANAGE_CAMPAIGNS)
def campaign_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    from django.shortcuts import get_object_or_404

    from porchlight.outreach.forms import CampaignForm
    from porchlight.outreach.services import campaign_save

    campaign = get_object_or_404(Campaign, pk=pk) if pk else None
    form = CampaignForm(request.POST or None, instance=campaign)
    if request.method == "POST" and form.is_valid():
        try:
            campaign_save(
                campaign=form.save(commit=False),
                topics=form.cleaned_data["topics"],
                new_topic_names=form.cleaned_data["new_topics"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Campaign saved."))
            return redirect("outreach:campaign_list")
    return render(request, "outreach/campaign_form.html", {"form": form, "campaign": campaign})
