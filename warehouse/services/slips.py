"""The sales slip and the outbound slip (article 3, 营销业务流程 2–3 and 出库管理流程 3).

- 由营销部总监确认客户货款余额的状况。若客户有足够的货款余额,则审核此《销售单》…若客户货款余额
  不足,则等待客户货款到帐后再审核: ``slip_approve`` (marketing director) locks the customer's
  account; when the prepaid balance does not cover the slip it refuses (409) with the missing
  amount and the slip keeps waiting. Approved: the balance is charged, the slip is invoiced (or
  charged against the order's invoice), and the outbound slip (OS) is created.
- 打印《出仓单》一式三份,由仓管员、仓库主管和客户签字: ``outbound_sign`` records each role's
  signature once; with the third the goods leave: the issues are appended to the ledger from the
  picked bins, the reservations consumed, and (moving average) cost of goods sold is posted.
"""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from showroom import roles as r
from showroom.permissions import has_role
from showroom.services.documents import document_issue, document_rerender
from showroom.services.transitions import TransitionConflict, transition_run
from warehouse.models import (
    Account,
    BoxLine,
    CostPosting,
    CustomerAccount,
    JournalEntry,
    OutboundSignature,
    OutboundSlip,
    PickLine,
    SalesInvoice,
    SalesOrder,
    SalesOrderLine,
    SalesSlip,
    StockMove,
    Warehouse,
)
from warehouse.services.accounts import balance_apply, invoice_make
from warehouse.services.journal import cr, dr, journal_post
from warehouse.services.ledger import stock_move_append, stock_release, stock_reserve

ZERO = Decimal("0")
SIGNERS = {
    OutboundSignature.Role.KEEPER: (r.WAREHOUSE_KEEPER,),
    OutboundSignature.Role.SUPERVISOR: (r.WAREHOUSE_SUPERVISOR,),
    # The customer signs on paper; a keeper or the supervisor records it with the name.
    OutboundSignature.Role.CUSTOMER: (r.WAREHOUSE_KEEPER, r.WAREHOUSE_SUPERVISOR),
}


def slip_amount_due(*, slip: SalesSlip) -> Decimal:
    """What approving the slip charges to the prepaid balance: the slip's amount, or — when the
    order was invoiced whole — what of that invoice is still open, at most the slip's amount."""
    order_invoice = SalesInvoice.objects.filter(order_id=slip.order_id, kind=SalesInvoice.Kind.ORDER).first()
    if order_invoice is None:
        return slip.total
    return min(slip.total, order_invoice.open_amount)


def slip_shortfall(*, slip: SalesSlip, balance: Decimal) -> Decimal:
    return max(slip_amount_due(slip=slip) - balance, ZERO)


@transaction.atomic
def slip_approve(*, slip: SalesSlip, user, note: str = "") -> SalesSlip:
    """Approve a waiting slip when the customer's prepaid balance covers it."""
    locked = SalesSlip.objects.select_for_update().get(pk=slip.pk)
    account = CustomerAccount.objects.select_for_update().get(pk=locked.account_id)

    def stamp(obj: SalesSlip) -> None:
        obj.approved_by = user
        obj.approved_at = timezone.now()

    # The transition checks the state and the director's role first (403 / 409), then the money.
    if locked.state == SalesSlip.State.WAITING and has_role(user, locked.store_id, r.MARKETING_DIRECTOR):
        due = slip_amount_due(slip=locked)
        if account.balance < due:
            raise TransitionConflict(
                _(
                    "The customer's prepaid balance is %(balance)s; the slip needs %(due)s. "
                    "%(missing)s is missing: the slip waits for a payment."
                )
                % {
                    "balance": f"{account.balance:,.2f}",
                    "due": f"{due:,.2f}",
                    "missing": f"{due - account.balance:,.2f}",
                },
                state=locked.state,
            )
    locked = transition_run(instance=locked, name="approve", user=user, note=note, lock=False, before_save=stamp)
    due = slip_amount_due(slip=locked)
    invoice = SalesInvoice.objects.select_for_update().filter(order_id=locked.order_id, kind="order").first()
    if invoice is None:
        rows = [
            (bl.amount, bl.pick.line.item.vat_rate)
            for bl in BoxLine.objects.filter(box__slip=locked).select_related("pick__line__item")
        ]
        invoice = invoice_make(
            user=user, account=account, kind=SalesInvoice.Kind.SLIP, rows=rows, order=locked.order, slip=locked
        )
    if due > 0:
        balance_apply(user=user, account=account, invoice=invoice, amount=due, slip=locked)
    outbound = OutboundSlip.objects.create(slip=locked, store_id=locked.store_id, number="")
    outbound.number = document_issue(doc_type="OS", target=outbound, store=locked.store, user=user).number
    outbound.save(update_fields=["number"])
    first = locked.store.documents.filter(doc_type="SS", number=locked.number).order_by("version").first()
    if first is not None:  # the approved slip is printed again, in its three copies
        document_rerender(document=first, user=user)
    return locked


@transaction.atomic
def slip_cancel(*, slip: SalesSlip, user, note: str = "") -> SalesSlip:
    """Cancel a waiting slip: its boxes go back to packing, to be put on a new slip."""
    locked = transition_run(instance=slip, name="cancel", user=user, note=note)
    locked.boxes.update(slip=None)
    return locked


def cogs_post(*, moves: list[StockMove], store_id: int, source, label: str, user) -> JournalEntry | None:
    """Cost of goods sold of issues posted at once (moving average): Dr COGS / Cr inventory. The
    issues of a monthly-average warehouse are posted at the month-end close instead."""
    amount = CostPosting.objects.filter(move__in=[m.pk for m in moves]).aggregate(a=Sum("amount"))["a"] or ZERO
    return journal_post(
        store_id=store_id,
        kind=JournalEntry.Kind.COGS,
        legs=[dr(Account.COGS, amount), cr(Account.INVENTORY, amount)],
        source=source,
        source_label=label,
        user=user,
    )


def issue_from_reservation(
    *, line: SalesOrderLine, warehouse: Warehouse, takes: list[tuple], user, source, label: str
) -> list[StockMove]:
    """Issue ``takes`` (bin, quantity) of ``line``'s reserved goods: the reservation is
    released and what stays reserved reserved again, all under the level's lock."""
    line = SalesOrderLine.objects.select_for_update(of=("self",)).select_related("item", "reservation").get(pk=line.pk)
    total = sum((q for _bin, q in takes), ZERO)
    held = line.reserved_quantity - line.shipped_quantity
    if line.reservation_id and line.reservation.state == "active":
        stock_release(reservation=line.reservation, user=None)
    moves = [
        stock_move_append(
            item=line.item,
            warehouse=warehouse,
            bin=bin,
            quantity=-quantity,
            kind=StockMove.Kind.ISSUE,
            user=user,
            source=source,
            source_label=label,
        )
        for bin, quantity in takes
    ]
    left = held - total
    line.reservation = (
        stock_reserve(
            item=line.item,
            warehouse=warehouse,
            user=user,
            quantity=left,
            document=line.order,
            document_label=line.order.number,
        )
        if left > 0
        else None
    )
    line.shipped_quantity += total
    line.save(update_fields=["reservation", "shipped_quantity"])
    return moves


def _ship(*, outbound: OutboundSlip, user) -> None:
    slip = transition_run(instance=outbound.slip, name="ship", user=user, lock=True)
    order = SalesOrder.objects.select_for_update(of=("self",)).select_related("warehouse").get(pk=slip.order_id)
    per_line: dict[int, list] = {}
    picks: dict[int, Decimal] = {}
    for bl in BoxLine.objects.filter(box__slip=slip).select_related("pick__bin", "pick__line").order_by("id"):
        per_line.setdefault(bl.pick.line_id, []).append((bl.pick.bin, bl.quantity))
        picks[bl.pick_id] = picks.get(bl.pick_id, ZERO) + bl.quantity
    moves: list[StockMove] = []
    for line in SalesOrderLine.objects.filter(pk__in=per_line).order_by("item_id", "id"):
        moves += issue_from_reservation(
            line=line,
            warehouse=order.warehouse,
            takes=per_line[line.pk],
            user=user,
            source=outbound,
            label=outbound.number,
        )
    for pick_id, quantity in picks.items():
        PickLine.objects.filter(pk=pick_id).update(shipped_quantity=F("shipped_quantity") + quantity)
    outbound.shipped_at = timezone.now()
    outbound.save(update_fields=["shipped_at"])
    if order.warehouse.valuation == Warehouse.Valuation.MOVING:
        cogs_post(moves=moves, store_id=order.store_id, source=outbound, label=outbound.number, user=user)
    if not order.lines.filter(shipped_quantity__lt=F("quantity")).exists():
        transition_run(instance=order, name="finish", user=user, lock=False)


@transaction.atomic
def outbound_sign(*, outbound: OutboundSlip, user, role: str, name: str = "") -> OutboundSignature:
    """Record one role's signature on the outbound slip; the third makes the goods leave."""
    outbound = (
        OutboundSlip.objects.select_for_update(of=("self",))
        .select_related("slip__account__customer")
        .get(pk=outbound.pk)
    )
    if role not in SIGNERS:
        raise ValidationError({"role": [_("Sign as keeper, supervisor or customer.")]})
    if not has_role(user, outbound.store_id, SIGNERS[role]):
        raise PermissionDenied(_("You cannot sign for this role."))
    if outbound.slip.state != SalesSlip.State.APPROVED:
        raise TransitionConflict(_("The goods have already left."), state=outbound.slip.state)
    if outbound.signatures.filter(role=role).exists():
        raise TransitionConflict(_("This role has already signed."))
    if role == OutboundSignature.Role.CUSTOMER:
        name = (name or "").strip() or outbound.slip.account.customer.name
    else:
        name = user.get_full_name() or user.username
    signature = OutboundSignature.objects.create(outbound=outbound, role=role, name=name[:80], recorded_by=user)
    if outbound.signatures.count() == len(SIGNERS):
        _ship(outbound=outbound, user=user)
    return signature
