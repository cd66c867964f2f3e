"""Carrying out an approved change. The approval's handler runs inside the approving transaction
(its failure rolls the approval back, e.g. an exchange whose new unit was taken meanwhile)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from realestate.models import ChangeRequest, Receipt, Subscription, Unit
from realestate.pricing import discounted, unit_price
from showroom import roles as r
from showroom.models import Customer
from showroom.money import Percent
from showroom.services.documents import document_issue
from showroom.services.transitions import TransitionConflict, transition_run

from .._common import require_role
from ..cashier import receipt_take, receipts_take_back
from ..subscriptions import AGREEMENT_DOC, unit_taken_message
from ._common import change_of_approval, lock_subscription


def paid_receipts(*, subscription: Subscription):
    """Money received for this subscription and its contract and not refunded."""
    return Receipt.objects.filter(
        Q(subscription=subscription) | Q(contract__subscription=subscription),
        refunded_by__isnull=True,
    ).exclude(kind=Receipt.Kind.REFUND)


def live_receipts(*, subscription: Subscription):
    """Of those, the receipts the buyer still holds (not taken back)."""
    return paid_receipts(subscription=subscription).filter(taken_back_at__isnull=True)


def _stamp_decided(obj: ChangeRequest) -> None:
    obj.decided_at = timezone.now()


def _done(*, change: ChangeRequest, user) -> ChangeRequest:
    def stamp(obj):
        obj.done_at = timezone.now()

    return transition_run(instance=change, name="complete", user=user, lock=False, before_save=stamp)


def change_approved(*, request) -> None:
    """The approval handler of every change kind."""
    change = change_of_approval(request)
    if change is None:
        return
    decision = request.decisions.select_related("decider").order_by("-pk").first()
    user = decision.decider if decision is not None else None
    change = transition_run(instance=change, name="approve", user=user, lock=False, before_save=_stamp_decided)
    apply = {
        ChangeRequest.Kind.RENAME: _rename,
        ChangeRequest.Kind.EXTRA_DISCOUNT: _discount,
        ChangeRequest.Kind.EXCHANGE: _exchange,
        ChangeRequest.Kind.DELAY: _delay,
        ChangeRequest.Kind.CANCEL: lambda **kw: None,  # people carry it out: bureau, finance, cashier
    }[change.kind]
    apply(change=change, user=user)


def change_rejected(*, request) -> None:
    change = change_of_approval(request)
    if change is None:
        return
    transition_run(instance=change, name="reject", user=None, lock=False, before_save=_stamp_decided)


def _rename(*, change: ChangeRequest, user) -> None:
    sub = lock_subscription(change.subscription)
    sub.customer_id = change.new_customer_id
    sub.save(update_fields=["customer"])
    # The cashier takes back the old receipts and issues new ones in the new name (篇7 6.2.3).
    if not live_receipts(subscription=sub).exists():
        _done(change=change, user=user)


def _discount(*, change: ChangeRequest, user) -> None:
    sub = lock_subscription(change.subscription)
    amount = Percent(change.discount_pct).of(sub.total_price)
    sub.extra_discount_pct = change.discount_pct
    sub.extra_discount = amount
    sub.total_price = sub.total_price - amount
    sub.save(update_fields=["extra_discount_pct", "extra_discount", "total_price"])
    change.discount_amount = amount
    change.save(update_fields=["discount_amount"])
    _done(change=change, user=user)


def _delay(*, change: ChangeRequest, user) -> None:
    sub = lock_subscription(change.subscription)
    sub.sign_due_on = sub.sign_due_on + dt.timedelta(days=change.delay_days)
    sub.reminded_at = None
    sub.overdue_at = None
    fields = ["sign_due_on", "reminded_at", "overdue_at"]
    if not change.keep_discount and sub.extra_discount > 0:
        # 不继续享有认购时优惠政策 (除公司长期优惠政策外): the discount granted at the
        # subscription goes; the price list's payment-method discount (the long-term scheme) stays.
        sub.total_price = sub.total_price + sub.extra_discount
        sub.extra_discount = 0
        sub.extra_discount_pct = 0
        fields += ["total_price", "extra_discount", "extra_discount_pct"]
    sub.save(update_fields=fields)
    _done(change=change, user=user)


def _exchange(*, change: ChangeRequest, user) -> None:
    """The old agreement is withdrawn and a new one made on the new unit (same price list, same
    payment method, the same deposit and due date); the old unit is released."""
    old = lock_subscription(change.subscription)
    new_unit = (
        Unit.objects.select_for_update(of=("self",)).select_related("building", "project").get(pk=change.new_unit_id)
    )
    if new_unit.state != Unit.State.AVAILABLE:
        raise TransitionConflict(unit_taken_message(new_unit), state=new_unit.state)
    bases = {b.building_id: b.base_price_per_m2 for b in old.price_list.bases.all()}
    per_m2, list_total = unit_price(unit=new_unit, price_list=old.price_list, bases=bases)
    if list_total <= 0:
        raise TransitionConflict(_("The subscription's price list has no price for the new unit's building."))
    old_state = old.state
    transition_run(instance=old, name="void", user=None, lock=False, before_save=_reason(_("Exchanged")))

    def hold(obj):
        obj.holder_id = old.consultant_id

    transition_run(instance=new_unit, name="take_in_exchange", user=None, lock=False, before_save=hold)
    new = Subscription.objects.create(
        store_id=old.store_id,
        project_id=old.project_id,
        unit=new_unit,
        customer_id=old.customer_id,
        consultant_id=old.consultant_id,
        price_list=old.price_list,
        # the exchanged deal keeps the versions it was made under, its price list and its text
        agreement_template=old.agreement_template,
        payment_method=old.payment_method,
        list_price_per_m2=per_m2,
        list_total=list_total,
        method_discount_pct=old.method_discount_pct,
        total_price=discounted(total=list_total, discount_pct=old.method_discount_pct),
        deposit=old.deposit,
        approved_at=old.approved_at,
        sign_due_on=old.sign_due_on,
    )
    # The new agreement continues where the old one was (the same steps are already done).
    Subscription.objects.filter(pk=new.pk).update(state=old_state)
    new.refresh_from_db()
    if new.state == Subscription.State.APPROVED:
        document = document_issue(doc_type=AGREEMENT_DOC, target=new, store=new.store, user=None)
        new.number = document.number
        new.save(update_fields=["number"])
    old_unit = Unit.objects.select_for_update(of=("self",)).get(pk=old.unit_id)

    def free(obj):
        obj.holder = None

    transition_run(instance=old_unit, name="release_back", user=None, lock=False, before_save=free)
    change.new_subscription = new
    change.save(update_fields=["new_subscription"])
    if not live_receipts(subscription=old).exists():
        _done(change=change, user=user)


def _reason(text: str):
    def note(obj):
        obj.cancel_reason = str(text)[:200]

    return note


@transaction.atomic
def change_receipts_swap(*, user, change: ChangeRequest) -> ChangeRequest:
    """The cashier takes back the buyer's receipts and issues new ones: in the new name (rename)
    or for the new agreement (exchange) — 收回原收据, 开具新收据."""
    require_role(user=user, store_id=change.store_id, roles=(r.CASHIER,))
    change = ChangeRequest.objects.select_for_update().get(pk=change.pk)
    if change.state != ChangeRequest.State.APPROVED or change.kind not in (
        ChangeRequest.Kind.RENAME,
        ChangeRequest.Kind.EXCHANGE,
    ):
        raise TransitionConflict(_("There are no receipts to swap for this change."), state=change.state)
    old_sub = change.subscription
    target_sub = change.new_subscription or old_sub
    customer_id = change.new_customer_id or target_sub.customer_id
    customer = Customer.objects.get(pk=customer_id)
    receipts = list(live_receipts(subscription=old_sub).select_related("project"))
    receipts_take_back(receipts=receipts)
    for receipt in receipts:
        receipt_take(
            user=user,
            project=receipt.project,
            customer=customer,
            kind=receipt.kind,
            amount=receipt.amount,
            subscription=target_sub,
        )
    change.receipts_swapped_at = timezone.now()
    change.save(update_fields=["receipts_swapped_at"])
    return _done(change=change, user=user)
