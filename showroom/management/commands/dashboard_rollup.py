from django.core.management.base import BaseCommand, CommandError

from showroom.models import Store
from showroom.services.rollups import REFRESH_DAYS, dashboard_recent_days_roll_up


class Command(BaseCommand):
    help = (
        "Roll up the dashboard's daily figures of the closed days (the nightly job does the last "
        f"{REFRESH_DAYS}): after an upgrade, an import or a correction of older records, to make "
        "longer periods read the roll-up too."
    )

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=REFRESH_DAYS, help="closed days back from yesterday")
        parser.add_argument("--store", action="append", default=[], help="a store code (all active stores if none)")

    def handle(self, *args, **options):
        if options["days"] < 1:
            raise CommandError("--days must be at least 1")
        stores = Store.objects.filter(is_active=True).order_by("code")
        if options["store"]:
            stores = stores.filter(code__in=options["store"])
            missing = set(options["store"]) - set(stores.values_list("code", flat=True))
            if missing:
                raise CommandError(f"no active store {', '.join(sorted(missing))}")
        for store in stores:
            run = dashboard_recent_days_roll_up(store=store, days=options["days"])
            self.stdout.write(f"{store.code}: {run.days} days, {run.rows} figures ({run.first} to {run.last})")
