"""docs/vfm.md's second worked example (2012/13 round in 2013/14 prices): unit costs made of
Unit Cost Database lines by agency, uprated with HM Treasury's deflators, benefits over two years
discounted at 3.5%, a benefit payment counted as a transfer, a measured impact in place of
deadweight (a fake of commissioning.impact's selector) and sensitivity. Every figure asserted here
is the one the page states."""

from datetime import date
from decimal import Decimal

import pytest

from commissioning import selectors, services, valuation
from commissioning.impact.estimates import MeasuredImpact
from outcomes.models import EvidenceGrade, MeasureCostLine, UnitCostLine
from outcomes.prices import (
    HMT_MARCH_2015_CHANGES,
    HMT_MARCH_2015_NAME,
    HMT_MARCH_2015_SOURCE,
    index_from_changes,
)
from outcomes.services.unit_costs import deflator_series_load
from tests.factories import (
    OutcomeMeasureFactory,
    OutcomeReturnFactory,
    ProgrammeFactory,
    ProgrammeTargetFactory,
)

pytestmark = pytest.mark.django_db


def _line(code, agency, fiscal=None, economic=None, year="2012/13", transfer=False):
    return UnitCostLine.objects.create(
        code=code, database="Unit Cost Database v1.4", theme="Test", description=code, agency=agency,
        fiscal_value=fiscal, fiscal_price_year=year if fiscal is not None else "",
        economic_value=economic, economic_price_year=year if economic is not None else "", is_transfer=transfer,
    )  # fmt: skip


def _example(commissioner, monkeypatch):
    deflator_series_load(name=HMT_MARCH_2015_NAME, source=HMT_MARCH_2015_SOURCE,
                         years=index_from_changes(HMT_MARCH_2015_CHANGES))  # fmt: skip
    for code, bias, method in [("A", "0.05", "randomised"), ("B", "0.20", "matched_comparison"),
                               ("C", "0.40", "before_after"), ("D", "0.60", "unevaluated")]:  # fmt: skip
        EvidenceGrade.objects.update_or_create(code=code, defaults={"name": code, "optimism_bias": Decimal(bias), "method": method})  # fmt: skip
    jobs = OutcomeMeasureFactory(
        name="Sustained job entries", unit_cost=Decimal("9600"), unit_cost_price_year="2012/13",
        deadweight=Decimal("0.20"), deadweight_low=Decimal("0.10"), deadweight_high=Decimal("0.30"),
        attribution=Decimal("0.80"), attribution_low=Decimal("0.70"), attribution_high=Decimal("0.90"),
        optimism_bias_low=Decimal("0.10"), optimism_bias_high=Decimal("0.30"),
        persistence_years=2, drop_off=Decimal("0.30"), persistence_low=1, persistence_high=3,
    )  # fmt: skip
    reoffenders = OutcomeMeasureFactory(name="Proven reoffenders", polarity="lower", unit_cost=Decimal("2000"),
                                        unit_cost_price_year="2010/11", deadweight=Decimal("0.30"))  # fmt: skip
    dwp = _line("E&E1.0.1", "DWP", fiscal=Decimal("9234"), transfer=True)
    nhs = _line("E&E1.0.2", "NHS", fiscal=Decimal("566"))
    headline = _line("E&E1.0", "Multiple", fiscal=Decimal("9800"), economic=Decimal("14044"))
    police = _line("CR8.3.1", "Police", fiscal=Decimal("488"), year="2010/11")
    health = _line("CR8.3.6", "NHS", fiscal=Decimal("1598"), year="2010/11")
    for measure, line, kind in [(jobs, dwp, "fiscal"), (jobs, nhs, "fiscal"), (jobs, headline, "economic"),
                                (reoffenders, police, "fiscal"), (reoffenders, health, "fiscal")]:  # fmt: skip
        MeasureCostLine.objects.create(measure=measure, cost_line=line, kind=kind)
    r = ProgrammeFactory(reference="R", title="Into work", award_amount=Decimal("60000"), start_date=date(2012, 4, 1),
                         end_date=date(2013, 3, 31), evidence_grade=EvidenceGrade.objects.get(code="B"))  # fmt: skip
    s = ProgrammeFactory(reference="S", title="Desistance", award_amount=Decimal("30000"), start_date=date(2012, 4, 1),
                         end_date=date(2013, 3, 31), evidence_grade=None)  # fmt: skip
    for quarter, entries in zip((1, 2, 3, 4), (6, 8, 7, 9), strict=True):
        ProgrammeTargetFactory(
            programme=r, measure=jobs, financial_year="2012/13", quarter=quarter, target_value=10
        )
        OutcomeReturnFactory(programme=r, measure=jobs, financial_year="2012/13", quarter=quarter, value=entries,
                             spend=Decimal("12500"), status="verified")  # fmt: skip
        ProgrammeTargetFactory(programme=s, measure=reoffenders, financial_year="2012/13", quarter=quarter,
                               target_value=12)  # fmt: skip
        OutcomeReturnFactory(programme=s, measure=reoffenders, financial_year="2012/13", quarter=quarter, value=10,
                             spend=Decimal("6000"), status="verified")  # fmt: skip
    fake = {(s.pk, reoffenders.pk): MeasuredImpact(effect=Decimal("0.1000"), low=Decimal("0.0200"),
                                                   high=Decimal("0.1800"), cohort=200, method="matched comparison",
                                                   report_id=9)}  # fmt: skip
    monkeypatch.setattr(
        valuation, "measured_impacts", lambda ids: {k: v for k, v in fake.items() if k[0] in ids}
    )
    monkeypatch.setattr(valuation, "published_programmes", lambda ids: sorted({k[0] for k in fake} & set(ids)))
    review_round = services.round_create(user=commissioner, name="2012/13", first_year="2012/13",
                                         last_year="2012/13", price_year="2013/14")  # fmt: skip
    return review_round, r, s


def test_second_worked_example_from_docs(commissioner, monkeypatch):
    review_round, r, s = _example(commissioner, monkeypatch)
    result = selectors.round_vfm(review_round, today=date(2013, 6, 1))
    assert (result.price_year, result.deflator_series) == ("2013/14", HMT_MARCH_2015_NAME)
    rows = {row["reference"]: row for row in selectors.vfm_rows(result)}
    R, S = rows["R"], rows["S"]
    assert R["cost"] == Decimal("50000.00") and S["cost"] == Decimal("24000.00")
    assert (R["benefit"], R["fiscal_benefit"], R["transfers"], R["economic_benefit"]) == (
        Decimal("384170.60"), Decimal("257691.44"), Decimal("242808.44"), Decimal("369287.60"))  # fmt: skip
    assert (R["bcr"], R["bcr_band"], R["fiscal_return"], R["bcr_low"], R["bcr_high"]) == (7.68, "very high", 5.15, 3.07, 13.93)  # fmt: skip
    assert R["bcr_ci_low"] is None and not R["measured"]
    assert (S["benefit"], S["bcr"], S["bcr_band"], S["measured"]) == (Decimal("35254.66"), 1.47, "low", True)
    assert (S["bcr_ci_low"], S["bcr_ci_high"], S["bcr_low"], S["bcr_high"]) == (0.29, 2.64, 0.29, 2.64)
    assert S["flags"] == ["no_scores"] and (R["rank"], S["rank"]) == (1, 2)
    agencies = {a["agency"]: a for a in selectors.agency_rows(result)}
    assert (agencies["DWP"]["fiscal"], agencies["DWP"]["transfers"]) == (
        Decimal("242808.44"),
        Decimal("242808.44"),
    )
    assert agencies["NHS"]["fiscal"] == Decimal("41890.16") and agencies["NHS"]["transfers"] == Decimal(
        "0.00"
    )
    assert agencies["Police"]["fiscal"] == Decimal("8247.49") and "Multiple" not in agencies
    assert [a["agency"] for a in selectors.agency_rows(result, s.pk)] == ["NHS", "Police"]
    tornado = selectors.sensitivity_rows(result, r.pk)
    assert [(t["assumption"], t["bcr_low"], t["bcr_high"]) for t in tornado] == [
        ("persistence", 4.58, 9.78), ("deadweight", 6.72, 8.64), ("attribution", 6.72, 8.64),
        ("optimism_bias", 6.72, 8.64)]  # fmt: skip
    assert [t["assumption"] for t in selectors.sensitivity_rows(result, s.pk)] == ["effect"]
    measured = {m["measure"]: m for m in selectors.measure_rows(result, s.pk)}["Proven reoffenders"]
    assert (measured["net_outcomes"], measured["report_id"], measured["cohort"]) == (16.0, 9, 200)
    # The funding review takes every programme's at once: the same rows as one programme at a time.
    by_agency, by_tornado = (
        selectors.agency_rows_by_programme(result),
        selectors.sensitivity_rows_by_programme(result),
    )
    for programme in (r, s):
        assert by_agency.get(programme.pk, []) == selectors.agency_rows(result, programme.pk)
        assert by_tornado.get(programme.pk, []) == selectors.sensitivity_rows(result, programme.pk)
    assert by_tornado[r.pk] == tornado and len(by_agency[s.pk]) == 2


def test_first_example_still_holds_when_the_new_parameters_are_neutral(commissioner, monkeypatch):
    """A measure with no cost lines, 1 year's persistence and a unit cost in the round's price year
    is valued exactly as before: docs/vfm.md's first example (tests/commissioning/test_vfm.py)."""
    review_round, r, _ = _example(commissioner, monkeypatch)
    MeasureCostLine.objects.all().delete()
    r_measure = r.targets.first().measure
    type(r_measure).objects.filter(pk=r_measure.pk).update(persistence_years=1, unit_cost_price_year="2013/14",
                                                             deadweight_low=None, deadweight_high=None,
                                                             attribution_low=None, attribution_high=None,
                                                             optimism_bias_low=None, optimism_bias_high=None,
                                                             persistence_low=None, persistence_high=None)  # fmt: skip
    result = selectors.round_vfm(review_round, today=date(2013, 6, 1))
    row = {x["reference"]: x for x in selectors.vfm_rows(result)}["R"]
    # 30 × £9,600 × 0.8 × 0.8 × (1 − 0.2): the first example's formula, nothing uprated or discounted
    assert row["benefit"] == Decimal("147456.00") and row["bcr_low"] == row["bcr"] == row["bcr_high"] == 2.95
    assert row["fiscal_benefit"] == Decimal("0.00")  # a typed unit cost is not broken down by agency
