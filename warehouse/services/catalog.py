"""Items, warehouses and bins: the warehouse supervisor (or purchasing, for items) keeps them."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from showroom import roles as r
from showroom.models import Store
from warehouse.models import Area, Bin, Item, ItemCategory, Warehouse
from warehouse.services._common import require_role

ITEM_EDITORS = (r.WAREHOUSE_SUPERVISOR, r.PURCHASING)


@transaction.atomic
def item_create(
    *,
    user,
    store: Store,
    code: str,
    name: str,
    tracking: str = Item.Tracking.QUANTITY,
    unit: str = Item.Unit.PIECE,
    specification: str = "",
    category: ItemCategory | None = None,
    list_price: Decimal | str = "0",
    reorder_point: Decimal | str = "0",
    vat_rate: Decimal | str = "13",
    warranty_months: int = 0,
    fragile: bool = False,
    external_ref: str = "",
) -> Item:
    """A new item (``store``: where the user holds the editing role; items are shared by all)."""
    require_role(user=user, store_id=store.pk, roles=ITEM_EDITORS)
    item = Item(
        code=(code or "").strip(),
        name=(name or "").strip(),
        tracking=tracking,
        unit=unit,
        specification=(specification or "").strip(),
        category=category,
        list_price=Decimal(str(list_price)),
        reorder_point=Decimal(str(reorder_point)),
        vat_rate=Decimal(str(vat_rate)),
        warranty_months=warranty_months,
        fragile=fragile,
        external_ref=(external_ref or "").strip(),
    )
    item.full_clean()
    if item.tracking == Item.Tracking.SERIAL and item.unit not in (Item.Unit.PIECE, Item.Unit.SET):
        raise ValidationError({"unit": [_("Serial-tracked goods are counted in pieces or sets.")]})
    if item.tracking == Item.Tracking.WEIGHT and item.unit not in (Item.Unit.GRAM, Item.Unit.KILOGRAM, Item.Unit.TONNE):
        raise ValidationError({"unit": [_("Goods tracked by weight are counted in g, kg or t.")]})
    item.save()
    return item


@transaction.atomic
def warehouse_create(
    *, user, store: Store, code: str, name: str, valuation: str = Warehouse.Valuation.MOVING
) -> Warehouse:
    """A warehouse of ``store`` with its first area and bin (``MAIN`` / ``A-01``)."""
    require_role(user=user, store_id=store.pk, roles=(r.WAREHOUSE_SUPERVISOR, r.GENERAL_MANAGER))
    warehouse = Warehouse(store=store, code=(code or "").strip(), name=(name or "").strip(), valuation=valuation)
    warehouse.full_clean()
    warehouse.save()
    area = Area.objects.create(warehouse=warehouse, code="main", name=_("Main area"))
    Bin.objects.create(warehouse=warehouse, area=area, code="A-01")
    return warehouse


@transaction.atomic
def bin_create(*, user, warehouse: Warehouse, code: str, area: Area | None = None) -> Bin:
    require_role(user=user, store_id=warehouse.store_id, roles=(r.WAREHOUSE_SUPERVISOR,))
    if area is not None and area.warehouse_id != warehouse.pk:
        raise ValidationError({"area": [_("The area is not in this warehouse.")]})
    row = Bin(warehouse=warehouse, area=area, code=(code or "").strip())
    row.full_clean()
    row.save()
    return row
