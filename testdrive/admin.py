"""Admin of the test-drive app: the fleet and the routes are edited here by managers; bookings are
read-only (their state changes only through the services)."""

from django.contrib import admin

from testdrive.models import Booking, DemoVehicle, Feedback, Route


@admin.register(DemoVehicle)
class DemoVehicleAdmin(admin.ModelAdmin):
    list_display = ["plate", "vehicle_model", "trim", "colour", "vin", "status", "signage_fitted", "store"]
    list_filter = ["store", "status", "signage_fitted"]
    search_fields = ["vin", "plate"]
    raw_id_fields = ["vehicle_model", "trim", "colour"]


@admin.register(Route)
class RouteAdmin(admin.ModelAdmin):
    list_display = ["name", "store", "distance_km", "expected_minutes", "is_active"]
    list_filter = ["store", "is_active"]


@admin.register(Booking)
class BookingAdmin(admin.ModelAdmin):
    list_display = ["id", "customer", "vehicle", "route", "slot_start", "state", "short_drive", "consultant"]
    list_filter = ["store", "state", "short_drive"]
    # Read-only: the licence image is private and the state moves only through the services.
    exclude = ["licence_image", "signature_image"]

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Feedback)
class FeedbackAdmin(admin.ModelAdmin):
    list_display = ["booking", "overall", "ready_to_talk_price", "customer_confirmed_at"]

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False
