"""The 360Giving Data Standard (v1.4): export the partnership's programmes as grants, validate a
package against the real schema, and import a published file (organisations, grant programmes
as funding streams, grants as programmes) idempotently."""

from __future__ import annotations

import calendar
import json
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation
from functools import cache
from pathlib import Path

from django.conf import settings
from django.db import DatabaseError, transaction
from django.db.models import Sum

from core import clock
from core.errors import DomainError, NotPermitted, ValidationFailed
from core.formatting import gbp
from grants.models import FundingStream, Organisation, Programme
from grants.permissions import Action, has_permission
from grants.services import programme_create, programme_update
from grants.services._common import save_with_history, validate
from grants.services.programmes import records_outside_dates
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
OWN_PREFIX = "360G-SSP-"  # this partnership's grant identifiers: its programmes, exported


# --- export ----------------------------------------------------------------------------------


def grant_id(programme: Programme) -> str:
    return f"{OWN_PREFIX}{programme.reference}"


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

# What marks a row as made by an import: the change reason on its history records. An import
# updates only programmes and funding streams whose creation record carries it.
IMPORT_REASON = "360Giving import"
MAX_AWARD = Decimal("999999999999.99")  # an award's MoneyField: 14 digits, 2 of them pence
ORG_ID_PATTERN = re.compile(r"^[A-Z0-9]{2,5}-[A-Z0-9]+-.+$")  # as Organisation's check constraint
REFERENCE_MAX = Programme._meta.get_field("reference").max_length

# Refusals. Each names the grant; the command lists them under the grant's place in the file
# ("grants/3: ..."), and a file with any refusal changes nothing.
NOT_PERMITTED = "{user} may not import grants: only commissioners and admins can create programmes."
CLASH = (
    "Grant {grant} clashes with programme {reference}, which was not created by an import; "
    "it was left unchanged."
)
STREAM_CLASH = (
    "Grant {grant} would be funded from the funding stream {stream}, which was not created by an "
    "import; it was left unchanged."
)
STREAM_NAME_TAKEN = (
    "Grant {grant} would create the funding stream {stream}, but another stream already has that "
    "name for {year}; it was not imported."
)
OWN_EXPORT = "Grant {grant} is this partnership's own export of programme {reference}; it was not imported."
DUPLICATE = "Grant {grant} appears more than once in the file (first at grants/{first}); it was not imported."
ID_TOO_LONG = (
    "Grant {grant} has an identifier longer than {limit} characters, the longest programme "
    "reference; it was not imported."
)
NOT_GBP = "Grant {grant} is in {currency}; only GBP grants can be imported."
AMOUNT_NEGATIVE = "Grant {grant} awards {amount}; an award cannot be negative, so it was not imported."
AMOUNT_NOT_A_NUMBER = "Grant {grant} awards {amount}, which is not an amount of money; it was not imported."
AMOUNT_TOO_LARGE = (
    "Grant {grant} awards {amount}, more than the largest award Yardstick can hold "
    "(£999,999,999,999.99); it was not imported."
)
BAD_ORG_ID = (
    "Grant {grant}: the {role} organisation's identifier {org_id!r} is not an org-id such as "
    "GB-CHC-1234567; it was not imported."
)
BAD_DATES = "Grant {grant} has dates that cannot be read ({detail}); it was not imported."
RECORDS_OUTSIDE_DATES = (
    "Grant {grant} would move programme {reference} to {dates}, leaving its {records} outside "
    "them; it was left unchanged."
)
REFUSED = "Grant {grant} was refused: {reason}"


@dataclass
class _Plan:
    """One grant, checked, and what importing it would write."""

    index: int
    grant: dict
    reference: str
    award: Decimal
    start: date
    end: date
    recipient: dict | None = None
    funder: dict | None = None
    stream_code: str = ""
    stream_name: str = ""
    year: str = ""
    existing: Programme | None = None
    status: str = ""
    provider: Organisation | None = None

    @property
    def counted(self) -> bool:
        return self.status != Programme.Status.DECOMMISSIONED


def import_package(data, *, user, progress: Callable[[int, int], None] | None = None) -> Counter:
    """Import a validated package in one transaction, as `user`; running it again changes nothing.

    Grants become programmes (reference = the grant id), recipients providers, funders and grant
    programmes funding streams per financial year (their budget raised to cover the awards, since
    360Giving files carry no budgets). Programmes are written through grants.services, so the
    same rules apply as in the admin and the API, and history names `user`. Imported programmes
    serve the current plan's "Imported (unclassified)" priority until a commissioner classifies
    them.

    An import may change only what an import created. Every grant is checked before anything is
    written; if any is refused, ValidationFailed lists every refusal ("grants/<n>: ...") and the
    database is left as it was."""
    if not has_permission(Action.PROGRAMME_CHANGE, user)[0]:
        raise NotPermitted(NOT_PERMITTED.format(user=user))
    errors = validation_errors(data)
    if errors:
        raise ValidationFailed({"file": errors})
    summary: Counter = Counter()
    grants = data["grants"]
    plans, problems = _check_grants(grants, summary)
    problems = sorted(problems + _check_against_database(plans), key=_place)
    if problems:
        raise ValidationFailed({"file": problems})
    with transaction.atomic():
        priority = _imported_priority(summary)
        streams, raised = _prepare_streams(plans, user, summary)
        for done, plan in enumerate(plans, start=1):
            try:
                with transaction.atomic():
                    _write_programme(plan, streams[plan.stream_code], priority, user, summary)
            except DomainError as exc:
                problems.append(_at(plan, REFUSED.format(grant=plan.reference, reason=_reasons(exc))))
            except DatabaseError as exc:
                reason = f"the database refused it ({str(exc).strip().splitlines()[0]})."
                problems.append(_at(plan, REFUSED.format(grant=plan.reference, reason=reason)))
            if progress:
                progress(done, len(plans))
        if problems:
            raise ValidationFailed({"file": problems})
        _trim_budgets(raised, user)
    return summary


def _at(plan: _Plan, message: str) -> str:
    return f"grants/{plan.index}: {message}"


def _reasons(exc: DomainError) -> str:
    messages = [m for ms in getattr(exc, "errors", {}).values() for m in ms] or [exc.message]
    return " ".join(str(m) if str(m).endswith(".") else f"{m}." for m in messages)


def _check_grants(grants: list[dict], summary: Counter) -> tuple[list[_Plan], list[str]]:
    """Everything that can be checked in the file alone: identifiers, currency, amounts, org-ids,
    dates. Grants to individuals (no recipient organisation) are skipped, not refused."""
    plans, problems, first_at = [], [], {}
    for index, grant in enumerate(grants):
        gid = grant["id"]

        def refuse(message: str, index=index) -> None:
            problems.append(f"grants/{index}: {message}")

        if gid in first_at:
            refuse(DUPLICATE.format(grant=gid, first=first_at[gid]))
            continue
        first_at[gid] = index
        if gid.startswith(OWN_PREFIX):
            refuse(OWN_EXPORT.format(grant=gid, reference=gid.removeprefix(OWN_PREFIX)))
            continue
        if len(gid) > REFERENCE_MAX:
            refuse(ID_TOO_LONG.format(grant=gid, limit=REFERENCE_MAX))
            continue
        if grant.get("currency") != "GBP":
            refuse(NOT_GBP.format(grant=gid, currency=grant.get("currency")))
            continue
        amount = Decimal(str(grant["amountAwarded"]))
        if not amount.is_finite():
            refuse(AMOUNT_NOT_A_NUMBER.format(grant=gid, amount=amount))
            continue
        if amount < 0:
            refuse(AMOUNT_NEGATIVE.format(grant=gid, amount=_money(amount)))
            continue
        if amount > MAX_AWARD:
            refuse(AMOUNT_TOO_LARGE.format(grant=gid, amount=_money(amount)))
            continue
        recipient = (grant.get("recipientOrganization") or [None])[0]
        if not recipient:
            summary["skipped (grant to an individual)"] += 1
            continue
        funder = grant["fundingOrganization"][0]
        bad = [(role, org) for role, org in (("recipient", recipient), ("funding", funder))
               if not ORG_ID_PATTERN.match(org["id"])]  # fmt: skip
        if bad:
            refuse(BAD_ORG_ID.format(grant=gid, role=bad[0][0], org_id=bad[0][1]["id"]))
            continue
        try:
            start, end = _dates(grant)
            year = FinancialYear.containing(start).label
        except (ValueError, TypeError, OverflowError) as exc:
            refuse(BAD_DATES.format(grant=gid, detail=str(exc).rstrip(".")))
            continue
        plans.append(_Plan(index=index, grant=grant, reference=gid, award=amount.quantize(Decimal("0.01")),
                           start=start, end=end, recipient=recipient, funder=funder, year=year))  # fmt: skip
    return plans, problems


def _money(amount: Decimal) -> str:
    try:
        return gbp(amount, pence=True)
    except InvalidOperation:  # too many digits to show in pence
        return f"£{amount:,}" if amount >= 0 else f"-£{-amount:,}"


def _check_against_database(plans: list[_Plan]) -> list[str]:
    """Refuse a grant that would change a programme or funding stream an import did not create,
    or move an imported programme's dates away from its targets, returns or payments."""
    problems = []
    existing = {p.reference: p for p in Programme.objects.filter(reference__in=[p.reference for p in plans])}
    imported = _import_made(Programme, [p.pk for p in existing.values()])
    org_names = dict(
        Organisation.objects.filter(org_id__in={p.funder["id"] for p in plans}).values_list("org_id", "name")
    )
    for plan in plans:
        funder_name = org_names.get(plan.funder["id"]) or plan.funder["name"][:200]
        title = ((plan.grant.get("grantProgramme") or [{}])[0]).get("title") or funder_name
        code = f"360g-{plan.funder['id']}-{title}-{plan.year}".lower()
        plan.stream_code = "".join(c if c.isalnum() else "-" for c in code)[:50]
        plan.stream_name = f"{title} ({funder_name})"[:200]
        programme = existing.get(plan.reference)
        today = clock.today()
        own_status = Programme.Status.COMPLETED if plan.end < today else Programme.Status.ACTIVE
        plan.status = own_status
        if programme is None:
            continue
        if programme.pk not in imported:
            problems.append(_at(plan, CLASH.format(grant=plan.reference, reference=programme.reference)))
            continue
        plan.existing = programme
        # A commissioner's decision (suspended, decommissioned) stands; the file only says
        # whether the grant has run its course.
        if programme.status not in {Programme.Status.ACTIVE, Programme.Status.COMPLETED}:
            plan.status = programme.status
        moved = (plan.start, plan.end) != (programme.start_date, programme.end_date)
        if moved and (outside := records_outside_dates(programme, plan.start, plan.end)):
            dates = f"{plan.start:%d %b %Y} to {plan.end:%d %b %Y}"
            problems.append(_at(plan, RECORDS_OUTSIDE_DATES.format(
                grant=plan.reference, reference=programme.reference, dates=dates,
                records=" and ".join(outside))))  # fmt: skip
    streams = {s.code: s for s in FundingStream.objects.filter(code__in={p.stream_code for p in plans})}
    imported_streams = _import_made(FundingStream, [s.pk for s in streams.values()])
    names = {(n, y): c for c, n, y in FundingStream.objects.values_list("code", "name", "financial_year")}
    for plan in plans:
        stream = streams.get(plan.stream_code)
        if stream is not None and stream.pk not in imported_streams:
            problems.append(_at(plan, STREAM_CLASH.format(grant=plan.reference, stream=stream)))
        elif stream is None and names.setdefault((plan.stream_name, plan.year), plan.stream_code) != (
            plan.stream_code
        ):
            problems.append(_at(plan, STREAM_NAME_TAKEN.format(
                grant=plan.reference, stream=plan.stream_name, year=plan.year)))  # fmt: skip
    return problems


def _place(line: str) -> int:
    """The grant's index in "grants/<n>: ...", to list refusals in the file's order."""
    return int(line.split(":")[0].removeprefix("grants/"))


def _import_made(model, pks: list[int]) -> set[int]:
    """Which of these rows an import created: their creation record carries IMPORT_REASON."""
    return set(
        model.history.filter(id__in=pks, history_type="+", history_change_reason=IMPORT_REASON).values_list(
            "id", flat=True
        )
    )


def _prepare_streams(plans: list[_Plan], user, summary: Counter) -> tuple[dict, dict]:
    """The organisations and funding streams the grants need, created where missing, and each
    stream's budget raised to cover its awards at every step of the import, so that the stream
    budget check in grants.services passes. Returns the streams by code and, for each stream
    whose budget was raised, its budget before."""
    streams: dict[str, FundingStream] = {}
    for plan in plans:
        plan.provider = _organisation(plan.recipient, summary)
        funder = _organisation(plan.funder, summary)
        if plan.stream_code in streams:
            continue
        stream = FundingStream.objects.filter(code=plan.stream_code).first()
        if stream is None:
            stream = FundingStream(code=plan.stream_code, name=plan.stream_name, funder=funder,
                                   financial_year=plan.year, budget=Decimal("0"))  # fmt: skip
            try:
                _save_imported(stream, user)
            except DomainError as exc:
                refused = REFUSED.format(grant=plan.reference, reason=_reasons(exc))
                raise ValidationFailed({"file": [_at(plan, refused)]}) from exc
            summary["funding streams created"] += 1
        streams[plan.stream_code] = stream
    # The most a stream commits while the import runs: for each programme, the larger of its
    # award now (if it is in the stream and counts) and its award after (likewise).
    peak: dict[str, dict[str, Decimal]] = {code: {} for code in streams}
    stream_codes = {s.pk: code for code, s in streams.items()}
    for ref, stream_id, award in (
        Programme.objects.filter(funding_stream_id__in=stream_codes)
        .exclude(status=Programme.Status.DECOMMISSIONED)
        .values_list("reference", "funding_stream_id", "award_amount")
    ):
        peak[stream_codes[stream_id]][ref] = award
    for plan in plans:
        if plan.counted:
            awards = peak[plan.stream_code]
            awards[plan.reference] = max(awards.get(plan.reference, Decimal("0")), plan.award)
    raised = {}
    for code, stream in streams.items():
        needed = sum(peak[code].values(), Decimal("0"))
        if needed > stream.budget:
            raised[code] = (stream, stream.budget)
            stream.budget = needed
            _save_imported(stream, user)
    return streams, raised


def _trim_budgets(raised: dict, user) -> None:
    """Bring a raised budget down to what the stream finally awards (never below its budget
    before the import), where awards fell or moved during the import."""
    for stream, before in raised.values():
        awarded = stream.programmes.exclude(status=Programme.Status.DECOMMISSIONED).aggregate(
            total=Sum("award_amount")
        )["total"] or Decimal("0")
        budget = max(before, awarded)
        if budget < stream.budget:
            stream.budget = budget
            _save_imported(stream, user)


def _save_imported(instance, user) -> None:
    instance._change_reason = IMPORT_REASON
    validate(instance)
    save_with_history(instance, user)


def _write_programme(plan: _Plan, stream: FundingStream, priority: Priority, user, summary: Counter) -> None:
    grant = plan.grant
    fields = {
        "title": grant["title"][:200],
        "description": grant.get("description", ""),
        "provider": plan.provider,
        "funding_stream": stream,
        "award_amount": plan.award,
        "start_date": plan.start,
        "end_date": plan.end,
        "status": plan.status,
    }
    programme = plan.existing
    if programme is None:
        programme = programme_create(
            user=user,
            fields={"reference": plan.reference, **fields},
            priority_ids=[priority.pk],
            primary_priority_id=priority.pk,
        )
        summary["programmes created"] += 1
    else:
        changed = {k: v for k, v in fields.items() if getattr(programme, k) != v}
        if not changed:
            summary["programmes unchanged"] += 1
            return
        programme = programme_update(user=user, programme=programme, fields=changed)
        summary["programmes updated"] += 1
    _mark_imported(programme)


def _mark_imported(programme: Programme) -> None:
    """Give the history record the service just wrote the import's change reason."""
    record = programme.history.order_by("-history_id").first()
    type(record).objects.filter(pk=record.pk).update(history_change_reason=IMPORT_REASON)


def _organisation(data: dict, summary: Counter) -> Organisation:
    """The organisation with this org-id, created from the file where missing (never changed)."""
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
