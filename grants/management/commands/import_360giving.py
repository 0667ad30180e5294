"""Import a 360Giving JSON file, as a named commissioner or admin: organisations, grant
programmes as funding streams, grants as programmes. Idempotent. An invalid file, or one with any
grant refused (a clash with a programme an import did not create, a bad amount...), is rejected
with every problem listed and nothing saved."""

import sys

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from core.errors import DomainError, ValidationFailed
from core.files.uploads import parse_json
from grants.giving360 import import_package
from grants.permissions import Action, has_permission

USER_UNKNOWN = (
    "There is no user named {name!r}; --user names the commissioner or admin the import is done as."
)
USER_INACTIVE = "The user {name!r} is inactive, so cannot import grants."
USER_NOT_ALLOWED = (
    "The user {name!r} may not import grants: only commissioners and admins can create programmes."
)


class Command(BaseCommand):
    help = "Import grants from a 360Giving Data Standard JSON file (validated against the schema first)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", help="Path to the 360Giving JSON package.")
        parser.add_argument(
            "--user",
            required=True,
            metavar="NAME",
            help="Username of the commissioner or admin the import is done as; history records name them.",
        )
        parser.add_argument(
            "--max-bytes",
            type=int,
            default=settings.YARDSTICK["MAX_IMPORT_BYTES"],
            help="Refuse larger files (default from MAX_IMPORT_BYTES).",
        )

    def handle(self, *args, file: str, max_bytes: int, user: str, **options) -> None:
        acting = self._user(user)
        data = self._read(file, max_bytes)
        self.stdout.write(
            f"Validating {len(data.get('grants', [])) if isinstance(data, dict) else 0} grants "
            "against the 360Giving schema..."
        )
        try:
            summary = import_package(data, user=acting, progress=self._progress)
        except ValidationFailed as exc:
            problems = exc.errors.get("file", [exc.message])
            shown = "\n".join(f"  - {p}" for p in problems[:50])
            more = f"\n  ... and {len(problems) - 50} more" if len(problems) > 50 else ""
            raise CommandError(f"The file was rejected and nothing was saved:\n{shown}{more}") from exc
        except DomainError as exc:
            raise CommandError(f"{exc.message} Nothing was saved.") from exc
        self.stdout.write("")
        for key, count in sorted(summary.items()):
            self.stdout.write(f"  {key}: {count}")
        self.stdout.write(
            self.style.SUCCESS(
                "Import complete. Imported programmes serve the "
                "'Imported (unclassified)' priority until classified."
            )
        )

    def _user(self, name: str):
        """The commissioner or admin the import is done as, or a CommandError saying why not."""
        acting = get_user_model().objects.filter(username=name).first()
        if acting is None:
            raise CommandError(USER_UNKNOWN.format(name=name))
        if not acting.is_active:
            raise CommandError(USER_INACTIVE.format(name=name))
        if not has_permission(Action.PROGRAMME_CHANGE, acting)[0]:
            raise CommandError(USER_NOT_ALLOWED.format(name=name))
        return acting

    def _read(self, path: str, max_bytes: int):
        try:
            with open(path, "rb") as handle:
                raw = handle.read(max_bytes + 1)
        except OSError as exc:
            raise CommandError(f"Cannot read {path}: {exc.strerror}.") from exc
        if len(raw) > max_bytes:
            raise CommandError(
                f"{path} is larger than {max_bytes:,} bytes; raise --max-bytes if it is genuine."
            )
        try:
            # Bad syntax, encoding, NaN, absurd nesting: a clear message.
            data = parse_json(raw, subject=str(path))
        except ValidationFailed as exc:
            raise CommandError(f"{exc.errors['file'][0]} Nothing was saved.") from exc
        if not isinstance(data, dict):
            raise CommandError(
                f"{path} is not valid JSON for import: it holds a {type(data).__name__}, but a 360Giving "
                'package is an object with a "grants" list. Nothing was saved.'
            )
        return data

    def _progress(self, done: int, total: int) -> None:
        if done % 25 and done != total:
            return
        width = 30
        filled = int(width * done / total)
        sys.stdout.flush()
        self.stdout.write(f"\r  [{'#' * filled}{'.' * (width - filled)}] {done}/{total} grants", ending="")
        self.stdout.flush()
