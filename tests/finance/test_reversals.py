"""Reversing a payment recorded in error: a linked entry of minus the amount, never an edit.
The figures net it out, the quarter is payable again, each payment is reversed at most once
(also in the database), a reversal is not reversed, and only finance officers may reverse."""

from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from audit.selectors import AuditFilter, AuditLog
from core.errors import Conflict, NotFound, NotPermitted, ValidationFailed
from grants import selectors, services
from grants.models import Payment
from tests.conftest import login
from tests.finance.conftest import TODAY, pay, post_at_once

pytestmark = pytest.mark.django_db
D = Decimal


def _reverse(user, payment, reason="Paid to the wrong quarter"):
    return services.payment_reverse(user=user, payment=payment, reason=reason, today=TODAY)


# --- the service and the figures ---------------------------------------------------------------------


def test_reversal_is_a_linked_negative_entry_and_the_original_is_kept(pbr, finance):
    payment = pay(finance, pbr, reference="REM-1")
    reversal = _reverse(finance, payment, "  Duplicate of the March remittance  ")
    assert reversal.kind == Payment.Kind.REVERSAL and reversal.reverses == payment
    assert reversal.amount == D("-5333.33")
    assert (reversal.programme, reversal.financial_year, reversal.quarter) == (pbr, "2009/10", 1)
    assert reversal.reason == "Duplicate of the March remittance"
    assert reversal.paid_on == TODAY and reversal.recorded_by == finance
    payment.refresh_from_db()
    assert payment.amount == D("5333.33") and payment.kind == Payment.Kind.PAYMENT  # untouched
    assert payment.reversal == reversal
    assert payment.history.count() == 1  # the original was never saved again
    record = reversal.history.get()
    assert record.history_user == finance and record.history_change_reason == reversal.reason


def test_reversal_nets_out_of_paid_outstanding_and_budgets(pbr, finance):
    payment = pay(finance, pbr)
    pay(finance, pbr, "1000", quarter=2)
    before = selectors.payment_schedule(pbr, today=TODAY)
    assert (before.paid, before.find("2009/10", 1).outstanding) == (D("6333.33"), D("0.00"))
    _reverse(finance, payment)
    after = selectors.payment_schedule(pbr, today=TODAY)
    assert after.find("2009/10", 1).paid == D("0.00")
    assert after.find("2009/10", 1).outstanding == D("5333.33")
    assert after.paid == D("1000.00")
    assert after.outstanding == after.due_to_date - D("1000.00")
    assert selectors.paid_by_programme([pbr.pk]) == {pbr.pk: D("1000.00")}
    stream = pbr.funding_stream
    assert selectors.stream_budgets([stream])[stream.pk].spent == D("1000.00")  # spent = payments made
    [row] = selectors.stream_programmes(stream)
    assert row["spent"] == D("1000.00")


def test_quarter_is_payable_again_and_the_reference_reusable(pbr, finance):
    payment = pay(finance, pbr, "5000", reference="REM-1")
    with pytest.raises(ValidationFailed, match="would overpay"):
        pay(finance, pbr, "5333.33")
    _reverse(finance, payment, "Wrong amount keyed")
    corrected = pay(finance, pbr, "5333.33", reference="REM-1")  # the reversed payment's reference
    assert selectors.payment_schedule(pbr, today=TODAY).find("2009/10", 1).outstanding == D("0.00")
    with pytest.raises(Conflict):
        pay(finance, pbr, "0.01", quarter=2, reference="REM-1")  # a live payment's reference is taken
    assert corrected.kind == Payment.Kind.PAYMENT


def test_cannot_reverse_twice(pbr, finance):
    payment = pay(finance, pbr)
    first = _reverse(finance, payment)
    with pytest.raises(Conflict, match="already been reversed") as exc:
        _reverse(finance, payment)
    assert exc.value.extra == {"existing_id": first.pk}
    assert Payment.objects.filter(kind=Payment.Kind.REVERSAL).count() == 1


def test_a_reversal_cannot_be_reversed(pbr, finance):
    reversal = _reverse(finance, pay(finance, pbr))
    with pytest.raises(Conflict, match="cannot be reversed"):
        _reverse(finance, reversal)
    assert Payment.objects.count() == 2


@pytest.mark.parametrize("reason", ["", "   ", None, "x" * 1001])
def test_a_reason_is_required(pbr, finance, reason):
    payment = pay(finance, pbr)
    with pytest.raises(ValidationFailed) as exc:
        _reverse(finance, payment, reason)
    assert list(exc.value.errors) == ["reason"]
    assert not Payment.objects.filter(kind=Payment.Kind.REVERSAL).exists()


def test_only_finance_officers_and_admins_reverse(
    pbr, finance, commissioner, provider, provider2, admin_user
):
    payment = pay(finance, pbr)
    with pytest.raises(NotPermitted):
        _reverse(commissioner, payment)
    with pytest.raises(NotPermitted):
        _reverse(provider, payment)  # their own programme: may see it, may not reverse it
    with pytest.raises(NotFound):
        _reverse(provider2, payment)  # another organisation's: not even visible
    assert _reverse(admin_user, payment).recorded_by == admin_user


# --- the database constraints ---------------------------------------------------------------------


def _row(pbr, user, **fields):
    base = {
        "programme": pbr,
        "financial_year": "2009/10",
        "quarter": 1,
        "paid_on": TODAY,
        "recorded_by": user,
    }
    return Payment(**(base | fields))


def test_database_allows_one_reversal_per_payment(pbr, finance):
    payment = pay(finance, pbr)
    _reverse(finance, payment)
    with pytest.raises(IntegrityError), transaction.atomic():
        _row(pbr, finance, kind="reversal", amount=D("-5333.33"), reverses=payment, reason="again").save()


@pytest.mark.parametrize(
    "fields",
    [
        {"kind": "payment", "amount": D("-1")},  # a payment is positive
        {"kind": "payment", "amount": D("0")},
        {"kind": "reversal", "amount": D("5333.33"), "reason": "x"},  # a reversal is negative
        {"kind": "reversal", "amount": D("-5333.33"), "reason": ""},  # and has a reason
        {"kind": "reversal", "amount": D("-5333.33"), "reason": "x", "reverses": None},  # and an original
        {"kind": "payment", "amount": D("10"), "reason": "x"},  # a payment has no reason
        {"kind": "refund", "amount": D("-10"), "reason": "x"},
    ],
)
def test_database_ties_sign_reason_and_link_to_the_kind(pbr, finance, fields):
    payment = pay(finance, pbr, "100")
    fields = {"reverses": payment} | fields if fields["kind"] != "payment" else fields
    with pytest.raises(IntegrityError), transaction.atomic():
        _row(pbr, finance, **fields).save()


def test_a_payment_linked_to_another_is_refused_by_the_database(pbr, finance):
    payment = pay(finance, pbr, "100")
    with pytest.raises(IntegrityError), transaction.atomic():
        _row(pbr, finance, kind="payment", amount=D("100"), reverses=payment).save()


# --- the audit log ---------------------------------------------------------------------------------


def test_reversal_appears_in_the_audit_log_with_its_reason(pbr, finance):
    payment = pay(finance, pbr)
    reversal = _reverse(finance, payment, "Paid twice")
    entries = list(AuditLog(AuditFilter(object_type="payment"))[:10])
    newest = entries[0]
    assert newest.object_id == reversal.pk and newest.action == "created"
    assert newest.object_label == f"Reversal of payment {payment.pk}: -£5,333.33 to SSP-PBR1 for 2009/10 Q1"
    assert newest.reason == "Paid twice" and newest.username == finance.username
    assert entries[1].object_label == "£5,333.33 to SSP-PBR1 for 2009/10 Q1"


# --- the API -----------------------------------------------------------------------------------------


def _url(payment):
    return f"/api/payments/{payment.pk}/reverse/"


def test_api_reverses_a_payment(api, finance, pbr):
    payment = pay(finance, pbr, reference="REM-1")
    response = api(finance).post(_url(payment), {"reason": "Paid to the wrong programme"}, format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    reversal = Payment.objects.get(kind=Payment.Kind.REVERSAL)
    assert body == {
        "id": reversal.pk,
        "kind": "reversal",
        "programme": pbr.pk,
        "programme_reference": "SSP-PBR1",
        "financial_year": "2009/10",
        "quarter": 1,
        "amount": "-5333.33",
        "paid_on": reversal.paid_on.isoformat(),
        "reference": "",
        "reverses": payment.pk,
        "reversed_by": None,
        "reason": "Paid to the wrong programme",
        "recorded_by": finance.username,
        "recorded_at": body["recorded_at"],
    }
    original = api(finance).get(f"/api/payments/{payment.pk}/").json()
    assert (original["kind"], original["amount"], original["reversed_by"]) == (
        "payment",
        "5333.33",
        reversal.pk,
    )
    summary = api(finance).get("/api/payments/summary/").json()
    assert summary[0]["totals"]["paid"] == "0.00"
    schedule = api(finance).get(f"/api/programmes/{pbr.pk}/payments/").json()
    assert schedule["quarters"][0]["paid"] == "0.00"
    assert schedule["quarters"][0]["outstanding"] == schedule["quarters"][0]["due"]
    listed = api(finance).get("/api/payments/", {"kind": "reversal"}).json()["results"]
    assert [p["id"] for p in listed] == [reversal.pk]


def test_api_errors(api, finance, pbr):
    payment = pay(finance, pbr)
    client = api(finance)
    empty = client.post(_url(payment), {"reason": " "}, format="json")
    assert empty.status_code == 400 and "reason" in empty.json()
    assert client.post(_url(payment), {}, format="json").status_code == 400
    assert client.post(_url(payment), {"reason": "x", "amount": "1"}, format="json").status_code == 400
    assert client.post("/api/payments/999999/reverse/", {"reason": "x"}, format="json").status_code == 404
    first = client.post(_url(payment), {"reason": "Paid twice"}, format="json").json()
    again = client.post(_url(payment), {"reason": "Paid twice"}, format="json")
    assert again.status_code == 409 and again.json()["existing_id"] == first["id"]
    reversal = Payment.objects.get(pk=first["id"])
    assert client.post(_url(reversal), {"reason": "x"}, format="json").status_code == 409


def test_api_permissions(api, finance, commissioner, provider, provider2, pbr):
    payment = pay(finance, pbr)
    assert api().post(_url(payment), {"reason": "x"}, format="json").status_code == 401
    assert api(commissioner).post(_url(payment), {"reason": "x"}, format="json").status_code == 403
    assert api(provider).post(_url(payment), {"reason": "x"}, format="json").status_code == 403
    assert api(provider2).post(_url(payment), {"reason": "x"}, format="json").status_code == 404
    assert api(provider).post(_url(payment), {}, format="json").status_code == 403  # not a 400 first
    assert not Payment.objects.filter(kind=Payment.Kind.REVERSAL).exists()


def test_api_schema_documents_the_reverse_operation(api, finance):
    schema = api(finance).get("/api/schema/?format=json").json()
    operation = schema["paths"]["/api/payments/{id}/reverse/"]["post"]
    assert {"201", "400", "401", "403", "404", "409"} <= set(operation["responses"])


# --- the pages ---------------------------------------------------------------------------------------


def test_finance_officer_reverses_from_the_payments_page(client, finance, pbr):
    payment = pay(finance, pbr, reference="REM-1")
    page_url = reverse("finance-programme-payments", args=[pbr.pk])
    page = login(client, finance).get(page_url).content.decode()
    action = reverse("finance-payment-reverse", args=[payment.pk])
    assert f'action="{action}"' in page and '<span class="govuk-details__summary-text">Reverse</span>' in page
    response = client.post(action, {"reason": "Keyed against the wrong quarter"})
    assert response.status_code == 302 and response["Location"] == page_url
    page = client.get(page_url).content.decode()
    assert "Payment reversed" in page
    assert "<del>£5,333.33</del>" in page
    assert "Reversed</strong> on" in page and f"by {finance.username}: Keyed against the wrong quarter" in page
    assert "Reversal</strong> of" in page and "-£5,333.33" in page
    assert f'action="{action}"' not in page  # no second reversal offered


def test_empty_reason_shows_an_error_and_reverses_nothing(client, finance, pbr):
    payment = pay(finance, pbr)
    login(client, finance)
    response = client.post(reverse("finance-payment-reverse", args=[payment.pk]), {"reason": "  "})
    assert response.status_code == 200
    assert "Say why this payment is being reversed." in response.content.decode()
    assert not Payment.objects.filter(kind=Payment.Kind.REVERSAL).exists()


def test_reversing_again_on_the_page_says_it_is_already_reversed(client, finance, pbr):
    payment = pay(finance, pbr)
    _reverse(finance, payment, "Paid twice")
    login(client, finance)
    url = reverse("finance-payment-reverse", args=[payment.pk])
    response = client.post(url, {"reason": "again"}, follow=True)
    page = response.content.decode()
    assert "has already been reversed" in page and "was reversed on" in page
    assert Payment.objects.filter(kind=Payment.Kind.REVERSAL).count() == 1


def test_page_permissions(client, finance, commissioner, provider, provider2, pbr):
    payment = pay(finance, pbr)
    url = reverse("finance-payment-reverse", args=[payment.pk])
    page_url = reverse("finance-programme-payments", args=[pbr.pk])
    assert login(client, commissioner).post(url, {"reason": "x"}).status_code == 403
    assert '<span class="govuk-details__summary-text">Reverse</span>' not in client.get(page_url).content.decode()
    assert login(client, provider).post(url, {"reason": "x"}).status_code == 403
    assert login(client, provider2).post(url, {"reason": "x"}).status_code == 404
    assert not Payment.objects.filter(kind=Payment.Kind.REVERSAL).exists()


@pytest.mark.django_db(transaction=True)
def test_concurrent_reversals_record_one(on_postgres, finance, pbr):
    """Two reversals of one payment at the same moment: one 201, one 409, one reversal saved."""
    payment = pay(finance, pbr)
    codes = post_at_once(finance, _url(payment), [{"reason": f"Paid twice ({n})"} for n in (1, 2)])
    assert sorted(codes) == [201, 409]
    assert Payment.objects.filter(kind=Payment.Kind.REVERSAL).count() == 1


def test_a_long_reason_is_kept_whole_on_the_reversal_and_shortened_in_history(pbr, finance):
    reason = "The remittance was sent twice; " + "details of the bank's correspondence follow. " * 10
    reversal = _reverse(finance, pay(finance, pbr, reference="REM-9"), reason)
    assert reversal.reason == reason.strip()
    recorded = reversal.history.get().history_change_reason
    assert len(recorded) == 100 and recorded.endswith("…") and reason.startswith(recorded[:-1])
