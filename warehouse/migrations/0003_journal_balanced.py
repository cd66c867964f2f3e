from django.db import migrations

# The database refuses to commit a journal entry whose debits and credits differ: a constraint
# trigger on the lines, deferred to the end of the transaction (the lines of one entry are
# inserted one after another), sums the entry's lines again.
BALANCED_SQL = """
CREATE OR REPLACE FUNCTION warehouse_journal_balanced() RETURNS trigger AS $$
DECLARE
    diff numeric;
    entry bigint;
BEGIN
    entry := COALESCE(NEW.entry_id, OLD.entry_id);
    SELECT COALESCE(SUM(debit), 0) - COALESCE(SUM(credit), 0) INTO diff
      FROM warehouse_journalline WHERE entry_id = entry;
    IF diff <> 0 THEN
        RAISE EXCEPTION 'journal entry % does not balance: debits - credits = %', entry, diff
            USING ERRCODE = 'check_violation';
    END IF;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
CREATE CONSTRAINT TRIGGER warehouse_journal_balanced
    AFTER INSERT OR UPDATE OR DELETE ON warehouse_journalline
    DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION warehouse_journal_balanced();
"""
UNBALANCED_SQL = """
DROP TRIGGER IF EXISTS warehouse_journal_balanced ON warehouse_journalline;
DROP FUNCTION IF EXISTS warehouse_journal_balanced();
"""


def _create(apps, schema_editor):
    # PostgreSQL only: the embedded SQLite default (a smoke setup) has no PL/pgSQL; there the
    # service-level check in journal_post is the guarantee.
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BALANCED_SQL, params=None)


def _drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(UNBALANCED_SQL, params=None)


class Migration(migrations.Migration):
    dependencies = [("warehouse", "0002_sales")]
    operations = [migrations.RunPython(_create, _drop)]
