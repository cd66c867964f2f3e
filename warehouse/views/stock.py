"""Stock pages: stock on hand (filters by warehouse, category, item; reserved vs available;
serials; value) and the item card (stock per warehouse, serials, reservations, moves)."""

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from showroom.exports import export_response
from showroom.pagination import CappedPaginator
from showroom.permissions import store_ids_for
from warehouse import selectors
from warehouse.models import Item, ItemCategory


def member_required(request) -> list[int]:
    ids = store_ids_for(request.user)
    if not ids:
        raise PermissionDenied(_("You hold no role in any store."))
    return ids


class StockFilter(forms.Form):
    warehouse = forms.ModelChoiceField(queryset=None, required=False, label=gettext_lazy("Warehouse"))
    category = forms.ModelChoiceField(
        queryset=ItemCategory.objects.all(), required=False, label=gettext_lazy("Category")
    )
    q = forms.CharField(required=False, max_length=60, label=gettext_lazy("Item code or name"))
    below_reorder = forms.BooleanField(required=False, label=gettext_lazy("Below reorder point"))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["warehouse"].queryset = selectors.warehouse_list(user=user)
        for field in self.fields.values():
            css = "form-check-input" if isinstance(field.widget, forms.CheckboxInput) else "form-select"
            if isinstance(field.widget, forms.TextInput):
                css = "form-control"
            field.widget.attrs["class"] = css


@require_GET
@login_required
def stock_view(request):
    member_required(request)
    form = StockFilter(request.GET or None, user=request.user)
    values = form.cleaned_data if form.is_valid() else {}
    rows = selectors.stock_level_list(
        user=request.user,
        warehouse_id=values["warehouse"].pk if values.get("warehouse") else None,
        category_id=values["category"].pk if values.get("category") else None,
        q=values.get("q") or "",
        below_reorder=bool(values.get("below_reorder")),
    )
    export = request.GET.get("export")
    if export in ("csv", "xlsx"):
        return _export(export, rows)
    page = CappedPaginator(rows, 25).get_page(request.GET.get("page"))
    serials = selectors.serials_in_stock(levels=list(page.object_list))
    lines = [(level, serials.get((level.item_id, level.warehouse_id), [])) for level in page.object_list]
    template = "warehouse/_stock_table.html" if request.headers.get("HX-Request") else "warehouse/stock.html"
    return render(request, template, {"filters": form, "page": page, "lines": lines})


def _export(fmt: str, rows):
    headers = [
        _("Item code"),
        _("Item"),
        _("Category"),
        _("Warehouse"),
        _("On hand"),
        _("Unit of measure"),
        _("Reserved"),
        _("Available"),
        _("Value"),
    ]
    lines = (
        (
            lv.item.code,
            lv.item.name,
            str(lv.item.category or ""),
            lv.warehouse.name,
            lv.quantity,
            lv.item.get_unit_display(),
            lv.reserved,
            lv.available,
            lv.value,
        )
        for lv in rows.iterator(chunk_size=500)
    )
    return export_response(fmt, "stock", headers, lines)


@require_GET
@login_required
def item_view(request, pk):
    member_required(request)
    item = get_object_or_404(Item.objects.select_related("category"), pk=pk)
    return render(request, "warehouse/item.html", selectors.item_card(user=request.user, item=item))
