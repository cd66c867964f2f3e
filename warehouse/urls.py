"""Pages of the warehouse app under /warehouse/."""

from django.urls import path

from warehouse.views import books, counter, reports, sales, spot, spot_prices, stock
from warehouse.views import documents as d
from warehouse.views import entry as e
from warehouse.views import jewellery as jv
from warehouse.views import jewellery_staff as js
from warehouse.views import stocktake as st

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
    path("spot/prices/", spot_prices.spot_prices_view, name="spot_prices"),
    path("dashboard/", reports.dashboard_view, name="dashboard"),
    path("reports/", reports.reports_view, name="reports"),
    path("reports/<int:pk>/<str:fmt>/", reports.report_download_view, name="report_download"),
    path("moves/", reports.moves_view, name="moves"),
    path("spot/", spot.spot_sheets_view, name="spot_sheets"),
    path("spot/<int:pk>/", spot.spot_sheet_view, name="spot_sheet"),
    path("spot/<int:pk>/weigh/", spot.spot_weigh_view, name="spot_weigh"),
    path("spot/<int:pk>/steps/<str:name>/", spot.spot_step_view, name="spot_step"),
    # the jewellery counter day (warehouse/views/jewellery*.py)
    path("jewellery/", jv.jewellery_view, name="jewellery"),
    path("jewellery/counters/<int:pk>/start/", jv.jewellery_day_start_view, name="jewellery_day_start"),
    path("jewellery/days/<int:pk>/", jv.jewellery_day_view, name="jewellery_day"),
    path("jewellery/days/<int:pk>/steps/<str:name>/", jv.jewellery_step_view, name="jewellery_step"),
    path("jewellery/days/<int:pk>/count/<str:kind>/", jv.jewellery_count_view, name="jewellery_count"),
    path("jewellery/days/<int:pk>/sale/", jv.jewellery_sale_view, name="jewellery_sale"),
    path("jewellery/days/<int:pk>/lunch/", jv.jewellery_lunch_view, name="jewellery_lunch"),
    path("jewellery/sales/<int:pk>/confirm/", jv.jewellery_confirm_view, name="jewellery_confirm"),
    path("jewellery/trays/", jv.jewellery_trays_view, name="jewellery_trays"),
    path("jewellery/clock-in/", js.jewellery_clock_in_view, name="jewellery_clock_in"),
    path("jewellery/grooming/", js.jewellery_grooming_view, name="jewellery_grooming"),
    path("jewellery/registrations/", js.jewellery_registrations_view, name="jewellery_registrations"),
    path("counter/", counter.till_view, name="counter_till"),
    path("counter/<int:pk>/", counter.receipt_view, name="counter_receipt"),
    path("counter/<int:pk>/pick/", counter.pick_view, name="counter_pick"),
    path("counter/<int:pk>/cancel/", counter.cancel_view, name="counter_cancel"),
    path("counter/questions/", counter.questions_view, name="counter_questions"),
    path("counter/questions/<int:pk>/answer/", counter.answer_view, name="counter_answer"),
    path("counter/replenishment/", counter.replenishment_view, name="counter_replenishment"),
    path("counter/replenishment/<int:pk>/process/", counter.process_view, name="counter_process"),
    path("counter/replenishment/lines/<int:pk>/order/", counter.order_view, name="counter_order"),
    path("stocktakes/", st.stocktakes_view, name="stocktakes"),
    path("stocktakes/<int:pk>/", st.stocktake_view, name="stocktake"),
    path("stocktakes/<int:pk>/do/<str:name>/", st.stocktake_step_view, name="stocktake_step"),
    path("stocktakes/<int:pk>/areas/<int:area_pk>/count/", st.count_view, name="stocktake_count"),
    path("stocktakes/<int:pk>/recount/", st.recount_view, name="stocktake_recount"),
    path("stocktakes/<int:pk>/audit/", st.audit_view, name="stocktake_audit"),
    path("stocktakes/<int:pk>/adjustments/", st.adjustments_view, name="stocktake_adjustments"),
    path("<str:kind>/<int:pk>/steps/<str:name>/", d.transition_view, name="transition"),
    # entry pages (warehouse/views/entry.py)
    path("orders/new/", e.order_create_view, name="order_create"),
    path("orders/request/", e.request_create_view, name="request_create"),
    path("receipts/new/", e.receipt_create_view, name="receipt_create"),
    path("transfers/new/", e.transfer_create_view, name="transfer_create"),
    path("other-receipts/new/", e.other_receipt_create_view, name="other_receipt_create"),
    path("items/search/", e.item_search_view, name="item_search"),
]
