"""manage.py rotate_participant_key: re-key every participant's pseudonym in one transaction."""

import os

from django.core.management.base import BaseCommand, CommandError

from claims.services import participant_key_rotate
from core.errors import DomainError


class Command(BaseCommand):
    help = (
        "Carry every participant's pseudonym under a new key, all or nothing. The new key is read "
        "from an environment variable (never the command line, which other users can see). Then set "
        "PARTICIPANT_KEY to the old value, a comma, and the new key, and restart. See "
        "docs/data-protection.md."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--new-key-env",
            default="PARTICIPANT_KEY_NEW",
            help="The environment variable holding the new key (default PARTICIPANT_KEY_NEW).",
        )

    def handle(self, *args, new_key_env: str, **options):
        new_key = os.environ.get(new_key_env, "").strip()
        if not new_key:
            raise CommandError(f"Set {new_key_env} to the new key (at least 32 characters) first.")
        if "," in new_key:
            raise CommandError("The new key may not contain a comma (the chain is comma-separated).")

        def progress(done: int, total: int) -> None:
            self.stdout.write(f"  re-keyed {done:,} of {total:,} participants")

        try:
            changed = participant_key_rotate(new_key=new_key.encode(), progress=progress)
        except DomainError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(self.style.SUCCESS(f"Re-keyed {changed:,} participants in one transaction."))
        self.stdout.write(
            "Now set PARTICIPANT_KEY to its current value followed by a comma and the new key, and "
            "restart the server: enrolments are refused until it runs with the new chain."
        )
