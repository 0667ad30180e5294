"""Submitting a return in two steps, without JavaScript: the programme and a quarter from the owed
list, then the figures for the measures that programme owes in that quarter, each beside its
target. A return posted whole (every field at once) is still checked by the service."""

import re
from datetime import date

import pytest
from django.urls import reverse

from grants.models import OutcomeReturn
from tests.factories import OutcomeReturnFactory

pytestmark = pytest.mark.django_db

TODAY = date(2010, 1, 20)  # 2009/10 Q1 is late, Q2 returned, Q3 due by 30 January, Q4 under way
# (a quarter's returns may be sent once it has started: the quarter under way is offered too)


@pytest.fixture
def owing(settings, portfolio):
    settings.YARDSTICK = {**settings.YARDSTICK, "TODAY": TODAY, "RETURN_WINDOW_DAYS": 30}
    OutcomeReturnFactory(programme=portfolio["a"], measure=portfolio["measure"], quarter=2,
                         status=OutcomeReturn.Status.VERIFIED)  # fmt: skip
    return portfolio


def options(page: str, name: str) -> list[tuple[str, str]]:
    select = re.search(rf'<select[^>]*name="{name}".*?</select>', page, re.S).group(0)
    return re.findall(r'<option value="([^"]*)"[^>]*>([^<]*)</option>', select)


def radios(page: str) -> list[str]:
    return re.findall(r'name="measure" type="radio"[^>]*>\s*<label[^>]*>([^<]*)</label>', page)


def test_step_one_offers_the_users_programmes_and_owed_quarters_only(client, provider, owing):
    client.force_login(provider)
    page = client.get(reverse("return-new")).content.decode()
    a = owing["a"]
    assert options(page, "programme") == [
        ("", "Choose a programme"),
        (str(a.pk), f"{a.reference}: {a.title}"),
    ]
    assert options(page, "period") == [
        ("", "Choose a quarter"), ("2009/10-Q1", "2009/10 Q1 (late, 2 to send)"),
        ("2009/10-Q3", "2009/10 Q3 (due, 1 to send)"), ("2009/10-Q4", "2009/10 Q4 (under way, 1 to send)"),
    ]  # fmt: skip
    assert "Step 1 of 2" in page


def test_step_one_leads_to_the_figures_for_that_programme_and_quarter(client, provider, owing):
    client.force_login(provider)
    a = owing["a"]
    response = client.post(
        reverse("return-new"), {"step": "choose", "programme": a.pk, "period": "2009/10-Q1"}
    )
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('return-new')}?programme={a.pk}&period=2009%2F10-Q1"
    page = client.get(response["Location"]).content.decode()
    assert "Step 2 of 2" in page and "was due 30 Jul 2009" in page
    assert radios(page) == [
        "Net change in caseload: target 10 people",
        "Sustained job entries: target 10 people",
    ]
    assert f'type="hidden" name="programme" value="{a.pk}"' in page
    assert 'type="hidden" name="financial_year" value="2009/10"' in page


def test_a_quarter_not_owed_or_nothing_chosen_is_a_clear_error(client, provider, owing):
    client.force_login(provider)
    a = owing["a"]
    empty = client.post(reverse("return-new"), {"step": "choose"})
    assert empty.status_code == 200 and "There is a problem" in empty.content.decode()
    returned = client.get(reverse("return-new"), {"programme": a.pk, "period": "2009/10-Q2"})
    assert returned.status_code == 200
    assert (
        "Select a valid choice. 2009/10-Q2 is not one of the available choices." in returned.content.decode()
    )


def test_figures_are_submitted_measure_by_measure_until_the_quarter_is_done(client, provider, owing):
    client.force_login(provider)
    a, measure, negative = owing["a"], owing["measure"], owing["negative"]
    step_two = f"{reverse('return-new')}?programme={a.pk}&period=2009%2F10-Q1"
    fields = {
        "step2": "1",
        "programme": a.pk,
        "financial_year": "2009/10",
        "quarter": 1,
        "spend": "",
        "notes": "",
    }
    missing = client.post(step_two, {**fields, "value": "4"})
    assert missing.status_code == 200
    page = missing.content.decode()
    assert (
        "Choose the measure the figures are for." in page
        and "Sustained job entries: target 10 people" in page
    )

    first = client.post(step_two, {**fields, "measure": measure.pk, "value": "4"})
    assert first.status_code == 302 and first["Location"] == step_two
    page = client.get(step_two).content.decode()
    assert "1 more owed for this programme and quarter." in page
    assert radios(page) == ["Net change in caseload: target 10 people"]

    second = client.post(step_two, {**fields, "measure": negative.pk, "value": "-2"})
    assert second.status_code == 302 and second["Location"] == reverse("returns")
    made = {(r.measure_id, r.value, r.submitted_by_id) for r in OutcomeReturn.objects.filter(quarter=1)}
    assert made == {(measure.pk, 4, provider.pk), (negative.pk, -2, provider.pk)}
    page = client.get(reverse("return-new")).content.decode()
    assert [v for v, _ in options(page, "period")] == ["", "2009/10-Q3", "2009/10-Q4"]


def test_a_count_takes_whole_numbers_at_step_two(client, provider, owing):
    client.force_login(provider)
    a = owing["a"]
    response = client.post(
        f"{reverse('return-new')}?programme={a.pk}&period=2009%2F10-Q3",
        {"step2": "1", "programme": a.pk, "financial_year": "2009/10", "quarter": 3,
         "measure": owing["measure"].pk, "value": "3.5"},
    )  # fmt: skip
    assert response.status_code == 200 and "Step 2 of 2" in response.content.decode()
    assert not OutcomeReturn.objects.filter(quarter=3).exists()


def test_staff_are_told_returns_are_made_by_providers(client, commissioner, finance, owing):
    for user in (commissioner, finance):
        client.force_login(user)
        page = client.get(reverse("return-new")).content.decode()
        assert 'name="programme"' not in page and "govuk-inset-text" in page, user
    another = client.post(
        reverse("return-new"), {"step": "choose", "programme": owing["b"].pk, "period": "2009/10-Q1"}
    )
    assert another.status_code == 200 and not OutcomeReturn.objects.filter(quarter=1).exists()


def test_another_providers_programme_is_not_offered(client, provider2, owing):
    client.force_login(provider2)
    page = client.get(reverse("return-new")).content.decode()
    assert str(owing["a"].reference) not in page
    response = client.get(reverse("return-new"), {"programme": owing["a"].pk, "period": "2009/10-Q1"})
    assert response.status_code == 200 and "Select a valid choice" in response.content.decode()


def test_links_from_the_returns_and_home_pages_open_step_two(client, provider, owing):
    client.force_login(provider)
    a, measure = owing["a"], owing["measure"]
    from_returns = client.get(
        reverse("return-new"),
        {"programme": a.pk, "measure": measure.pk, "financial_year": "2009/10", "quarter": 1},
    ).content.decode()
    assert "Step 2 of 2" in from_returns
    assert re.search(rf'value="{measure.pk}" checked', from_returns)
    from_home = client.get(reverse("return-new"), {"programme": a.pk, "period": "2009/10-3"}).content.decode()
    assert "Step 2 of 2" in from_home and radios(from_home) == ["Sustained job entries: target 10 people"]


def test_the_quarter_under_way_can_be_chosen(client, provider, owing):
    client.force_login(provider)
    page = client.get(
        reverse("return-new"), {"programme": owing["a"].pk, "period": "2009/10-Q4"}
    ).content.decode()
    assert "Step 2 of 2" in page and "Under way" in page and "due by 30 Apr 2010" in page
