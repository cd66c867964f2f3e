"""Backup and restore as docs/security.md describes it: pg_dump, pg_restore into a fresh database.

Given the demo data seeded and committed, when the database is dumped with ``pg_dump -Fc`` and the
dump restored with ``pg_restore`` into a new, empty database, then every table of the project holds
the same number of rows and every money or quantity column the same sum (balances, amounts, stock).
Uses the pg_dump/pg_restore binaries of the machine; skipped where they are missing.
"""

import io
import os
import shutil
import subprocess

import psycopg2
import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import connection, models

PROJECT_APPS = ("showroom", "leads", "testdrive", "delivery", "warehouse", "realestate", "django_fsm_log", "auth")

pytestmark = pytest.mark.skipif(
    not (shutil.which("pg_dump") and shutil.which("pg_restore")), reason="needs the pg_dump and pg_restore binaries"
)


def _figures(cursor) -> dict[str, object]:
    """Row counts of every table and sums of every decimal column (money, quantities, balances)."""
    figures = {}
    for label in PROJECT_APPS:
        for model in apps.get_app_config(label).get_models():
            table = model._meta.db_table
            decimals = [f.column for f in model._meta.concrete_fields if isinstance(f, models.DecimalField)]
            sums = ", ".join(f'SUM("{c}")' for c in decimals)
            cursor.execute(f'SELECT COUNT(*){", " + sums if sums else ""} FROM "{table}"')
            row = cursor.fetchone()
            figures[table] = row[0]
            for column, total in zip(decimals, row[1:], strict=True):
                figures[f"{table}.{column}"] = total
    return figures


def _env(db) -> dict[str, str]:
    env = {**os.environ}
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = db["PASSWORD"]
    return env


def _args(db) -> list[str]:
    return ["-h", db.get("HOST") or "127.0.0.1", "-p", str(db.get("PORT") or 5432), "-U", db.get("USER") or "postgres"]


@pytest.mark.django_db(transaction=True)
def test_a_dump_restored_into_a_fresh_database_has_the_same_counts_and_balances(tmp_path):
    # given the demo data, committed
    call_command("seed_demo", quiet_logins=True, stdout=io.StringIO())
    db = connection.settings_dict
    with connection.cursor() as cursor:
        before = _figures(cursor)
    assert before["showroom_customer"] > 0 and before["warehouse_stockmove"] > 0
    dump = tmp_path / "showroom.dump"
    restored = f"{db['NAME']}_restore"[:63]
    # when it is dumped and restored as docs/security.md says
    subprocess.run(
        ["pg_dump", *_args(db), "--format=custom", "--no-owner", "--file", str(dump), db["NAME"]],
        check=True,
        env=_env(db),
        timeout=600,
    )
    subprocess.run(["dropdb", *_args(db), "--if-exists", restored], check=True, env=_env(db), timeout=120)
    subprocess.run(["createdb", *_args(db), restored], check=True, env=_env(db), timeout=120)
    try:
        subprocess.run(
            ["pg_restore", *_args(db), "--no-owner", "--exit-on-error", "--dbname", restored, str(dump)],
            check=True,
            env=_env(db),
            timeout=600,
        )
        # then the restored database holds the same rows and the same sums
        target = psycopg2.connect(
            dbname=restored,
            host=db.get("HOST") or "127.0.0.1",
            port=db.get("PORT") or 5432,
            user=db.get("USER") or "postgres",
            password=db.get("PASSWORD") or None,
        )
        try:
            with target.cursor() as cursor:
                after = _figures(cursor)
        finally:
            target.close()
    finally:
        subprocess.run(["dropdb", *_args(db), "--if-exists", restored], env=_env(db), timeout=120)
    differences = {key: (before[key], after.get(key)) for key in before if before[key] != after.get(key)}
    assert not differences
