from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from showroom import admin_engines  # noqa: F401  (approvals, jobs, follow-ups)
from showroom.models import Customer, Membership, Role, Store
from showroom.validators import mask_mobile


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Store)
class StoreAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "kind", "phone", "opening_time", "closing_time", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["code", "name"]
    inlines = [MembershipInline]


@admin.register(Role)
class RoleAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "seed_term", "rank"]
    readonly_fields = ["code", "group"]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "store", "role", "is_active"]
    list_filter = ["store", "role", "is_active"]
    list_select_related = ["user", "store", "role"]
    search_fields = ["user__username", "user__first_name", "user__last_name"]
    autocomplete_fields = ["user"]


@admin.register(Customer)
class CustomerAdmin(admin.ModelAdmin):
    list_display = ["name", "masked_mobile", "store", "source", "created_at"]
    list_filter = ["store", "source"]
    list_select_related = ["store"]
    search_fields = ["name", "mobile"]
    readonly_fields = ["consent_at", "created_by", "created_at", "updated_at"]

    @admin.display(description=_("mobile"))
    def masked_mobile(self, obj):
        return mask_mobile(obj.mobile)
