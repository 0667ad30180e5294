"""Editing a draft call's scoring scheme and lots on the web, through call_update as the API
does: weights validated to sum to 100, criteria, lots with measures and minimums, eligibility;
fixed once the call opens."""

from decimal import Decimal

import pytest

from commissioning.calls.models import Call
from tests.conftest import login
from tests.factories import OutcomeMeasureFactory

from .conftest import DESCRIPTORS

pytestmark = pytest.mark.django_db


def scheme_post(call: Call, **overrides) -> dict:
    """The form as the page posts it for the call as saved (plus the blank rows it offers)."""
    data = {
        "quality_weight": str(call.quality_weight), "price_weight": str(call.price_weight),
        "social_value_weight": str(call.social_value_weight), "quality_threshold": "50",
        "price_method": call.price_method,
        "eligibility": "\n".join(q.text for q in call.eligibility_questions.all()),
    }  # fmt: skip
    criteria = list(call.criteria.order_by("kind", "order"))
    data["criteria-count"] = str(len(criteria) + 1)
    for i, c in enumerate(criteria):
        data |= {f"criterion-{i}-name": c.name, f"criterion-{i}-weight": str(c.weight),
                 f"criterion-{i}-kind": c.kind, f"criterion-{i}-guidance": c.guidance}  # fmt: skip
        data |= {f"criterion-{i}-d{n}": d for n, d in enumerate(c.descriptors)}
    lots = list(call.lots.order_by("number"))
    data["lots-count"] = str(len(lots) + 1)
    for i, lot in enumerate(lots):
        links = list(lot.lot_measures.all())
        data |= {f"lot-{i}-number": str(lot.number), f"lot-{i}-title": lot.title,
                 f"lot-{i}-budget": str(lot.budget), f"lot-{i}-measures-count": str(len(links) + 1)}  # fmt: skip
        for j, link in enumerate(links):
            data |= {
                f"lot-{i}-measure-{j}": str(link.measure_id),
                f"lot-{i}-minimum-{j}": str(link.minimum_volume),
            }
    return data | overrides


def test_the_page_shows_the_draft_scheme_and_saves_changes_through_the_service(client, setup, commissioner):
    call = setup.call
    url = f"/calls/{call.pk}/scheme/"
    login(client, commissioner)
    page = client.get(url).content.decode()
    assert 'value="Understanding of need"' in page and 'value="Treatment"' in page
    assert f"/calls/{call.pk}/scheme/" in client.get(f"/calls/{call.pk}/").content.decode()
    extra = OutcomeMeasureFactory(name="Families supported")
    form = scheme_post(call, quality_weight="50", price_weight="40", price_method="cost_per_outcome")
    form |= {"criterion-0-weight": "50", "criterion-1-weight": "30", "criterion-3-name": "Value added",
             "criterion-3-weight": "20", "criterion-3-kind": "quality"}  # fmt: skip
    form |= {f"criterion-3-d{n}": d for n, d in enumerate(DESCRIPTORS)}
    form |= {"lot-2-number": "3", "lot-2-title": "Families", "lot-2-budget": "£25,000",
             "lot-2-measures-count": "1", "lot-2-measure-0": str(extra.pk), "lot-2-minimum-0": "8",
             "eligibility": "Registered charity or CIC\nInsured"}  # fmt: skip
    saved = client.post(url, form)
    assert saved.status_code == 302 and saved.url == f"/calls/{call.pk}/"
    call.refresh_from_db()
    assert (call.quality_weight, call.price_weight, call.social_value_weight) == (50, 40, 10)
    assert call.price_method == "cost_per_outcome"
    quality = {c.name: c.weight for c in call.criteria.filter(kind="quality")}
    assert quality == {"Understanding of need": 50, "Delivery model": 30, "Value added": 20}
    assert call.criteria.filter(kind="social_value").count() == 1
    lot3 = call.lots.get(number=3)
    assert lot3.budget == Decimal("25000") and lot3.lot_measures.get().minimum_volume == Decimal("8")
    assert list(call.eligibility_questions.values_list("text", flat=True)) == [
        "Registered charity or CIC", "Insured",
    ]  # fmt: skip
    assert call.history.first().history_user == commissioner


def test_weights_not_summing_to_100_are_refused_and_nothing_changes(client, setup, commissioner):
    call = setup.call
    login(client, commissioner)
    page = client.post(f"/calls/{call.pk}/scheme/", scheme_post(call, price_weight="35")).content.decode()
    assert "Quality, price and social value weights must add up to 100; they add up to 105." in page
    assert 'value="35"' in page  # what was typed is shown again
    criteria = client.post(
        f"/calls/{call.pk}/scheme/", scheme_post(call, **{"criterion-0-weight": "70"})
    ).content.decode()
    assert "The quality criteria&#x27;s weights must add up to 100; they add up to 110." in criteria
    not_a_number = client.post(
        f"/calls/{call.pk}/scheme/", scheme_post(call, quality_weight="sixty")
    ).content.decode()
    assert "Quality weight: “sixty” is not a whole number." in not_a_number
    call.refresh_from_db()
    assert (call.quality_weight, call.price_weight) == (60, 30)
    assert sorted(call.criteria.values_list("weight", flat=True)) == [40, 60, 100]


def test_once_open_the_scheme_is_fixed(client, published, commissioner):
    call = published.call
    login(client, commissioner)
    assert (
        "so its scoring scheme and lots are fixed" in client.get(f"/calls/{call.pk}/scheme/").content.decode()
    )
    refused = client.post(
        f"/calls/{call.pk}/scheme/", scheme_post(call, quality_weight="50", price_weight="40")
    ).content.decode()
    assert "The call is open, so its scoring scheme and lots are fixed" in refused
    call.refresh_from_db()
    assert (call.quality_weight, call.price_weight) == (60, 30)


def test_only_commissioners_edit_a_scheme(client, setup, published, provider):
    assert client.get(f"/calls/{setup.call.pk}/scheme/").status_code == 302
    assert login(client, provider).get(f"/calls/{setup.call.pk}/scheme/").status_code == 403
