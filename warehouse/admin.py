"""Admin of the warehouse: the catalogue (categories, items, suppliers, warehouses, areas, bins)
is edited here; the ledger and the documents are read-only — stock changes only by moves appended
through the services, and documents move only through their steps."""

from django.contrib import admin

from warehouse import models as m


@admin.register(m.ItemCategory)
class ItemCategoryAdmin(admin.ModelAdmin):
    list_display = ["code", "name"]


@admin.register(m.Item)
class ItemAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "specification", "category", "tracking", "unit", "list_price", "is_active"]
    list_filter = ["tracking", "category", "is_active"]
    search_fields = ["code", "name", "external_ref"]


@admin.register(m.Supplier)
class SupplierAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "phone"]
    search_fields = ["code", "name"]


@admin.register(m.Warehouse)
class WarehouseAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "store", "valuation", "is_active"]
    list_filter = ["store", "valuation"]


@admin.register(m.Area)
class AreaAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "warehouse"]
    list_filter = ["warehouse"]


@admin.register(m.Bin)
class BinAdmin(admin.ModelAdmin):
    list_display = ["code", "warehouse", "area"]
    list_filter = ["warehouse"]


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(m.StockMove)
class StockMoveAdmin(ReadOnlyAdmin):
    list_display = ["id", "created_at", "kind", "item", "warehouse", "bin", "serial", "quantity", "value"]
    list_filter = ["kind", "warehouse"]
    search_fields = ["item__code", "serial__number", "source_label"]
    list_select_related = ["item", "warehouse", "bin", "serial"]


@admin.register(m.StockLevel)
class StockLevelAdmin(ReadOnlyAdmin):
    list_display = ["item", "warehouse", "quantity", "reserved", "value"]
    list_filter = ["warehouse"]
    list_select_related = ["item", "warehouse"]


@admin.register(m.Serial)
class SerialAdmin(ReadOnlyAdmin):
    list_display = ["number", "item", "state", "warehouse", "bin"]
    list_filter = ["state"]
    search_fields = ["number"]


for model in (
    m.BinBalance,
    m.Reservation,
    m.MonthClose,
    m.CostPosting,
    m.PurchaseRequest,
    m.PurchaseOrder,
    m.PurchaseOrderLine,
    m.GoodsReceipt,
    m.GoodsReceiptLine,
    m.Transfer,
    m.TransferLine,
    m.OtherReceipt,
    m.OtherReceiptLine,
):
    admin.site.register(model, ReadOnlyAdmin)


# Part 2: selling, accounts, invoices and the journal are changed only through their services;
# the admin shows them read-only.
class _ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


for _model in (
    m.SalesOrder,
    m.SalesOrderLine,
    m.PickLine,
    m.Box,
    m.BoxLine,
    m.SalesSlip,
    m.OutboundSlip,
    m.OutboundSignature,
    m.CustomerAccount,
    m.AccountEntry,
    m.SalesInvoice,
    m.InvoiceMatch,
    m.PurchaseInvoice,
    m.DropShip,
    m.DropShipLine,
    m.RetailSale,
    m.RetailDailyReport,
    m.JournalEntry,
    m.JournalLine,
):
    admin.site.register(_model, _ReadOnly)


# --- spot sales by weight: the price list, rates and sheets change through their services --------
for _model in (m.SpotPrice, m.SpotDiscountRate, m.SpotCustomerClass, m.SpotSheet, m.SpotSheetLine):
    admin.site.register(_model, ReadOnlyAdmin)


# --- the jewellery counter day: every change goes through its services (counts, causes, sales) ----
for _model in (
    m.Counter,
    m.Tray,
    m.CounterDay,
    m.TrayCount,
    m.CounterSale,
    m.Attendance,
    m.GroomingCheck,
    m.TradeCustomerRegistration,
    m.RosterEntry,
    m.LunchRotation,
):
    admin.site.register(_model, ReadOnlyAdmin)


# --- counter sales: receipts, questions and replenishment lists change through their services ----
for _model in (
    m.CounterReceipt,
    m.CounterReceiptLine,
    m.CounterQuestion,
    m.CounterReplenishment,
    m.CounterReplenishmentLine,
):
    admin.site.register(_model, ReadOnlyAdmin)


# --- nightly stock reports: written by the 02:00 job ------------------------------------------
admin.site.register(m.NightlyReport, ReadOnlyAdmin)


# --- the monthly stocktake: every step goes through its services (counts, audits, adjustments) ---
for _model in (
    m.Stocktake,
    m.StocktakeArea,
    m.StocktakeAreaBin,
    m.StocktakeLine,
    m.StocktakeCount,
    m.StocktakeAuditBin,
    m.StocktakeAuditLine,
    m.StocktakeAdjustment,
    m.StocktakeAdjustmentLine,
):
    admin.site.register(_model, ReadOnlyAdmin)
