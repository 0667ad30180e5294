"""The admin for calls saves through the services (the scheme fixed once open, answers published
to every bidder, assessors assigned as commissioners) and is read-only where a write would
bypass a rule (bids, scores, moderation, awards)."""

import pytest
from django.urls import reverse

from commissioning.calls import services
from commissioning.calls.models import Assessor, Call, Clarification

from .conftest import complete_bid

pytestmark = pytest.mark.django_db


def _call_form(call: Call, **overrides) -> dict:
    form = {
        "title": call.title, "kind": call.kind, "specification": call.specification,
        "commissioning_model": call.commissioning_model,
        "opens_at_0": "2010-01-04", "opens_at_1": "09:00:00",
        "closes_at_0": "2010-02-01", "closes_at_1": "12:00:00",
        "clarification_deadline_0": "2010-01-25", "clarification_deadline_1": "12:00:00",
        "service_start": "2010-04-01", "service_end": "2011-03-31",
        "quality_weight": "60", "price_weight": "30", "social_value_weight": "10",
        "quality_threshold": "50", "price_method": call.price_method,
    }  # fmt: skip
    for prefix in ("lots", "criteria", "eligibility_questions", "assessors"):
        form |= {f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"}
    return form | overrides


def test_a_draft_calls_weights_change_through_the_service_and_must_sum_to_100(client, admin_user, setup):
    call = setup.call
    url = reverse("admin:calls_call_change", args=[call.pk])
    client.force_login(admin_user)
    refused = client.post(url, _call_form(call, price_weight="35"))
    assert refused.status_code == 200
    assert "Quality, price and social value weights must add up to 100." in refused.content.decode()
    assert Call.objects.get(pk=call.pk).price_weight == 30
    saved = client.post(url, _call_form(call, quality_weight="55", price_weight="35", title="Renamed"))
    assert saved.status_code == 302
    call.refresh_from_db()
    assert (call.quality_weight, call.price_weight, call.title) == (55, 35, "Renamed")
    assert call.history.first().history_user == admin_user


def test_an_open_calls_scheme_is_read_only_but_its_title_changes(client, admin_user, published):
    call = published.call
    url = reverse("admin:calls_call_change", args=[call.pk])
    client.force_login(admin_user)
    page = client.get(url).content.decode()
    assert 'name="price_weight"' not in page and 'name="title"' in page
    form = _call_form(call, title="Clearer title")
    for name in (
        "quality_weight",
        "price_weight",
        "social_value_weight",
        "quality_threshold",
        "price_method",
    ):
        form.pop(name)
    assert client.post(url, form).status_code == 302
    call.refresh_from_db()
    assert call.title == "Clearer title" and call.price_weight == 30


def test_publishing_from_the_admin_runs_call_publish(client, admin_user, setup):
    client.force_login(admin_user)
    changelist = reverse("admin:calls_call_changelist")
    client.post(changelist, {"action": "publish", "_selected_action": [setup.call.pk]})
    assert Call.objects.get(pk=setup.call.pk).status == Call.Status.OPEN
    page = client.post(
        changelist, {"action": "publish", "_selected_action": [setup.call.pk]}, follow=True
    ).content.decode()
    assert "Only a draft call can be published." in page


def test_answering_in_the_admin_publishes_and_a_blank_answer_is_refused(
    client, admin_user, published, provider, clock
):
    question = services.clarification_ask(user=provider, call=published.call, question="Any TUPE?")
    url = reverse("admin:calls_clarification_change", args=[question.pk])
    client.force_login(admin_user)
    refused = client.post(url, {"answer": " "}, follow=True)
    assert "Write the answer that every bidder will see." in refused.content.decode()
    assert Clarification.objects.get().published_at is None
    assert client.post(url, {"answer": "None expected."}).status_code == 302
    question.refresh_from_db()
    assert question.answer == "None expected." and question.published_at is not None
    assert question.answered_by == admin_user


def test_assessors_are_assigned_through_the_service(client, admin_user, setup, provider, commissioner2):
    client.force_login(admin_user)
    url = reverse("admin:calls_assessor_add")
    refused = client.post(url, {"call": setup.call.pk, "user": provider.pk, "is_lead": "on"}, follow=True)
    assert "Assessors are commissioners; t-provider is not one." in refused.content.decode()
    assert not Assessor.objects.exists()
    assert (
        client.post(url, {"call": setup.call.pk, "user": commissioner2.pk, "is_lead": "on"}).status_code
        == 302
    )
    row = Assessor.objects.get()
    assert row.user == commissioner2 and row.is_lead and row.history.get().history_user == admin_user


def test_bids_scores_and_awards_are_read_only(client, admin_user, published, provider, org_a):
    bid = complete_bid(provider, published.call, published.lot1, org_a)
    client.force_login(admin_user)
    page = client.get(reverse("admin:calls_bid_change", args=[bid.pk])).content.decode()
    assert 'name="price"' not in page and "Save" not in page
    assert client.post(reverse("admin:calls_bid_change", args=[bid.pk]), {"price": "1"}).status_code == 403
    for name in ("bid", "assessorscore", "moderation", "award", "interestdeclaration"):
        assert client.get(reverse(f"admin:calls_{name}_add")).status_code == 403
        assert client.get(reverse(f"admin:calls_{name}_changelist")).status_code == 200
    assert client.get(reverse("admin:calls_call_add")).status_code == 403
    assert client.get(reverse("admin:calls_call_delete", args=[published.call.pk])).status_code == 403
