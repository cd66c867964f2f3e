import pytest

from tests.factories import CustomerFactory
from tests.realestate.factories import site_make


@pytest.fixture
def site(personas):
    project, building, units, price_list = site_make(personas)
    return {"project": project, "building": building, "units": units, "price_list": price_list}


@pytest.fixture
def buyer(personas):
    return CustomerFactory(store=personas.store_a, name="张伟", mobile="+8613812345678")


def subscribe_through(personas, unit, buyer, *, method="full", deposit="50000", upto="approve"):
    """Run a subscription through its steps as the right people, up to ``upto``."""
    from realestate import services

    sub = services.subscription_create(
        user=personas.consultant, unit=unit, customer=buyer, payment_method=method, deposit=deposit
    )
    steps = [
        ("issue_slip", personas.sales_assistant, services.subscription_issue_slip),
        ("pay", personas.cashier, services.subscription_pay),
        ("approve", personas.sales_manager, services.subscription_approve),
    ]
    for name, user, func in steps:
        sub = func(user=user, subscription=sub)
        if name == upto:
            break
    return sub
