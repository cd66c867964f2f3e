from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from showroom import admin_engines  # noqa: F401  (approvals, jobs, follow-ups)
from showroom.models import (
    Customer,
    CustomerMerge,
    DuplicateDismissal,
    Membership,
    OwnershipEvent,
    PersonalDataAccess,
    Role,
    Store,
)
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
    list_display = ["name", "masked_mobile", "store", "owner", "owned_until", "source", "created_at"]
    list_filter = ["store", "source"]
    list_select_related = ["store", "owner"]
    search_fields = ["name", "mobile"]
    # Ownership and merges change through the services (with their events and notices) only.
    readonly_fields = [
        "consent_at",
        "created_by",
        "created_at",
        "updated_at",
        "owner",
        "owned_until",
        "last_contact_at",
    ]

    @admin.display(description=_("mobile"))
    def masked_mobile(self, obj):
        return mask_mobile(obj.mobile)


class _ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(OwnershipEvent)
class OwnershipEventAdmin(_ReadOnlyAdmin):
    list_display = ["customer", "kind", "from_user", "to_user", "by", "at"]
    list_filter = ["kind"]
    list_select_related = ["customer", "from_user", "to_user", "by"]


@admin.register(CustomerMerge)
class CustomerMergeAdmin(_ReadOnlyAdmin):
    list_display = ["survivor", "duplicate_id", "store", "by", "at"]
    list_select_related = ["survivor", "store", "by"]


@admin.register(DuplicateDismissal)
class DuplicateDismissalAdmin(_ReadOnlyAdmin):
    list_display = ["first", "second", "store", "by", "at"]
    list_select_related = ["first", "second", "store", "by"]


# The reveal log is evidence: nobody edits or deletes it, not even a superuser in the admin.
@admin.register(PersonalDataAccess)
class PersonalDataAccessAdmin(_ReadOnlyAdmin):
    list_display = ["created_at", "user", "store", "customer_ref", "action", "channel", "fields"]
    list_filter = ["action", "channel", "store"]
    search_fields = ["customer_ref", "user__username"]
    list_select_related = ["user", "store"]


# --- the dashboard's roll-up: derived data, written by the nightly job and the command only ---
from showroom.models import DailyFigure, DailyRollup  # noqa: E402


@admin.register(DailyRollup)
class DailyRollupAdmin(_ReadOnlyAdmin):
    list_display = ["day", "store", "computed_at"]
    list_filter = ["store"]
    date_hierarchy = "day"
    list_select_related = ["store"]


@admin.register(DailyFigure)
class DailyFigureAdmin(_ReadOnlyAdmin):
    list_display = ["day", "store", "code", "consultant", "value"]
    list_filter = ["store", "code"]
    date_hierarchy = "day"
    list_select_related = ["store", "consultant"]


# --- documents engine: numbers and PDFs are written by the services only -----------------------
from django.contrib import messages  # noqa: E402
from django.core.exceptions import PermissionDenied  # noqa: E402

from showroom.models import Document, DocumentSequence  # noqa: E402


@admin.register(DocumentSequence)
class DocumentSequenceAdmin(admin.ModelAdmin):
    """Read-only: a number issued is never reused, so the counters are not edited by hand."""

    list_display = ["doc_type", "scope", "year", "last_number"]
    list_filter = ["doc_type", "year"]
    search_fields = ["doc_type", "scope"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Document)
class DocumentAdmin(admin.ModelAdmin):
    list_display = ["number", "version", "doc_type", "store", "state", "pages", "created_at", "rendered_at"]
    list_filter = ["state", "doc_type", "store"]
    list_select_related = ["store"]
    search_fields = ["number", "sha256"]
    readonly_fields = [f.name for f in Document._meta.fields]
    actions = ["render_again"]

    def has_add_permission(self, request):
        return False  # documents are issued from their record, through the services

    def has_delete_permission(self, request, obj=None):
        return False  # every version is kept

    @admin.action(description=_("Render again as a new version"))
    def render_again(self, request, queryset):
        from showroom.services.documents import document_rerender

        done = 0
        for document in queryset:
            try:
                document_rerender(document=document, user=request.user)
            except PermissionDenied as exc:
                self.message_user(request, f"{document.number}: {exc}", messages.ERROR)
            else:
                done += 1
        if done:
            self.message_user(request, _("%(count)s new versions are being prepared.") % {"count": done})


# --- checklists ----------------------------------------------------------------------------------
from showroom.models import ChecklistAnswer, ChecklistItem, ChecklistRun, ChecklistTemplate  # noqa: E402


class ChecklistItemInline(admin.TabularInline):
    model = ChecklistItem
    extra = 0
    fields = [
        "order",
        "section",
        "section_en",
        "text",
        "text_en",
        "kind",
        "required",
        "phase",
        "min_value",
        "max_value",
        "choices",
        "points",
    ]


@admin.register(ChecklistTemplate)
class ChecklistTemplateAdmin(admin.ModelAdmin):
    list_display = ["code", "title", "title_en", "source", "scored", "is_active"]
    list_filter = ["scored", "is_active"]
    search_fields = ["code", "title", "title_en"]
    inlines = [ChecklistItemInline]


@admin.register(ChecklistItem)
class ChecklistItemAdmin(admin.ModelAdmin):
    list_display = ["template", "order", "text", "kind", "required", "phase", "points"]
    list_filter = ["template", "kind", "phase", "required"]
    list_select_related = ["template"]
    search_fields = ["text", "text_en", "section"]


class ChecklistAnswerInline(admin.TabularInline):
    model = ChecklistAnswer
    extra = 0
    can_delete = False
    fields = ["item", "ticked", "number", "choice", "file", "note", "answered_by", "answered_at"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False  # answers are given on the run page or through the API


@admin.register(ChecklistRun)
class ChecklistRunAdmin(admin.ModelAdmin):
    list_display = ["id", "template", "store", "target_label", "started_by", "started_at", "completed_at", "score"]
    list_filter = ["template", "store"]
    list_select_related = ["template", "store", "started_by"]
    search_fields = ["target_label"]
    readonly_fields = [f.name for f in ChecklistRun._meta.fields]
    inlines = [ChecklistAnswerInline]

    def has_add_permission(self, request):
        return False  # runs are started from the record they check, through the services


@admin.register(ChecklistAnswer)
class ChecklistAnswerAdmin(admin.ModelAdmin):
    list_display = ["run", "item", "ticked", "number", "choice", "answered_by", "answered_at"]
    list_select_related = ["run", "item", "answered_by"]
    readonly_fields = [f.name for f in ChecklistAnswer._meta.fields]

    def has_add_permission(self, request):
        return False


# --- dashboards: audit thresholds are settings; audits and exports change through services ------
from showroom.models.audits import AuditAnswer, AuditSettings, ExportJob, ProcessAudit  # noqa: E402


@admin.register(AuditSettings)
class AuditSettingsAdmin(admin.ModelAdmin):
    list_display = ["store", "walkin_minutes", "test_drive_minutes"]
    list_select_related = ["store"]


@admin.register(ProcessAudit)
class ProcessAuditAdmin(_ReadOnlyAdmin):
    list_display = ["store", "consultant", "auditor", "interaction_at", "state", "score"]
    list_filter = ["store", "state"]
    list_select_related = ["store", "consultant", "auditor"]


@admin.register(AuditAnswer)
class AuditAnswerAdmin(_ReadOnlyAdmin):
    list_select_related = ["audit"]


@admin.register(ExportJob)
class ExportJobAdmin(_ReadOnlyAdmin):
    list_display = ["user", "code", "fmt", "state", "total", "done_rows", "created_at"]
    list_filter = ["state", "fmt"]
    list_select_related = ["user"]
    exclude = ["query"]
