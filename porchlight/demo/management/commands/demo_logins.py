"""`manage.py demo_logins`: print the demo sign-ins (one per role) as a small table."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from porchlight.accounts.models import User
from porchlight.accounts.roles import Role
from porchlight.demo.logins import DEMO_LOGINS, DEMO_PASSWORD, DEMO_URL


class Command(BaseCommand):
    help = "Print the demo city's sign-ins: username, role, team and the shared demo password."

    def handle(self, *args: object, **options: object) -> None:
        existing = set(
            User.objects.filter(username__in=[d.username for d in DEMO_LOGINS]).values_list(
                "username", flat=True
            )
        )
        rows = [("username", "role", "team", "password")]
        rows += [(d.username, str(Role(d.role).label), d.team, DEMO_PASSWORD) for d in DEMO_LOGINS]
        widths = [max(len(row[i]) for row in rows) for i in range(4)]
        self.stdout.write(f"Porchlight demo — sign in at {DEMO_URL}")
        for n, row in enumerate(rows):
            self.stdout.write("  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip())
            if n == 0:
                self.stdout.write("  ".join("-" * w for w in widths))
        missing = [d.username for d in DEMO_LOGINS if d.username not in existing]
        if missing:
            self.stdout.write(
                self.style.WARNING(
                    f"Not in this database yet: {', '.join(missing)} — run `manage.py demo` first."
                )
            )
