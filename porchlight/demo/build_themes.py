"""The demo campaigns' codebooks (one theme per topic, in English and Spanish) and their notes, coded."""

from __future__ import annotations

from porchlight.demo.context import BuildContext
from porchlight.insights.coding.coder import get_coder
from porchlight.insights.coding.services import code_items, codebook_seed, text_items_sync
from porchlight.insights.models import TextItem, Theme
from porchlight.outreach.models import Campaign, Conversation

# Topic name -> Spanish description (topics carry a Spanish name only).
DESCRIPTIONS_ES = {
    "Community safety": "Sentirse seguro en casa, en la calle y con la policía.",
    "Trust": "La confianza entre los residentes, la policía y la ciudad.",
    "Accountability": "Quién responde por lo que la ciudad prometió, y cómo pueden saberlo los residentes.",
    "Affordable housing": "Rentas, reparaciones, desplazamiento y ser dueño de una casa.",
    "Good-paying jobs": "Salarios, capacitación, transporte al trabajo y pequeños negocios.",
}


def build_themes(ctx: BuildContext) -> None:
    """Seed every demo campaign's codebook from its topics, then code all of its notes."""
    for campaign in Campaign.objects.order_by("pk"):
        for theme in codebook_seed(campaign=campaign):
            theme.description_es = DESCRIPTIONS_ES.get(theme.name, "")
            theme.save(update_fields=["description_es"])
        conversations = Conversation.objects.filter(campaign=campaign).select_related("resident")
        text_items_sync(conversations=conversations)
        if Theme.objects.filter(campaign=campaign).exists():
            items = list(TextItem.objects.filter(campaign=campaign).order_by("pk"))
            code_items(items=items, coder=get_coder(campaign))
    ctx.progress(f"Coded {TextItem.objects.count()} notes into their campaigns' themes")
