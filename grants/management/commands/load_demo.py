"""Load the Safer Southwark demo data: idempotent, one transaction, prints what it did."""

from collections import Counter
from importlib import import_module

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction


class Command(BaseCommand):
    help = "Load (or refresh) the Safer Southwark Partnership demo data and demo accounts."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--force", action="store_true", help="Load even with DEBUG off (never on a live system)."
        )

    def handle(self, *args, force: bool = False, **options) -> None:
        allowed = settings.DEBUG or settings.YARDSTICK.get("ALLOW_DEMO_DATA") or force
        if not allowed:
            raise CommandError(
                "Refusing to load demo data with DEBUG off: demo accounts share a published password. "
                "Set ALLOW_DEMO_DATA=true or pass --force if this really is a demonstration system."
            )
        totals: Counter = Counter()
        with transaction.atomic():
            for path in settings.YARDSTICK["DEMO_LOADERS"]:
                loader = self._import(path)
                if loader is None:
                    self.stdout.write(f"Skipped {path}: not installed.")
                    continue
                totals.update(loader(log=self.stdout.write) or {})
        if totals:
            made = ", ".join(f"{n} {model}" for model, n in sorted(totals.items()))
            self.stdout.write(self.style.SUCCESS(f"Created {made}."))
        else:
            self.stdout.write(self.style.SUCCESS("Demo data already up to date; nothing new created."))

    @staticmethod
    def _import(path: str):
        module_path, _, name = path.rpartition(".")
        try:
            module = import_module(module_path)
        except ModuleNotFoundError as exc:
            if exc.name == module_path:
                return None
            raise
        return getattr(module, name)
