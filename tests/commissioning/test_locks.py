"""Review-round services check the round's state on its locked row, not on the caller's copy:
a round closed (or opened) since the caller read it is seen, and on PostgreSQL a score being
recorded while the round closes waits for the close and is then refused."""

import pytest

from commissioning import services
from commissioning.models import ConflictOfInterest, Criterion, ReviewRound, Score
from core.errors import Conflict, NotPermitted
from tests.races import contend

pytestmark = pytest.mark.django_db

RUBRIC = [("Outcomes", "", 60), ("Value for money", "", 40)]


@pytest.fixture
def draft(commissioner, portfolio):
    return services.round_create(
        user=commissioner, name="2009/10 review", first_year="2009/10", last_year="2009/10"
    )


@pytest.fixture
def open_round(commissioner, draft):
    return services.round_transition(user=commissioner, review_round=draft, to=ReviewRound.Status.OPEN)


def score(user, review_round, programme, value=4):
    return services.score_record(
        user=user,
        review_round=review_round,
        programme=programme,
        criterion=review_round.criteria.order_by("order").first(),
        score=value,
        rationale="Clear evidence of outcomes",
    )


def stale(review_round) -> ReviewRound:
    """The caller's copy, read before someone else changed the round."""
    return ReviewRound.objects.get(pk=review_round.pk)


def test_score_record_checks_the_round_as_it_is_now(commissioner, open_round, portfolio):
    copy = stale(open_round)
    services.round_transition(
        user=commissioner, review_round=open_round, to=ReviewRound.Status.CLOSED, confirmed=True
    )
    assert copy.status == ReviewRound.Status.OPEN
    with pytest.raises(Conflict) as refused:
        score(commissioner, copy, portfolio["a"])
    assert refused.value.message == services.ROUND_CLOSED.format(verb="scored")
    assert not Score.objects.exists()


def test_score_record_refuses_a_conflicted_commissioner(commissioner, open_round, portfolio):
    score(commissioner, open_round, portfolio["a"])
    services.conflict_declare(
        user=commissioner, review_round=open_round, programme=portfolio["a"], description="A trustee"
    )
    assert not Score.objects.exists()  # withdrawn on declaring
    with pytest.raises(NotPermitted) as refused:
        score(commissioner, open_round, portfolio["a"])
    assert refused.value.message == services.CONFLICTED
    assert not Score.objects.exists()


def test_round_set_criteria_checks_the_round_as_it_is_now(commissioner, draft):
    copy = stale(draft)
    services.round_transition(user=commissioner, review_round=draft, to=ReviewRound.Status.OPEN)
    before = list(Criterion.objects.filter(review_round=draft).values_list("pk", "name", "weight"))
    with pytest.raises(Conflict) as refused:
        services.round_set_criteria(user=commissioner, review_round=copy, criteria=RUBRIC)
    assert refused.value.message == services.RUBRIC_DRAFT_ONLY
    assert list(Criterion.objects.filter(review_round=draft).values_list("pk", "name", "weight")) == before


def test_round_set_criteria_records_the_history_user(commissioner, draft):
    services.round_set_criteria(user=commissioner, review_round=draft, criteria=RUBRIC)
    assert list(draft.criteria.values_list("name", "weight")) == [("Outcomes", 60), ("Value for money", 40)]
    records = Criterion.history.filter(review_round_id=draft.pk)
    assert {r.history_user for r in records} == {commissioner}
    assert records.filter(history_type="-").count() == 5  # the five default criteria


def test_decision_and_conflict_check_the_round_as_it_is_now(commissioner, open_round, portfolio):
    copy = stale(open_round)
    services.round_transition(
        user=commissioner, review_round=open_round, to=ReviewRound.Status.CLOSED, confirmed=True
    )
    with pytest.raises(Conflict) as refused:
        services.decision_record(
            user=commissioner,
            review_round=copy,
            programme=portfolio["a"],
            outcome="continue",
            rationale="Good",
        )
    assert refused.value.message == services.ROUND_CLOSED.format(verb="decided")
    with pytest.raises(Conflict) as refused:
        services.conflict_declare(
            user=commissioner, review_round=copy, programme=portfolio["a"], description="x"
        )
    assert refused.value.message == services.ROUND_CLOSED.format(verb="changed")
    assert not ConflictOfInterest.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_a_score_recorded_while_the_round_closes_waits_and_is_refused(
    on_postgres, commissioner, open_round, portfolio
):
    copy = stale(open_round)
    result = contend(
        hold=lambda: services.round_transition(
            user=commissioner, review_round=open_round, to=ReviewRound.Status.CLOSED, confirmed=True
        ),
        contender=lambda: score(commissioner, copy, portfolio["a"]),
    )
    assert isinstance(result, Conflict)
    assert result.message == services.ROUND_CLOSED.format(verb="scored")
    assert not Score.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_a_score_recorded_while_a_conflict_is_declared_waits_and_is_refused(
    on_postgres, commissioner, open_round, portfolio
):
    result = contend(
        hold=lambda: services.conflict_declare(
            user=commissioner, review_round=open_round, programme=portfolio["a"], description="A trustee"
        ),
        contender=lambda: score(commissioner, open_round, portfolio["a"]),
    )
    assert isinstance(result, NotPermitted)
    assert result.message == services.CONFLICTED
    assert not Score.objects.exists()
