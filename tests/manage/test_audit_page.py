"""The audit log page (/audit/): staff only, filters by user, object type and date, pages in a
bounded number of queries, and names who changed what."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from outcomes import services
from tests.conftest import login

pytestmark = pytest.mark.django_db
URL = "/audit/"


@pytest.fixture
def recorded(setup, commissioner):
    services.ward_create(user=commissioner, partnership=setup["partnership"], name="Livesey")
    services.theme_update(user=commissioner, theme=setup["theme"], name="Worklessness and the downturn")
    return setup


@pytest.mark.parametrize("who, status", [("commissioner", 200), ("finance", 200), ("admin_user", 200),
                                         ("provider", 403)])  # fmt: skip
def test_the_log_is_for_partnership_staff(client, request, recorded, who, status):
    login(client, request.getfixturevalue(who))
    assert client.get(URL).status_code == status


def test_anonymous_visitors_sign_in_first(client):
    assert client.get(URL)["Location"].startswith(reverse("login"))


def test_an_entry_names_who_changed_what(client, finance, commissioner, recorded):
    login(client, finance)
    page = client.get(URL, {"object_type": "theme"}).content.decode()
    assert "Worklessness and the downturn" in page and commissioner.username in page
    assert "Livesey" not in page


def test_filters_by_user_and_by_date(client, finance, commissioner, recorded):
    login(client, finance)
    assert "Livesey" in client.get(URL, {"user": commissioner.pk}).content.decode()
    assert "Livesey" not in client.get(URL, {"user": finance.pk}).content.decode()
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    assert "Livesey" not in client.get(URL, {"date_from": tomorrow}).content.decode()


def test_a_from_date_after_the_to_date_is_an_error(client, finance, recorded):
    login(client, finance)
    response = client.get(URL, {"date_from": "2010-05-01", "date_to": "2010-04-01"})
    assert "The From date must not be after the To date." in response.content.decode()


def test_an_empty_result_says_so(client, finance, recorded):
    login(client, finance)
    page = client.get(URL, {"object_type": "payment"}).content.decode()
    assert "No changes match these filters." in page


def test_the_page_costs_the_same_queries_whatever_its_length(
    client, finance, commissioner, setup, django_assert_max_num_queries
):
    login(client, finance)
    services.ward_create(user=commissioner, partnership=setup["partnership"], name="Ward 0")
    with django_assert_max_num_queries(20) as one:
        client.get(URL, {"object_type": "ward"})
    for n in range(1, 40):
        services.ward_create(user=commissioner, partnership=setup["partnership"], name=f"Ward {n}")
    with django_assert_max_num_queries(len(one)):
        page = client.get(URL, {"object_type": "ward"}).content.decode()
    assert "Ward 39" in page
