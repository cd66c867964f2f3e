"""Quotes: build (vehicle, lines, discount, trade-in), send (an approval when the discount is above
the consultant's limit), accept (an order awaiting its deposit), reject, revise (a new version,
the old one kept), expire (the daily tick, with a follow-up). Totals come from
``leads.services.quote_totals`` only."""

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from leads.models import (
    RUN_DISCOUNT_APPROVED,
    RUN_DISCOUNT_REJECTED,
    RUN_EXPIRY_TICK,
    Appraisal,
    Lead,
    Order,
    Quote,
    QuoteLine,
    SalesSettings,
    TrimColour,
    VehicleModel,
    lead_may_work,
    quote_may_work,
)
from leads.services._common import in_site_language, notify, require, require_open
from leads.services.lifecycle import lead_event
from leads.services.quote_totals import line_amount, quote_totals_compute
from showroom.models import ApprovalRequest, Store
from showroom.money import money, to_decimal
from showroom.services.approvals import approval_request_create
from showroom.services.documents import document_issue
from showroom.services.followups import followup_plan_schedule
from showroom.services.transitions import TransitionConflict, transition_run
from warehouse.models import Item, Serial
from warehouse.selectors import stock_available

DISCOUNT_KIND = "leads.quote_discount"
DISCOUNT_KIND_LABEL = gettext_lazy("Car quotation discount")
EXPIRED_PLAN = "leads.quote_expired"
EXPIRED_PLAN_LABEL = gettext_lazy("Follow up an expired quote")
ZERO = Decimal("0.00")


def sales_settings_for(*, store: Store | int) -> SalesSettings:
    store_id = store if isinstance(store, int) else store.pk
    return SalesSettings.objects.filter(store_id=store_id).first() or SalesSettings(store_id=store_id)


def _today() -> dt.date:
    return timezone.localdate()


def quote_lock(quote: Quote) -> Quote:
    return (
        Quote.objects.select_for_update(of=("self",))
        .select_related("store", "lead", "consultant", "trim_colour__trim__vehicle_model", "trade_in")
        .get(pk=quote.pk)
    )


def _amount(value, *, field: str, errors: dict, allow_zero: bool = True) -> Decimal | None:
    try:
        amount = money(to_decimal(value))
    except (ValueError, TypeError, InvalidOperation):
        errors[field] = [_("Enter an amount such as 1,234.50.")]
        return None
    if amount < 0 or (not allow_zero and amount == 0):
        errors[field] = [_("Enter an amount above zero.") if not allow_zero else _("The amount cannot be negative.")]
        return None
    if amount >= Decimal("1000000000000"):
        errors[field] = [_("The amount is too large.")]
        return None
    return amount


def car_item(trim_colour: TrimColour) -> Item | None:
    if not trim_colour.warehouse_item_id:
        return None
    return Item.objects.filter(pk=trim_colour.warehouse_item_id).first()


def car_serials_in_stock(*, trim_colour: TrimColour) -> list[Serial]:
    """The VINs of this trim × colour in stock and not reserved (one query)."""
    if not trim_colour.warehouse_item_id:
        return []
    return list(
        Serial.objects.filter(item_id=trim_colour.warehouse_item_id, state=Serial.State.IN_STOCK)
        .exclude(reservations__state="active")
        .select_related("warehouse")
        .order_by("number")
    )


def delivery_estimate(*, trim_colour: TrimColour, store: Store | int, vin: str = "") -> dt.date:
    """From stock (a VIN or an unreserved car of the trim × colour): the store's pickup days;
    otherwise the expected arrival."""
    rules = sales_settings_for(store=store)
    in_stock = bool(vin) or (trim_colour.warehouse_item_id and stock_available(item=trim_colour.warehouse_item_id) > 0)
    days = rules.pickup_days_after_allocation if in_stock else rules.arrival_days_when_not_in_stock
    return _today() + dt.timedelta(days=days)


def _check_vin(*, trim_colour: TrimColour, vin: str, errors: dict) -> str:
    vin = (vin or "").strip().upper()
    if not vin:
        return ""
    if (
        not trim_colour.warehouse_item_id
        or not Serial.objects.filter(
            number=vin, item_id=trim_colour.warehouse_item_id, state=Serial.State.IN_STOCK
        ).exists()
    ):
        errors["vin"] = [_("VIN %(vin)s is not a car of this trim and colour in stock.") % {"vin": vin}]
    return vin


def _check_trade_in(*, lead: Lead, trade_in: Appraisal | None, errors: dict) -> None:
    if trade_in is None:
        return
    if trade_in.lead_id != lead.pk:
        errors["trade_in"] = [_("The appraisal belongs to another lead.")]
    elif trade_in.state != Appraisal.State.ACCEPTED:
        errors["trade_in"] = [_("Only an offer the customer accepted becomes a trade-in credit.")]
    elif trade_in.valid_until < _today():
        errors["trade_in"] = [_("The appraisal's offer has expired; ask for a new one.")]


def _check_dates(*, invoice_date, valid_until, errors: dict) -> None:
    today = _today()
    if valid_until is not None and valid_until < today:
        errors["valid_until"] = [_("A quote is valid until today or later.")]
    if invoice_date is not None and invoice_date < today - dt.timedelta(days=1):
        errors["invoice_date"] = [_("The invoice date cannot be in the past.")]


def quote_totals_store(*, quote: Quote) -> Quote:
    """Recompute and store the quote's totals (the one place they are written)."""
    lines = [(line.kind, line.amount) for line in quote.lines.all()]
    totals = quote_totals_compute(
        vehicle_price=quote.vehicle_price,
        discount=quote.discount,
        lines=lines,
        is_nev=quote.is_nev,
        invoice_date=quote.invoice_date,
        trade_in_credit=quote.trade_in.offer if quote.trade_in_id else ZERO,
    )
    if totals.vehicle_net < 0:
        raise ValidationError({"discount": [_("The discount cannot exceed the vehicle price.")]})
    quote.vehicle_net = totals.vehicle_net
    quote.accessories_total = totals.accessories
    quote.services_total = totals.services
    quote.fees_total = totals.fees
    quote.purchase_tax = totals.purchase_tax.due
    quote.purchase_tax_relief = totals.purchase_tax.relief
    quote.trade_in_credit = totals.trade_in_credit
    quote.total = totals.total
    quote.save(
        update_fields=[
            "vehicle_net",
            "accessories_total",
            "services_total",
            "fees_total",
            "purchase_tax",
            "purchase_tax_relief",
            "trade_in_credit",
            "total",
            "updated_at",
        ]
    )
    return quote


@transaction.atomic
def quote_create(
    *,
    lead: Lead,
    user,
    trim_colour: TrimColour,
    vin: str = "",
    discount="0",
    trade_in: Appraisal | None = None,
    invoice_date: dt.date | None = None,
    valid_until: dt.date | None = None,
    language: str = "zh-hans",
    note: str = "",
) -> Quote:
    """A draft quote for the lead's customer: the trim × colour at its list price, the consultant's
    limit of the model, a delivery estimate from stock, validity from the store's days."""
    lead = Lead.objects.select_for_update(of=("self",)).select_related("store").get(pk=lead.pk)
    require(lead_may_work(lead, user), _("Only the lead's consultant or a manager may quote."))
    require_open(lead, _("Only an open lead can get a quote."))
    errors: dict[str, list[str]] = {}
    if trim_colour is None:
        errors["trim_colour"] = [_("Choose the trim and colour.")]
        raise ValidationError(errors)
    trim_colour = TrimColour.objects.select_related("trim__vehicle_model").get(pk=trim_colour.pk)
    if not trim_colour.trim.is_active or not trim_colour.trim.vehicle_model.is_active:
        errors["trim_colour"] = [_("This trim is no longer on sale.")]
    amount = _amount(discount, field="discount", errors=errors)
    vin = _check_vin(trim_colour=trim_colour, vin=vin, errors=errors)
    _check_trade_in(lead=lead, trade_in=trade_in, errors=errors)
    _check_dates(invoice_date=invoice_date, valid_until=valid_until, errors=errors)
    if language not in Quote.Language.values:
        errors["language"] = [_("Choose Chinese or English.")]
    if errors:
        raise ValidationError(errors)
    rules = sales_settings_for(store=lead.store_id)
    estimate = delivery_estimate(trim_colour=trim_colour, store=lead.store_id, vin=vin)
    model = trim_colour.trim.vehicle_model
    quote = Quote.objects.create(
        store_id=lead.store_id,
        lead=lead,
        consultant=lead.consultant,
        trim_colour=trim_colour,
        vin=vin,
        is_nev=model.segment == VehicleModel.Segment.NEV,
        vehicle_price=money(trim_colour.list_price),
        discount=amount,
        consultant_limit=model.consultant_discount_limit,
        trade_in=trade_in,
        invoice_date=invoice_date or estimate,
        valid_until=valid_until or _today() + dt.timedelta(days=rules.quote_valid_days),
        estimated_delivery=estimate,
        language=language,
        note=(note or "").strip(),
    )
    quote.family = quote
    quote.save(update_fields=["family"])
    return quote_totals_store(quote=quote)


def _editable(quote: Quote, user) -> None:
    require(quote_may_work(quote, user), _("Only the consultant or a manager may change this quote."))
    if quote.state != Quote.State.DRAFT:
        raise TransitionConflict(
            _("Only a draft quote can be changed; revise it to make a new version."), state=quote.state
        )


@transaction.atomic
def quote_update(*, quote: Quote, user, **values) -> Quote:
    """Change a draft: ``discount``, ``vin``, ``trade_in``, ``invoice_date``, ``valid_until``,
    ``language``, ``note``."""
    quote = quote_lock(quote)
    _editable(quote, user)
    errors: dict[str, list[str]] = {}
    if "discount" in values:
        quote.discount = _amount(values["discount"], field="discount", errors=errors)
    if "vin" in values:
        quote.vin = _check_vin(trim_colour=quote.trim_colour, vin=values["vin"], errors=errors)
    if "trade_in" in values:
        _check_trade_in(lead=quote.lead, trade_in=values["trade_in"], errors=errors)
        quote.trade_in = values["trade_in"]
    _check_dates(invoice_date=values.get("invoice_date"), valid_until=values.get("valid_until"), errors=errors)
    for field in ("invoice_date", "valid_until"):
        if values.get(field):
            setattr(quote, field, values[field])
    if "language" in values:
        if values["language"] not in Quote.Language.values:
            errors["language"] = [_("Choose Chinese or English.")]
        quote.language = values["language"]
    if "note" in values:
        quote.note = (values["note"] or "").strip()
    if errors:
        raise ValidationError(errors)
    quote.estimated_delivery = delivery_estimate(trim_colour=quote.trim_colour, store=quote.store_id, vin=quote.vin)
    # A new amount needs a new approval.
    if quote.approved_discount is not None and quote.discount > quote.approved_discount:
        quote.approved_discount = None
    quote.save()
    return quote_totals_store(quote=quote)


@transaction.atomic
def quote_line_add(
    *,
    quote: Quote,
    user,
    kind: str,
    item: Item | None,
    quantity="1",
    unit_price=None,
    description: str = "",
) -> QuoteLine:
    """An accessory package (a stocked item), insurance, warranty, service package or fee (service
    items, never stocked) at the item's list price unless another is given."""
    quote = quote_lock(quote)
    _editable(quote, user)
    errors: dict[str, list[str]] = {}
    if kind not in QuoteLine.Kind.values:
        errors["kind"] = [_("Choose what kind of line this is.")]
    if item is None or not item.is_active:
        errors["item"] = [_("Choose an item on sale.")]
    elif kind == QuoteLine.Kind.ACCESSORY and (not item.is_stocked or (item.is_serial and item.external_ref)):
        errors["item"] = [_("An accessory package is a stocked item.")]
    elif kind in QuoteLine.Kind.values and kind != QuoteLine.Kind.ACCESSORY and item.is_stocked:
        errors["item"] = [_("Insurance, warranties, service packages and fees are service items.")]
    try:
        qty = to_decimal(quantity)
        if qty <= 0 or qty > 1000:
            errors["quantity"] = [_("Enter a quantity between 0 and 1,000.")]
    except (ValueError, TypeError, InvalidOperation):
        errors["quantity"] = [_("Enter a quantity.")]
        qty = None
    price = None
    if unit_price not in (None, ""):
        price = _amount(unit_price, field="unit_price", errors=errors)
    if errors:
        raise ValidationError(errors)
    price = price if price is not None else money(item.list_price)
    description = (description or "").strip() or item.name
    line = QuoteLine.objects.create(
        quote=quote,
        kind=kind,
        item=item,
        description=description[:200],
        quantity=qty,
        unit_price=price,
        amount=line_amount(quantity=qty, unit_price=price),
    )
    quote_totals_store(quote=quote)
    return line


@transaction.atomic
def quote_line_remove(*, quote: Quote, user, line_id: int) -> Quote:
    quote = quote_lock(quote)
    _editable(quote, user)
    deleted, _rows = QuoteLine.objects.filter(quote=quote, pk=line_id).delete()
    if not deleted:
        raise ValidationError({"line": [_("This line is not on the quote.")]})
    return quote_totals_store(quote=quote)


def discount_request_pending(*, quote: Quote) -> ApprovalRequest | None:
    from django.contrib.contenttypes.models import ContentType

    return ApprovalRequest.objects.filter(
        kind=DISCOUNT_KIND,
        content_type=ContentType.objects.get_for_model(Quote),
        object_id=quote.pk,
        state=ApprovalRequest.State.PENDING,
    ).first()


def _issue_and_send(quote: Quote, user) -> Quote:
    document = document_issue(doc_type="QT", target=quote, store=quote.store, user=user)
    now = timezone.now()

    def stamp(obj: Quote) -> None:
        obj.sent_at = now
        obj.number = document.number

    quote = transition_run(instance=quote, name="send", user=user, lock=False, before_save=stamp)
    lead_event(lead=quote.lead, event="quoted", user=user, at=now, note=quote.number)
    return quote


@transaction.atomic
def quote_send(*, quote: Quote, user, reason: str = "") -> Quote:
    """Send the quote to the customer (numbered QT, its PDF rendered, the lead negotiating). A
    discount above the consultant's limit is first sent for approval (sales manager up to the
    store's limit, general manager above); the quote waits and is sent once approved."""
    quote = quote_lock(quote)
    require(quote_may_work(quote, user), _("Only the consultant or a manager may send this quote."))
    require_open(quote.lead, _("The lead is closed; reactivate it first."))
    if quote.state == Quote.State.DRAFT and quote.needs_approval:
        transition_run(instance=quote, name="submit", user=user, lock=False)
        text = (reason or "").strip() or _("Discount of %(amount)s on %(car)s (limit %(limit)s).") % {
            "amount": f"¥{quote.discount:,.2f}",
            "car": quote.trim_colour,
            "limit": f"¥{quote.consultant_limit:,.2f}",
        }
        approval_request_create(
            target=quote,
            kind=DISCOUNT_KIND,
            store=quote.store,
            requester=user,
            reason=text,
            value=quote.discount,
            payload={"discount": str(quote.discount), "version": quote.version},
        )
        return quote
    if quote.state == Quote.State.PENDING_APPROVAL:
        raise TransitionConflict(_("The discount is waiting for approval."), state=quote.state)
    if quote.valid_until < _today():
        raise TransitionConflict(_("The quote's validity has passed; change the date first."), state=quote.state)
    return _issue_and_send(quote, user)


def _decider(request: ApprovalRequest):
    decision = request.decisions.order_by("decided_at", "id").last()
    return decision.decider if decision is not None else None


def quote_discount_approved(*, request: ApprovalRequest) -> None:
    """Approval handler: the quote's discount is approved at the requested amount; the consultant
    sends it."""
    quote = quote_lock(Quote(pk=request.object_id))
    quote._sales_service_run = RUN_DISCOUNT_APPROVED

    def record(obj: Quote) -> None:
        obj.approved_discount = request.value

    transition_run(instance=quote, name="approve", user=_decider(request), lock=False, before_save=record)
    quote._sales_service_run = ""
    with in_site_language():
        title = _("Discount approved: %(quote)s") % {"quote": quote.lead.customer.name}
    notify(
        user=quote.consultant,
        key=f"leads:quote_discount:{request.pk}:approved",
        title=title,
        body=request.reason,
        url=reverse("leads:quote", args=[quote.pk]),
    )


def quote_discount_rejected(*, request: ApprovalRequest) -> None:
    """The quote goes back to draft so the consultant can change the discount."""
    quote = quote_lock(Quote(pk=request.object_id))
    if quote.state != Quote.State.PENDING_APPROVAL:
        return
    quote._sales_service_run = RUN_DISCOUNT_REJECTED
    transition_run(instance=quote, name="refuse", user=_decider(request), lock=False)
    quote._sales_service_run = ""
    decision = request.decisions.order_by("decided_at", "id").last()
    with in_site_language():
        title = _("Discount refused: %(quote)s") % {"quote": quote.lead.customer.name}
    notify(
        user=quote.consultant,
        key=f"leads:quote_discount:{request.pk}:rejected",
        title=title,
        body=decision.note if decision is not None else "",
        url=reverse("leads:quote", args=[quote.pk]),
    )


@transaction.atomic
def quote_accept(*, quote: Quote, user) -> Order:
    """The customer accepts: the quote is accepted and an order awaits its deposit."""
    quote = quote_lock(quote)
    require(quote_may_work(quote, user), _("Only the consultant or a manager may record the answer."))
    if quote.state == Quote.State.SENT and quote.valid_until < _today():
        raise TransitionConflict(_("The quote has expired; revise it for a new version."), state=quote.state)
    now = timezone.now()

    def stamp(obj: Quote) -> None:
        obj.decided_at = now

    quote = transition_run(instance=quote, name="accept", user=user, lock=False, before_save=stamp)
    rules = sales_settings_for(store=quote.store_id)
    return Order.objects.create(
        store_id=quote.store_id,
        lead=quote.lead,
        quote=quote,
        consultant=quote.consultant,
        total=quote.total,
        deposit_due=min(rules.deposit_amount, quote.total),
        vin="",
    )


@transaction.atomic
def quote_reject(*, quote: Quote, user, note: str = "") -> Quote:
    quote = quote_lock(quote)
    now = timezone.now()

    def stamp(obj: Quote) -> None:
        obj.decided_at = now

    return transition_run(instance=quote, name="reject", user=user, note=note, lock=False, before_save=stamp)


@transaction.atomic
def quote_revise(*, quote: Quote, user) -> Quote:
    """A new draft version with the same vehicle, lines and terms; the old version is kept as
    "replaced" (it can no longer be accepted)."""
    quote = quote_lock(quote)
    require(quote_may_work(quote, user), _("Only the consultant or a manager may revise this quote."))
    if quote.state == Quote.State.PENDING_APPROVAL:
        raise TransitionConflict(_("Wait for the discount decision before revising."), state=quote.state)
    latest = Quote.objects.filter(family_id=quote.family_id).order_by("-version").first()
    if latest.pk != quote.pk:
        raise TransitionConflict(_("Only the latest version can be revised."), state=quote.state)
    quote = transition_run(instance=quote, name="supersede", user=user, lock=False)
    lines = list(quote.lines.all())
    rules = sales_settings_for(store=quote.store_id)
    today = _today()
    new = Quote.objects.create(
        store_id=quote.store_id,
        lead_id=quote.lead_id,
        consultant_id=quote.consultant_id,
        family_id=quote.family_id,
        version=quote.version + 1,
        trim_colour_id=quote.trim_colour_id,
        vin=quote.vin,
        is_nev=quote.is_nev,
        vehicle_price=quote.vehicle_price,
        discount=quote.discount,
        consultant_limit=quote.consultant_limit,
        trade_in=quote.trade_in if quote.trade_in_id and quote.trade_in.valid_until >= today else None,
        invoice_date=max(quote.invoice_date, today),
        valid_until=today + dt.timedelta(days=rules.quote_valid_days),
        estimated_delivery=delivery_estimate(trim_colour=quote.trim_colour, store=quote.store_id, vin=quote.vin),
        language=quote.language,
        note=quote.note,
    )
    QuoteLine.objects.bulk_create(
        [
            QuoteLine(
                quote=new,
                kind=line.kind,
                item_id=line.item_id,
                description=line.description,
                quantity=line.quantity,
                unit_price=line.unit_price,
                amount=line.amount,
            )
            for line in lines
        ]
    )
    return quote_totals_store(quote=new)


# --- expiry -------------------------------------------------------------------------------------


def _expire_one(*, pk: int, today: dt.date) -> bool:
    with transaction.atomic():
        quote = (
            Quote.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("store", "consultant", "lead__customer")
            .filter(pk=pk, state=Quote.State.SENT, valid_until__lt=today)
            .first()
        )
        if quote is None:
            return False
        quote._sales_service_run = RUN_EXPIRY_TICK
        with in_site_language():
            note = _("Valid until %(day)s.") % {"day": quote.valid_until}
            title = _("Quote %(number)s expired: call %(customer)s") % {
                "number": quote.number,
                "customer": quote.lead.customer.name,
            }
        transition_run(instance=quote, name="expire", user=None, note=note, lock=False)
        due = timezone.make_aware(dt.datetime.combine(today + dt.timedelta(days=1), dt.time(10, 0)))
        followup_plan_schedule(
            plan_code=EXPIRED_PLAN,
            target=quote,
            store=quote.store,
            assignee=quote.consultant,
            due_at=due,
            kind="call",
            title=title[:200],
        )
    return True


def quotes_expire(*, store: Store | None = None, today: dt.date | None = None) -> int:
    """Expire every sent quote past its validity and plan a call for the consultant the next
    morning. Each quote in its own transaction; one being worked on is left for the next run."""
    today = today or _today()
    rows = Quote.objects.filter(state=Quote.State.SENT, valid_until__lt=today)
    if store is not None:
        rows = rows.filter(store=store)
    return sum(1 for pk in list(rows.values_list("pk", flat=True)) if _expire_one(pk=pk, today=today))


def quotes_expire_job(*, store: Store, day: dt.date) -> None:
    """The daily scheduled job (per car store)."""
    quotes_expire(store=store, today=day)


def check_may_see(quote: Quote, user) -> None:
    if not quote_may_work(quote, user):
        raise PermissionDenied(_("You are not allowed to do this."))
