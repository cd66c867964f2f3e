from django.contrib import admin

from leads.models import (
    AppraisalRequest,
    Brand,
    Campaign,
    Colour,
    GradeRule,
    Lead,
    LeadContact,
    LeadObjection,
    LeadSettings,
    LostReason,
    Owner,
    ReplacementCycle,
    Trim,
    TrimColour,
    VehicleModel,
)


class TrimInline(admin.TabularInline):
    model = Trim
    extra = 0


class ColourInline(admin.TabularInline):
    model = Colour
    extra = 0


@admin.register(Brand)
class BrandAdmin(admin.ModelAdmin):
    list_display = ["name", "is_own"]


@admin.register(VehicleModel)
class VehicleModelAdmin(admin.ModelAdmin):
    list_display = ["name", "brand", "segment", "consultant_discount_limit", "is_active"]
    list_filter = ["brand", "segment", "is_active"]
    list_select_related = ["brand"]
    inlines = [TrimInline, ColourInline]


@admin.register(Trim)
class TrimAdmin(admin.ModelAdmin):
    list_display = ["name", "vehicle_model", "list_price", "is_active"]
    list_select_related = ["vehicle_model__brand"]


@admin.register(Colour)
class ColourAdmin(admin.ModelAdmin):
    list_display = ["name", "vehicle_model", "code"]
    list_select_related = ["vehicle_model__brand"]


@admin.register(TrimColour)
class TrimColourAdmin(admin.ModelAdmin):
    list_display = ["trim", "colour", "list_price", "warehouse_item_id"]
    list_select_related = ["trim__vehicle_model__brand", "colour"]


@admin.register(GradeRule)
class GradeRuleAdmin(admin.ModelAdmin):
    list_display = ["store", "grade", "buy_within_days", "follow_up_every_days", "needs_manager_plan"]
    list_filter = ["store"]


@admin.register(LeadSettings)
class LeadSettingsAdmin(admin.ModelAdmin):
    list_display = ["store", "dormant_after_days"]


@admin.register(LostReason)
class LostReasonAdmin(admin.ModelAdmin):
    list_display = ["text", "store", "is_active"]


class ObjectionInline(admin.TabularInline):
    model = LeadObjection
    extra = 0


@admin.register(Lead)
class LeadAdmin(admin.ModelAdmin):
    list_display = ["customer", "store", "consultant", "grade", "state", "vehicle_model", "created_at"]
    list_filter = ["state", "grade", "store"]
    list_select_related = ["customer", "store", "consultant", "vehicle_model__brand"]
    search_fields = ["customer__name", "customer__mobile"]
    readonly_fields = ["state"]
    inlines = [ObjectionInline]


@admin.register(LeadObjection)
class LeadObjectionAdmin(admin.ModelAdmin):
    list_display = ["objection", "lead", "resolved", "recorded_at"]


@admin.register(LeadContact)
class LeadContactAdmin(admin.ModelAdmin):
    list_display = ["lead", "kind", "at", "recorded_by", "automatic"]


@admin.register(AppraisalRequest)
class AppraisalRequestAdmin(admin.ModelAdmin):
    list_display = ["car_details", "lead", "state", "requested_at"]


@admin.register(ReplacementCycle)
class ReplacementCycleAdmin(admin.ModelAdmin):
    list_display = ["store", "segment", "months"]


@admin.register(Owner)
class OwnerAdmin(admin.ModelAdmin):
    list_display = ["customer", "model_text", "purchase_date", "replacement_due", "bought_elsewhere"]
    list_select_related = ["customer"]


@admin.register(Campaign)
class CampaignAdmin(admin.ModelAdmin):
    list_display = ["name", "store", "due_from", "due_to", "distribution", "visit_on"]


# --- car sales: the rule tables are edited here; quotes and orders only change through services ---
from leads.models import Appraisal, Order, Payment, PurchaseTaxRule, Quote, QuoteLine, SalesSettings  # noqa: E402


@admin.register(PurchaseTaxRule)
class PurchaseTaxRuleAdmin(admin.ModelAdmin):
    list_display = ["valid_from", "valid_to", "rate_percent", "nev_relief_percent", "nev_relief_cap", "note"]


@admin.register(SalesSettings)
class SalesSettingsAdmin(admin.ModelAdmin):
    list_display = ["store", "deposit_amount", "quote_valid_days", "refund_before_allocation_percent"]


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Quote)
class QuoteAdmin(ReadOnlyAdmin):
    list_display = ["number", "version", "lead", "state", "total", "valid_until"]
    list_select_related = ["lead__customer"]


@admin.register(Order)
class OrderAdmin(ReadOnlyAdmin):
    list_display = ["pk", "quote", "state", "total", "paid", "vin"]
    list_select_related = ["quote"]


@admin.register(QuoteLine)
class QuoteLineAdmin(ReadOnlyAdmin):
    list_display = ["quote", "kind", "description", "quantity", "unit_price", "amount"]


@admin.register(Payment)
class PaymentAdmin(ReadOnlyAdmin):
    list_display = ["order", "kind", "method", "amount", "receipt_number", "at"]


@admin.register(Appraisal)
class AppraisalAdmin(ReadOnlyAdmin):
    list_display = ["make", "model", "year", "mileage_km", "offer", "valid_until", "state"]
