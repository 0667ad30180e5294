"""The paid step and one set of numbers: a programme's measure paid per claim counts its verified
claims (at the price each fixed when claimed) in the payment schedule, the finance page, the API,
the value-for-money engine and the PDF funding review; a payment that settles a quarter marks its
verified claims paid, and reversing it makes them payable again."""

import re
from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from claims import services
from claims.models import Claim, EvidenceType, PayableOutcome
from commissioning import services as commissioning
from core.formatting import gbp
from grants import selectors as grants_selectors
from grants import services as grants_services
from grants.models import OutcomeReturn
from tests.factories import OutcomeMeasureFactory, OutcomeReturnFactory, ProgrammeTargetFactory
from tests.finance.conftest import pbr_programme
from tests.finance.test_funding_review import line_with, pdf_text

pytestmark = pytest.mark.django_db
TODAY = date(2011, 6, 1)


@pytest.fixture
def ledger(settings, org_a, provider, commissioner):
    """A PbR programme (2009/10 Q1-Q3, £60,000 award, £10,000 fee) paying £1,000 per job claimed.
    Its target for the job measure carries a different tariff (£500) and a verified return says 7:
    neither counts, as the measure is paid per claim. Claims: Q1 two verified (Ann, Ben) and one
    submitted (Cat); then the tariff rises to £1,200 and Dan's Q2 claim is verified at it."""
    settings.YARDSTICK = {**settings.YARDSTICK, "PARTICIPANT_KEY": "k" * 40, "TODAY": TODAY}
    programme = pbr_programme(reference="SSP-CLM1", title="Jobs by the claim", provider=org_a)
    jobs = OutcomeMeasureFactory(name="Sustained jobs (claims)")
    ProgrammeTargetFactory(programme=programme, measure=jobs, quarter=1, tariff=Decimal("500"))
    OutcomeReturnFactory(programme=programme, measure=jobs, quarter=1, value=Decimal("7"),
                         status=OutcomeReturn.Status.VERIFIED)  # fmt: skip
    outcome = PayableOutcome.objects.create(
        programme=programme, measure=jobs, tariff=Decimal("1000"), evidence_types=[EvidenceType.PAYSLIP]
    )
    claims = {}
    for name, ni, achieved in (
        ("ann", "AB123456C", date(2009, 5, 4)),
        ("ben", "CE654321A", date(2009, 6, 1)),
        ("cat", "JK112233A", date(2009, 6, 2)),
        ("dan", "ML998877B", date(2009, 8, 3)),
    ):
        if name == "dan":
            outcome.tariff = Decimal("1200")
            outcome.save()
        enrolment = services.participant_enrol(
            user=provider, data=services.EnrolmentInput(programme.pk, date(2009, 4, 6), ni_number=ni)
        )
        claims[name] = services.claim_submit(
            user=provider,
            data=services.ClaimInput(enrolment.participant.reference, programme.pk, jobs.pk, achieved, "payslip"),
        )
    for name in ("ann", "ben", "dan"):
        services.claim_verify(user=commissioner, claim=claims[name])
    return {"programme": programme, "jobs": jobs, "outcome": outcome, **claims}


def test_the_price_is_fixed_when_claimed(ledger):
    assert [Claim.objects.get(pk=ledger[n].pk).price for n in ("ann", "ben", "dan")] == [
        Decimal("1000.00"), Decimal("1000.00"), Decimal("1200.00"),
    ]  # fmt: skip


def test_the_schedule_counts_verified_claims_at_their_prices(ledger):
    schedule = grants_selectors.payment_schedule(ledger["programme"], today=TODAY)
    q1, q2, q3 = schedule.quarters
    [line] = q1.lines
    assert (line.verified_value, line.amount, line.tariff) == (Decimal("2"), Decimal("2000.00"), Decimal("1000.00"))
    assert q1.due == Decimal("3333.33") + Decimal("2000.00")  # not 7 × £500 from the return
    assert q2.outcome_payment == Decimal("1200.00") and q3.outcome_payment == Decimal("0.00")


def test_page_and_api_show_the_same_figures(ledger, api, client, finance):
    programme = ledger["programme"]
    body = api(finance).get(f"/api/programmes/{programme.pk}/payments/").json()
    quarters = {(q["financial_year"], q["quarter"]): q for q in body["quarters"]}
    assert Decimal(quarters[("2009/10", 1)]["due"]) == Decimal("5333.33")
    assert Decimal(quarters[("2009/10", 2)]["due"]) == Decimal("4533.33")
    client.force_login(finance)
    page = client.get(reverse("finance-programme-payments", args=[programme.pk])).content.decode()
    assert gbp(Decimal("5333.33"), pence=True) in page and gbp(Decimal("4533.33"), pence=True) in page


def test_settling_a_quarter_marks_its_verified_claims_paid(ledger, finance):
    programme = ledger["programme"]
    part = grants_services.payment_record(
        user=finance, programme=programme, financial_year="2009/10", quarter=1,
        amount=Decimal("3000.00"), paid_on=date(2009, 8, 1), today=TODAY,
    )  # fmt: skip
    assert set(Claim.objects.filter(status=Claim.Status.PAID)) == set(), "a part payment pays no claim"
    rest = grants_services.payment_record(
        user=finance, programme=programme, financial_year="2009/10", quarter=1,
        amount=Decimal("2333.33"), paid_on=date(2009, 8, 2), today=TODAY,
    )  # fmt: skip
    paid = Claim.objects.filter(status=Claim.Status.PAID)
    assert {c.pk for c in paid} == {ledger["ann"].pk, ledger["ben"].pk}
    assert {c.payment_id for c in paid} == {rest.pk} and part.pk != rest.pk
    assert Claim.objects.get(pk=ledger["cat"].pk).status == Claim.Status.SUBMITTED
    assert Claim.objects.get(pk=ledger["dan"].pk).status == Claim.Status.VERIFIED  # Q2, unpaid
    latest = Claim.objects.get(pk=ledger["ann"].pk).history.latest()
    assert latest.history_user == finance and latest.history_change_reason == f"Paid by payment {rest.pk}"
    # Paid claims still count: the quarter stays settled.
    q1 = grants_selectors.payment_schedule(programme, today=TODAY).find("2009/10", 1)
    assert q1.outstanding == Decimal("0.00") and q1.outcome_payment == Decimal("2000.00")


def test_reversing_the_payment_makes_its_claims_payable_again(ledger, finance):
    payment = grants_services.payment_record(
        user=finance, programme=ledger["programme"], financial_year="2009/10", quarter=1,
        amount=Decimal("5333.33"), paid_on=date(2009, 8, 1), today=TODAY,
    )  # fmt: skip
    assert Claim.objects.filter(payment=payment).count() == 2
    grants_services.payment_reverse(user=finance, payment=payment, reason="Paid to the wrong account", today=TODAY)
    ann = Claim.objects.get(pk=ledger["ann"].pk)
    assert ann.status == Claim.Status.VERIFIED and ann.payment_id is None
    assert ann.history.latest().history_change_reason == f"Payment {payment.pk} reversed"


def test_a_rejected_claim_stops_counting(ledger, commissioner):
    services.claim_reject(user=commissioner, claim=ledger["ben"], reason="Payslip is for another person")
    q1 = grants_selectors.payment_schedule(ledger["programme"], today=TODAY).find("2009/10", 1)
    assert q1.outcome_payment == Decimal("1000.00")


def test_vfm_and_the_pdf_count_verified_claims(ledger, api, client, finance, commissioner):
    rnd = commissioning.round_create(user=commissioner, name="Claims review", first_year="2009/10", last_year="2009/10")
    client = api(finance)
    rows = client.get(f"/api/review-rounds/{rnd.pk}/vfm/").json()
    row = next(r for r in rows if r["programme"] == ledger["programme"].pk)
    assert row["outcomes"] == 3  # Ann, Ben, Dan: not the return's 7, not Cat's submitted claim
    pdf = client.get(f"/api/review-rounds/{rnd.pk}/funding-review.pdf")
    assert pdf.status_code == 200
    pages = pdf_text(pdf.content)
    section = next(p for p in pages[2:] if row["reference"] in p and "Sustained jobs (claims)" in p)
    measure_line = line_with(section, "Sustained jobs (claims)")
    assert gbp(Decimal(row["cost"]) / Decimal("3")) in measure_line
    # the funding review's web page: the same outcomes figure (this round has one programme)
    client.force_login(finance)
    page = client.get(reverse("funding-reviews:round-review", args=[rnd.pk])).content.decode()
    assert re.search(r'data-figure="outcomes">\s*3\s*<', page), "the page's outcomes figure is not 3"


def test_vfm_counts_submitted_claims_when_the_round_does(ledger, api, finance, commissioner):
    rnd = commissioning.round_create(
        user=commissioner, name="With submitted", first_year="2009/10", last_year="2009/10", include_submitted=True
    )
    rows = api(finance).get(f"/api/review-rounds/{rnd.pk}/vfm/").json()
    assert next(r for r in rows if r["programme"] == ledger["programme"].pk)["outcomes"] == 4
