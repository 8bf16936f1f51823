"""`manage.py audit_verify`: walk the audit log's hash chain and report the first broken or missing link."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from porchlight.accounts.models import AuditEvent
from porchlight.accounts.selectors import audit_chain_verify


class Command(BaseCommand):
    help = "Check the audit log's hash chain; exit with an error at the first broken or missing link."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--head",
            metavar="SEQ:HASH",
            help="A head printed by an earlier run: check that this row is still there, unchanged "
            "(removing the newest rows leaves no gap in the chain, so only a recorded head shows it).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        report = audit_chain_verify()
        if not report.ok:
            raise CommandError(
                f"Audit log chain broken at row seq={report.broken_seq} (id {report.broken_id}): "
                f"{report.problem}. The {report.checked} rows before it are intact."
            )
        if options["head"]:
            seq, _, digest = options["head"].partition(":")
            if not AuditEvent.objects.filter(seq=int(seq), hash=digest.strip()).exists():
                raise CommandError(f"The recorded head seq={seq} is gone or changed: rows were removed.")
        if report.head_seq is None:
            self.stdout.write("The audit log is empty.")
            return
        self.stdout.write(
            self.style.SUCCESS(f"Audit log intact: {report.checked} rows.")
            + f"\nHead: {report.head_seq}:{report.head_hash}"
            + "\nKeep the head somewhere else (a ticket, the logs) and pass it to a later run with --head."
        )
