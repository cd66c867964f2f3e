"""Serializers of selling, accounts and the journal (API under /api/v1/warehouse/)."""

from rest_framework import serializers

from showroom.api.transitions import StateSerializerMixin
from showroom.models import Customer
from warehouse.api.serializers import DEC, ScopedPK, bin_field, item_field, warehouse_field
from warehouse.models import (
    AccountEntry,
    CustomerAccount,
    DropShip,
    JournalLine,
    PickLine,
    RetailDailyReport,
    SalesInvoice,
    SalesOrder,
    SalesOrderLine,
    SalesSlip,
    Supplier,
)

MONEY = {"max_digits": 16, "decimal_places": 2}
PRICE = {"max_digits": 14, "decimal_places": 2, "min_value": 0}


def account_field(**kw):
    return ScopedPK(queryset=CustomerAccount.objects.all(), store_path="store_id", **kw)


class SalesOrderLineSerializer(serializers.ModelSerializer):
    class Meta:
        model = SalesOrderLine
        fields = [
            "id",
            "item",
            "quantity",
            "unit_price",
            "reserved_quantity",
            "short_quantity",
            "purchase_request",
            "picked_quantity",
            "packed_quantity",
            "shipped_quantity",
        ]


class SalesOrderSerializer(StateSerializerMixin, serializers.ModelSerializer):
    customer_name = serializers.CharField(source="account.customer.name", read_only=True)
    amount = serializers.DecimalField(**MONEY, read_only=True)

    class Meta:
        model = SalesOrder
        fields = [
            "id",
            "number",
            "store",
            "warehouse",
            "account",
            "customer_name",
            "channel",
            "freight",
            "requirements",
            "amount",
            "state",
            "state_display",
            "available_transitions",
            "created_at",
            "approved_at",
        ]


class SalesOrderDetailSerializer(SalesOrderSerializer):
    lines = SalesOrderLineSerializer(many=True, read_only=True)

    class Meta(SalesOrderSerializer.Meta):
        fields = [*SalesOrderSerializer.Meta.fields, "lines"]


class SalesLineInput(serializers.Serializer):
    item = item_field()
    quantity = serializers.DecimalField(**DEC)
    unit_price = serializers.DecimalField(**PRICE, required=False, allow_null=True, default=None)


class SalesOrderInput(serializers.Serializer):
    warehouse = warehouse_field()
    account = account_field()
    channel = serializers.ChoiceField(choices=SalesOrder.Channel.choices)
    freight = serializers.ChoiceField(choices=SalesOrder.Freight.choices)
    requirements = serializers.CharField(required=False, allow_blank=True, default="")
    lines = SalesLineInput(many=True)


class PickInput(serializers.Serializer):
    line = serializers.PrimaryKeyRelatedField(queryset=SalesOrderLine.objects.all())
    bin = bin_field()
    quantity = serializers.DecimalField(**DEC)


class PicksInput(serializers.Serializer):
    picks = PickInput(many=True)


class PackContentInput(serializers.Serializer):
    pick = serializers.PrimaryKeyRelatedField(queryset=PickLine.objects.all())
    quantity = serializers.DecimalField(**DEC)


class PackInput(serializers.Serializer):
    contents = PackContentInput(many=True)


class SalesSlipSerializer(StateSerializerMixin, serializers.ModelSerializer):
    order_number = serializers.CharField(source="order.number", read_only=True)
    customer_name = serializers.CharField(source="account.customer.name", read_only=True)
    balance = serializers.DecimalField(source="account.balance", **MONEY, read_only=True)
    missing = serializers.SerializerMethodField()
    outbound_number = serializers.SerializerMethodField()

    class Meta:
        model = SalesSlip
        fields = [
            "id",
            "number",
            "order",
            "order_number",
            "account",
            "customer_name",
            "total",
            "balance",
            "missing",
            "outbound_number",
            "state",
            "state_display",
            "available_transitions",
            "created_at",
            "approved_at",
        ]

    def get_missing(self, obj) -> str | None:
        if obj.state != SalesSlip.State.WAITING:
            return None
        return f"{max(obj.total - obj.account.balance, 0):.2f}"

    def get_outbound_number(self, obj) -> str | None:
        outbound = getattr(obj, "outbound", None)
        return outbound.number if outbound else None


class SignInput(serializers.Serializer):
    role = serializers.ChoiceField(choices=["keeper", "supervisor", "customer"])
    name = serializers.CharField(required=False, allow_blank=True, default="", max_length=80)


class AccountSerializer(serializers.ModelSerializer):
    customer_name = serializers.CharField(source="customer.name", read_only=True)
    receivable = serializers.DecimalField(**MONEY, read_only=True)

    class Meta:
        model = CustomerAccount
        fields = ["id", "store", "customer", "customer_name", "company", "balance", "receivable"]


class AccountInput(serializers.Serializer):
    customer = ScopedPK(queryset=Customer.objects.all(), store_path="store_id")
    company = serializers.CharField(required=False, allow_blank=True, default="", max_length=120)


class EntrySerializer(serializers.ModelSerializer):
    # Plain text, not enums: "kind" and "method" name other choice sets in the API too.
    kind = serializers.CharField(read_only=True, help_text="payment or charge")
    method = serializers.CharField(read_only=True, help_text="cash, card or transfer")

    class Meta:
        model = AccountEntry
        fields = [
            "id",
            "kind",
            "amount",
            "to_balance",
            "balance_after",
            "method",
            "receipt_number",
            "reference",
            "slip",
            "created_at",
        ]


class InvoiceSerializer(serializers.ModelSerializer):
    kind = serializers.CharField(read_only=True, help_text="order, slip or dropship")
    customer_name = serializers.CharField(source="account.customer.name", read_only=True)

    class Meta:
        model = SalesInvoice
        fields = [
            "id",
            "number",
            "account",
            "customer_name",
            "kind",
            "order",
            "slip",
            "dropship",
            "net",
            "vat",
            "total",
            "paid",
            "created_at",
        ]


class PaymentInput(serializers.Serializer):
    amount = serializers.DecimalField(**MONEY)
    method = serializers.CharField(max_length=10, help_text="cash, card or transfer")
    reference = serializers.CharField(required=False, allow_blank=True, default="", max_length=80)
    invoice = serializers.PrimaryKeyRelatedField(
        queryset=SalesInvoice.objects.all(), required=False, allow_null=True, default=None
    )


class InvoiceInput(serializers.Serializer):
    order = ScopedPK(queryset=SalesOrder.objects.all(), store_path="store_id")


class DropShipSerializer(StateSerializerMixin, serializers.ModelSerializer):
    class Meta:
        model = DropShip
        fields = [
            "id",
            "number",
            "purchase_number",
            "account",
            "supplier",
            "with_order",
            "state",
            "state_display",
            "available_transitions",
            "created_at",
        ]


class DropShipLineInput(serializers.Serializer):
    item = item_field()
    quantity = serializers.DecimalField(**DEC)
    unit_price = serializers.DecimalField(**PRICE)
    unit_cost = serializers.DecimalField(**PRICE)


class DropShipInput(serializers.Serializer):
    account = account_field()
    supplier = serializers.PrimaryKeyRelatedField(queryset=Supplier.objects.all())
    with_order = serializers.BooleanField(default=True)
    lines = DropShipLineInput(many=True)


class RetailReportSerializer(StateSerializerMixin, serializers.ModelSerializer):
    class Meta:
        model = RetailDailyReport
        fields = [
            "id",
            "number",
            "warehouse",
            "day",
            "total",
            "delivery_number",
            "state",
            "state_display",
            "available_transitions",
        ]


class RetailReportInput(serializers.Serializer):
    warehouse = warehouse_field()
    day = serializers.DateField()


class RetailSaleInput(serializers.Serializer):
    warehouse = warehouse_field()
    bin = bin_field()
    item = item_field()
    quantity = serializers.DecimalField(**DEC)
    unit_price = serializers.DecimalField(**PRICE, required=False, allow_null=True, default=None)
    method = serializers.CharField(default="cash")


class JournalLineSerializer(serializers.ModelSerializer):
    account = serializers.CharField(read_only=True, help_text="account code, e.g. 1122")
    date = serializers.DateField(source="entry.date", read_only=True)
    kind = serializers.CharField(source="entry.kind", read_only=True)
    document = serializers.CharField(source="entry.source_label", read_only=True)

    class Meta:
        model = JournalLine
        fields = ["id", "entry", "date", "kind", "document", "account", "customer_account", "debit", "credit"]
