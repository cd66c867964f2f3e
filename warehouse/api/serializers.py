"""Serializers of the warehouse API: output of each resource, and input checked for shape only
(the rules live in the services). Related ids are looked up among the user's stores, so a
record of another store is "does not exist" (400), never a leak."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from showroom.api.transitions import StateSerializerMixin
from showroom.models import Store
from showroom.permissions import store_ids_for
from warehouse.models import (
    Bin,
    GoodsReceipt,
    GoodsReceiptLine,
    Item,
    ItemCategory,
    OtherReceipt,
    PurchaseOrder,
    PurchaseOrderLine,
    Reservation,
    Serial,
    StockLevel,
    StockMove,
    Supplier,
    Transfer,
    TransferLine,
    Warehouse,
)

DEC = {"max_digits": 14, "decimal_places": 3}
COST = {"max_digits": 14, "decimal_places": 4, "min_value": 0}


class ScopedPK(serializers.PrimaryKeyRelatedField):
    """A related id among the records of the user's stores (``store_path`` names the store)."""

    def __init__(self, *, store_path: str, **kwargs):
        self.store_path = store_path
        super().__init__(**kwargs)

    def get_queryset(self):
        request = self.context.get("request")
        ids = store_ids_for(request.user) if request else []
        return super().get_queryset().filter(**{f"{self.store_path}__in": ids})


def warehouse_field(**kw):
    return ScopedPK(queryset=Warehouse.objects.all(), store_path="store_id", **kw)


def bin_field(**kw):
    return ScopedPK(queryset=Bin.objects.all(), store_path="warehouse__store_id", **kw)


def item_field(**kw):
    return serializers.PrimaryKeyRelatedField(queryset=Item.objects.filter(is_active=True), **kw)


UNIT_HELP = "piece, set, g, kg or t"


class ItemSerializer(serializers.ModelSerializer):
    category_name = serializers.CharField(source="category.name", read_only=True, default=None)
    # Plain text, checked by the model: an enum named "unit" would collide in the schema with the
    # approvals' unit.
    unit = serializers.CharField(max_length=8, required=False, default="piece", help_text=UNIT_HELP)

    class Meta:
        model = Item
        fields = [
            "id",
            "code",
            "name",
            "specification",
            "category",
            "category_name",
            "unit",
            "tracking",
            "list_price",
            "reorder_point",
            "vat_rate",
            "warranty_months",
            "fragile",
            "external_ref",
            "is_active",
        ]
        read_only_fields = ["id", "is_active"]


class ItemCreateSerializer(ItemSerializer):
    store = ScopedPK(queryset=Store.objects.all(), store_path="pk")
    category = serializers.PrimaryKeyRelatedField(queryset=ItemCategory.objects.all(), required=False, allow_null=True)

    class Meta(ItemSerializer.Meta):
        fields = [*ItemSerializer.Meta.fields, "store"]
        validators: list = []  # the service reports a taken code


class WarehouseSerializer(serializers.ModelSerializer):
    bins = serializers.SerializerMethodField()

    class Meta:
        model = Warehouse
        fields = ["id", "store", "code", "name", "valuation", "bins"]

    def get_bins(self, obj) -> list[dict]:
        return [{"id": b.pk, "code": b.code} for b in obj.bins.all()]


class StockLevelSerializer(serializers.ModelSerializer):
    item_code = serializers.CharField(source="item.code")
    item_name = serializers.CharField(source="item.name")
    tracking = serializers.CharField(source="item.tracking")
    unit = serializers.CharField(source="item.unit")
    category = serializers.CharField(source="item.category.name", default=None)
    warehouse_name = serializers.CharField(source="warehouse.name")
    available = serializers.DecimalField(**DEC, read_only=True)
    serials = serializers.SerializerMethodField()

    class Meta:
        model = StockLevel
        fields = [
            "id",
            "item",
            "item_code",
            "item_name",
            "tracking",
            "unit",
            "category",
            "warehouse",
            "warehouse_name",
            "quantity",
            "reserved",
            "available",
            "value",
            "serials",
        ]

    def get_serials(self, obj) -> list[str]:
        return self.context.get("serials", {}).get((obj.item_id, obj.warehouse_id), [])


class StockMoveSerializer(serializers.ModelSerializer):
    serial_number = serializers.CharField(source="serial.number", default=None)
    bin_code = serializers.CharField(source="bin.code")
    by = serializers.CharField(source="created_by.username", default=None)

    class Meta:
        model = StockMove
        fields = [
            "id",
            "item",
            "warehouse",
            "bin",
            "bin_code",
            "serial_number",
            "kind",
            "quantity",
            "unit_cost",
            "value",
            "cost_pending",
            "reverses",
            "reason",
            "source_label",
            "by",
            "created_at",
        ]


class ReservationSerializer(serializers.ModelSerializer):
    serial_number = serializers.CharField(source="serial.number", default=None)

    class Meta:
        model = Reservation
        fields = ["id", "item", "warehouse", "serial_number", "quantity", "state", "document_label", "created_at"]


class ReservationInputSerializer(serializers.Serializer):
    item = item_field()
    warehouse = warehouse_field()
    quantity = serializers.DecimalField(**DEC, required=False, allow_null=True)
    serial = serializers.CharField(max_length=40, required=False, allow_blank=True)
    document_label = serializers.CharField(max_length=80, required=False, allow_blank=True, default="")


class ReverseInputSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=255)


class SerialSerializer(serializers.ModelSerializer):
    class Meta:
        model = Serial
        fields = ["id", "number", "state", "warehouse", "bin"]


class PurchaseOrderLineSerializer(serializers.ModelSerializer):
    open_quantity = serializers.DecimalField(**DEC, read_only=True)

    class Meta:
        model = PurchaseOrderLine
        fields = [
            "id",
            "item",
            "specification",
            "quantity",
            "unit_cost",
            "received_quantity",
            "approved_excess",
            "open_quantity",
        ]


class PurchaseOrderSerializer(StateSerializerMixin, serializers.ModelSerializer):
    supplier_name = serializers.CharField(source="supplier.name", read_only=True)

    class Meta:
        model = PurchaseOrder
        fields = [
            "id",
            "number",
            "store",
            "warehouse",
            "supplier",
            "supplier_name",
            "state",
            "state_display",
            "available_transitions",
            "note",
            "created_at",
            "approved_at",
        ]


class PurchaseOrderDetailSerializer(PurchaseOrderSerializer):
    lines = PurchaseOrderLineSerializer(many=True, read_only=True)

    class Meta(PurchaseOrderSerializer.Meta):
        fields = [*PurchaseOrderSerializer.Meta.fields, "lines"]


class OrderLineInput(serializers.Serializer):
    item = item_field()
    specification = serializers.CharField(max_length=160, required=False, allow_blank=True, default="")
    quantity = serializers.DecimalField(**DEC)
    unit_cost = serializers.DecimalField(**COST)


class PurchaseOrderInputSerializer(serializers.Serializer):
    warehouse = warehouse_field()
    supplier = serializers.PrimaryKeyRelatedField(queryset=Supplier.objects.all())
    note = serializers.CharField(max_length=255, required=False, allow_blank=True, default="")
    lines = OrderLineInput(many=True)


class ReceiptLineSerializer(serializers.ModelSerializer):
    order_number = serializers.CharField(source="order_line.order.number", read_only=True)
    returned_quantity = serializers.DecimalField(**DEC, read_only=True)

    class Meta:
        model = GoodsReceiptLine
        fields = [
            "id",
            "order_number",
            "item",
            "specification",
            "quantity",
            "serials",
            "excess_quantity",
            "excess_state",
            "packaging_damaged",
            "method",
            "sample_size",
            "passed_quantity",
            "failed_quantity",
            "failed_serials",
            "defects",
            "inspected_at",
            "received_quantity",
            "returned_quantity",
        ]


class GoodsReceiptSerializer(StateSerializerMixin, serializers.ModelSerializer):
    supplier_name = serializers.CharField(source="supplier.name", read_only=True)
    warehouse_name = serializers.CharField(source="warehouse.name", read_only=True)

    class Meta:
        model = GoodsReceipt
        fields = [
            "id",
            "number",
            "store",
            "warehouse",
            "warehouse_name",
            "bin",
            "supplier",
            "supplier_name",
            "note_number",
            "signed_by",
            "stamped",
            "certificate",
            "deliver_to",
            "state",
            "state_display",
            "available_transitions",
            "created_at",
            "approved_at",
        ]


class GoodsReceiptDetailSerializer(GoodsReceiptSerializer):
    lines = ReceiptLineSerializer(many=True, read_only=True)

    class Meta(GoodsReceiptSerializer.Meta):
        fields = [*GoodsReceiptSerializer.Meta.fields, "lines"]


class NoteLineInput(serializers.Serializer):
    item = item_field()
    specification = serializers.CharField(max_length=160, required=False, allow_blank=True, default="")
    quantity = serializers.DecimalField(**DEC)
    order_number = serializers.CharField(max_length=30)
    serials = serializers.ListField(child=serializers.CharField(max_length=40), required=False, default=list)


class GoodsReceiptInputSerializer(serializers.Serializer):
    warehouse = warehouse_field()
    bin = bin_field()
    supplier = serializers.PrimaryKeyRelatedField(queryset=Supplier.objects.all())
    note_number = serializers.CharField(max_length=60, allow_blank=True)
    certificate = serializers.CharField(max_length=120, allow_blank=True)
    signed_by = serializers.CharField(max_length=80, required=False, allow_blank=True, default="")
    stamped = serializers.BooleanField(required=False, default=False)
    deliver_to = warehouse_field(required=False, allow_null=True, default=None)
    lines = NoteLineInput(many=True)


class InspectInputSerializer(serializers.Serializer):
    line = serializers.IntegerField(help_text=_("The receipt line inspected."))
    packaging_damaged = serializers.BooleanField(required=False, default=False)
    sample_size = serializers.DecimalField(**DEC, required=False, allow_null=True, default=None)
    failed_quantity = serializers.DecimalField(**DEC, required=False, default=0)
    failed_serials = serializers.ListField(child=serializers.CharField(max_length=40), required=False, default=list)
    defects = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class TransferLineSerializer(serializers.ModelSerializer):
    serial_number = serializers.CharField(source="serial.number", default=None)

    class Meta:
        model = TransferLine
        fields = ["id", "item", "from_bin", "serial_number", "quantity", "unit_cost"]


class TransferSerializer(StateSerializerMixin, serializers.ModelSerializer):
    class Meta:
        model = Transfer
        fields = [
            "id",
            "number",
            "from_warehouse",
            "to_warehouse",
            "to_bin",
            "receipt",
            "state",
            "state_display",
            "available_transitions",
            "created_at",
            "received_at",
        ]


class TransferDetailSerializer(TransferSerializer):
    lines = TransferLineSerializer(many=True, read_only=True)

    class Meta(TransferSerializer.Meta):
        fields = [*TransferSerializer.Meta.fields, "lines"]


class TransferLineInput(serializers.Serializer):
    item = item_field()
    from_bin = bin_field()
    quantity = serializers.DecimalField(**DEC)
    serial = serializers.CharField(max_length=40, required=False, allow_blank=True, default="")


class TransferInputSerializer(serializers.Serializer):
    from_warehouse = warehouse_field()
    to_warehouse = warehouse_field()
    to_bin = bin_field()
    lines = TransferLineInput(many=True)


class ConfirmInputSerializer(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, max_length=2000, default="")
    confirmed = serializers.ListField(child=serializers.DecimalField(**DEC))


class OtherReceiptSerializer(StateSerializerMixin, serializers.ModelSerializer):
    lines = serializers.SerializerMethodField()
    kind = serializers.CharField(read_only=True, help_text="trade_in or return")

    class Meta:
        model = OtherReceipt
        fields = [
            "id",
            "store",
            "warehouse",
            "bin",
            "kind",
            "source_label",
            "state",
            "state_display",
            "available_transitions",
            "created_at",
            "lines",
        ]

    def get_lines(self, obj) -> list[dict]:
        return [
            {"item": ln.item_id, "serial_number": ln.serial_number, "quantity": str(ln.quantity)}
            for ln in obj.lines.all()
        ]


class OtherLineInput(serializers.Serializer):
    item = item_field()
    quantity = serializers.DecimalField(**DEC)
    unit_cost = serializers.DecimalField(**COST)
    serial_number = serializers.CharField(max_length=40, required=False, allow_blank=True, default="")


class OtherReceiptInputSerializer(serializers.Serializer):
    warehouse = warehouse_field()
    bin = bin_field()
    kind = serializers.CharField(max_length=10, help_text="trade_in or return (checked by the service)")
    source_label = serializers.CharField(max_length=80)
    lines = OtherLineInput(many=True)


class MonthCloseInputSerializer(serializers.Serializer):
    warehouse = warehouse_field()
    month = serializers.DateField()
