"""Pages of the delivery app under /delivery/ (namespace "delivery")."""

from django.urls import path

from delivery.views import deliveries, repairs

app_name = "delivery"
urlpatterns: list = [
    path("", deliveries.calendar_view, name="calendar"),
    path("list/", deliveries.delivery_list_view, name="list"),
    path("care/", deliveries.care_list_view, name="care"),
    path("care/<int:followup_pk>/record/", deliveries.care_record_view, name="care_record"),
    path("repairs/", repairs.board_view, name="repairs"),
    path("repairs/new/", repairs.intake_view, name="repair_intake"),
    path("repairs/report/", repairs.report_view, name="repair_report"),
    path("repairs/<int:pk>/", repairs.ticket_view, name="repair"),
    path("repairs/<int:pk>/<slug:name>/", repairs.ticket_action_view, name="repair_action"),
    path("<int:pk>/", deliveries.delivery_detail_view, name="detail"),
    path("<int:pk>/checklist/<str:code>/", deliveries.checklist_screen_view, name="checklist"),
    path("<int:pk>/<slug:name>/", deliveries.delivery_action_view, name="action"),
]
