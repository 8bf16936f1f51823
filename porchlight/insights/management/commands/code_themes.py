"""Code campaigns' notes into their themes (e.g. after importing a history or editing the codebook).

manage.py code_themes --campaign 3
manage.py code_themes --all --seed-codebook --emergent
"""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from porchlight.insights.coding.services import codebook_seed, coding_run_start, emergent_themes_find
from porchlight.insights.models import CodingRun
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

    def handle(self, *args: Any, **options: Any) -> None:
        if options["all"]:
            campaigns = list(Campaign.objects.order_by("pk"))
        else:
            campaigns = list(Campaign.objects.filter(pk=options["campaign"]))
            if not campaigns:
                raise CommandError(f"No campaign with id {options['campaign']}.")
        for campaign in campaigns:
            if options["seed_codebook"]:
                codebook_seed(campaign=campaign)
            try:
                # The same service as the codebook page's button; the command is the worker here, so the run
                # is done in the foreground, and its progress shows on the codebook page meanwhile.
                run = coding_run_start(
                    campaign=campaign, only_uncoded=options["only_uncoded"], background=False
                )
            except ValidationError as exc:
                self.stdout.write(f"{campaign}: skipped: {self._reason(exc)}")
                continue
            if run.status == CodingRun.Status.FAILED:
                raise CommandError(f"{campaign}: coding failed: {run.error}")
            self.stdout.write(f"{campaign}: coded {run.done} of {run.total} notes")
            if options["emergent"]:
                found = emergent_themes_find(campaign=campaign)
                self.stdout.write(f"{campaign}: {len(found)} candidate new themes")

    @staticmethod
    def _reason(exc: ValidationError) -> str:
        if exc.code == "no_themes":
            return "no themes in its codebook (try --seed-codebook)"
        return " ".join(exc.messages)
