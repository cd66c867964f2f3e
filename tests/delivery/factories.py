"""Factories of the delivery tests: deliveries on a minimal order (no ledger), repair tickets."""

import datetime as dt
from decimal import Decimal

import factory
from django.utils import timezone

from delivery.models import Delivery, RepairTicket
from leads.models import Order, Quote
from tests.factories import CustomerFactory
from tests.leads.factories import LeadFactory, TrimColourFactory


def _order(store, consultant, trim_colour):
    lead = LeadFactory(store=store, customer=CustomerFactory(store=store), consultant=consultant)
    today = timezone.localdate()
    quote = Quote.objects.create(
        store=store,
        lead=lead,
        consultant=consultant,
        trim_colour=trim_colour,
        vehicle_price=Decimal("200000.00"),
        invoice_date=today,
        valid_until=today + dt.timedelta(days=7),
        state="accepted",
    )
    return Order.objects.create(
        store=store,
        lead=lead,
        quote=quote,
        consultant=consultant,
        total=Decimal("200000.00"),
        deposit_due=Decimal("5000.00"),
        state="ready",
    )


class DeliveryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Delivery

    store = None
    consultant = None
    order = factory.LazyAttribute(lambda o: _order(o.store, o.consultant, o.trim_colour))
    customer = factory.LazyAttribute(lambda o: o.order.lead.customer)
    vin = factory.Sequence(lambda n: f"LSGTEST{n:010d}")
    vehicle_label = "GL8"
    scheduled_at = None

    class Params:
        trim_colour = factory.LazyFunction(TrimColourFactory)


class RepairTicketFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RepairTicket

    store = None
    received_by = None
    customer = factory.LazyAttribute(lambda o: CustomerFactory(store=o.store))
    number = factory.Sequence(lambda n: f"RT-2026-{n:06d}")
    product = "手机"
    model = "X1"
    fault = "无法开机"
    sale_source = "not_ours"
    state_since = factory.LazyFunction(timezone.now)
