"""The default GDP deflator series: HM Treasury's March 2015 (Budget 2015) series, as the Unit
Cost Database v1.4's Lookups sheet holds it (outcomes.prices), so that unit costs can be uprated
before any series is loaded. manage.py import_unit_costs reloads it from the workbook;
manage.py load_deflators adds newer ones."""

from decimal import Decimal

from django.db import migrations

from outcomes.prices import (
    HMT_MARCH_2015_CHANGES,
    HMT_MARCH_2015_NAME,
    HMT_MARCH_2015_SOURCE,
    index_from_changes,
)


def create(apps, schema_editor):
    Series = apps.get_model("outcomes", "DeflatorSeries")
    Year = apps.get_model("outcomes", "DeflatorYear")
    series, created = Series.objects.get_or_create(
        name=HMT_MARCH_2015_NAME, defaults={"source": HMT_MARCH_2015_SOURCE}
    )
    if created:
        Year.objects.bulk_create(
            Year(series=series, financial_year=year, index=Decimal(repr(index)).quantize(Decimal("0.00000001")),
                 forecast=forecast)
            for year, index, forecast in index_from_changes(HMT_MARCH_2015_CHANGES)
        )  # fmt: skip


class Migration(migrations.Migration):
    dependencies = [("outcomes", "0005_unit_costs_and_green_book")]
    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
