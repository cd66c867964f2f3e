"""Pages of the warehouse app under /warehouse/."""

from django.urls import path

from warehouse.views import books, reports, sales, spot, stock
from warehouse.views import documents as d
from warehouse.views import entry as e

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
    path("sales/", sales.sales_orders_view, name="sales_orders"),
    path("sales/<int:pk>/", sales.sales_order_view, name="sales_order"),
    path("slips/", sales.slips_view, name="slips"),
    path("slips/<int:pk>/", sales.slip_view, name="slip"),
    path("outbound/", sales.outbound_view, name="outbound"),
    path("sell/<str:kind>/<int:pk>/<str:name>/", sales.sales_step_view, name="sales_step"),
    path("accounts/", books.accounts_view, name="accounts"),
    path("accounts/<int:pk>/", books.account_view, name="account"),
    path("invoices/", books.invoices_view, name="invoices"),
    path("drop-ship/", books.dropships_view, name="dropships"),
    path("retail/", books.retail_view, name="retail"),
    path("journal/", books.journal_view, name="journal"),
    path("month-close/", books.month_close_view, name="month_close"),
    path("dashboard/", reports.dashboard_view, name="dashboard"),
    path("reports/", reports.reports_view, name="reports"),
    path("reports/<int:pk>/<str:fmt>/", reports.report_download_view, name="report_download"),
    path("moves/", reports.moves_view, name="moves"),
    path("spot/", spot.spot_sheets_view, name="spot_sheets"),
    path("spot/<int:pk>/", spot.spot_sheet_view, name="spot_sheet"),
    path("spot/<int:pk>/weigh/", spot.spot_weigh_view, name="spot_weigh"),
    path("spot/<int:pk>/steps/<str:name>/", spot.spot_step_view, name="spot_step"),
    path("<str:kind>/<int:pk>/steps/<str:name>/", d.transition_view, name="transition"),
    # entry pages (warehouse/views/entry.py)
    path("orders/new/", e.order_create_view, name="order_create"),
    path("orders/request/", e.request_create_view, name="request_create"),
    path("receipts/new/", e.receipt_create_view, name="receipt_create"),
    path("transfers/new/", e.transfer_create_view, name="transfer_create"),
    path("other-receipts/new/", e.other_receipt_create_view, name="other_receipt_create"),
    path("items/search/", e.item_search_view, name="item_search"),
]
