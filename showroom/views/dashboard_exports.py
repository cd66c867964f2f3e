"""The drill-down lists' export columns, and the progress page and download of a background
export (any list's: ``showroom.exports.list_export``)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from showroom.exports import ListExport, register_list_export
from showroom.models import ExportJob
from showroom.validators import mask_mobile


def _person(user) -> str:
    return (user.get_full_name() or user.get_username()) if user else ""


register_list_export(
    ListExport(
        code="dashboard.visits",
        basename="walk-ins",
        headers=lambda: [
            _("Arrived at"),
            _("Left at"),
            _("Party size"),
            _("First visit"),
            _("Source"),
            _("Purpose"),
            _("Customer"),
            _("Consultant"),
        ],
        row=lambda v: [
            v.arrived_at,
            v.left_at,
            v.party_size,
            _("Yes") if v.first_visit else _("No"),
            v.source.label,
            v.get_purpose_display(),
            v.customer.name if v.customer_id else "",
            _person(v.consultant),
        ],
    )
)
register_list_export(
    ListExport(
        code="dashboard.calls",
        basename="calls",
        headers=lambda: [_("Time of the call"), _("Number"), _("Question"), _("Callback agreed for"), _("Consultant")],
        row=lambda c: [c.at, mask_mobile(c.number), c.question, c.callback_agreed_at, _person(c.consultant)],
    )
)
register_list_export(
    ListExport(
        code="dashboard.followups",
        basename="follow-ups",
        headers=lambda: [_("Due"), _("What to do"), _("About"), _("Assignee"), _("State"), _("Done at")],
        row=lambda f: [f.due_at, f.title, f.target_label, _person(f.assignee), f.get_state_display(), f.done_at],
    )
)


@require_GET
@login_required
def export_job_view(request, pk):
    """The progress of a background export (polled by htmx) and its download link when ready."""
    job = get_object_or_404(ExportJob, pk=pk, user=request.user)
    template = "showroom/dashboard/_export_progress.html" if request.headers.get("HX-Request") else None
    return render(request, template or "showroom/dashboard/export.html", {"job": job})


@require_GET
@login_required
def export_job_download_view(request, pk):
    job = get_object_or_404(ExportJob, pk=pk, user=request.user)
    if job.state != ExportJob.State.DONE or not job.file:
        raise Http404
    return FileResponse(job.file.open("rb"), as_attachment=True, filename=job.file.name.rsplit("/", 1)[-1])
