"""The warehouse's models: the catalogue of items and the places stock lives in, the append-only
ledger with its balances and reservations, purchasing and receiving, transfers and other
receipts."""

from warehouse.models.accounts import (
    AccountEntry,
    CustomerAccount,
    InvoiceMatch,
    PaymentMethod,
    PurchaseInvoice,
    SalesInvoice,
)
from warehouse.models.catalog import Area, Bin, Item, ItemCategory, Supplier, Warehouse
from warehouse.models.documents import (
    GoodsReceipt,
    GoodsReceiptLine,
    OtherReceipt,
    OtherReceiptLine,
    PurchaseOrder,
    PurchaseOrderLine,
    PurchaseRequest,
    Transfer,
    TransferLine,
)
from warehouse.models.journal import Account, JournalEntry, JournalLine
from warehouse.models.ledger import (
    BinBalance,
    CostPosting,
    MonthClose,
    Reservation,
    Serial,
    StockLevel,
    StockMove,
)
from warehouse.models.reports import NightlyReport
from warehouse.models.retail import DropShip, DropShipLine, RetailDailyReport, RetailSale
from warehouse.models.sales import (
    Box,
    BoxLine,
    OutboundSignature,
    OutboundSlip,
    PickLine,
    SalesOrder,
    SalesOrderLine,
    SalesSlip,
)
from warehouse.models.spot import (
    CustomerClass,
    SpotCustomerClass,
    SpotDiscountRate,
    SpotPrice,
    SpotSheet,
    SpotSheetLine,
)

__all__ = [
    "Account",
    "AccountEntry",
    "Area",
    "Bin",
    "BinBalance",
    "Box",
    "BoxLine",
    "CostPosting",
    "CustomerAccount",
    "CustomerClass",
    "DropShip",
    "DropShipLine",
    "GoodsReceipt",
    "GoodsReceiptLine",
    "InvoiceMatch",
    "Item",
    "ItemCategory",
    "JournalEntry",
    "JournalLine",
    "MonthClose",
    "NightlyReport",
    "OtherReceipt",
    "OtherReceiptLine",
    "OutboundSignature",
    "OutboundSlip",
    "PaymentMethod",
    "PickLine",
    "PurchaseInvoice",
    "PurchaseOrder",
    "PurchaseOrderLine",
    "PurchaseRequest",
    "Reservation",
    "RetailDailyReport",
    "RetailSale",
    "SalesInvoice",
    "SalesOrder",
    "SalesOrderLine",
    "SalesSlip",
    "Serial",
    "SpotCustomerClass",
    "SpotDiscountRate",
    "SpotPrice",
    "SpotSheet",
    "SpotSheetLine",
    "StockLevel",
    "StockMove",
    "Supplier",
    "Transfer",
    "TransferLine",
    "Warehouse",
]
