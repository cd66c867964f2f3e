"""Admin of the delivery app: read-only views of the records (their states change only through the
services); the findings of the monthly service report may be corrected."""

from django.contrib import admin

from delivery.models import CareCall, Delivery, Referral, RepairBreach, RepairFinding, RepairTicket


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Delivery)
class DeliveryAdmin(ReadOnlyAdmin):
    list_display = ["id", "customer", "vin", "consultant", "scheduled_at", "state", "store"]
    list_filter = ["store", "state"]
    search_fields = ["vin", "customer__name"]


@admin.register(CareCall)
class CareCallAdmin(ReadOnlyAdmin):
    list_display = ["delivery", "step", "reached", "recorded_by", "recorded_at"]


@admin.register(Referral)
class ReferralAdmin(ReadOnlyAdmin):
    list_display = ["delivery", "referred", "created_by", "created_at"]


@admin.register(RepairTicket)
class RepairTicketAdmin(ReadOnlyAdmin):
    list_display = ["number", "customer", "product", "model", "serial", "in_warranty", "state", "state_since", "store"]
    list_filter = ["store", "state", "in_warranty"]
    search_fields = ["number", "serial", "customer__name"]


@admin.register(RepairBreach)
class RepairBreachAdmin(ReadOnlyAdmin):
    list_display = ["ticket", "since", "state", "staff", "escalated_to", "escalated_at"]


@admin.register(RepairFinding)
class RepairFindingAdmin(admin.ModelAdmin):
    list_display = ["found_on", "kind", "staff", "note", "store"]
    list_filter = ["store", "kind"]
