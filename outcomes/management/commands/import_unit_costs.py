"""Load GMCA's Unit Cost Database (v1.4 layout): its cost lines, keyed by cost code, and the GDP
deflator series in its Lookups sheet. Idempotent: a second run changes nothing. A file with any
problem is rejected with every problem listed and nothing saved."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from core.errors import ValidationFailed
from outcomes.prices import HMT_MARCH_2015_NAME, HMT_MARCH_2015_SOURCE, uprating_factor
from outcomes.services.unit_costs import deflator_series_load, unit_cost_lines_import
from outcomes.unit_cost_workbook import ATTRIBUTION, read_workbook

MAX_BYTES = 20 * 1024 * 1024


class Command(BaseCommand):
    help = "Import the Unit Cost Database v1.4 workbook (.xlsx): cost lines and its GDP deflator series."

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", help="Path to unit-cost-database-v1.4.xlsx.")

    def handle(self, *args, file: str, **options) -> None:
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"There is no file at {file}.")
        if path.stat().st_size > MAX_BYTES:
            raise CommandError(
                f"{file} is larger than {MAX_BYTES // (1024 * 1024)} MB; it is not the database."
            )
        self.stdout.write(f"Reading {path.name}...")
        try:
            book = read_workbook(path.read_bytes())
        except ValidationFailed as exc:
            problems = exc.errors.get("file", [exc.message])
            shown = "\n".join(f"  - {p}" for p in problems[:50])
            raise CommandError(f"The workbook was rejected and nothing was saved:\n{shown}") from exc
        self.stdout.write(
            f"Found {len(book.lines)} cost lines and a deflator series of {len(book.deflators)} years."
        )
        step = max(len(book.lines) // 10, 1)

        def progress(done: int, total: int) -> None:
            if done % step == 0 or done == total:
                self.stdout.write(f"  {done}/{total} cost lines")

        try:
            summary = unit_cost_lines_import(book.lines, progress=progress)
            _, created = deflator_series_load(
                name=HMT_MARCH_2015_NAME, source=HMT_MARCH_2015_SOURCE, years=book.deflators
            )
        except ValidationFailed as exc:
            raise CommandError(f"{exc.message} Nothing was saved.") from exc
        series = {year: index for year, index, _ in book.deflators}
        differ = [
            line.code
            for line in book.lines
            for kind, (value, year) in line.values.items()
            if value is not None
            and line.uprated[kind] is not None
            and book.current_year
            and abs(float(value) * uprating_factor(series, year, book.current_year) - line.uprated[kind])
            > 0.01
        ]
        with_value = {
            kind: sum(1 for line in book.lines if line.values[kind][0] is not None)
            for kind in ("fiscal", "economic", "social")
        }
        self.stdout.write("")
        self.stdout.write(
            f"  cost lines created: {summary['created']}, updated: {summary['updated']}, "
            f"unchanged: {summary['unchanged']}"
        )
        self.stdout.write(
            f"  with a fiscal value: {with_value['fiscal']}, economic: {with_value['economic']}, "
            f"social: {with_value['social']}"
        )
        self.stdout.write(
            f"  benefit payments marked as transfers: {sum(line.is_transfer for line in book.lines)}"
        )
        self.stdout.write(
            f"  deflator series {HMT_MARCH_2015_NAME!r}: {'created' if created else 'reloaded'}, "
            f"{len(book.deflators)} years"
        )
        reproduced = "all" if not differ else f"all but {len(differ)} ({', '.join(differ[:10])})"
        self.stdout.write(
            f"  the workbook's own uprated values ({book.current_year} prices) reproduced by the series: "
            f"{reproduced}"
        )
        for line in book.skipped:
            self.stdout.write(f"  left out: {line}")
        self.stdout.write(
            self.style.SUCCESS(
                f"Import complete. Show the attribution wherever these values appear: {ATTRIBUTION}."
            )
        )
