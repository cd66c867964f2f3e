"""Subscriptions, contracts and the dashboard's figures."""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Sum
from django.http import Http404

from realestate.models import Contract, Receipt, Subscription
from showroom.permissions import store_ids_for


def subscriptions_for_user(
    *,
    user,
    state: str = "",
    project_id=None,
    overdue: bool = False,
    consultant_id=None,
    building_id=None,
    reviewed_from=None,
    reviewed_to=None,
):
    """The subscriptions of the user's stores; the report's figures link here with the consultant
    or building and the review period (``reviewed_to`` exclusive)."""
    qs = Subscription.objects.filter(store_id__in=store_ids_for(user)).select_related(
        "unit__building", "customer", "consultant", "project"
    )
    if consultant_id:
        qs = qs.filter(consultant_id=consultant_id)
    if building_id:
        qs = qs.filter(unit__building_id=building_id)
    if reviewed_from:
        qs = qs.filter(approved_at__gte=reviewed_from).exclude(state=Subscription.State.CANCELLED)
    if reviewed_to:
        qs = qs.filter(approved_at__lt=reviewed_to)
    if state:
        qs = qs.filter(state=state)
    if project_id:
        qs = qs.filter(project_id=project_id)
    if overdue:
        qs = qs.filter(overdue_at__isnull=False, state=Subscription.State.APPROVED)
    return qs


def subscription_get_for_user(*, user, pk) -> Subscription:
    sub = subscriptions_for_user(user=user).select_related("price_list", "store").filter(pk=pk).first()
    if sub is None:
        raise Http404
    return sub


def contract_get_for_user(*, user, pk) -> Contract:
    contract = (
        Contract.objects.filter(store_id__in=store_ids_for(user), pk=pk)
        .select_related("subscription__unit__building", "subscription__customer", "project", "store")
        .first()
    )
    if contract is None:
        raise Http404
    return contract


def metric_subscriptions(*, store_ids: list[int], start, end) -> int:
    return Subscription.objects.filter(store_id__in=store_ids, approved_at__gte=start, approved_at__lt=end).count()


def metric_contracts(*, store_ids: list[int], start, end) -> int:
    return Contract.objects.filter(store_id__in=store_ids, signed_at__gte=start, signed_at__lt=end).count()


def metric_collections(*, store_ids: list[int], start, end) -> Decimal:
    total = Receipt.objects.filter(store_id__in=store_ids, taken_at__gte=start, taken_at__lt=end).aggregate(
        s=Sum("amount")
    )["s"]
    return total or Decimal("0.00")


def contracts_for_user(*, user, state: str = "", project_id=None):
    qs = Contract.objects.filter(store_id__in=store_ids_for(user)).select_related(
        "subscription__unit__building", "subscription__customer"
    )
    if state:
        qs = qs.filter(state=state)
    if project_id:
        qs = qs.filter(project_id=project_id)
    return qs


def receipts_for_user(*, user, day=None, kind: str = "", project_id=None):
    """Receipts of the stores where the user is cashier, finance or sales manager, each with
    whether it was refunded (a subquery, not a query per row)."""
    from django.db.models import Exists, OuterRef

    from showroom import roles as r

    store_ids = store_ids_for(user, (r.CASHIER, r.FINANCE, r.SALES_MANAGER))
    qs = (
        Receipt.objects.filter(store_id__in=store_ids)
        .select_related("customer")
        .annotate(is_refunded=Exists(Receipt.objects.filter(refund_of=OuterRef("pk"))))
    )
    if day:
        qs = qs.filter(day=day)
    if kind:
        qs = qs.filter(kind=kind)
    if project_id:
        qs = qs.filter(project_id=project_id)
    return qs


def receipt_get_for_user(*, user, pk) -> Receipt:
    receipt = receipts_for_user(user=user).filter(pk=pk).first()
    if receipt is None:
        raise Http404
    return receipt


def vip_cards_for_user(*, user, project_id=None, state: str = ""):
    from realestate.models import VipCard

    qs = VipCard.objects.filter(store_id__in=store_ids_for(user)).select_related("customer")
    if project_id:
        qs = qs.filter(project_id=project_id)
    if state:
        qs = qs.filter(state=state)
    return qs


def small_deposits_for_user(*, user, project_id=None, state: str = ""):
    from realestate.models import SmallDeposit

    qs = SmallDeposit.objects.filter(store_id__in=store_ids_for(user)).select_related("customer", "unit__building")
    if project_id:
        qs = qs.filter(project_id=project_id)
    if state:
        qs = qs.filter(state=state)
    return qs


def metric_units_available(*, store_ids: list[int], start, end) -> int:
    """The sales-control summary on the dashboard: units available now (the period is ignored)."""
    from realestate.models import Unit

    return Unit.objects.filter(store_id__in=store_ids, state=Unit.State.AVAILABLE).count()


def metric_overdue(*, store_ids: list[int], start, end) -> int:
    """Subscriptions overdue for signing now."""
    return Subscription.objects.filter(
        store_id__in=store_ids, state=Subscription.State.APPROVED, overdue_at__isnull=False
    ).count()


def metric_lent(*, store_ids: list[int], start, end) -> int:
    """Buyers' ID cards and seals lent and not back now."""
    from realestate.models import Custody

    return Custody.objects.filter(contract__store_id__in=store_ids, returned_at__isnull=True).count()
