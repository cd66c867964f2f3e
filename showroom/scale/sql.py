"""Set-based inserts for the scale seeder: ``INSERT … SELECT`` (over ``generate_series`` or other
tables) and ``COPY``, filling every NOT NULL column the caller does not name with the model's own
default, so a new field with a default does not break the seeder."""

import io
from collections.abc import Iterable
from contextlib import contextmanager, nullcontext

from django.db import connection


def insert_select(model, columns: dict[str, str], source: str, params: Iterable = (), *, bulk: bool = False) -> int:
    """``INSERT INTO <model> (<columns>) SELECT <expressions> <source>``; returns the row count.

    ``bulk`` drops the table's plain indexes for the insert and builds them again after it.
    ``columns`` maps field names (or ``<fk>_id`` attnames) to SQL expressions; ``source`` is the
    rest of the SELECT (``FROM generate_series(…) g …``), its placeholders taking ``params``: write
    a literal percent sign there as ``%%``."""
    names, exprs, defaults = _columns(model, columns)
    sql = f"INSERT INTO {model._meta.db_table} ({', '.join(names)}) SELECT {', '.join(exprs)} {source}"
    with indexes_rebuilt(model._meta.db_table) if bulk else nullcontext(), connection.cursor() as cursor:
        cursor.execute(sql, [*defaults, *params])
        return cursor.rowcount


@contextmanager
def indexes_rebuilt(*tables: str):
    """Drop the tables' plain indexes for the block and build them again after it (same
    transaction, so nobody sees them missing)."""
    with connection.cursor() as cursor:
        rebuild = [definition for table in tables for definition in _indexes_drop(cursor, table)]
    yield
    with connection.cursor() as cursor:
        # the deferred foreign-key checks must run before an index may be built on the table
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        for definition in rebuild:
            cursor.execute(definition)
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")


def foreign_keys_drop(tables: Iterable[str]) -> list[tuple[str, str, str]]:
    """Drop the foreign keys of ``tables`` and return (table, name, definition) to add them back
    with :func:`foreign_keys_add`. Django's keys are DEFERRABLE INITIALLY DEFERRED, so every row
    inserted queues one trigger event per key, each checked by its own lookup at commit: at
    5,000,000 follow-ups that is 20,000,000 lookups, where adding a key back validates the whole
    table in one join."""
    with connection.cursor() as cursor:
        # a key with events still pending (rows inserted earlier in this transaction, as in the
        # test suite) cannot be dropped: check them now
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute(
            "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) FROM pg_constraint "
            "WHERE contype = 'f' AND conrelid = ANY(%s::regclass[]) ORDER BY conrelid::regclass::text, conname",
            [list(tables)],
        )
        keys = cursor.fetchall()
        for table, name, _definition in keys:
            cursor.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")
    return keys


def foreign_keys_add(keys: list[tuple[str, str, str]]) -> None:
    """Add back what :func:`foreign_keys_drop` dropped; PostgreSQL checks every existing row of a
    table against a new key in one join, so a seeding mistake still fails here."""
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        by_table: dict[str, list[str]] = {}
        for table, name, definition in keys:
            by_table.setdefault(table, []).append(f'ADD CONSTRAINT "{name}" {definition}')
        for table, clauses in by_table.items():
            # one statement per table: one lock, and the keys are checked one after the other
            cursor.execute(f"ALTER TABLE {table} {', '.join(clauses)}")
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")


def _indexes_drop(cursor, table: str) -> list[str]:
    """Drop the table's plain indexes (not the primary key, nor those backing a constraint) and
    return their definitions: building an index once after millions of rows is several times
    cheaper than keeping it up to date row by row. Same transaction, so nobody sees them missing."""
    cursor.execute(
        "SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid) FROM pg_index i "
        "WHERE i.indrelid = %s::regclass AND NOT i.indisprimary "
        "AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid)",
        [table],
    )
    rows = cursor.fetchall()
    for name, _ in rows:
        cursor.execute(f"DROP INDEX {name}")
    return [definition for _, definition in rows]


def copy_rows(model, fields: list[str], rows: Iterable[tuple]) -> int:
    """``COPY`` rows (tuples in ``fields`` order) into the model's table; other NOT NULL columns get
    the model's default. Values must not hold tabs, newlines or backslashes."""
    defaults = {}
    for field in model._meta.concrete_fields:
        if field.primary_key or field.attname in fields or field.name in fields or field.null:
            continue
        defaults[field.column] = _default_text(field)
    columns = [model._meta.get_field(f).column if f in _names(model) else f for f in fields] + list(defaults)
    tail = list(defaults.values())
    buf = io.StringIO()
    count = 0
    for row in rows:
        buf.write("\t".join(r"\N" if v is None else str(v) for v in (*row, *tail)))
        buf.write("\n")
        count += 1
    buf.seek(0)
    with connection.cursor() as cursor:
        cursor.copy_expert(f"COPY {model._meta.db_table} ({', '.join(columns)}) FROM STDIN", buf)
    return count


def _names(model) -> set[str]:
    return {f.name for f in model._meta.concrete_fields}


def _columns(model, columns: dict[str, str]):
    names, exprs, defaults = [], [], []
    given = dict(columns)
    for field in model._meta.concrete_fields:
        key = field.attname if field.attname in given else field.name
        if key in given:
            names.append(field.column)
            exprs.append(given.pop(key))
        elif field.primary_key or field.null:
            continue
        elif getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            names.append(field.column)
            exprs.append("now()")
        elif _has_default(field):
            names.append(field.column)
            exprs.append("%s")
            defaults.append(field.get_db_prep_save(field.get_default(), connection))
        else:
            raise ValueError(f"{model.__name__}.{field.name} is NOT NULL and has no default: give it")
    if given:
        raise ValueError(f"{model.__name__} has no field(s) {sorted(given)}")
    # The defaults' placeholders sit in the SELECT list, before the source's: the caller's
    # expressions must hold none (write constants inline, and mod() rather than %).
    if any("%" in e for e in columns.values()):
        raise ValueError("column expressions must hold no % (use mod() and inline constants)")
    return names, exprs, defaults


def _default_text(field) -> str:
    if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
        from django.utils import timezone

        return timezone.now().isoformat()
    if not _has_default(field):
        raise ValueError(f"{field.model.__name__}.{field.name} is NOT NULL and has no default: give it")
    value = field.get_default()
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, dict | list):
        import json

        return json.dumps(value)
    return str(value)


def _has_default(field) -> bool:
    # a blank text field without a default defaults to "" in Django (get_default), not in the table
    return field.has_default() or (field.blank and field.empty_strings_allowed)


def app_models(app: str, *names: str) -> list:
    """Models of a workflow app, looked up by name: the core seeds every app's tables here without
    importing the apps (house rule: the core imports no app)."""
    from django.apps import apps

    return [apps.get_model(app, name) for name in names]
