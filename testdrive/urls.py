"""Pages of the testdrive app under /testdrive/ (namespace "testdrive")."""

from django.urls import path

from testdrive.views import calendar, drive

app_name = "testdrive"
urlpatterns: list = [
    path("", calendar.calendar_view, name="calendar"),
    path("book/", calendar.book_view, name="book"),
    path("bookings/", drive.booking_list_view, name="bookings"),
    path("bookings/<int:pk>/", drive.booking_detail_view, name="detail"),
    path("bookings/<int:pk>/licence/", drive.licence_image_view, name="licence_image"),
    path("bookings/<int:pk>/signature/", drive.signature_image_view, name="signature_image"),
    path("bookings/<int:pk>/<slug:name>/", drive.booking_action_view, name="action"),
    path("fleet/", drive.fleet_view, name="fleet"),
]
