"""Pages of selling from stock: sales orders (entry form, approval, the pick list by bin,
picking, packing, closing the packing), sales slips (the ones waiting for credit show what is
missing), outbound slips with their signatures. Every step posts to ``sales_step_view``, which
calls the one service for it and reports refusals as messages."""

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
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from showroom.exports import list_export
from showroom.selectors.customers import customer_find_by_mobile
from showroom.services.transitions import TransitionConflict, transitions_available
from showroom.views.documents import documents_panel_context
from warehouse import exports as _exports  # noqa: F401  (registers the lists' exports)
from warehouse import selectors_sales as sel
from warehouse.models import Bin, BinBalance, CustomerAccount, Item, PickLine, SalesOrder, SalesSlip
from warehouse.selectors import warehouse_list
from warehouse.services import (
    account_open,
    box_pack,
    outbound_sign,
    packing_close,
    pick_record,
    sales_order_approve,
    sales_order_cancel,
    sales_order_create,
    sales_order_reserve_short,
    slip_approve,
    slip_cancel,
)
from warehouse.views.stock import member_required

LABELS = {
    "approve": gettext_lazy("Approve"),
    "cancel": gettext_lazy("Cancel"),
}


def _buttons(instance, user) -> list[dict]:
    return [
        {"name": n, "label": LABELS.get(n, n), "danger": n == "cancel"}
        for n in transitions_available(instance=instance, user=user)
        if n in LABELS
    ]


class OrderForm(forms.Form):
    mobile = forms.CharField(label=gettext_lazy("Customer's mobile"), max_length=20)
    warehouse = forms.ModelChoiceField(queryset=None, label=gettext_lazy("Warehouse"))
    channel = forms.ChoiceField(choices=SalesOrder.Channel.choices, label=gettext_lazy("Received by"))
    freight = forms.ChoiceField(choices=SalesOrder.Freight.choices, label=gettext_lazy("Freight terms"))
    requirements = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 2}), label=gettext_lazy("Customer's requirements")
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["warehouse"].queryset = warehouse_list(user=user)
        for n in range(1, 4):
            self.fields[f"item_{n}"] = forms.CharField(
                required=n == 1, max_length=40, label=_("Item code (line %(n)s)") % {"n": n}
            )
            self.fields[f"quantity_{n}"] = forms.DecimalField(
                required=n == 1, min_value=Decimal("0.001"), label=_("Quantity")
            )
            self.fields[f"price_{n}"] = forms.DecimalField(
                required=False, decimal_places=2, label=_("Unit price incl. VAT (empty: list price)")
            )
        for field in self.fields.values():
            field.widget.attrs["class"] = "form-select" if isinstance(field.widget, forms.Select) else "form-control"


def _order_lines(form) -> list[dict]:
    lines = []
    for n in range(1, 4):
        code = (form.cleaned_data.get(f"item_{n}") or "").strip()
        if not code:
            continue
        item = Item.objects.filter(code__iexact=code).first()
        if item is None:
            raise ValidationError({f"item_{n}": [_("No item with the code %(code)s.") % {"code": code}]})
        lines.append(
            {
                "item": item,
                "quantity": form.cleaned_data[f"quantity_{n}"],
                "unit_price": form.cleaned_data[f"price_{n}"],
            }
        )
    return lines


@require_http_methods(["GET", "POST"])
@login_required
def sales_orders_view(request):
    member_required(request)
    form = OrderForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        warehouse = form.cleaned_data["warehouse"]
        customer = customer_find_by_mobile(store=warehouse.store, mobile=form.cleaned_data["mobile"])
        try:
            if customer is None:
                raise ValidationError({"mobile": [_("No customer with this mobile; register the customer first.")]})
            account = CustomerAccount.objects.filter(customer=customer).first() or account_open(
                user=request.user, customer=customer
            )
            order = sales_order_create(
                user=request.user,
                warehouse=warehouse,
                account=account,
                channel=form.cleaned_data["channel"],
                freight=form.cleaned_data["freight"],
                requirements=form.cleaned_data["requirements"],
                lines=_order_lines(form),
            )
            messages.success(request, _("Order %(n)s entered; it waits for the marketing director.") % {"n": order})
            return redirect("warehouse:sales_order", pk=order.pk)
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                for error in errors:
                    form.add_error(field if field in form.fields else None, error)
        except PermissionDenied as exc:
            form.add_error(None, str(exc) or _("You are not allowed to do this."))
    state = request.GET.get("state", "")
    rows = sel.sales_order_list(user=request.user, state=state if state in SalesOrder.State.values else "")
    if (export := list_export(request, code="warehouse.sales_orders", queryset=rows)) is not None:
        return export
    page = Paginator(rows, 25).get_page(request.GET.get("page"))
    return render(
        request,
        "warehouse/sales_orders.html",
        {"page": page, "states": SalesOrder.State.choices, "state": state, "form": form},
    )


def pick_list(order: SalesOrder) -> list[dict]:
    """What is left to pick per line, with the bins that hold it (by bin code)."""
    lines = list(order.lines.select_related("item").order_by("id"))
    balances = {}
    for bb in (
        BinBalance.objects.filter(
            warehouse_id=order.warehouse_id, item_id__in=[ln.item_id for ln in lines], quantity__gt=0
        )
        .select_related("bin")
        .order_by("bin__code")
    ):
        balances.setdefault(bb.item_id, []).append(bb)
    return [
        {"line": ln, "left": ln.reserved_quantity - ln.picked_quantity, "bins": balances.get(ln.item_id, [])}
        for ln in lines
    ]


@require_GET
@login_required
def sales_order_view(request, pk):
    member_required(request)
    try:
        order = sel.sales_order_get(user=request.user, pk=pk)
    except SalesOrder.DoesNotExist as exc:
        raise Http404 from exc
    picks = list(PickLine.objects.filter(line__order=order).select_related("line__item", "bin").order_by("id"))
    context = {
        "order": order,
        "buttons": _buttons(order, request.user),
        "picking": pick_list(order),
        "picks": picks,
        "unpacked": [p for p in picks if p.packed_quantity < p.quantity],
        "boxes": list(order.boxes.select_related("slip").prefetch_related("lines__pick__line__item")),
        "slips": list(order.slips.all()),
        "open_boxes": order.boxes.filter(slip__isnull=True).exists(),
    }
    return render(
        request, "warehouse/sales_order.html", context | documents_panel_context(user=request.user, target=order)
    )


@require_GET
@login_required
def slips_view(request):
    member_required(request)
    credit = request.GET.get("credit") == "1"
    state = request.GET.get("state", "")
    rows = sel.sales_slip_list(
        user=request.user, state=state if state in SalesSlip.State.values else "", waiting_for_credit=credit
    )
    if (export := list_export(request, code="warehouse.sales_slips", queryset=rows)) is not None:
        return export
    page = Paginator(rows, 25).get_page(request.GET.get("page"))
    return render(
        request,
        "warehouse/slips.html",
        {"page": page, "states": SalesSlip.State.choices, "state": state, "credit": credit},
    )


@require_GET
@login_required
def slip_view(request, pk):
    member_required(request)
    try:
        slip = sel.sales_slip_get(user=request.user, pk=pk)
    except SalesSlip.DoesNotExist as exc:
        raise Http404 from exc
    from warehouse.services.slips import slip_amount_due

    outbound = getattr(slip, "outbound", None)
    signed = {sig.role: sig for sig in outbound.signatures.all()} if outbound else {}
    due = slip_amount_due(slip=slip)
    context = {
        "slip": slip,
        "buttons": _buttons(slip, request.user),
        "due": due,
        "missing": max(due - slip.account.balance, Decimal("0")) if slip.state == SalesSlip.State.WAITING else None,
        "boxes": list(slip.boxes.prefetch_related("lines__pick__line__item", "lines__pick__bin")),
        "outbound": outbound,
        "roles": [
            (code, label, signed.get(code))
            for code, label in (
                ("keeper", _("Warehouse keeper")),
                ("supervisor", _("Warehouse supervisor")),
                ("customer", _("Customer")),
            )
        ],
    }
    target = outbound or slip
    return render(request, "warehouse/slip.html", context | documents_panel_context(user=request.user, target=target))


@require_GET
@login_required
def outbound_view(request):
    member_required(request)
    rows = sel.outbound_list(user=request.user, open_only=request.GET.get("open") == "1")
    if (export := list_export(request, code="warehouse.outbound_slips", queryset=rows)) is not None:
        return export
    page = Paginator(rows, 25).get_page(request.GET.get("page"))
    return render(request, "warehouse/outbound.html", {"page": page, "open": request.GET.get("open") == "1"})


def _decimal(value) -> Decimal:
    from warehouse.services._common import decimal_of

    return decimal_of(value, field="quantity")


def _run_order_step(request, order: SalesOrder, name: str):
    user, post = request.user, request.POST
    if name == "approve":
        return sales_order_approve(order=order, user=user, note=post.get("note", ""))
    if name == "cancel":
        return sales_order_cancel(order=order, user=user, note=post.get("note", ""))
    if name == "reserve":
        return sales_order_reserve_short(order=order, user=user)
    if name == "pick":
        line = order.lines.filter(pk=post.get("line") or 0).first()
        bin = Bin.objects.filter(pk=post.get("bin") or 0).first()
        return pick_record(order=order, user=user, picks=[{"line": line, "bin": bin, "quantity": post.get("quantity")}])
    if name == "pack":
        picks = PickLine.objects.filter(line__order=order, pk__in=post.getlist("pick"))
        contents = [{"pick": p, "quantity": p.quantity - p.packed_quantity} for p in picks]
        return box_pack(order=order, user=user, contents=contents)
    if name == "close":
        slip = packing_close(order=order, user=user)
        return redirect("warehouse:slip", pk=slip.pk)
    raise Http404


def _run_slip_step(request, slip: SalesSlip, name: str):
    user, post = request.user, request.POST
    if name == "approve":
        return slip_approve(slip=slip, user=user, note=post.get("note", ""))
    if name == "cancel":
        return slip_cancel(slip=slip, user=user, note=post.get("note", ""))
    if name == "sign":
        if not hasattr(slip, "outbound"):
            raise TransitionConflict(_("The slip has no outbound slip yet."))
        return outbound_sign(outbound=slip.outbound, user=user, role=post.get("role", ""), name=post.get("name", ""))
    raise Http404


@require_POST
@login_required
def sales_step_view(request, kind, pk, name):
    member_required(request)
    if kind == "order":
        instance = sel.sales_order_list(user=request.user).filter(pk=pk).first()
        run, back = _run_order_step, "warehouse:sales_order"
    elif kind == "slip":
        instance = sel.sales_slip_list(user=request.user).filter(pk=pk).first()
        run, back = _run_slip_step, "warehouse:slip"
    else:
        raise Http404
    if instance is None:
        raise Http404
    try:
        result = run(request, instance, name)
        if hasattr(result, "status_code"):
            messages.success(request, _("Done."))
            return result
        messages.success(request, _("Done."))
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    except (TransitionConflict, PermissionDenied) as exc:
        messages.error(request, str(getattr(exc, "message", "") or exc) or _("You are not allowed to do this."))
    return redirect(back, pk=pk)
