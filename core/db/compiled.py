"""A hot query compiled to SQL once per process and then run with new parameters.

Compiling a queryset with joins and sub-queries costs the ORM about 1.5 ms of Python per
request, more than the database takes to answer it. The two queries every returns POST makes
(the API token with the user's access, and the target with its programme and measure) are
compiled once here; their results are turned back into model instances with Model.from_db,
exactly as a queryset would.

    TOKEN = CompiledQuery(lambda key: Token.objects.filter(key=key).values_list(...), key="")
    row = TOKEN.fetchone(key=request_key)

`build` receives marker values for the parameters and must use each exactly once; markers are
chosen so that they cannot collide with a real value (negative ids, a key no token has).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import connections
from django.db.models import Model, QuerySet

_MARKERS = {int: -7_391_002_113, str: "\x1fcompiled-query-marker\x1f"}


class CompiledQuery:
    def __init__(self, build: Callable[..., QuerySet], **parameter_types: type) -> None:
        self._build = build
        self._types = parameter_types
        self._compiled: dict[str, tuple[str, list, dict[str, int]]] = {}

    def fetchone(self, using: str = "default", **values: Any) -> tuple | None:
        connection = connections[using]
        sql, params, positions = self._compile(connection.vendor, using)
        params = list(params)
        for name, index in positions.items():
            params[index] = values[name]
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchone()

    def _compile(self, vendor: str, using: str) -> tuple[str, list, dict[str, int]]:
        if vendor not in self._compiled:
            markers = {name: self._marker(i, kind) for i, (name, kind) in enumerate(self._types.items())}
            queryset = self._build(**markers)
            sql, params = queryset.query.get_compiler(using).as_sql()
            positions = {}
            for name, marker in markers.items():
                found = [i for i, p in enumerate(params) if p == marker]
                if len(found) != 1:
                    raise ValueError(f"Parameter {name!r} must appear exactly once in the query.")
                positions[name] = found[0]
            self._compiled[vendor] = (sql, list(params), positions)
        return self._compiled[vendor]

    @staticmethod
    def _marker(index: int, kind: type) -> Any:
        base = _MARKERS[kind]
        return base - index if kind is int else f"{base}{index}"


def instance(model: type[Model], using: str, names: list[str], values: tuple) -> Model:
    """A model instance from some of its columns (the others deferred), as a queryset builds it.
    (Model.from_db expects the values in the model's field order, whatever order `names` has.)"""
    by_name = dict(zip(names, values, strict=True))
    ordered = [f.attname for f in model._meta.concrete_fields if f.attname in by_name]
    return model.from_db(using, ordered, [by_name[name] for name in ordered])
