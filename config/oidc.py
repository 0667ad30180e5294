"""Single sign-on settings: the OIDC_PROVIDERS list (one JSON object per identity provider, as
docs/deploy.md section 11 describes) as django-allauth's SOCIALACCOUNT_PROVIDERS. Kept apart
from config.settings so that the end-to-end test (tests/accounts/test_sso_end_to_end.py)
configures its local identity provider through the same translation."""

from __future__ import annotations

from typing import Any

DEFAULT_SCOPE = ["openid", "profile", "email"]


def socialaccount_providers(providers: list[dict[str, Any]]) -> dict[str, Any]:
    """allauth's openid_connect provider with one app per entry: id, name, server_url (the
    issuer), client_id, secret, and Yardstick's own keys signup_domains, groups_claim, roles."""
    return {
        "openid_connect": {
            "OAUTH_PKCE_ENABLED": True,
            "APPS": [
                {
                    "provider_id": idp["id"],
                    "name": idp.get("name", idp["id"]),
                    "client_id": idp["client_id"],
                    "secret": idp.get("secret", ""),
                    "settings": {
                        "server_url": idp["server_url"],
                        "token_auth_method": idp.get("token_auth_method", "client_secret_post"),
                        "scope": idp.get("scope", DEFAULT_SCOPE),
                        "yardstick": {
                            "signup_domains": idp.get("signup_domains", []),
                            "groups_claim": idp.get("groups_claim", ""),
                            "roles": idp.get("roles", {}),
                        },
                    },
                }
                for idp in providers
            ],
        }
    }
