"""Reads of selling, accounts and the journal, scoped to the stores the user may see. Lists
select what their rows show in one query (``select_related`` / annotations), so their query
count does not grow with rows."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db.models import DecimalField, F, OuterRef, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from showroom.permissions import store_ids_for
from warehouse.models import (
    AccountEntry,
    CustomerAccount,
    DropShip,
    JournalEntry,
    JournalLine,
    OutboundSlip,
    RetailDailyReport,
    SalesInvoice,
    SalesOrder,
    SalesSlip,
)

ZERO = Decimal("0")
MONEY = DecimalField(max_digits=16, decimal_places=2)


def sales_order_list(*, user, state: str = "") -> QuerySet[SalesOrder]:
    rows = (
        SalesOrder.objects.filter(store_id__in=store_ids_for(user))
        .select_related("account__customer", "warehouse")
        .annotate(amount=Coalesce(Sum(F("lines__quantity") * F("lines__unit_price"), output_field=MONEY), Value(ZERO)))
        .order_by("-created_at", "-id")
    )
    return rows.filter(state=state) if state else rows


def sales_order_get(*, user, pk: int) -> SalesOrder:
    return SalesOrder.objects.select_related("account__customer", "warehouse", "store").get(
        pk=pk, store_id__in=store_ids_for(user)
    )


def sales_slip_list(*, user, state: str = "", waiting_for_credit: bool = False) -> QuerySet[SalesSlip]:
    rows = (
        SalesSlip.objects.filter(store_id__in=store_ids_for(user))
        .select_related("account__customer", "order", "outbound")
        .annotate(missing=F("total") - F("account__balance"))
        .order_by("-created_at", "-id")
    )
    if state:
        rows = rows.filter(state=state)
    if waiting_for_credit:
        rows = rows.filter(state=SalesSlip.State.WAITING, total__gt=F("account__balance"))
    return rows


def sales_slip_get(*, user, pk: int) -> SalesSlip:
    return SalesSlip.objects.select_related("account__customer", "order__warehouse", "store").get(
        pk=pk, store_id__in=store_ids_for(user)
    )


def outbound_list(*, user, open_only: bool = False) -> QuerySet[OutboundSlip]:
    rows = OutboundSlip.objects.filter(store_id__in=store_ids_for(user)).select_related("slip__account__customer")
    if open_only:
        rows = rows.filter(shipped_at__isnull=True)
    return rows.order_by("-created_at", "-id")


def account_list(*, user, q: str = "") -> QuerySet[CustomerAccount]:
    rows = CustomerAccount.objects.filter(store_id__in=store_ids_for(user)).select_related("customer")
    if q:
        rows = rows.filter(Q(customer__name__icontains=q) | Q(company__icontains=q) | Q(customer__mobile__contains=q))
    receivable = (
        SalesInvoice.objects.filter(account=OuterRef("pk"))
        .values("account")
        .annotate(o=Sum(F("total") - F("paid")))
        .values("o")
    )
    return rows.annotate(receivable=Coalesce(Subquery(receivable, output_field=MONEY), Value(ZERO))).order_by(
        "customer__name", "id"
    )


def account_get(*, user, pk: int) -> CustomerAccount:
    return CustomerAccount.objects.select_related("customer", "store").get(pk=pk, store_id__in=store_ids_for(user))


def account_statement(*, account: CustomerAccount) -> dict:
    """The customer's statement: every payment and charge with the balance after it, and the
    invoices with what is open on each."""
    entries = list(account.entries.order_by("created_at", "id"))
    invoices = list(account.invoices.order_by("created_at", "id"))
    return {
        "account": account,
        "entries": entries,
        "invoices": invoices,
        "paid_in": sum((e.amount for e in entries if e.kind == AccountEntry.Kind.PAYMENT), ZERO),
        "charged": -sum((e.amount for e in entries if e.kind == AccountEntry.Kind.CHARGE), ZERO),
        "invoiced": sum((i.total for i in invoices), ZERO),
        "open": sum((i.open_amount for i in invoices), ZERO),
    }


def invoice_list(*, user, open_only: bool = False) -> QuerySet[SalesInvoice]:
    rows = SalesInvoice.objects.filter(store_id__in=store_ids_for(user)).select_related("account__customer")
    if open_only:
        rows = rows.filter(paid__lt=F("total"))
    return rows.order_by("-created_at", "-id")


def dropship_list(*, user) -> QuerySet[DropShip]:
    return (
        DropShip.objects.filter(store_id__in=store_ids_for(user))
        .select_related("account__customer", "supplier")
        .order_by("-created_at", "-id")
    )


def retail_report_list(*, user) -> QuerySet[RetailDailyReport]:
    return RetailDailyReport.objects.filter(store_id__in=store_ids_for(user)).select_related("warehouse")


def journal_list(
    *,
    user,
    start: dt.date | None = None,
    end: dt.date | None = None,
    kind: str = "",
    account: str = "",
) -> QuerySet[JournalLine]:
    """Journal lines of the period (``start`` ≤ date ≤ ``end``), optionally of one kind of entry
    or one account, with their entry, in posting order."""
    rows = JournalLine.objects.filter(entry__store_id__in=store_ids_for(user)).select_related(
        "entry", "customer_account__customer"
    )
    if start:
        rows = rows.filter(entry__date__gte=start)
    if end:
        rows = rows.filter(entry__date__lte=end)
    if kind:
        rows = rows.filter(entry__kind=kind)
    if account:
        rows = rows.filter(account=account)
    return rows.order_by("-entry__date", "-entry_id", "id")


def journal_totals(*, rows: QuerySet[JournalLine]) -> dict:
    totals = rows.aggregate(d=Sum("debit"), c=Sum("credit"))
    return {"debit": totals["d"] or ZERO, "credit": totals["c"] or ZERO}


def account_balances(*, store_id: int | None = None) -> dict[str, Decimal]:
    """Debit minus credit per account (the trial balance)."""
    rows = JournalLine.objects.all()
    if store_id is not None:
        rows = rows.filter(entry__store_id=store_id)
    return {
        row["account"]: (row["d"] or ZERO) - (row["c"] or ZERO)
        for row in rows.values("account").annotate(d=Sum("debit"), c=Sum("credit"))
    }


def metric_slips_waiting_for_credit(*, store_ids: list[int], start, end) -> int:
    return SalesSlip.objects.filter(
        store_id__in=store_ids, state=SalesSlip.State.WAITING, total__gt=F("account__balance")
    ).count()


def metric_outbound_today(*, store_ids: list[int], start, end) -> int:
    return OutboundSlip.objects.filter(store_id__in=store_ids, shipped_at__gte=start, shipped_at__lt=end).count()


def today_bounds() -> tuple[dt.datetime, dt.datetime]:
    start = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
    return start, start + dt.timedelta(days=1)


def journal_entry_list(*, user) -> QuerySet[JournalEntry]:
    return JournalEntry.objects.filter(store_id__in=store_ids_for(user)).order_by("-date", "-id")
