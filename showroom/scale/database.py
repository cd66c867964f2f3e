"""Which database ``seed_scale`` may write to, and creating it: never the development database by
accident — only one named with "scale", or one given explicitly with ``--database-url``."""

import environ
from django.core.management.base import CommandError
from django.db import connection


def scale_target(*, database_url: str | None) -> dict:
    """The settings of the database to seed: ``database_url`` if given, else the default database
    when its name holds "scale"; refuses anything else."""
    if database_url:
        return environ.Env.db_url_config(database_url)
    settings_dict = connection.settings_dict
    if settings_dict["ENGINE"] != "django.db.backends.postgresql" or "scale" not in str(settings_dict["NAME"]):
        raise CommandError(
            f"refusing to seed {settings_dict['NAME']!r}: seed_scale writes millions of rows, so it runs only "
            "against a PostgreSQL database whose name contains 'scale' (set DATABASE_URL) or one given "
            "with --database-url"
        )
    return dict(settings_dict)


def scale_database_create(*, target: dict, fresh: bool, template: str | None) -> bool:
    """Create the target database when missing (or drop and recreate it when ``fresh``), copied from
    ``template`` (an already migrated database: migrating from empty takes minutes) when given.
    Returns whether it was created."""
    import psycopg2
    from psycopg2 import sql

    name = target["NAME"]
    params = {"dbname": "postgres", "host": target.get("HOST") or None, "port": target.get("PORT") or None}
    params.update({k: target[K] for k, K in (("user", "USER"), ("password", "PASSWORD")) if target.get(K)})
    conn = psycopg2.connect(**params)
    conn.autocommit = True
    try:
        with conn.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
            exists = cursor.fetchone() is not None
            if exists and not fresh:
                return False
            if exists:
                cursor.execute(sql.SQL("DROP DATABASE {} WITH (FORCE)").format(sql.Identifier(name)))
            if template:
                cursor.execute(
                    sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(sql.Identifier(name), sql.Identifier(template))
                )
                _settings_copy(cursor, source=template, target=name)
            else:
                cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
            return True
    finally:
        conn.close()


def _settings_copy(cursor, *, source: str, target: str) -> None:
    """Give the copy the template's own settings (``ALTER DATABASE … SET``): CREATE DATABASE …
    TEMPLATE copies the data, not them, and a migration that set one (showroom 0011: jit = off)
    does not run again in the copy. Without it a dashboard count paid 600 ms of JIT compilation."""
    from psycopg2 import sql

    cursor.execute(
        "SELECT unnest(s.setconfig) FROM pg_db_role_setting s JOIN pg_database d ON d.oid = s.setdatabase "
        "WHERE d.datname = %s AND s.setrole = 0",
        [source],
    )
    for (setting,) in cursor.fetchall():
        key, _, value = setting.partition("=")
        cursor.execute(
            sql.SQL("ALTER DATABASE {} SET {} = {}").format(
                sql.Identifier(target), sql.Identifier(key), sql.Literal(value)
            )
        )


def scale_connection_use(*, target: dict) -> None:
    """Point the default connection at the target, whatever the default was (SQLite included)."""
    from django.db import connections

    if target is connection.settings_dict:
        return
    connection.close()
    configured = connections.configure_settings({"default": dict(target)})["default"]
    connections.settings["default"] = configured
    connections["default"] = connections.create_connection("default")
