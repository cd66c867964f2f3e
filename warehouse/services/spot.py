"""Spot sales by weight at the steel desk (article 8, 公司现货销售流程及有关规定).

1.现货销售流程:业务洽谈→制作合同资源表(同时开具出库单)→主管审批并签字→仓库员称重→传公司账号及
货物重量→客户办款→款到后财务核兑单价和金额并签字→主管签字→仓库员发货。

- ``spot_sheet_create`` (业务洽谈: freight terms and the customer's requirements recorded; lines
  priced from the price list × the class's discount rate unless a price is given)
- ``spot_sheet_issue`` (制作合同资源表, 同时开具出库单: SR with its outbound-slip copy; a line off
  the list files the ``warehouse.spot_price_exception`` approval, 2.2 …在与销售主管和公司领导商议后
  得到批准再报价)
- ``spot_sheet_approve`` (主管审批并签字) → ``spot_sheet_weigh`` (仓库员称重: gross, tare, net per
  line; the net weight is reserved) → ``spot_notice_send`` (传公司账号及货物重量: PN) →
  ``spot_payment_record`` (客户办款) → ``spot_sheet_verify`` (财务核兑单价和金额并签字) →
  ``spot_sheet_sign`` (主管签字) → ``spot_sheet_release`` (仓库员发货: one issue per line).

2.3 接单后若公司货物不够或无货需要外购的,外购货物价格应与所接的单子有100元以上的差价,外购由采购员
负责: a bought-in line must sell at least ``WAREHOUSE_SPOT_MIN_MARGIN`` (default 100.00 CNY) per
unit of sale above its purchase price, or the whole sheet is refused.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from showroom.models import Store
from showroom.services.approvals import approval_request_create
from showroom.services.documents import document_issue
from showroom.services.transitions import TransitionConflict, transition_run
from warehouse.models import (
    Bin,
    CustomerAccount,
    CustomerClass,
    Item,
    SalesInvoice,
    SpotCustomerClass,
    SpotDiscountRate,
    SpotPrice,
    SpotSheet,
    SpotSheetLine,
    StockMove,
    Warehouse,
)
from warehouse.models.spot import SPOT_SELLERS, SPOT_SUPERVISORS
from warehouse.services._common import decimal_of, require_role
from warehouse.services.accounts import balance_apply, invoice_make, payment_record
from warehouse.services.journal import money
from warehouse.services.ledger import stock_move_append, stock_release, stock_reserve
from warehouse.services.slips import cogs_post

ZERO = Decimal("0")
SPOT_PRICE_KIND = "warehouse.spot_price_exception"
WEIGHT = Decimal("0.001")


def spot_min_margin() -> Decimal:
    """The least a bought-in line sells above its purchase price, per unit of sale (2.3: 100 元)."""
    return Decimal(str(getattr(settings, "WAREHOUSE_SPOT_MIN_MARGIN", "100.00")))


# --- the price list and the discount-rate table (sales manager) ---------------------------------


def _price(value, *, field: str) -> Decimal:
    price = decimal_of(value, field=field)
    if price <= 0 or price != money(price):
        raise ValidationError({field: [_("Enter an amount above zero, to the cent.")]})
    return price


@transaction.atomic
def spot_price_set(*, user, store: Store, item: Item, unit_price) -> SpotPrice:
    """Put a specification on the price list (报价表) or change its price."""
    require_role(user=user, store_id=store.pk, roles=SPOT_SUPERVISORS)
    price = _price(unit_price, field="unit_price")
    row, _created = SpotPrice.objects.update_or_create(
        store=store, item=item, defaults={"unit_price": price, "updated_by": user}
    )
    return row


@transaction.atomic
def spot_rate_set(*, user, store: Store, item: Item, customer_class: str, rate) -> SpotDiscountRate:
    """Set one cell of the discount-rate table (折率表): the share of the list price, 0 < rate ≤ 1."""
    require_role(user=user, store_id=store.pk, roles=SPOT_SUPERVISORS)
    rate = decimal_of(rate, field="rate")
    errors = {}
    if customer_class not in CustomerClass.values:
        errors["customer_class"] = [_("Choose a customer class.")]
    if not (ZERO < rate <= 1) or rate != rate.quantize(Decimal("0.0001")):
        errors["rate"] = [_("A rate is above 0 and at most 1, with up to four decimals (0.9750).")]
    if errors:
        raise ValidationError(errors)
    row, _created = SpotDiscountRate.objects.update_or_create(
        store=store, item=item, customer_class=customer_class, defaults={"rate": rate, "updated_by": user}
    )
    return row


@transaction.atomic
def spot_customer_class_set(*, user, account: CustomerAccount, customer_class: str) -> SpotCustomerClass:
    require_role(user=user, store_id=account.store_id, roles=SPOT_SUPERVISORS)
    if customer_class not in CustomerClass.values:
        raise ValidationError({"customer_class": [_("Choose a customer class.")]})
    row, _created = SpotCustomerClass.objects.update_or_create(
        account=account, defaults={"customer_class": customer_class, "set_by": user}
    )
    return row


def spot_list_price(*, store_id: int, item: Item, customer_class: str) -> Decimal | None:
    """List price × the class's rate (to the cent), or None when the specification is not on the
    price list and the discount-rate table."""
    price = SpotPrice.objects.filter(store_id=store_id, item=item).values_list("unit_price", flat=True).first()
    rate = (
        SpotDiscountRate.objects.filter(store_id=store_id, item=item, customer_class=customer_class)
        .values_list("rate", flat=True)
        .first()
    )
    if price is None or rate is None:
        return None
    return money(price * rate)


# --- negotiation and the resource sheet ------------------------------------------------------------


def _margin_check(lines: list[dict]) -> None:
    """2.3: every bought-in line sells at least the minimum margin above its purchase price;
    otherwise the whole sheet is refused, naming each line and its margin."""
    least = spot_min_margin()
    errors = []
    for n, line in enumerate(lines, start=1):
        if not line["bought_in"]:
            continue
        margin = line["unit_price"] - line["purchase_price"]
        if margin < least:
            errors.append(
                _(
                    "Line %(n)s (%(item)s): bought in at %(cost)s and sold at %(price)s, a margin of "
                    "%(margin)s per %(unit)s; at least %(least)s is needed."
                )
                % {
                    "n": n,
                    "item": line["item"],
                    "cost": f"{line['purchase_price']:,.2f}",
                    "price": f"{line['unit_price']:,.2f}",
                    "margin": f"{margin:,.2f}",
                    "unit": line["item"].get_unit_display(),
                    "least": f"{least:,.2f}",
                }
            )
    if errors:
        raise ValidationError({"lines": errors})


def _clean_lines(*, lines: list[dict], store_id: int, customer_class: str) -> list[dict]:
    if not lines:
        raise ValidationError({"lines": [_("A sheet needs at least one line.")]})
    cleaned, errors = [], []
    for n, line in enumerate(lines, start=1):
        item = line.get("item")
        if not isinstance(item, Item) or item.tracking != Item.Tracking.WEIGHT:
            errors.append(_("Line %(n)s: choose a specification sold by weight.") % {"n": n})
            continue
        quantity = decimal_of(line.get("quantity"), field="quantity")
        if quantity <= 0 or quantity != quantity.quantize(WEIGHT):
            errors.append(_("Line %(n)s: the quantity is above zero, to three decimals.") % {"n": n})
        listed = spot_list_price(store_id=store_id, item=item, customer_class=customer_class)
        given = line.get("unit_price")
        if given in (None, ""):
            if listed is None:
                errors.append(
                    _("Line %(n)s: %(item)s is not on the price list and the discount-rate table; quote a price.")
                    % {"n": n, "item": item}
                )
                continue
            price = listed
        else:
            price = decimal_of(given, field="unit_price")
            if price <= 0 or price != money(price):
                errors.append(_("Line %(n)s: the price is an amount above zero, to the cent.") % {"n": n})
                continue
        bought_in = bool(line.get("bought_in"))
        purchase = line.get("purchase_price")
        if bought_in:
            if purchase in (None, ""):
                errors.append(_("Line %(n)s: a bought-in line needs its purchase price.") % {"n": n})
                continue
            purchase = decimal_of(purchase, field="purchase_price")
            if purchase <= 0 or purchase != money(purchase):
                errors.append(_("Line %(n)s: the purchase price is an amount above zero, to the cent.") % {"n": n})
                continue
        else:
            purchase = None
        cleaned.append(
            {
                "item": item,
                "quantity": quantity,
                "unit_price": price,
                "list_price": listed,
                "off_list": listed is None or price < listed,
                "bought_in": bought_in,
                "purchase_price": purchase,
            }
        )
    if errors:
        raise ValidationError({"lines": errors})
    _margin_check(cleaned)
    return cleaned


@transaction.atomic
def spot_sheet_create(
    *,
    user,
    warehouse: Warehouse,
    account: CustomerAccount,
    freight: str,
    lines: list[dict],
    requirements: str = "",
    freight_cost=ZERO,
) -> SpotSheet:
    """业务洽谈: the negotiated sale — freight terms (and cost) and the customer's requirements
    recorded, lines priced (list × rate unless a price is quoted), bought-in lines margin-checked."""
    require_role(user=user, store_id=warehouse.store_id, roles=SPOT_SELLERS)
    errors = {}
    if account.store_id != warehouse.store_id:
        errors["account"] = [_("The customer is of another store.")]
    if freight not in SpotSheet.Freight.values:
        errors["freight"] = [_("Choose the freight terms.")]
    cost = decimal_of(freight_cost or "0", field="freight_cost")
    if cost < 0 or cost != money(cost):
        errors["freight_cost"] = [_("Enter an amount, to the cent, not below zero.")]
    if errors:
        raise ValidationError(errors)
    row = SpotCustomerClass.objects.filter(account=account).first()
    customer_class = row.customer_class if row else CustomerClass.STANDARD
    cleaned = _clean_lines(lines=lines, store_id=warehouse.store_id, customer_class=customer_class)
    sheet = SpotSheet.objects.create(
        store_id=warehouse.store_id,
        warehouse=warehouse,
        account=account,
        customer_class=customer_class,
        freight=freight,
        freight_cost=cost,
        requirements=(requirements or "").strip(),
        created_by=user,
    )
    SpotSheetLine.objects.bulk_create([SpotSheetLine(sheet=sheet, **line) for line in cleaned])
    return sheet


def _lines(sheet: SpotSheet) -> list[SpotSheetLine]:
    return list(sheet.lines.select_related("item").order_by("id"))


@transaction.atomic
def spot_sheet_issue(*, sheet: SpotSheet, user, note: str = "") -> SpotSheet:
    """制作合同资源表(同时开具出库单): numbered SR, printed with its outbound-slip copy. Lines off the
    list file one price approval (routed to the sales manager)."""
    sheet = transition_run(instance=sheet, name="issue", user=user, note=note)
    lines = _lines(sheet)
    _margin_check([vars(line) | {"item": line.item} for line in lines])
    off = [line for line in lines if line.off_list]
    if off:
        approval_request_create(
            target=sheet,
            kind=SPOT_PRICE_KIND,
            store=sheet.store,
            requester=user,
            reason=_("Prices outside the price list: %(lines)s.")
            % {
                "lines": "; ".join(
                    f"{line.item.code} {line.unit_price:,.2f}"
                    + (f" ({_('list')} {line.list_price:,.2f})" if line.list_price is not None else "")
                    for line in off
                )
            },
            value=sum((money(line.quantity * line.unit_price) for line in off), ZERO),
        )
        sheet.price_state = SpotSheet.PriceState.PENDING
    sheet.number = document_issue(doc_type="SR", target=sheet, store=sheet.store, user=user).number
    sheet.save(update_fields=["number", "price_state"])
    return sheet


@transaction.atomic
def spot_sheet_approve(*, sheet: SpotSheet, user, note: str = "") -> SpotSheet:
    """主管审批并签字. A sheet with a price off the list waits for its approval (409)."""

    def check(obj: SpotSheet) -> None:
        if obj.price_state not in (SpotSheet.PriceState.NOT_NEEDED, SpotSheet.PriceState.APPROVED):
            raise TransitionConflict(
                _("A price outside the price list is not approved (%(state)s); the sheet cannot be approved yet.")
                % {"state": obj.get_price_state_display()},
                state=SpotSheet.State.ISSUED,
            )
        _margin_check([vars(line) | {"item": line.item} for line in _lines(obj)])
        obj.approved_by = user

    return transition_run(instance=sheet, name="approve", user=user, note=note, before_save=check)


def spot_price_approved(*, request) -> None:
    """Approval handler of ``warehouse.spot_price_exception``: the quoted prices stand."""
    SpotSheet.objects.filter(pk=request.object_id, price_state=SpotSheet.PriceState.PENDING).update(
        price_state=SpotSheet.PriceState.APPROVED
    )


def spot_price_rejected(*, request) -> None:
    """The price is refused: the sheet cannot be approved (cancel it and quote again)."""
    SpotSheet.objects.filter(pk=request.object_id, price_state=SpotSheet.PriceState.PENDING).update(
        price_state=SpotSheet.PriceState.REJECTED
    )


# --- weighing, notice, payment --------------------------------------------------------------------


def _weight(value, *, field: str) -> Decimal:
    weight = decimal_of(value, field=field)
    if weight < 0 or weight != weight.quantize(WEIGHT):
        raise ValidationError({field: [_("Enter a weight, not below zero, to three decimals.")]})
    return weight


@transaction.atomic
def spot_sheet_weigh(*, sheet: SpotSheet, user, weights: list[dict], note: str = "") -> SpotSheet:
    """仓库员称重: for every line the bin it comes from, the gross weight and the tare; net =
    gross − tare; amount = unit price × net, ROUND_HALF_UP to the cent. The net weight is
    reserved in the warehouse (not enough available: 409)."""
    sheet = transition_run(instance=sheet, name="weigh", user=user, note=note)
    lines = {line.pk: line for line in _lines(sheet)}
    given = {}
    errors = []
    for n, row in enumerate(weights, start=1):
        line = row.get("line")
        line_id = getattr(line, "pk", line)
        if line_id not in lines:
            errors.append(_("Row %(n)s: not a line of this sheet.") % {"n": n})
            continue
        given[line_id] = row
    missing = [n for n, pk in enumerate(lines, start=1) if pk not in given]
    if missing:
        errors.append(_("Weigh every line; missing: %(lines)s.") % {"lines": ", ".join(str(n) for n in missing)})
    if errors:
        raise ValidationError({"weights": errors})
    total = ZERO
    for n, (pk, line) in enumerate(lines.items(), start=1):
        row = given[pk]
        gross = _weight(row.get("gross"), field="gross")
        tare = _weight(row.get("tare"), field="tare")
        net = gross - tare
        if net <= 0:
            raise ValidationError({"weights": [_("Line %(n)s: the gross weight must be above the tare.") % {"n": n}]})
        place = row.get("bin")
        if not isinstance(place, Bin) or place.warehouse_id != sheet.warehouse_id:
            raise ValidationError({"weights": [_("Line %(n)s: choose a bin of the sheet's warehouse.") % {"n": n}]})
        line.bin, line.gross, line.tare, line.net = place, gross, tare, net
        line.amount = money(line.unit_price * net)
        line.reservation = stock_reserve(
            item=line.item,
            warehouse=sheet.warehouse,
            user=user,
            quantity=net,
            document=sheet,
            document_label=str(sheet),
        )
        line.save(update_fields=["bin", "gross", "tare", "net", "amount", "reservation"])
        total += line.amount
    sheet.total = total
    sheet.weighed_by = user
    sheet.save(update_fields=["total", "weighed_by"])
    return sheet


@transaction.atomic
def spot_notice_send(*, sheet: SpotSheet, user, company_account: str, note: str = "") -> SpotSheet:
    """传公司账号及货物重量: the payment notice PN (the company account, each line's weights and
    amount, the total) goes to the customer."""
    company_account = (company_account or "").strip()
    if not company_account:
        raise ValidationError({"company_account": [_("Give the company account the customer pays into.")]})
    sheet = transition_run(instance=sheet, name="notify", user=user, note=note)
    sheet.company_account = company_account[:120]
    sheet.notice_number = document_issue(doc_type="SN", target=sheet, store=sheet.store, user=user).number
    sheet.save(update_fields=["company_account", "notice_number"])
    return sheet


@transaction.atomic
def spot_payment_record(
    *, sheet: SpotSheet, user, amount, method: str = "transfer", reference: str = "", note: str = ""
) -> SpotSheet:
    """客户办款: the payment is received into the customer's account (receipt PY, journal Dr bank /
    Cr customer advances) and recorded on the sheet."""
    sheet = transition_run(instance=sheet, name="pay", user=user, note=note)
    entry = payment_record(user=user, account=sheet.account, amount=amount, method=method, reference=reference)
    sheet.payment = entry
    sheet.paid_amount = entry.amount
    sheet.save(update_fields=["payment", "paid_amount"])
    return sheet


@transaction.atomic
def spot_sheet_verify(*, sheet: SpotSheet, user, checked_total, note: str = "") -> SpotSheet:
    """款到后财务核兑单价和金额并签字: finance recomputes every line (unit price × net weight, to
    the cent), types the total it found, and the payment must cover it."""
    typed = decimal_of(checked_total, field="checked_total")

    def check(obj: SpotSheet) -> None:
        problems = []
        total = ZERO
        for n, line in enumerate(_lines(obj), start=1):
            expected = money(line.unit_price * line.net)
            if line.amount != expected:
                problems.append(
                    _("Line %(n)s: %(price)s × %(net)s = %(expected)s, the sheet says %(amount)s.")
                    % {"n": n, "price": line.unit_price, "net": line.net, "expected": expected, "amount": line.amount}
                )
            total += expected
        if problems or total != obj.total:
            raise TransitionConflict(" ".join(problems) or _("The sheet's total does not match its lines."))
        if typed != total:
            raise ValidationError(
                {
                    "checked_total": [
                        _("The sheet's amount is %(total)s, not %(typed)s.")
                        % {"total": f"{total:,.2f}", "typed": f"{typed:,.2f}"}
                    ]
                }
            )
        if obj.paid_amount < total:
            raise TransitionConflict(
                _("The payment is %(missing)s short of the amount.") % {"missing": f"{total - obj.paid_amount:,.2f}"}
            )
        obj.verified_by = user
        obj.verified_at = timezone.now()

    return transition_run(instance=sheet, name="verify", user=user, note=note, before_save=check)


@transaction.atomic
def spot_sheet_sign(*, sheet: SpotSheet, user, note: str = "") -> SpotSheet:
    """主管签字, after finance."""

    def stamp(obj: SpotSheet) -> None:
        obj.signed_by = user

    return transition_run(instance=sheet, name="sign", user=user, note=note, before_save=stamp)


@transaction.atomic
def spot_sheet_release(*, sheet: SpotSheet, user, note: str = "") -> SpotSheet:
    """仓库员发货: the net weight of every line leaves as an issue, consuming its reservation.
    Only a sheet finance verified and the supervisor signed gets here (any earlier: 409)."""

    def stamp(obj: SpotSheet) -> None:
        obj.released_by = user
        obj.released_at = timezone.now()

    sheet = transition_run(instance=sheet, name="release", user=user, note=note, before_save=stamp)
    lines = _lines(sheet)
    moves = []
    for line in lines:
        line.move = stock_move_append(
            item=line.item,
            warehouse=sheet.warehouse,
            bin=line.bin,
            quantity=-line.net,
            kind=StockMove.Kind.ISSUE,
            user=user,
            source=sheet,
            source_label=sheet.number,
            reservation=line.reservation,
        )
        line.save(update_fields=["move"])
        moves.append(line.move)
    _book_the_sale(sheet=sheet, lines=lines, moves=moves, user=user)
    return sheet


def _book_the_sale(*, sheet: SpotSheet, lines: list[SpotSheetLine], moves: list[StockMove], user) -> None:
    """Article 2's books for the goods that left: the sales invoice (Dr receivable / Cr revenue,
    Cr output VAT), paid from the prepaid balance the customer's payment went into (Dr customer
    advances / Cr receivable), and, in a moving-average warehouse, the cost of goods sold."""
    account = CustomerAccount.objects.select_for_update().get(pk=sheet.account_id)
    if account.balance < sheet.total:
        # the balance the payment went into was spent on something else in the meantime
        raise TransitionConflict(
            _("The customer's prepaid balance is %(balance)s, below the sheet's %(total)s: nothing leaves.")
            % {"balance": f"{account.balance:,.2f}", "total": f"{sheet.total:,.2f}"},
            state=SpotSheet.State.SIGNED,
        )
    rows = [(line.amount, line.item.vat_rate) for line in lines]
    invoice = invoice_make(user=user, account=account, kind=SalesInvoice.Kind.SPOT, rows=rows)
    balance_apply(user=user, account=account, invoice=invoice, amount=invoice.total)
    if sheet.warehouse.valuation == Warehouse.Valuation.MOVING:
        cogs_post(moves=moves, store_id=sheet.store_id, source=sheet, label=sheet.number, user=user)


@transaction.atomic
def spot_sheet_cancel(*, sheet: SpotSheet, user, note: str = "") -> SpotSheet:
    """The sale does not go ahead (before any payment): reserved weights are released."""
    sheet = transition_run(instance=sheet, name="cancel", user=user, note=note)
    for line in sheet.lines.select_related("reservation"):
        if line.reservation_id and line.reservation.state == "active":
            stock_release(reservation=line.reservation, user=user)
    return sheet
