"""A deliberately minimal DRF endpoint for bench/returns_api.py: authenticate, parse, one INSERT.

Served only by the benchmark's own settings (bench.floor.settings: the product's URLs plus this
one); it is the floor the returns endpoint's throughput is compared against in the same server
and run. Nothing in the product imports it.
"""

import json

from django.db import connection
from rest_framework.authentication import TokenAuthentication
from rest_framework.response import Response
from rest_framework.views import APIView


class BenchInsertView(APIView):
    authentication_classes = [TokenAuthentication]  # DRF's own: the floor stays minimal
    throttle_classes: list = []

    def post(self, request):
        with connection.cursor() as cursor:
            cursor.execute("INSERT INTO bench_insert (payload) VALUES (%s)", [json.dumps(request.data)])
        return Response({"ok": True}, status=201)
