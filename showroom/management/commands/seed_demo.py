from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.utils import translation

from showroom.reference import ensure_reference_data
from showroom.registry import seeders_in_order


class Command(BaseCommand):
    help = "Load the demo data (idempotent): reference data, then every registered seeder in order."

    def add_arguments(self, parser):
        parser.add_argument("--quiet-logins", action="store_true", help="Do not print the demo logins.")

    def handle(self, *args, **options):
        from showroom.demo import demo_logins

        translation.activate("zh-hans")
        ensure_reference_data()
        for seeder in seeders_in_order():
            self.stdout.write(f"seeding {seeder.code} …")
            seeder.func(stdout=self.stdout)
        translation.deactivate()
        # what the nightly job would hold: the dashboard reads the closed days from the roll-up
        call_command("dashboard_rollup", stdout=self.stdout)
        self.stdout.write(self.style.SUCCESS("Demo data ready."))
        if not options["quiet_logins"]:
            self.stdout.write("\nDemo logins (username / password — role (stores)):")
            for username, password, role in demo_logins():
                self.stdout.write(f"  {username:<22} {password:<15} {role}")
