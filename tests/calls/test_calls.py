"""Calls: the scheme is validated (weights sum to 100, anchored descriptors) and fixed once the
call opens; only commissioners manage calls; clarifications until the deadline, answered to all."""

from datetime import timedelta
from decimal import Decimal

import pytest

from commissioning.calls import services
from commissioning.calls.models import Call, Clarification, Criterion
from commissioning.calls.services.calls import CLARIFICATIONS_CLOSED, SCHEME_FIXED
from core.errors import Conflict, NotPermitted, ValidationFailed
from tests.conftest import assert_refused
from tests.factories import FundingStreamFactory, OutcomeMeasureFactory

from .conftest import CLARIFY_BY, DESCRIPTORS, call_fields, scheme_criteria

pytestmark = pytest.mark.django_db


def lots(measure):
    return [services.LotInput(1, "Treatment", Decimal("100000"), [(measure.pk, Decimal("5"))])]


def test_a_call_is_created_with_its_lots_scheme_and_a_default_social_value_criterion(setup):
    call = setup.call
    assert call.status == Call.Status.DRAFT
    assert [lot.title for lot in call.lots.all()] == ["Treatment", "Outreach"]
    assert [(c.name, c.kind, c.weight) for c in call.criteria.order_by("order")] == [
        ("Understanding of need", "quality", 60),
        ("Delivery model", "quality", 40),
        ("Social value", "social_value", 100),
    ]
    assert call.eligibility_questions.count() == 2
    assert call.history.first().history_user is not None


def test_weights_must_add_up_to_100(commissioner, clock):
    stream, measure = FundingStreamFactory(), OutcomeMeasureFactory()
    with pytest.raises(ValidationFailed) as exc:
        services.call_create(
            user=commissioner,
            fields=call_fields(stream, price_weight=40),
            lots=lots(measure),
            criteria=scheme_criteria(),
        )
    assert exc.value.errors["weights"] == [
        "Quality, price and social value weights must add up to 100; they add up to 110."
    ]
    criteria = [
        services.CriterionInput("Need", 70, DESCRIPTORS),
        services.CriterionInput("Model", 20, DESCRIPTORS[:5]),
    ]
    with pytest.raises(ValidationFailed) as exc:
        services.call_create(
            user=commissioner, fields=call_fields(stream), lots=lots(measure), criteria=criteria
        )
    assert (
        "The quality criteria's weights must add up to 100; they add up to 90."
        in exc.value.errors["criteria"]
    )
    assert (
        "Model: Give six descriptors for each criterion, one for each score from 0 to 5."
        in exc.value.errors["criteria"]
    )
    assert not Call.objects.exists()


def test_the_database_refuses_weights_that_do_not_add_up(setup):
    call = setup.call
    assert_refused(lambda: Call.objects.filter(pk=call.pk).update(price_weight=35))


def test_closing_must_follow_opening_and_a_lot_must_price_a_measure(commissioner, clock):
    stream = FundingStreamFactory()
    fields = call_fields(stream)
    fields["closes_at"] = fields["opens_at"] - timedelta(hours=1)
    with pytest.raises(ValidationFailed) as exc:
        services.call_create(
            user=commissioner,
            fields=fields,
            lots=[services.LotInput(1, "Treatment", Decimal("1"), [])],
            criteria=scheme_criteria(),
        )
    assert "The closing time must be after the opening time." in str(exc.value.errors)
    assert exc.value.errors["lots"] == ["Lot 1: name at least one outcome measure bids must price."]


def test_only_commissioners_create_calls(provider, finance, clock):
    for user in (provider, finance):
        with pytest.raises(NotPermitted):
            services.call_create(user=user, fields={}, lots=[], criteria=[])


def test_the_scheme_is_fixed_once_the_call_opens(published, commissioner):
    call = published.call
    with pytest.raises(Conflict) as exc:
        services.call_update(user=commissioner, call=call, fields={"price_weight": 20, "quality_weight": 70})
    assert exc.value.message == SCHEME_FIXED
    with pytest.raises(Conflict):
        services.call_update(user=commissioner, call=call, fields={}, criteria=scheme_criteria())
    # The wording of the specification can still be corrected.
    services.call_update(user=commissioner, call=call, fields={"specification": "Corrected."})
    call.refresh_from_db()
    assert (call.specification, call.price_weight) == ("Corrected.", 30)


def test_a_draft_scheme_can_change(setup, commissioner):
    criteria = [services.CriterionInput("Need", 100, DESCRIPTORS)]
    services.call_update(
        user=commissioner,
        call=setup.call,
        fields={"quality_weight": 70, "price_weight": 30, "social_value_weight": 0},
        criteria=criteria,
    )
    assert list(setup.call.criteria.values_list("name", "kind")) == [("Need", Criterion.Kind.QUALITY)]


def test_clarifications_until_the_deadline_answered_to_all_without_the_asker(
    published, provider, commissioner, clock
):
    question = services.clarification_ask(user=provider, call=published.call, question="Is TUPE expected?")
    answered = services.clarification_answer(
        user=commissioner, clarification=question, answer="No staff transfer."
    )
    assert answered.published_at is not None
    clock.set(CLARIFY_BY)
    with pytest.raises(Conflict) as exc:
        services.clarification_ask(user=provider, call=published.call, question="And pensions?")
    assert exc.value.message == CLARIFICATIONS_CLOSED
    assert Clarification.objects.count() == 1
    with pytest.raises(NotPermitted):
        services.clarification_answer(user=provider, clarification=question, answer="Mine")
