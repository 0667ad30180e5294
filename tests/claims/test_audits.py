"""Sampling audits of claims: drawing (random and reproducible, risk-based), marking, concluding
(the figures, the invalid claims rejected), the clawback through the payments, the pages and the
API, and who may do what."""

import hashlib
from datetime import date, timedelta
from decimal import Decimal

import pytest

from claims import services
from claims.models import AuditedClaim, Claim, ClaimAudit, ClaimTerms, Enrolment, Participant, PayableOutcome
from claims.services.audits import AuditRequest
from core.errors import Conflict, NotFound, NotPermitted, ValidationFailed
from grants.models import Payment, Programme
from grants.selectors import payment_schedule
from grants.services import payment_record, payment_reverse

pytestmark = pytest.mark.django_db
URL = "/api/claim-audits/"
TODAY = date(2010, 10, 20)


@pytest.fixture(autouse=True)
def demo_today(settings):
    settings.YARDSTICK = {**settings.YARDSTICK, "TODAY": TODAY}


def make_claims(programme, measure, user, count, *, price="600", start=date(2010, 4, 5), status="verified"):
    outcome, _ = PayableOutcome.objects.get_or_create(
        programme=programme,
        measure=measure,
        defaults={"tariff": Decimal(price), "evidence_types": ["payslip"]},
    )
    claims = []
    for i in range(count):
        digest = hashlib.sha256(f"{programme.pk}-{measure.pk}-{i}".encode()).hexdigest()
        participant = Participant.objects.create(pseudonym=digest, synthetic=True)
        Enrolment.objects.create(participant=participant, programme=programme, start_date=date(2010, 1, 4))
        claims.append(
            Claim.objects.create(
                participant=participant,
                programme=programme,
                payable_outcome=outcome,
                measure=measure,
                achieved_on=start + timedelta(days=i % 80),
                evidence_type="payslip",
                price=Decimal(price),
                status=status,
                submitted_by=user,
            )
        )
    return claims


@pytest.fixture
def audited(portfolio, provider, commissioner):
    """Programme A (PbR, service fee £80,000 over its 8 quarters) has 40 verified claims of £600 for 2010/11 Q1 (£24,000)."""
    programme = portfolio["a"]
    Programme.objects.filter(pk=programme.pk).update(
        commissioning_model=Programme.Model.PAYMENT_BY_RESULTS, service_fee=Decimal("80000")
    )
    programme.refresh_from_db()
    claims = make_claims(programme, portfolio["measure"], provider, 40)
    return {"programme": programme, "claims": claims, **portfolio}


def draw(user, programme, **kwargs):
    data = {
        "programme_id": programme.pk,
        "financial_year": "2010/11",
        "quarter": 1,
        "method": "random",
        "size": 8,
    }
    return services.audit_draw(user=user, data=AuditRequest(**(data | kwargs)))


def test_a_random_sample_is_recorded_with_its_seed_and_reproducible(commissioner, audited):
    first = draw(commissioner, audited["programme"], seed=20101020)
    assert first.population_count == 40 and first.population_value == Decimal("24000.00")
    sampled = sorted(first.items.values_list("claim_id", flat=True))
    assert len(sampled) == 8 and first.seed == 20101020
    mark_all(commissioner, first, invalid=0)
    services.audit_conclude(user=commissioner, audit=first)
    again = draw(commissioner, audited["programme"], seed=20101020)
    assert sorted(again.items.values_list("claim_id", flat=True)) == sampled
    other = ClaimAudit.objects.get(pk=again.pk)
    mark_all(commissioner, other, invalid=0)
    services.audit_conclude(user=commissioner, audit=other)
    third = draw(commissioner, audited["programme"], seed=7)
    assert sorted(third.items.values_list("claim_id", flat=True)) != sampled


def test_a_percentage_sample_rounds_up_and_a_seed_is_chosen(commissioner, audited):
    audit = draw(commissioner, audited["programme"], size=None, percent=Decimal("12.5"))
    assert audit.items.count() == 5 and audit.requested_percent == Decimal("12.5") and audit.seed >= 0


def mark_all(user, audit, *, invalid: int):
    for index, item in enumerate(audit.items.order_by("id")):
        bad = index < invalid
        services.audit_claim_mark(
            user=user,
            audit=audit,
            item_id=item.pk,
            valid=not bad,
            reason="Payslip predates the start" if bad else "",
        )


def test_concluding_gives_the_figures_rejects_invalid_claims_and_the_clawback_is_posted(
    commissioner, finance, audited
):
    audit = draw(commissioner, audited["programme"], seed=1)
    mark_all(commissioner, audit, invalid=2)
    audit = services.audit_conclude(user=commissioner, audit=audit)
    # 2 of 8 claims of £600 invalid: tests/claims/test_audit_stats.py works these out by hand.
    assert audit.error_rate == Decimal("0.250000")
    assert (audit.ci_low, audit.ci_high) == (Decimal("0.000000"), Decimal("0.536915"))
    assert audit.recovery == Decimal("6000.00") and audit.invalid_value == Decimal("1200.00")
    assert audit.clawback_amount == Decimal("4800.00")
    invalid = AuditedClaim.objects.filter(audit=audit, result="invalid").values_list("claim_id", flat=True)
    for claim in Claim.objects.filter(pk__in=invalid):
        assert claim.status == "rejected" and claim.reason.startswith(
            f"Found invalid by audit {audit.pk}: Payslip"
        )
    assert Claim.objects.filter(status="verified").count() == 38
    # A payment for the quarter (its fee share), then the clawback: both paid and due come down.
    before = payment_schedule(audited["programme"], today=TODAY).find("2010/11", 1)
    payment = services.audit_post_clawback(user=finance, audit=audit)
    assert payment.kind == Payment.Kind.CLAWBACK and payment.amount == Decimal("-4800.00")
    assert payment.reason.startswith(
        f"Audit {audit.pk} of {audited['programme'].reference} claims for 2010/11 Q1"
    )
    assert "error rate 25.00% by value" in payment.reason
    after = payment_schedule(audited["programme"], today=TODAY).find("2010/11", 1)
    assert after.paid == before.paid - Decimal("4800.00")
    assert after.due == before.due - Decimal("4800.00") and after.outstanding == before.outstanding
    audit.refresh_from_db()
    assert audit.clawback == payment
    with pytest.raises(Conflict, match="already posted"):
        services.audit_post_clawback(user=finance, audit=audit)
    with pytest.raises(Conflict, match="clawback; it cannot be reversed"):
        payment_reverse(user=finance, payment=payment, reason="Oops")


def test_the_clawback_leaves_a_paid_quarter_paid(finance, commissioner, audited):
    programme = audited["programme"]
    row = payment_schedule(programme, today=TODAY).find("2010/11", 1)
    payment_record(
        user=finance, programme=programme, financial_year="2010/11", quarter=1, amount=row.due, paid_on=TODAY
    )
    audit = draw(commissioner, programme, seed=3)
    mark_all(commissioner, audit, invalid=1)
    services.audit_post_clawback(user=finance, audit=services.audit_conclude(user=commissioner, audit=audit))
    after = payment_schedule(programme, today=TODAY).find("2010/11", 1)
    assert after.outstanding == 0  # not made payable again


def test_concluding_needs_every_claim_checked(commissioner, audited):
    audit = draw(commissioner, audited["programme"])
    with pytest.raises(ValidationFailed, match="8 of the 8 sampled claims are not checked yet"):
        services.audit_conclude(user=commissioner, audit=audit)
    item = audit.items.first()
    with pytest.raises(ValidationFailed, match="Say why the claim is invalid"):
        services.audit_claim_mark(user=commissioner, audit=audit, item_id=item.pk, valid=False)
    mark_all(commissioner, audit, invalid=0)
    services.audit_conclude(user=commissioner, audit=audit)
    with pytest.raises(Conflict, match="concluded"):
        services.audit_claim_mark(user=commissioner, audit=audit, item_id=item.pk, valid=True)
    with pytest.raises(Conflict, match="already concluded"):
        services.audit_conclude(user=commissioner, audit=audit)


def test_nothing_to_claw_back_is_refused(commissioner, finance, audited):
    audit = draw(commissioner, audited["programme"])
    mark_all(commissioner, audit, invalid=0)
    audit = services.audit_conclude(user=commissioner, audit=audit)
    assert audit.recovery == Decimal("0.00")
    with pytest.raises(ValidationFailed, match="nothing to claw back"):
        services.audit_post_clawback(user=finance, audit=audit)


@pytest.mark.parametrize(
    "kwargs, field, words",
    [
        ({"size": 41}, "size", "cannot be larger than the 40 claims"),
        ({"size": 1}, "size", "at least 2 claims"),
        ({"size": None}, "size", "either as a number of claims or as a percentage"),
        ({"percent": Decimal("10")}, "size", "either as a number"),
        ({"quarter": 3}, "quarter", "no verified or paid claims for 2010/11 Q3"),
        ({"financial_year": "2010/12"}, "financial_year", ""),
        ({"method": "risk"}, "risk", "Choose the risk"),
        ({"method": "random", "risk": "near_cap"}, "risk", "A random sample has no risk"),
        ({"method": "risk", "risk": "near_cap"}, "risk", "no cap per participant"),
        ({"seed": -1}, "seed", "whole number"),
    ],
)
def test_a_bad_request_is_refused_and_draws_nothing(commissioner, audited, kwargs, field, words):
    with pytest.raises(ValidationFailed) as caught:
        draw(commissioner, audited["programme"], **kwargs)
    assert field in caught.value.errors and words in caught.value.errors[field][0]
    assert ClaimAudit.objects.count() == 0


def test_one_open_audit_per_programme_quarter(commissioner, audited):
    draw(commissioner, audited["programme"])
    with pytest.raises(Conflict, match="already has an audit open for 2010/11 Q1"):
        draw(commissioner, audited["programme"])


def test_risk_based_samples(commissioner, provider, audited):
    programme = audited["programme"]
    # Close to the earliest date: achieved soonest after start + earliest days (4 Jan 2010 + 0).
    audit = draw(commissioner, programme, method="risk", risk="near_earliest", size=3, seed=5)
    achieved = sorted(audit.items.values_list("claim__achieved_on", flat=True))
    assert achieved == [date(2010, 4, 5), date(2010, 4, 6), date(2010, 4, 7)]
    assert (
        audit.items.order_by("claim__achieved_on").first().risk_note
        == "Achieved 91 days after the earliest date"
    )
    mark_all(commissioner, audit, invalid=1)
    audit = services.audit_conclude(user=commissioner, audit=audit)
    assert audit.ci_low is None and audit.recovery == Decimal("600.00") and audit.clawback_amount == 0
    # Near the cap: a cap of £1,500 and one participant with a second claim (£600 + £600).
    ClaimTerms.objects.create(programme=programme, cap_per_participant=Decimal("1500"))
    first = audited["claims"][10]  # [0] was found invalid above
    other = PayableOutcome.objects.create(
        programme=programme, measure=audited["negative"], tariff=Decimal("600"), evidence_types=["payslip"]
    )
    Claim.objects.create(
        participant=first.participant, programme=programme, payable_outcome=other, measure=audited["negative"],
        achieved_on=date(2010, 9, 1), evidence_type="payslip", price=Decimal("600"), status="submitted",
        submitted_by=provider,
    )  # fmt: skip
    audit = draw(commissioner, programme, method="risk", risk="near_cap", size=1)
    item = audit.items.get()
    assert item.claim_id == first.pk and item.risk_note == "Participant at £1,200 of the £1,500 cap (80%)"
    mark_all(commissioner, audit, invalid=0)
    services.audit_conclude(user=commissioner, audit=audit)
    # Unusual volumes: five claims submitted on one day stand out from one a day.
    for offset, claim in enumerate(audited["claims"][1:]):
        day = TODAY - timedelta(days=offset if offset >= 5 else 100)
        Claim.objects.filter(pk=claim.pk).update(submitted_at=f"{day.isoformat()}T12:00:00Z")
    audit = draw(commissioner, programme, method="risk", risk="volume", size=5)
    assert all(
        "One of 5 claims submitted on 12 Jul 2010" in note
        for note in audit.items.values_list("risk_note", flat=True)
    )


def test_only_commissioners_draw_and_check_and_only_finance_posts(
    commissioner, finance, provider, provider2, audited
):
    programme = audited["programme"]
    for user in (finance, provider):
        with pytest.raises(NotPermitted, match="Only commissioners can draw"):
            draw(user, programme)
    with pytest.raises(NotFound):
        draw(provider2, programme)
    audit = draw(commissioner, programme)
    item = audit.items.first()
    with pytest.raises(NotPermitted):
        services.audit_claim_mark(user=provider, audit=audit, item_id=item.pk, valid=True)
    with pytest.raises(NotFound):
        services.audit_claim_mark(user=provider2, audit=audit, item_id=item.pk, valid=True)
    mark_all(commissioner, audit, invalid=2)
    audit = services.audit_conclude(user=commissioner, audit=audit)
    for user in (commissioner, provider):
        with pytest.raises(NotPermitted):
            services.audit_post_clawback(user=user, audit=audit)
    assert not Payment.objects.exists()


# The API


def test_the_api_draws_marks_concludes_and_claws_back(api, commissioner, finance, audited):
    body = {"programme": audited["programme"].pk, "financial_year": "2010/11", "quarter": 1, "method": "random",
            "size": 8, "seed": 11}  # fmt: skip
    response = api(commissioner).post(URL, body, format="json")
    assert response.status_code == 201, response.json()
    audit = response.json()
    assert audit["seed"] == 11 and len(audit["items"]) == 8 and audit["population_value"] == "24000.00"
    for index, item in enumerate(audit["items"]):
        mark = {"item": item["id"], "valid": index >= 2, "reason": "" if index >= 2 else "No payslip on file"}
        response = api(commissioner).post(f"{URL}{audit['id']}/mark/", mark, format="json")
        assert response.status_code == 200, response.json()
    response = api(commissioner).post(f"{URL}{audit['id']}/conclude/")
    assert response.status_code == 200
    assert response.json()["error_rate"] == "0.250000" and response.json()["clawback_amount"] == "4800.00"
    assert api(commissioner).post(f"{URL}{audit['id']}/clawback/").status_code == 403
    response = api(finance).post(f"{URL}{audit['id']}/clawback/")
    assert response.status_code == 201 and response.json()["kind"] == "clawback"
    assert response.json()["amount"] == "-4800.00"
    assert api(finance).post(f"{URL}{audit['id']}/clawback/").status_code == 409


def test_the_api_refuses_bad_input_with_a_clear_message(api, commissioner, audited):
    response = api(commissioner).post(
        URL, {"programme": audited["programme"].pk, "financial_year": "2010/11", "quarter": 1, "method": "random",
              "size": 100}, format="json",
    )  # fmt: skip
    assert response.status_code == 400 and "cannot be larger than the 40 claims" in str(response.json())
    response = api(commissioner).post(URL, {"programme": 1, "bogus": 1}, format="json")
    assert response.status_code == 400 and "bogus" in str(response.json()), response.json()


def test_api_isolation(api, commissioner, provider, provider2, audited):
    audit = draw(commissioner, audited["programme"])
    assert api().get(URL).status_code == 401
    assert api(provider).get(f"{URL}{audit.pk}/").status_code == 200
    assert api(provider2).get(f"{URL}{audit.pk}/").status_code == 404
    assert api(provider2).get(URL).json()["count"] == 0
    item = audit.items.first().pk
    assert (
        api(provider).post(f"{URL}{audit.pk}/mark/", {"item": item, "valid": True}, format="json").status_code
        == 403
    )
    assert api(provider2).post(f"{URL}{audit.pk}/conclude/").status_code == 404


# The pages


def test_the_pages_draw_mark_conclude_and_claw_back(client, commissioner, finance, audited):
    client.force_login(commissioner)
    assert 'href="/claims/audits/"' in client.get("/claims/").content.decode()  # the ledger links to them
    assert client.get("/claims/audits/").status_code == 200
    page = client.get("/claims/audits/new/")
    assert page.status_code == 200 and audited["programme"].reference in page.content.decode()
    response = client.post(
        "/claims/audits/new/",
        {"programme": audited["programme"].pk, "financial_year": "2010/11", "quarter": 1, "method": "random",
         "size": 8, "seed": 3},
    )  # fmt: skip
    audit = ClaimAudit.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/claims/audits/{audit.pk}/"
    for index, item in enumerate(audit.items.order_by("id")):
        valid = "no" if index < 2 else "yes"
        client.post(
            f"/claims/audits/{audit.pk}/mark/", {"item": item.pk, "valid": valid, "reason": "No evidence"}
        )
    client.post(f"/claims/audits/{audit.pk}/conclude/")
    page = client.get(f"/claims/audits/{audit.pk}/").content.decode()
    assert "25.00%" in page and "0.00% to 53.69%" in page and "£4,800.00" in page
    assert client.post(f"/claims/audits/{audit.pk}/clawback/").status_code == 403
    client.force_login(finance)
    assert "Post the clawback of £4,800.00" in client.get(f"/claims/audits/{audit.pk}/").content.decode()
    client.post(f"/claims/audits/{audit.pk}/clawback/")
    assert Payment.objects.get().amount == Decimal("-4800.00")
    payments = client.get(f"/finance/programmes/{audited['programme'].pk}/payments/").content.decode()
    assert "Clawback" in payments and f"Audit {audit.pk} of" in payments


def test_a_bad_draw_shows_the_error_on_the_form(client, commissioner, audited):
    client.force_login(commissioner)
    response = client.post(
        "/claims/audits/new/",
        {
            "programme": audited["programme"].pk,
            "financial_year": "2010/11",
            "quarter": 3,
            "method": "random",
            "size": 8,
        },
    )
    assert (
        response.status_code == 200
        and "no verified or paid claims for 2010/11 Q3" in response.content.decode()
    )


def test_providers_cannot_draw_on_the_page(client, provider, audited):
    client.force_login(provider)
    assert client.get("/claims/audits/new/").status_code == 403


def test_invalid_claims_already_paid_are_recovered_by_the_clawback(commissioner, finance, audited):
    """Rejecting a paid claim does not take its money back (what was earned stands); the
    clawback does: here every sampled claim was paid, so the clawback is the whole recovery."""
    programme = audited["programme"]
    payment = payment_record(
        user=finance, programme=programme, financial_year="2010/11", quarter=1, amount=Decimal("100"), paid_on=TODAY
    )
    Claim.objects.filter(programme=programme).update(status="paid", payment=payment)
    audit = draw(commissioner, programme, seed=1)
    mark_all(commissioner, audit, invalid=2)
    audit = services.audit_conclude(user=commissioner, audit=audit)
    assert audit.recovery == Decimal("6000.00") and audit.invalid_value == Decimal("1200.00")
    assert audit.clawback_amount == Decimal("6000.00")
    assert Claim.objects.filter(status="rejected").count() == 2
    before = payment_schedule(programme, today=TODAY).find("2010/11", 1)
    clawback = services.audit_post_clawback(user=finance, audit=audit)
    assert clawback.amount == Decimal("-6000.00")
    assert "of which £0.00 by rejecting unpaid invalid sampled claims" in clawback.reason
    after = payment_schedule(programme, today=TODAY).find("2010/11", 1)
    assert after.paid == before.paid - Decimal("6000.00") and after.outstanding == before.outstanding


def test_a_risk_based_audit_claws_back_its_paid_invalid_claims(commissioner, finance, audited):
    programme = audited["programme"]
    payment = payment_record(
        user=finance, programme=programme, financial_year="2010/11", quarter=1, amount=Decimal("100"), paid_on=TODAY
    )
    Claim.objects.filter(programme=programme).update(status="paid", payment=payment)
    audit = draw(commissioner, programme, method="risk", risk="near_earliest", size=4)
    mark_all(commissioner, audit, invalid=1)
    audit = services.audit_conclude(user=commissioner, audit=audit)
    assert audit.recovery == Decimal("600.00") and audit.clawback_amount == Decimal("600.00")
    clawback = services.audit_post_clawback(user=finance, audit=audit)
    assert "in a risk-based sample, not extrapolated" in clawback.reason
