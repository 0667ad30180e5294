"""Payment by results: the due computation (worked examples) and the rules for recording payments."""

from datetime import date
from decimal import Decimal

import pytest

from core.errors import Conflict, NotFound, NotPermitted, ValidationFailed
from grants import selectors, services
from grants.models import Payment, Programme
from grants.payments import VerifiedOutcome, fee_shares, schedule
from tests.factories import (
    ProgrammeFactory,
)
from tests.finance.conftest import TODAY, pay

D = Decimal


# --- the pure computation ----------------------------------------------------------------------


def test_fee_shares_are_even_in_pence_with_the_remainder_last():
    assert fee_shares(D("10000"), 3) == [D("3333.33"), D("3333.33"), D("3333.34")]
    assert sum(fee_shares(D("10000"), 3)) == D("10000.00")
    assert fee_shares(D("0"), 4) == [D("0.00")] * 4
    assert fee_shares(D("8000"), 8) == [D("1000.00")] * 8


def _example(award="60000", verified=None, paid=None, today=TODAY):
    """docs/budgets-and-payments.md's worked example: 1 April to 31 December 2009 (three quarters), a £10,000
    service fee, £500 per job entry (measure 1) and £1,200 per person not reconvicted (measure 2)."""
    tariffs = {}
    for q in (1, 2, 3):
        tariffs[(1, "2009/10", q)] = D("500")
        tariffs[(2, "2009/10", q)] = D("1200")
    verified = verified if verified is not None else [
        VerifiedOutcome(1, "Job entries", "2009/10", 1, D("4")),
        VerifiedOutcome(1, "Job entries", "2009/10", 2, D("6")),
        VerifiedOutcome(2, "Not reconvicted", "2009/10", 2, D("2")),
    ]  # fmt: skip
    return schedule(
        start=date(2009, 4, 1),
        end=date(2009, 12, 31),
        award=D(award),
        service_fee=D("10000"),
        tariffs=tariffs,
        verified=verified,
        paid=paid or {},
        today=today,
    )


def test_worked_example_due_per_quarter():
    s = _example()
    assert [(q.financial_year, q.number) for q in s.quarters] == [
        ("2009/10", 1),
        ("2009/10", 2),
        ("2009/10", 3),
    ]
    assert [q.fee_share for q in s.quarters] == [D("3333.33"), D("3333.33"), D("3333.34")]
    assert [q.outcome_payment for q in s.quarters] == [D("2000.00"), D("5400.00"), D("0.00")]
    assert [q.due for q in s.quarters] == [D("5333.33"), D("8733.33"), D("3333.34")]
    assert s.total_due == s.due_to_date == D("17400.00")
    assert s.capped == D("0.00")
    assert s.outstanding == D("17400.00")


def test_award_caps_outcome_payments_but_not_the_fee():
    s = _example(award="15000")  # outcome payments may total at most £15,000 − £10,000 fee
    assert [q.capped for q in s.quarters] == [D("0.00"), D("2400.00"), D("0.00")]
    assert [q.due for q in s.quarters] == [D("5333.33"), D("6333.33"), D("3333.34")]
    assert s.total_due == D("15000.00")


def test_payments_reduce_outstanding_and_future_quarters_are_not_yet_due():
    s = _example(paid={("2009/10", 1): D("5333.33")}, today=date(2009, 8, 1))
    assert [q.started for q in s.quarters] == [True, True, False]
    assert s.due_to_date == D("14066.66")
    assert s.paid == D("5333.33")
    assert s.outstanding == D("8733.33")
    assert s.find("2009/10", 1).outstanding == D("0.00")


def test_negative_values_earn_nothing_and_missing_tariffs_are_unpriced():
    s = _example(
        verified=[
            VerifiedOutcome(1, "Job entries", "2009/10", 1, D("-3")),
            VerifiedOutcome(3, "No tariff", "2009/10", 1, D("5")),
            VerifiedOutcome(1, "Job entries", "2009/10", 2, D("2.5")),
        ]
    )
    q1, q2 = s.quarters[0], s.quarters[1]
    assert q1.outcome_payment == D("0.00")
    assert [line.unpriced for line in q1.lines] == [False, True]
    assert q2.outcome_payment == D("1250.00")


# --- the database: only verified returns count ----------------------------------------------------


def test_unverified_returns_are_not_paid_for(pbr_each_status):
    s = selectors.payment_schedule(pbr_each_status, today=TODAY)
    assert [q.outcome_payment for q in s.quarters] == [D("2000.00"), D("0.00"), D("0.00")]
    assert s.due_to_date == D("12000.00")


def test_schedules_for_many_programmes_take_four_queries(pbr_each_status, django_assert_num_queries):
    others = [
        ProgrammeFactory(commissioning_model=Programme.Model.PAYMENT_BY_RESULTS, service_fee=D("800"))
        for _ in range(5)
    ]
    with django_assert_num_queries(4):  # targets, verified returns, the claims ledger, payments
        schedules = selectors.payment_schedules([pbr_each_status, *others], today=TODAY)
    assert schedules[others[0].pk].total_due == D("800.00")


# --- recording payments ------------------------------------------------------------------------------


def test_finance_officer_records_a_payment_with_history(pbr_each_status, finance):
    payment = pay(finance, pbr_each_status, "5333.33", reference="REM-1")
    assert payment.recorded_by == finance
    assert payment.history.get().history_user == finance
    assert selectors.payment_schedule(pbr_each_status, today=TODAY).find("2009/10", 1).outstanding == D(
        "0.00"
    )


def test_overpayment_is_refused_and_nothing_saved(pbr_each_status, finance):
    pay(finance, pbr_each_status, "5000")
    with pytest.raises(ValidationFailed) as exc:
        pay(finance, pbr_each_status, "333.34")
    assert exc.value.errors["amount"] == [
        "This payment of £333.34 would overpay 2009/10 Q1: £5,333.33 is due for it and £5,000.00 is "
        "already paid, so at most £333.33 can be paid now."
    ]
    assert Payment.objects.count() == 1
    pay(finance, pbr_each_status, "333.33")  # exactly the outstanding is fine


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"amount": "0"}, "amount"),
        ({"amount": "-5"}, "amount"),
        ({"amount": "1.005"}, "amount"),
        ({"financial_year": "2010/11", "quarter": 1}, "quarter"),  # after the programme ends
        ({"financial_year": "2009/10", "quarter": 5}, "quarter"),
        ({"financial_year": "2009-10"}, "financial_year"),
        ({"paid_on": date(2012, 1, 1)}, "paid_on"),  # in the future
    ],
)
def test_invalid_payments_are_refused(pbr_each_status, finance, kwargs, field):
    with pytest.raises(ValidationFailed) as exc:
        pay(finance, pbr_each_status, **kwargs)
    assert field in exc.value.errors
    assert not Payment.objects.exists()


def test_quarter_not_yet_started_cannot_be_paid(pbr_each_status, finance):
    with pytest.raises(ValidationFailed, match="has not started yet"):
        services.payment_record(
            user=finance, programme=pbr_each_status, financial_year="2009/10", quarter=3, amount=D("10"),
            paid_on=date(2009, 8, 1), today=date(2009, 8, 1),
        )  # fmt: skip


def test_duplicate_reference_is_a_conflict(pbr_each_status, finance):
    pay(finance, pbr_each_status, "100", reference="REM-1")
    with pytest.raises(Conflict):
        pay(finance, pbr_each_status, "100", reference="REM-1")


def test_grant_programmes_have_no_payments_schedule(finance, org_a):
    grant = ProgrammeFactory(provider=org_a)
    with pytest.raises(ValidationFailed, match="not payment by results"):
        pay(finance, grant, "100")


def test_only_finance_officers_record_payments(
    pbr_each_status, commissioner, provider, provider2, admin_user
):
    with pytest.raises(NotPermitted):
        pay(commissioner, pbr_each_status)
    with pytest.raises(NotPermitted):
        pay(provider, pbr_each_status)  # the provider's own programme: may see, may not record
    with pytest.raises(NotFound):
        pay(provider2, pbr_each_status)  # another organisation's: not even visible
    pay(admin_user, pbr_each_status)
