"""Pages of the steel desk (spot sales by weight): the sheets by step with the negotiation form,
a sheet with its step buttons (and the notice, payment and finance forms), and the weighing
screen. Every step posts to ``spot_step_view``, which calls the one service for it and reports
refusals as messages."""

from decimal import Decimal

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from showroom.exports import list_export
from showroom.selectors.customers import customer_find_by_mobile
from showroom.services.transitions import TransitionConflict, transitions_available
from showroom.views.documents import documents_panel_context
from warehouse import exports as _exports  # noqa: F401  (registers the lists' exports)
from warehouse import selectors_spot as sel
from warehouse.models import Bin, CustomerAccount, Item, SpotSheet
from warehouse.selectors import warehouse_list
from warehouse.services import (
    account_open,
    spot_notice_send,
    spot_payment_record,
    spot_sheet_approve,
    spot_sheet_cancel,
    spot_sheet_create,
    spot_sheet_issue,
    spot_sheet_release,
    spot_sheet_sign,
    spot_sheet_verify,
)
from warehouse.views.stock import member_required

LABELS = {
    "issue": gettext_lazy("Make the resource sheet"),
    "approve": gettext_lazy("Approve and sign"),
    "sign": gettext_lazy("Sign after finance"),
    "release": gettext_lazy("Release the goods"),
    "cancel": gettext_lazy("Cancel"),
}
SERVICES = {
    "issue": spot_sheet_issue,
    "approve": spot_sheet_approve,
    "sign": spot_sheet_sign,
    "release": spot_sheet_release,
    "cancel": spot_sheet_cancel,
}


class SheetForm(forms.Form):
    mobile = forms.CharField(label=gettext_lazy("Customer's mobile"), max_length=20)
    warehouse = forms.ModelChoiceField(queryset=None, label=gettext_lazy("Warehouse"))
    freight = forms.ChoiceField(choices=SpotSheet.Freight.choices, label=gettext_lazy("Freight terms"))
    freight_cost = forms.DecimalField(required=False, decimal_places=2, min_value=0, label=gettext_lazy("Freight cost"))
    requirements = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 2}), label=gettext_lazy("Customer's requirements")
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["warehouse"].queryset = warehouse_list(user=user)
        for n in range(1, 4):
            self.fields[f"item_{n}"] = forms.CharField(
                required=n == 1, max_length=40, label=_("Specification code (line %(n)s)") % {"n": n}
            )
            self.fields[f"quantity_{n}"] = forms.DecimalField(
                required=n == 1, min_value=Decimal("0.001"), decimal_places=3, label=_("Agreed weight")
            )
            self.fields[f"price_{n}"] = forms.DecimalField(
                required=False, decimal_places=2, label=_("Unit price (empty: price list × rate)")
            )
            self.fields[f"purchase_{n}"] = forms.DecimalField(
                required=False, decimal_places=2, label=_("Purchase price if bought in")
            )
        for field in self.fields.values():
            field.widget.attrs["class"] = "form-select" if isinstance(field.widget, forms.Select) else "form-control"


def _lines(form) -> list[dict]:
    lines = []
    for n in range(1, 4):
        code = (form.cleaned_data.get(f"item_{n}") or "").strip()
        if not code:
            continue
        item = Item.objects.filter(code__iexact=code).first()
        if item is None:
            raise ValidationError({f"item_{n}": [_("No item with the code %(code)s.") % {"code": code}]})
        purchase = form.cleaned_data.get(f"purchase_{n}")
        lines.append(
            {
                "item": item,
                "quantity": form.cleaned_data[f"quantity_{n}"],
                "unit_price": form.cleaned_data.get(f"price_{n}"),
                "bought_in": purchase is not None,
                "purchase_price": purchase,
            }
        )
    return lines


@require_http_methods(["GET", "POST"])
@login_required
def spot_sheets_view(request):
    member_required(request)
    form = SheetForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        warehouse = form.cleaned_data["warehouse"]
        customer = customer_find_by_mobile(store=warehouse.store, mobile=form.cleaned_data["mobile"])
        try:
            if customer is None:
                raise ValidationError({"mobile": [_("No customer with this mobile; register the customer first.")]})
            account = CustomerAccount.objects.filter(customer=customer).first() or account_open(
                user=request.user, customer=customer
            )
            sheet = spot_sheet_create(
                user=request.user,
                warehouse=warehouse,
                account=account,
                freight=form.cleaned_data["freight"],
                freight_cost=form.cleaned_data["freight_cost"] or 0,
                requirements=form.cleaned_data["requirements"],
                lines=_lines(form),
            )
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                for error in errors:
                    form.add_error(field if field in form.fields else None, error)
        except PermissionDenied as exc:
            form.add_error(None, str(exc) or _("You are not allowed to do this."))
        else:
            messages.success(request, _("Negotiation recorded; make the resource sheet next."))
            return redirect("warehouse:spot_sheet", sheet.pk)
    state = request.GET.get("state", "")
    rows = sel.spot_sheet_list(user=request.user, state=state if state in SpotSheet.State.values else "")
    if (export := list_export(request, code="warehouse.spot_sheets", queryset=rows)) is not None:
        return export
    page = Paginator(rows, 25).get_page(request.GET.get("page"))
    counts = sel.spot_step_counts(user=request.user)
    steps = [(s, SpotSheet.State(s).label, counts.get(s, 0)) for s in sel.STEPS]
    return render(request, "warehouse/spot/sheets.html", {"form": form, "page": page, "state": state, "steps": steps})


def _sheet(request, pk: int) -> SpotSheet:
    member_required(request)
    try:
        return sel.spot_sheet_get(user=request.user, pk=pk)
    except SpotSheet.DoesNotExist as exc:
        raise Http404 from exc


@login_required
def spot_sheet_view(request, pk: int):
    sheet = _sheet(request, pk)
    available = transitions_available(instance=sheet, user=request.user)
    buttons = [{"name": n, "label": LABELS[n], "danger": n == "cancel"} for n in available if n in LABELS]
    context = {
        "sheet": sheet,
        "lines": sheet.lines.select_related("item", "bin").order_by("id"),
        "buttons": buttons,
        "may": set(available),
    }
    return render(
        request, "warehouse/spot/sheet.html", context | documents_panel_context(user=request.user, target=sheet)
    )


@require_POST
@login_required
def spot_step_view(request, pk: int, name: str):
    sheet = _sheet(request, pk)
    note = request.POST.get("note", "")
    try:
        if name in SERVICES:
            SERVICES[name](sheet=sheet, user=request.user, note=note)
        elif name == "notify":
            spot_notice_send(sheet=sheet, user=request.user, company_account=request.POST.get("company_account", ""))
        elif name == "pay":
            spot_payment_record(
                sheet=sheet,
                user=request.user,
                amount=request.POST.get("amount", ""),
                method=request.POST.get("method", "transfer"),
                reference=request.POST.get("reference", ""),
            )
        elif name == "verify":
            spot_sheet_verify(sheet=sheet, user=request.user, checked_total=request.POST.get("checked_total", ""))
        else:
            raise Http404
    except ValidationError as exc:
        for errors in exc.message_dict.values():
            for error in errors:
                messages.error(request, error)
    except (TransitionConflict, PermissionDenied) as exc:
        messages.error(request, str(exc) or _("You are not allowed to do this."))
    else:
        messages.success(request, _("Done."))
    return redirect("warehouse:spot_sheet", sheet.pk)


@require_http_methods(["GET", "POST"])
@login_required
def spot_weigh_view(request, pk: int):
    """The weighing screen (tablet): per line the bin, the gross weight and the tare."""
    from warehouse.services import spot_sheet_weigh

    sheet = _sheet(request, pk)
    lines = list(sheet.lines.select_related("item").order_by("id"))
    bins = list(Bin.objects.filter(warehouse_id=sheet.warehouse_id).order_by("code"))
    errors = []
    if request.method == "POST":
        by_id = {b.pk: b for b in bins}
        weights = []
        for line in lines:
            bin_id = request.POST.get(f"bin_{line.pk}", "")
            weights.append(
                {
                    "line": line,
                    "bin": by_id.get(int(bin_id)) if bin_id.isdigit() else None,
                    "gross": request.POST.get(f"gross_{line.pk}", ""),
                    "tare": request.POST.get(f"tare_{line.pk}", ""),
                }
            )
        try:
            spot_sheet_weigh(sheet=sheet, user=request.user, weights=weights)
        except ValidationError as exc:
            errors = [e for msgs in exc.message_dict.values() for e in msgs]
        except (TransitionConflict, PermissionDenied) as exc:
            errors = [str(exc) or _("You are not allowed to do this.")]
        else:
            messages.success(request, _("Weights recorded; send the payment notice next."))
            return redirect("warehouse:spot_sheet", sheet.pk)
    return render(
        request,
        "warehouse/spot/weigh.html",
        {"sheet": sheet, "lines": lines, "bins": bins, "errors": errors, "posted": request.POST},
        status=400 if errors else 200,
    )
