"""API of the warehouse app under /api/v1/warehouse/ (see ``warehouse.api.views``)."""

from django.urls import path
from rest_framework.routers import DefaultRouter

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
urlpatterns = [path("month-close/", v.MonthCloseView.as_view(), name="wh-month-close"), *router.urls]
