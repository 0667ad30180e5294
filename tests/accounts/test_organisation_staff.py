"""Organisation self-service: an organisation administrator invites and removes their own staff
and sees their sign-in and MFA status; never another organisation's."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core import mail
from django.urls import reverse

from accounts.roles import Role, roles_of
from grants.models import Membership, StaffInvitation
from grants.services import staff
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
NEW_PASSWORD = "a long enough passphrase"


@pytest.fixture
def org_admin(org_a):
    user = UserFactory(username="t-orgadmin", email="admin@stgiles.org.uk", role="Provider", organisations=[org_a])
    user.groups.add(Group.objects.get(name=Role.ORG_ADMIN))
    return user


def invite(client, org, email):
    return client.post(reverse("staff-list", args=[org.pk]), {"email": email})


def accept_link() -> str:
    return re.search(r"https?://[^/]+(/invitations/\S+/)", mail.outbox[-1].body).group(1)


def test_an_organisation_admin_invites_and_the_person_joins(client, org_admin, org_a, django_capture_on_commit_callbacks):
    client.force_login(org_admin)
    with django_capture_on_commit_callbacks(execute=True):
        assert invite(client, org_a, "new.worker@stgiles.org.uk").status_code == 302
    assert mail.outbox[-1].to == ["new.worker@stgiles.org.uk"] and "St Giles Trust" in mail.outbox[-1].subject
    invitation = StaffInvitation.objects.get()
    link = accept_link()
    assert link.split("/")[2] not in invitation.key_hash  # only a hash of the key is kept
    client.logout()
    page = client.get(link)
    assert page.status_code == 200 and "new.worker@stgiles.org.uk" in page.content.decode()
    response = client.post(link, {"username": "newworker", "password": NEW_PASSWORD})
    assert response.status_code == 302
    person = get_user_model().objects.get(username="newworker")
    assert Membership.objects.filter(user=person, organisation=org_a).exists()
    assert roles_of(person) == {Role.PROVIDER}
    assert EmailAddress.objects.get(user=person).verified  # the link proved the address
    assert client.get(link).status_code == 404  # used once


def test_the_staff_page_shows_sign_in_and_mfa_status(client, org_admin, provider, org_a, org_b, provider2):
    from allauth.mfa.models import Authenticator

    Authenticator.objects.create(user=provider, type=Authenticator.Type.TOTP, data={"secret": "x"})
    client.force_login(org_admin)
    body = client.get(reverse("staff-list", args=[org_a.pk])).content.decode()
    assert "t-provider" in body and "t-provider2" not in body
    assert "govuk-tag--green\">On" in body and "Never" in body


def test_cannot_see_or_invite_into_another_organisation(client, org_admin, org_b):
    client.force_login(org_admin)
    assert client.get(reverse("staff-list", args=[org_b.pk])).status_code == 404
    assert invite(client, org_b, "mole@example.org").status_code == 404
    assert not StaffInvitation.objects.exists()
    with pytest.raises(staff.NotFound):
        staff.staff_invite(user=org_admin, organisation_id=org_b.pk, email="mole@example.org", accept_url=str)


def test_cannot_remove_from_another_organisation(client, org_admin, org_b, provider2):
    client.force_login(org_admin)
    assert client.post(reverse("staff-remove", args=[org_b.pk, provider2.pk])).status_code == 404
    assert Membership.objects.filter(user=provider2, organisation=org_b).exists()


def test_removing_a_member(client, org_admin, provider, org_a):
    client.force_login(org_admin)
    assert client.post(reverse("staff-remove", args=[org_a.pk, provider.pk])).status_code == 302
    assert not Membership.objects.filter(user=provider, organisation=org_a).exists()
    client.post(reverse("staff-remove", args=[org_a.pk, org_admin.pk]))
    assert Membership.objects.filter(user=org_admin, organisation=org_a).exists()  # not yourself


def test_plain_providers_cannot_administer(client, provider, org_a):
    client.force_login(provider)
    assert client.get(reverse("staff-list", args=[org_a.pk])).status_code == 403
    assert invite(client, org_a, "x@example.org").status_code == 403


def test_bad_invitations_are_refused_with_messages(client, org_admin, provider, org_a):
    client.force_login(org_admin)
    response = invite(client, org_a, "not an address")
    assert response.status_code == 400 and "Enter a valid email address" in response.content.decode()
    response = invite(client, org_a, provider.email)
    assert response.status_code == 400 and "already on St Giles Trust" in response.content.decode()
    invite(client, org_a, "twice@example.org")
    response = invite(client, org_a, "twice@example.org")
    assert response.status_code == 400 and staff.WAITING in response.content.decode()


def test_a_cancelled_invitation_link_stops_working(client, org_admin, org_a):
    issued = staff.staff_invite(user=org_admin, organisation_id=org_a.pk, email="x@example.org", accept_url=str)
    client.force_login(org_admin)
    client.post(reverse("staff-invitation-cancel", args=[org_a.pk, issued.invitation.pk]))
    client.logout()
    assert client.get(reverse("staff-accept", args=[issued.key])).status_code == 404


def test_a_weak_password_on_acceptance_loses_nothing(client, org_admin, org_a):
    issued = staff.staff_invite(user=org_admin, organisation_id=org_a.pk, email="x@example.org", accept_url=str)
    response = client.post(reverse("staff-accept", args=[issued.key]), {"username": "x", "password": "short"})
    assert response.status_code == 200 and "too short" in response.content.decode()
    assert StaffInvitation.objects.get().accepted_at is None


def test_the_account_page_links_an_org_admin_to_their_staff(client, org_admin, org_a):
    client.force_login(org_admin)
    assert reverse("staff-home") in client.get(reverse("account-home")).content.decode()
    assert client.get(reverse("staff-home"))["Location"] == reverse("staff-list", args=[org_a.pk])
