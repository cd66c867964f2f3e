"""Indexes fit for the global search (showroom/selectors/search.py), on PostgreSQL only.

Django writes ``name__icontains`` as ``UPPER("name"::text) LIKE UPPER('%…%')`` and
``mobile__contains`` as ``"mobile"::text LIKE '%…%'``: a B-tree cannot serve a leading wildcard,
a GIN trigram index (pg_trgm) can, on the same expression, for patterns of three characters or
more; a two-character name query is a prefix (``UPPER(name) LIKE '王五%'``), served by a B-tree
with ``text_pattern_ops``. The indexes are not declared on the
models (an expression index with an operator class is PostgreSQL-only); on SQLite this migration
does nothing and the search scans. ``bench/search.py`` measures the difference.
"""

from django.db import migrations

INDEXES = [
    ("customer_name_trgm", "showroom_customer", "UPPER(name::text) gin_trgm_ops"),
    # a two-character name query is a prefix (``search_name_q``): a B-tree serves it
    ("customer_name_prefix", "showroom_customer", "UPPER(name::text) text_pattern_ops"),
    ("customer_mobile_trgm", "showroom_customer", "(mobile::text) gin_trgm_ops"),
    ("customer_id_number_trgm", "showroom_customer", "(id_number::text) gin_trgm_ops"),
    ("visit_licence_plate_trgm", "showroom_visit", "(licence_plate::text) gin_trgm_ops"),
    ("document_number_trgm", "showroom_document", "UPPER(number::text) gin_trgm_ops"),
]


def create_search_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, table, expression in INDEXES:
        method = "gin" if expression.endswith("gin_trgm_ops") else "btree"
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {table} USING {method} ({expression})")


def drop_search_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, _table, _expression in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [
        ("showroom", "0006_frontdesk_settings_one_dormancy"),
    ]

    operations = [
        migrations.RunPython(create_search_indexes, drop_search_indexes, elidable=False),
    ]
