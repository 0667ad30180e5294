"""Retention: purge_participants deletes the links to participants whose programmes all ended
more than the retention period ago, keeping the claims and the payments."""

from datetime import date
from decimal import Decimal
from io import StringIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from claims.models import Claim, Enrolment, EvidenceFile, Participant
from claims.services.evidence import evidence_add
from claims.services.retention import participants_purge, retention_cutoff
from grants.models import Payment, Programme
from grants.services import payment_record
from tests.claims.test_audits import make_claims

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


@pytest.fixture(autouse=True)
def private_storage(settings, tmp_path):
    root = tmp_path / "evidence"
    settings.STORAGES = {
        **settings.STORAGES,
        "evidence": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(root)}},
    }
    return root


@pytest.fixture
def ended(portfolio, provider, finance, settings):
    """Programmes A and B end 31 March 2011. A has 6 claimants (one also enrolled on B, which runs
    on to 2020), with eligibility answers and notes; a payment to A."""
    settings.YARDSTICK = {**settings.YARDSTICK, "TODAY": date(2010, 10, 20)}
    a, b = portfolio["a"], portfolio["b"]
    Programme.objects.filter(pk=a.pk).update(commissioning_model="pbr", service_fee=Decimal("8000"))
    a.refresh_from_db()
    claims = make_claims(a, portfolio["measure"], provider, 6)
    Enrolment.objects.filter(programme=a).update(eligibility={"age_band": "25-34", "referral": "Probation"})
    Claim.objects.filter(programme=a).update(notes="Started at the bakery on the high street")
    for claim in Claim.objects.filter(programme=a):
        claim._history_user = provider
        claim.save()  # a history row carrying the notes
    Programme.objects.filter(pk=b.pk).update(end_date=date(2020, 3, 31))
    Enrolment.objects.create(participant=claims[0].participant, programme=b, start_date=date(2010, 2, 1))
    payment_record(user=finance, programme=a, financial_year="2010/11", quarter=1, amount=Decimal("1000"),
                   paid_on=date(2010, 7, 1))  # fmt: skip
    Claim.objects.filter(pk=claims[3].pk).update(status="submitted")
    evidence = evidence_add(
        user=provider, claim=claims[3], upload=SimpleUploadedFile("payslip.pdf", PDF, "application/pdf")
    )
    return {"claims": claims, "evidence": evidence, **portfolio}


def test_the_cutoff_is_whole_years_back():
    assert retention_cutoff(today=date(2017, 6, 1), years=6) == date(2011, 6, 1)
    assert retention_cutoff(today=date(2016, 2, 29), years=1) == date(2015, 2, 28)


def test_nothing_is_purged_within_the_retention_period(ended):
    summary = participants_purge(today=date(2017, 3, 31), years=6)  # A ended 31 Mar 2011: 6 years to the day
    assert summary.participants == 0
    assert Participant.objects.filter(purged_on__isnull=False).count() == 0


def test_the_purge_deletes_the_links_and_keeps_counts_and_payments(
    ended, settings, private_storage, django_capture_on_commit_callbacks
):
    before = dict(Participant.objects.values_list("pk", "pseudonym"))
    references = set(Participant.objects.values_list("reference", flat=True))
    prices = sorted(Claim.objects.values_list("price", flat=True))
    out = StringIO()
    call_command("purge_participants", stdout=out)  # today: 20 Oct 2010, the default 6 years: nothing
    assert "Purged 0 participants" in out.getvalue()
    settings.YARDSTICK = {**settings.YARDSTICK, "TODAY": date(2017, 4, 1)}
    stored = private_storage / ended["evidence"].file.name
    assert stored.exists()
    out = StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("purge_participants", stdout=out)
    text = out.getvalue()
    assert "1 evidence files" in text and not EvidenceFile.objects.exists() and not stored.exists()
    assert "purged 5 of 5 participants" in text
    assert "Purged 5 participants whose programmes all ended before 01 April 2011 (6 years kept)" in text
    assert "5 enrolments' answers" in text and "5 claims and every payment kept" in text
    shared = ended["claims"][0].participant
    purged = Participant.objects.exclude(pk=shared.pk)
    assert all(p.purged_on == date(2017, 4, 1) and p.pseudonym != before[p.pk] for p in purged)
    assert Participant.objects.get(pk=shared.pk).pseudonym == before[shared.pk]  # still on B, kept whole
    assert set(Participant.objects.values_list("reference", flat=True)) == references
    assert Claim.objects.count() == 6 and sorted(Claim.objects.values_list("price", flat=True)) == prices
    assert Payment.objects.get().amount == Decimal("1000")
    gone = [p.pk for p in purged]
    answers = list(Enrolment.objects.filter(participant_id__in=gone).values_list("eligibility", flat=True))
    assert len(answers) == 5 and all(a == {} for a in answers)
    assert not Claim.objects.filter(participant_id__in=gone).exclude(notes="").exists()
    assert not Claim.history.filter(participant_id__in=gone).exclude(notes="").exists()
    assert not Enrolment.history.filter(participant_id__in=gone).exclude(eligibility={}).exists()
    assert Claim.objects.filter(participant=shared).exclude(notes="").exists()
    out = StringIO()
    call_command("purge_participants", stdout=out)  # safe to repeat
    assert "Purged 0 participants" in out.getvalue()


def test_a_dry_run_changes_nothing(ended, settings):
    settings.YARDSTICK = {**settings.YARDSTICK, "TODAY": date(2017, 4, 1)}
    before = sorted(Participant.objects.values_list("pk", "pseudonym"))
    out = StringIO()
    call_command("purge_participants", "--dry-run", stdout=out)
    assert "Would purge 5 participants" in out.getvalue() and "Dry run: nothing was changed." in out.getvalue()
    assert sorted(Participant.objects.values_list("pk", "pseudonym")) == before
    assert not Enrolment.objects.filter(programme=ended["a"], eligibility={}).exists()


def test_a_shorter_period_from_the_command_line(ended, settings):
    settings.YARDSTICK = {**settings.YARDSTICK, "TODAY": date(2012, 4, 1)}
    out = StringIO()
    call_command("purge_participants", "--years", "1", stdout=out)
    assert "Purged 5 participants" in out.getvalue()
