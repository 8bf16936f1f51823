"""`manage.py db_roles`: set up the PostgreSQL owner and application roles (docs/security.md)."""

import secrets
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from porchlight.accounts.database import db_roles_apply


class Command(BaseCommand):
    help = (
        "Create or update the PostgreSQL roles: an owner that runs migrations and an application role that "
        "cannot rewrite the audit log. Run it once as a superuser, and again after each `migrate`."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--owner", default="porchlight_owner", help="owner role (runs migrations)")
        parser.add_argument("--app", default="porchlight_app", help="role the web and worker processes use")
        parser.add_argument("--owner-password", help="set this password (default: a new random one)")
        parser.add_argument("--app-password", help="set this password (default: a new random one)")
        parser.add_argument(
            "--keep-passwords", action="store_true", help="leave existing roles' passwords as they are"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        def password(given: str | None) -> str | None:
            if given or options["keep_passwords"]:
                return given
            return secrets.token_urlsafe(24)

        try:
            urls = db_roles_apply(
                owner=options["owner"],
                app=options["app"],
                owner_password=password(options["owner_password"]),
                app_password=password(options["app_password"]),
            )
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(self.style.SUCCESS("Roles ready."))
        self.stdout.write(f"Migrations (migrate, then db_roles again):\n  DATABASE_URL={urls.owner}")
        self.stdout.write(f"The web server and the worker:\n  DATABASE_URL={urls.app}")
