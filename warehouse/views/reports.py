"""The nightly reports page (list and downloads), the day's movements list and the warehouse
dashboard. Warehouse staff only; another store's report is a 404."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from showroom.pagination import CappedPaginator
from showroom.permissions import store_ids_for
from warehouse import selectors
from warehouse.models import NightlyReport, StockMove
from warehouse.navigation import STAFF
from warehouse.selectors_dashboard import dashboard_panels


def staff_required(request) -> list[int]:
    """The stores where the user holds a warehouse role; none: 403."""
    ids = store_ids_for(request.user, STAFF)
    if not ids:
        raise PermissionDenied(_("The warehouse reports are for warehouse staff."))
    return ids


@require_GET
@login_required
def reports_view(request):
    ids = staff_required(request)
    rows = NightlyReport.objects.filter(store_id__in=ids).select_related("store").order_by("-day", "store_id")
    page = CappedPaginator(rows, 25).get_page(request.GET.get("page"))
    return render(request, "warehouse/reports/list.html", {"page": page})


@require_GET
@login_required
def report_download_view(request, pk: int, fmt: str):
    ids = staff_required(request)
    report = NightlyReport.objects.filter(pk=pk, store_id__in=ids).select_related("store").first()
    if report is None or fmt not in ("pdf", "xlsx"):
        raise Http404
    field = report.pdf if fmt == "pdf" else report.xlsx
    if not field:
        raise Http404
    return FileResponse(
        field.open("rb"), as_attachment=True, filename=f"nightly-{report.store.code}-{report.day:%Y%m%d}.{fmt}"
    )


class MoveFilter(forms.Form):
    warehouse = forms.ModelChoiceField(queryset=None, required=False, label=gettext_lazy("Warehouse"))
    kind = forms.ChoiceField(required=False, label=gettext_lazy("Kind"))
    day = forms.DateField(required=False, label=gettext_lazy("Day"), widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["warehouse"].queryset = selectors.warehouse_list(user=user)
        self.fields["kind"].choices = [("", "—"), *StockMove.Kind.choices]
        for field in self.fields.values():
            field.widget.attrs["class"] = "form-control" if isinstance(field, forms.DateField) else "form-select"


@require_GET
@login_required
def moves_view(request):
    """Stock moves by warehouse, kind and local day (where the dashboard's movement figures link)."""
    staff_required(request)
    form = MoveFilter(request.GET or None, user=request.user)
    values = form.cleaned_data if form.is_valid() else {}
    rows = selectors.move_list(
        user=request.user, warehouse_id=values["warehouse"].pk if values.get("warehouse") else None
    ).order_by("-created_at", "-id")
    if values.get("kind"):
        rows = rows.filter(kind=values["kind"])
    if values.get("day"):
        zone = timezone.get_default_timezone()
        start = timezone.make_aware(dt.datetime.combine(values["day"], dt.time.min), zone)
        rows = rows.filter(created_at__gte=start, created_at__lt=start + dt.timedelta(days=1))
    page = CappedPaginator(rows, 25).get_page(request.GET.get("page"))
    return render(request, "warehouse/reports/moves.html", {"filters": form, "page": page})


@require_GET
@login_required
def dashboard_view(request):
    staff_required(request)
    panels = dashboard_panels(store_ids=store_ids_for(request.user))
    return render(request, "warehouse/dashboard.html", {"panels": panels})
