"""Follow-up and notification pages. Views parse input, call one service and render; the rules
(who may, what is valid, which state) are the services'."""

import json

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse, HttpResponseRedirect
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from showroom.exports import list_export
from showroom.forms import BootstrapFormMixin
from showroom.navigation import MenuEntry, register_menu_entry
from showroom.roles import ROLE_CODES
from showroom.selectors.followups import (
    BUCKET_CODES,
    BUCKETS,
    followup_bucket,
    followup_bucket_counts,
    followup_get,
    followup_my_list,
    followup_plan_label,
    notification_get,
    notification_kind,
    notification_list,
    notification_unread_count,
    notification_unread_for,
)
from showroom.selectors.timeline import timeline_for
from showroom.services.followups import (
    followup_cancel,
    followup_complete,
    followup_miss,
    followup_reschedule,
    followup_user_may_work,
    notification_mark_all_read,
    notification_mark_read,
)
from showroom.services.transitions import TransitionConflict, transitions_available
from showroom.views import list_exports  # noqa: F401  (registers the rows)

register_menu_entry(MenuEntry("front_desk", gettext_lazy("My follow-ups"), "followups:list", frozenset(ROLE_CODES), 5))

PAGE_SIZE = 50
MENU_SIZE = 5


class CompleteForm(BootstrapFormMixin, forms.Form):
    outcome = forms.CharField(
        label=gettext_lazy("Outcome"),
        required=False,  # required by the service, which says so in the user's words
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    result_code = forms.CharField(
        label=gettext_lazy("Result code"),
        required=False,
        max_length=40,
        help_text=gettext_lazy("Optional; a short code the plan understands (e.g. reached, no_answer)."),
    )


class RescheduleForm(BootstrapFormMixin, forms.Form):
    due_at = forms.DateTimeField(
        label=gettext_lazy("New due time"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    reason = forms.CharField(
        label=gettext_lazy("Reason"),
        required=False,  # required by the service
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


def add_service_errors(form: forms.Form, exc: ValidationError) -> None:
    errors = exc.message_dict if hasattr(exc, "error_dict") else {None: exc.messages}
    for name, texts in errors.items():
        field = name if name in form.fields else None
        for text in texts:
            form.add_error(field, text)


def _is_htmx(request) -> bool:
    return request.headers.get("HX-Request") == "true"


def _toast(response: HttpResponse, message: str, level: str = "success", **events) -> HttpResponse:
    # json.dumps escapes non-ASCII, so the header stays ASCII whatever the language.
    response["HX-Trigger"] = json.dumps({"showToast": {"message": str(message), "level": level}, **events})
    return response


def _next_url(request, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


def _error_text(exc: Exception) -> str:
    if isinstance(exc, TransitionConflict):
        return exc.message
    if isinstance(exc, ValidationError):
        return " ".join(exc.messages)
    return str(exc) or _("You are not allowed to do this.")


# --- my follow-ups ------------------------------------------------------------------------------


@require_GET
@login_required
def followup_list_view(request):
    bucket = request.GET.get("bucket", "")
    bucket = bucket if bucket in BUCKET_CODES else ""
    now = timezone.now()
    export = list_export(
        request, code="followups.mine", queryset=followup_my_list(user=request.user, bucket=bucket or None, now=now)
    )
    if export is not None:
        return export
    counts = followup_bucket_counts(user=request.user, now=now)
    paginator = Paginator(followup_my_list(user=request.user, bucket=bucket or None, now=now), PAGE_SIZE)
    paginator.count = counts[bucket or "all"]  # already counted above: no second COUNT query
    page = paginator.get_page(request.GET.get("page"))
    tabs = [{"code": "", "label": _("All"), "count": counts["all"]}] + [
        {"code": code, "label": label, "count": counts[code]} for code, label in BUCKETS
    ]
    return render(
        request,
        "showroom/followups/list.html",
        {
            "page": page,
            "bucket": bucket,
            "tabs": tabs,
            "bucket_labels": dict(BUCKETS),
            "show_store": len(getattr(request, "user_stores", []) or []) > 1,
        },
    )


@require_GET
@login_required
def followup_detail_view(request, pk):
    followup = followup_get(user=request.user, pk=pk)
    followup.bucket = followup_bucket(followup=followup)
    target = followup.target
    return render(
        request,
        "showroom/followups/detail.html",
        {
            "followup": followup,
            "plan_label": followup_plan_label(followup.plan),
            "transitions": transitions_available(instance=followup, user=request.user),
            "form": CompleteForm(),
            "timeline": timeline_for(target=target) if target is not None else [],
        },
    )


@require_POST
@login_required
def followup_complete_view(request, pk):
    """One step: the outcome and Done. From the list (htmx) the row disappears and a toast says so;
    a refused or invalid one keeps the row, with the reason in it."""
    followup = followup_get(user=request.user, pk=pk)
    form = CompleteForm(request.POST)
    status, error = 200, ""
    if form.is_valid():
        try:
            followup_complete(
                followup=followup,
                user=request.user,
                outcome=form.cleaned_data["outcome"],
                result_code=form.cleaned_data["result_code"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
            status, error = 400, _error_text(exc)
        except PermissionDenied as exc:
            status, error = 403, _error_text(exc)
        except TransitionConflict as exc:
            status, error = 409, exc.message
    else:
        status, error = 400, _("Please correct the errors below.")
    done = _("Done: %(title)s") % {"title": followup.title}
    if _is_htmx(request):
        if status == 200:
            return _toast(HttpResponse(""), done, followupsChanged=True)
        followup.refresh_from_db()
        followup.bucket = followup_bucket(followup=followup)
        response = render(
            request,
            "showroom/followups/_row.html",
            {"followup": followup, "form": form, "error": error, "bucket_labels": dict(BUCKETS)},
            status=status,
        )
        return _toast(response, error, "danger")
    if status == 200:
        messages.success(request, done)
        return HttpResponseRedirect(_next_url(request, reverse("followups:list")))
    if status == 403:
        raise PermissionDenied(error)
    messages.error(request, error if status == 409 else " ".join(_field_errors(form)) or error)
    return redirect("followups:detail", pk=followup.pk)


def _field_errors(form: forms.Form) -> list[str]:
    return [str(text) for texts in form.errors.values() for text in texts]


@login_required
def followup_reschedule_view(request, pk):
    followup = followup_get(user=request.user, pk=pk)
    if not followup_user_may_work(followup=followup, user=request.user):
        raise PermissionDenied
    local_due = timezone.localtime(followup.due_at)
    form = RescheduleForm(request.POST or None, initial={"due_at": local_due.replace(tzinfo=None)})
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                followup_reschedule(
                    followup=followup,
                    user=request.user,
                    due_at=form.cleaned_data["due_at"],
                    reason=form.cleaned_data["reason"],
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            except TransitionConflict as exc:
                messages.error(request, exc.message)
                return redirect("followups:detail", pk=followup.pk)
            else:
                messages.success(request, _("Moved: %(title)s") % {"title": followup.title})
                return HttpResponseRedirect(_next_url(request, reverse("followups:list")))
        status = 400
    elif "reschedule" not in transitions_available(instance=followup, user=request.user):
        messages.error(request, _("This follow-up is closed; it can no longer be moved."))
        return redirect("followups:detail", pk=followup.pk)
    return render(
        request,
        "showroom/followups/reschedule.html",
        {"followup": followup, "form": form, "next": _next_url(request, "")},
        status=status,
    )


_CLOSE_SERVICES = {
    "miss": (lambda *, followup, user, note: followup_miss(followup=followup, user=user, note=note)),
    "cancel": (lambda *, followup, user, note: followup_cancel(followup=followup, user=user, reason=note)),
}


@require_POST
@login_required
def followup_close_view(request, pk, name):
    """Missed or cancelled (with a reason), from the follow-up's page."""
    followup = followup_get(user=request.user, pk=pk)
    service = _CLOSE_SERVICES.get(name)
    if service is None:
        raise PermissionDenied
    try:
        service(followup=followup, user=request.user, note=request.POST.get("note", ""))
    except PermissionDenied:
        raise
    except (TransitionConflict, ValidationError) as exc:
        messages.error(request, _error_text(exc))
    else:
        done = {"miss": _("Marked as missed."), "cancel": _("Cancelled.")}
        messages.success(request, done[name])
    return redirect("followups:detail", pk=followup.pk)


# --- notifications ------------------------------------------------------------------------------


@require_GET
@login_required
def notification_list_view(request):
    unread_only = request.GET.get("unread") == "1"
    qs = notification_list(user=request.user, unread=True if unread_only else None)
    page = Paginator(qs, 25).get_page(request.GET.get("page"))
    for notification in page.object_list:
        notification.kind_label = notification_kind(notification.key)
    return render(request, "showroom/followups/notifications.html", {"page": page, "unread_only": unread_only})


@require_POST
@login_required
def notification_open_view(request, pk):
    """Mark one notice read and go where it points."""
    notification = notification_mark_read(notification=notification_get(user=request.user, pk=pk), user=request.user)
    target = notification.url
    if not target or not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = reverse("followups:notifications")
    return HttpResponseRedirect(target)


@require_POST
@login_required
def notification_read_view(request, pk):
    notification_mark_read(notification=notification_get(user=request.user, pk=pk), user=request.user)
    if _is_htmx(request):
        return _toast(HttpResponse(""), _("Marked as read."), notificationsChanged=True)
    return HttpResponseRedirect(_next_url(request, reverse("followups:notifications")))


@require_POST
@login_required
def notification_read_all_view(request):
    marked = notification_mark_all_read(user=request.user)
    messages.success(request, _("%(n)s notifications marked as read.") % {"n": marked})
    return HttpResponseRedirect(_next_url(request, reverse("followups:notifications")))


@require_GET
@login_required
def notification_count_view(request):
    """The bell's number, loaded by htmx after the page (so pages pay nothing for it): one query.
    Rendered without the request's context processors (the side menu, the store switcher)."""
    count = notification_unread_count(user=request.user)
    return HttpResponse(render_to_string("showroom/followups/_notifications_count.html", {"count": count}))


@require_GET
@login_required
def notification_menu_view(request):
    """The bell's menu: the newest unread notices and the way to all of them."""
    items = list(notification_unread_for(user=request.user)[:MENU_SIZE])
    for notification in items:
        notification.kind_label = notification_kind(notification.key)
    context = {"items": items, "csrf_token": get_token(request)}
    return HttpResponse(render_to_string("showroom/followups/_notifications_items.html", context))
