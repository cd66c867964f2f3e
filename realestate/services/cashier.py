"""The site cashier: numbered receipts into the fund-supervision account, refunds against the
original receipt, and the daily report handed over to finance (final afterwards)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from realestate.models import CashierDay, Project, Receipt
from showroom import roles as r
from showroom.money import money, to_decimal
from showroom.services.documents import document_issue
from showroom.services.transitions import TransitionConflict

from ._common import require_role

RECEIPT_DOC = "realestate.receipt"


def fund_account_text(project: Project) -> str:
    return f"{project.fund_bank} · {project.fund_account_name} · {project.fund_account_no}"


def _open_day(*, store_id: int, day: dt.date) -> CashierDay:
    """The day's report row, locked; a handed-over day refuses every change (409)."""
    CashierDay.objects.get_or_create(store_id=store_id, day=day)
    report = CashierDay.objects.select_for_update().get(store_id=store_id, day=day)
    if report.is_locked:
        raise TransitionConflict(
            _("The cashier's report of %(day)s was handed over to finance; it can no longer change.")
            % {"day": day.isoformat()},
            state="handed_over",
        )
    return report


@transaction.atomic
def receipt_take(
    *,
    user,
    project: Project,
    customer,
    kind: str,
    amount,
    subscription=None,
    contract=None,
    vip_card=None,
    small_deposit=None,
    refund_of: Receipt | None = None,
) -> Receipt:
    """The cashier takes (or, for a refund, pays back) money; the receipt is numbered (RC, per
    store and year) and prints the fund-supervision account."""
    require_role(user=user, store_id=project.store_id, roles=(r.CASHIER,))
    try:
        value = money(to_decimal(amount))
    except (TypeError, ValueError):
        raise ValidationError({"amount": [_("Not an amount.")]}) from None
    if kind not in Receipt.Kind.values:
        raise ValidationError({"kind": [_("Unknown kind of receipt.")]})
    if kind == Receipt.Kind.REFUND:
        if value >= 0:
            raise ValidationError({"amount": [_("A refund is a negative amount.")]})
    elif value <= 0:
        raise ValidationError({"amount": [_("The amount must be above zero.")]})
    now = timezone.now()
    day = timezone.localtime(now).date()
    _open_day(store_id=project.store_id, day=day)
    receipt = Receipt.objects.create(
        store_id=project.store_id,
        project=project,
        kind=kind,
        amount=value,
        customer=customer,
        day=day,
        taken_at=now,
        taken_by=user,
        fund_account=fund_account_text(project),
        subscription=subscription,
        contract=contract,
        vip_card=vip_card,
        small_deposit=small_deposit,
        refund_of=refund_of,
    )
    document = document_issue(doc_type=RECEIPT_DOC, target=receipt, store=project.store, user=user)
    receipt.number = document.number
    receipt.save(update_fields=["number"])
    return receipt


@transaction.atomic
def receipt_refund(*, user, receipt: Receipt) -> Receipt:
    """Pay back against the original receipt (which is taken back); once only."""
    original = Receipt.objects.select_for_update().get(pk=receipt.pk)
    if original.kind == Receipt.Kind.REFUND or Receipt.objects.filter(refund_of=original).exists():
        raise TransitionConflict(_("This receipt was already refunded."), state="refunded")
    refund = receipt_take(
        user=user,
        project=original.project,
        customer=original.customer,
        kind=Receipt.Kind.REFUND,
        amount=-original.amount,
        subscription=original.subscription,
        contract=original.contract,
        vip_card=original.vip_card,
        small_deposit=original.small_deposit,
        refund_of=original,
    )
    if original.taken_back_at is None:
        original.taken_back_at = timezone.now()
        original.save(update_fields=["taken_back_at"])
    return refund


def receipts_take_back(*, receipts) -> int:
    """The buyer hands the receipts back (deposit receipt at signing; fee receipts for invoices)."""
    return Receipt.objects.filter(pk__in=[x.pk for x in receipts], taken_back_at__isnull=True).update(
        taken_back_at=timezone.now()
    )


def cashier_day_totals(*, store_id: int, day: dt.date) -> dict[str, Decimal | int]:
    totals = Receipt.objects.filter(store_id=store_id, day=day).aggregate(
        received=Sum("amount", filter=Q(amount__gt=0)),
        refunded=Sum("amount", filter=Q(amount__lt=0)),
        count=Count("pk"),
    )
    return {
        "received": totals["received"] or Decimal("0.00"),
        "refunded": -(totals["refunded"] or Decimal("0.00")),
        "count": totals["count"],
    }


@transaction.atomic
def cashier_day_hand_over(*, user, store, day: dt.date) -> CashierDay:
    """The cashier hands the day's receipts-and-payments report to finance; from then on the day
    is final: no receipt, refund or second hand-over for it."""
    require_role(user=user, store_id=store.pk, roles=(r.CASHIER,))
    report = _open_day(store_id=store.pk, day=day)
    totals = cashier_day_totals(store_id=store.pk, day=day)
    report.received = totals["received"]
    report.refunded = totals["refunded"]
    report.count = totals["count"]
    report.handed_over_at = timezone.now()
    report.handed_over_by = user
    report.save()
    return report
