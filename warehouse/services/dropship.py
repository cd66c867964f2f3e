"""Drop-ship sales (article 2, 直运销售业务): the supplier delivers straight to the customer; no
stock moves. With an order: the drop-ship sales order (approved by the marketing director)
creates the drop-ship purchase order from it, and the two invoices follow their orders. Without
an order: the drop-ship sales invoice comes first, the purchase invoice is made from it.

Entries: the sales invoice — Dr receivable / Cr revenue, Cr output VAT; the purchase invoice —
Dr goods in transit, Dr input VAT / Cr payables (approved in payables without its own entry
there), and Dr cost of goods sold / Cr goods in transit."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from showroom import roles as r
from showroom.services.documents import document_number_allocate
from showroom.services.transitions import transition_run
from warehouse.models import (
    Account,
    CustomerAccount,
    DropShip,
    DropShipLine,
    Item,
    JournalEntry,
    PurchaseInvoice,
    SalesInvoice,
    Supplier,
)
from warehouse.services._common import decimal_of, require_role
from warehouse.services.accounts import invoice_make
from warehouse.services.journal import cr, dr, journal_post, money, vat_split

ZERO = Decimal("0")
DROPSHIP_SELLERS = (r.SALES_ASSISTANT, r.SALES_MANAGER, r.MARKETING_DIRECTOR)


def _clean(lines: list[dict]) -> list[dict]:
    if not lines:
        raise ValidationError({"lines": [_("A drop-ship sale needs at least one line.")]})
    cleaned, errors = [], []
    for n, line in enumerate(lines, start=1):
        item = line.get("item")
        quantity = decimal_of(line.get("quantity"), field="quantity")
        price = decimal_of(line.get("unit_price"), field="unit_price")
        cost = decimal_of(line.get("unit_cost"), field="unit_cost")
        if not isinstance(item, Item):
            errors.append(_("Line %(n)s: choose an item.") % {"n": n})
            continue
        if quantity <= 0 or price < 0 or cost < 0 or price != money(price) or cost != money(cost):
            errors.append(_("Line %(n)s: a quantity above zero and prices to the cent.") % {"n": n})
            continue
        cleaned.append({"item": item, "quantity": quantity, "unit_price": price, "unit_cost": cost})
    if errors:
        raise ValidationError({"lines": errors})
    return cleaned


@transaction.atomic
def dropship_create(
    *, user, account: CustomerAccount, supplier: Supplier, lines: list[dict], with_order: bool = True
) -> DropShip:
    """With an order: the drop-ship sales order (DS), waiting for the marketing director.
    Without: the sale starts with its sales invoice (finance)."""
    roles = DROPSHIP_SELLERS if with_order else (r.FINANCE,)
    require_role(user=user, store_id=account.store_id, roles=roles)
    cleaned = _clean(lines)
    state = DropShip.State.DRAFT if with_order else DropShip.State.INVOICED
    # A new record starts where its kind starts (the state is protected after this).
    sale = DropShip.objects.create(
        store_id=account.store_id,
        account=account,
        supplier=supplier,
        with_order=with_order,
        state=state,
        created_by=user,
    )
    DropShipLine.objects.bulk_create([DropShipLine(dropship=sale, **line) for line in cleaned])
    if with_order:
        sale.number = document_number_allocate(doc_type="DS", store=account.store_id)
        sale.save(update_fields=["number"])
    else:
        _sales_invoice(sale=sale, user=user)
    return sale


def _sales_invoice(*, sale: DropShip, user) -> SalesInvoice:
    rows = [(money(line.quantity * line.unit_price), line.item.vat_rate) for line in sale.lines.select_related("item")]
    return invoice_make(user=user, account=sale.account, kind=SalesInvoice.Kind.DROPSHIP, rows=rows, dropship=sale)


@transaction.atomic
def dropship_approve(*, sale: DropShip, user, note: str = "") -> DropShip:
    """The marketing director approves the drop-ship sales order; the drop-ship purchase order
    (DP) is made from it."""
    sale = transition_run(instance=sale, name="approve", user=user, note=note)
    sale.purchase_number = document_number_allocate(doc_type="DP", store=sale.store_id)
    sale.save(update_fields=["purchase_number"])
    return sale


@transaction.atomic
def dropship_invoice(*, sale: DropShip, user, note: str = "") -> SalesInvoice:
    """The drop-ship sales invoice from its order (finance)."""
    sale = transition_run(instance=sale, name="invoice", user=user, note=note)
    return _sales_invoice(sale=sale, user=user)


@transaction.atomic
def dropship_purchase_invoice(*, sale: DropShip, user, supplier_number: str, note: str = "") -> PurchaseInvoice:
    """The supplier's invoice, made from the sale (its order or its sales invoice)."""
    if not (supplier_number or "").strip():
        raise ValidationError({"supplier_number": [_("Enter the supplier's invoice number.")]})
    sale = transition_run(instance=sale, name="receive_invoice", user=user, note=note)
    net = vat = ZERO
    for line in sale.lines.select_related("item"):
        n, v = vat_split(total=money(line.quantity * line.unit_cost), rate=line.item.vat_rate)
        net += n
        vat += v
    invoice = PurchaseInvoice.objects.create(
        store_id=sale.store_id,
        supplier=sale.supplier,
        dropship=sale,
        supplier_number=supplier_number.strip()[:40],
        net=net,
        vat=vat,
        total=net + vat,
        created_by=user,
    )
    label = f"{sale} / {invoice.supplier_number}"
    journal_post(
        store_id=sale.store_id,
        kind=JournalEntry.Kind.DROPSHIP_PURCHASE,
        legs=[dr(Account.GOODS_IN_TRANSIT, net), dr(Account.INPUT_VAT, vat), cr(Account.PAYABLE, net + vat)],
        source=invoice,
        source_label=label,
        user=user,
    )
    journal_post(
        store_id=sale.store_id,
        kind=JournalEntry.Kind.DROPSHIP_COGS,
        legs=[dr(Account.COGS, net), cr(Account.GOODS_IN_TRANSIT, net)],
        source=invoice,
        source_label=label,
        user=user,
    )
    return invoice


@transaction.atomic
def dropship_cancel(*, sale: DropShip, user, note: str = "") -> DropShip:
    return transition_run(instance=sale, name="cancel", user=user, note=note)
