"""Delete the PDFs of funding reviews older than the retention period (REPORT_RETENTION_DAYS,
default 30), keeping each job as the record of who asked for what and when, and mark jobs stuck
in the queue or half-built for more than a day as failed. Run daily from cron; see docs/deploy.md."""

from django.core.management.base import BaseCommand, CommandError

from commissioning.reports.services import purge_reports, retention_days
from core.errors import ValidationFailed


class Command(BaseCommand):
    help = "Delete funding review PDFs older than the retention period; fail jobs stuck for over a day."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--older-than",
            type=int,
            metavar="DAYS",
            help="Delete PDFs finished more than DAYS days ago "
            f"(default: REPORT_RETENTION_DAYS, now {retention_days()}).",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Say what would be deleted or failed; change nothing."
        )

    def handle(self, *args, older_than: int | None, dry_run: bool, **options) -> None:
        if older_than is not None and older_than < 0:
            raise CommandError("--older-than must be 0 days or more.")
        mode = " (dry run: nothing will be changed)" if dry_run else ""
        self.stdout.write(f"Purging funding reviews{mode}:")
        try:
            summary = purge_reports(older_than_days=older_than, dry_run=dry_run, progress=self.stdout.write)
        except ValidationFailed as exc:
            raise CommandError(exc.message) from None
        would = "Would delete" if dry_run else "Deleted"
        fail = "would mark" if dry_run else "marked"
        self.stdout.write(
            self.style.SUCCESS(
                f"{would} {summary.purged} PDF{_s(summary.purged)} ({_size(summary.bytes_freed)}); "
                f"{fail} {summary.stuck} stuck job{_s(summary.stuck)} as failed."
            )
        )


def _s(n: int) -> str:
    return "" if n == 1 else "s"


def _size(n: int) -> str:
    if n < 1024:
        return f"{n:,} bytes"
    if n < 1024 * 1024:
        return f"{n / 1024:,.1f} KB"
    return f"{n / (1024 * 1024):,.1f} MB"
