"""Turn PostgreSQL's JIT compilation off for this database (issue 16, found with EXPLAIN ANALYZE).

With a few hundred thousand leads the planner's cost of the dashboard's "leads needing attention"
count passes ``jit_above_cost`` and PostgreSQL spends ~240 ms compiling the query, which then runs
in ~20 ms: JIT pays for long analytical queries, never for a web request's short ones. Needs the
database's owner; a role that is not the owner keeps the server's setting (a notice, no failure).
"""

from django.db import migrations

JIT_OFF = """
DO $$
BEGIN
    EXECUTE format('ALTER DATABASE %I SET jit = off', current_database());
EXCEPTION WHEN insufficient_privilege THEN
    RAISE NOTICE 'not the owner of the database: jit stays as the server sets it';
END
$$;
"""
JIT_DEFAULT = """
DO $$
BEGIN
    EXECUTE format('ALTER DATABASE %I RESET jit', current_database());
EXCEPTION WHEN insufficient_privilege THEN
    NULL;
END
$$;
"""


def jit_off(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(JIT_OFF, params=None)
        schema_editor.execute("SET jit = off")  # this session too


def jit_default(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(JIT_DEFAULT, params=None)


class Migration(migrations.Migration):
    dependencies = [("showroom", "0010_document_number_scope")]

    operations = [migrations.RunPython(jit_off, jit_default, elidable=False)]
