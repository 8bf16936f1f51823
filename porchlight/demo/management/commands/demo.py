"""`manage.py demo`: build the demo city (Charlotte's 2017 Community Letter campaign)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from porchlight.demo.generator import (
    DEFAULT_ADDRESSES,
    DEFAULT_CONVERSATIONS,
    DEFAULT_RESIDENTS,
    DEFAULT_SEED,
    DemoError,
    demo_build,
    demo_reset,
)
from porchlight.outreach.models import Campaign


class Command(BaseCommand):
    help = "Build the demo city: real Charlotte–Mecklenburg areas, invented residents, 2017 conversations."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help="same seed, same city")
        parser.add_argument("--addresses", type=int, default=DEFAULT_ADDRESSES)
        parser.add_argument("--residents", type=int, default=DEFAULT_RESIDENTS)
        parser.add_argument(
            "--conversations",
            type=int,
            default=DEFAULT_CONVERSATIONS,
            help="in the 2017 campaign (the 2018 dialogues add 1 in 20 more)",
        )
        parser.add_argument(
            "--if-empty", action="store_true", help="do nothing when the database already has a campaign"
        )
        parser.add_argument("--reset", action="store_true", help="wipe the demo tables first")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["if_empty"] and Campaign.objects.exists():
            self.stdout.write("The database already has a campaign: leaving it as it is (--if-empty).")
            return
        try:
            if options["reset"]:
                self.stdout.write("Wiping the demo tables…")
                demo_reset(say=self.stdout.write)
            summary = demo_build(
                seed=options["seed"],
                addresses=options["addresses"],
                residents=options["residents"],
                conversations=options["conversations"],
                say=self.stdout.write,
            )
        except DemoError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo city ready in {summary.seconds:.1f} s: {summary.areas} areas, "
                f"{summary.addresses} addresses, {summary.residents} residents, {summary.users} users, "
                f"{summary.conversations} conversations, "
                f"{summary.needs} needs, {summary.referrals} referrals. Sign-ins: manage.py demo_logins"
            )
        )
