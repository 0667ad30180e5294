"""The audit log: GET /api/audit/ and the admin page: who may read it, what an entry says,
the filters, paging, and a query count that does not grow with the page."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from audit.selectors import AuditFilter, audit_log
from commissioning.models import Decision, ReviewRound
from grants import services
from grants.models import OutcomeReturn, Payment, Programme
from tests.factories import OutcomeReturnFactory, ProgrammeFactory, ThemeFactory

pytestmark = pytest.mark.django_db
URL = "/api/audit/"


def change(instance, user, **fields):
    for name, value in fields.items():
        setattr(instance, name, value)
    instance._history_user = user
    instance.save()
    return instance


@pytest.fixture
def changes(portfolio, provider, provider2, commissioner):
    """A programme retitled by the commissioner, a return submitted by provider then verified."""
    programme = change(portfolio["a"], commissioner, title="Through-the-gate mentoring")
    item = services.ReturnInput(
        programme_id=portfolio["a"].pk, measure_id=portfolio["measure"].pk, financial_year="2009/10",
        quarter=1, value=Decimal("12"), spend=None, notes="",
    )  # fmt: skip
    outcome_return = services.return_submit(user=provider, data=item)
    services.return_verify(user=commissioner, outcome_return=outcome_return)
    return {"programme": programme, "return": outcome_return}


@pytest.mark.parametrize(
    "who,status",
    [("anonymous", 401), ("provider", 403), ("commissioner", 200), ("finance", 200), ("admin_user", 200)],
)
def test_only_partnership_staff_may_read_the_log(api, request, who, status):
    user = None if who == "anonymous" else request.getfixturevalue(who)
    response = api(user).get(URL)
    assert response.status_code == status, response.content
    if status == 403:
        assert "commissioners, finance officers and admins" in response.json()["detail"]


def test_an_entry_says_who_changed_what_and_when(api, changes, commissioner, provider):
    body = api(commissioner).get(URL).json()
    entries = body["results"]
    newest = entries[0]
    assert newest["object_type"] == "return" and newest["action"] == "changed"
    assert newest["username"] == commissioner.username and newest["user"] == commissioner.pk
    assert {"field": "status", "old": "submitted", "new": "verified"} in newest["changes"]
    assert {c["field"] for c in newest["changes"]} == {"status", "reviewed_by", "reviewed_at"}
    created = entries[1]
    assert created["action"] == "created" and created["username"] == provider.username
    assert {"field": "value", "old": None, "new": "12.00"} in created["changes"]
    retitle = next(e for e in entries if e["object_type"] == "programme" and e["action"] == "changed")
    assert retitle["changes"] == [
        {"field": "title", "old": "Through-the-gate", "new": "Through-the-gate mentoring"}
    ]
    assert retitle["object_label"].startswith(changes["programme"].reference)
    assert retitle["id"].startswith("programme:")
    assert body["count"] == len(entries) <= 50


def test_filters_by_user_object_and_date(api, changes, commissioner, provider):
    client = api(commissioner)

    def results(**params):
        response = client.get(URL, params)
        assert response.status_code == 200, response.content
        return response.json()["results"]

    mine = results(user=provider.pk)
    assert mine and all(e["username"] == provider.username for e in mine)
    # A username works as well as an id (issue 12: ?user=commissioner was a 400).
    assert results(user=provider.username) == mine
    theirs = results(user=commissioner.username)
    assert theirs and all(e["username"] == commissioner.username for e in theirs)
    returns = results(object_type="return")
    assert [e["action"] for e in returns] == ["changed", "created"]
    one = results(object_type="programme", object_id=changes["programme"].pk)
    assert one and {e["object_id"] for e in one} == {changes["programme"].pk}
    # Move the programme's creation back a year: a date range picks one or the other.
    history = changes["programme"].history.order_by("history_date")
    first = history.first()
    type(first).objects.filter(pk=first.pk).update(history_date=first.history_date - timedelta(days=365))
    today, pk = timezone.localdate(), changes["programme"].pk
    recent = results(object_type="programme", object_id=pk, date_from=today, date_to=today)
    assert [e["action"] for e in recent] == ["changed"]
    old = results(object_type="programme", object_id=pk, date_to=today - timedelta(days=300))
    assert [e["action"] for e in old] == ["created"]
    assert [e["object_id"] for e in results(date_to=today - timedelta(days=300))] == [pk]


@pytest.mark.parametrize(
    "params,field",
    [
        ({"object_type": "biscuits"}, "object_type"),
        ({"object_type": ""}, "object_type"),
        ({"user": "bob"}, "user"),
        ({"user": "0"}, "user"),
        ({"user": "-3"}, "user"),
        ({"object_id": "0"}, "object_id"),
        ({"date_from": "25/01/2010"}, "date_from"),
        ({"date_from": "2010-02-01", "date_to": "2010-01-01"}, "date_to"),
        ({"page_size": "0"}, "page_size"),
    ],
)
def test_bad_filters_are_400_with_the_field(api, commissioner, params, field):
    response = api(commissioner).get(URL, params)
    assert response.status_code == 400 and field in response.json()


def test_an_unknown_username_is_named(api, commissioner):
    response = api(commissioner).get(URL, {"user": "nobody-here"})
    assert response.status_code == 400
    assert response.json()["user"] == ['There is no user with the username "nobody-here".']


def test_paged_newest_first(api, portfolio, commissioner):
    programme = portfolio["a"]
    for n in range(7):
        change(programme, commissioner, title=f"Title {n}")
    client = api(commissioner)
    page1 = client.get(URL, {"object_type": "programme", "object_id": programme.pk, "page_size": 3}).json()
    assert page1["count"] == 8 and page1["next"] and page1["previous"] is None
    assert page1["results"][0]["changes"][0]["new"] == "Title 6"
    page3 = client.get(page1["next"].replace("page=2", "page=3")).json()
    assert [e["action"] for e in page3["results"]] == ["changed", "created"]
    assert page3["results"][0]["changes"] == [{"field": "title", "old": "Through-the-gate", "new": "Title 0"}]


def _history_of_many_kinds(portfolio, provider, commissioner, finance, rounds: int, start: int = 0):
    """Changes to programmes (with themes), returns, payments, rounds and decisions."""
    theme = ThemeFactory()
    for n in range(start, start + rounds):
        programme = ProgrammeFactory(provider=portfolio["a"].provider)
        change(programme, commissioner, title=f"Renamed {n}", award_amount=Decimal("90000.00"))
        programme.themes.add(theme)
        ret = OutcomeReturnFactory(programme=programme, measure=portfolio["measure"], submitted_by=provider)
        change(ret, commissioner, status=OutcomeReturn.Status.VERIFIED)
        Payment.objects.create(
            programme=programme, financial_year="2009/10", quarter=1, amount=Decimal("100.00"),
            paid_on=timezone.localdate(), recorded_by=finance,
        )  # fmt: skip
        review_round = ReviewRound.objects.create(
            name=f"Round {n}", first_year="2009/10", last_year="2009/10", created_by=commissioner
        )
        decision = Decision.objects.create(
            review_round=review_round, programme=programme, outcome="continue", rationale="Good value",
            decided_by=commissioner, decided_at=timezone.now(),
        )  # fmt: skip
        change(decision, commissioner, outcome="conditions", conditions="Quarterly reporting")


def _queries_for_a_page(api, user, **params) -> tuple[int, dict]:
    client = api(user)
    client.get(URL)  # warm up: token, content types
    with CaptureQueriesContext(connection) as queries:
        response = client.get(URL, {"page_size": 500, **params})
    assert response.status_code == 200
    return len(queries), response.json()


def test_query_count_does_not_grow_with_the_page(api, portfolio, provider, commissioner, finance):
    _history_of_many_kinds(portfolio, provider, commissioner, finance, rounds=1)
    small, body_small = _queries_for_a_page(api, commissioner)
    _history_of_many_kinds(portfolio, provider, commissioner, finance, rounds=6, start=1)
    large, body_large = _queries_for_a_page(api, commissioner)
    assert body_large["count"] > body_small["count"] + 40
    assert large == small, f"{small} queries for {body_small['count']}, {large} for {body_large['count']}"
    # Bounded by the tables on the page: 1 sign-in, 1 count, 1 page, 2 per table (+1 per m2m).
    kinds = {e["object_type"] for e in body_large["results"]}
    assert large <= 3 + 2 * len(kinds) + 2 + 2
    themes = [c for e in body_large["results"] for c in e["changes"] if c["field"] == "themes"]
    assert themes and all(c["new"] for c in themes)


def test_programme_themes_show_as_a_change(portfolio, commissioner):
    theme = ThemeFactory()
    portfolio["a"].themes.add(theme)
    [entry] = audit_log(AuditFilter(object_type="programme", object_id=portfolio["a"].pk))[:1]
    assert [(c.field, c.old, c.new) for c in entry.changes] == [("themes", [], [theme.pk])]


def test_deleted_objects_stay_in_the_log(portfolio, commissioner):
    target = portfolio["a"].targets.first()
    target._history_user, target_id = commissioner, target.pk
    target.delete()
    [entry] = audit_log(AuditFilter(object_type="target"))[:1]
    assert (
        entry.action == "deleted" and entry.object_id == target_id and entry.username == commissioner.username
    )


# --- the admin page ------------------------------------------------------------------------------


@pytest.fixture
def admin_client_(client, admin_user):
    client.force_login(admin_user)
    return client


def test_admin_page_lists_and_filters(admin_client_, changes, provider):
    url = reverse("admin:audit-log")
    page = admin_client_.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert "Audit log" in html and "submitted → verified" in html
    filtered = admin_client_.get(url, {"user": provider.pk, "object_type": "return"}).content.decode()
    assert "1 change." in filtered and "t-provider" in filtered
    bad = admin_client_.get(url, {"date_from": "2010-02-01", "date_to": "2010-01-01"})
    assert bad.status_code == 200 and "must not be after" in bad.content.decode()


def test_admin_index_links_to_the_log(admin_client_):
    html = admin_client_.get(reverse("admin:index")).content.decode()
    assert reverse("admin:audit-log") in html


def test_admin_page_is_for_staff_roles(client, provider):
    provider.is_staff = True  # may sign in to the admin, but is not partnership staff
    provider.save()
    client.force_login(provider)
    assert client.get(reverse("admin:audit-log")).status_code == 403
    assert reverse("admin:audit-log") not in client.get(reverse("admin:index")).content.decode()


def test_only_the_audited_models_are_listed():
    from audit.selectors import AUDITED

    assert {a.model for a in AUDITED} >= {Programme, OutcomeReturn, Payment, Decision}
    assert all(hasattr(a.model, "history") for a in AUDITED)
