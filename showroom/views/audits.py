"""Process audit pages: the store's audits, a new audit, auditing item by item, and the monthly
scores per consultant and per section (page and PDF)."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from showroom.exports import ListExport, list_export, register_list_export
from showroom.forms import BootstrapFormMixin
from showroom.models import Visit
from showroom.permissions import has_role
from showroom.selectors.dashboard import DASHBOARD_ROLES
from showroom.selectors.dashboard_audits import audit_get, audit_list, audit_monthly, audit_sections
from showroom.selectors.frontdesk.common import store_consultants
from showroom.services.audits import (
    audit_answer,
    audit_complete,
    audit_rescore,
    audit_settings_for,
    audit_settings_update,
    audit_start,
)
from showroom.services.transitions import TransitionConflict

PAGE_SIZE = 25


def _store(request):
    store = request.store
    if store is None or not has_role(request.user, store, DASHBOARD_ROLES):
        raise PermissionDenied(_("Process audits are for the store's managers."))
    return store


def _month(raw) -> dt.date | None:
    try:
        year, month = (raw or "").split("-")
        return dt.date(int(year), int(month), 1)
    except ValueError:
        return None


def _int(raw) -> int | None:
    try:
        value = int(raw)
    except (TypeError, ValueError):
        return None
    return value if 0 < value < 2**63 else None


register_list_export(
    ListExport(
        code="dashboard.audits",
        basename="process-audits",
        headers=lambda: [
            _("Interaction at"),
            _("Consultant"),
            _("Customer"),
            _("Auditor"),
            _("State"),
            _("Score"),
            _("Out of"),
        ],
        row=lambda a: [
            a.interaction_at,
            a.consultant.get_full_name() or a.consultant.get_username(),
            a.customer.name if a.customer_id else "",
            a.auditor.get_full_name() or a.auditor.get_username(),
            a.get_state_display(),
            a.score,
            a.max_score,
        ],
    )
)


@require_GET
@login_required
def audit_list_view(request):
    store = _store(request)
    consultant_id = _int(request.GET.get("consultant"))
    month = _month(request.GET.get("month"))
    qs = audit_list(user=request.user, store_id=store.pk, consultant_id=consultant_id, month=month)
    export = list_export(request, code="dashboard.audits", queryset=qs)
    if export is not None:
        return export
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "showroom/audit/list.html",
        {
            "page": page,
            "consultants": store_consultants(store=store),
            "consultant_id": consultant_id,
            "month": request.GET.get("month", "") if month else "",
        },
    )


class AuditStartForm(BootstrapFormMixin, forms.Form):
    consultant = forms.TypedChoiceField(label=gettext_lazy("Consultant"), coerce=int)
    visit = forms.TypedChoiceField(
        label=gettext_lazy("Walk-in"),
        coerce=int,
        required=False,
        empty_value=None,
        help_text=gettext_lazy("The walk-in audited; its customer and time are taken from it."),
    )
    interaction_at = forms.DateTimeField(
        label=gettext_lazy("Interaction at"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
        help_text=gettext_lazy("Only when no walk-in is chosen."),
    )

    def __init__(self, *args, consultants=(), visits=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["consultant"].choices = [(c.pk, c.get_full_name() or c.get_username()) for c in consultants]
        self.fields["visit"].choices = [("", "—")] + [
            (
                v.pk,
                f"{timezone.localtime(v.arrived_at):%Y-%m-%d %H:%M} · {v.customer.name if v.customer_id else '—'}"
                f" · {(v.consultant.get_full_name() or v.consultant.get_username()) if v.consultant_id else '—'}",
            )
            for v in visits
        ]


@login_required
def audit_create_view(request):
    store = _store(request)
    consultants = list(store_consultants(store=store))
    since = timezone.now() - dt.timedelta(days=31)
    visits = list(
        Visit.objects.filter(store=store, arrived_at__gte=since)
        .select_related("customer", "consultant")
        .order_by("-arrived_at")[:200]
    )
    form = AuditStartForm(
        request.POST if request.method == "POST" else None,
        consultants=consultants,
        visits=visits,
        initial={"consultant": _int(request.GET.get("consultant"))},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        consultant = next(c for c in consultants if c.pk == data["consultant"])
        visit = next((v for v in visits if v.pk == data.get("visit")), None)
        try:
            audit = audit_start(
                store=store,
                auditor=request.user,
                consultant=consultant,
                visit=visit,
                interaction_at=data.get("interaction_at"),
            )
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            return redirect("dashboard:audit", pk=audit.pk)
    return render(request, "showroom/audit/new.html", {"form": form}, status=400 if form.errors else 200)


@login_required
def audit_detail_view(request, pk):
    audit = audit_get(user=request.user, pk=pk)
    if request.method == "POST":
        action = request.POST.get("action", "save")
        answers = {}
        for answer in audit.answers.all():
            key = f"a{answer.pk}"
            if key in request.POST or f"{key}_note" in request.POST:
                answers[answer.pk] = (request.POST.get(key, ""), request.POST.get(f"{key}_note", ""))
        try:
            audit_answer(audit=audit, user=request.user, answers=answers)
            if action == "rescore":
                audit_rescore(audit=audit, user=request.user)
                messages.success(request, _("The automatic items were scored again."))
            elif action == "complete":
                audit_complete(audit=audit, user=request.user, note=request.POST.get("note", ""))
                messages.success(request, _("The audit is complete."))
            else:
                messages.success(request, _("Answers saved."))
        except (TransitionConflict, ValidationError) as exc:
            text = exc.message if isinstance(exc, TransitionConflict) else " ".join(exc.messages)
            messages.error(request, text)
            return render(
                request,
                "showroom/audit/detail.html",
                {"audit": audit_get(user=request.user, pk=pk), "sections": audit_sections(audit=audit)},
                status=409 if isinstance(exc, TransitionConflict) else 400,
            )
        return redirect("dashboard:audit", pk=audit.pk)
    return render(request, "showroom/audit/detail.html", {"audit": audit, "sections": audit_sections(audit=audit)})


def _monthly(request):
    store = _store(request)
    month = _month(request.GET.get("month")) or timezone.localdate().replace(day=1)
    return store, audit_monthly(store_ids=[store.pk], month=month)


@require_GET
@login_required
def audit_monthly_view(request):
    store, data = _monthly(request)
    chart = {
        "labels": [m.strftime("%Y-%m") for m in data["months"]],
        "series": [
            {"label": c["name"], "data": [float(v) if v is not None else None for v in c["scores"]]}
            for c in data["consultants"]
        ],
    }
    return render(
        request,
        "showroom/audit/monthly.html",
        {**data, "store": store, "chart": chart, "month_value": data["month"].strftime("%Y-%m")},
    )


@require_GET
@login_required
def audit_monthly_pdf_view(request):
    from django.utils import translation

    from showroom.pdf import pdf_language, render_pdf

    store = _store(request)
    month = _month(request.GET.get("month")) or timezone.localdate().replace(day=1)
    with translation.override(pdf_language()):
        data = audit_monthly(store_ids=[store.pk], month=month)
        context = {**data, "store": store, "title": _("Process audit scores")}
    content = render_pdf("pdf/showroom/dashboard_audit.html", context)
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="audit-{store.code}-{month:%Y%m}.pdf"'
    return response


class AuditSettingsForm(BootstrapFormMixin, forms.Form):
    walkin_minutes = forms.IntegerField(
        label=gettext_lazy("A walk-in is logged and assigned within (minutes)"),
        help_text=gettext_lazy("The seed's “within five steps” of the door."),
    )
    test_drive_minutes = forms.IntegerField(label=gettext_lazy("A test drive lasts at least (minutes)"))


@login_required
def audit_settings_view(request):
    """The thresholds the automatic audit items are scored against, for the current store."""
    store = _store(request)
    current = audit_settings_for(store=store)
    initial = {"walkin_minutes": current.walkin_minutes, "test_drive_minutes": current.test_drive_minutes}
    form = AuditSettingsForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                audit_settings_update(store=store, user=request.user, **form.cleaned_data)
            except ValidationError as exc:
                for field, errors in exc.message_dict.items():
                    for error in errors:
                        form.add_error(field if field in form.fields else None, error)
            else:
                messages.success(request, _("Audit thresholds saved; new audits and rescoring use them."))
                return redirect("dashboard:audit_settings")
        status = 400
    return render(request, "showroom/audit/settings.html", {"form": form, "store": store}, status=status)
