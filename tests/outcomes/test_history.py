"""insert_with_history: one statement on PostgreSQL, the same history row simple-history writes."""

from decimal import Decimal

import pytest
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from core.db.history import insert_with_history
from grants.models import OutcomeReturn
from tests.factories import ProgrammeTargetFactory, UserFactory

pytestmark = pytest.mark.django_db

SKIP = {"id", "history_id", "history_date", "submitted_at", "quarter"}


def _new_return(target, quarter: int, user) -> OutcomeReturn:
    return OutcomeReturn(programme=target.programme, measure=target.measure, financial_year="2009/10",
                         quarter=quarter, value=Decimal("7.50"), spend=Decimal("1200.00"), notes="n",
                         submitted_by=user, submitted_at=timezone.now())  # fmt: skip


def _history(row: OutcomeReturn) -> dict:
    [record] = OutcomeReturn.history.filter(id=row.pk).values()
    return {k: v for k, v in record.items() if k not in SKIP}


def test_writes_the_row_and_the_same_history_as_simple_history():
    user = UserFactory()
    target = ProgrammeTargetFactory()
    ours = _new_return(target, 1, user)
    with CaptureQueriesContext(connection) as queries:
        insert_with_history(ours, user=user)
    theirs = _new_return(target, 2, user)
    theirs._history_user = user
    theirs.save()
    assert ours.pk and OutcomeReturn.objects.get(pk=ours.pk).value == Decimal("7.50")
    assert _history(ours) == _history(theirs)
    assert _history(ours)["history_type"] == "+" and _history(ours)["history_user_id"] == user.pk
    if connection.vendor == "postgresql":
        # The savepoint pair (inside the test's transaction) and the one statement.
        assert len([q for q in queries if "INSERT" in q["sql"]]) == 1


def test_a_duplicate_fails_without_breaking_the_surrounding_transaction():
    user = UserFactory()
    target = ProgrammeTargetFactory()
    insert_with_history(_new_return(target, 1, user), user=user)
    with transaction.atomic():
        with pytest.raises(IntegrityError):
            insert_with_history(_new_return(target, 1, user), user=user)
        assert OutcomeReturn.objects.count() == 1  # the transaction is still usable
    assert OutcomeReturn.history.count() == 1
