"""API of the warehouse app under /api/v1/warehouse/ (see ``warehouse.api.views`` and
``warehouse.api.sales``)."""

from django.urls import path
from rest_framework.routers import DefaultRouter

from warehouse.api import counter as cn
from warehouse.api import jewellery as jwa
from warehouse.api import sales as sv
from warehouse.api import spot as sp
from warehouse.api import stocktake as stk
from warehouse.api import views as v

router = DefaultRouter()
router.register("items", v.ItemViewSet, basename="wh-item")
router.register("warehouses", v.WarehouseViewSet, basename="wh-warehouse")
router.register("stock", v.StockViewSet, basename="wh-stock")
router.register("moves", v.MoveViewSet, basename="wh-move")
router.register("reservations", v.ReservationViewSet, basename="wh-reservation")
router.register("purchase-orders", v.PurchaseOrderViewSet, basename="wh-order")
router.register("receipts", v.ReceiptViewSet, basename="wh-receipt")
router.register("transfers", v.TransferViewSet, basename="wh-transfer")
router.register("other-receipts", v.OtherReceiptViewSet, basename="wh-other-receipt")
router.register("sales-orders", sv.SalesOrderViewSet, basename="wh-sales-order")
router.register("slips", sv.SalesSlipViewSet, basename="wh-slip")
router.register("accounts", sv.AccountViewSet, basename="wh-account")
router.register("invoices", sv.InvoiceViewSet, basename="wh-invoice")
router.register("drop-ship", sv.DropShipViewSet, basename="wh-dropship")
router.register("retail-reports", sv.RetailReportViewSet, basename="wh-retail-report")
router.register("retail-sales", sv.RetailSaleViewSet, basename="wh-retail-sale")
router.register("journal", sv.JournalViewSet, basename="wh-journal")
router.register("spot-sheets", sp.SpotSheetViewSet, basename="wh-spot-sheet")
router.register("spot-prices", sp.SpotPriceViewSet, basename="wh-spot-price")
router.register("spot-rates", sp.SpotRateViewSet, basename="wh-spot-rate")
router.register("jewellery-counters", jwa.CounterViewSet, basename="wh-jw-counter")
router.register("jewellery-trays", jwa.TrayViewSet, basename="wh-jw-tray")
router.register("counter-days", jwa.CounterDayViewSet, basename="wh-counter-day")
router.register("counter-sales", jwa.CounterSaleViewSet, basename="wh-counter-sale")
router.register("counter-attendance", jwa.AttendanceViewSet, basename="wh-counter-attendance")
router.register("grooming-checks", jwa.GroomingViewSet, basename="wh-grooming")
router.register("trade-customers", jwa.TradeCustomerViewSet, basename="wh-trade-customer")
router.register("counter-receipts", cn.CounterReceiptViewSet, basename="wh-counter-receipt")
router.register("counter-questions", cn.CounterQuestionViewSet, basename="wh-counter-question")
router.register("counter-replenishments", cn.CounterReplenishmentViewSet, basename="wh-counter-replenishment")
router.register("stocktakes", stk.StocktakeViewSet, basename="wh-stocktake")
urlpatterns = [
    path("counter-replenishment-list/", cn.ReplenishmentListView.as_view(), name="wh-counter-replenishment-rows"),
    path(
        "counter-replenishment-lines/<int:pk>/order/",
        cn.ReplenishmentOrderView.as_view(),
        name="wh-counter-replenishment-order",
    ),
    path("month-close/", v.MonthCloseView.as_view(), name="wh-month-close"),
    *router.urls,
]
