"""E-mail return reminders: providers (returns due within --days days, or late) and
commissioners (returns waiting for verification). Safe to run as often as you like: nobody is
reminded twice about the same return for the same reason. Run daily from cron; see docs/deploy.md."""

from datetime import date

from django.core.management.base import BaseCommand, CommandError

from core import clock
from grants.reminders import send_reminders


class Command(BaseCommand):
    help = "E-mail providers about returns due soon or late, and commissioners about returns to verify."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--date", help="Act as if today were this day (YYYY-MM-DD); default: today, Europe/London."
        )
        parser.add_argument(
            "--days", type=int, default=7, help="Remind about returns due within this many days (default 7)."
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Say who would be e-mailed what; send and record nothing."
        )

    def handle(self, *args, date: str | None, days: int, dry_run: bool, **options) -> None:
        today = self._today(date)
        if days < 0:
            raise CommandError("--days must be 0 or more.")
        mode = " (dry run: nothing will be sent)" if dry_run else ""
        self.stdout.write(f"Return reminders for {today:%Y-%m-%d}, due within {days} days{mode}:")
        summary = send_reminders(today=today, days=days, dry_run=dry_run, progress=self.stdout.write)
        items = summary.items
        verb = "Would send" if dry_run else "Sent"
        self.stdout.write(
            self.style.SUCCESS(
                f"{verb} {summary.sent} e-mail{'s' if summary.sent != 1 else ''}: "
                f"{items['due_soon']} due soon, {items['late']} late, "
                f"{items['awaiting_verification']} waiting for verification."
            )
        )
        notes = []
        if summary.already_sent:
            notes.append(f"{summary.already_sent} already reminded about before")
        if summary.no_address:
            notes.append(f"{summary.no_address} people without an e-mail address")
        if summary.raced:
            notes.append(f"{summary.raced} e-mails sent by another run at the same time")
        if notes:
            self.stdout.write("Skipped: " + "; ".join(notes) + ".")
        if summary.failed:
            raise CommandError(
                f"{summary.failed} e-mail{'s' if summary.failed != 1 else ''} could not be sent "
                "(see above); they will be tried again on the next run."
            )

    @staticmethod
    def _today(value: str | None) -> date:
        if not value:
            return clock.today()
        try:
            return date.fromisoformat(value)
        except ValueError:
            raise CommandError(f'--date must be a day written YYYY-MM-DD, not "{value}".') from None
