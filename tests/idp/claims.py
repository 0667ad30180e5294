"""The claims the test identity provider asserts: a person's e-mail address, whether it is
verified, and their groups, from the directory file (read at each request)."""

import json
from pathlib import Path

from django.conf import settings
from oauth2_provider.oauth2_validators import OAuth2Validator


def directory() -> dict[str, dict]:
    return json.loads(Path(settings.CONFIG["directory"]).read_text())


class DirectoryValidator(OAuth2Validator):
    oidc_claim_scope = {**OAuth2Validator.oidc_claim_scope, "groups": "profile"}

    def get_additional_claims(self, request) -> dict:
        person = directory()[request.user.username]
        return {
            "preferred_username": request.user.username,
            "name": person.get("name", request.user.username),
            "email": person["email"],
            "email_verified": person["email_verified"],
            "groups": person.get("groups", []),
        }
