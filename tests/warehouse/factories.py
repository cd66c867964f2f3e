import factory

from tests.factories import StoreFactory
from warehouse.models import Area, Bin, Item, ItemCategory, Supplier, Warehouse


class ItemCategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ItemCategory
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"cat{n}")
    name = factory.Sequence(lambda n: f"类别{n}")


class ItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Item

    code = factory.Sequence(lambda n: f"IT{n:05d}")
    name = factory.Sequence(lambda n: f"商品{n}")
    specification = "标准"
    category = factory.SubFactory(ItemCategoryFactory)
    tracking = Item.Tracking.QUANTITY
    unit = Item.Unit.PIECE
    list_price = "100.00"


class SupplierFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Supplier

    code = factory.Sequence(lambda n: f"sup{n}")
    name = factory.Sequence(lambda n: f"供应商{n}")


class WarehouseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Warehouse

    store = factory.SubFactory(StoreFactory)
    code = factory.Sequence(lambda n: f"wh{n}")
    name = factory.Sequence(lambda n: f"仓库{n}")
    valuation = Warehouse.Valuation.MOVING


class AreaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Area

    warehouse = factory.SubFactory(WarehouseFactory)
    code = factory.Sequence(lambda n: f"area{n}")
    name = "主区"


class BinFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Bin

    warehouse = factory.SubFactory(WarehouseFactory)
    code = factory.Sequence(lambda n: f"B-{n:03d}")


def vin_with_check_digit(body: str) -> str:
    """A VIN of 17 characters: ``body`` is 16 characters (the 9th place, the check digit, is
    computed per ISO 3779 / FMVSS 115)."""
    from warehouse.demo import vin_check_digit

    assert len(body) == 16
    return body[:8] + vin_check_digit(body[:8] + "0" + body[8:]) + body[8:]
