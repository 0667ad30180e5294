"""Finance pages: budgets, payments by results (with the record-a-payment form), role isolation
and query counts."""

import re
from decimal import Decimal

import pytest
from django.urls import reverse

from grants.models import FundingStream, Payment, Programme
from tests.conftest import login
from tests.factories import ProgrammeFactory
from tests.finance.conftest import pay

pytestmark = pytest.mark.django_db
D = Decimal


def test_budgets_page_shows_each_streams_figures(client, finance, pbr):
    stream = pbr.funding_stream
    ProgrammeFactory(funding_stream=stream, award_amount=D("40000"), status=Programme.Status.DECOMMISSIONED)
    page = login(client, finance).get(reverse("finance-budgets")).content.decode()
    assert stream.name in page
    assert "£1,000,000" in page and "£60,000" in page and "£940,000" in page  # budget, awarded, available
    assert "£12,000" in page  # spend returned
    assert "0.0%" in page  # % spent: no payment made yet
    detail = client.get(reverse("finance-stream", args=[stream.pk])).content.decode()
    assert "SSP-PBR1" in detail and "Not counted" in detail


def test_budgets_filter_by_year(client, commissioner, pbr):
    FundingStream.objects.create(
        name="Later", code="later", funder=pbr.funding_stream.funder, financial_year="2010/11", budget=D("5")
    )
    page = login(client, commissioner).get(reverse("finance-budgets"), {"year": "2010/11"}).content.decode()
    assert "Later" in page and pbr.funding_stream.name not in page


def test_providers_cannot_see_budgets(client, provider, pbr):
    login(client, provider)
    assert client.get(reverse("finance-budgets")).status_code == 403
    assert client.get(reverse("finance-stream", args=[pbr.funding_stream_id])).status_code == 403


def test_budgets_page_queries_do_not_grow_with_streams(client, finance, pbr, django_assert_max_num_queries):
    for _ in range(8):
        ProgrammeFactory(commissioning_model=Programme.Model.PAYMENT_BY_RESULTS)
    login(client, finance)
    with django_assert_max_num_queries(10):
        assert client.get(reverse("finance-budgets")).status_code == 200


def test_programme_payments_page_shows_the_schedule(client, provider, pbr):
    page = login(client, provider).get(reverse("finance-programme-payments", args=[pbr.pk])).content.decode()
    assert "£3,333.33" in page and "£3,333.34" in page  # fee shares
    assert "£5,333.33" in page  # Q1 due: fee share + 4 × £500
    assert "Record a payment" not in page  # providers see, not record


def test_other_providers_cannot_see_the_payments(client, provider2, pbr):
    login(client, provider2)
    assert client.get(reverse("finance-programme-payments", args=[pbr.pk])).status_code == 404
    assert "SSP-PBR1" not in client.get(reverse("finance-payments")).content.decode()


def test_finance_officer_records_a_payment_on_the_page(client, finance, pbr):
    url = reverse("finance-programme-payments", args=[pbr.pk])
    login(client, finance)
    form = {"programme": pbr.pk, "financial_year": "2009/10", "quarter": 1, "amount": "5333.33",
            "paid_on": "2009-08-01", "reference": "REM-1"}  # fmt: skip
    response = client.post(url, form)
    assert response.status_code == 302
    assert Payment.objects.get().amount == D("5333.33")
    page = client.get(url).content.decode()
    assert "Payment recorded" in page and "REM-1" in page
    # Paying again is an overpayment: refused with the message, nothing saved.
    page = client.post(url, {**form, "reference": "REM-2", "amount": "1"}).content.decode()
    assert "would overpay 2009/10 Q1" in page and "at most £0.00 can be paid now" in page
    assert Payment.objects.count() == 1


def test_commissioners_and_providers_cannot_post_payments(client, commissioner, provider, pbr):
    url = reverse("finance-programme-payments", args=[pbr.pk])
    form = {"programme": pbr.pk, "financial_year": "2009/10", "quarter": 1, "amount": "10",
            "paid_on": "2009-08-01"}  # fmt: skip
    assert login(client, commissioner).post(url, form).status_code == 403
    assert client.post(reverse("finance-payments"), form).status_code == 403
    client.logout()
    assert login(client, provider).post(url, form).status_code == 403
    assert not Payment.objects.exists()


def test_portfolio_page_lists_due_paid_and_outstanding(client, finance, pbr):
    login(client, finance)
    page = client.get(reverse("finance-payments")).content.decode()
    assert "SSP-PBR1" in page and "£12,000" in page  # due to date: £10,000 fee + £2,000 outcomes
    response = client.post(
        reverse("finance-payments"),
        {"programme": pbr.pk, "financial_year": "2009/10", "quarter": 2, "amount": "3333.33",
         "paid_on": "2009-10-01"},
    )  # fmt: skip
    assert response.status_code == 302
    page = client.get(reverse("finance-payments")).content.decode()
    assert "£8,667" in page  # outstanding: £12,000 − £3,333.33


def test_portfolio_page_queries_do_not_grow(client, finance, pbr, django_assert_max_num_queries):
    for _ in range(8):
        ProgrammeFactory(commissioning_model=Programme.Model.PAYMENT_BY_RESULTS, service_fee=D("100"))
    login(client, finance)
    with django_assert_max_num_queries(14):
        assert client.get(reverse("finance-payments")).status_code == 200


def test_grant_programme_has_no_schedule(client, finance, org_a):
    grant = ProgrammeFactory(provider=org_a)
    page = login(client, finance).get(reverse("finance-programme-payments", args=[grant.pk])).content.decode()
    assert "not payment by results" in page and "Record a payment" not in page


def test_nav_links(client, finance, provider):
    page = login(client, finance).get(reverse("home")).content.decode()
    assert reverse("finance-budgets") in page and reverse("finance-payments") in page
    client.logout()
    page = login(client, provider).get(reverse("home")).content.decode()
    assert reverse("finance-budgets") not in page and reverse("finance-payments") in page


def test_the_schedule_total_row_includes_outstanding(client, finance, pbr):
    """Issue 12, defect 9: the total row left the Outstanding column empty."""
    pay(finance, pbr)  # Q1's £5,333.33
    page = login(client, finance).get(reverse("finance-programme-payments", args=[pbr.pk])).content.decode()
    schedule = page[page.index('id="payment-schedule"') :]
    total = schedule[schedule.index("<tfoot>") : schedule.index("</tfoot>")]
    # Due £12,000.00 over the three quarters, £5,333.33 paid: £6,666.67 outstanding.
    assert re.findall(r"£[\d,.]+", total) == ["£12,000.00", "£5,333.33", "£6,666.67"]


def test_money_in_messages_is_formatted(client, finance, pbr):
    """Issue 12, defect 9: "Payment recorded: £18750.00 …" printed the raw decimal."""
    url = reverse("finance-programme-payments", args=[pbr.pk])
    form = {"programme": pbr.pk, "financial_year": "2009/10", "quarter": 1, "amount": "5333.33",
            "paid_on": "2009-08-01", "reference": "REM-1"}  # fmt: skip
    page = login(client, finance).post(url, form, follow=True).content.decode()
    assert "£5,333.33 to SSP-PBR1 for 2009/10 Q1" in page and "£5333.33" not in page


def test_payments_net_of_reversals_are_called_spent_on_every_page(client, finance, pbr):
    """docs/figures.md: "Spent" is the payments made, net of reversals; the budgets, stream and
    payments pages name it the same (the payments pages said "Paid")."""
    pay(finance, pbr, "1000.00")
    login(client, finance)
    pages = {
        "payments": client.get(reverse("finance-payments")).content.decode(),
        "programme": client.get(reverse("finance-programme-payments", args=[pbr.pk])).content.decode(),
        "stream": client.get(reverse("finance-stream", args=[pbr.funding_stream_id])).content.decode(),
        "budgets": client.get(reverse("finance-budgets")).content.decode(),
    }
    headers = {
        name: re.findall(r"<th[^>]*>([^<]*)</th>|<dt[^>]*>([^<]*)</dt>", page) for name, page in pages.items()
    }
    for name, found in headers.items():
        names = {a or b for a, b in found}
        assert "Paid" not in names, name
        assert "Spent" in names or "Spent (payments made)" in names, name
    for page in pages.values():
        assert "£1,000" in page
