"""The warehouse's models: the catalogue of items and the places stock lives in, the append-only
ledger with its balances and reservations, purchasing and receiving, transfers and other
receipts."""

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
from warehouse.models.ledger import (
    BinBalance,
    CostPosting,
    MonthClose,
    Reservation,
    Serial,
    StockLevel,
    StockMove,
)

__all__ = [
    "Area",
    "Bin",
    "BinBalance",
    "CostPosting",
    "GoodsReceipt",
    "GoodsReceiptLine",
    "Item",
    "ItemCategory",
    "MonthClose",
    "OtherReceipt",
    "OtherReceiptLine",
    "PurchaseOrder",
    "PurchaseOrderLine",
    "PurchaseRequest",
    "Reservation",
    "Serial",
    "StockLevel",
    "StockMove",
    "Supplier",
    "Transfer",
    "TransferLine",
    "Warehouse",
]
