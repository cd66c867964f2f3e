"""Admin for the approval, job and follow-up engines (imported by showroom/admin.py)."""

from django.contrib import admin

from showroom.models import ApprovalDecision, ApprovalRequest, AuthorityRule, FollowUp, JobRun, Notification


@admin.register(AuthorityRule)
class AuthorityRuleAdmin(admin.ModelAdmin):
    list_display = ["kind", "step", "role", "limit", "quota", "quota_counts", "store", "is_active"]
    list_filter = ["kind", "role", "store", "is_active"]
    list_select_related = ["role", "store"]
    list_editable = ["limit", "quota", "is_active"]


class ApprovalDecisionInline(admin.TabularInline):
    model = ApprovalDecision
    extra = 0
    can_delete = False
    readonly_fields = ["step", "role", "decider", "decision", "note", "decided_at"]


@admin.register(ApprovalRequest)
class ApprovalRequestAdmin(admin.ModelAdmin):
    list_display = [
        "id",
        "kind",
        "store",
        "target_label",
        "value",
        "state",
        "routed_role",
        "requester",
        "created_at",
    ]
    list_filter = ["state", "kind", "store"]
    list_select_related = ["store", "routed_role", "requester"]
    search_fields = ["target_label", "reason"]
    readonly_fields = [f.name for f in ApprovalRequest._meta.fields]
    inlines = [ApprovalDecisionInline]

    def has_add_permission(self, request):
        return False  # requests are filed from the record that needs one, through the services


@admin.register(JobRun)
class JobRunAdmin(admin.ModelAdmin):
    list_display = ["job", "store", "day", "status", "attempts", "started_at", "finished_at"]
    list_filter = ["job", "status", "store"]
    readonly_fields = [f.name for f in JobRun._meta.fields]


@admin.register(FollowUp)
class FollowUpAdmin(admin.ModelAdmin):
    list_display = ["title", "store", "assignee", "plan", "kind", "due_at", "state", "escalated_at"]
    list_filter = ["state", "kind", "plan", "store"]
    list_select_related = ["store", "assignee"]
    search_fields = ["title", "target_label"]
    readonly_fields = ["state", "notified_at", "escalated_at", "escalated_to", "done_at", "created_at"]


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["title", "user", "created_at", "read_at", "emailed_at"]
    list_filter = ["read_at"]
    list_select_related = ["user"]


@admin.register(ApprovalDecision)
class ApprovalDecisionAdmin(admin.ModelAdmin):
    list_display = ["request", "step", "role", "decider", "decision", "decided_at"]
    list_filter = ["decision", "role"]
    list_select_related = ["request", "role", "decider"]
    readonly_fields = [f.name for f in ApprovalDecision._meta.fields]


# --- the front desk and the duty roster -----------------------------------------------------------
# Visits, calls, shifts, rosters and assignments are written by the front desk's services (the
# board and the roster page); the admin shows them. Sources and settings are edited here.

from showroom.models import (  # noqa: E402
    Assignment,
    Call,
    DutyRoster,
    FrontDeskReport,
    FrontDeskSettings,
    ReceptionShift,
    RosterEntry,
    Visit,
    VisitSource,
)


class _ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(FrontDeskSettings)
class FrontDeskSettingsAdmin(admin.ModelAdmin):
    list_display = ["store", "shift_minutes", "overdue_skip_hours", "distribution_rule"]
    list_select_related = ["store"]


@admin.register(VisitSource)
class VisitSourceAdmin(admin.ModelAdmin):
    list_display = ["name", "name_en", "code", "store", "order", "is_active"]
    list_filter = ["store", "is_active"]
    list_editable = ["order", "is_active"]
    list_select_related = ["store"]


@admin.register(ReceptionShift)
class ReceptionShiftAdmin(_ReadOnlyAdmin):
    list_display = ["receptionist", "store", "opened_at", "closed_at", "planned_minutes", "handed_to"]
    list_filter = ["store"]
    list_select_related = ["receptionist", "store", "handed_to"]
    date_hierarchy = "opened_at"


@admin.register(Visit)
class VisitAdmin(_ReadOnlyAdmin):
    list_display = ["arrived_at", "store", "party_size", "purpose", "first_visit", "source", "consultant", "left_at"]
    list_filter = ["store", "purpose", "first_visit", "source"]
    list_select_related = ["store", "source", "consultant"]
    date_hierarchy = "arrived_at"
    search_fields = ["licence_plate", "notes"]


@admin.register(Call)
class CallAdmin(_ReadOnlyAdmin):
    list_display = ["at", "store", "question", "callback_agreed_at", "consultant"]
    list_filter = ["store"]
    list_select_related = ["store", "consultant"]
    date_hierarchy = "at"


class RosterEntryInline(admin.TabularInline):
    model = RosterEntry
    extra = 0
    can_delete = False
    readonly_fields = ["consultant", "position", "status", "status_changed_at"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(DutyRoster)
class DutyRosterAdmin(_ReadOnlyAdmin):
    list_display = ["day", "store", "updated_by", "updated_at"]
    list_filter = ["store"]
    list_select_related = ["store", "updated_by"]
    inlines = [RosterEntryInline]


@admin.register(RosterEntry)
class RosterEntryAdmin(_ReadOnlyAdmin):
    list_display = ["roster", "position", "consultant", "status"]
    list_select_related = ["roster__store", "consultant"]


@admin.register(Assignment)
class AssignmentAdmin(_ReadOnlyAdmin):
    list_display = ["created_at", "store", "day", "kind", "consultant", "reason_code", "reason", "decided_by"]
    list_filter = ["store", "kind", "reason_code"]
    list_select_related = ["store", "consultant", "decided_by"]

    def has_delete_permission(self, request, obj=None):
        return False  # the record of who was given or passed over a walk-in, and why


@admin.register(FrontDeskReport)
class FrontDeskReportAdmin(_ReadOnlyAdmin):
    list_display = ["day", "kind", "store", "emailed_at", "updated_at"]
    list_filter = ["kind", "store"]
    list_select_related = ["store"]
