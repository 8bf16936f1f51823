"""Writes for theme coding: text items from conversations, coding runs, analysts' corrections, the codebook.

The rule that matters most: analysts' work is never overwritten. A (re-)run replaces only automatic codes
nobody decided on; analyst codes and accepted or rejected automatic codes stay as they are, and a run never
re-adds a theme an analyst rejected for that note.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from porchlight.accounts.models import User
from porchlight.insights.codebook.services import theme_create
from porchlight.insights.coding.coder import ThemeCoder, get_coder
from porchlight.insights.coding.lang import detect_language
from porchlight.insights.coding.selectors import RUN_UNDER_WAY
from porchlight.insights.models import CodingRun, EmergentTheme, TextItem, Theme, ThemeCode
from porchlight.outreach.models import Campaign, Conversation

logger = logging.getLogger(__name__)

FIELDS = [TextItem.Field.NOTES, TextItem.Field.MATTERS_MOST, TextItem.Field.IDEAS]
BATCH_SIZE = 2000
# The text erasure leaves behind (people.privacy.ERASED_TEXT): there is nothing to code, and the item's
# existing themes stay for the counts.
ERASED_TEXT = "[erased]"


def _scrub(text: str, known_names: Sequence[str]) -> str:
    """The report helper's scrubber (people/scrub.py); empty when it is not available."""
    try:
        from porchlight.people.scrub import scrub
    except ImportError:
        return ""
    return scrub(text, known_names=known_names)


def _known_names(conversation: Conversation) -> list[str]:
    resident = conversation.resident
    if resident is None:
        return []
    return [n for n in (resident.first_name, resident.last_name) if n]


def text_items_sync(
    *,
    campaign: Campaign | None = None,
    conversations: Iterable[Conversation] | QuerySet[Conversation] | None = None,
) -> int:
    """Create or update the text items of conversations (or of a whole campaign). Returns how many changed.

    A changed text is re-scrubbed and queued for coding again (coded_at cleared). The language is the one the
    worker recorded, else detected. Items of erased text are left alone.
    """
    if conversations is None:
        if campaign is None:
            raise ValueError("Give a campaign or conversations.")
        conversations = Conversation.objects.filter(campaign=campaign)
    if isinstance(conversations, QuerySet):
        conversations = conversations.select_related("resident").order_by("pk")
    conversations = list(conversations)
    existing = {
        (item.conversation_id, item.field): item
        for item in TextItem.objects.filter(conversation__in=[c.pk for c in conversations])
    }
    to_create: list[TextItem] = []
    to_update: list[TextItem] = []
    for conversation in conversations:
        names = _known_names(conversation)
        for field in FIELDS:
            text = (getattr(conversation, field) or "").strip()
            item = existing.get((conversation.pk, field))
            if not text or text == ERASED_TEXT or (item is not None and item.text == text):
                continue
            language, detected = conversation.language or "", False
            if not language:
                language, detected = detect_language(text), True
            scrubbed = _scrub(text, names)
            if item is None:
                to_create.append(
                    TextItem(
                        conversation=conversation,
                        campaign_id=conversation.campaign_id,
                        field=field,
                        text=text,
                        language=language,
                        language_detected=detected,
                        text_scrubbed=scrubbed,
                    )
                )
            else:
                item.text, item.text_scrubbed = text, scrubbed
                item.language, item.language_detected = language, detected
                item.coded_at, item.coder = None, ""
                to_update.append(item)
    with transaction.atomic():
        TextItem.objects.bulk_create(to_create, batch_size=BATCH_SIZE)
        TextItem.objects.bulk_update(
            to_update,
            ["text", "text_scrubbed", "language", "language_detected", "coded_at", "coder"],
            batch_size=BATCH_SIZE,
        )
    return len(to_create) + len(to_update)


@transaction.atomic
def code_items(*, items: Iterable[TextItem] | QuerySet[TextItem], coder: ThemeCoder | None = None) -> int:
    """Code text items (of one campaign): replace their undecided automatic codes with fresh ones.

    Returns the number of items coded. Analyst codes and decided automatic codes are kept, and a theme that
    has any of those on an item is not coded again on it.
    """
    items = [i for i in items if i.text and i.text != ERASED_TEXT]
    if not items:
        return 0
    campaigns = {i.campaign_id for i in items}
    if len(campaigns) > 1:
        raise ValueError("code_items codes the items of one campaign at a time.")
    if coder is None:
        coder = get_coder(Campaign.objects.get(pk=campaigns.pop()))
    predictions = coder.predict([i.text for i in items], [i.language for i in items])
    item_ids = [i.pk for i in items]
    ThemeCode.objects.filter(item_id__in=item_ids, source=ThemeCode.Source.AUTO, decision="").delete()
    kept = set(ThemeCode.objects.filter(item_id__in=item_ids).values_list("item_id", "theme_id"))
    new_codes = [
        ThemeCode(item=item, theme_id=theme_id, confidence=confidence, source=ThemeCode.Source.AUTO)
        for item, codes in zip(items, predictions, strict=True)
        for theme_id, confidence in codes
        if (item.pk, theme_id) not in kept
    ]
    ThemeCode.objects.bulk_create(new_codes, batch_size=BATCH_SIZE)
    now = timezone.now()
    for start in range(0, len(item_ids), BATCH_SIZE):
        TextItem.objects.filter(pk__in=item_ids[start : start + BATCH_SIZE]).update(
            coded_at=now, coder=coder.name[:100]
        )
    for item in items:
        item.coded_at, item.coder = now, coder.name[:100]
    return len(items)


def coding_run_start(
    *, campaign: Campaign, actor: User | None = None, only_uncoded: bool = False, background: bool = True
) -> CodingRun:
    """Sync the campaign's text items and (re-)code them in batches, with progress (a CodingRun).

    The one way to code notes in bulk: the codebook page's button and `manage.py code_themes` both call it.
    With `background` (the button) the run is queued and the background task is sent once this transaction
    commits; with the default immediate task backend it runs at once. Without it (the command, which is its
    own worker) the work is done here, one committed batch at a time, and the finished run is returned.
    Raises ValidationError (code "no_themes" or "under_way") when there is nothing to code with, or a run of
    the campaign is already queued or running.
    """
    from porchlight.insights.coding.tasks import coding_run_enqueue

    with transaction.atomic():
        # The campaign's row lock makes two starts at once queue behind each other, so only one run starts.
        Campaign.objects.select_for_update().filter(pk=campaign.pk).first()
        if not Theme.objects.filter(campaign=campaign, is_active=True).exists():
            raise ValidationError(_("Add themes to the codebook before coding notes."), code="no_themes")
        latest = CodingRun.objects.filter(campaign=campaign).first()
        if latest is not None and latest.status in RUN_UNDER_WAY:
            raise ValidationError(
                _("A coding run is already under way; wait for it to finish."), code="under_way"
            )
        text_items_sync(campaign=campaign)
        items = TextItem.objects.filter(campaign=campaign)
        if only_uncoded:
            items = items.filter(coded_at__isnull=True)
        run = CodingRun.objects.create(campaign=campaign, started_by=actor, total=items.count())
        if background:
            transaction.on_commit(lambda: coding_run_enqueue(run.pk, only_uncoded))
    if background:
        return run
    return coding_run_execute(run=run, only_uncoded=only_uncoded)


def coding_run_execute(*, run: CodingRun, only_uncoded: bool = False) -> CodingRun:
    """Do a queued run's work, one committed batch at a time so that progress shows while it runs."""
    run.status = CodingRun.Status.RUNNING
    run.save(update_fields=["status"])
    try:
        coder = get_coder(run.campaign)
        items = TextItem.objects.filter(campaign=run.campaign).order_by("pk")
        if only_uncoded:
            items = items.filter(coded_at__isnull=True)
        ids = list(items.values_list("pk", flat=True))
        run.total = len(ids)
        run.done = 0
        run.save(update_fields=["total", "done"])
        for start in range(0, len(ids), BATCH_SIZE):
            batch = list(TextItem.objects.filter(pk__in=ids[start : start + BATCH_SIZE]).order_by("pk"))
            with transaction.atomic():
                code_items(items=batch, coder=coder)
                run.done = min(run.total, start + len(batch))
                run.save(update_fields=["done"])
    except Exception as exc:
        logger.exception("Coding run %s failed", run.pk)
        run.status, run.error, run.finished_at = CodingRun.Status.FAILED, str(exc)[:2000], timezone.now()
        run.save(update_fields=["status", "error", "finished_at"])
        return run
    run.status, run.finished_at = CodingRun.Status.DONE, timezone.now()
    run.save(update_fields=["status", "finished_at"])
    return run


def conversation_code(*, conversation: Conversation) -> int:
    """Sync and code one conversation's texts (called in the background after a conversation is logged)."""
    if not Theme.objects.filter(campaign_id=conversation.campaign_id, is_active=True).exists():
        text_items_sync(conversations=[conversation])
        return 0
    text_items_sync(conversations=[conversation])
    return code_items(items=TextItem.objects.filter(conversation=conversation, coded_at__isnull=True))


@transaction.atomic
def code_decide(*, code: ThemeCode, decision: str, actor: User) -> ThemeCode | None:
    """Accept or reject a code, or clear an automatic code's decision ("").

    Rejecting an analyst's own code removes it (returns None): analyst codes are accepted by definition.
    """
    if decision not in ThemeCode.Decision.values:
        raise ValidationError(_("Unknown decision: %(decision)s") % {"decision": decision})
    if code.source == ThemeCode.Source.ANALYST:
        if decision == ThemeCode.Decision.REJECTED:
            code.delete()
            return None
        return code
    code.decision = decision
    code.decided_by = actor if decision else None
    code.decided_at = timezone.now() if decision else None
    code.save(update_fields=["decision", "decided_by", "decided_at"])
    return code


@transaction.atomic
def code_add(*, item: TextItem, theme: Theme, actor: User) -> ThemeCode:
    """An analyst codes a note to a theme (recoding is: reject the wrong code, add the right one)."""
    if theme.campaign_id != item.campaign_id:
        raise ValidationError(_("This theme belongs to another campaign's codebook."))
    if not theme.is_active:
        raise ValidationError(_("This theme is no longer active."))
    now = timezone.now()
    code, _created = ThemeCode.objects.update_or_create(
        item=item,
        theme=theme,
        defaults={
            "source": ThemeCode.Source.ANALYST,
            "decision": ThemeCode.Decision.ACCEPTED,
            "confidence": 1.0,
            "decided_by": actor,
            "decided_at": now,
        },
    )
    return code


@transaction.atomic
def codebook_seed(*, campaign: Campaign) -> list[Theme]:
    """Give a campaign one theme per topic (its names and description) when its codebook is empty.

    Topics have no Spanish description; the coder's bilingual lexicon bridges the languages until an analyst
    writes one.
    """
    if Theme.objects.filter(campaign=campaign).exists():
        return []
    themes = [
        Theme(
            campaign=campaign,
            topic=topic,
            name=topic.name[:100],
            name_es=topic.name_es[:100],
            description=topic.description,
        )
        for topic in campaign.topics.all()
    ]
    return Theme.objects.bulk_create(themes)


def emergent_themes_find(*, campaign: Campaign) -> list[EmergentTheme]:
    """Group the notes that fit no theme into candidate themes (replacing the unpromoted candidates)."""
    from porchlight.insights.coding.emergent import emergent_themes_find as find

    return find(campaign=campaign)


@transaction.atomic
def emergent_theme_promote(*, emergent: EmergentTheme, actor: User, name: str, description: str) -> Theme:
    """Make a candidate theme a codebook theme; its notes become the new theme's examples (analyst codes)."""
    if emergent.promoted_to_id:
        raise ValidationError(_("This candidate theme is already in the codebook."))
    # The codebook's own rule for a new theme (a name, unique in the codebook).
    theme = theme_create(campaign=emergent.campaign, name=name, description=description)
    now = timezone.now()
    ThemeCode.objects.bulk_create(
        [
            ThemeCode(
                item=item,
                theme=theme,
                source=ThemeCode.Source.ANALYST,
                decision=ThemeCode.Decision.ACCEPTED,
                confidence=1.0,
                decided_by=actor,
                decided_at=now,
            )
            for item in emergent.items.all()
        ],
        ignore_conflicts=True,
    )
    emergent.promoted_to = theme
    emergent.save(update_fields=["promoted_to"])
    return theme
