"""The demo campaigns' codebooks (one theme per topic, in English and Spanish) and their notes, coded."""

from __future__ import annotations

from django.core.exceptions import ValidationError

from porchlight.demo.context import BuildContext
from porchlight.insights.coding.services import codebook_seed, coding_run_start, text_items_sync
from porchlight.insights.models import CodingRun, TextItem
from porchlight.outreach.models import Campaign

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
        try:
            # The same bulk coding as the codebook page's button and `manage.py code_themes`.
            run = coding_run_start(campaign=campaign, background=False)
        except ValidationError:
            # No codebook: its notes are still made into text items, ready to code once it has one.
            text_items_sync(campaign=campaign)
            continue
        if run.status == CodingRun.Status.FAILED:
            raise RuntimeError(f"Coding the notes of {campaign} failed: {run.error}")
    ctx.progress(f"Coded {TextItem.objects.count()} notes into their campaigns' themes")
