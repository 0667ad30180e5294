"""`column = ANY(array)`: membership in a long list of values sent as one parameter.

`filter(x__in=values)` writes one placeholder per value; for ten thousand values the ORM
prepares each one and psycopg then splits the query text at every placeholder, which takes
longer than the database takes to answer. On PostgreSQL `AnyOf` sends the list as one array
parameter (psycopg adapts a list of ints or strings natively), cast to the column's type;
elsewhere it is an ordinary IN.

    Participant.objects.filter(AnyOf(F("reference"), references))

The values must already be what the column holds (ints for ids, strings for text): they are
not prepared by the field, so pass ids rather than model instances.
"""

from __future__ import annotations

from django.db.models import Lookup


class AnyOf(Lookup):
    lookup_name = "any_of"
    prepare_rhs = False

    def __init__(self, lhs, rhs) -> None:
        super().__init__(lhs, list(rhs))

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        values = self.rhs
        if not values:
            return "1 = 0", []  # never true, as IN () would be
        if connection.vendor == "postgresql":
            # Typed as the column, so that PostgreSQL hashes the array (a smallint[] against a
            # bigint column is compared element by element: 10,000 ids against 10,000 rows is
            # fifty million comparisons).
            array_type = self.lhs.output_field.db_type(connection)
            return f"{lhs} = ANY(%s::{array_type}[])", [*lhs_params, values]
        return f"{lhs} IN ({', '.join(['%s'] * len(values))})", [*lhs_params, *values]
