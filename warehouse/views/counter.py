"""Pages of the counter shop (article 9): the till (write a receipt; today's receipts), a receipt
with its pick form (凭单备货), the questions waiting for a callback, and the closing-time
replenishment list with what the warehouse and purchasing made of earlier lists. Every write
calls one service and reports refusals as messages or form errors."""

from decimal import Decimal

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from showroom import roles as r
from showroom.exports import list_export
from showroom.models import Store
from showroom.permissions import has_role, store_ids_for
from showroom.roles import PERSONAL_DATA_ROLES
from showroom.services.transitions import TransitionConflict, transitions_available
from showroom.views.documents import documents_panel_context
from warehouse import selectors_counter as sel
from warehouse.models import (
    Bin,
    CounterQuestion,
    CounterReceipt,
    CounterReplenishment,
    CounterReplenishmentLine,
    Item,
    PaymentMethod,
    Supplier,
)
from warehouse.models.counter import COUNTER_STAFF, REPLENISHERS, WAREHOUSE_HEADS
from warehouse.registrations_counter import RECEIPTS_EXPORT, REPLENISHMENT_EXPORT
from warehouse.services import (
    counter_question_answer,
    counter_question_record,
    counter_receipt_cancel,
    counter_receipt_create,
    counter_receipt_pick,
    counter_replenishment_confirm,
    counter_replenishment_order,
    counter_replenishment_process,
)
from warehouse.views.stock import member_required

LINES = 4


def _styled(form: forms.Form) -> None:
    for field in form.fields.values():
        field.widget.attrs["class"] = "form-select" if isinstance(field.widget, forms.Select) else "form-control"


def _form_errors(form: forms.Form, exc: ValidationError) -> None:
    for field, errors in exc.message_dict.items():
        for error in errors:
            form.add_error(field if field in form.fields else None, error)


def _messages(request, exc: Exception) -> None:
    if isinstance(exc, ValidationError):
        for errors in exc.message_dict.values():
            for error in errors:
                messages.error(request, error)
    else:
        messages.error(request, str(exc) or _("You are not allowed to do this."))


class ReceiptForm(forms.Form):
    warehouse = forms.ModelChoiceField(queryset=None, label=gettext_lazy("Counter"))
    payment_method = forms.ChoiceField(choices=PaymentMethod.choices, label=gettext_lazy("Payment method"))
    received = forms.DecimalField(
        required=False, decimal_places=2, min_value=0, label=gettext_lazy("Received (empty: the amount)")
    )
    customer_mobile = forms.CharField(required=False, max_length=20, label=gettext_lazy("Customer's mobile"))
    customer_name = forms.CharField(required=False, max_length=80, label=gettext_lazy("Customer's name"))
    customer_company = forms.CharField(required=False, max_length=120, label=gettext_lazy("Company"))
    customer_address = forms.CharField(required=False, max_length=200, label=gettext_lazy("Address"))
    customer_contact = forms.CharField(required=False, max_length=60, label=gettext_lazy("Contact"))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["warehouse"].queryset = sel.counter_warehouses(user=user).select_related("store")
        for n in range(1, LINES + 1):
            self.fields[f"item_{n}"] = forms.CharField(
                required=n == 1, max_length=40, label=_("Item code (line %(n)s)") % {"n": n}
            )
            self.fields[f"model_{n}"] = forms.CharField(required=False, max_length=120, label=_("Model"))
            self.fields[f"serial_{n}"] = forms.CharField(required=False, max_length=40, label=_("Serial number"))
            self.fields[f"quantity_{n}"] = forms.DecimalField(
                required=False, min_value=Decimal("0.001"), decimal_places=3, label=_("Quantity")
            )
            self.fields[f"price_{n}"] = forms.DecimalField(
                required=False, decimal_places=2, min_value=0, label=_("Price (empty: list price)")
            )
        _styled(self)

    def receipt_lines(self) -> list[dict]:
        lines = []
        for n in range(1, LINES + 1):
            code = (self.cleaned_data.get(f"item_{n}") or "").strip()
            if not code:
                continue
            item = Item.objects.filter(code__iexact=code, is_active=True).first()
            if item is None:
                raise ValidationError({f"item_{n}": [_("No item with the code %(code)s.") % {"code": code}]})
            lines.append(
                {
                    "item": item,
                    "model": self.cleaned_data.get(f"model_{n}") or "",
                    "serial": self.cleaned_data.get(f"serial_{n}") or "",
                    "quantity": self.cleaned_data.get(f"quantity_{n}") or 1,
                    "unit_price": self.cleaned_data.get(f"price_{n}"),
                }
            )
        return lines


@require_http_methods(["GET", "POST"])
@login_required
def till_view(request):
    """The counter till: a receipt per sale, and the receipts (today's by default)."""
    member_required(request)
    form = ReceiptForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if not k[-1].isdigit()}
        try:
            receipt = counter_receipt_create(user=request.user, lines=form.receipt_lines(), **data)
        except ValidationError as exc:
            _form_errors(form, exc)
        except (PermissionDenied, TransitionConflict) as exc:
            form.add_error(None, str(exc) or _("You are not allowed to do this."))
        else:
            messages.success(request, _("Receipt %(number)s written; pick the goods against it.") % {"number": receipt})
            return redirect("warehouse:counter_receipt", receipt.pk)
    state = request.GET.get("state", "")
    state = state if state in CounterReceipt.State.values else ""
    day_text = request.GET.get("day", "today")
    try:
        day = timezone.localdate() if day_text == "today" else parse_date(day_text or "")
    except ValueError:
        day = None
    rows = sel.counter_receipt_list(user=request.user, state=state, day=day)
    export = list_export(request, code=RECEIPTS_EXPORT, queryset=rows)
    if export is not None:
        return export
    page = Paginator(rows, 25).get_page(request.GET.get("page"))
    context = {
        "form": form,
        "page": page,
        "state": state,
        "day": day,
        "states": CounterReceipt.State.choices,
        "may_write": bool(store_ids_for(request.user, COUNTER_STAFF)),
    }
    return render(request, "warehouse/counter/till.html", context, status=400 if form.errors else 200)


def _receipt(request, pk: int) -> CounterReceipt:
    member_required(request)
    try:
        return sel.counter_receipt_get(user=request.user, pk=pk)
    except CounterReceipt.DoesNotExist as exc:
        raise Http404 from exc


@login_required
def receipt_view(request, pk: int):
    receipt = _receipt(request, pk)
    available = transitions_available(instance=receipt, user=request.user)
    context = {
        "receipt": receipt,
        "lines": receipt.lines.select_related("item", "bin").order_by("id"),
        "bins": Bin.objects.filter(warehouse_id=receipt.warehouse_id).order_by("code"),
        "may": set(available),
        "personal": has_role(request.user, receipt.store_id, PERSONAL_DATA_ROLES),
    }
    return render(
        request, "warehouse/counter/receipt.html", context | documents_panel_context(user=request.user, target=receipt)
    )


@require_POST
@login_required
def pick_view(request, pk: int):
    """凭单备货: per line the item code scanned, the serial and the bin."""
    receipt = _receipt(request, pk)
    bins = {b.pk: b for b in Bin.objects.filter(warehouse_id=receipt.warehouse_id)}
    codes = {}
    picks = []
    for line in receipt.lines.order_by("id"):
        code = request.POST.get(f"item_{line.pk}", "").strip()
        if code and code not in codes:
            codes[code] = Item.objects.filter(code__iexact=code).first() or code
        bin_id = request.POST.get(f"bin_{line.pk}", "")
        picks.append(
            {
                "line": line,
                "item": codes.get(code, code or None),
                "serial": request.POST.get(f"serial_{line.pk}", ""),
                "bin": bins.get(int(bin_id)) if bin_id.isdigit() else None,
            }
        )
    try:
        counter_receipt_pick(receipt=receipt, user=request.user, picks=picks, note=request.POST.get("note", ""))
    except (ValidationError, TransitionConflict, PermissionDenied) as exc:
        _messages(request, exc)
    else:
        messages.success(request, _("Picked as written; hand the goods over with the receipt."))
    return redirect("warehouse:counter_receipt", receipt.pk)


@require_POST
@login_required
def cancel_view(request, pk: int):
    receipt = _receipt(request, pk)
    try:
        counter_receipt_cancel(receipt=receipt, user=request.user, note=request.POST.get("note", ""))
    except (ValidationError, TransitionConflict, PermissionDenied) as exc:
        _messages(request, exc)
    else:
        messages.success(request, _("Receipt cancelled; its goods are back on sale."))
    return redirect("warehouse:counter_receipt", receipt.pk)


class QuestionForm(forms.Form):
    store = forms.ModelChoiceField(queryset=None, label=gettext_lazy("Store"))
    customer_contact = forms.CharField(max_length=60, label=gettext_lazy("Customer's contact"))
    customer_name = forms.CharField(required=False, max_length=80, label=gettext_lazy("Customer's name"))
    product = forms.CharField(required=False, max_length=120, label=gettext_lazy("Product"))
    question = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), label=gettext_lazy("What they want to know"))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["store"].queryset = Store.objects.filter(pk__in=store_ids_for(user, COUNTER_STAFF))
        _styled(self)


@require_http_methods(["GET", "POST"])
@login_required
def questions_view(request):
    member_required(request)
    form = QuestionForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            counter_question_record(user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            _form_errors(form, exc)
        except PermissionDenied as exc:
            form.add_error(None, str(exc) or _("You are not allowed to do this."))
        else:
            messages.success(request, _("Question recorded; the callback is on your follow-ups."))
            return redirect("warehouse:counter_questions")
    state = request.GET.get("state", CounterQuestion.State.OPEN)
    state = state if state in CounterQuestion.State.values else ""
    page = Paginator(sel.counter_question_list(user=request.user, state=state), 25).get_page(request.GET.get("page"))
    context = {
        "form": form,
        "page": page,
        "state": state,
        "states": CounterQuestion.State.choices,
        "personal": set(store_ids_for(request.user, PERSONAL_DATA_ROLES)),
    }
    return render(request, "warehouse/counter/questions.html", context, status=400 if form.errors else 200)


@require_POST
@login_required
def answer_view(request, pk: int):
    member_required(request)
    try:
        question = sel.counter_question_get(user=request.user, pk=pk)
    except CounterQuestion.DoesNotExist as exc:
        raise Http404 from exc
    try:
        counter_question_answer(question=question, user=request.user, answer=request.POST.get("answer", ""))
    except (ValidationError, TransitionConflict, PermissionDenied) as exc:
        _messages(request, exc)
    else:
        messages.success(request, _("Answer recorded; the callback is done."))
    return redirect("warehouse:counter_questions")


@require_http_methods(["GET", "POST"])
@login_required
def replenishment_view(request):
    """At closing: the counter's items sold out or under their reorder point (the list to confirm),
    and the lists sent before with what the warehouse and purchasing made of them."""
    member_required(request)
    warehouses = list(sel.counter_warehouses(user=request.user))
    raw = request.POST.get("warehouse") or request.GET.get("warehouse", "")
    chosen = next((w for w in warehouses if str(w.pk) == raw), warehouses[0] if warehouses else None)
    if request.method == "POST":
        if chosen is None:
            raise Http404
        quantities = {
            key.removeprefix("quantity_"): value
            for key, value in request.POST.items()
            if key.startswith("quantity_") and value.strip()
        }
        try:
            counter_replenishment_confirm(user=request.user, warehouse=chosen, quantities=quantities)
        except (ValidationError, TransitionConflict, PermissionDenied) as exc:
            _messages(request, exc)
        else:
            messages.success(request, _("Replenishment list sent to the warehouse supervisor."))
        return redirect(f"{request.path}?warehouse={chosen.pk}")
    rows = sel.replenishment_rows(warehouse=chosen) if chosen else sel.replenishment_rows(warehouse=0)
    export = list_export(request, code=REPLENISHMENT_EXPORT, queryset=rows)
    if export is not None:
        return export
    store_id = chosen.store_id if chosen else None
    sent = Paginator(sel.counter_replenishment_list(user=request.user), 10).get_page(request.GET.get("page"))
    lines = {}
    for line in sel.counter_replenishment_lines(replenishments=list(sent.object_list)):
        lines.setdefault(line.replenishment_id, []).append(line)
    for rep in sent.object_list:
        rep.line_rows = lines.get(rep.pk, [])
    may_buy = bool(store_ids_for(request.user, r.PURCHASING))
    context = {
        "warehouses": warehouses,
        "chosen": chosen,
        "rows": rows,
        "sent": sent,
        "may_confirm": store_id is not None and has_role(request.user, store_id, REPLENISHERS),
        "may_process": set(store_ids_for(request.user, WAREHOUSE_HEADS)),
        "may_buy": may_buy,
        "suppliers": Supplier.objects.order_by("code") if may_buy else [],
        "today": timezone.localdate(),
    }
    return render(request, "warehouse/counter/replenishment.html", context)


@require_POST
@login_required
def process_view(request, pk: int):
    member_required(request)
    try:
        replenishment = sel.counter_replenishment_get(user=request.user, pk=pk)
    except CounterReplenishment.DoesNotExist as exc:
        raise Http404 from exc
    try:
        counter_replenishment_process(replenishment=replenishment, user=request.user)
    except (ValidationError, TransitionConflict, PermissionDenied) as exc:
        _messages(request, exc)
    else:
        messages.success(request, _("Processed: what the warehouse lacks is with purchasing; the counter is told."))
    return redirect(f"{_replenishment_url()}?warehouse={replenishment.warehouse_id}")


def _replenishment_url() -> str:
    from django.urls import reverse

    return reverse("warehouse:counter_replenishment")


@require_POST
@login_required
def order_view(request, pk: int):
    member_required(request)
    try:
        line = sel.counter_replenishment_line_get(user=request.user, pk=pk)
    except CounterReplenishmentLine.DoesNotExist as exc:
        raise Http404 from exc
    supplier = Supplier.objects.filter(pk=request.POST.get("supplier") or 0).first()
    try:
        expected = parse_date(request.POST.get("expected_on", "") or "")
    except ValueError:
        expected = None
    try:
        if supplier is None:
            raise ValidationError({"supplier": [_("Choose a supplier.")]})
        counter_replenishment_order(
            line=line,
            user=request.user,
            supplier=supplier,
            unit_cost=request.POST.get("unit_cost", ""),
            expected_on=expected,
        )
    except (ValidationError, TransitionConflict, PermissionDenied) as exc:
        _messages(request, exc)
    else:
        messages.success(request, _("Ordered; the counter has been told the expected date."))
    return redirect(f"{_replenishment_url()}?warehouse={line.replenishment.warehouse_id}")
