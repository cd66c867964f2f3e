"""Pages and API routes of the followups engine (included by showroom/urls.py)."""

from django.urls import path

from showroom.api.followups import FollowUpViewSet, NotificationViewSet
from showroom.views import followups as views

page_patterns: list = [
    path("", views.followup_list_view, name="list"),
    path("<int:pk>/", views.followup_detail_view, name="detail"),
    path("<int:pk>/complete/", views.followup_complete_view, name="complete"),
    path("<int:pk>/reschedule/", views.followup_reschedule_view, name="reschedule"),
    path("<int:pk>/<slug:name>/", views.followup_close_view, name="close"),
    path("notifications/", views.notification_list_view, name="notifications"),
    path("notifications/count/", views.notification_count_view, name="notifications_count"),
    path("notifications/menu/", views.notification_menu_view, name="notifications_menu"),
    path("notifications/read-all/", views.notification_read_all_view, name="notifications_read_all"),
    path("notifications/<int:pk>/open/", views.notification_open_view, name="notification_open"),
    path("notifications/<int:pk>/read/", views.notification_read_view, name="notification_read"),
]
api_routes: list = [  # (prefix, viewset, basename) registered on the core API router
    ("followups", FollowUpViewSet, "followup"),
    ("notifications", NotificationViewSet, "notification"),
]
