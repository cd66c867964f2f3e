"""Reads of quotes, orders and appraisals, shared by the pages and the API, scoped to the stores
the user holds a role in (anything else is a 404)."""

import datetime as dt

from django.db.models import Prefetch, QuerySet, Sum
from django.http import Http404
from django.utils import timezone

from leads.models import Appraisal, AppraisalRequest, Order, Payment, Quote, QuoteLine
from showroom.permissions import store_ids_for
from warehouse.models import Item


def _local_day_range(rows, field: str, first: dt.date | None, last: dt.date | None):
    """Rows whose ``field`` falls on the local days [first, last] (the dashboard's drill-down)."""
    tz = timezone.get_current_timezone()
    if first:
        rows = rows.filter(**{f"{field}__gte": dt.datetime.combine(first, dt.time.min, tzinfo=tz)})
    if last:
        rows = rows.filter(**{f"{field}__lt": dt.datetime.combine(last + dt.timedelta(days=1), dt.time.min, tzinfo=tz)})
    return rows


def quote_list(
    *,
    user,
    store_id: int | None = None,
    state: str = "",
    consultant_id: int | None = None,
    lead_id=None,
    sent_from: dt.date | None = None,
    sent_to: dt.date | None = None,
) -> QuerySet[Quote]:
    """The quotes of the user's stores, newest first (one query with its customer and car);
    ``sent_from``/``sent_to`` keep those sent on those local days."""
    rows = Quote.objects.filter(store_id__in=store_ids_for(user)).select_related(
        "lead__customer", "consultant", "trim_colour__trim__vehicle_model__brand", "trim_colour__colour"
    )
    if store_id:
        rows = rows.filter(store_id=store_id)
    if state:
        rows = rows.filter(state=state)
    if consultant_id:
        rows = rows.filter(consultant_id=consultant_id)
    if lead_id:
        rows = rows.filter(lead_id=lead_id)
    rows = _local_day_range(rows, "sent_at", sent_from, sent_to)
    return rows.order_by("-created_at", "-id")


def quote_get(*, user, pk) -> Quote:
    try:
        return (
            quote_list(user=user)
            .select_related("store", "trade_in", "lead__store", "family")
            .prefetch_related(Prefetch("lines", queryset=QuoteLine.objects.select_related("item")))
            .get(pk=int(pk))
        )
    except (Quote.DoesNotExist, ValueError, TypeError, OverflowError) as exc:
        raise Http404 from exc


def quote_versions(*, quote: Quote) -> list[Quote]:
    return list(
        Quote.objects.filter(family_id=quote.family_id)
        .order_by("version")
        .only("id", "version", "state", "number", "total", "created_at")
    )


def order_list(
    *,
    user,
    store_id: int | None = None,
    state: str = "",
    consultant_id: int | None = None,
    created_from: dt.date | None = None,
    created_to: dt.date | None = None,
) -> QuerySet[Order]:
    rows = Order.objects.filter(store_id__in=store_ids_for(user)).select_related(
        "lead__customer", "consultant", "quote__trim_colour__trim__vehicle_model__brand", "quote__trim_colour__colour"
    )
    if store_id:
        rows = rows.filter(store_id=store_id)
    if state:
        rows = rows.filter(state=state)
    if consultant_id:
        rows = rows.filter(consultant_id=consultant_id)
    rows = _local_day_range(rows, "created_at", created_from, created_to)
    return rows.order_by("-created_at", "-id")


def order_get(*, user, pk) -> Order:
    try:
        return (
            order_list(user=user)
            .select_related("store", "quote__trade_in", "reservation")
            .prefetch_related(Prefetch("payments", queryset=Payment.objects.select_related("received_by")))
            .get(pk=int(pk))
        )
    except (Order.DoesNotExist, ValueError, TypeError, OverflowError) as exc:
        raise Http404 from exc


def appraisal_request_get(*, user, pk) -> AppraisalRequest:
    try:
        return (
            AppraisalRequest.objects.filter(store_id__in=store_ids_for(user))
            .select_related("lead__customer", "store")
            .get(pk=int(pk))
        )
    except (AppraisalRequest.DoesNotExist, ValueError, TypeError, OverflowError) as exc:
        raise Http404 from exc


def appraisal_get(*, user, pk) -> Appraisal:
    try:
        return Appraisal.objects.filter(store_id__in=store_ids_for(user)).select_related("lead").get(pk=int(pk))
    except (Appraisal.DoesNotExist, ValueError, TypeError, OverflowError) as exc:
        raise Http404 from exc


def accepted_trade_ins(*, lead_id: int, today: dt.date) -> QuerySet[Appraisal]:
    return Appraisal.objects.filter(lead_id=lead_id, state=Appraisal.State.ACCEPTED, valid_until__gte=today)


def sellable_items(*, kind: str) -> QuerySet[Item]:
    """What a quote line of ``kind`` may sell: accessory packages are stocked items by quantity;
    insurance, warranties, service packages and fees are service items."""
    rows = Item.objects.filter(is_active=True).order_by("code")
    if kind == QuoteLine.Kind.ACCESSORY:
        return rows.filter(tracking=Item.Tracking.QUANTITY)
    return rows.filter(tracking=Item.Tracking.SERVICE)


# --- dashboard metrics ------------------------------------------------------------------------------


def metric_quotes_sent(*, store_ids: list[int], start, end) -> int:
    return Quote.objects.filter(store_id__in=store_ids, sent_at__gte=start, sent_at__lt=end).count()


def metric_orders(*, store_ids: list[int], start, end) -> int:
    return Order.objects.filter(store_id__in=store_ids, created_at__gte=start, created_at__lt=end).count()


def metric_deposits(*, store_ids: list[int], start, end):
    return (
        Payment.objects.filter(
            order__store_id__in=store_ids, kind=Payment.Kind.DEPOSIT, at__gte=start, at__lt=end
        ).aggregate(s=Sum("amount"))["s"]
        or 0
    )
