"""Pages of the monthly stocktake: the list (filters, planning form), a stocktake with its areas
and step buttons, the blind count entry page (tablet), the recount/resolve page, the audit page
and the adjustments page (with the moves since counting). Every write posts to one view that
calls one service and reports refusals as messages."""

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from showroom.permissions import has_role
from showroom.services.transitions import TransitionConflict, transitions_available
from showroom.views.documents import documents_panel_context
from warehouse import selectors_stocktake as sel
from warehouse.models import Bin, Item, Stocktake, StocktakeArea, StocktakeLine
from warehouse.models.stocktake import FINANCE, SUPERVISORS
from warehouse.selectors import warehouse_list
from warehouse.services import stocktake as svc
from warehouse.views.stock import member_required

User = get_user_model()
LABELS = {
    "freeze": gettext_lazy("Freeze the warehouse"),
    "start_count": gettext_lazy("Start the first count"),
    "start_recount": gettext_lazy("Start the recount"),
    "start_audit": gettext_lazy("Hand the sheet to finance and draw the sample"),
    "approve": gettext_lazy("Approve the count sheet"),
    "post": gettext_lazy("Post the adjustments"),
    "close": gettext_lazy("Close and print the report"),
    "cancel": gettext_lazy("Cancel the stocktake"),
}
STEPS = {
    "freeze": svc.stocktake_freeze,
    "start_count": svc.stocktake_count_start,
    "start_recount": svc.stocktake_recount_start,
    "start_audit": svc.stocktake_audit_start,
    "approve": svc.stocktake_approve,
    "close": svc.stocktake_close,
    "cancel": svc.stocktake_cancel,
}


class StocktakeFilter(forms.Form):
    state = forms.ChoiceField(required=False, label=gettext_lazy("State"))
    warehouse = forms.ModelChoiceField(queryset=None, required=False, label=gettext_lazy("Warehouse"))
    month = forms.CharField(required=False, max_length=7, label=gettext_lazy("Month (YYYY-MM)"))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["state"].choices = [("", _("All")), *Stocktake.State.choices]
        self.fields["warehouse"].queryset = warehouse_list(user=user)
        for field in self.fields.values():
            field.widget.attrs["class"] = "form-select" if isinstance(field.widget, forms.Select) else "form-control"


class PlanForm(forms.Form):
    warehouse = forms.ModelChoiceField(queryset=None, label=gettext_lazy("Warehouse"))
    month = forms.DateField(
        required=False,
        label=gettext_lazy("Month"),
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=gettext_lazy("Any day of the month; empty: this month."),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["warehouse"].queryset = warehouse_list(user=user)
        for field in self.fields.values():
            field.widget.attrs["class"] = "form-select" if isinstance(field.widget, forms.Select) else "form-control"


def _errors(request, exc: Exception) -> None:
    if isinstance(exc, ValidationError):
        for errors in exc.message_dict.values():
            for error in errors:
                messages.error(request, error)
    else:
        messages.error(request, str(exc) or _("You are not allowed to do this."))


@require_http_methods(["GET", "POST"])
@login_required
def stocktakes_view(request):
    member_required(request)
    plan = PlanForm(request.POST or None, user=request.user)
    if request.method == "POST" and plan.is_valid():
        try:
            stocktake = svc.stocktake_plan(
                warehouse=plan.cleaned_data["warehouse"], user=request.user, month=plan.cleaned_data["month"]
            )
        except (ValidationError, PermissionDenied, TransitionConflict) as exc:
            _errors(request, exc)
        else:
            messages.success(request, _("Stocktake planned."))
            return redirect("warehouse:stocktake", stocktake.pk)
    form = StocktakeFilter(request.GET or None, user=request.user)
    values = form.cleaned_data if form.is_valid() else {}
    rows = sel.stocktake_list(
        user=request.user,
        state=values.get("state") or "",
        warehouse_id=values["warehouse"].pk if values.get("warehouse") else None,
        month=values.get("month") or "",
    )
    page = Paginator(rows, 25).get_page(request.GET.get("page"))
    return render(request, "warehouse/stocktake/list.html", {"form": form, "plan": plan, "page": page})


def _stocktake(request, pk: int) -> Stocktake:
    member_required(request)
    try:
        return sel.stocktake_get(user=request.user, pk=pk)
    except Stocktake.DoesNotExist as exc:
        raise Http404 from exc


def _store_staff(stocktake: Stocktake):
    return User.objects.filter(memberships__store_id=stocktake.store_id, is_active=True).distinct().order_by("username")


@require_GET
@login_required
def stocktake_view(request, pk: int):
    stocktake = _stocktake(request, pk)
    available = transitions_available(instance=stocktake, user=request.user)
    buttons = [
        {"name": n, "label": LABELS[n], "danger": n == "cancel"} for n in available if n in LABELS and n != "post"
    ]
    supervisor = has_role(request.user, stocktake.store_id, SUPERVISORS)
    progress = [p for p in sel.stocktake_progress(store_ids=[stocktake.store_id]) if p["id"] == pk]
    context = {
        "stocktake": stocktake,
        "buttons": buttons,
        "areas": stocktake.areas.select_related("leader").prefetch_related("helpers", "area_bins__bin"),
        "progress": progress,
        "supervisor": supervisor,
        "finance": has_role(request.user, stocktake.store_id, FINANCE),
        "parties": sel.stocktake_parties_to_notify(stocktake=stocktake) if stocktake.state == "planned" else None,
        "waiting": sel.stocktake_documents_waiting(stocktake=stocktake) if stocktake.state == "planned" else [],
        "bins": Bin.objects.filter(warehouse_id=stocktake.warehouse_id).order_by("code"),
        "staff": _store_staff(stocktake) if supervisor and stocktake.state in ("frozen", "first_count") else [],
        "team": stocktake.recount_team.all(),
    }
    return render(
        request,
        "warehouse/stocktake/detail.html",
        context | documents_panel_context(user=request.user, target=stocktake),
    )


def _users(request, name: str) -> list:
    ids = [int(v) for v in request.POST.getlist(name) if v.isdigit()]
    return list(User.objects.filter(pk__in=ids))


@require_POST
@login_required
def stocktake_step_view(request, pk: int, name: str):
    stocktake = _stocktake(request, pk)
    back = reverse("warehouse:stocktake", args=[pk])
    note = request.POST.get("note", "")
    try:
        if name in STEPS:
            STEPS[name](stocktake=stocktake, user=request.user, note=note)
        elif name == "post":
            svc.stocktake_post(
                stocktake=stocktake, user=request.user, note=note, confirm_moves=bool(request.POST.get("confirm_moves"))
            )
            back = reverse("warehouse:stocktake_adjustments", args=[pk])
        elif name == "area":
            leader = User.objects.filter(pk=request.POST.get("leader") or 0).first()
            if leader is None:
                raise ValidationError({"leader": [_("Choose the team leader.")]})
            bins = list(Bin.objects.filter(pk__in=request.POST.getlist("bins"), warehouse_id=stocktake.warehouse_id))
            svc.stocktake_area_set(
                stocktake=stocktake,
                user=request.user,
                name=request.POST.get("name", ""),
                bins=bins,
                leader=leader,
                helpers=_users(request, "helpers"),
            )
        elif name == "team":
            svc.stocktake_recount_team_set(stocktake=stocktake, user=request.user, members=_users(request, "members"))
        elif name == "finish_audit":
            svc.stocktake_audit_finish(stocktake=stocktake, user=request.user)
            back = reverse("warehouse:stocktake_audit", args=[pk])
        elif name == "submit":
            svc.stocktake_adjustment_submit(stocktake=stocktake, user=request.user, note=note)
            back = reverse("warehouse:stocktake_adjustments", args=[pk])
        else:
            raise Http404
    except (ValidationError, PermissionDenied, TransitionConflict) as exc:
        _errors(request, exc)
    else:
        messages.success(request, _("Done."))
    return redirect(back)


def _area(stocktake: Stocktake, area_pk: int) -> StocktakeArea:
    area = stocktake.areas.filter(pk=area_pk).first()
    if area is None:
        raise Http404
    return area


@require_http_methods(["GET", "POST"])
@login_required
def count_view(request, pk: int, area_pk: int):
    """The blind count (tablet): per bin and item one quantity; the book quantity is never shown."""
    stocktake = _stocktake(request, pk)
    area = _area(stocktake, area_pk)
    if request.method == "POST":
        try:
            if request.POST.get("finish"):
                svc.stocktake_area_finish(area=area, user=request.user)
                messages.success(request, _("Area finished."))
                return redirect("warehouse:stocktake", pk)
            bin = Bin.objects.filter(pk=request.POST.get("bin") or 0, warehouse_id=stocktake.warehouse_id).first()
            code = (request.POST.get("item_code") or "").strip()
            item = (
                Item.objects.filter(code__iexact=code).first()
                if code
                else Item.objects.filter(pk=request.POST.get("item") or 0).first()
            )
            if bin is None or item is None:
                raise ValidationError({"item": [_("Choose the bin and the item.")]})
            svc.stocktake_count_record(
                stocktake=stocktake, user=request.user, bin=bin, item=item, quantity=request.POST.get("quantity", "")
            )
        except (ValidationError, PermissionDenied, TransitionConflict) as exc:
            _errors(request, exc)
        else:
            messages.success(request, _("Counted."))
        return redirect("warehouse:stocktake_count", pk, area.pk)
    now = sel.current_round(stocktake=stocktake, area=area)
    lines = list(sel.stocktake_count_sheet(area=area, round_=now[0], pass_no=now[1])) if now else []
    bins = Bin.objects.filter(pk__in=area.area_bins.values("bin_id")).order_by("code")
    context = {
        "stocktake": stocktake,
        "area": area,
        "round": now,
        "todo": [ln for ln in lines if not ln.counted_now],
        "done": [ln for ln in lines if ln.counted_now],
        "bins": bins,
    }
    return render(request, "warehouse/stocktake/count.html", context)


@require_http_methods(["GET", "POST"])
@login_required
def recount_view(request, pk: int):
    """The supervisor's page: lines whose two counts differ (resolve with the cause) and lines the
    audit found different (recount and correct)."""
    stocktake = _stocktake(request, pk)
    if request.method == "POST":
        line = StocktakeLine.objects.filter(stocktake=stocktake, pk=request.POST.get("line") or 0).first()
        if line is None:
            raise Http404
        service = svc.stocktake_line_correct if request.POST.get("kind") == "correct" else svc.stocktake_line_resolve
        try:
            service(
                line=line,
                user=request.user,
                quantity=request.POST.get("quantity", ""),
                note=request.POST.get("note", ""),
            )
        except (ValidationError, PermissionDenied, TransitionConflict) as exc:
            _errors(request, exc)
        else:
            messages.success(request, _("Line settled."))
        return redirect("warehouse:stocktake_recount", pk)
    if not has_role(request.user, stocktake.store_id, (*SUPERVISORS, *FINANCE)):
        raise PermissionDenied(_("The count sheet is for the supervisor and finance."))
    lines = sel.stocktake_lines(stocktake=stocktake)
    context = {
        "stocktake": stocktake,
        "disputed": [ln for ln in lines if ln.disputed],
        "corrections": [ln for ln in lines if ln.needs_correction],
        "recounted": sum(1 for ln in lines if ln.recount_quantity is not None),
        "total": len(lines),
    }
    return render(request, "warehouse/stocktake/recount.html", context)


@require_http_methods(["GET", "POST"])
@login_required
def audit_view(request, pk: int):
    """Finance's sample audit: the drawn bins and lines; each entry names the second auditor."""
    stocktake = _stocktake(request, pk)
    if not has_role(request.user, stocktake.store_id, (*SUPERVISORS, *FINANCE)):
        raise PermissionDenied(_("The audit is for finance and the supervisor."))
    if request.method == "POST":
        bin = Bin.objects.filter(pk=request.POST.get("bin") or 0, warehouse_id=stocktake.warehouse_id).first()
        code = (request.POST.get("item_code") or "").strip()
        item = (
            Item.objects.filter(code__iexact=code).first()
            if code
            else Item.objects.filter(pk=request.POST.get("item") or 0).first()
        )
        partner = User.objects.filter(pk=request.POST.get("partner") or 0).first()
        try:
            if bin is None or item is None:
                raise ValidationError({"item": [_("Choose the bin and the item.")]})
            svc.stocktake_audit_record(
                stocktake=stocktake,
                user=request.user,
                partner=partner,
                bin=bin,
                item=item,
                quantity=request.POST.get("quantity", ""),
            )
        except (ValidationError, PermissionDenied, TransitionConflict) as exc:
            _errors(request, exc)
        else:
            messages.success(request, _("Audited."))
        return redirect("warehouse:stocktake_audit", pk)
    context = {
        "stocktake": stocktake,
        "audits": sel.stocktake_audit_lines(stocktake=stocktake),
        "shelf_bins": stocktake.audit_bins.select_related("bin"),
        "areas": stocktake.areas.all(),
        "staff": _store_staff(stocktake).exclude(pk=request.user.pk),
    }
    return render(request, "warehouse/stocktake/audit.html", context)


@require_http_methods(["GET", "POST"])
@login_required
def adjustments_view(request, pk: int):
    """The surplus and deficit slips, the causes, the approval and posting — with the moves of the
    warehouse since counting started shown before posting."""
    stocktake = _stocktake(request, pk)
    if not has_role(request.user, stocktake.store_id, (*SUPERVISORS, *FINANCE, "general_manager")):
        raise PermissionDenied(_("The adjustments are for the supervisor, finance and the general manager."))
    if request.method == "POST":
        line = StocktakeLine.objects.filter(stocktake=stocktake, pk=request.POST.get("line") or 0).first()
        if line is None:
            raise Http404
        try:
            svc.stocktake_line_explain(
                line=line,
                user=request.user,
                cause=request.POST.get("cause", ""),
                note=request.POST.get("note", ""),
                responsible=User.objects.filter(pk=request.POST.get("responsible") or 0).first(),
            )
        except (ValidationError, PermissionDenied, TransitionConflict) as exc:
            _errors(request, exc)
        else:
            messages.success(request, _("Cause recorded."))
        return redirect("warehouse:stocktake_adjustments", pk)
    slips = list(
        stocktake.adjustments.prefetch_related("lines__line__bin", "lines__line__item", "lines__line__responsible")
    )
    context = {
        "stocktake": stocktake,
        "slips": slips,
        "moves": sel.stocktake_moves_since_count(stocktake=stocktake) if stocktake.state == "approved" else [],
        "causes": StocktakeLine.Cause.choices,
        "staff": _store_staff(stocktake),
        "may_post": "post" in transitions_available(instance=stocktake, user=request.user),
        "supervisor": has_role(request.user, stocktake.store_id, SUPERVISORS),
    }
    return render(request, "warehouse/stocktake/adjustments.html", context)
