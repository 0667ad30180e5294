"""Recompute the per-year totals the value-for-money engine reads (MeasureYearTotal and
ProgrammeYearSpend) from every target and return, and reinstall their triggers. Triggers keep the
totals right on every write; this is for after a restore made with triggers disabled
(pg_restore --disable-triggers) or any doubt. Safe to run at any time; one transaction."""

import time

from django.core.management.base import BaseCommand

from grants import totals


class Command(BaseCommand):
    help = "Recompute the value-for-money totals from the targets and returns, and reinstall their triggers."

    def handle(self, *args, **options) -> None:
        missing = sorted(set(totals.trigger_names()) - totals.installed_triggers())
        if missing:
            self.stdout.write(self.style.WARNING(f"Triggers missing, reinstalling: {', '.join(missing)}"))
        totals.install()
        self.stdout.write("Recomputing the totals from every target and return...")
        started = time.perf_counter()
        measure_years, programme_years = totals.rebuild()
        self.stdout.write(
            self.style.SUCCESS(
                f"Rebuilt {measure_years:,} measure-year totals and {programme_years:,} programme-year "
                f"spend totals in {time.perf_counter() - started:.1f} s."
            )
        )
