"""send_reminders: who gets which e-mail, nothing twice, dry runs send and record nothing."""

from datetime import date, datetime
from decimal import Decimal
from io import StringIO
from smtplib import SMTPException
from unittest import mock

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.db import IntegrityError, transaction
from django.utils import timezone

from grants import services
from grants.models import SentReminder
from tests.factories import OutcomeReturnFactory, UserFactory

pytestmark = pytest.mark.django_db

# 2009/10 Q3 ended 31 December 2009: with the 30-day window its returns are due by 30 January
# 2010. On 25 January they are due within 7 days; Q1 and Q2 (due by 30 July, 30 October) are late.
TODAY = date(2010, 1, 25)


def run(*args) -> str:
    out = StringIO()
    call_command("send_reminders", "--date", TODAY.isoformat(), *args, stdout=out)
    return out.getvalue()


def submitted(programme, measure, quarter, user, status="submitted"):
    return OutcomeReturnFactory(
        programme=programme, measure=measure, quarter=quarter, submitted_by=user, status=status,
        submitted_at=timezone.make_aware(datetime(2009, 11, 2, 10, 0)),
        query_reason="Check it" if status == "queried" else "",
    )  # fmt: skip


@pytest.fixture
def setting(portfolio, provider, provider2, commissioner):
    """Programme A (provider's): Q1 submitted, Q2 missing (late), Q3 missing (due soon),
    Q4 not started. Programme B (provider2's): Q1 verified, Q2 queried, Q3 submitted."""
    a, b, measure = portfolio["a"], portfolio["b"], portfolio["measure"]
    submitted(a, measure, 1, provider)
    submitted(a, portfolio["negative"], 1, provider, status="verified")
    submitted(b, measure, 1, provider2, status="verified")
    submitted(b, measure, 2, provider2, status="queried")
    submitted(b, measure, 3, provider2)
    return portfolio


def mail_to(address):
    return [m for m in mail.outbox if m.to == [address]]


def test_providers_hear_of_due_and_late_returns_commissioners_of_the_queue(setting, provider, commissioner):
    output = run()
    [to_provider] = mail_to(provider.email)
    assert "1 return late, 1 return due within 7 days" in to_provider.subject
    assert "Q2 was due 30 October 2009" in to_provider.body
    assert "Q3 is due by 30 January 2010 (5 days)" in to_provider.body
    assert "Q4" not in to_provider.body  # not started yet on 25 January
    # provider2's programme has every return in: nothing to remind about.
    assert mail_to("t-provider2@example.org") == []
    [to_commissioner] = mail_to(commissioner.email)
    assert "2 returns waiting for verification" in to_commissioner.subject
    assert to_commissioner.body.count("  - ") == 2  # A Q1 and B Q3; not the verified or queried ones
    assert len(mail.outbox) == 2
    assert "Sent 2 e-mails: 1 due soon, 1 late, 2 waiting for verification." in output
    assert SentReminder.objects.count() == 4


def test_a_second_run_sends_nothing(setting):
    run()
    assert len(mail.outbox) == 2
    output = run()
    assert len(mail.outbox) == 2
    assert SentReminder.objects.count() == 4
    assert "Sent 0 e-mails" in output and "4 already reminded about before" in output


def test_dry_run_sends_and_records_nothing(setting, provider):
    output = run("--dry-run")
    assert mail.outbox == []
    assert SentReminder.objects.count() == 0
    assert f"would e-mail {provider.email}: 1 due soon, 1 late" in output
    assert "Would send 2 e-mails" in output


def test_only_returns_due_within_the_window_and_a_new_reason_is_a_new_reminder(setting, provider):
    call_command("send_reminders", "--date", "2010-01-10", stdout=StringIO())  # Q3 due in 20 days
    [first] = mail_to(provider.email)
    assert "Q2 was due" in first.body and "Q3" not in first.body
    mail.outbox.clear()
    run()  # 25 January: Q3 now due within 7 days; Q2's late reminder is not repeated
    [second] = mail_to(provider.email)
    assert "Q3 is due by" in second.body and "Q2" not in second.body
    mail.outbox.clear()
    call_command("send_reminders", "--date", "2010-02-01", stdout=StringIO())  # Q3 now late
    [third] = mail_to(provider.email)
    assert "1 return late" in third.subject and "Q3 was due 30 January 2010" in third.body


def test_every_member_of_the_organisation_is_reminded_once(setting, org_a, provider):
    colleague = UserFactory(username="t-colleague", role="Provider", organisations=[org_a])
    run()
    assert len(mail_to(provider.email)) == 1 and len(mail_to(colleague.email)) == 1


def test_an_amended_return_is_a_new_verification_reminder(setting, provider, provider2, commissioner):
    run()
    queried = setting["b"].returns.get(quarter=2)
    services.return_amend(user=provider2, outcome_return=queried, value=Decimal("9"))
    mail.outbox.clear()
    call_command("send_reminders", "--date", timezone.localdate().isoformat(), stdout=StringIO())
    [again] = mail_to(commissioner.email)
    assert "1 return waiting for verification" in again.subject and "revision 2" in again.body


def test_people_without_an_address_are_skipped_and_told(setting, provider):
    provider.email = ""
    provider.save()
    output = run()
    assert "t-provider has no e-mail address" in output
    assert "1 people without an e-mail address" in output
    assert not SentReminder.objects.filter(recipient=provider).exists()


def test_a_refused_e_mail_is_not_recorded_and_is_tried_again(setting, provider):
    refuse = mock.patch("grants.reminders.send_mail", side_effect=SMTPException("421 try later"))
    with refuse, pytest.raises(CommandError, match="could not be sent"):
        run()
    assert SentReminder.objects.count() == 0
    run()
    assert len(mail.outbox) == 2


def test_the_database_refuses_a_duplicate(setting, provider):
    run()
    existing = SentReminder.objects.filter(recipient=provider).first()
    existing.pk = None
    with pytest.raises(IntegrityError), transaction.atomic():
        existing.save()


def test_a_bad_date_is_a_clear_error():
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("send_reminders", "--date", "25/01/2010")
