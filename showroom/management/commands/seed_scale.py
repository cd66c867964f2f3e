import time

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from showroom.scale import SIZES, scale_seed
from showroom.scale.database import scale_connection_use, scale_database_create, scale_target
from showroom.scale.sql import app_models


class Command(BaseCommand):
    help = (
        "Build a volume data set (issue 16) in a database of its own: small (1,000 leads), medium (about a "
        "tenth of large) or large (1,000,000 leads, 5,000,000 follow-ups and ledger moves …). Runs only "
        "against a database whose name contains 'scale' or one given with --database-url."
    )

    def add_arguments(self, parser):
        parser.add_argument("--size", choices=list(SIZES), default="small")
        parser.add_argument("--database-url", help="the database to build (created if missing)")
        parser.add_argument("--fresh", action="store_true", help="drop and recreate the database first")
        parser.add_argument(
            "--template",
            help="create the database as a copy of this already migrated one (faster than migrating)",
        )

    def handle(self, *args, **options):
        size = SIZES[options["size"]]
        target = scale_target(database_url=options["database_url"])
        started = time.perf_counter()
        created = scale_database_create(target=target, fresh=options["fresh"], template=options["template"])
        scale_connection_use(target=target)
        self.stdout.write(f"seed_scale {size.name} into {target['NAME']}{' (new database)' if created else ''}")
        start = time.perf_counter()
        if _unapplied_migrations():
            call_command("migrate", verbosity=0, interactive=False)
        self.stdout.write(f"  {'migrate':<14} {time.perf_counter() - start:8.1f} s")
        Lead = app_models("leads", "Lead")[0]

        if Lead.objects.filter(store__code__startswith="scale-").exists():
            raise CommandError(f"{target['NAME']} already holds a scale data set: use --fresh to rebuild it")
        scale_seed(size=size, say=self.stdout.write)
        self.stdout.write(
            self.style.SUCCESS(f"done in {time.perf_counter() - started:.1f} s ({connection.settings_dict['NAME']})")
        )


def _unapplied_migrations() -> bool:
    # A no-op migrate still renders every model state: minutes of CPU on a busy machine.
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    return bool(executor.migration_plan(executor.loader.graph.leaf_nodes()))
