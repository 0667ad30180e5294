"""Shared fixtures: a user per role, and two providers in different organisations."""

import pytest
from django.db import connection

from tests.factories import OrganisationFactory, UserFactory


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Tests need passwords checked, not protected: a fast hasher saves seconds per user."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


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
