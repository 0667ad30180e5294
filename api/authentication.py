"""Token authentication that also reads the user's roles and organisations in the same query.

Every API request checks permissions, which need the user's groups and memberships; reading them
with the token saves a query per request (see grants.roles.access_annotations).
"""

from rest_framework import authentication, exceptions
from rest_framework.authtoken.models import Token

from grants.roles import access_annotations, set_access


class TokenAuthentication(authentication.TokenAuthentication):
    def authenticate_credentials(self, key):
        token = (
            Token.objects.select_related("user")
            .annotate(**access_annotations("user_id"))
            .filter(key=key)
            .first()
        )
        if token is None:
            raise exceptions.AuthenticationFailed("Invalid token.")
        if not token.user.is_active:
            raise exceptions.AuthenticationFailed("User inactive or deleted.")
        set_access(token.user, token.access_groups, token.access_orgs)
        return (token.user, token)
