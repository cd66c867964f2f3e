"""Admin of the real-estate app. A project's settings and its buildings are editable; every record
that changes only through the services (permits, price lists, units and their states, sales,
receipts, the cashier's reports, visitors) is read-only here."""

from django.contrib import admin

from realestate import models as m


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class BuildingInline(admin.TabularInline):
    model = m.Building
    extra = 0


@admin.register(m.Project)
class ProjectAdmin(admin.ModelAdmin):
    """Settings only: the state changes through ``project_open``; the project is never deleted."""

    list_display = ["name", "code", "store", "state", "opened_at"]
    list_filter = ["store", "state"]
    list_select_related = ["store"]
    readonly_fields = ["state", "opened_at", "created_at"]
    inlines = [BuildingInline]

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(m.Building)
class BuildingAdmin(admin.ModelAdmin):
    list_display = ["name", "project", "order"]
    list_filter = ["project"]
    list_select_related = ["project"]

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(m.Permit)
class PermitAdmin(ReadOnlyAdmin):
    list_display = ["project", "kind", "number", "issued_on", "max_price_per_m2"]
    list_filter = ["kind", "project"]
    list_select_related = ["project"]


class PriceListBuildingInline(ReadOnlyInline):
    model = m.PriceListBuilding


@admin.register(m.PriceList)
class PriceListAdmin(ReadOnlyAdmin):
    list_display = ["project", "version", "state", "effective_from", "approved_at"]
    list_filter = ["state", "project"]
    list_select_related = ["project"]
    inlines = [PriceListBuildingInline]


@admin.register(m.AgreementTemplate)
class AgreementTemplateAdmin(ReadOnlyAdmin):
    """Versions change only through their approval (``agreement_template_submit``)."""

    list_display = ["project", "kind", "version", "state", "effective_from", "approved_at"]
    list_filter = ["state", "kind", "project"]
    list_select_related = ["project"]


@admin.register(m.Unit)
class UnitAdmin(ReadOnlyAdmin):
    list_display = ["number", "building", "floor", "state", "built_area", "layout", "orientation"]
    list_filter = ["state", "project", "building"]
    list_select_related = ["building"]
    search_fields = ["number"]


@admin.register(m.Subscription)
class SubscriptionAdmin(ReadOnlyAdmin):
    list_display = ["number", "unit", "customer", "consultant", "state", "total_price", "sign_due_on"]
    list_filter = ["state", "project"]
    list_select_related = ["unit__building", "customer", "consultant"]
    search_fields = ["number", "customer__mobile"]


class PaymentLineInline(ReadOnlyInline):
    model = m.PaymentLine


class ContractCopyInline(ReadOnlyInline):
    model = m.ContractCopy


class CustodyInline(ReadOnlyInline):
    model = m.Custody


@admin.register(m.Contract)
class ContractAdmin(ReadOnlyAdmin):
    list_display = ["number", "subscription", "state", "total_price", "signed_at", "filed_at"]
    list_filter = ["state", "project"]
    list_select_related = ["subscription"]
    search_fields = ["number", "filing_number"]
    inlines = [PaymentLineInline, ContractCopyInline, CustodyInline]


@admin.register(m.Receipt)
class ReceiptAdmin(ReadOnlyAdmin):
    list_display = ["number", "day", "kind", "amount", "customer", "taken_by"]
    list_filter = ["kind", "store", "day"]
    list_select_related = ["customer", "taken_by"]
    search_fields = ["number"]


@admin.register(m.CashierDay)
class CashierDayAdmin(ReadOnlyAdmin):
    list_display = ["store", "day", "count", "received", "refunded", "handed_over_at"]
    list_filter = ["store"]
    list_select_related = ["store"]


@admin.register(m.VipCard)
class VipCardAdmin(ReadOnlyAdmin):
    list_display = ["number", "sequence", "project", "customer", "state", "amount"]
    list_filter = ["state", "project"]
    list_select_related = ["project", "customer"]
    search_fields = ["number", "customer__mobile"]


@admin.register(m.SmallDeposit)
class SmallDepositAdmin(ReadOnlyAdmin):
    list_display = ["pk", "unit", "customer", "state", "amount", "expires_on"]
    list_filter = ["state", "project"]
    list_select_related = ["unit", "customer"]


# Records inlined above, also listed on their own (read-only) so every model has an admin.
for model in (m.PriceListBuilding, m.PaymentLine, m.ContractCopy, m.Custody):
    admin.site.register(model, ReadOnlyAdmin)


@admin.register(m.Intention)
class IntentionAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "project", "customer", "consultant", "grade", "layouts"]
    list_filter = ["grade", "project"]
    list_select_related = ["project", "customer", "consultant"]


for model in (m.SpotCheck, m.WorkLog, m.CallerAssignment, m.Invoice):
    admin.site.register(model, ReadOnlyAdmin)


@admin.register(m.ChangeRequest)
class ChangeRequestAdmin(ReadOnlyAdmin):
    """Changes go through the approval matrix and their services only."""

    list_display = ["__str__", "kind", "state", "subscription", "project", "created_at"]
    list_filter = ["kind", "state", "project"]
    list_select_related = ["subscription", "project"]
