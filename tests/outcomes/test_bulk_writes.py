"""copy_insert_with_history and AnyOf, the two helpers bulk claims are written and read with."""

from decimal import Decimal

import pytest
from django.db import IntegrityError, connection, transaction
from django.db.models import F
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from core.db.bulk import copy_insert_with_history
from core.db.lookups import AnyOf
from grants.models import OutcomeReturn
from tests.factories import ProgrammeTargetFactory, UserFactory

pytestmark = pytest.mark.django_db

SKIP = {"id", "history_id", "history_date", "submitted_at", "quarter"}
FIELDS = [f.attname for f in OutcomeReturn._meta.concrete_fields if not f.primary_key]


def _row(target, quarter: int, user, notes: str = "n") -> list:
    values = {
        "programme_id": target.programme_id, "measure_id": target.measure_id, "financial_year": "2009/10",
        "quarter": quarter, "value": Decimal("7.50"), "spend": Decimal("1200.00"), "notes": notes,
        "status": OutcomeReturn.Status.SUBMITTED.value, "revision": 1, "is_late": False,
        "submitted_by_id": user.pk, "submitted_at": timezone.now(), "reviewed_by_id": None,
        "reviewed_at": None, "query_reason": "", "high_value_confirmed": False,
    }  # fmt: skip
    return [values[name] for name in FIELDS]


def _history(pk: int) -> dict:
    [record] = OutcomeReturn.history.filter(id=pk).values()
    return {k: v for k, v in record.items() if k not in SKIP}


def test_rows_and_the_same_history_as_simple_history_in_order():
    user = UserFactory()
    target = ProgrammeTargetFactory()
    ids = copy_insert_with_history(
        OutcomeReturn, FIELDS, [_row(target, 1, user, "first"), _row(target, 2, user, "second")], user=user
    )
    assert ids == sorted(ids)
    assert list(OutcomeReturn.objects.filter(pk__in=ids).order_by("pk").values_list("notes", flat=True)) == [
        "first", "second",
    ]  # fmt: skip
    theirs = OutcomeReturn(**dict(zip(FIELDS, _row(target, 3, user, "second"), strict=True)))
    theirs._history_user = user
    theirs.save()
    assert _history(ids[1]) == _history(theirs.pk)
    assert _history(ids[0])["history_type"] == "+" and _history(ids[0])["history_user_id"] == user.pk
    assert OutcomeReturn.history.filter(id__in=ids).count() == 2


def test_every_field_is_needed():
    with pytest.raises(ValueError, match="notes"):
        copy_insert_with_history(OutcomeReturn, [f for f in FIELDS if f != "notes"], [], user=None)


def test_a_duplicate_raises_integrity_error_and_writes_nothing():
    user = UserFactory()
    target = ProgrammeTargetFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        copy_insert_with_history(
            OutcomeReturn, FIELDS, [_row(target, 1, user), _row(target, 1, user)], user=user
        )
    assert not OutcomeReturn.objects.exists() and not OutcomeReturn.history.exists()


def test_any_of_matches_as_in_does_with_one_parameter_on_postgresql():
    user = UserFactory()
    target = ProgrammeTargetFactory()
    ids = copy_insert_with_history(
        OutcomeReturn, FIELDS, [_row(target, q, user) for q in (1, 2, 3)], user=user
    )
    with CaptureQueriesContext(connection) as queries:
        found = set(OutcomeReturn.objects.filter(AnyOf(F("id"), ids[:2])).values_list("pk", flat=True))
        by_programme = OutcomeReturn.objects.filter(AnyOf(F("programme_id"), [target.programme_id])).count()
        by_text = OutcomeReturn.objects.filter(AnyOf(F("financial_year"), ["2009/10", "2010/11"])).count()
    assert found == set(ids[:2]) and by_programme == 3 and by_text == 3
    assert not OutcomeReturn.objects.filter(AnyOf(F("id"), [])).exists()
    if connection.vendor == "postgresql":
        assert "= ANY(" in queries[0]["sql"]
