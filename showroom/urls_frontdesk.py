"""Pages and API routes of the front desk and the duty roster (included by showroom/urls.py)."""

from django.urls import path

from showroom.api.frontdesk import (
    AssignmentViewSet,
    CallViewSet,
    RosterViewSet,
    ShiftViewSet,
    VisitSourceViewSet,
    VisitViewSet,
)
from showroom.views import frontdesk as views
from showroom.views.customer_identity import frontdesk_customer_lookup_view

page_patterns: list = [
    path("", views.board_view, name="board"),
    path("live/", views.board_live_view, name="board_live"),
    path("visits/new/", views.visit_create_view, name="visit_create"),
    path("visits/lookup/", frontdesk_customer_lookup_view, name="customer_lookup"),
    path("visits/<int:pk>/leave/", views.visit_leave_view, name="visit_leave"),
    path("visits/<int:pk>/assign/", views.visit_assign_view, name="visit_assign"),
    path("calls/new/", views.call_create_view, name="call_create"),
    path("shifts/open/", views.shift_open_view, name="shift_open"),
    path("shifts/<int:pk>/", views.shift_detail_view, name="shift"),
    path("shifts/<int:pk>/close/", views.shift_close_view, name="shift_close"),
    path("roster/", views.roster_view, name="roster"),
    path("roster/set/", views.roster_set_view, name="roster_set"),
    path("roster/override/", views.roster_override_view, name="roster_override"),
    path("roster/entries/<int:pk>/status/", views.roster_status_view, name="roster_status"),
    path("settings/", views.settings_view, name="settings"),
    path("reports/", views.reports_view, name="reports"),
    path("reports/download.<slug:fmt>", views.report_download_view, name="report_download"),
]
api_routes: list = [  # (prefix, viewset, basename) registered on the core API router
    ("frontdesk-visits", VisitViewSet, "frontdesk-visit"),
    ("frontdesk-calls", CallViewSet, "frontdesk-call"),
    ("frontdesk-shifts", ShiftViewSet, "frontdesk-shift"),
    ("frontdesk-rosters", RosterViewSet, "frontdesk-roster"),
    ("frontdesk-assignments", AssignmentViewSet, "frontdesk-assignment"),
    ("frontdesk-sources", VisitSourceViewSet, "frontdesk-source"),
]
