"""Fixtures of the quote and order tests (imported by tests/leads/test_quotes*.py and
test_orders*.py): store A sells a GL8 trim in white (linked to its warehouse item, two cars in
stock), an NEV, accessory packages and service items; a lead of store A's consultant."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from leads.models import AppraisalRequest
from showroom.models import AuthorityRule, Role
from tests.factories import CustomerFactory
from tests.leads.factories import ColourFactory, LeadFactory, TrimColourFactory, TrimFactory, VehicleModelFactory
from tests.warehouse.factories import BinFactory, ItemFactory, WarehouseFactory, vin_with_check_digit
from warehouse.models import Item
from warehouse.services import stock_move_append

VIN1 = vin_with_check_digit("LSGUA84W0NE12345")
VIN2 = vin_with_check_digit("LSGUA84W0NE12346")


class Shop:
    pass


@pytest.fixture
def shop(personas):
    s = Shop()
    s.model = VehicleModelFactory(name="GL8", segment="mpv", consultant_discount_limit=Decimal("3000.00"))
    s.trim = TrimFactory(vehicle_model=s.model, name="陆尊 653T 豪华型", list_price=Decimal("229900.00"))
    colour = ColourFactory(vehicle_model=s.model, name="珍珠白", code="GAZ")
    s.car_item = ItemFactory(code="GL8-GAZ", name="GL8 珍珠白", tracking=Item.Tracking.SERIAL, list_price="229900")
    s.tc = TrimColourFactory(
        trim=s.trim, colour=colour, list_price=Decimal("231900.00"), warehouse_item_id=s.car_item.pk
    )
    s.nev_model = VehicleModelFactory(name="微蓝6", segment="nev", consultant_discount_limit=Decimal("4000.00"))
    nev_trim = TrimFactory(vehicle_model=s.nev_model, name="纯电 互联智享型", list_price=Decimal("179800.00"))
    s.nev_tc = TrimColourFactory(trim=nev_trim, colour=ColourFactory(vehicle_model=s.nev_model, name="云母白"))
    s.warehouse = WarehouseFactory(store=personas.store_a, code="cars", name="整车库")
    s.bin = BinFactory(warehouse=s.warehouse, code="CAR-01")
    for vin in (VIN1, VIN2):
        stock_move_append(
            item=s.car_item,
            warehouse=s.warehouse,
            bin=s.bin,
            quantity=1,
            kind="other_in",
            unit_cost="200000",
            serial=vin,
        )
    s.mats = ItemFactory(code="MATS", name="全包围脚垫", tracking=Item.Tracking.QUANTITY, list_price="1288.50")
    s.film = ItemFactory(code="FILM", name="隔热膜套装", tracking=Item.Tracking.QUANTITY, list_price="3999.99")
    s.insurance = ItemFactory(code="INS", name="商业险代办", tracking=Item.Tracking.SERVICE, list_price="5432.10")
    s.warranty = ItemFactory(code="EXW", name="延保服务", tracking=Item.Tracking.SERVICE, list_price="2980.00")
    s.service = ItemFactory(code="SVC", name="保养套餐", tracking=Item.Tracking.SERVICE, list_price="1200.00")
    s.fee = ItemFactory(code="REG", name="上牌服务", tracking=Item.Tracking.SERVICE, list_price="500.00")
    # The store's own limit for the sales manager: 8,000 (the general manager above).
    AuthorityRule.objects.create(
        kind="leads.quote_discount",
        step=1,
        role=Role.objects.get(code="sales_manager"),
        store=personas.store_a,
        limit=Decimal("8000.00"),
    )
    s.lead = LeadFactory(
        store=personas.store_a,
        customer=CustomerFactory(store=personas.store_a, name="王先生"),
        consultant=personas.consultant,
        vehicle_model=s.model,
        state="visited",
    )
    return s


@pytest.fixture
def accepted_trade_in(personas, shop):
    from leads.services.appraisals import appraisal_answer, appraisal_record

    request = AppraisalRequest.objects.create(
        lead=shop.lead, store=personas.store_a, car_details="大众 帕萨特 2018", requested_by=personas.consultant
    )
    appraisal = appraisal_record(
        request=request,
        user=personas.appraiser,
        make="大众",
        model="帕萨特",
        year=2018,
        mileage_km=86000,
        offer="60000",
        valid_days=7,
        condition=[{"item": "车身外观", "ok": True}],
    )
    return appraisal_answer(appraisal=appraisal, user=personas.consultant, accepted=True)


def today() -> dt.date:
    return timezone.localdate()
