"""Pages of the warehouse app under /warehouse/."""

from django.urls import path

from warehouse.views import documents as d
from warehouse.views import entry as e
from warehouse.views import stock

app_name = "warehouse"
urlpatterns = [
    path("", stock.stock_view, name="stock"),
    path("items/<int:pk>/", stock.item_view, name="item"),
    path("orders/", d.orders_view, name="orders"),
    path("orders/<int:pk>/", d.order_view, name="order"),
    path("receipts/", d.receipts_view, name="receipts"),
    path("receipts/<int:pk>/", d.receipt_view, name="receipt"),
    path("receipts/<int:pk>/lines/<int:line_pk>/inspect/", d.inspect_view, name="inspect"),
    path("transfers/", d.transfers_view, name="transfers"),
    path("transfers/<int:pk>/", d.transfer_view, name="transfer"),
    path("other-receipts/", d.other_receipts_view, name="other_receipts"),
    path("<str:kind>/<int:pk>/steps/<str:name>/", d.transition_view, name="transition"),
    # entry pages (warehouse/views/entry.py)
    path("orders/new/", e.order_create_view, name="order_create"),
    path("orders/request/", e.request_create_view, name="request_create"),
    path("receipts/new/", e.receipt_create_view, name="receipt_create"),
    path("transfers/new/", e.transfer_create_view, name="transfer_create"),
    path("other-receipts/new/", e.other_receipt_create_view, name="other_receipt_create"),
    path("items/search/", e.item_search_view, name="item_search"),
]
