"""The real-estate reports: figures of a day, week or month by consultant and by building,
sell-through per building, subscriptions overdue for signing, lent documents not back. A fixed
number of queries whatever the number of sales."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db.models import Count, F, Q, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from realestate.models import Custody, Receipt, Subscription, Unit

ZERO = Decimal("0")
SOLD_STATES = [
    Unit.State.SUBSCRIBED,
    Unit.State.SIGNED,
    Unit.State.FILED,
    Unit.State.HANDED_OVER,
]
PERIODS = ("day", "week", "month")


def period_bounds(*, period: str, day: dt.date) -> tuple[dt.date, dt.date]:
    """First day and the day after the last of the period containing ``day`` (weeks from Monday)."""
    if period == "week":
        start = day - dt.timedelta(days=day.weekday())
        return start, start + dt.timedelta(days=7)
    if period == "month":
        start = day.replace(day=1)
        nxt = (start + dt.timedelta(days=32)).replace(day=1)
        return start, nxt
    return day, day + dt.timedelta(days=1)


def _aware(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def _person(first, last, username) -> str:
    return f"{last or ''}{first or ''}".strip() or username or "—"


def sales_report(*, store_ids: list[int], start: dt.date, end: dt.date) -> dict:
    """Subscriptions reviewed in the period (units, area, amount) and collections, by consultant
    and by building; sell-through per building now; overdue subscriptions; lent documents not back.
    Six queries."""
    begin, finish = _aware(start), _aware(end)
    reviewed = Subscription.objects.filter(
        store_id__in=store_ids, approved_at__gte=begin, approved_at__lt=finish
    ).exclude(state=Subscription.State.CANCELLED)
    figures = ("units", "area", "amount")

    def grouped(keys):
        return {
            tuple(row[k] for k in keys): row
            for row in reviewed.values(*keys).annotate(
                units=Count("pk"), area=Sum("unit__built_area"), amount=Sum("total_price")
            )
        }

    by_consultant = grouped(
        ["consultant_id", "consultant__first_name", "consultant__last_name", "consultant__username"]
    )
    by_building = grouped(["unit__building_id", "unit__building__name", "project__name"])
    receipts = Receipt.objects.filter(store_id__in=store_ids, taken_at__gte=begin, taken_at__lt=finish).annotate(
        seller=Coalesce("subscription__consultant_id", "contract__subscription__consultant_id"),
        building=Coalesce("subscription__unit__building_id", "contract__subscription__unit__building_id"),
    )
    collected_by_seller = {r["seller"]: r["s"] for r in receipts.values("seller").annotate(s=Sum("amount"))}
    collected_by_building = {r["building"]: r["s"] for r in receipts.values("building").annotate(s=Sum("amount"))}
    consultants = [
        {
            "id": key[0],
            "name": _person(key[1], key[2], key[3]),
            **{f: row[f] or ZERO for f in figures},
            "collected": collected_by_seller.get(key[0]) or ZERO,
        }
        for key, row in by_consultant.items()
    ]
    buildings = {
        row["building_id"]: row
        for row in Unit.objects.filter(store_id__in=store_ids)
        .values("building_id", name=F("building__name"), project_name=F("project__name"), project_ref=F("project_id"))
        .annotate(total=Count("pk"), sold=Count("pk", filter=Q(state__in=SOLD_STATES)))
    }
    building_rows = []
    for bid, row in sorted(buildings.items(), key=lambda kv: (kv[1]["project_name"], kv[1]["name"])):
        period = next((r for k, r in by_building.items() if k[0] == bid), {})
        building_rows.append(
            {
                "id": bid,
                "project": row["project_ref"],
                "name": f"{row['project_name']} · {row['name']}",
                **{f: period.get(f) or ZERO for f in figures},
                "collected": collected_by_building.get(bid) or ZERO,
                "total": row["total"],
                "sold": row["sold"],
                "sell_through": (Decimal(row["sold"]) * 100 / row["total"]).quantize(Decimal("0.1"))
                if row["total"]
                else ZERO,
            }
        )
    overdue = list(
        Subscription.objects.filter(
            store_id__in=store_ids, state=Subscription.State.APPROVED, overdue_at__isnull=False
        ).select_related("customer", "unit__building", "consultant")
    )
    lent = list(
        Custody.objects.filter(contract__store_id__in=store_ids, returned_at__isnull=True).select_related(
            "contract__subscription__customer", "taken_by"
        )
    )
    totals = {f: sum((c[f] for c in consultants), ZERO) for f in (*figures, "collected")}
    totals["collected"] = sum(collected_by_seller.values(), ZERO)
    return {
        "consultants": sorted(consultants, key=lambda c: -c["amount"]),
        "buildings": building_rows,
        "overdue": overdue,
        "lent": lent,
        "totals": totals,
    }
