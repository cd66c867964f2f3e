from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from showroom.approval_kinds import KINDS, kind_label
from showroom.exports import list_export
from showroom.forms import BootstrapFormMixin
from showroom.models import ApprovalRequest
from showroom.selectors.approvals import approval_get, approval_inbox, approval_my_requests
from showroom.selectors.stores import store_list_for_user
from showroom.selectors.timeline import timeline_for
from showroom.services.approvals import (
    approval_approve,
    approval_escalate,
    approval_reject,
    approval_withdraw,
)
from showroom.services.transitions import TransitionConflict, transitions_available
from showroom.views import list_exports  # noqa: F401  (registers the rows)


class InboxFilterForm(BootstrapFormMixin, forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("Kind"), required=False)
    store = forms.TypedChoiceField(label=gettext_lazy("Store"), required=False, coerce=int, empty_value=None)
    older_than_days = forms.IntegerField(
        label=gettext_lazy("Waiting at least (days)"), required=False, min_value=0, max_value=365
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", _("All kinds"))] + [(code, label) for code, (label, _u) in KINDS.items()]
        self.fields["store"].choices = [("", _("All stores"))] + [
            (s.pk, s.name) for s in store_list_for_user(user=user)
        ]


@login_required
def approval_inbox_view(request):
    form = InboxFilterForm(request.GET or None, user=request.user)
    filters = form.cleaned_data if form.is_valid() else {}
    qs = approval_inbox(
        user=request.user,
        kind=filters.get("kind") or "",
        store_id=filters.get("store"),
        older_than_days=filters.get("older_than_days"),
    )
    export = list_export(request, code="approvals.inbox", queryset=qs)
    if export is not None:
        return export
    page = Paginator(qs, 25).get_page(request.GET.get("page"))
    return render(request, "showroom/approvals/inbox.html", {"page": page, "filters": form, "box": "inbox"})


@login_required
def approval_mine_view(request):
    state = request.GET.get("state", "")
    qs = approval_my_requests(user=request.user, state=state if state in ApprovalRequest.State.values else "")
    export = list_export(request, code="approvals.mine", queryset=qs)
    if export is not None:
        return export
    page = Paginator(qs, 25).get_page(request.GET.get("page"))
    return render(
        request,
        "showroom/approvals/mine.html",
        {"page": page, "box": "mine", "states": ApprovalRequest.State.choices, "state": state},
    )


@login_required
def approval_detail_view(request, pk):
    approval = approval_get(user=request.user, pk=pk)
    return render(
        request,
        "showroom/approvals/detail.html",
        {
            "approval": approval,
            "kind_label": kind_label(approval.kind),
            "transitions": transitions_available(instance=approval, user=request.user),
            "timeline": timeline_for(target=approval.target) if approval.target is not None else [],
        },
    )


_SERVICES = {
    "approve": approval_approve,
    "reject": approval_reject,
    "escalate": approval_escalate,
    "withdraw": approval_withdraw,
}


@require_POST
@login_required
def approval_decide_view(request, pk, name):
    approval = approval_get(user=request.user, pk=pk)
    service = _SERVICES.get(name)
    if service is None:
        raise PermissionDenied
    note = request.POST.get("note", "").strip()
    try:
        service(request=approval, user=request.user, note=note)
    except (PermissionDenied, TransitionConflict, ValidationError) as exc:
        text = exc.message if isinstance(exc, TransitionConflict) else " ".join(getattr(exc, "messages", [str(exc)]))
        messages.error(request, text or _("You are not allowed to do this."))
    else:
        done = {
            "approve": _("Approved."),
            "reject": _("Rejected."),
            "escalate": _("Escalated to the next level."),
            "withdraw": _("Withdrawn."),
        }
        messages.success(request, done[name])
    target = request.POST.get("next")
    if target == "inbox":
        return redirect("approvals:inbox")
    return redirect("approvals:detail", pk=approval.pk)
