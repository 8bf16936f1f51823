"""Code campaigns' notes into their themes (e.g. after importing a history or editing the codebook).

manage.py code_themes --campaign 3
manage.py code_themes --all --seed-codebook --emergent
"""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from porchlight.insights.coding.services import (
    codebook_seed,
    coding_run_execute,
    emergent_themes_find,
    text_items_sync,
)
from porchlight.insights.models import CodingRun, TextItem
from porchlight.outreach.models import Campaign


class Command(BaseCommand):
    help = "Code campaigns' conversation notes into their codebook themes, with progress."

    def add_arguments(self, parser: ArgumentParser) -> None:
        which = parser.add_mutually_exclusive_group(required=True)
        which.add_argument("--campaign", type=int, help="the campaign's id")
        which.add_argument("--all", action="store_true", help="every campaign")
        parser.add_argument("--only-uncoded", action="store_true", help="skip notes already coded")
        parser.add_argument(
            "--seed-codebook", action="store_true", help="give campaigns with no themes one per topic first"
        )
        parser.add_argument("--emergent", action="store_true", help="then look for emergent themes")

    def handle(self, *args: Any, **options: Any) -> None:  # noqa: ANN401 - Django's signature
        if options["all"]:
            campaigns = list(Campaign.objects.order_by("pk"))
        else:
            campaigns = list(Campaign.objects.filter(pk=options["campaign"]))
            if not campaigns:
                raise CommandError(f"No campaign with id {options['campaign']}.")
        for campaign in campaigns:
            if options["seed_codebook"]:
                codebook_seed(campaign=campaign)
            if not campaign.themes.filter(is_active=True).exists():
                self.stdout.write(f"{campaign}: no themes in its codebook, skipped (try --seed-codebook)")
                continue
            text_items_sync(campaign=campaign)
            # The command is the worker here: it runs the work itself rather than queueing it.
            run = CodingRun.objects.create(
                campaign=campaign, total=TextItem.objects.filter(campaign=campaign).count()
            )
            run = coding_run_execute(run=run, only_uncoded=options["only_uncoded"])
            if run.status == CodingRun.Status.FAILED:
                raise CommandError(f"{campaign}: coding failed: {run.error}")
            self.stdout.write(f"{campaign}: coded {run.done} of {run.total} notes")
            if options["emergent"]:
                found = emergent_themes_find(campaign=campaign)
                self.stdout.write(f"{campaign}: {len(found)} candidate new themes")
