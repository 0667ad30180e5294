"""DRF's authtoken kept API tokens in plain text (authtoken_token). Each becomes an ApiToken that
holds only the key's SHA-256, so that providers' systems keep working with the token they have;
then the plain-text table is dropped. Runs with or without the authtoken app's table."""

import hashlib
from datetime import timedelta

from django.db import migrations
from django.utils import timezone

TABLE = "authtoken_token"


def hash_in_place(apps, schema_editor):
    connection = schema_editor.connection
    if TABLE not in connection.introspection.table_names():
        return
    ApiToken = apps.get_model("accounts", "ApiToken")
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT key, user_id FROM {TABLE}")  # noqa: S608 (a constant)
        rows = cursor.fetchall()
    expires = timezone.now() + timedelta(days=365)
    ApiToken.objects.bulk_create(
        ApiToken(
            user_id=user_id,
            name="API token (before named tokens)",
            key_hash=hashlib.sha256(key.encode()).hexdigest(),
            prefix=key[:8],
            scope="write",
            expires_at=expires,
        )
        for key, user_id in rows
    )
    schema_editor.execute(f"DROP TABLE {TABLE}")
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM django_migrations WHERE app = %s", ["authtoken"])


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_initial")]

    operations = [migrations.RunPython(hash_in_place, migrations.RunPython.noop, elidable=True)]
