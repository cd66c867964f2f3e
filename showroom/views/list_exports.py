"""How the core's own list pages export (``showroom.exports``): approvals (inbox and mine), my
follow-ups and checklist runs. Each list view hands the queryset it shows, filters applied, to
``list_export``; a row reads only what the list's query already joined."""

from django.utils import timezone
from django.utils.translation import gettext as _

from showroom.approval_kinds import kind_label
from showroom.exports import ListExport, register_list_export


def _local(value):
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


def _person(user) -> str:
    return (user.get_full_name() or user.get_username()) if user else ""


def _approval_row(request) -> list:
    return [
        request.pk,
        str(kind_label(request.kind)),
        request.target_label,
        request.store.name,
        request.value if request.unit != "none" else "",
        _person(request.requester),
        request.get_state_display(),
        request.routed_role.name if request.routed_role else "",
        _local(request.created_at),
        _local(request.decided_at),
    ]


def _approval_headers() -> list:
    return [
        _("Number"),
        _("Kind"),
        _("About"),
        _("Store"),
        _("Value"),
        _("Requested by"),
        _("State"),
        _("Waiting for"),
        _("Requested at"),
        _("Decided at"),
    ]


register_list_export(
    ListExport(code="approvals.inbox", basename="approvals-inbox", headers=_approval_headers, row=_approval_row)
)
register_list_export(
    ListExport(code="approvals.mine", basename="my-approval-requests", headers=_approval_headers, row=_approval_row)
)
register_list_export(
    ListExport(
        code="followups.mine",
        basename="my-followups",
        headers=lambda: [_("What to do"), _("About"), _("Kind"), _("Due"), _("State"), _("Done at"), _("Store")],
        row=lambda f: [
            f.title,
            f.target_label,
            f.get_kind_display(),
            _local(f.due_at),
            f.get_state_display(),
            _local(f.done_at),
            f.store.name,
        ],
    )
)
register_list_export(
    ListExport(
        code="checklists.runs",
        basename="checklist-runs",
        headers=lambda: [_("Checklist"), _("About"), _("Started by"), _("Started at"), _("Complete at"), _("Score")],
        row=lambda r: [
            r.template.title,
            r.target_label,
            _person(r.started_by),
            _local(r.started_at),
            _local(r.completed_at),
            r.score if r.score is not None else "",
        ],
    )
)
