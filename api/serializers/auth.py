"""Serializers for token sign-in."""

from rest_framework import serializers

from accounts.models import ApiToken


class TokenRequestSerializer(serializers.Serializer):
    username = serializers.CharField()
    password = serializers.CharField(style={"input_type": "password"}, trim_whitespace=False)
    name = serializers.CharField(
        required=False, allow_blank=True, max_length=80,
        help_text="A name for the new token (default: 'API token issued' and the time).",
    )  # fmt: skip
    scope = serializers.ChoiceField(
        choices=ApiToken.Scope.choices, default=ApiToken.Scope.WRITE,
        help_text="'read' (read only) or 'write' (read and write, the default).",
    )  # fmt: skip


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField(help_text="The new token: shown this once, only its hash is kept.")
