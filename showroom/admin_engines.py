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
