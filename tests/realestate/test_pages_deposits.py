"""The VIP and small-deposit page: record, each role's button, the refund path; the small-deposit
form on the unit panel; a flat query count."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from realestate import services
from realestate.models import Receipt, SmallDeposit, Unit, VipCard
from tests.factories import CustomerFactory

pytestmark = pytest.mark.django_db


def _press(client, user, url_name, pk, name, **data):
    client.force_login(user)
    return client.post(reverse(url_name, args=[pk, name]), data)


def test_vip_through_the_page_with_the_refund(personas, site, buyer, client):
    project = site["project"]
    client.force_login(personas.consultant)
    client.post(
        reverse("realestate:vip_new", args=[project.pk]),
        {"mobile": "13812345678", "amount": "20000", "agreement_no": "RC-9"},
    )
    card = VipCard.objects.get()
    assert card.customer == buyer
    # the consultant sees no cashier's button; the cashier does
    page = client.get(reverse("realestate:deposits", args=[project.pk])).content.decode()
    assert 'data-transition="pay"' not in page
    client.force_login(personas.cashier)
    assert 'data-transition="pay"' in client.get(reverse("realestate:deposits", args=[project.pk])).content.decode()
    _press(client, personas.consultant, "realestate:vip_step", card.pk, "pay")
    assert VipCard.objects.get().state == "recorded"
    for user, name in (
        (personas.cashier, "pay"),
        (personas.sales_manager, "review"),
        (personas.sales_assistant, "issue"),
    ):
        _press(client, user, "realestate:vip_step", card.pk, name)
    card.refresh_from_db()
    assert (card.state, card.number) == ("issued", "VIP-000001")
    _press(client, personas.consultant, "realestate:vip_step", card.pk, "request_refund", reason="不买了")
    _press(client, personas.sales_manager, "realestate:vip_step", card.pk, "approve_refund")
    # the cashier's refund button appears only after the take-back
    client.force_login(personas.cashier)
    assert (
        'data-transition="refund"' not in client.get(reverse("realestate:deposits", args=[project.pk])).content.decode()
    )
    _press(client, personas.sales_assistant, "realestate:vip_step", card.pk, "take_back")
    _press(client, personas.cashier, "realestate:vip_step", card.pk, "refund")
    card.refresh_from_db()
    assert card.state == "refunded"
    assert Receipt.objects.filter(vip_card=card, kind="refund").count() == 1


def test_small_deposit_from_the_unit_panel(personas, site, buyer, client):
    unit = site["units"][0]
    client.force_login(personas.consultant)
    panel = client.get(reverse("realestate:unit", args=[unit.pk])).content.decode()
    assert 'data-testid="small-deposit-form"' in panel
    client.post(reverse("realestate:small_deposit_new", args=[unit.pk]), {"mobile": buyer.mobile, "amount": "25000"})
    assert not SmallDeposit.objects.exists()  # at or above the limit
    client.post(reverse("realestate:small_deposit_new", args=[unit.pk]), {"mobile": buyer.mobile, "amount": "5000"})
    row = SmallDeposit.objects.get()
    assert Unit.objects.get(pk=unit.pk).state == "small_deposit"
    for user, name in (
        (personas.sales_assistant, "record"),
        (personas.sales_manager, "review"),
        (personas.cashier, "pay"),
    ):
        _press(client, user, "realestate:small_deposit_step", row.pk, name)
    row.refresh_from_db()
    assert row.state == "paid"
    assert client.post(reverse("realestate:small_deposit_step", args=[row.pk, "convert"])).status_code == 404


def test_the_page_costs_the_same_for_few_and_many(personas, site, client):
    client.force_login(personas.sales_manager)
    url = reverse("realestate:deposits", args=[site["project"].pk])
    units = iter(site["units"])

    def add(n):
        for _i in range(n):
            customer = CustomerFactory(store=personas.store_a)
            services.vip_record(
                user=personas.consultant, project=site["project"], customer=customer, amount="1000", agreement_no="A"
            )
            services.small_deposit_apply(user=personas.consultant, unit=next(units), customer=customer, amount="1000")

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    add(1)
    few = count()
    add(4)
    assert count() == few
