"""The 360Giving Data Standard (v1.4): export the partnership's programmes as grants, validate a
package against the real schema, and import a published file (organisations, grant programmes
as funding streams, grants as programmes) idempotently."""

from __future__ import annotations

import calendar
import json
from collections import Counter
from collections.abc import Callable
from datetime import date, datetime, timedelta
from decimal import Decimal
from functools import cache
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.db.models import F, Sum

from core.errors import ValidationFailed
from grants.models import FundingStream, Organisation, Programme, ProgrammePriority
from outcomes.models import Priority
from outcomes.periods import FinancialYear
from outcomes.selectors import current_plan

SCHEMA_DIR = Path(
    getattr(settings, "GIVING360_SCHEMA_DIR", settings.BASE_DIR / "grants" / "schema" / "360giving")
)
GRANT_SCHEMA_URLS = [
    "https://raw.githubusercontent.com/ThreeSixtyGiving/standard/1.4.3/schema/360-giving-schema.json",
    "https://raw.githubusercontent.com/ThreeSixtyGiving/standard/1.4.2/schema/360-giving-schema.json",
]
IMPORTED_PRIORITY = "Imported (unclassified)"


# --- export ----------------------------------------------------------------------------------


def grant_id(programme: Programme) -> str:
    return f"360G-SSP-{programme.reference}"


def export_package(programmes) -> dict:
    """The programmes as a 360Giving package: one grant per programme."""
    rows = programmes.select_related("provider", "funding_stream__funder").prefetch_related("wards")
    return {"grants": [_grant(p) for p in rows], "version": "1.4"}


def _grant(programme: Programme) -> dict:
    stream = programme.funding_stream
    grant = {
        "id": grant_id(programme),
        "title": programme.title,
        "description": programme.description or programme.title,
        "currency": "GBP",
        "amountAwarded": float(programme.award_amount),
        "awardDate": programme.start_date.isoformat(),
        "plannedDates": [
            {"startDate": programme.start_date.isoformat(), "endDate": programme.end_date.isoformat()}
        ],
        "recipientOrganization": [{"id": programme.provider.org_id, "name": programme.provider.name}],
        "fundingOrganization": [{"id": stream.funder.org_id, "name": stream.funder.name}],
        "grantProgramme": [{"code": stream.code, "title": f"{stream.name} {stream.financial_year}"}],
        "dateModified": programme.updated_at.isoformat(),
    }
    wards = [
        {"name": ward.name, **({"geoCode": ward.code} if ward.code else {})} for ward in programme.wards.all()
    ]
    if wards:
        grant["beneficiaryLocation"] = wards
    return grant


CSV_COLUMNS = [
    "Identifier",
    "Title",
    "Description",
    "Currency",
    "Amount Awarded",
    "Award Date",
    "Planned Dates:Start Date",
    "Planned Dates:End Date",
    "Recipient Org:Identifier",
    "Recipient Org:Name",
    "Funding Org:Identifier",
    "Funding Org:Name",
    "Grant Programme:Code",
    "Grant Programme:Title",
    "Last modified",
]


def csv_rows(package: dict) -> list[list]:
    """The package flattened to 360Giving's spreadsheet column titles."""
    return [
        [
            g["id"],
            g["title"],
            g["description"],
            g["currency"],
            g["amountAwarded"],
            g["awardDate"],
            g["plannedDates"][0]["startDate"],
            g["plannedDates"][0]["endDate"],
            g["recipientOrganization"][0]["id"],
            g["recipientOrganization"][0]["name"],
            g["fundingOrganization"][0]["id"],
            g["fundingOrganization"][0]["name"],
            g["grantProgramme"][0]["code"],
            g["grantProgramme"][0]["title"],
            g["dateModified"],
        ]
        for g in package["grants"]
    ]


# --- validation ------------------------------------------------------------------------------


def validation_errors(data) -> list[str]:
    """Every way `data` breaks the 360Giving package schema (with format checking), as text."""
    from jsonschema import Draft202012Validator

    validator = Draft202012Validator(
        _schemas()[0], registry=_registry(), format_checker=Draft202012Validator.FORMAT_CHECKER
    )
    errors = sorted(validator.iter_errors(data), key=lambda e: list(e.absolute_path))
    return [_describe(e) for e in errors[:200]]


def _describe(error) -> str:
    """One line per error; for "none of the alternatives" errors, the most telling sub-error,
    since the top-level message repeats the whole grant."""
    from jsonschema.exceptions import best_match

    if error.context:
        error = best_match(error.context)
    path = "/".join(str(p) for p in error.absolute_path) or "(top level)"
    message = error.message if len(error.message) <= 200 else error.message[:197] + "..."
    return f"{path}: {message}"


@cache
def _schemas() -> tuple[dict, dict]:
    package = json.loads((SCHEMA_DIR / "360-giving-package-schema.json").read_text())
    grant = json.loads((SCHEMA_DIR / "360-giving-schema.json").read_text())
    return package, grant


def _registry():
    from referencing import Registry
    from referencing.jsonschema import DRAFT202012

    # The published schemas name their dialect with http://, which `referencing` does not
    # recognise by itself; they are written to draft 2020-12.
    grant = DRAFT202012.create_resource(_schemas()[1])
    return Registry().with_resources([(url, grant) for url in GRANT_SCHEMA_URLS])


# --- import ----------------------------------------------------------------------------------


def import_package(data, *, progress: Callable[[int, int], None] | None = None) -> Counter:
    """Import a validated package in one transaction; running it again changes nothing.

    Grants become programmes (reference = the grant id), recipients providers, funders and grant
    programmes funding streams per financial year (their budget raised to cover the awards, since
    360Giving files carry no budgets). Imported programmes serve the current plan's
    "Imported (unclassified)" priority until a commissioner classifies them."""
    errors = validation_errors(data)
    if errors:
        raise ValidationFailed({"file": errors})
    summary: Counter = Counter()
    grants = data["grants"]
    with transaction.atomic():
        priority = _imported_priority(summary)
        for index, grant in enumerate(grants, start=1):
            _import_grant(grant, priority, summary)
            if progress:
                progress(index, len(grants))
        imported = FundingStream.objects.filter(code__startswith="360g-")
        for stream in imported.annotate(awarded=Sum("programmes__award_amount")).filter(
            awarded__gt=F("budget")
        ):
            stream.budget = stream.awarded
            stream.save(update_fields=["budget"])
    return summary


def _import_grant(grant: dict, priority: Priority, summary: Counter) -> None:
    if grant.get("currency") != "GBP":
        raise ValidationFailed(
            {"file": [f"{grant['id']}: only GBP grants can be imported, not {grant.get('currency')}."]}
        )
    recipient = _organisation((grant.get("recipientOrganization") or [None])[0], summary)
    if recipient is None:
        summary["skipped (grant to an individual)"] += 1
        return
    funder = _organisation(grant["fundingOrganization"][0], summary)
    start, end = _dates(grant)
    stream = _stream(grant, funder, start, summary)
    defaults = {
        "title": grant["title"][:200],
        "description": grant.get("description", ""),
        "provider": recipient,
        "funding_stream": stream,
        "award_amount": Decimal(str(grant["amountAwarded"])).quantize(Decimal("0.01")),
        "start_date": start,
        "end_date": end,
        "status": Programme.Status.COMPLETED if end < date.today() else Programme.Status.ACTIVE,  # noqa: DTZ011
    }
    programme = Programme.objects.filter(reference=grant["id"][:40]).first()
    if programme is None:
        programme = Programme.objects.create(reference=grant["id"][:40], **defaults)
        ProgrammePriority.objects.create(programme=programme, priority=priority, is_primary=True)
        summary["programmes created"] += 1
    elif any(getattr(programme, k) != v for k, v in defaults.items()):
        for key, value in defaults.items():
            setattr(programme, key, value)
        programme.save()
        summary["programmes updated"] += 1
    else:
        summary["programmes unchanged"] += 1


def _organisation(data: dict | None, summary: Counter) -> Organisation | None:
    if not data:
        return None
    org_type = {
        "GB-LAE": "statutory",
        "GB-LAS": "statutory",
        "GB-GOR": "government",
        "GB-COH": "private",
    }.get(data["id"][:6], "voluntary")
    organisation, created = Organisation.objects.get_or_create(
        org_id=data["id"],
        defaults={
            "name": data["name"][:200],
            "org_type": org_type,
            "postcode": data.get("postalCode", "")[:10],
        },
    )
    summary["organisations created" if created else "organisations found"] += 1
    return organisation


def _stream(grant: dict, funder: Organisation, start: date, summary: Counter) -> FundingStream:
    programme_title = ((grant.get("grantProgramme") or [{}])[0]).get("title") or funder.name
    year = FinancialYear.containing(start).label
    code = f"360g-{funder.org_id}-{programme_title}-{year}".lower()
    code = "".join(c if c.isalnum() else "-" for c in code)[:50]
    stream, created = FundingStream.objects.get_or_create(
        code=code,
        defaults={
            "name": f"{programme_title} ({funder.name})"[:200],
            "funder": funder,
            "financial_year": year,
            "budget": Decimal("0"),
        },
    )
    if created:
        summary["funding streams created"] += 1
    return stream


def _dates(grant: dict) -> tuple[date, date]:
    planned = (grant.get("plannedDates") or [{}])[0]
    start = _date(planned.get("startDate") or grant["awardDate"])
    if planned.get("endDate"):
        end = _date(planned["endDate"])
    else:
        end = _add_months(start, int(planned.get("duration") or 12)) - timedelta(days=1)
    return start, max(end, start + timedelta(days=1))


def _date(text: str) -> date:
    return (
        datetime.fromisoformat(text.replace("Z", "+00:00")).date()
        if "T" in text
        else date.fromisoformat(text[:10])
    )


def _add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _imported_priority(summary: Counter) -> Priority:
    plan = current_plan()
    if plan is None:
        raise ValidationFailed(
            {"file": ["Set up the partnership's plan before importing grants (load_demo or the admin)."]}
        )
    priority, created = Priority.objects.get_or_create(
        plan=plan, slug="imported-unclassified", defaults={"name": IMPORTED_PRIORITY, "order": 99}
    )
    if created:
        summary["priority created"] += 1
    return priority
