"""VIP pre-registration (numbered per project, the choosing order; the refund against the original
receipt) and the small deposit (below the limit; lapses after the project's days)."""

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from realestate import services
from realestate.models import Building, Permit, Project, Receipt, SmallDeposit, Subscription, Unit, VipCard
from showroom.models import Document, Notification
from showroom.services.jobs import jobs_tick
from showroom.services.transitions import TransitionConflict
from tests.factories import CustomerFactory
from tests.realestate.factories import permits_make, price_list_make, project_make, site_make

pytestmark = pytest.mark.django_db
TZ = timezone.get_default_timezone()


def _vip_through(personas, project, customer, *, upto="issue"):
    card = services.vip_record(
        user=personas.consultant, project=project, customer=customer, amount="20000", agreement_no="RC-A-001"
    )
    for name, user, func in (
        ("pay", personas.cashier, services.vip_pay),
        ("review", personas.sales_manager, services.vip_review),
        ("issue", personas.sales_assistant, services.vip_issue),
    ):
        card = func(user=user, card=card)
        if name == upto:
            break
    return card


class TestVip:
    def test_cards_are_numbered_per_project_in_issue_order(self, personas, site, buyer):
        # given two projects of the store, each with the five permits
        other = project_make(store=site["project"].store, code="p-other", name="翠湖天地")
        permits_make(project=other, buildings=[Building.objects.create(project=other, name="A座")])
        second = CustomerFactory(store=personas.store_a, mobile="+8613900000002")
        # when cards are issued in both
        first_a = _vip_through(personas, site["project"], buyer)
        first_b = _vip_through(personas, other, buyer)
        second_a = _vip_through(personas, site["project"], second)
        # then each project counts from 1, and the sequence is the choosing order
        assert (first_a.number, second_a.number, first_b.number) == ("VIP-000001", "VIP-000002", "VIP-000001")
        assert (first_a.sequence, second_a.sequence) == (1, 2)
        assert Receipt.objects.filter(kind="vip", vip_card=first_a, amount=Decimal("20000.00")).count() == 1
        # and each card is a printable document of its project's numbering
        cards = Document.objects.filter(doc_type="realestate.vip").order_by("pk")
        assert [(d.number, d.scope) for d in cards] == [
            ("VIP-000001", f"project:{site['project'].pk}"),
            ("VIP-000001", f"project:{other.pk}"),
            ("VIP-000002", f"project:{site['project'].pk}"),
        ]

    def test_the_card_waits_for_payment_and_the_managers_review(self, personas, site, buyer):
        card = _vip_through(personas, site["project"], buyer, upto="pay")
        # the assistant cannot issue before the review (409), the consultant cannot review (403)
        with pytest.raises(TransitionConflict):
            services.vip_issue(user=personas.sales_assistant, card=card)
        with pytest.raises(PermissionDenied):
            services.vip_review(user=personas.consultant, card=card)
        card.refresh_from_db()
        assert (card.state, card.number) == (VipCard.State.PAID, "")

    def test_no_pre_registration_while_a_permit_is_missing(self, personas, buyer):
        project = project_make(store=personas.store_a, state=Project.State.PREPARING)
        permits_make(project=project, kinds=[k for k in Permit.Kind.values if k != Permit.Kind.PRESALE])
        with pytest.raises(TransitionConflict) as exc:
            services.vip_record(
                user=personas.consultant, project=project, customer=buyer, amount="20000", agreement_no="X1"
            )
        assert "Pre-sale permit" in exc.value.message or "预售" in exc.value.message
        assert not VipCard.objects.exists()

    def test_bad_input_names_the_fields(self, personas, site, buyer):
        with pytest.raises(ValidationError) as exc:
            services.vip_record(
                user=personas.consultant, project=site["project"], customer=buyer, amount="0", agreement_no=""
            )
        assert set(exc.value.message_dict) == {"amount", "agreement_no"}

    def test_refund_after_approval_and_take_back_against_the_original_receipt(self, personas, site, buyer):
        card = _vip_through(personas, site["project"], buyer)
        original = Receipt.objects.get(vip_card=card)
        with pytest.raises(ValidationError):
            services.vip_refund_request(user=personas.consultant, card=card, reason="")
        card = services.vip_refund_request(user=personas.consultant, card=card, reason="改买别的楼盘")
        # the cashier cannot refund before the manager approves
        with pytest.raises(TransitionConflict):
            services.vip_refund(user=personas.cashier, card=card)
        card = services.vip_refund_approve(user=personas.sales_manager, card=card)
        # nor before the card and agreement are back
        with pytest.raises(TransitionConflict):
            services.vip_refund(user=personas.cashier, card=card)
        with pytest.raises(PermissionDenied):
            services.vip_take_back(user=personas.cashier, card=card)
        card = services.vip_take_back(user=personas.sales_assistant, card=card)
        refund = services.vip_refund(user=personas.cashier, card=card)
        card.refresh_from_db()
        original.refresh_from_db()
        assert card.state == VipCard.State.REFUNDED and card.card_returned
        assert (refund.kind, refund.amount, refund.refund_of_id) == ("refund", Decimal("-20000.00"), original.pk)
        assert original.taken_back_at is not None


class TestSmallDeposit:
    def test_below_the_limit_only_and_the_unit_shows_it(self, personas, site, buyer):
        unit = site["units"][0]
        with pytest.raises(ValidationError) as exc:
            services.small_deposit_apply(user=personas.consultant, unit=unit, customer=buyer, amount="20000")
        assert "amount" in exc.value.message_dict
        assert Unit.objects.get(pk=unit.pk).state == Unit.State.AVAILABLE
        deposit = services.small_deposit_apply(user=personas.consultant, unit=unit, customer=buyer, amount="5000")
        assert Unit.objects.get(pk=unit.pk).state == Unit.State.SMALL_DEPOSIT
        assert deposit.expires_on == timezone.localdate() + dt.timedelta(days=3)

    def test_steps_in_order_with_a_receipt_and_another_buyer_is_refused(self, personas, site, buyer):
        unit = site["units"][0]
        deposit = services.small_deposit_apply(user=personas.consultant, unit=unit, customer=buyer, amount="5000")
        with pytest.raises(TransitionConflict):
            services.small_deposit_pay(user=personas.cashier, deposit=deposit)
        deposit = services.small_deposit_record(user=personas.sales_assistant, deposit=deposit)
        with pytest.raises(PermissionDenied):
            services.small_deposit_review(user=personas.sales_assistant, deposit=deposit)
        deposit = services.small_deposit_review(user=personas.sales_manager, deposit=deposit)
        deposit = services.small_deposit_pay(user=personas.cashier, deposit=deposit)
        assert Receipt.objects.get(small_deposit=deposit).amount == Decimal("5000.00")
        # another buyer cannot subscribe the unit: 409 naming the holder
        other = CustomerFactory(store=personas.store_a, mobile="+8613900000009")
        with pytest.raises(services.UnitUnavailable):
            services.subscription_create(
                user=personas.sales_manager, unit=unit, customer=other, payment_method="full", deposit="50000"
            )
        # the same buyer's subscription converts it
        services.subscription_create(
            user=personas.consultant, unit=unit, customer=buyer, payment_method="full", deposit="50000"
        )
        deposit.refresh_from_db()
        assert deposit.state == SmallDeposit.State.CONVERTED
        assert Unit.objects.get(pk=unit.pk).state == Unit.State.SUBSCRIBED

    def test_lapses_after_its_days_with_time_travel(self, personas, buyer):
        project, _b, units, _pl = site_make(personas)
        start = timezone.make_aware(dt.datetime(2026, 5, 4, 10, 0), TZ)
        with time_machine.travel(start, tick=False):
            price_list_make(project=project, user=personas.sales_manager)
            kept = services.small_deposit_apply(user=personas.consultant, unit=units[0], customer=buyer, amount="5000")
            other = CustomerFactory(store=personas.store_a, mobile="+8613900000010")
            subscribed = services.small_deposit_apply(
                user=personas.consultant, unit=units[1], customer=other, amount="5000"
            )
            services.subscription_create(
                user=personas.consultant, unit=units[1], customer=other, payment_method="full", deposit="50000"
            )
        assert kept.expires_on == dt.date(2026, 5, 7)
        for day, state in [(7, Unit.State.SMALL_DEPOSIT), (8, Unit.State.AVAILABLE)]:
            with time_machine.travel(timezone.make_aware(dt.datetime(2026, 5, day, 1, 0), TZ), tick=False):
                jobs_tick()
            assert Unit.objects.get(pk=units[0].pk).state == state, day
        kept.refresh_from_db()
        assert kept.state == SmallDeposit.State.LAPSED
        assert Unit.objects.get(pk=units[0].pk).holder_id is None
        # the subscribed unit is untouched
        assert Unit.objects.get(pk=units[1].pk).state == Unit.State.SUBSCRIBED
        assert Subscription.objects.get(unit=units[1]).state == "requested"
        assert SmallDeposit.objects.get(pk=subscribed.pk).state == SmallDeposit.State.CONVERTED
        assert Notification.objects.filter(
            user=personas.consultant, key=f"realestate.small_deposit_lapsed.{kept.pk}"
        ).exists()
