"""Shared fixtures: a user per role, and two providers in different organisations."""

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from rest_framework.test import APIClient

from tests.factories import (
    OrganisationFactory,
    OutcomeMeasureFactory,
    ProgrammeFactory,
    ProgrammeTargetFactory,
    UserFactory,
)


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Tests need passwords checked, not protected: a fast hasher saves seconds per user."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


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


@pytest.fixture
def demo(db, allow_demo):
    """The Safer Southwark demo data, loaded through the real command."""
    from django.core.management import call_command

    call_command("load_demo", verbosity=0)


@pytest.fixture
def api():
    """A client factory: api(user) signs in with a token; api() is anonymous."""

    def make(user=None) -> APIClient:
        client = APIClient()
        if user is not None:
            from rest_framework.authtoken.models import Token

            token, _ = Token.objects.get_or_create(user=user)
            client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
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
