"""Recording a payment from the page as a browser would: the form's defaults are sent back as they
were rendered (issue 12, defect 2: "Paid on" was rendered 01/12/2026, which a date input drops,
and the quarter defaulted to the current one, not the next payment due)."""

from decimal import Decimal
from html.parser import HTMLParser

import pytest
from django.urls import reverse

from grants.models import Payment
from tests.finance.conftest import TODAY, pay

pytestmark = pytest.mark.django_db


class FormValues(HTMLParser):
    """The values a browser would submit for the record-a-payment form, as rendered: text, date
    and hidden inputs' value attributes (a date input sends nothing for a value not written
    YYYY-MM-DD) and each select's selected option."""

    def __init__(self) -> None:
        super().__init__()
        self.values: dict[str, str] = {}
        self.input_types: dict[str, str] = {}
        self._in_form = False
        self._select: str | None = None

    def handle_starttag(self, tag, attrs) -> None:
        attrs = dict(attrs)
        if tag == "form" and attrs.get("aria-label") == "Record a payment":
            self._in_form = True
        if not self._in_form:
            return
        if tag == "input" and attrs.get("name"):
            self.input_types[attrs["name"]] = attrs.get("type", "text")
            value = attrs.get("value") or ""
            if attrs.get("type") == "date" and not _is_iso_date(value):
                value = ""  # what the browser does with a value it cannot read
            self.values[attrs["name"]] = value
        elif tag == "select":
            self._select = attrs.get("name")
            self.values.setdefault(self._select, "")
        elif tag == "option" and self._select and "selected" in attrs:
            self.values[self._select] = attrs.get("value") or ""

    def handle_endtag(self, tag) -> None:
        if tag == "select":
            self._select = None
        if tag == "form":
            self._in_form = False


def _is_iso_date(value: str) -> bool:
    parts = value.split("-")
    return len(parts) == 3 and [len(p) for p in parts] == [4, 2, 2] and all(p.isdigit() for p in parts)


def rendered_form(client, url: str) -> dict[str, str]:
    parser = FormValues()
    parser.feed(client.get(url).content.decode())
    assert parser.values, "no record-a-payment form on the page"
    return parser


@pytest.fixture
def at_today(settings):
    settings.YARDSTICK = {**settings.YARDSTICK, "TODAY": TODAY}


@pytest.mark.usefixtures("at_today")
def test_the_programme_page_records_its_next_payment_due_as_rendered(client, finance, pbr):
    client.force_login(finance)
    url = reverse("finance-programme-payments", args=[pbr.pk])
    form = rendered_form(client, url)
    assert form.input_types["paid_on"] == "date"
    # Q1 2009/10 is the first quarter with money outstanding (the programme ended in 2009, long
    # before "today"); its amount is offered.
    assert form.values["paid_on"] == TODAY.isoformat()
    assert (form.values["financial_year"], form.values["quarter"]) == ("2009/10", "1")
    assert Decimal(form.values["amount"]) == Decimal("5333.33")

    response = client.post(url, form.values)
    assert response.status_code == 302, response.content.decode()
    payment = Payment.objects.get()
    assert (payment.financial_year, payment.quarter, payment.amount, payment.paid_on) == (
        "2009/10", 1, Decimal("5333.33"), TODAY,
    )  # fmt: skip

    # Q1 is paid: the next payment due is Q2's share of the service fee.
    form = rendered_form(client, url)
    assert (form.values["financial_year"], form.values["quarter"]) == ("2009/10", "2")
    assert Decimal(form.values["amount"]) == Decimal("3333.33")


@pytest.mark.usefixtures("at_today")
def test_the_portfolio_page_defaults_to_the_chosen_programmes_next_payment(client, finance, pbr):
    pay(finance, pbr)  # Q1 paid
    client.force_login(finance)
    portfolio = client.get(reverse("finance-payments")).content.decode()
    link = f"?programme={pbr.pk}#record-payment"
    assert link in portfolio and "2009/10 Q2" in portfolio
    url = reverse("finance-payments") + f"?programme={pbr.pk}"
    form = rendered_form(client, url)
    assert form.values["programme"] == str(pbr.pk)
    assert (form.values["financial_year"], form.values["quarter"]) == ("2009/10", "2")
    response = client.post(url, {**form.values, "amount": "1000.00"})
    assert response.status_code == 302
    assert Payment.objects.filter(quarter=2, amount=Decimal("1000.00"), paid_on=TODAY).exists()


@pytest.mark.usefixtures("at_today")
def test_nothing_outstanding_leaves_the_quarter_to_choose_and_refusals_keep_the_input(client, finance, pbr):
    for quarter, amount in ((1, "5333.33"), (2, "3333.33"), (3, "3333.34")):
        pay(finance, pbr, amount, quarter)
    client.force_login(finance)
    url = reverse("finance-programme-payments", args=[pbr.pk])
    form = rendered_form(client, url)
    assert form.values["financial_year"] == "" and form.values["quarter"] == ""
    assert form.values["paid_on"] == TODAY.isoformat()
    page = client.post(url, {**form.values, "financial_year": "2009/10", "quarter": "3", "amount": "10.00"})
    assert page.status_code == 200
    assert "would overpay 2009/10 Q3" in page.content.decode()
    again = FormValues()
    again.feed(page.content.decode())
    assert again.values["paid_on"] == TODAY.isoformat() and again.values["amount"] == "10.00"
    assert Payment.objects.count() == 3


def test_a_provider_cannot_use_the_form(client, provider, pbr):
    client.force_login(provider)
    response = client.post(reverse("finance-programme-payments", args=[pbr.pk]), {"amount": "1.00"})
    assert response.status_code in {403, 404}
    assert not Payment.objects.exists()
