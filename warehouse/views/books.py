"""Pages of the books: customer accounts with statements and payments, invoices, drop-ship
sales, the retail day, the journal per period (CSV/XLSX for the accountant) and the month-end
close."""

import datetime as dt

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from showroom.exports import export_response, list_export
from showroom.services.transitions import TransitionConflict
from warehouse import exports as _exports  # noqa: F401  (registers the lists' exports)
from warehouse import selectors_sales as sel
from warehouse.models import Account, CustomerAccount, JournalEntry, PaymentMethod, RetailDailyReport, Warehouse
from warehouse.selectors import warehouse_list
from warehouse.services import month_end_close, payment_record, retail_report_approve, retail_report_create
from warehouse.views.stock import member_required


def _refusal(request, exc) -> None:
    if isinstance(exc, ValidationError):
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.error(request, str(getattr(exc, "message", "") or exc) or _("You are not allowed to do this."))


@require_GET
@login_required
def accounts_view(request):
    member_required(request)
    q = request.GET.get("q", "")[:60]
    rows = sel.account_list(user=request.user, q=q)
    if (export := list_export(request, code="warehouse.accounts", queryset=rows)) is not None:
        return export
    page = Paginator(rows, 25).get_page(request.GET.get("page"))
    return render(request, "warehouse/accounts.html", {"page": page, "q": q})


class PaymentForm(forms.Form):
    amount = forms.DecimalField(label=gettext_lazy("Amount"), decimal_places=2, min_value=0)
    method = forms.ChoiceField(label=gettext_lazy("Method"), choices=PaymentMethod.choices)
    reference = forms.CharField(label=gettext_lazy("Reference"), required=False, max_length=80)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget.attrs["class"] = "form-select" if isinstance(field.widget, forms.Select) else "form-control"


@require_http_methods(["GET", "POST"])
@login_required
def account_view(request, pk):
    member_required(request)
    try:
        account = sel.account_get(user=request.user, pk=pk)
    except CustomerAccount.DoesNotExist as exc:
        raise Http404 from exc
    form = PaymentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            entry = payment_record(user=request.user, account=account, **form.cleaned_data)
            messages.success(request, _("Payment received; receipt %(n)s.") % {"n": entry.receipt_number})
            return redirect("warehouse:account", pk=account.pk)
        except (ValidationError, PermissionDenied, TransitionConflict) as exc:
            _refusal(request, exc)
    statement = sel.account_statement(account=account)
    return render(request, "warehouse/account.html", statement | {"form": form})


@require_GET
@login_required
def invoices_view(request):
    member_required(request)
    open_only = request.GET.get("open") == "1"
    rows = sel.invoice_list(user=request.user, open_only=open_only)
    if (export := list_export(request, code="warehouse.invoices", queryset=rows)) is not None:
        return export
    page = Paginator(rows, 25).get_page(request.GET.get("page"))
    return render(request, "warehouse/invoices.html", {"page": page, "open": open_only})


@require_GET
@login_required
def dropships_view(request):
    member_required(request)
    rows = sel.dropship_list(user=request.user)
    if (export := list_export(request, code="warehouse.dropships", queryset=rows)) is not None:
        return export
    page = Paginator(rows, 25).get_page(request.GET.get("page"))
    return render(request, "warehouse/dropships.html", {"page": page})


@require_http_methods(["GET", "POST"])
@login_required
def retail_view(request):
    member_required(request)
    if request.method == "POST":
        try:
            if request.POST.get("report"):
                report = RetailDailyReport.objects.filter(
                    pk=request.POST["report"], store_id__in=member_required(request)
                ).first()
                if report is None:
                    raise Http404
                retail_report_approve(report=report, user=request.user)
            else:
                warehouse = warehouse_list(user=request.user).filter(pk=request.POST.get("warehouse") or 0).first()
                if warehouse is None:
                    raise ValidationError({"warehouse": [_("Choose a warehouse.")]})
                day = dt.date.fromisoformat(request.POST.get("day") or timezone.localdate().isoformat())
                retail_report_create(user=request.user, warehouse=warehouse, day=day)
            messages.success(request, _("Done."))
        except (ValidationError, PermissionDenied, TransitionConflict) as exc:
            _refusal(request, exc)
        except ValueError:
            messages.error(request, _("Enter a date."))
        return redirect("warehouse:retail")
    rows = sel.retail_report_list(user=request.user)
    if (export := list_export(request, code="warehouse.retail_days", queryset=rows)) is not None:
        return export
    page = Paginator(rows, 25).get_page(request.GET.get("page"))
    return render(
        request,
        "warehouse/retail.html",
        {"page": page, "warehouses": warehouse_list(user=request.user), "today": timezone.localdate()},
    )


class JournalFilter(forms.Form):
    start = forms.DateField(required=False, label=gettext_lazy("From"), widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(required=False, label=gettext_lazy("To"), widget=forms.DateInput(attrs={"type": "date"}))
    kind = forms.ChoiceField(
        required=False, label=gettext_lazy("Kind"), choices=[("", "—"), *JournalEntry.Kind.choices]
    )
    account = forms.ChoiceField(required=False, label=gettext_lazy("Account"), choices=[("", "—"), *Account.choices])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget.attrs["class"] = "form-select" if isinstance(field.widget, forms.Select) else "form-control"


@require_GET
@login_required
def journal_view(request):
    member_required(request)
    today = timezone.localdate()
    form = JournalFilter(request.GET or {"start": today.replace(day=1), "end": today})
    values = form.cleaned_data if form.is_valid() else {}
    rows = sel.journal_list(
        user=request.user,
        start=values.get("start"),
        end=values.get("end"),
        kind=values.get("kind") or "",
        account=values.get("account") or "",
    )
    export = request.GET.get("export")
    if export in ("csv", "xlsx"):
        headers = [
            _("Date"),
            _("Entry"),
            _("Kind"),
            _("Document"),
            _("Account"),
            _("Customer"),
            _("Debit"),
            _("Credit"),
        ]
        lines = (
            (
                ln.entry.date.isoformat(),
                ln.entry_id,
                ln.entry.get_kind_display(),
                ln.entry.source_label,
                ln.get_account_display(),
                str(ln.customer_account.customer) if ln.customer_account else "",
                ln.debit,
                ln.credit,
            )
            for ln in rows.iterator(chunk_size=500)
        )
        return export_response(export, "journal", headers, lines)
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    return render(
        request, "warehouse/journal.html", {"filters": form, "page": page, "totals": sel.journal_totals(rows=rows)}
    )


@require_http_methods(["GET", "POST"])
@login_required
def month_close_view(request):
    member_required(request)
    warehouses = warehouse_list(user=request.user).filter(valuation=Warehouse.Valuation.MONTHLY)
    if request.method == "POST":
        warehouse = warehouses.filter(pk=request.POST.get("warehouse") or 0).first()
        try:
            if warehouse is None:
                raise ValidationError({"warehouse": [_("Choose a warehouse valued by monthly average.")]})
            month = dt.date.fromisoformat((request.POST.get("month") or "") + "-01")
            close = month_end_close(warehouse=warehouse, month=month, user=request.user)
            messages.success(
                request,
                _("%(month)s closed: %(n)s cost postings.")
                % {"month": f"{close.month:%Y-%m}", "n": close.postings.count()},
            )
        except (ValidationError, PermissionDenied, TransitionConflict) as exc:
            _refusal(request, exc)
        except ValueError:
            messages.error(request, _("Enter a month."))
        return redirect("warehouse:month_close")
    from warehouse.models import MonthClose

    closes = MonthClose.objects.filter(warehouse__in=warehouses).select_related("warehouse", "closed_by")[:24]
    return render(
        request,
        "warehouse/month_close.html",
        {"warehouses": warehouses, "closes": closes, "month": timezone.localdate().strftime("%Y-%m")},
    )
