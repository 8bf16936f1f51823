"""`manage.py hsds import <path>` / `manage.py hsds export <path> --format zip|json`: the directory in HSDS.

The same import and export as the web page (porchlight.directory.hsds.services), from a terminal.
"""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from porchlight.accounts.models import User
from porchlight.directory.hsds.services import FORMATS, HsdsImportError, hsds_export, hsds_import


class Command(BaseCommand):
    help = "Import or export the program directory as an Open Referral HSDS 3.0 CSV package (.zip) or JSON."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="import|export")
        load = actions.add_parser(
            "import", help="Check a .zip or .json file, then import all of it or nothing."
        )
        load.add_argument("path", type=Path)
        load.add_argument("--user", help="Username recorded in the audit log.")
        dump = actions.add_parser("export", help="Write the whole directory to a file.")
        dump.add_argument("path", type=Path)
        dump.add_argument(
            "--format", dest="fmt", choices=sorted(FORMATS), help="Default: from the file name."
        )
        dump.add_argument("--user", help="Username recorded in the audit log.")

    def handle(
        self, *args: object, action: str, path: Path, user: str | None = None, **options: object
    ) -> None:
        actor = None
        if user:
            actor = User.objects.filter(username=user).first()
            if actor is None:
                raise CommandError(f"No user named {user!r}.")
        if action == "export":
            fmt = str(options.get("fmt") or path.suffix.lstrip(".").lower() or "zip")
            if fmt not in FORMATS:
                raise CommandError("Say --format zip or --format json.")
            content, _name, _type = hsds_export(fmt=fmt, actor=actor)
            try:
                path.write_bytes(content)
            except OSError as exc:
                raise CommandError(f"Cannot write {path}: {exc.strerror}") from exc
            self.stdout.write(self.style.SUCCESS(f"Wrote the directory to {path} ({len(content):,} bytes)."))
            return
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"Cannot read {path}: {exc.strerror}") from exc
        try:
            summary = hsds_import(data=data, file_name=path.name, actor=actor)
        except HsdsImportError as exc:
            for error in exc.errors:
                self.stderr.write(str(error))
            raise CommandError(
                f"Import failed with {len(exc.errors)} error(s); nothing was written."
            ) from exc
        self.stdout.write(self.style.SUCCESS(f"Imported {path.name}: {summary}."))
