"""Load a GDP deflator series from CSV (columns financial_year, index and optionally forecast),
naming it and its source. Loading the same name again replaces its years. The newest series
loaded is the one review rounds use unless a round names another."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from core.errors import ValidationFailed
from outcomes.services.unit_costs import deflator_series_load
from outcomes.unit_cost_workbook import read_deflator_csv

MAX_BYTES = 1024 * 1024


class Command(BaseCommand):
    help = "Load a GDP deflator series from a CSV of financial_year,index[,forecast]."

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", help="Path to the CSV.")
        parser.add_argument(
            "--name",
            required=True,
            help='The series\' name, e.g. "HM Treasury GDP deflators, December 2025".',
        )
        parser.add_argument("--source", required=True, help="Publisher, date and address of the series.")

    def handle(self, *args, file: str, name: str, source: str, **options) -> None:
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"There is no file at {file}.")
        if path.stat().st_size > MAX_BYTES:
            raise CommandError(f"{file} is larger than 1 MB; a deflator series is a few dozen rows.")
        try:
            years = read_deflator_csv(path.read_bytes())
            self.stdout.write(f"Read {len(years)} years, {years[0][0]} to {years[-1][0]}.")
            series, created = deflator_series_load(name=name, source=source, years=years)
        except ValidationFailed as exc:
            problems = [m for messages in exc.errors.values() for m in messages]
            shown = "\n".join(f"  - {p}" for p in problems[:50])
            raise CommandError(f"The series was rejected and nothing was saved:\n{shown}") from exc
        forecasts = sum(1 for _, _, forecast in years if forecast)
        self.stdout.write(
            self.style.SUCCESS(
                f"{'Created' if created else 'Replaced'} {series.name!r}: {len(years)} years "
                f"({forecasts} forecast)."
            )
        )
