"""Reads of spot sales, scoped to the stores the user may see. Lists select what their rows show
in one query, so their query count does not grow with rows."""

from __future__ import annotations

from django.db.models import Count, QuerySet

from showroom.permissions import store_ids_for
from warehouse.models import SpotDiscountRate, SpotPrice, SpotSheet

# The desk's tabs: the sheets waiting for each step.
STEPS = [
    SpotSheet.State.NEGOTIATING,
    SpotSheet.State.ISSUED,
    SpotSheet.State.APPROVED,
    SpotSheet.State.WEIGHED,
    SpotSheet.State.NOTIFIED,
    SpotSheet.State.PAID,
    SpotSheet.State.VERIFIED,
    SpotSheet.State.SIGNED,
    SpotSheet.State.RELEASED,
    SpotSheet.State.CANCELLED,
]


def spot_sheet_list(*, user, state: str = "") -> QuerySet[SpotSheet]:
    rows = (
        SpotSheet.objects.filter(store_id__in=store_ids_for(user))
        .select_related("account__customer", "warehouse")
        .annotate(line_count=Count("lines"))
        .order_by("-created_at", "-id")
    )
    return rows.filter(state=state) if state else rows


def spot_sheet_get(*, user, pk: int) -> SpotSheet:
    return SpotSheet.objects.select_related("account__customer", "warehouse", "store").get(
        pk=pk, store_id__in=store_ids_for(user)
    )


def spot_price_list(*, user) -> QuerySet[SpotPrice]:
    return SpotPrice.objects.filter(store_id__in=store_ids_for(user)).select_related("item", "store")


def spot_rate_list(*, user) -> QuerySet[SpotDiscountRate]:
    return SpotDiscountRate.objects.filter(store_id__in=store_ids_for(user)).select_related("item", "store")


def spot_step_counts(*, user) -> dict[str, int]:
    rows = (
        SpotSheet.objects.filter(store_id__in=store_ids_for(user))
        .values("state")
        .annotate(n=Count("id"))
        .values_list("state", "n")
    )
    return dict(rows)
