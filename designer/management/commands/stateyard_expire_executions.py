"""Delete finished executions older than their workflow's retention (``retention_days``)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from designer.services.retention import executions_expire


class Command(BaseCommand):
    help = "Delete finished executions (and their history) past their workflow's retention."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--dry-run", action="store_true", help="Count what would be deleted; delete nothing."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        count = executions_expire(dry_run=options["dry_run"])
        verb = "would be deleted" if options["dry_run"] else "deleted"
        self.stdout.write(f"{count} expired execution(s) {verb}.")
