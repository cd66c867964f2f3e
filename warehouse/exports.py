"""How each warehouse list exports (CSV/XLSX through the core's one mechanism): the columns the
page shows, in its order. The views call ``list_export`` with the queryset they page."""

from django.utils.translation import gettext_lazy as _

from showroom.exports import register_columns_export
from showroom.templatetags.showroom_tags import person


def _customer(row) -> str:
    return row.account.company or row.account.customer.name


STATE = (_("State"), "get_state_display")
CREATED = (_("Created"), "created_at")

register_columns_export(
    code="warehouse.purchase_orders",
    basename="purchase-orders",
    columns=[
        (_("Number"), "number"),
        (_("Supplier"), "supplier.name"),
        (_("Warehouse"), "warehouse.name"),
        STATE,
        CREATED,
    ],
)
register_columns_export(
    code="warehouse.goods_receipts",
    basename="goods-receipts",
    columns=[
        (_("Number"), "number"),
        (_("Delivery note"), "note_number"),
        (_("Supplier"), "supplier.name"),
        (_("Warehouse"), "warehouse.name"),
        STATE,
        (_("Received by"), lambda r: person(r.created_by)),
        (_("Received"), "created_at"),
    ],
)
register_columns_export(
    code="warehouse.transfers",
    basename="transfers",
    columns=[
        (_("Transfer"), str),
        (_("From"), "from_warehouse.name"),
        (_("To"), "to_warehouse.name"),
        STATE,
        CREATED,
    ],
)
register_columns_export(
    code="warehouse.other_receipts",
    basename="other-receipts",
    columns=[
        (_("Kind"), "get_kind_display"),
        (_("Source"), "source_label"),
        (_("Warehouse"), "warehouse.name"),
        STATE,
        CREATED,
    ],
)
register_columns_export(
    code="warehouse.accounts",
    basename="customer-accounts",
    columns=[
        (_("Customer"), "customer.name"),
        (_("Company"), "company"),
        (_("Prepaid balance"), "balance"),
        (_("Open invoices"), "receivable"),
    ],
)
register_columns_export(
    code="warehouse.invoices",
    basename="sales-invoices",
    columns=[
        (_("Number"), "number"),
        (_("Customer"), "account.customer.name"),
        (_("Kind"), "get_kind_display"),
        (_("Net amount"), "net"),
        (_("Output VAT"), "vat"),
        (_("Total"), "total"),
        (_("Paid"), "paid"),
    ],
)
register_columns_export(
    code="warehouse.dropships",
    basename="drop-shipments",
    columns=[
        (_("Number"), "number"),
        (_("Purchase order"), "purchase_number"),
        (_("Customer"), "account.customer.name"),
        (_("Supplier"), "supplier.name"),
        STATE,
    ],
)
register_columns_export(
    code="warehouse.retail_days",
    basename="retail-days",
    columns=[
        (_("Number"), "number"),
        (_("Day"), "day"),
        (_("Warehouse"), "warehouse.name"),
        (_("Cash taken"), "total"),
        (_("Delivery note"), "delivery_number"),
        STATE,
    ],
)
register_columns_export(
    code="warehouse.sales_orders",
    basename="sales-orders",
    columns=[
        (_("Number"), "number"),
        (_("Customer"), _customer),
        (_("Warehouse"), "warehouse.name"),
        (_("Amount"), "amount"),
        STATE,
        (_("Entered"), "created_at"),
    ],
)
register_columns_export(
    code="warehouse.sales_slips",
    basename="sales-slips",
    columns=[
        (_("Number"), "number"),
        (_("Order"), "order.number"),
        (_("Customer"), _customer),
        (_("Amount"), "total"),
        (_("Prepaid balance"), "account.balance"),
        (_("Missing"), lambda s: s.missing if s.state == "waiting" and s.missing > 0 else ""),
        STATE,
    ],
)
register_columns_export(
    code="warehouse.outbound_slips",
    basename="outbound-slips",
    columns=[
        (_("Number"), "number"),
        (_("Sales slip"), "slip.number"),
        (_("Customer"), lambda o: _customer(o.slip)),
        (_("Left at"), "shipped_at"),
    ],
)
register_columns_export(
    code="warehouse.spot_sheets",
    basename="spot-sheets",
    columns=[
        (_("Number"), "number"),
        (_("Customer"), _customer),
        (_("Warehouse"), "warehouse.name"),
        (_("Lines"), "line_count"),
        (_("Amount"), "total"),
        (_("Step"), "get_state_display"),
        (_("Entered"), "created_at"),
    ],
)
