"""No demo car booked twice for overlapping times, guaranteed by PostgreSQL itself: an exclusion
constraint (btree_gist) over the car and the slot's time range, for the live states only.

On SQLite (the embedded default) this migration does nothing: the booking service locks the car's
row and checks for an overlap, which is correct on both databases.
"""

from django.db import migrations

CONSTRAINT = "booking_no_overlap"
TABLE = "testdrive_booking"


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS btree_gist")
    schema_editor.execute(
        f"ALTER TABLE {TABLE} ADD CONSTRAINT {CONSTRAINT} EXCLUDE USING gist ("
        " vehicle_id WITH =, tstzrange(slot_start, slot_end, '[)') WITH &&"
        ") WHERE (state IN ('scheduled', 'checked_in', 'in_progress') AND vehicle_id IS NOT NULL)"
    )


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"ALTER TABLE {TABLE} DROP CONSTRAINT IF EXISTS {CONSTRAINT}")


class Migration(migrations.Migration):
    dependencies = [("testdrive", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards)]
