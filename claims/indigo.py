"""The partnership's outcomes contracts in the shape of an INDIGO project (the Government Outcomes
Lab's data standard, project schema 4.1.0). Pure: claims.selectors.indigo gathers plain values
and this shapes them; docs/claims.md maps every field.

INDIGO writes most values as {"value": ...}; money as a number, dates as YYYY-MM-DD strings.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

SCHEMA_VERSION = "4.1.0"
CURRENCY = "GBP"

ROLE_CATEGORY = {  # grants.Organisation.Type -> INDIGO's organisation role category
    "statutory": "Government/Public Sector/Public Bank",
    "government": "Government/Public Sector/Public Bank",
    "voluntary": "Nonprofit/NGO",
    "private": "For-profit",
}


@dataclass(frozen=True)
class Metric:
    measure_id: int
    name: str
    unit: str
    tariff: Decimal
    target: Decimal | None  # the programme's targets for the measure, summed over its quarters
    evidence: list[str]
    sustainment_weeks: int
    earliest_claim_days: int
    max_claims_per_participant: int
    exclusivity_group: str


@dataclass(frozen=True)
class Result:
    measure_id: int
    start: date
    end: date
    achieved: int  # verified or paid claims for outcomes achieved in the period
    engaged: int  # participants enrolled by the end of the period
    final: bool


@dataclass(frozen=True)
class Transaction:
    paid_on: date
    amount: Decimal
    kind: str  # grants.Payment.Kind
    financial_year: str
    quarter: int
    reference: str
    reason: str


@dataclass(frozen=True)
class Contract:
    reference: str
    title: str
    start: date
    end: date
    today: date
    provider_org_id: str
    provider_name: str
    provider_type: str
    funder_org_id: str
    funder_name: str
    award: Decimal
    cap_per_participant: Decimal | None
    participants: int
    metrics: list[Metric] = field(default_factory=list)
    results: list[Result] = field(default_factory=list)
    transactions: list[Transaction] = field(default_factory=list)


def _v(value) -> dict:
    return {"value": value}


def _day(day: date) -> dict:
    return {"value": day.isoformat()}


def metric_id(measure_id: int) -> str:
    return f"outcomemetric{measure_id}"


def stage(contract: Contract) -> str:
    if contract.today < contract.start:
        return "Contracted"
    if contract.today <= contract.end:
        return "Implementation"
    return "Service delivery complete"


def validation_method(metric: Metric) -> str:
    parts = [f"Claimed per participant with evidence ({', '.join(metric.evidence) or 'none set'})"]
    if metric.sustainment_weeks:
        parts.append(f"sustained for {metric.sustainment_weeks} weeks")
    if metric.earliest_claim_days:
        parts.append(f"counting from {metric.earliest_claim_days} days after the participant's start")
    times = (
        "once"
        if metric.max_claims_per_participant == 1
        else f"up to {metric.max_claims_per_participant} times"
    )
    parts.append(f"paid {times} per participant")
    if metric.exclusivity_group:
        parts.append(f"one outcome of the \u201c{metric.exclusivity_group}\u201d group per participant")
    parts.append("each claim verified by the commissioner and checked by sampling audits")
    return "; ".join(parts) + "."


def project(contract: Contract) -> dict:
    """One outcomes contract as an INDIGO project."""
    provider = contract.provider_org_id or contract.provider_name
    funder = contract.funder_org_id or contract.funder_name
    return {
        "status": "PRIVATE",
        "name": _v(contract.title),
        "alternative_names": _v(contract.reference),
        "stage_development": _v(stage(contract)),
        "dates": {
            "start_date_of_service_provision": _day(contract.start),
            "anticipated_end_date_of_service_provision": _day(contract.end),
        },
        "overall_project_finance": {
            "maximum_potential_outcome_payment_v2": {
                "currency": _v(CURRENCY),
                "amount": _v(contract.award),
            },
        },
        "service_and_beneficiaries": {
            "actual_number_service_users_or_beneficiaries_total": _v(contract.participants),
            "unit_type_actual_service_users_or_beneficiaries": _v("Individual"),
        },
        "service_provisions": [
            {
                "id": "serviceprovider1",
                "organisation_id": _v(provider),
                "organisation_role_category": _v(ROLE_CATEGORY.get(contract.provider_type, "Other")),
            }
        ],
        "outcome_payment_commitments": [{"organisation_id": _v(funder)}],
        "outcome_metrics": [
            {
                "id": metric_id(m.measure_id),
                "definition": _v(m.name),
                "unit_type_of_targeted_service_users_or_beneficiaries": _v("Individual"),
                "unit_description_of_service_user_or_beneficiaries": _v(m.unit),
                "targeted_number_of_service_users_or_beneficiaries_total": _v(m.target),
                "outcome_metric_target": _v("" if m.target is None else f"{m.target.normalize():f} {m.unit}"),
                "outcome_validation_method": _v(validation_method(m)),
                "data_source_for_outcome_validation": _v(
                    "Provider's claims with evidence, verified by the commissioner (Yardstick claims ledger)"
                ),
            }
            for m in contract.metrics
        ],
        "outcome_pricings": [
            {
                "outcome_metric_id": _v(metric_id(m.measure_id)),
                "currency": _v(CURRENCY),
                "price_per_unit": {"amount": _v(m.tariff)},
                "maximum_price_if_all_targets_achieved": {
                    "amount": _v(
                        "" if m.target is None else f"{(m.tariff * m.target).quantize(Decimal('0.01')):f}"
                    )
                },
                "price_description": _v(
                    f"£{m.tariff:,.2f} per participant achieving the outcome"
                    + (
                        f"; at most £{contract.cap_per_participant:,.2f} per participant across the contract"
                        if contract.cap_per_participant is not None
                        else ""
                    )
                ),
            }
            for m in contract.metrics
        ],
        "results": [
            {
                "outcome_metric_id": _v(metric_id(r.measure_id)),
                "result_level": _v("Outcome level"),
                "result_type": _v("Final" if r.final else "Interim"),
                "period": {"start_date": _day(r.start), "end_date": _day(r.end)},
                "number_engaged_in_impact_bond": _v(r.engaged),
                "number_with_positive_social_outcomes": _v(r.achieved),
            }
            for r in contract.results
        ],
        "transactions": [
            {
                "date": _day(t.paid_on),
                "sending_organisation_id": _v(funder),
                "receiving_organisation_id": _v(provider),
                "transaction_type": _v("Outcome Payment"),
                "money": {"currency": _v(CURRENCY), "amount": _v(t.amount)},
                "notes": _transaction_note(t),
            }
            for t in contract.transactions
        ],
        "notes": _v(
            f"Exported from Yardstick: programme {contract.reference}, payment by results, "
            f"provider {contract.provider_name}, funder {contract.funder_name}."
        ),
    }


def _transaction_note(t: Transaction) -> str:
    period = f"{t.financial_year} Q{t.quarter}"
    if t.kind == "reversal":
        return f"Reversal of a payment for {period}: {t.reason}"
    if t.kind == "clawback":
        return f"Clawback for {period}: {t.reason}"
    return f"Payment for {period}" + (f" (remittance {t.reference})" if t.reference else "")


def export(contracts: list[Contract], *, generated: date) -> dict:
    return {
        "indigo_schema": f"project {SCHEMA_VERSION}",
        "generated": generated.isoformat(),
        "currency": CURRENCY,
        "projects": [project(c) for c in contracts],
    }
