"""A user per role and programme A of org_a (the provider's organisation, not provider2's)."""

import pytest
from django.contrib.auth.models import AnonymousUser

from tests.factories import ProgrammeFactory

ROLES = ["commissioner", "finance", "provider", "provider2", "admin", "anonymous"]


@pytest.fixture
def users(commissioner, finance, provider, provider2, admin_user):
    return {
        "commissioner": commissioner,
        "finance": finance,
        "provider": provider,  # of the owning organisation
        "provider2": provider2,  # of another organisation
        "admin": admin_user,
        "anonymous": AnonymousUser(),
    }


@pytest.fixture
def programme(org_a):
    return ProgrammeFactory(provider=org_a)
