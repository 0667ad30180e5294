"""The verification queue page: targets beside each return, several verified at once (all or
none, each refusal shown against its return), queries with a reason, far-above values flagged."""

import re
from decimal import Decimal

import pytest
from django.urls import reverse

from grants.models import OutcomeReturn
from tests.factories import OutcomeReturnFactory

pytestmark = pytest.mark.django_db

Status = OutcomeReturn.Status


@pytest.fixture
def waiting(portfolio, provider, provider2):
    measure = portfolio["measure"]
    return [
        OutcomeReturnFactory(programme=portfolio["a"], measure=measure, quarter=1, value=Decimal("9"),
                             submitted_by=provider),
        OutcomeReturnFactory(programme=portfolio["a"], measure=measure, quarter=2, value=Decimal("12"),
                             submitted_by=provider),
        OutcomeReturnFactory(programme=portfolio["b"], measure=measure, quarter=1, value=Decimal("5000"),
                             submitted_by=provider2),
    ]  # fmt: skip


def rows(page: str) -> dict[str, str]:
    """Each table row of the queue by the id of its return's checkbox."""
    body = page[page.index("<tbody") : page.index("</tbody>")]
    return {m.group(1): row for row in body.split("<tr")[1:] if (m := re.search(r'id="verify-(\d+)"', row))}


def test_each_return_is_shown_beside_its_target_with_far_above_values_flagged(client, commissioner, waiting):
    client.force_login(commissioner)
    page = client.get(reverse("returns-queue")).content.decode()
    by_id = rows(page)
    assert set(by_id) == {str(r.pk) for r in waiting}
    cells = lambda row: re.findall(r'govuk-table__cell--numeric">(.*?)</td>', row, re.S)  # noqa: E731
    assert [c[:2] for c in map(cells, (by_id[str(r.pk)] for r in waiting))] == [
        ["9", "10"], ["12", "10"], ['5,000<br><strong class="govuk-tag govuk-tag--red">Far above target</strong>', "10"],
    ]  # fmt: skip
    assert page.count("Far above target") == 1
    assert 'form="verify-selected"' in by_id[str(waiting[0].pk)]


def test_several_chosen_returns_are_verified_at_once(client, commissioner, waiting):
    client.force_login(commissioner)
    response = client.post(
        reverse("returns-verify-selected"),
        {"returns": [waiting[0].pk, waiting[2].pk], "next": reverse("returns-queue") + "?q=gate"},
    )
    assert response.status_code == 302 and response["Location"] == reverse("returns-queue") + "?q=gate"
    states = {r.pk: r.status for r in OutcomeReturn.objects.all()}
    assert states == {
        waiting[0].pk: Status.VERIFIED,
        waiting[1].pk: Status.SUBMITTED,
        waiting[2].pk: Status.VERIFIED,
    }
    page = client.get(response["Location"]).content.decode()
    assert "Verified 2 returns." in page
    assert set(rows(page)) == {str(waiting[1].pk)}


def test_a_refused_selection_verifies_nothing_and_says_why_against_the_return(client, commissioner, waiting):
    client.force_login(commissioner)
    client.post(reverse("return-query", args=[waiting[1].pk]), {"reason": "Which quarter is this for?"})
    response = client.post(reverse("returns-verify-selected"), {"returns": [waiting[0].pk, waiting[1].pk]})
    assert response.status_code == 400
    page = response.content.decode()
    assert (
        "No returns were verified" in page
        and "1 of 2 returns cannot be verified; nothing was verified." in page
    )
    assert f"{waiting[1]} is queried: only a submitted return can be verified." in page
    assert OutcomeReturn.objects.get(pk=waiting[0].pk).status == Status.SUBMITTED
    # the choice is kept for the returns still in the queue
    assert re.search(rf'id="verify-{waiting[0].pk}"[^>]*checked', page)


def test_nothing_chosen_or_not_a_return_is_a_clear_error(client, commissioner, waiting):
    client.force_login(commissioner)
    nothing = client.post(reverse("returns-verify-selected"), {})
    assert nothing.status_code == 400 and "Choose at least one return to verify." in nothing.content.decode()
    junk = client.post(reverse("returns-verify-selected"), {"returns": ["x1"]})
    assert junk.status_code == 400 and "is not a return: choose from the list." in junk.content.decode()
    assert set(OutcomeReturn.objects.values_list("status", flat=True)) == {Status.SUBMITTED}


def test_query_needs_a_reason_and_then_leaves_the_queue(client, commissioner, waiting):
    client.force_login(commissioner)
    client.post(reverse("return-query", args=[waiting[0].pk]), {"reason": ""})
    assert OutcomeReturn.objects.get(pk=waiting[0].pk).status == Status.SUBMITTED
    client.post(reverse("return-query", args=[waiting[0].pk]), {"reason": "Spend looks doubled."})
    queried = OutcomeReturn.objects.get(pk=waiting[0].pk)
    assert (queried.status, queried.query_reason) == (Status.QUERIED, "Spend looks doubled.")
    assert str(waiting[0].pk) not in rows(client.get(reverse("returns-queue")).content.decode())


def test_only_commissioners_verify_from_the_queue(client, provider, finance, waiting):
    for user in (provider, finance):
        client.force_login(user)
        assert client.get(reverse("returns-queue")).status_code == 403
        assert (
            client.post(reverse("returns-verify-selected"), {"returns": [waiting[0].pk]}).status_code == 403
        )
    assert set(OutcomeReturn.objects.values_list("status", flat=True)) == {Status.SUBMITTED}
