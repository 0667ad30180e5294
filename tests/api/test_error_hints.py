"""A duplicate return: the service's message names no channel; the API adds its PATCH hint,
in the same words as before, for a single submission and for an item of a bulk one."""

from decimal import Decimal

import pytest

from core.errors import Conflict, ValidationFailed
from grants import services
from grants.models import OutcomeReturn
from grants.services.returns import RETURN_EXISTS, RETURN_EXISTS_MESSAGE
from tests.api.conftest import return_payload
from tests.factories import OutcomeReturnFactory

pytestmark = pytest.mark.django_db
URL = "/api/returns/"

# The API's words, unchanged from when the service wrote them (docs/api.md shows them).
API_DUPLICATE = (
    "A return for this programme, measure and quarter already exists (id {id}); "
    "amend it with PATCH /api/returns/{id}/ instead."
)


def _item(portfolio, **overrides) -> services.ReturnInput:
    fields = {
        "programme_id": portfolio["a"].pk, "measure_id": portfolio["measure"].pk,
        "financial_year": "2009/10", "quarter": 1, "value": Decimal("9"),
    }  # fmt: skip
    return services.ReturnInput(**(fields | overrides))


def test_the_service_says_what_exists_and_names_no_channel(provider, portfolio):
    existing = OutcomeReturnFactory(
        programme=portfolio["a"], measure=portfolio["measure"], submitted_by=provider
    )
    with pytest.raises(Conflict) as refused:
        services.return_submit(user=provider, data=_item(portfolio))
    exc = refused.value
    assert (
        exc.message == f"A return for this programme, measure and quarter already exists (id {existing.pk})."
    )
    assert exc.message == RETURN_EXISTS_MESSAGE.format(existing_id=existing.pk)
    assert "/api/" not in exc.message and "PATCH" not in exc.message
    assert exc.code == RETURN_EXISTS and exc.extra == {"existing_id": existing.pk}
    assert exc.field is None  # the programme, measure, year and quarter together, not one field


def test_the_bulk_refusal_keeps_the_items_own_error(provider, portfolio):
    existing = OutcomeReturnFactory(
        programme=portfolio["a"], measure=portfolio["measure"], submitted_by=provider
    )
    with pytest.raises(ValidationFailed) as refused:
        services.returns_bulk_submit(user=provider, items=[_item(portfolio, quarter=2), _item(portfolio)])
    [(index, item)] = refused.value.extra["errors"].items()
    assert index == "1" and isinstance(item, Conflict)
    assert item.as_field_errors() == {
        "non_field_errors": [RETURN_EXISTS_MESSAGE.format(existing_id=existing.pk)],
        "existing_id": [str(existing.pk)],
    }


def test_the_api_gives_the_patch_hint_for_a_duplicate(api, provider, portfolio):
    first = api(provider).post(URL, return_payload(portfolio), format="json").json()
    second = api(provider).post(URL, return_payload(portfolio, value="3"), format="json")
    assert second.status_code == 409
    assert second.json() == {"detail": API_DUPLICATE.format(id=first["id"]), "existing_id": first["id"]}


def test_the_api_gives_the_patch_hint_in_a_bulk_item(api, provider, portfolio):
    first = api(provider).post(URL, return_payload(portfolio), format="json").json()
    items = [return_payload(portfolio, quarter=2), return_payload(portfolio)]
    response = api(provider).post(f"{URL}bulk/", items, format="json")
    assert response.status_code == 400
    assert response.json() == {
        "non_field_errors": ["1 of 2 returns have errors; nothing was saved."],
        "errors": {
            "1": {
                "non_field_errors": [API_DUPLICATE.format(id=first["id"])],
                "existing_id": [str(first["id"])],
            }
        },
    }
    assert OutcomeReturn.objects.count() == 1


def test_other_refusals_are_unchanged_by_the_hints(api, provider, portfolio):
    created = api(provider).post(URL, return_payload(portfolio), format="json").json()
    OutcomeReturn.objects.filter(pk=created["id"]).update(
        status="verified", reviewed_at="2009-08-01T10:00:00Z"
    )
    locked = api(provider).patch(f"{URL}{created['id']}/", {"value": "1"}, format="json")
    assert locked.status_code == 409
    assert locked.json() == {
        "detail": "This return was verified on 01 August 2009 and is locked. Ask the commissioner to "
        "reopen it if the figure is wrong.",
        "id": created["id"],
    }
