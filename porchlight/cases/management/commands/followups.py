"""`manage.py followups`: the daily run of the follow-up scheduler and the overdue-work email (cron/timer)."""

from __future__ import annotations

import datetime as dt

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from porchlight.cases.casework.followups import (
    followups_close_for_closed_referrals,
    followups_schedule,
    overdue_notify,
)


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise CommandError(f"--today must be a date like 2026-03-31, not {value!r}.") from exc


class Command(BaseCommand):
    help = (
        "Schedule the automatic check-ins for open referrals, retire those of closed referrals, and email "
        "each person their overdue tasks once. Run it daily."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--today", type=_date, help="act as if today were this date (YYYY-MM-DD)")
        parser.add_argument(
            "--since-days",
            type=int,
            default=90,
            help="only schedule check-ins for referrals made in the last N days (default 90; 0 for all)",
        )
        parser.add_argument("--no-email", action="store_true", help="schedule only; send no email")

    def handle(self, *args: object, **options: object) -> None:
        today: dt.date = options["today"] or timezone.localdate()  # type: ignore[assignment]
        since_days: int = options["since_days"]  # type: ignore[assignment]
        if since_days < 0:
            raise CommandError("--since-days cannot be negative.")
        since = today - dt.timedelta(days=since_days) if since_days else None
        created = followups_schedule(today=today, created_since=since)
        self.stdout.write(f"Scheduled {created} check-in task(s) for open referrals.")
        retired = followups_close_for_closed_referrals()
        self.stdout.write(f"Marked done {retired} check-in task(s) of referrals that have closed.")
        if options["no_email"]:
            self.stdout.write("Sent no email (--no-email).")
            return
        sent = overdue_notify(today=today)
        self.stdout.write(f"Emailed {sent} person(s) about their overdue tasks.")
