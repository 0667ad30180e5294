"""manage.py purge_participants: delete the links to participants past the retention period."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from claims.services.retention import participants_purge
from core.clock import today
from core.errors import DomainError


class Command(BaseCommand):
    help = (
        "Delete the links to every participant whose programmes all ended more than the retention "
        "period ago (PARTICIPANT_RETENTION_YEARS): their pseudonym, enrolment answers, claim notes "
        "and evidence files. Claim counts and payments are kept. See docs/data-protection.md."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="Count what would be purged; change nothing."
        )
        parser.add_argument(
            "--years",
            type=int,
            default=None,
            help="Whole years kept after a programme ends (default: PARTICIPANT_RETENTION_YEARS).",
        )

    def handle(self, *args, dry_run: bool, years: int | None, **options):
        years = settings.YARDSTICK["PARTICIPANT_RETENTION_YEARS"] if years is None else years

        def progress(done: int, total: int) -> None:
            self.stdout.write(f"  {'checked' if dry_run else 'purged'} {done:,} of {total:,} participants")

        try:
            summary = participants_purge(today=today(), years=years, dry_run=dry_run, progress=progress)
        except DomainError as exc:
            raise CommandError(str(exc)) from exc
        verb = "Would purge" if dry_run else "Purged"
        self.stdout.write(
            self.style.SUCCESS(
                f"{verb} {summary.participants:,} participants whose programmes all ended before "
                f"{summary.cutoff:%d %B %Y} ({years} years kept): "
                f"{summary.enrolments:,} enrolments' answers, "
                f"{summary.evidence_files:,} evidence files; {summary.claims_kept:,} claims and every "
                "payment kept."
            )
        )
        if dry_run:
            self.stdout.write("Dry run: nothing was changed.")
