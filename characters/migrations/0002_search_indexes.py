"""PostgreSQL-only search support: pg_trgm, a GIN index on the full-text vector
and a trigram index on names. SQLite (the quick start) skips them."""

from django.db import migrations

FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX IF NOT EXISTS char_search_gin ON characters_character USING gin (search_vector)",
    "CREATE INDEX IF NOT EXISTS char_name_trgm ON characters_character USING gin (name gin_trgm_ops)",
]
BACKWARD = [
    "DROP INDEX IF EXISTS char_name_trgm",
    "DROP INDEX IF EXISTS char_search_gin",
]


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for sql in FORWARD:
            schema_editor.execute(sql)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for sql in BACKWARD:
            schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("characters", "0001_initial")]
    operations = [migrations.RunPython(forward, backward)]
