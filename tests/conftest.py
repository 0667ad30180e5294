"""Shared fixtures and helpers for every area: a user per role, two providers in different
organisations, signing in, the database refusing a write, and the Safer Southwark demo data.

The demo data (`demo`) is loaded once per test database (once per xdist worker) inside a
transaction that stays open while the tests that asked for it run; each of those tests runs in its
own savepoint, so its writes are rolled back and the next test sees the demo data as loaded. Tests
that do not ask for `demo` must see an empty database, so the tests that do are run last (see
pytest_collection_modifyitems), and the shared transaction is rolled back before any other
database test could see it (pytest_runtest_setup). Transactional tests (live_server, browser,
threads) cannot share an open transaction: they use `demo_committed`, which loads per test."""

import socket
from datetime import date
from decimal import Decimal

import pytest
from django.db import IntegrityError, connection, transaction
from rest_framework.test import APIClient

from tests.factories import (
    PASSWORD,
    OrganisationFactory,
    OutcomeMeasureFactory,
    ProgrammeFactory,
    ProgrammeTargetFactory,
    UserFactory,
)

FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Tests need passwords checked, not protected: a fast hasher saves seconds per user."""
    settings.PASSWORD_HASHERS = FAST_HASHERS


@pytest.fixture(scope="session", autouse=True)
def _cache_per_process(worker_id):
    """clear_cache empties the whole cache: with a shared one (CACHE_URL=redis://... in .env) one
    xdist worker would empty another's throttle and lockout counters mid-test. Each test process
    gets its own local-memory cache instead."""
    from django.conf import settings
    from django.test import override_settings

    if settings.CACHES["default"]["BACKEND"] == "django.core.cache.backends.locmem.LocMemCache":
        yield
        return
    cache = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": f"yardstick-{worker_id}"}
    with override_settings(CACHES={**settings.CACHES, "default": cache}):
        yield


@pytest.fixture(autouse=True)
def clear_cache():
    """The cache holds throttle and sign-in lockout counters; each test starts with none."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def org_a(db):
    return OrganisationFactory(name="St Giles Trust", org_id="GB-CHC-801355")


@pytest.fixture
def org_b(db):
    return OrganisationFactory(name="Southwark Mediation Centre", org_id="GB-CHC-1000099")


@pytest.fixture
def commissioner(db):
    return UserFactory(username="t-commissioner", role="Commissioner")


@pytest.fixture
def finance(db):
    return UserFactory(username="t-finance", role="Finance officer")


@pytest.fixture
def admin_user(db):
    return UserFactory(username="t-admin", role="Admin", is_staff=True, is_superuser=True)


@pytest.fixture
def provider(db, org_a):
    return UserFactory(username="t-provider", role="Provider", organisations=[org_a])


@pytest.fixture
def provider2(db, org_b):
    return UserFactory(username="t-provider2", role="Provider", organisations=[org_b])


@pytest.fixture
def on_postgres():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (set DATABASE_URL=postgres://...)")


@pytest.fixture
def allow_demo(settings):
    """pytest-django runs with DEBUG off, where load_demo refuses unless allowed."""
    settings.YARDSTICK = {**settings.YARDSTICK, "ALLOW_DEMO_DATA": True}


def load_demo() -> None:
    """The Safer Southwark demo data, through the real command (whatever the settings say)."""
    from django.conf import settings
    from django.core.management import call_command
    from django.test import override_settings

    allowed = {**settings.YARDSTICK, "ALLOW_DEMO_DATA": True}
    with override_settings(YARDSTICK=allowed, PASSWORD_HASHERS=FAST_HASHERS):
        call_command("load_demo", verbosity=0)


class SharedDemo:
    """The demo data loaded once into an open transaction, rolled back when no longer wanted."""

    def __init__(self, blocker):
        self.blocker = blocker
        self.atomic = None

    @property
    def active(self) -> bool:
        return self.atomic is not None

    def load(self) -> None:
        with self.blocker.unblock():
            self.atomic = transaction.atomic()
            self.atomic.__enter__()
            try:
                load_demo()
            except BaseException:
                self.discard()
                raise

    def discard(self) -> None:
        if self.atomic is None:
            return
        with self.blocker.unblock():
            transaction.set_rollback(True)
            self.atomic.__exit__(None, None, None)
        self.atomic = None


_shared_demo: SharedDemo | None = None

_DB_FIXTURES = {"db", "transactional_db", "live_server", "django_db_reset_sequences",
                "django_db_serialized_rollback"}  # fmt: skip


def _transactional(item) -> bool:
    marker = item.get_closest_marker("django_db")
    if marker and (marker.kwargs.get("transaction") or marker.kwargs.get("reset_sequences")):
        return True
    return bool({"transactional_db", "live_server", "django_db_reset_sequences"} & set(item.fixturenames))


def _uses_database(item) -> bool:
    return item.get_closest_marker("django_db") is not None or bool(_DB_FIXTURES & set(item.fixturenames))


def _shares_demo(item) -> bool:
    return "demo" in getattr(item, "fixturenames", ())


def pytest_collection_modifyitems(config, items):
    """Tests on the shared demo data run last, in their usual order, so that no test expecting an
    empty database runs while the shared demo transaction is open (xdist hands each worker its
    tests in collection order). A stable sort: everything else keeps its order."""
    for item in items:
        if _shares_demo(item) and _transactional(item):
            raise pytest.UsageError(
                f"{item.nodeid}: `demo` is shared through an open transaction, which a transactional "
                "test cannot see; use `demo_committed`."
            )
    items.sort(key=_shares_demo)


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item):
    """Roll the shared demo data back before a database test that did not ask for it (only if the
    order above was changed, e.g. by a plugin: the `demo` tests after it then load their own)."""
    if _shared_demo is not None and _shared_demo.active and not _shares_demo(item) and _uses_database(item):
        _shared_demo.discard()


@pytest.fixture(scope="session")
def _demo_session(django_db_setup, django_db_blocker):
    global _shared_demo
    _shared_demo = SharedDemo(django_db_blocker)
    _shared_demo.load()
    yield _shared_demo
    _shared_demo.discard()
    _shared_demo = None


@pytest.fixture
def demo(_demo_session, db, allow_demo):
    """The Safer Southwark demo data, loaded once per test database through the real command and
    shared: read it, change it freely (your test's writes are rolled back). Not for transactional
    tests (see `demo_committed`)."""
    if not _demo_session.active:  # rolled back for a test that must not see it: load our own copy
        load_demo()


@pytest.fixture
def demo_committed(transactional_db, allow_demo):
    """The demo data committed, for transactional tests (live_server, browsers, threads): loaded per
    test, and flushed with everything else at the test's end."""
    load_demo()


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on, for a server a test starts (gunicorn)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def login(client, user):
    """Sign `client` in as a factory-made `user` (password tests.factories.PASSWORD); the client."""
    assert client.login(username=user.username, password=PASSWORD), f"could not sign in as {user}"
    return client


def login_demo(client, username: str):
    """Sign `client` in as one of the demo accounts (admin, commissioner, finance, provider,
    provider2; the demo password); the client."""
    from grants.demo import DEMO_PASSWORD

    assert client.login(username=username, password=DEMO_PASSWORD), f"could not sign in as {username}"
    return client


def assert_refused(create) -> None:
    """The database itself refuses what `create()` writes (a constraint: IntegrityError); the
    test's transaction carries on."""
    with pytest.raises(IntegrityError), transaction.atomic():
        create()


@pytest.fixture
def api():
    """A client factory: api(user) signs in with a token; api() is anonymous."""

    keys: dict[int, str] = {}

    def make(user=None) -> APIClient:
        client = APIClient()
        if user is not None:
            from tests.factories import api_token

            if user.pk not in keys:
                keys[user.pk] = api_token(user, name="Test client", used=True)
            client.credentials(HTTP_AUTHORIZATION=f"Token {keys[user.pk]}")
        return client

    return make


@pytest.fixture
def portfolio(db, org_a, org_b):
    """Programme A (org_a, provider's) and B (org_b, provider2's), each with a target on one measure,
    running 2009/10 to 2010/11."""
    measure = OutcomeMeasureFactory(name="Sustained job entries")
    negative = OutcomeMeasureFactory(name="Net change in caseload", allows_negative=True)
    a = ProgrammeFactory(
        provider=org_a, title="Through-the-gate", start_date=date(2009, 4, 1), end_date=date(2011, 3, 31)
    )
    b = ProgrammeFactory(
        provider=org_b, title="Mediation", start_date=date(2009, 4, 1), end_date=date(2011, 3, 31)
    )
    for programme in (a, b):
        for q in (1, 2, 3, 4):
            ProgrammeTargetFactory(
                programme=programme, measure=measure, quarter=q, target_value=Decimal("10")
            )
    ProgrammeTargetFactory(programme=a, measure=negative, quarter=1)
    return {"a": a, "b": b, "measure": measure, "negative": negative}
