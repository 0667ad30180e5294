"""The clarification queue: commissioners see every question waiting for an answer and publish
answers to every bidder without naming who asked; providers see the published answers."""

import pytest

from commissioning.calls import services
from commissioning.calls.models import Clarification
from tests.conftest import login

pytestmark = pytest.mark.django_db


def test_the_queue_lists_waiting_questions_and_publishes_answers_without_the_asker(
    client, published, provider, provider2, commissioner, clock
):
    call = published.call
    first = services.clarification_ask(user=provider, call=call, question="Is TUPE expected?")
    services.clarification_ask(user=provider2, call=call, question="Can a consortium bid?")
    login(client, commissioner)
    listing = client.get("/calls/").content.decode()
    assert "Clarification questions waiting for an answer (2)" in listing
    queue = client.get("/calls/questions/").content.decode()
    assert "Is TUPE expected?" in queue and "Can a consortium bid?" in queue
    assert provider.username not in queue and provider2.username not in queue
    assert queue.index("Is TUPE expected?") < queue.index("Can a consortium bid?")  # oldest first
    answered = client.post(
        f"/calls/{call.pk}/questions/{first.pk}/answer/",
        {"answer": "No staff transfer is expected.", "from": "queue"},
        follow=True,
    )
    assert answered.redirect_chain[-1][0] == "/calls/questions/"
    page = answered.content.decode()
    assert "Answer published to every bidder." in page and "Is TUPE expected?" not in page
    assert Clarification.objects.get(pk=first.pk).published_at is not None

    for bidder in (provider, provider2):  # both bidders see it
        detail = login(client, bidder).get(f"/calls/{call.pk}/").content.decode()
        assert "No staff transfer is expected." in detail and "Is TUPE expected?" in detail
        assert "Can a consortium bid?" not in detail  # not yet answered
    section = detail[detail.index(">Clarifications</h2>") : detail.index(">Your bids</h2>")]
    assert "Is TUPE expected?" in section and provider.username not in section  # the asker unnamed


def test_a_blank_answer_is_refused_on_the_queue_and_nothing_published(
    client, published, provider, commissioner, clock
):
    question = services.clarification_ask(user=provider, call=published.call, question="Any TUPE?")
    login(client, commissioner)
    page = client.post(
        f"/calls/{published.call.pk}/questions/{question.pk}/answer/",
        {"answer": "  ", "from": "queue"},
        follow=True,
    ).content.decode()
    assert "Write the answer that every bidder will see." in page and "Any TUPE?" in page
    assert Clarification.objects.get(pk=question.pk).published_at is None


def test_only_commissioners_see_the_queue(client, published, provider, finance, clock):
    services.clarification_ask(user=provider, call=published.call, question="Any TUPE?")
    assert client.get("/calls/questions/").status_code == 302  # sign in first
    for user in (provider, finance):
        response = login(client, user).get("/calls/questions/")
        assert response.status_code == 403
        assert "Any TUPE?" not in response.content.decode()


def test_the_queue_leaves_out_draft_calls(client, setup, commissioner, provider, clock):
    Clarification.objects.create(call=setup.call, question="Early question", asked_by=provider)
    page = login(client, commissioner).get("/calls/questions/").content.decode()
    assert "No questions are waiting for an answer." in page and "Early question" not in page
