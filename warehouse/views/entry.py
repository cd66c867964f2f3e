"""Entry pages: a new purchase order (purchasing), a goods receipt from the supplier's delivery
note, a transfer between own warehouses and a trade-in or customer return (the keeper).

Each page is a header form and a formset of lines. The page parses the input and calls the one
service that creates the record; the service's refusals go back next to the fields and, for its
per-line reasons (``Line 2: …``), next to that line — a delivery note that does not match is
refused whole and nothing is saved. Bad input answers 400 with the form; success redirects to
the new record. "Add a line" re-renders the form with one more empty line and keeps what was
typed (no JavaScript needed).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.forms.utils import ErrorList
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from showroom.permissions import store_ids_for
from showroom.services.transitions import TransitionConflict
from warehouse.forms import (
    OrderForm,
    OrderLineForm,
    OtherReceiptForm,
    OtherReceiptLineForm,
    ReceiptForm,
    ReceiptLineForm,
    RequestForm,
    TransferForm,
    TransferLineForm,
    entry_choices,
    line_formset,
    quiet,
    service_errors,
)
from warehouse.models import GoodsReceiptLine, Item
from warehouse.services import (
    goods_receipt_create,
    other_receipt_create,
    purchase_order_create,
    purchase_request_create,
    transfer_create,
)
from warehouse.services.purchasing import BUYERS, REQUESTERS
from warehouse.services.receiving import KEEPERS
from warehouse.views.stock import member_required

# Who may create each kind of record (the services check the same roles per store).
CREATORS = {"request": REQUESTERS, "order": BUYERS, "receipt": KEEPERS, "transfer": KEEPERS, "other": KEEPERS}
PREFIX = "lines"
SEARCH_LIMIT = 20


def may_create(user, kind: str) -> bool:
    """True when ``user`` holds a role that creates ``kind`` in one of the stores."""
    return bool(store_ids_for(user, CREATORS[kind]))


class Entry:
    """One entry page: its forms, template texts and the service call."""

    kind = ""
    header_form = None
    line_form = None
    title = ""
    list_url = ""
    list_title = ""
    submit = gettext_lazy("Save")
    refused = gettext_lazy("You are not allowed to do this.")
    choices_kwargs: dict = {}
    extra_lines = 1

    def call_service(self, *, user, header: dict, lines: list[dict]):
        raise NotImplementedError

    def success(self, request, obj):
        raise NotImplementedError


def _render(request, entry: Entry, header, lines, choices, *, status: int = 200):
    context = {
        "entry": entry,
        "header": header,
        "lines": lines,
        "choices": choices,
        "list_url": reverse(entry.list_url),
    }
    return render(request, f"warehouse/entry/{entry.kind}.html", context, status=status)


def _page(request, entry: Entry):
    member_required(request)
    if not may_create(request.user, entry.kind):
        raise PermissionDenied(entry.refused)
    choices = entry_choices(user=request.user, roles=CREATORS[entry.kind], **entry.choices_kwargs)
    lines_class = line_formset(entry.line_form, extra=entry.extra_lines)
    form_kwargs = {"choices": choices}
    if request.method == "GET":
        header = entry.header_form(choices=choices)
        lines = lines_class(prefix=PREFIX, form_kwargs=form_kwargs)
        return _render(request, entry, header, lines, choices)

    header = entry.header_form(request.POST, choices=choices)
    if "add_line" in request.POST:
        data = request.POST.copy()
        try:
            total = int(data.get(f"{PREFIX}-TOTAL_FORMS", "0"))
        except ValueError:
            total = 0
        data[f"{PREFIX}-TOTAL_FORMS"] = str(min(max(total, 0) + 1, 200))
        lines = lines_class(data, prefix=PREFIX, form_kwargs=form_kwargs)
        quiet(header, lines)
        return _render(request, entry, header, lines, choices)

    lines = lines_class(request.POST, prefix=PREFIX, form_kwargs=form_kwargs)
    header_ok = header.is_valid()
    lines_ok = lines.is_valid()
    rows = lines.filled() if lines_ok else []
    if lines_ok and not rows:
        lines._non_form_errors = ErrorList([_("Add at least one line.")], error_class="nonform")
        lines_ok = False
    if not (header_ok and lines_ok):
        return _render(request, entry, header, lines, choices, status=400)
    try:
        obj = entry.call_service(user=request.user, header=header.cleaned_data, lines=[data for _form, data in rows])
    except ValidationError as exc:
        service_errors(exc=exc, header=header, lines=lines, rows=rows)
        return _render(request, entry, header, lines, choices, status=400)
    except TransitionConflict as exc:
        header.add_error(None, str(getattr(exc, "message", "") or exc))
        return _render(request, entry, header, lines, choices, status=409)
    return entry.success(request, obj)


# --- the four pages ---------------------------------------------------------------------------
class OrderEntry(Entry):
    kind = "order"
    header_form = OrderForm
    line_form = OrderLineForm
    title = gettext_lazy("New purchase order")
    list_url = "warehouse:orders"
    list_title = gettext_lazy("Purchase orders")
    submit = gettext_lazy("Save the draft order")
    refused = gettext_lazy("Purchasing or the warehouse supervisor creates purchase orders.")
    choices_kwargs = {"suppliers": True}

    def call_service(self, *, user, header, lines):
        return purchase_order_create(
            user=user, warehouse=header["warehouse"], supplier=header["supplier"], lines=lines, note=header["note"]
        )

    def success(self, request, obj):
        messages.success(request, _("Draft order saved. The warehouse supervisor approves it before goods come in."))
        return redirect("warehouse:order", pk=obj.pk)


class ReceiptEntry(Entry):
    kind = "receipt"
    header_form = ReceiptForm
    line_form = ReceiptLineForm
    title = gettext_lazy("Enter a delivery note")
    list_url = "warehouse:receipts"
    list_title = gettext_lazy("Goods receipts")
    submit = gettext_lazy("Receive for inspection")
    refused = gettext_lazy("A warehouse keeper enters the supplier's delivery notes.")
    choices_kwargs = {"suppliers": True, "orders": True}

    def call_service(self, *, user, header, lines):
        return goods_receipt_create(
            user=user,
            warehouse=header["warehouse"],
            bin=header["bin"],
            supplier=header["supplier"],
            note_number=header["note_number"],
            certificate=header["certificate"],
            signed_by=header["signed_by"],
            stamped=header["stamped"],
            deliver_to=header["deliver_to"],
            lines=lines,
        )

    def success(self, request, obj):
        messages.success(request, _("Delivery note received. It waits for the QC inspection."))
        waiting = obj.lines.filter(excess_state=GoodsReceiptLine.Excess.PENDING).count()
        if waiting:
            messages.warning(
                request,
                _(
                    "%(n)s line(s) bring more than the order has open: the excess waits for the "
                    "marketing director's approval; until then only the ordered quantity comes in."
                )
                % {"n": waiting},
            )
        return redirect("warehouse:receipt", pk=obj.pk)


class TransferEntry(Entry):
    kind = "transfer"
    header_form = TransferForm
    line_form = TransferLineForm
    title = gettext_lazy("New transfer")
    list_url = "warehouse:transfers"
    list_title = gettext_lazy("Transfers")
    submit = gettext_lazy("Save the transfer")
    refused = gettext_lazy("A warehouse keeper creates transfers.")

    def call_service(self, *, user, header, lines):
        return transfer_create(
            user=user,
            from_warehouse=header["from_warehouse"],
            to_warehouse=header["to_warehouse"],
            to_bin=header["to_bin"],
            lines=lines,
        )

    def success(self, request, obj):
        messages.success(request, _("Transfer saved. Count the goods and dispatch it."))
        return redirect("warehouse:transfer", pk=obj.pk)


class OtherReceiptEntry(Entry):
    kind = "other"
    header_form = OtherReceiptForm
    line_form = OtherReceiptLineForm
    title = gettext_lazy("New trade-in or customer return")
    list_url = "warehouse:other_receipts"
    list_title = gettext_lazy("Other receipts")
    submit = gettext_lazy("Save for approval")
    refused = gettext_lazy("A warehouse keeper enters trade-ins and customer returns.")

    def call_service(self, *, user, header, lines):
        return other_receipt_create(
            user=user,
            warehouse=header["warehouse"],
            bin=header["bin"],
            kind=header["kind"],
            source_label=header["source_label"],
            lines=lines,
        )

    def success(self, request, obj):
        messages.success(
            request,
            _("%(receipt)s saved. The warehouse supervisor approves it; then the goods are in stock.")
            % {"receipt": obj},
        )
        # Other receipts have no page of their own: the list shows them with their steps.
        return redirect("warehouse:other_receipts")


@require_http_methods(["GET", "POST"])
@login_required
def order_create_view(request):
    return _page(request, OrderEntry())


@require_http_methods(["GET", "POST"])
@login_required
def receipt_create_view(request):
    return _page(request, ReceiptEntry())


@require_http_methods(["GET", "POST"])
@login_required
def transfer_create_view(request):
    return _page(request, TransferEntry())


@require_http_methods(["GET", "POST"])
@login_required
def other_receipt_create_view(request):
    return _page(request, OtherReceiptEntry())


@require_http_methods(["GET", "POST"])
@login_required
def request_create_view(request):
    """A purchase request: one item a warehouse needs, for purchasing to confirm into an order."""
    member_required(request)
    if not may_create(request.user, "request"):
        raise PermissionDenied(_("Keepers, counter leaders, sales assistants and purchasing ask for goods."))
    choices = entry_choices(user=request.user, roles=REQUESTERS)
    form = RequestForm(request.POST or None, choices=choices)
    if request.method == "POST" and form.is_valid():
        try:
            purchase_request_create(
                user=request.user,
                warehouse=form.cleaned_data["warehouse"],
                item=form.cleaned_data["item"],
                quantity=form.cleaned_data["quantity"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as exc:
            errors = exc.message_dict if hasattr(exc, "error_dict") else {None: exc.messages}
            for name, texts in errors.items():
                for text in texts:
                    form.add_error(name if name in form.fields else None, text)
        else:
            messages.success(request, _("Purchase request sent. Purchasing confirms it into an order."))
            return redirect("warehouse:orders")
    status = 400 if request.method == "POST" else 200
    context = {"form": form, "choices": choices, "list_url": reverse("warehouse:orders")}
    return render(request, "warehouse/entry/request.html", context, status=status)


@require_GET
@login_required
def item_search_view(request):
    """The item picker's options (htmx): stocked items whose code or name contains what was
    typed, at most 20. The input sends its value under its own name (``lines-0-item``)."""
    member_required(request)
    q = request.GET.get("q", "")
    if not q:
        q = next((v for k, v in request.GET.items() if k.endswith("-item")), "")
    q = q.strip()[:40]
    items = []
    if q:
        items = list(
            Item.objects.filter(is_active=True)
            .exclude(tracking=Item.Tracking.SERVICE)
            .filter(Q(code__icontains=q) | Q(name__icontains=q))
            .order_by("code")[:SEARCH_LIMIT]
        )
    return render(request, "warehouse/entry/_item_options.html", {"items": items})
