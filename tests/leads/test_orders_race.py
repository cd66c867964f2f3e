# ruff: noqa: F811  (pytest fixtures imported from tests.leads.quotes_fixtures)
"""Two consultants allocate the same VIN to their orders at the same moment, on PostgreSQL with
real transactions: one wins, the other gets the 409 and its order stays unallocated."""

import pytest

from leads.models import Order
from leads.services.orders import order_allocate, order_deposit_take
from leads.services.quotes import quote_accept, quote_create, quote_send
from showroom.api.errors import exception_handler
from tests.factories import CustomerFactory
from tests.leads.factories import LeadFactory
from tests.leads.quotes_fixtures import VIN1, shop  # noqa: F401
from tests.races import race
from warehouse.models import Reservation

pytestmark = pytest.mark.django_db(transaction=True)


def _order(personas, shop, consultant):
    lead = LeadFactory(
        store=personas.store_a, customer=CustomerFactory(store=personas.store_a), consultant=consultant, state="visited"
    )
    quote = quote_send(quote=quote_create(lead=lead, user=consultant, trim_colour=shop.tc), user=consultant)
    order = quote_accept(quote=quote, user=consultant)
    order_deposit_take(order=order, user=consultant, method="cash")
    return order


def test_two_orders_racing_for_the_same_vin_one_wins(personas, shop, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    # given two orders with their deposits paid, by the consultant and by the sales manager
    first = _order(personas, shop, personas.consultant)
    second = _order(personas, shop, personas.sales_manager)

    # when both allocate VIN1 at the same moment
    results, errors = race(
        lambda: order_allocate(order=first, user=personas.consultant, vin=VIN1),
        lambda: order_allocate(order=second, user=personas.sales_manager, vin=VIN1),
    )
    # then one wins, the other gets a 409, and the VIN has exactly one active reservation
    assert len(results) == 1 and len(errors) == 1, errors
    response = exception_handler(errors[0], {})
    assert response is not None and response.status_code == 409
    assert Reservation.objects.filter(serial__number=VIN1, state="active").count() == 1
    states = sorted(Order.objects.filter(pk__in=[first.pk, second.pk]).values_list("state", "vin"))
    assert states == [("allocated", VIN1), ("deposit_paid", "")]
