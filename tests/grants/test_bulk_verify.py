"""Verifying several returns at once: all or nothing, each refusal named, history per return."""

import pytest

from core.errors import NotPermitted, ValidationFailed
from grants import services
from grants.models import OutcomeReturn
from grants.services import verification
from tests.factories import OutcomeReturnFactory
from tests.races import contend

Status = OutcomeReturn.Status


@pytest.fixture
def submitted(portfolio):
    measure = portfolio["measure"]
    return [
        OutcomeReturnFactory(programme=portfolio["a"], measure=measure, quarter=1),
        OutcomeReturnFactory(programme=portfolio["a"], measure=measure, quarter=2),
        OutcomeReturnFactory(programme=portfolio["b"], measure=measure, quarter=1),
    ]


def test_all_chosen_returns_are_verified_with_history_naming_the_commissioner(commissioner, submitted):
    verified = services.returns_bulk_verify(user=commissioner, return_ids=[r.pk for r in submitted])

    assert sorted(r.pk for r in verified) == sorted(r.pk for r in submitted)
    for outcome_return in OutcomeReturn.objects.filter(pk__in=[r.pk for r in submitted]):
        assert (outcome_return.status, outcome_return.reviewed_by) == (Status.VERIFIED, commissioner)
        latest = outcome_return.history.order_by("-history_date", "-history_id").first()
        assert (latest.status, latest.history_user, latest.history_type) == (
            Status.VERIFIED,
            commissioner,
            "~",
        )


def test_one_refusal_verifies_nothing_and_names_each_refused_return(commissioner, submitted):
    services.return_query(user=commissioner, outcome_return=submitted[1], reason="Check the count.")
    ids = [r.pk for r in submitted] + [999999]

    with pytest.raises(ValidationFailed) as refused:
        services.returns_bulk_verify(user=commissioner, return_ids=ids)

    assert refused.value.errors == {"returns": [verification.SOME_REFUSED.format(refused=2, count=4)]}
    assert refused.value.extra["errors"] == {
        str(submitted[1].pk): verification.NOT_SUBMITTED.format(name=submitted[1], status="queried"),
        "999999": verification.NOT_FOUND.format(pk=999999),
    }
    assert set(OutcomeReturn.objects.values_list("status", flat=True)) == {Status.SUBMITTED, Status.QUERIED}
    assert OutcomeReturn.history.filter(status=Status.VERIFIED).count() == 0


def test_nothing_chosen_or_too_many(commissioner, submitted):
    with pytest.raises(ValidationFailed) as empty:
        services.returns_bulk_verify(user=commissioner, return_ids=[])
    assert empty.value.message == verification.NOTHING_CHOSEN
    too_many = list(range(1, services.MAX_BULK_VERIFY + 2))
    with pytest.raises(ValidationFailed) as big:
        services.returns_bulk_verify(user=commissioner, return_ids=too_many)
    assert big.value.message == verification.TOO_MANY.format(limit=200, count=201)


@pytest.mark.parametrize("role", ["provider", "finance"])
def test_only_commissioners_verify(request, role, submitted):
    user = request.getfixturevalue(role)
    with pytest.raises(NotPermitted):
        services.returns_bulk_verify(user=user, return_ids=[submitted[0].pk])
    assert OutcomeReturn.objects.get(pk=submitted[0].pk).status == Status.SUBMITTED


def test_choosing_the_same_return_twice_verifies_it_once(commissioner, submitted):
    services.returns_bulk_verify(user=commissioner, return_ids=[submitted[0].pk, submitted[0].pk])
    assert submitted[0].history.filter(status=Status.VERIFIED).count() == 1


@pytest.mark.django_db(transaction=True)
def test_a_return_amended_while_a_selection_is_verified_waits_and_is_refused(
    on_postgres, commissioner, provider, submitted
):
    """The provider's amendment waits for the bulk verification's row locks, then finds the
    return verified (locked) and is refused: no verified figure changes under the commissioner."""
    result = contend(
        hold=lambda: services.returns_bulk_verify(user=commissioner, return_ids=[r.pk for r in submitted]),
        contender=lambda: services.return_amend(user=provider, outcome_return=submitted[0], value=99),
    )
    assert "locked" in str(result)
    assert OutcomeReturn.objects.get(pk=submitted[0].pk).value == submitted[0].value
