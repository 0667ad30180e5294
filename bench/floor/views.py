"""Deliberately minimal floors for the benchmarks, served only by their own settings
(bench.floor.settings: the product's URLs plus these); nothing in the product imports them.

- BenchInsertView (bench/returns_api.py): a DRF endpoint that authenticates, parses, one INSERT.
  Its authentication is what DRF's stock TokenAuthentication does (one ORM look-up of the token
  with its user: no roles, scope or last-used time), on the hashed token table, DRF's authtoken
  table being gone: the floor costs what it did before tokens were hashed, so the ratio still
  shows what the product's own token authentication costs the returns POST.
- bench_page (bench/load.py): a signed-in page of the product's layout (base.html: header,
  navigation for the role, footer) with one heading, the floor the home pages and the programme
  list are compared against in the same server and run.
"""

import json

from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.template import engines
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.models import ApiToken
from accounts.tokens import hash_key


class StockTokenAuthentication(TokenAuthentication):
    """DRF's TokenAuthentication.authenticate_credentials, reading ApiToken by its hash."""

    def authenticate_credentials(self, key):
        try:
            token = ApiToken.objects.select_related("user").get(
                key_hash=hash_key(key), revoked_at__isnull=True
            )
        except ApiToken.DoesNotExist:
            raise exceptions.AuthenticationFailed("Invalid token.") from None
        if not token.user.is_active:
            raise exceptions.AuthenticationFailed("User inactive or deleted.")
        return (token.user, token)


class BenchInsertView(APIView):
    authentication_classes = [StockTokenAuthentication]  # DRF's own, on the hashed table
    throttle_classes: list = []

    def post(self, request):
        with connection.cursor() as cursor:
            cursor.execute("INSERT INTO bench_insert (payload) VALUES (%s)", [json.dumps(request.data)])
        return Response({"ok": True}, status=201)


_PAGE = engines["django"].from_string(
    '{% extends "base.html" %}{% block title %}Floor{% endblock %}'
    '{% block content %}<h1 class="govuk-heading-l">Floor</h1>{% endblock %}'
)


@login_required
def bench_page(request: HttpRequest) -> HttpResponse:
    return HttpResponse(_PAGE.render({}, request))
