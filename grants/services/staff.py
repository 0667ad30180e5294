"""Organisation self-service: an organisation administrator invites and removes their own
organisation's staff, without the partnership's admin.

    staff_invite(user=org_admin, organisation=org, email="new@stgiles.org.uk", accept_url=...)
    staff_accept(key=..., user=None, username=..., password=...)   # a new account
    staff_accept(key=..., user=signed_in_person)                   # an existing account joins
    staff_remove(user=org_admin, organisation=org, member_id=...)

An administrator may act only for organisations they belong to: any other organisation is not
found (404), as providers see nothing of other organisations. Invited people join as providers.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.contrib.auth import get_user_model, password_validation
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.roles import Role, has_role
from core.errors import Conflict, NotFound, NotPermitted, ValidationFailed
from grants.models import Membership, Organisation, StaffInvitation
from grants.permissions import member_organisation_ids

INVITATION_DAYS = 14
NOT_YOURS = "No organisation with that id is yours to administer."
ONLY_ORG_ADMINS = "Only an organisation administrator can invite or remove staff."
BAD_INVITATION = (
    "This invitation link is not valid: it may have expired, been used or been cancelled. Ask for a new one."
)
ALREADY_MEMBER = "{email} is already on {organisation}'s staff."
NOT_SELF = "You cannot remove yourself: ask another administrator of your organisation."
WRONG_PERSON = (
    "This invitation was sent to {email}: sign in as that person, or sign out to create a new account."
)
WAITING = "That address already has an invitation waiting to be accepted."
ADDRESS_HAS_ACCOUNT = "An account already uses this address: sign in with it, then open the link again."


def _hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def _require_admin_of(user, organisation_id: int) -> Organisation:
    if not has_role(user, Role.ORG_ADMIN):
        raise NotPermitted(ONLY_ORG_ADMINS)
    if organisation_id not in member_organisation_ids(user):
        raise NotFound(NOT_YOURS)
    return Organisation.objects.get(pk=organisation_id)


def organisations_administered(*, user):
    if not has_role(user, Role.ORG_ADMIN):
        return Organisation.objects.none()
    return Organisation.objects.filter(pk__in=member_organisation_ids(user)).order_by("name")


def staff_of(*, user, organisation_id: int):
    """The organisation's members with what an administrator needs: last sign-in, MFA."""
    from allauth.mfa.models import Authenticator
    from django.db.models import Exists, OuterRef

    organisation = _require_admin_of(user, organisation_id)
    mfa = Authenticator.objects.filter(
        user=OuterRef("user"), type__in=[Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN]
    )
    members = (
        Membership.objects.filter(organisation=organisation)
        .select_related("user")
        .annotate(has_mfa=Exists(mfa))
        .order_by("user__username")
    )
    invitations = StaffInvitation.objects.filter(
        organisation=organisation, accepted_at__isnull=True, cancelled_at__isnull=True
    )
    return organisation, members, invitations


@dataclass(frozen=True)
class Invited:
    invitation: StaffInvitation
    key: str


def staff_invite(*, user, organisation_id: int, email: str, accept_url) -> Invited:
    """Invite `email` to the organisation's staff and e-mail the link (accept_url(key) makes it)."""
    organisation = _require_admin_of(user, organisation_id)
    email = (email or "").strip()
    try:
        validate_email(email)
    except ValidationError:
        raise ValidationFailed({"email": ["Enter an e-mail address, like name@example.org."]}) from None
    if Membership.objects.filter(organisation=organisation, user__email__iexact=email).exists():
        message = ALREADY_MEMBER.format(email=email, organisation=organisation.name)
        raise ValidationFailed({"email": [message]})
    key = secrets.token_urlsafe(32)
    try:
        with transaction.atomic():
            invitation = StaffInvitation.objects.create(
                organisation=organisation, email=email, invited_by=user, key_hash=_hash(key),
                expires_at=timezone.now() + timedelta(days=INVITATION_DAYS),
            )  # fmt: skip
    except IntegrityError:
        raise ValidationFailed({"email": [WAITING]}) from None
    link = accept_url(key)
    transaction.on_commit(
        lambda: send_mail(
            f"Yardstick: join {organisation.name}",
            f"{user.get_full_name() or user.get_username()} has invited you to use Yardstick for "
            f"{organisation.name}.\n\nAccept the invitation within {INVITATION_DAYS} days:\n{link}\n",
            None,
            [email],
        )
    )
    return Invited(invitation=invitation, key=key)


def invitation_for(*, key: str) -> StaffInvitation:
    invitation = (
        StaffInvitation.objects.select_related("organisation")
        .filter(key_hash=_hash(key or ""), accepted_at__isnull=True, cancelled_at__isnull=True)
        .first()
    )
    if invitation is None or invitation.expires_at <= timezone.now():
        raise NotFound(BAD_INVITATION)
    return invitation


def staff_accept(*, key: str, user=None, username: str = "", password: str = ""):
    """Accept an invitation: join as `user` (signed in, with the invited address) or as a new
    account (username, password). The person who accepts; their address counts as verified."""
    from allauth.account.models import EmailAddress

    with transaction.atomic():
        invitation = invitation_for(key=key)
        invitation = StaffInvitation.objects.select_for_update().get(pk=invitation.pk)
        if invitation.accepted_at is not None:
            raise NotFound(BAD_INVITATION)
        if user is not None and user.is_authenticated:
            if (user.email or "").lower() != invitation.email.lower():
                raise Conflict(WRONG_PERSON.format(email=invitation.email))
            person = user
        else:
            person = _new_account(username=username, password=password, email=invitation.email)
        Membership.objects.get_or_create(user=person, organisation=invitation.organisation)
        person.groups.add(Group.objects.get(name=Role.PROVIDER.value))
        EmailAddress.objects.update_or_create(
            user=person, email__iexact=invitation.email,
            defaults={"email": invitation.email, "verified": True, "primary": True},
        )  # fmt: skip
        invitation.accepted_at = timezone.now()
        invitation.accepted_by = person
        invitation.save(update_fields=["accepted_at", "accepted_by"])
    return person


def _new_account(*, username: str, password: str, email: str):
    User = get_user_model()
    username = (username or "").strip()
    errors: dict[str, list[str]] = {}
    if not username:
        errors["username"] = ["Choose a username."]
    elif User.objects.filter(username__iexact=username).exists():
        errors["username"] = ["That username is taken: choose another."]
    if User.objects.filter(email__iexact=email).exists():
        errors["username"] = [ADDRESS_HAS_ACCOUNT]
    candidate = User(username=username, email=email)
    try:
        password_validation.validate_password(password, candidate)
    except ValidationError as exc:
        errors["password"] = list(exc.messages)
    if errors:
        raise ValidationFailed(errors)
    return User.objects.create_user(username=username, email=email, password=password)


def staff_remove(*, user, organisation_id: int, member_id: int) -> None:
    """Remove a person from the organisation's staff (their account stays, for other organisations
    and for history; with no organisation left it can see nothing)."""
    organisation = _require_admin_of(user, organisation_id)
    if member_id == user.pk:
        raise ValidationFailed(NOT_SELF)
    with transaction.atomic():
        deleted, _ = Membership.objects.filter(organisation=organisation, user_id=member_id).delete()
        if not deleted:
            raise NotFound("That person is not on your organisation's staff.")


def staff_invitation_cancel(*, user, organisation_id: int, invitation_id: int) -> None:
    organisation = _require_admin_of(user, organisation_id)
    updated = StaffInvitation.objects.filter(
        pk=invitation_id, organisation=organisation, accepted_at__isnull=True, cancelled_at__isnull=True
    ).update(cancelled_at=timezone.now())
    if not updated:
        raise NotFound("There is no such invitation waiting.")
