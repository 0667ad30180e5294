"""Signals accounts listens to:

- a password change (by its owner, a reset, an administrator) or a deactivation revokes every API
  token of the person: whoever held the old password may have issued them;
- a sign-in marks the session for the MFA requirement and the idle timeout (accounts.security);
- adding an authenticator lifts the MFA requirement's block on the session.
"""

import time

from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in
from django.db.models.signals import post_save

from accounts import security
from accounts.tokens import REVOKED_DEACTIVATED, REVOKED_PASSWORD_CHANGED, tokens_revoke_all


def _user_saved(sender, instance, created: bool, **kwargs) -> None:
    if created:
        return
    if not instance.is_active:
        tokens_revoke_all(user_id=instance.pk, reason=REVOKED_DEACTIVATED)
    elif getattr(instance, "_password", None) is not None:  # set_password() since the last save
        tokens_revoke_all(user_id=instance.pk, reason=REVOKED_PASSWORD_CHANGED)


def _signed_in(sender, request, user, **kwargs) -> None:
    session = getattr(request, "session", None)
    if session is None:
        return
    _count_as_recent_authentication(session)
    if security.mfa_required(user) and not security.has_mfa(user):
        session[security.SESSION_MFA_PENDING] = True
    else:
        session.pop(security.SESSION_MFA_PENDING, None)
    if security.idle_timeout_applies(user):
        session[security.SESSION_IDLE] = True
        session[security.SESSION_LAST_SEEN] = int(time.time())


def _count_as_recent_authentication(session) -> None:
    """A sign-in a moment ago counts as a re-authentication (allauth counts only explicit ones),
    so that a person enrolling in MFA straight after signing in, or recording a payment within
    ACCOUNT_REAUTHENTICATION_TIMEOUT of it, is not asked for the password twice."""
    records = session.get("account_authentication_methods") or []
    if records and time.time() - records[-1].get("at", 0) < 60:
        records[-1]["reauthenticated"] = True
        session["account_authentication_methods"] = records


def _authenticator_added(sender, request, user, **kwargs) -> None:
    session = getattr(request, "session", None)
    if session is not None:
        session.pop(security.SESSION_MFA_PENDING, None)


def connect() -> None:
    from allauth.mfa.signals import authenticator_added

    post_save.connect(_user_saved, sender=get_user_model(), dispatch_uid="accounts_revoke_tokens")
    user_logged_in.connect(_signed_in, dispatch_uid="accounts_session_policy")
    authenticator_added.connect(_authenticator_added, dispatch_uid="accounts_mfa_enrolled")
