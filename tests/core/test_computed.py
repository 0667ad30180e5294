"""Figures cached against the data version (core.computed, core.db.data_version): served again
only while the data under them is unchanged, recomputed after any committed write (ORM, bulk,
raw SQL), never shared while a transaction holds uncommitted writes, and pages that use them
(the home pages, the programme list) show a change on the very next request."""

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from core import computed
from core.db import data_version
from grants.models import OutcomeReturn, Programme
from grants.services.returns import return_verify
from tests.conftest import login
from tests.factories import (
    OrganisationFactory,
    OutcomeReturnFactory,
    PlanFactory,
    ProgrammeFactory,
    UserFactory,
)


class Counter:
    """A computation that counts its calls and returns the number of programmes."""

    def __init__(self):
        self.calls = 0

    def __call__(self) -> int:
        self.calls += 1
        return Programme.objects.count()


def token() -> int | None:
    return data_version.current(connection)


@pytest.mark.parametrize(
    "sql",
    [
        "SELECT 1",
        '(SELECT "a"."id" FROM "a") UNION (SELECT "b"."id" FROM "b")',
        "  select * from grants_programme for update",
        "SAVEPOINT s1",
        'UPDATE "django_session" SET "session_data" = %s',
        'INSERT INTO "yardstick_cache" (cache_key) VALUES (%s)',
        "WITH x AS (SELECT 1) SELECT * FROM x",
        "CREATE INDEX x ON y (z)",
    ],
)
def test_reads_sessions_and_the_cache_table_are_not_writes(sql, settings):
    cache_table = {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "yardstick_cache"}
    settings.CACHES = {**settings.CACHES, "shared": cache_table}
    assert not data_version.writes(sql)


@pytest.mark.parametrize(
    "sql",
    [
        'INSERT INTO "grants_outcomereturn" ("value") VALUES (%s)',
        'UPDATE "grants_programme" SET "title" = %s',
        'DELETE FROM "grants_programme"',
        "insert or ignore into outcomes_ward (name) values (%s)",
        "TRUNCATE grants_programme",
        "WITH moved AS (DELETE FROM a RETURNING *) INSERT INTO b SELECT * FROM moved",
        "COPY grants_claim FROM STDIN",
    ],
)
def test_data_changes_are_writes(sql):
    assert data_version.writes(sql)


@pytest.mark.django_db(transaction=True)
def test_a_committed_write_changes_the_token_and_a_read_does_not():
    ProgrammeFactory()
    before = token()
    assert before is not None
    list(Programme.objects.all())
    assert token() == before
    Programme.objects.update(title="Renamed")
    assert token() not in (None, before)


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_write_leaves_the_token_and_a_committed_one_changes_it_once_at_commit():
    ProgrammeFactory()
    before = token()
    with pytest.raises(RuntimeError), transaction.atomic():
        Programme.objects.update(title="Never")
        assert data_version.has_pending_writes(connection)
        raise RuntimeError
    assert token() == before and not data_version.has_pending_writes(connection)
    with transaction.atomic():
        Programme.objects.update(title="Twice")
        Programme.objects.update(title="Three times")
        assert token() == before  # not before the commit: other readers cannot see the rows yet
    assert token() != before


@pytest.mark.django_db(transaction=True)
def test_a_value_is_computed_once_per_data_version():
    ProgrammeFactory()
    count = Counter()
    assert computed.cached("test:programmes", count) == 1
    assert computed.cached("test:programmes", count) == 1
    assert count.calls == 1
    ProgrammeFactory()
    assert computed.cached("test:programmes", count) == 2
    assert count.calls == 2
    with connection.cursor() as cursor:  # raw SQL counts as much as the ORM
        cursor.execute("DELETE FROM grants_programmepriority")
        cursor.execute("DELETE FROM grants_programme")
    assert computed.cached("test:programmes", count) == 0


@pytest.mark.django_db(transaction=True)
def test_uncommitted_writes_are_neither_served_from_nor_stored_in_the_cache():
    ProgrammeFactory()
    count = Counter()
    assert computed.cached("test:programmes", count) == 1
    with pytest.raises(RuntimeError), transaction.atomic():
        ProgrammeFactory()
        assert computed.cached("test:programmes", count) == 2  # its own write, computed afresh
        raise RuntimeError
    assert computed.cached("test:programmes", count) == 1  # the rolled-back row never cached
    assert count.calls == 2


@pytest.mark.django_db(transaction=True)
def test_a_value_computed_while_a_write_commits_is_retired_by_it():
    """The token is read before computing: a write that commits during the computation leaves
    the value under the older token, which no later reader asks for."""
    ProgrammeFactory()

    def compute_while_another_writes() -> int:
        seen = Programme.objects.count()
        ProgrammeFactory()  # stands for another process's commit, after the read above
        return seen

    assert computed.cached("test:racing", compute_while_another_writes) == 1
    assert computed.cached("test:racing", Counter()) == 2


@pytest.mark.django_db(transaction=True)
def test_a_home_page_drawn_again_reads_less_and_shows_a_verification_at_once(client):
    commissioner = UserFactory(role="Commissioner")
    waiting = OutcomeReturnFactory(status=OutcomeReturn.Status.SUBMITTED)
    login(client, commissioner)
    first = client.get("/").content.decode()
    assert "1 return from 1 programme waiting" in first
    before = token()
    with CaptureQueriesContext(connection) as again:
        assert "1 return from 1 programme waiting" in client.get("/").content.decode()
    assert token() == before  # a signed-in page view (its session included) writes nothing that counts
    with CaptureQueriesContext(connection) as fresh:
        return_verify(user=commissioner, outcome_return=waiting)
        page = client.get("/").content.decode()
    assert "No return is waiting for verification." in page
    assert len(again) < len(fresh) - 5  # the cached page skipped the sections' queries


@pytest.mark.django_db
def test_a_home_page_drawn_afresh_reads_the_plan_once(client):
    """The heading and the commissioner's portfolio share one read of the current plan."""
    PlanFactory(is_current=True)
    login(client, UserFactory(role="Admin"))
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/").status_code == 200
    plan_reads = [q for q in queries if 'FROM "outcomes_plan"' in q["sql"]]
    assert len(plan_reads) == 1


@pytest.mark.django_db(transaction=True)
def test_each_user_sees_their_own_cached_home_page(client):
    """The provider section is cached per user: another provider's programmes never show."""
    ours, theirs = OrganisationFactory(name="Ours"), OrganisationFactory(name="Theirs")
    ProgrammeFactory(provider=ours, title="Our programme")
    ProgrammeFactory(provider=theirs, title="Their programme")
    for organisation, shown, hidden in ((ours, "Our programme", "Their programme"),
                                        (theirs, "Their programme", "Our programme")):  # fmt: skip
        user = UserFactory(role="Provider", organisations=[organisation])
        login(client, user)
        for _ in range(2):
            page = client.get("/").content.decode()
            assert shown in page and hidden not in page


@pytest.mark.django_db(transaction=True)
def test_the_programme_list_shows_a_new_programme_and_each_filter_its_own_rows(client):
    commissioner = UserFactory(role="Commissioner")
    ProgrammeFactory(title="Early help")
    login(client, commissioner)
    assert "Early help" in client.get("/programmes/").content.decode()
    assert "Early help" not in client.get("/programmes/?q=nothing-like-it").content.decode()
    ProgrammeFactory(title="Late help")
    page = client.get("/programmes/").content.decode()
    assert "Early help" in page and "Late help" in page
    assert "Late help" in client.get("/programmes/?q=late").content.decode()
