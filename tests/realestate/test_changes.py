"""Changes to a subscription (篇7 6–9, 11): each rule at its boundaries, each window, each quota."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from realestate.models import ChangeRequest, Receipt, Subscription, Unit
from realestate.services import changes as ch
from showroom.models import ApprovalRequest
from showroom.services.approvals import approval_approve, approval_reject
from showroom.services.transitions import TransitionConflict
from tests.factories import CustomerFactory
from tests.realestate.conftest import subscribe_through
from tests.realestate.factories import site_make

pytestmark = pytest.mark.django_db


def _subs(personas, units, upto="create"):
    subs = []
    for n, unit in enumerate(units):
        buyer = CustomerFactory(store=personas.store_a, name=f"买家{n}", mobile=f"+86138000{n:05d}")
        subs.append(
            subscribe_through(personas, unit, buyer, upto=upto) if upto != "create" else _create(personas, unit, buyer)
        )
    return subs


def _create(personas, unit, buyer):
    from realestate import services

    return services.subscription_create(
        user=personas.consultant, unit=unit, customer=buyer, payment_method="full", deposit="50000"
    )


def _routed(change) -> str:
    return ApprovalRequest.objects.get(pk=change.approval_id).routed_role.code


def _approve(change, user):
    return approval_approve(request=ApprovalRequest.objects.get(pk=change.approval_id), user=user)


def _fresh(obj):
    return type(obj).objects.get(pk=obj.pk)


# --- extra discount -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("percent", "role"),
    [("1", "sales_manager"), ("1.01", "marketing_director"), ("3", "marketing_director"), ("3.01", "general_manager")],
)
def test_an_extra_discount_is_routed_by_its_share_of_the_price(personas, site, buyer, percent, role):
    sub = subscribe_through(personas, site["units"][0], buyer)
    change = ch.change_discount_request(user=personas.consultant, subscription=sub, percent=percent, reason="老客户")
    assert _routed(change) == role


def test_an_approved_extra_discount_lowers_the_price(personas, site, buyer):
    sub = subscribe_through(personas, site["units"][0], buyer)
    change = ch.change_discount_request(user=personas.consultant, subscription=sub, percent="1", reason="老客户")
    _approve(change, personas.sales_manager)
    sub = _fresh(sub)
    # 1,988,500 × 1 % = 19,885
    assert sub.extra_discount == Decimal("19885.00") and sub.total_price == Decimal("1968615.00")
    assert _fresh(change).state == ChangeRequest.State.DONE and _fresh(change).discount_amount == Decimal("19885.00")


def test_the_manager_cannot_approve_above_his_one_percent(personas, site, buyer):
    sub = subscribe_through(personas, site["units"][0], buyer)
    change = ch.change_discount_request(user=personas.consultant, subscription=sub, percent="2", reason="团购")
    with pytest.raises(PermissionDenied):
        _approve(change, personas.sales_manager)
    _approve(change, personas.marketing_director)
    assert _fresh(sub).extra_discount_pct == Decimal("2.00")


def test_with_20_subscriptions_a_4th_manager_level_discount_is_refused_and_the_director_approves_it(personas):
    _project, _b, units, _pl = site_make(personas, floors=10, per_floor=2)
    subs = _subs(personas, units)
    assert len(subs) == 20
    changes = [
        ch.change_discount_request(user=personas.consultant, subscription=s, percent="1", reason="老客户")
        for s in subs[:4]
    ]
    for change in changes[:3]:  # 3 of 20 = 15 %: at the limit
        _approve(change, personas.sales_manager)
    with pytest.raises(TransitionConflict) as refused:  # 4 of 20 = 20 % > 15 %
        _approve(changes[3], personas.sales_manager)
    assert "15%" in str(refused.value) and "Escalate" in str(refused.value)
    assert _fresh(changes[3]).state == ChangeRequest.State.PENDING
    _approve(changes[3], personas.marketing_director)
    assert _fresh(subs[3]).extra_discount_pct == Decimal("1.00")


def test_an_extra_discount_is_refused_after_the_contract_is_drawn_up(personas, site, buyer):
    from tests.realestate.test_changes_cancel import contract_through

    contract = contract_through(personas, site, buyer, upto="draft")
    with pytest.raises(TransitionConflict) as refused:
        ch.change_discount_request(
            user=personas.consultant, subscription=contract.subscription, percent="1", reason="老客户"
        )
    assert "before the formal contract" in str(refused.value)


def test_a_discount_request_needs_a_reason_and_a_percentage(personas, site, buyer):
    sub = subscribe_through(personas, site["units"][0], buyer)
    with pytest.raises(ValidationError) as refused:
        ch.change_discount_request(user=personas.consultant, subscription=sub, percent="abc", reason=" ")
    assert set(refused.value.message_dict) == {"percent", "reason"}
    assert not ChangeRequest.objects.exists()


# --- rename ----------------------------------------------------------------------------------


def test_a_rename_changes_the_buyer_and_the_cashier_swaps_the_receipts(personas, site, buyer):
    sub = subscribe_through(personas, site["units"][0], buyer)
    new_buyer = CustomerFactory(store=personas.store_a, name="李娜", mobile="+8613900000001")
    change = ch.change_rename_request(user=personas.consultant, subscription=sub, new_customer=new_buyer, reason="夫妻")
    assert _routed(change) == "sales_manager"
    _approve(change, personas.sales_manager)
    assert _fresh(sub).customer_id == new_buyer.pk
    assert _fresh(change).state == ChangeRequest.State.APPROVED  # the receipts are still in the old name
    with pytest.raises(PermissionDenied):
        ch.change_receipts_swap(user=personas.consultant, change=change)
    ch.change_receipts_swap(user=personas.cashier, change=change)
    old, new = Receipt.objects.filter(kind="deposit").order_by("pk")
    assert old.customer_id == buyer.pk and old.taken_back_at is not None
    assert new.customer_id == new_buyer.pk and new.amount == old.amount and new.taken_back_at is None
    assert _fresh(change).state == ChangeRequest.State.DONE


def test_renames_are_at_most_30_percent_of_the_subscriptions(personas):
    _p, _b, units, _pl = site_make(personas, floors=10, per_floor=2)
    subs = _subs(personas, units)
    others = [CustomerFactory(store=personas.store_a, mobile=f"+86139100{n:05d}") for n in range(7)]
    changes = [
        ch.change_rename_request(user=personas.consultant, subscription=s, new_customer=c, reason="更名")
        for s, c in zip(subs[:7], others, strict=True)
    ]
    for change in changes[:6]:  # 6 of 20 = 30 %
        _approve(change, personas.sales_manager)
    with pytest.raises(TransitionConflict):  # 7 of 20 = 35 %
        _approve(changes[6], personas.sales_manager)


def test_a_rename_is_refused_after_the_formal_contract(personas, site, buyer):
    from tests.realestate.test_changes_cancel import contract_through

    contract = contract_through(personas, site, buyer, upto="sign")
    other = CustomerFactory(store=personas.store_a)
    with pytest.raises(TransitionConflict):
        ch.change_rename_request(
            user=personas.consultant, subscription=contract.subscription, new_customer=other, reason="x"
        )


# --- exchange --------------------------------------------------------------------------------


def test_an_exchange_to_a_larger_unit_is_the_managers_to_a_smaller_the_directors(personas, site, buyer):
    units = site["units"]
    Unit.objects.filter(pk=units[1].pk).update(built_area=Decimal("120.00"))
    Unit.objects.filter(pk=units[2].pk).update(built_area=Decimal("99.99"))
    sub = subscribe_through(personas, units[0], buyer)
    larger = ch.change_exchange_request(
        user=personas.consultant, subscription=sub, new_unit=_fresh(units[1]), reason="大"
    )
    assert _routed(larger) == "sales_manager"
    approval_reject(request=larger.approval, user=personas.sales_manager, note="不行")
    assert _fresh(larger).state == ChangeRequest.State.REJECTED
    smaller = ch.change_exchange_request(
        user=personas.consultant, subscription=sub, new_unit=_fresh(units[2]), reason="小"
    )
    assert _routed(smaller) == "marketing_director"
    with pytest.raises(PermissionDenied):
        _approve(smaller, personas.sales_manager)
    _approve(smaller, personas.marketing_director)
    old, new = _fresh(sub), _fresh(smaller).new_subscription
    assert old.state == Subscription.State.CANCELLED and new.state == Subscription.State.APPROVED
    assert new.unit_id == units[2].pk and new.number.startswith("SA-") and new.number != old.number
    assert _fresh(units[0]).state == Unit.State.AVAILABLE and _fresh(units[2]).state == Unit.State.SUBSCRIBED
    # unit 201 at 99.99 m²: (20,000 + 100 a floor + 500 south) × 99.99 = 2,059,794.00,
    # less 3 % (61,793.82) = 1,998,000.18
    assert new.total_price == Decimal("1998000.18")
    ch.change_receipts_swap(user=personas.cashier, change=smaller)
    assert Receipt.objects.get(subscription=new, kind="deposit").amount == Decimal("50000.00")
    assert Receipt.objects.get(subscription=old, kind="deposit").taken_back_at is not None


def test_an_exchange_needs_an_available_unit_at_request_and_at_approval(personas, site, buyer):
    units = site["units"]
    sub = subscribe_through(personas, units[0], buyer)
    other = CustomerFactory(store=personas.store_a, mobile="+8613911111111")
    _create(personas, units[3], other)
    with pytest.raises(ValidationError) as refused:
        ch.change_exchange_request(user=personas.consultant, subscription=sub, new_unit=_fresh(units[3]), reason="x")
    assert "new_unit" in refused.value.message_dict
    change = ch.change_exchange_request(
        user=personas.consultant, subscription=sub, new_unit=_fresh(units[1]), reason="x"
    )
    _create(personas, units[1], other)  # taken meanwhile
    with pytest.raises(TransitionConflict):
        _approve(change, personas.sales_manager)
    assert _fresh(change).state == ChangeRequest.State.PENDING and _fresh(sub).state == Subscription.State.APPROVED


# --- delayed signing -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("days", "keep", "role"),
    [
        (7, True, "sales_manager"),
        (8, True, "marketing_director"),
        (15, True, "marketing_director"),
        (16, True, "general_manager"),
        (30, True, "general_manager"),
        (15, False, "sales_manager"),
        (16, False, "marketing_director"),
        (30, False, "marketing_director"),
        (31, False, "general_manager"),
        (60, False, "general_manager"),
    ],
)
def test_a_delay_is_routed_by_its_days_and_the_discount(personas, site, buyer, days, keep, role):
    sub = subscribe_through(personas, site["units"][0], buyer)
    change = ch.change_delay_request(
        user=personas.consultant, subscription=sub, days=days, keep_discount=keep, reason="资金"
    )
    assert _routed(change) == role


@pytest.mark.parametrize(("days", "keep"), [(31, True), (61, False)])
def test_a_delay_beyond_the_general_managers_days_is_refused(personas, site, buyer, days, keep):
    sub = subscribe_through(personas, site["units"][0], buyer)
    with pytest.raises(ValidationError) as refused:
        ch.change_delay_request(user=personas.consultant, subscription=sub, days=days, keep_discount=keep, reason="x")
    assert "days" in refused.value.message_dict
    assert not ChangeRequest.objects.exists()


def test_an_approved_delay_moves_the_due_date_and_losing_the_discount_drops_it(personas, site, buyer):
    sub = subscribe_through(personas, site["units"][0], buyer)
    discount = ch.change_discount_request(user=personas.consultant, subscription=sub, percent="1", reason="老客户")
    _approve(discount, personas.sales_manager)
    due = _fresh(sub).sign_due_on
    delay = ch.change_delay_request(
        user=personas.consultant, subscription=sub, days=15, keep_discount=False, reason="x"
    )
    _approve(delay, personas.sales_manager)
    sub = _fresh(sub)
    assert sub.sign_due_on == due + dt.timedelta(days=15)
    assert sub.extra_discount == 0 and sub.total_price == Decimal("1988500.00")


def test_a_delay_needs_a_reviewed_subscription(personas, site, buyer):
    sub = subscribe_through(personas, site["units"][0], buyer, upto="pay")
    with pytest.raises(TransitionConflict):
        ch.change_delay_request(user=personas.consultant, subscription=sub, days=7, keep_discount=True, reason="x")


def test_both_delay_kinds_draw_on_one_quota_of_15_percent_of_the_units(personas):
    _p, _b, units, _pl = site_make(personas, floors=10, per_floor=2)  # 20 units: 3 delays
    subs = _subs(personas, units[:4], upto="approve")
    changes = [
        ch.change_delay_request(
            user=personas.consultant, subscription=s, days=7, keep_discount=n % 2 == 0, reason="资金"
        )
        for n, s in enumerate(subs)
    ]
    for change in changes[:3]:  # keep, lose, keep: 15 %
        _approve(change, personas.sales_manager)
    for decider in (personas.sales_manager, personas.marketing_director, personas.general_manager):
        with pytest.raises(TransitionConflict):  # a 4th of either kind, at any level
            _approve(changes[3], decider)


def test_one_open_change_per_subscription(personas, site, buyer):
    sub = subscribe_through(personas, site["units"][0], buyer)
    ch.change_discount_request(user=personas.consultant, subscription=sub, percent="1", reason="x")
    with pytest.raises(TransitionConflict):
        ch.change_delay_request(user=personas.consultant, subscription=sub, days=7, keep_discount=True, reason="x")
