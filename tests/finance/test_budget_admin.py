"""The admin (the web form for programmes and streams) runs the same budget and payment rules."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from grants.models import FundingStream, Payment, Programme
from tests.factories import (
    FundingStreamFactory,
    OrganisationFactory,
    ProgrammeFactory,
    ProgrammeTargetFactory,
)

pytestmark = pytest.mark.django_db
D = Decimal


def _programme_form(stream, provider, **overrides) -> dict:
    form = {
        "reference": "SSP-ADM1", "title": "Admin award", "description": "", "provider": provider.pk,
        "funding_stream": stream.pk, "award_amount": "60000.00", "start_date": "2010-04-01",
        "end_date": "2011-03-31", "status": "active", "commissioning_model": "grant", "service_fee": "0",
        "evidence_grade": "", "attribution": "",
        "programme_priorities-TOTAL_FORMS": "0", "programme_priorities-INITIAL_FORMS": "0",
        "targets-TOTAL_FORMS": "0", "targets-INITIAL_FORMS": "0",
    }  # fmt: skip
    form.update(overrides)
    return form


def test_admin_refuses_an_award_over_the_budget(client, admin_user):
    stream = FundingStreamFactory(budget=D("200000"))
    ProgrammeFactory(funding_stream=stream, award_amount=D("150000"))
    client.force_login(admin_user)
    response = client.post(
        reverse("admin:grants_programme_add"), _programme_form(stream, OrganisationFactory())
    )
    assert response.status_code == 200
    assert "at most £50,000 is available" in response.content.decode()
    assert not Programme.objects.filter(reference="SSP-ADM1").exists()


def test_admin_refuses_a_budget_below_the_awards(client, admin_user):
    stream = FundingStreamFactory(budget=D("200000"))
    ProgrammeFactory(funding_stream=stream, award_amount=D("150000"))
    client.force_login(admin_user)
    form = {"name": stream.name, "code": stream.code, "funder": stream.funder_id,
            "financial_year": stream.financial_year, "budget": "100000", "description": ""}  # fmt: skip
    response = client.post(reverse("admin:grants_fundingstream_change", args=[stream.pk]), form)
    assert "£150,000 is already awarded" in response.content.decode()
    assert FundingStream.objects.get(pk=stream.pk).budget == D("200000")
    form["budget"] = "150000"
    assert (
        client.post(reverse("admin:grants_fundingstream_change", args=[stream.pk]), form).status_code == 302
    )


def test_admin_payment_runs_the_payment_rules(client, admin_user, org_a):
    programme = ProgrammeFactory(
        provider=org_a, commissioning_model=Programme.Model.PAYMENT_BY_RESULTS, service_fee=D("8000"),
        start_date=date(2009, 4, 1), end_date=date(2011, 3, 31),
    )  # fmt: skip
    ProgrammeTargetFactory(programme=programme)
    client.force_login(admin_user)
    form = {"programme": programme.pk, "financial_year": "2009/10", "quarter": "1", "amount": "1000.01",
            "paid_on": "2009-08-01", "reference": "ADM-1"}  # fmt: skip
    page = client.post(reverse("admin:grants_payment_add"), form).content.decode()
    assert "would overpay 2009/10 Q1" in page
    assert not Payment.objects.exists()
    form["amount"] = "1000.00"
    assert client.post(reverse("admin:grants_payment_add"), form).status_code == 302
    payment = Payment.objects.get()
    assert payment.recorded_by == admin_user and payment.history.get().history_user == admin_user
    change = client.get(reverse("admin:grants_payment_change", args=[payment.pk])).content.decode()
    assert 'name="amount"' not in change  # read only once recorded
